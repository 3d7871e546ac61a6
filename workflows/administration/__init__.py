"""The credit office's administration: the working-day calendar."""
