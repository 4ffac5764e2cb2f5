"""Periodic jobs: a scheduler that enqueues each due job exactly once, however many run."""
