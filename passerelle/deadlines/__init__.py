"""Deadlines people can keep: `.ics` files of an offer's window and personal calendar feeds."""
