"""The credit office's administration: the working-day calendar and reading the audit log."""
