"""Early warnings: the DMN-driven scan of credit records and the departments' inboxes."""
