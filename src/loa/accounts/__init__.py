"""Accounts, roles and the scoping rule that decides which units' data a user may see."""
