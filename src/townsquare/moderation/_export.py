"""The DSA statements-of-reasons export: our logged statements projected onto the DSA
Transparency Database's submission schema (its API documentation).

One object per *restricting* decision, the ones with a DSA restriction type (a
`decision_*` field): no-action decisions, warnings and restores stay in our own API, which
lists every decision. Field names and enum keys are the DSA-TDB API's, exactly; every object
is checked by `validate_statement` (pure) before anything is written or served.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TextIO

from sqlalchemy import select

from townsquare.kernel import InvalidInputError
from townsquare.ledger import JSON, canonical_json, decode_entry
from townsquare.moderation._policies import DSA_CATEGORIES, DSA_KEYWORDS
from townsquare.moderation._policy_errors import ModerationError
from townsquare.storage import Database
from townsquare.storage.tables import moderation_actions

__all__ = [
    "EEA_COUNTRIES",
    "InvalidStatementError",
    "Statements",
    "dsa_statement",
    "validate_statement",
    "write_statements",
]

EEA_COUNTRIES = frozenset(
    # app/Services/EuropeanCountriesService.php (reference 1.3, `territorial_scope`)
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
_VISIBILITY = frozenset(
    f"DECISION_VISIBILITY_{name}"
    for name in (
        "CONTENT_REMOVED",
        "CONTENT_DISABLED",
        "CONTENT_DEMOTED",
        "CONTENT_AGE_RESTRICTED",
        "CONTENT_INTERACTION_RESTRICTED",
        "CONTENT_LABELLED",
        "OTHER",
    )
)
_MONETARY = frozenset(
    {"DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION", "DECISION_MONETARY_OTHER"}
)
_PROVISION = frozenset(
    f"DECISION_PROVISION_{size}_{what}"
    for size in ("PARTIAL", "TOTAL")
    for what in ("SUSPENSION", "TERMINATION")
)
_ACCOUNT = frozenset({"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"})
_ILLEGAL, _INCOMPATIBLE = "DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"
_CONTENT_TYPES = frozenset(
    f"CONTENT_TYPE_{name}"
    for name in ("APP", "AUDIO", "IMAGE", "PRODUCT", "SYNTHETIC_MEDIA", "TEXT", "VIDEO", "OTHER")
)
_SOURCES = frozenset(
    {
        "SOURCE_ARTICLE_16",
        "SOURCE_TRUSTED_FLAGGER",
        "SOURCE_TYPE_OTHER_NOTIFICATION",
        "SOURCE_VOLUNTARY",
    }
)
_AUTOMATED = frozenset(
    {"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"}
)
_END_DATES = (
    "end_date_visibility_restriction",
    "end_date_monetary_restriction",
    "end_date_service_restriction",
    "end_date_account_restriction",
)
_RESTRICTIONS = (
    "decision_visibility",
    "decision_monetary",
    "decision_provision",
    "decision_account",
)
_PUID = re.compile(r"[a-zA-Z0-9\-_]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_EXPLANATION = 2000

# Every field the DSA-TDB accepts (reference 1.3); anything else is refused by the validator.
_KNOWN_FIELDS = frozenset(
    {
        *_RESTRICTIONS,
        "decision_visibility_other",
        "decision_monetary_other",
        "account_type",
        "decision_ground",
        "decision_ground_reference_url",
        "illegal_content_legal_ground",
        "illegal_content_explanation",
        "incompatible_content_ground",
        "incompatible_content_explanation",
        "incompatible_content_illegal",
        "decision_facts",
        "content_type",
        "content_type_other",
        "content_language",
        "content_date",
        "content_id",
        "category",
        "category_addition",
        "category_specification",
        "category_specification_other",
        "territorial_scope",
        "application_date",
        *_END_DATES,
        "source_type",
        "source_identity",
        "automated_detection",
        "automated_decision",
        "puid",
    }
)
# Copied as logged: the statement of reasons already uses the DSA-TDB's names (`_reasons`).
_COPIED = (
    *_RESTRICTIONS,
    "decision_visibility_other",
    "decision_ground",
    "illegal_content_legal_ground",
    "incompatible_content_ground",
    "decision_facts",
    "category",
    "category_specification",
    "content_type",
    "source_type",
    "automated_detection",
    "automated_decision",
    "application_date",
    *_END_DATES,
)


class InvalidStatementError(ModerationError, InvalidInputError):
    """Raised when a statement of reasons breaks a DSA-TDB submission rule; the message names
    the statement's `puid`, the field, what was expected and what was found."""


