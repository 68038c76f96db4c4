"""The classifier the platform answers with: its stored model, shared through the database."""
