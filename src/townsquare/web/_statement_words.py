"""A statement of reasons in words: what each DSA field of a decision says, for people.

The ledger keeps the statement under the DSA Transparency Database's names and enum keys
(`AUTOMATED_DECISION_NOT_AUTOMATED`, `INTERNAL_COMPLAINT_HANDLING`…), which is right for an
export and wrong for a reader. Pages show these words; the raw fields stay available below.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from babel.dates import format_date

from townsquare.ledger import JSON
from townsquare.moderation import ActionKind, Clause
from townsquare.web._messages import N_
from townsquare.web._policy_pages import ACTION_LABELS, CATEGORY_LABELS, GROUND_LABELS
from townsquare.web._surface_words import SURFACE_LABELS
from townsquare.web._visitors import Visitor

__all__ = [
    "REDRESS_LABELS",
    "SOURCE_LABELS",
    "SURFACE_LABELS",
    "StatementInWords",
    "clause_link",
    "statement_in_words",
]

SOURCE_LABELS: Mapping[str, str] = {
    "SOURCE_ARTICLE_16": N_("A report from a member"),
    "SOURCE_TRUSTED_FLAGGER": N_("A notice from a trusted flagger"),
    "SOURCE_TYPE_OTHER_NOTIFICATION": N_("An outside request"),
    "SOURCE_VOLUNTARY": N_("The moderators' own initiative"),
}
REDRESS_LABELS: Mapping[str, str] = {
    "INTERNAL_COMPLAINT_HANDLING": N_("An appeal here, decided by another moderator"),
    "OUT_OF_COURT_DISPUTE_SETTLEMENT": N_("An out-of-court dispute settlement body"),
    "JUDICIAL_REDRESS": N_("The courts"),
}


@dataclass(frozen=True)
class StatementInWords:
    """A statement of reasons as a reader sees it, every value in the visitor's language;
    `raw` is the statement as the ledger records it (JSON), for those who want it."""

    action: str
    clause_ref: str
    clause_title: str
    clause_version: int
    clause_link: str
    ground: str
    category: str
    facts: str
    source: str
    automation: str
    scope: str
    until: str
    surfaces: str
    label: str
    content_warning: str
    redress: tuple[str, ...]
    raw: str


def clause_link(clause: Clause) -> str:
    """Where the policy page shows this version of the clause."""
    return f"/policies/{clause.policy}#clause-{clause.number}-v{clause.version}"


def statement_in_words(
    fields: Mapping[str, JSON], clause: Clause, visitor: Visitor
) -> StatementInWords:
    """`fields` (a `moderation.decision` statement, or its preview) for a reader of
    `visitor`'s language; `clause` is the clause version it cites."""
    say = visitor.gettext
    return StatementInWords(
        action=say(ACTION_LABELS[ActionKind(_text(fields, "action"))]),
        clause_ref=clause.ref,
        clause_title=clause.title_in(visitor.language),
        clause_version=clause.version,
        clause_link=clause_link(clause),
        ground=say(GROUND_LABELS[clause.ground]),
        category=_label(CATEGORY_LABELS, _text(fields, "category"), visitor),
        facts=_text(fields, "decision_facts"),
        source=_label(SOURCE_LABELS, _text(fields, "source_type"), visitor),
        automation=_automation(fields, visitor),
        scope=_scope(_texts(fields, "territorial_scope"), visitor),
        until=_until(fields, visitor),
        surfaces=", ".join(_label(SURFACE_LABELS, s, visitor) for s in _texts(fields, "surfaces")),
        label=_text(fields, "label"),
        content_warning=_text(fields, "content_warning"),
        redress=tuple(_label(REDRESS_LABELS, r, visitor) for r in _texts(fields, "redress")),
        raw=json.dumps(fields, ensure_ascii=False, indent=2, sort_keys=True),
    )


def _automation(fields: Mapping[str, JSON], visitor: Visitor) -> str:
    detected = _text(fields, "automated_detection") == "Yes"
    decided = _text(fields, "automated_decision") not in {"", "AUTOMATED_DECISION_NOT_AUTOMATED"}
    if decided:
        return visitor.gettext("Decided automatically, by a rule the moderators wrote")
    if detected:
        return visitor.gettext("Found automatically, decided by a person")
    return visitor.gettext("Found and decided by people, without automation")


def _scope(codes: Sequence[str], visitor: Visitor) -> str:
    if not codes:
        return visitor.gettext("Everywhere")
    names = Locale.parse(visitor.language).territories
    return ", ".join(names.get(code, code) for code in codes)


def _until(fields: Mapping[str, JSON], visitor: Visitor) -> str:
    end = _text(fields, "end_date_visibility_restriction") or _text(
        fields, "end_date_account_restriction"
    )
    if not end:
        return visitor.gettext("No end date: until it is lifted or reversed")
    written = format_date(date.fromisoformat(end), "long", locale=visitor.language)
    return visitor.gettext("Until %(date)s") % {"date": written}


def _label(labels: Mapping[Any, str], key: str, visitor: Visitor) -> str:
    return visitor.gettext(labels[key]) if key in labels else key


def _text(fields: Mapping[str, JSON], name: str) -> str:
    value = fields.get(name)
    return value if isinstance(value, str) else ""


def _texts(fields: Mapping[str, JSON], name: str) -> list[str]:
    value = fields.get(name)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
