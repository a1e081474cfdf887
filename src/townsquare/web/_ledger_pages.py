"""The ledger browser: the latest checkpoint, entries newest first, and each entry's proof.

The pages only show what the machine-readable ledger (`/ledger/checkpoint`, tiles, entries,
receipts) already publishes, and point to it, so a reader can check it independently.
"""

import base64
import json
from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from townsquare.ledger import Entry, LedgerLog, decode_entry
from townsquare.settings import Settings
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = ["LEDGER_PAGE_SIZE", "ledger_entry_page", "ledger_page"]

LEDGER_PAGE_SIZE = 50


@dataclass(frozen=True)
class ShownEntry:
    """One entry as the pages show it."""

    index: int
    entry: Entry

    @property
    def pretty(self) -> str:
        return json.dumps(self.entry.as_json(), indent=2, sort_keys=True, ensure_ascii=False)


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@get("/ledger", sync_to_thread=True)
def ledger_page(
    visitor: NamedDependency[Visitor],
    ledger: NamedDependency[LedgerLog],
    before: FromQuery[int | None] = None,
) -> Response[Any]:
    """The latest checkpoint and a page of entries, newest first (`before` pages back)."""
    checkpoint = ledger.checkpoint()
    stop = checkpoint.size if before is None else max(0, min(before, checkpoint.size))
    start = max(0, stop - LEDGER_PAGE_SIZE)
    raw = ledger.entries(start, stop)
    shown = [ShownEntry(start + offset, decode_entry(data)) for offset, data in enumerate(raw)]
    return page(
        visitor,
        "ledger.html",
        checkpoint=checkpoint,
        root_hash=_base64(checkpoint.root_hash),
        note=ledger.checkpoint_note().decode(),
        entries=list(reversed(shown)),
        older=start if start > 0 else None,
    )


@get("/ledger/view/{index:int}", sync_to_thread=True)
def ledger_entry_page(
    visitor: NamedDependency[Visitor],
    ledger: NamedDependency[LedgerLog],
    settings: NamedDependency[Settings],
    index: FromPath[int],
) -> Response[Any]:
    """One entry, pretty-printed, with its inclusion proof and how to check it yourself."""
    proved = ledger.prove(index)
    return page(
        visitor,
        "ledger_entry.html",
        shown=ShownEntry(index, decode_entry(proved.entry)),
        leaf_hash=_base64(proved.leaf_hash),
        proof=[_base64(element) for element in proved.proof],
        checkpoint=proved.checkpoint,
        root_hash=_base64(proved.checkpoint.root_hash),
        note=proved.note.decode(),
        vkey=ledger.vkey(),
        base_url=settings.base_url,
    )
