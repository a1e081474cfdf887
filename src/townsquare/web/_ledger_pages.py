"""The ledger browser: the latest checkpoint, entries newest first, and each entry's proof.

The pages only show what the machine-readable ledger (`/ledger/checkpoint`, tiles, entries,
receipts) already publishes, and point to it, so a reader can check it independently.
"""

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from townsquare.ledger import Entry, LedgerLog, decode_entry
from townsquare.settings import Settings
from townsquare.web._messages import N_
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = ["ENTRY_HEADINGS", "LEDGER_PAGE_SIZE", "ledger_entry_page", "ledger_page"]

LEDGER_PAGE_SIZE = 50

ENTRY_HEADINGS: Mapping[str, str] = {
    "moderation.decision": N_("A moderation decision in the ledger"),
    "moderation.appeal": N_("An appeal's outcome in the ledger"),
    "moderation.request": N_("An outside request in the ledger"),
    "moderation.request_answer": N_("The answer to an outside request in the ledger"),
    "moderation.election_window": N_("An election window in the ledger"),
    "policy.version": N_("A version of a rule in the ledger"),
    "rule.version": N_("A version of an automated rule in the ledger"),
    "rule.detection": N_("A detection by an automated rule in the ledger"),
    "rule.quarantine": N_("An automated rule set aside after an error, in the ledger"),
    "rule.release": N_("An automated rule put back to work, in the ledger"),
    "rule.review_draw": N_("A draw of rule detections for blind review in the ledger"),
    "rule.review": N_("A blind review of a rule detection in the ledger"),
    "notes.status": N_("A community note's status change in the ledger"),
    "notes.run_held": N_("A notes scoring run held for review, in the ledger"),
    "notes.run_released": N_("A held notes scoring run released, in the ledger"),
    "notes.run_discarded": N_("A held notes scoring run discarded, in the ledger"),
    "audit.review_draw": N_("A draw of decisions for blind second review in the ledger"),
    "audit.impartiality": N_("A published impartiality audit run in the ledger"),
    "audit.alert": N_("An impartiality audit alert in the ledger"),
    "transparency.report": N_("A published transparency report in the ledger"),
}
"""Each kind of entry the server writes, as the entry's page names it (a test finds every
kind in the code and checks it is here)."""


@dataclass(frozen=True)
class ShownEntry:
    """One entry as the pages show it."""

    index: int
    entry: Entry

    @property
    def heading(self) -> str:
        """The page's heading, untranslated (the template translates it)."""
        return ENTRY_HEADINGS.get(self.entry.type, N_("An entry of the ledger"))

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