def dsa_statement(fields: Mapping[str, JSON]) -> dict[str, JSON] | None:
    """The DSA-TDB statement for a logged `moderation.decision` entry's fields, or None when
    the decision has no DSA restriction type (no action, warning, restore). Pure.

    Empty values are left out (the DSA-TDB reads a missing optional field as "none").
    """
    if not any(fields.get(name) for name in _RESTRICTIONS):
        return None
    statement: dict[str, JSON] = {name: fields.get(name) for name in _COPIED}
    # The statement's date is the decision's when the content has none (a URL block).
    statement["content_date"] = fields.get("content_date") or fields.get("application_date")
    statement["territorial_scope"] = _scope(fields.get("territorial_scope"))
    explanation = _explanation(fields)
    if fields.get("decision_ground") == _ILLEGAL:
        statement["illegal_content_explanation"] = explanation
    else:
        statement["incompatible_content_explanation"] = explanation
    statement["puid"] = f"townsquare-action-{fields.get('action_id')}"
    return {name: value for name, value in statement.items() if value not in (None, [], "")}


def _scope(logged: JSON) -> list[JSON]:
    """A geo-restriction's EU/EEA countries; otherwise the restriction applies everywhere,
    so the whole EU/EEA (countries outside it are not the DSA-TDB's to record)."""
    if isinstance(logged, list) and logged:
        return [code for code in logged if code in EEA_COUNTRIES]
    return list[JSON](sorted(EEA_COUNTRIES))


def _explanation(fields: Mapping[str, JSON]) -> str:
    """Why the content breaks the ground cited: the facts, cut to the DSA-TDB's 2000
    characters (the full facts travel in `decision_facts`)."""
    facts = str(fields.get("decision_facts") or "")
    if len(facts) <= _MAX_EXPLANATION:
        return facts
    return facts[: _MAX_EXPLANATION - 1] + "…"


def validate_statement(statement: Mapping[str, JSON]) -> None:
    """Return nothing, or raise `InvalidStatementError` naming the first rule broken
    (`StatementStoreRequest.php` rules, reference 1.3)."""
    check = _Checker(statement)
    for rule in _RULES:
        rule(check)


class _Checker:
    def __init__(self, statement: Mapping[str, JSON]) -> None:
        self.statement = statement
        self.puid = str(statement.get("puid", "?"))

    def get(self, name: str) -> JSON:
        return self.statement.get(name)

    def require(self, condition: bool, name: str, expected: str) -> None:
        if not condition:
            found = self.statement.get(name)
            raise InvalidStatementError(
                f"statement {self.puid}: {name}: expected {expected}, found {found!r}"
            )

    def one_of(self, name: str, allowed: frozenset[str], *, required: bool = False) -> None:
        value = self.get(name)
        if value is None and not required:
            return
        self.require(value in allowed, name, f"one of {sorted(allowed)}")

    def list_of(self, name: str, allowed: frozenset[str], *, required: bool = False) -> None:
        value = self.get(name)
        if value is None and not required:
            return
        ok = isinstance(value, list) and bool(value) and all(v in allowed for v in value)
        self.require(ok, name, f"a non-empty list of {sorted(allowed)}")

    def text(self, name: str, most: int, *, required: bool) -> None:
        value = self.get(name)
        if value is None and not required:
            return
        ok = isinstance(value, str) and 0 < len(value) <= most
        self.require(ok, name, f"a text of 1 to {most} characters")

    def absent(self, name: str, why: str) -> None:
        self.require(self.get(name) is None, name, f"no value ({why})")

    def date_between(self, name: str, low: date, high: date, *, required: bool) -> None:
        value = self.get(name)
        if value is None and not required:
            return
        ok = isinstance(value, str) and _DATE.fullmatch(value) is not None
        ok = ok and low <= date.fromisoformat(str(value)) <= high
        self.require(ok, name, f"a YYYY-MM-DD date from {low} to {high}")


def _known_fields(check: _Checker) -> None:
    unknown = sorted(set(check.statement) - _KNOWN_FIELDS)
    check.require(not unknown, "fields", f"only DSA-TDB field names, not {unknown}")


def _restriction(check: _Checker) -> None:
    present = [name for name in _RESTRICTIONS if check.get(name) is not None]
    check.require(bool(present), "decision_visibility", f"at least one of {list(_RESTRICTIONS)}")
    check.list_of("decision_visibility", _VISIBILITY)
    check.one_of("decision_monetary", _MONETARY)
    check.one_of("decision_provision", _PROVISION)
    check.one_of("decision_account", _ACCOUNT)
    _other(check, "decision_visibility", "DECISION_VISIBILITY_OTHER")
    _other(check, "decision_monetary", "DECISION_MONETARY_OTHER")
    check.one_of("account_type", frozenset({"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"}))


def _other(check: _Checker, name: str, other_key: str) -> None:
    value = check.get(name)
    chosen = value == other_key or (isinstance(value, list) and other_key in value)
    if chosen:
        check.text(f"{name}_other", 500, required=True)
    else:
        check.absent(f"{name}_other", f"only with {other_key}")


