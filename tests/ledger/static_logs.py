"""A tlog-tiles log built from the pure core and kept as files in a dict, for verifier, witness
and command tests; `live_server.serve_asgi` puts it on a loopback port for tests over real HTTP.

Like a real log, `StaticLog` keeps every file it ever published: a partial tile stays beside
the wider one that supersedes it. Tests tamper with `files` directly.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from townsquare.ledger import (
    Checkpoint,
    Signer,
    VerificationError,
    consistency_proof,
    encode_bundle,
    entry_bundle_path,
    leaf_hash,
    root_hash,
    sign_note,
    tile_hashes,
    tiles_added,
)

ORIGIN = "townsquare.example/moderation-log"
LOG_SEED = bytes(range(32))
LOG_SIGNER = Signer(ORIGIN, LOG_SEED)


def make_entry(number: int, kind: str = "test.action") -> bytes:
    """Canonical JSON (RFC 8785; plain ASCII keys and small integers only) of a test entry."""
    value = {"n": number, "type": kind, "v": 1}
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class StaticLog:
    """A log's published files (`checkpoint`, `tile/…`) in memory."""

    signer: Signer = LOG_SIGNER
    entries: list[bytes] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.entries)

    @property
    def leaf_hashes(self) -> list[bytes]:
        return [leaf_hash(entry) for entry in self.entries]

    def append(self, *entries: bytes) -> None:
        """Add entries and publish the tiles, bundles and checkpoint of the grown tree."""
        old_size = self.size
        self.entries.extend(entries)
        hashes = self.leaf_hashes
        for tile in tiles_added(old_size, self.size):
            self.files[tile.path] = b"".join(tile_hashes(tile, hashes))
            if tile.level == 0:
                first = tile.index * 256
                bundle = encode_bundle(self.entries[first : first + tile.width])
                self.files[entry_bundle_path(tile.index, tile.width)] = bundle
        self.files["checkpoint"] = self.signed_checkpoint()

    def grow(self, count: int) -> None:
        self.append(*(make_entry(n) for n in range(self.size, self.size + count)))

    def checkpoint(self, size: int | None = None) -> Checkpoint:
        size = self.size if size is None else size
        return Checkpoint(self.signer.name, size, root_hash(self.leaf_hashes[:size]))

    def signed_checkpoint(self, size: int | None = None, signer: Signer | None = None) -> bytes:
        return sign_note(self.checkpoint(size).format(), [signer or self.signer])

    def consistency(self, old_size: int) -> list[bytes]:
        return consistency_proof(old_size, self.size, self.leaf_hashes)

    def fetch(self, path: str) -> bytes:
        """The `fetch` a verifier is given: a missing file fails as a 404 would."""
        self.fetched.append(path)
        if path not in self.files:
            raise VerificationError("expected a file, found none (404 Not Found)")
        return self.files[path]

    def write_to(self, directory: Path) -> None:
        """The files laid out as a tlog-tiles directory (what a static web server serves)."""
        for path, data in self.files.items():
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def make_log(size: int, signer: Signer = LOG_SIGNER) -> StaticLog:
    log = StaticLog(signer)
    log.grow(size)
    return log


def tiles_asgi_app(log: StaticLog, prefix: str = "/ledger/") -> Any:
    """A tiny ASGI app serving the log's files under `prefix`, as a Townsquare server does."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"].removeprefix(prefix)
        data = log.files.get(path) if scope["path"].startswith(prefix) else None
        status = 200 if data is not None else 404
        headers = [(b"content-type", b"application/octet-stream")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": data or b"not found\n"})

    return app
