"""Work done after the request: the mail outbox, its sender, and the scheduled jobs' state."""
