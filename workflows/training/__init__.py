"""Credit-repair training: sessions, enrollment, attendance and certificates."""