_GROUND_FIELDS = {
    _ILLEGAL: (("illegal_content_legal_ground", 500), ("illegal_content_explanation", 2000)),
    _INCOMPATIBLE: (
        ("incompatible_content_ground", 500),
        ("incompatible_content_explanation", 2000),
    ),
}


def _ground(check: _Checker) -> None:
    check.one_of("decision_ground", frozenset(_GROUND_FIELDS), required=True)
    ground = check.get("decision_ground")
    for key, names in _GROUND_FIELDS.items():
        for name, most in names:
            if key == ground:
                check.text(name, most, required=True)
            else:
                check.absent(name, f"only with {key}")
    if ground != _INCOMPATIBLE:
        check.absent("incompatible_content_illegal", f"only with {_INCOMPATIBLE}")
    check.one_of("incompatible_content_illegal", frozenset({"Yes", "No"}))
    check.text("decision_ground_reference_url", 500, required=False)
    check.text("decision_facts", 5000, required=True)


def _content(check: _Checker) -> None:
    check.list_of("content_type", _CONTENT_TYPES, required=True)
    _other(check, "content_type", "CONTENT_TYPE_OTHER")
    check.date_between("content_date", date(2000, 1, 1), date(2038, 1, 1), required=True)
    language = check.get("content_language")
    ok = language is None or (isinstance(language, str) and re.fullmatch(r"[A-Z]{2}", language))
    check.require(bool(ok), "content_language", "an uppercase ISO 639-1 code such as EN")


def _category(check: _Checker) -> None:
    check.one_of("category", DSA_CATEGORIES, required=True)
    check.list_of("category_addition", DSA_CATEGORIES)
    check.list_of("category_specification", DSA_KEYWORDS)
    check.text("category_specification_other", 500, required=False)


def _scope_and_dates(check: _Checker) -> None:
    check.list_of("territorial_scope", EEA_COUNTRIES)
    check.date_between("application_date", date(2020, 1, 1), date.max, required=True)
    for name in _END_DATES:
        check.date_between(name, date(2020, 1, 1), date.max, required=False)


def _source_and_automation(check: _Checker) -> None:
    check.one_of("source_type", _SOURCES, required=True)
    if check.get("source_type") == "SOURCE_VOLUNTARY":
        check.absent("source_identity", "a voluntary decision names no notifier")
    check.text("source_identity", 500, required=False)
    check.one_of("automated_detection", frozenset({"Yes", "No"}), required=True)
    check.one_of("automated_decision", _AUTOMATED, required=True)
    puid = check.get("puid")
    ok = isinstance(puid, str) and len(puid) <= 500 and _PUID.fullmatch(puid) is not None
    check.require(ok, "puid", "1 to 500 characters of letters, digits, - and _")


_RULES: tuple[Callable[[_Checker], None], ...] = (
    _known_fields,
    _restriction,
    _ground,
    _content,
    _category,
    _scope_and_dates,
    _source_and_automation,
)


class Statements:
    """The export read from the decisions as logged (`moderation_actions.entry`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def page(self, *, limit: int, max_id: int | None = None) -> list[tuple[int, dict[str, JSON]]]:
        """Up to `limit` (action id, statement) pairs, newest first, older than `max_id`.
        Actions without a statement are skipped, so a page may be shorter than `limit`."""
        query = select(moderation_actions.c.id, moderation_actions.c.entry)
        if max_id is not None:
            query = query.where(moderation_actions.c.id < max_id)
        query = query.order_by(moderation_actions.c.id.desc()).limit(limit)
        with self._db.read() as conn:
            rows = conn.execute(query).all()
        return [(row.id, s) for row in rows if (s := _checked(row.entry)) is not None]

    def all(self) -> list[dict[str, JSON]]:
        """Every statement, oldest first, each validated."""
        query = select(moderation_actions.c.entry).order_by(moderation_actions.c.id)
        with self._db.read() as conn:
            entries = conn.execute(query).scalars().all()
        return [s for entry in entries if (s := _checked(entry)) is not None]


def _checked(entry: bytes) -> dict[str, JSON] | None:
    statement = dsa_statement(decode_entry(entry).fields)
    if statement is not None:
        validate_statement(statement)
    return statement


def write_statements(statements: Iterable[Mapping[str, JSON]], out: TextIO) -> int:
    """Validate every statement, then write them as JSON Lines; the count written. Nothing
    is written if any statement is invalid (as the DSA-TDB's batch API is all or nothing)."""
    checked = list(statements)
    for statement in checked:
        validate_statement(statement)
    for statement in checked:
        out.write(canonical_json(dict(statement)).decode() + "\n")
    return len(checked)
