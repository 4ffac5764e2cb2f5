"""The outbox: every message Loa sends (e-mail, webhook) is a row, queued in the sender's
transaction, sent after commit by a task under a lease, retried with backoff, and listed."""
