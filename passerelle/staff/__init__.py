"""The staff space: review queue, catalogue and organisation management, users, imports, audit."""
