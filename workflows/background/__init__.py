"""Background work as plain functions (timers, publicity expiry, the nightly scan) and what runs
them: the in-process sweep and Celery."""
