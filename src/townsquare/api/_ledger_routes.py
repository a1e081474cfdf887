"""The ledger over HTTP: c2sp.org/tlog-tiles under `/ledger/`, plus entries and receipts.

    GET /ledger/checkpoint                   the signed checkpoint (mutable: no-cache)
    GET /ledger/tile/<L>/<N>[.p/<W>]          hash tiles (immutable once full)
    GET /ledger/tile/entries/<N>[.p/<W>]      entry bundles
    GET /ledger/vkey                         the log's verifier key
    GET /ledger/entries/<index>              one entry, decoded, with its inclusion proof
    GET /ledger/entries/<index>/receipt      its c2sp.org/tlog-proof@v1 receipt

These paths are the contract with `townsquare ledger verify` and the witness. Tile paths are
parsed strictly: a path that is not the one canonical spelling of a tile is a 400.
"""

import base64
import json
import re
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._errors import MalformedRequestError
from townsquare.ledger import (
    MAX_TILE_LEVEL,
    TILE_WIDTH,
    LedgerLog,
    entry_bundle_path,
    tile_path,
)

__all__ = ["LEDGER_API_PATHS", "ledger_routes"]

LEDGER_API_PATHS = ("/ledger/checkpoint", "/ledger/vkey", "/ledger/tile/", "/ledger/entries/")
"""The ledger's machine-readable paths (its other pages under `/ledger` are the web's)."""

_TEXT = "text/plain"  # Litestar adds "; charset=utf-8"
_BINARY = "application/octet-stream"
_IMMUTABLE = "public, max-age=31536000, immutable"
_PARTIAL = "public, max-age=60"  # superseded by a wider tile soon; logs may delete them
_INDEX_PATH = re.compile(r"((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([0-9]{1,3}))?")
_LEVEL = re.compile(r"0|[1-9][0-9]?")


def _tile_response(data: bytes, width: int) -> Response[bytes]:
    cache = _IMMUTABLE if width == TILE_WIDTH else _PARTIAL
    return Response(content=data, media_type=_BINARY, headers={"Cache-Control": cache})


def _parse_index(path: str, level: int | None) -> tuple[int, int]:
    """(index, width) from `x001/x234/067[.p/5]`, which must be the canonical spelling."""
    path = path.lstrip("/")
    matched = _INDEX_PATH.fullmatch(path)
    if matched is not None:
        index = int(matched[1].replace("x", "").replace("/", ""))
        width = int(matched[2]) if matched[2] else TILE_WIDTH
        if 1 <= width <= TILE_WIDTH:
            canonical = tile_path(level, index, width) if level is not None else None
            canonical = canonical or entry_bundle_path(index, width)
            if canonical.endswith("/" + path):
                return index, width
    raise MalformedRequestError(
        f"tile path {path!r}: expected the tlog-tiles form <N>[.p/<W>], N in 3-digit groups "
        "all but the last prefixed with 'x' (1234067 is x001/x234/067), W from 1 to 255"
    )


@get("/ledger/checkpoint", sync_to_thread=True, media_type=_TEXT)
def checkpoint(ledger: NamedDependency[LedgerLog]) -> Response[bytes]:
    """The latest signed checkpoint, with witness cosignatures (c2sp.org/tlog-checkpoint)."""
    return Response(
        content=ledger.checkpoint_note(), media_type=_TEXT, headers={"Cache-Control": "no-cache"}
    )


@get("/ledger/vkey", sync_to_thread=False, media_type=_TEXT)
def vkey(ledger: NamedDependency[LedgerLog]) -> Response[bytes]:
    """The log's verifier key (c2sp.org/signed-note), to pass to `townsquare ledger verify`."""
    return Response(content=(ledger.vkey() + "\n").encode(), media_type=_TEXT)


@get("/ledger/tile/entries/{index_path:path}", sync_to_thread=True, media_type=_BINARY)
def entry_bundle(ledger: NamedDependency[LedgerLog], index_path: FromPath[str]) -> Response[bytes]:
    """The entries behind level-0 tile N, each as a big-endian u16 length and the entry."""
    index, width = _parse_index(index_path, None)
    return _tile_response(ledger.bundle(index, width), width)


@get("/ledger/tile/{level:str}/{index_path:path}", sync_to_thread=True, media_type=_BINARY)
def hash_tile(
    ledger: NamedDependency[LedgerLog], level: FromPath[str], index_path: FromPath[str]
) -> Response[bytes]:
    """Hash tile N of level L: up to 256 concatenated 32-byte hashes."""
    if not _LEVEL.fullmatch(level) or int(level) > MAX_TILE_LEVEL:
        raise MalformedRequestError(
            f"tile level {level!r}: expected 0 to {MAX_TILE_LEVEL} (or 'entries')"
        )
    index, width = _parse_index(index_path, int(level))
    return _tile_response(ledger.tile(int(level), index, width), width)


@get("/ledger/entries/{index:int}", sync_to_thread=True)
def ledger_entry(ledger: NamedDependency[LedgerLog], index: FromPath[int]) -> dict[str, Any]:
    """Entry `index`, decoded, with its leaf hash and its inclusion proof (base64, leaf
    sibling first) against the latest signed checkpoint, which is included."""
    proved = ledger.prove(index)
    return {
        "index": proved.index,
        "entry": json.loads(proved.entry),
        "leaf_hash": _base64(proved.leaf_hash),
        "tree_size": proved.checkpoint.size,
        "root_hash": _base64(proved.checkpoint.root_hash),
        "checkpoint": proved.note.decode(),
        "inclusion_proof": [_base64(element) for element in proved.proof],
    }


@get("/ledger/entries/{index:int}/receipt", sync_to_thread=True, media_type=_TEXT)
def ledger_receipt(ledger: NamedDependency[LedgerLog], index: FromPath[int]) -> Response[bytes]:
    """An offline proof that entry `index` is in the log (c2sp.org/tlog-proof@v1)."""
    return Response(content=ledger.receipt(index), media_type=_TEXT)


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


ledger_routes = [checkpoint, vkey, entry_bundle, hash_tile, ledger_entry, ledger_receipt]
