"""The log's signing key: an Ed25519 key in Go's private-key text format, in a file of its own.

The key never enters the database, so a database dump or replica cannot sign checkpoints.
It is created on first start, readable by its owner only (0600), and written whole to a
temporary file that is then hard-linked into place: when several processes start at once,
exactly one link succeeds and every process reads that same complete key.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from townsquare.ledger._errors import LedgerKeyError, MalformedError
from townsquare.ledger._keys import Signer, generate_signer

__all__ = ["read_or_create_signer"]


def read_or_create_signer(path: Path, origin: str) -> Signer:
    """The log signer stored at `path`, created for key name `origin` if the file is absent.

    The key name MUST equal the origin (c2sp.org/tlog-checkpoint), so a key made for another
    origin (the server's address changed) is refused rather than silently used.
    """
    if not path.exists():
        _create(path, origin)
    try:
        signer = Signer.from_private_key(path.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError, MalformedError) as error:
        raise LedgerKeyError(
            f"ledger key file {path}: expected a Go private key, {error}"
        ) from None
    if signer.name != origin:
        raise LedgerKeyError(
            f"ledger key file {path}: expected a key for origin {origin!r}, found one for "
            f"{signer.name!r}; a log's origin cannot change (restore the old base URL, or move "
            "the file away to start a new log)"
        )
    return signer


def _create(path: Path, origin: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    private_key, _vkey = generate_signer(origin)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".ledger-key-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(private_key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
