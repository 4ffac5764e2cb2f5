"""What the database engine keeps after a row is changed, and how Loa makes it let go.

SQLite (the embedded setup) writes every changed page to the write-ahead log first and copies
it into the database file only at a checkpoint; until then the WAL holds the old and new page
images, personal data included. Connections are opened with `secure_delete` (see
`loa.config.env.database_config`), so space freed inside the database file is zeroed; after an
erasure `wal_checkpoint` moves the log into the file and truncates the log to zero bytes.

PostgreSQL guarantees less, and Loa does not pretend otherwise: an UPDATE writes a new row
version and leaves the old one in the table's pages as a dead tuple until VACUUM (autovacuum
within minutes on a busy table) marks its space reusable, and even then the bytes stay on disk
until new rows overwrite them; only VACUUM FULL rewrites the table. The WAL segments, archived
WAL and base backups made before the erasure keep the old values for as long as they are
retained. Erasure on PostgreSQL therefore removes the data from everything Loa and its users can
read, while the physical copies age out with the operator's VACUUM and backup retention."""

from __future__ import annotations

import logging

from django.db import OperationalError, connections

logger = logging.getLogger(__name__)


def wal_checkpoint(*, using: str = "default") -> bool:
    """On SQLite, copies the WAL into the database file and truncates the WAL; True when the
    log was emptied. Another process reading at the same time keeps its pages: the busy
    timeout waits for it, and a checkpoint still blocked after that is logged, not raised (the
    erasure itself is committed; SQLite's own checkpoints later let it overwrite the log).
    Elsewhere (PostgreSQL) nothing to do: see the module's docstring."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return True
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log_frames, _checkpointed = cursor.fetchone()
    except OperationalError as error:  # inside a transaction, or the file locked past the timeout
        logger.warning("wal_checkpoint: not done (%s); the write-ahead log is emptied later", error)
        return False
    if busy:
        logger.warning("wal_checkpoint: another connection kept the write-ahead log busy; it is emptied later")
    return not busy
