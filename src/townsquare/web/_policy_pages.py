"""The policies in public: every policy and clause, and each clause's history with a diff.

A decision cites `clause@version`; these pages show the text of every version, so anyone can
read what a moderator relied on and what changed since. The diff is computed over words and
rendered by the template, which escapes every piece like any other text.
"""

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.moderation import ActionKind, Clause, Ground, Policy, PolicySet
from townsquare.web._messages import N_
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = ["DiffPiece", "policies_page", "policy_page", "word_diff"]

DiffPiece = tuple[str, str]
"""(`same` | `added` | `removed` | `break`, words): one run of a diff, newlines as `break`."""

GROUND_LABELS: Mapping[Ground, str] = {
    Ground.ILLEGAL_CONTENT: N_("Illegal content"),
    Ground.INCOMPATIBLE_CONTENT: N_("Incompatible with the terms of service"),
}
ACTION_LABELS: Mapping[ActionKind, str] = {
    ActionKind.LABEL: N_("Label"),
    ActionKind.INTERSTITIAL: N_("Content warning"),
    ActionKind.REDUCE_REACH: N_("Reduced reach"),
    ActionKind.REMOVE: N_("Removal"),
    ActionKind.GEO_RESTRICT: N_("Restriction in some countries"),
    ActionKind.WARN: N_("Account warning"),
    ActionKind.LIMIT: N_("Account limit"),
    ActionKind.SUSPEND: N_("Account suspension"),
    ActionKind.BLOCK_URL: N_("Link or domain block"),
    ActionKind.RESTORE: N_("Restoration"),
    ActionKind.NO_ACTION: N_("No action"),
}
CATEGORY_LABELS: Mapping[str, str] = {  # the DSA-TDB labels (its API documentation)
    "STATEMENT_CATEGORY_ANIMAL_WELFARE": N_("Animal welfare"),
    "STATEMENT_CATEGORY_CONSUMER_INFORMATION": N_("Consumer information infringements"),
    "STATEMENT_CATEGORY_CYBER_VIOLENCE": N_("Cyber violence"),
    "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN": N_("Cyber violence against women"),
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS": N_(
        "Data protection and privacy violations"
    ),
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH": N_("Illegal or harmful speech"),
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS": N_(
        "Intellectual property infringements"
    ),
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS": N_(
        "Negative effects on civic discourse or elections"
    ),
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE": N_("Type of alleged illegal content not specified"),
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC": N_("Other violation of the terms and conditions"),
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS": N_("Protection of minors"),
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY": N_("Risk for public security"),
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD": N_("Scams and fraud"),
    "STATEMENT_CATEGORY_SELF_HARM": N_("Self-harm"),
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS": N_(
        "Unsafe, non-compliant or prohibited products"
    ),
    "STATEMENT_CATEGORY_VIOLENCE": N_("Violence"),
}
_TOKENS = re.compile(r"\n|[^\S\n]+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _pieces(kind: str, tokens: Sequence[str]) -> list[DiffPiece]:
    """`tokens` as runs of `kind`, each newline its own `break` piece."""
    pieces: list[DiffPiece] = []
    for word in tokens:
        if word == "\n":
            pieces.append(("break", ""))
        elif pieces and pieces[-1][0] == kind:
            pieces[-1] = (kind, pieces[-1][1] + word)
        else:
            pieces.append((kind, word))
    return pieces


def word_diff(old: str, new: str) -> tuple[DiffPiece, ...]:
    """How `new` differs from `old`, word by word: unchanged, removed and added runs."""
    before, after = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[DiffPiece] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            pieces += _pieces("same", before[i1:i2])
            continue
        pieces += _pieces("removed", before[i1:i2])
        pieces += _pieces("added", after[j1:j2])
    return tuple(pieces)


@dataclass(frozen=True)
class ShownVersion:
    """One version of a clause in the visitor's language, with its diff from the previous."""

    clause: Clause
    title: str
    paragraphs: tuple[str, ...]
    actions: tuple[str, ...]
    title_diff: tuple[DiffPiece, ...] | None
    text_diff: tuple[DiffPiece, ...] | None


@dataclass(frozen=True)
class ShownClause:
    """A clause's current version, its labels in the visitor's language and its history."""

    current: ShownVersion
    ground: str
    category: str
    history: tuple[ShownVersion, ...]  # oldest first


def _actions(clause: Clause, visitor: Visitor) -> tuple[str, ...]:
    return tuple(
        visitor.gettext(ACTION_LABELS[a]) for a in ActionKind if a in clause.allowed_actions
    )


def _version(clause: Clause, previous: Clause | None, visitor: Visitor) -> ShownVersion:
    language = visitor.language
    title, text = clause.title_in(language), clause.text_in(language)
    return ShownVersion(
        clause=clause,
        title=title,
        paragraphs=tuple(text.splitlines()),
        actions=_actions(clause, visitor),
        title_diff=word_diff(previous.title_in(language), title) if previous else None,
        text_diff=word_diff(previous.text_in(language), text) if previous else None,
    )


def _shown_clause(policies: PolicySet, clause: Clause, visitor: Visitor) -> ShownClause:
    history = policies.history(clause.id)
    versions = tuple(
        _version(version, history[index - 1] if index else None, visitor)
        for index, version in enumerate(history)
    )
    return ShownClause(
        current=versions[-1],
        ground=visitor.gettext(GROUND_LABELS[clause.ground]),
        category=visitor.gettext(CATEGORY_LABELS.get(clause.dsa_category, clause.dsa_category)),
        history=versions,
    )


def _shown_policy(policies: PolicySet, policy: Policy, visitor: Visitor) -> dict[str, Any]:
    return {
        "id": policy.id,
        "title": policy.title_in(visitor.language),
        "summary": policy.summary_in(visitor.language),
        "clauses": [_shown_clause(policies, c, visitor) for c in policies.clauses_of(policy.id)],
    }


@get("/policies", sync_to_thread=False)
def policies_page(
    visitor: NamedDependency[Visitor], policies: NamedDependency[PolicySet]
) -> Response[Any]:
    """Every policy and the current version of each of its clauses."""
    shown = [_shown_policy(policies, p, visitor) for p in policies.policies.values()]
    return page(visitor, "policies.html", policies=sorted(shown, key=lambda p: p["title"]))


@get("/policies/{policy_id:str}", sync_to_thread=False)
def policy_page(
    visitor: NamedDependency[Visitor],
    policies: NamedDependency[PolicySet],
    policy_id: FromPath[str],
) -> Response[Any]:
    """One policy: each clause with its ground, DSA category, actions and history."""
    policy = policies.policy(policy_id)
    return page(visitor, "policy.html", policy=_shown_policy(policies, policy, visitor))
