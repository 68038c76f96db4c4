"""Alerts for entrepreneurs: saved searches, per-project and per-search alerts, digests,
deadline reminders and one-click unsubscribe."""
