"""The Passerelle platform: settings, database, accounts, web pages, JSON API and CLI."""
