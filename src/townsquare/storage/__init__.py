"""Layer 1: the engine, transactions, the schema and its migrations."""

from townsquare.storage import tables
from townsquare.storage._database import (
    Committed,
    Database,
    NotInWriteTransactionError,
    after_commit,
)
from townsquare.storage._engine import create_database_engine, is_sqlite
from townsquare.storage._id_leases import (
    LEASE_SECONDS,
    IdWorkersExhaustedError,
    Lease,
    claim_worker,
    release_worker,
    renew_worker,
)
from townsquare.storage._id_worker import IdWorker
from townsquare.storage._media_files import (
    FileMediaStore,
    MediaFileMissingError,
    MediaStore,
    MemoryMediaStore,
    S3MediaStore,
)
from townsquare.storage._migrate import current_revision, head_revision, migrate
from townsquare.storage._prebuilt import Prebuilt, member_of
from townsquare.storage._upsert import insert_ignoring_conflicts, prebuilt_insert_ignoring_conflicts

__all__ = [
    "LEASE_SECONDS",
    "Committed",
    "Database",
    "FileMediaStore",
    "IdWorker",
    "IdWorkersExhaustedError",
    "Lease",
    "MediaFileMissingError",
    "MediaStore",
    "MemoryMediaStore",
    "NotInWriteTransactionError",
    "Prebuilt",
    "S3MediaStore",
    "after_commit",
    "claim_worker",
    "create_database_engine",
    "current_revision",
    "head_revision",
    "insert_ignoring_conflicts",
    "is_sqlite",
    "member_of",
    "migrate",
    "prebuilt_insert_ignoring_conflicts",
    "release_worker",
    "renew_worker",
    "tables",
]
