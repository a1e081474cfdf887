"""Who may use the moderation pages, and the choices their forms offer.

The services decide every refusal that matters (`NotAModeratorError`, `OwnContentError`…);
these checks only spare a member a page they cannot use, as a 403 page, and send an
anonymous visitor to sign in first.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from litestar.exceptions import PermissionDeniedException

from townsquare.microblog import Account, Role
from townsquare.moderation import ActionKind, Clause, PolicySet
from townsquare.web._visitors import Visitor

__all__ = [
    "ClauseGroup",
    "clause_groups",
    "ends_at",
    "may_moderate",
    "require_moderator",
    "territories",
]

_MODERATING = frozenset({Role.MODERATOR, Role.ADMIN})


def may_moderate(visitor: Visitor) -> bool:
    """Whether the visitor is a signed-in moderator or admin (to offer staff links)."""
    return visitor.account is not None and visitor.account.role in _MODERATING


def require_moderator(account: Account) -> Account:
    """`account` if it moderates; raises a 403 otherwise."""
    if account.role not in _MODERATING:
        raise PermissionDeniedException()
    return account


@dataclass(frozen=True)
class ClauseGroup:
    """A policy's current clauses, titled in the visitor's language, for a clause picker."""

    title: str
    clauses: tuple[tuple[str, str], ...]  # (clause@version, title)


def clause_groups(
    policies: PolicySet, visitor: Visitor, allowing: ActionKind | None = None
) -> list[ClauseGroup]:
    """Every policy's current clauses (only those allowing `allowing`, when given)."""
    language = visitor.language
    groups = []
    for policy in policies.policies.values():
        chosen = [c for c in policies.clauses_of(policy.id) if _allows(c, allowing)]
        if chosen:
            shown = tuple((c.ref, f"{c.number}. {c.title_in(language)}") for c in chosen)
            groups.append(ClauseGroup(policy.title_in(language), shown))
    return sorted(groups, key=lambda group: group.title)


def _allows(clause: Clause, action: ActionKind | None) -> bool:
    return action is None or action in clause.allowed_actions


def territories(raw: str) -> tuple[str, ...]:
    """Country codes typed as "FR, DE" → ("DE", "FR"); empty means everywhere."""
    codes = {part.strip().upper() for part in raw.replace(";", ",").split(",")}
    return tuple(sorted(code for code in codes if code))


def ends_at(raw: str) -> datetime | None:
    """A YYYY-MM-DD date → midnight UTC that day; empty → no end. Raises `ValueError`."""
    text = raw.strip()
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None
