"""Offers kept true: providers asked to confirm old offers by a signed link in a mail."""
