"""Notifications beyond the in-app list: e-mail over SMTP, an SMS gateway hook, and the daily
reminders of tasks due today or overdue. Everything here runs after the commit that wrote the
notification (the courier, `credit-cases tick`, the serve sweep, Celery), never inside it."""
