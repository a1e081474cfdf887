"""The policy set as JSON: every policy with its current clauses, and one policy with the
full history of each clause (`/api/v1/townsquare/policies[/<id>]`). Public, read-only."""

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.moderation import ActionKind, Clause, Policy, PolicySet

__all__ = ["ClauseEntity", "PolicyEntity", "PolicyHistoryEntity", "policy_routes"]


class ClauseEntity(msgspec.Struct, kw_only=True):
    """One version of a clause, as decisions cite it (`ref` is `id@version`)."""

    id: str
    ref: str
    policy: str
    number: int
    version: int
    title: dict[str, str]
    text: dict[str, str]
    ground: str
    dsa_category: str
    dsa_keywords: list[str]
    allowed_actions: list[str]
    content_hash: str


class ClauseHistoryEntity(msgspec.Struct, kw_only=True):
    """A clause and every one of its versions, oldest first."""

    id: str
    number: int
    current_version: int
    versions: list[ClauseEntity]


class PolicyEntity(msgspec.Struct, kw_only=True):
    """A policy with the current version of each clause."""

    id: str
    title: dict[str, str]
    summary: dict[str, str]
    clauses: list[ClauseEntity]


class PolicyHistoryEntity(msgspec.Struct, kw_only=True):
    """A policy with every version of each clause."""

    id: str
    title: dict[str, str]
    summary: dict[str, str]
    clauses: list[ClauseHistoryEntity]


def _clause(clause: Clause) -> ClauseEntity:
    return ClauseEntity(
        id=clause.id,
        ref=clause.ref,
        policy=clause.policy,
        number=clause.number,
        version=clause.version,
        title=dict(clause.title),
        text=dict(clause.text),
        ground=clause.ground.value,
        dsa_category=clause.dsa_category,
        dsa_keywords=list(clause.dsa_keywords),
        allowed_actions=[a.value for a in ActionKind if a in clause.allowed_actions],
        content_hash=clause.content_hash,
    )


def _history(policies: PolicySet, clause: Clause) -> ClauseHistoryEntity:
    return ClauseHistoryEntity(
        id=clause.id,
        number=clause.number,
        current_version=clause.version,
        versions=[_clause(version) for version in policies.history(clause.id)],
    )


def _policy(policies: PolicySet, policy: Policy) -> PolicyEntity:
    return PolicyEntity(
        id=policy.id,
        title=dict(policy.title),
        summary=dict(policy.summary),
        clauses=[_clause(clause) for clause in policies.clauses_of(policy.id)],
    )


@get("/api/v1/townsquare/policies", sync_to_thread=False)
def list_policies(policies: NamedDependency[PolicySet]) -> list[PolicyEntity]:
    """Every policy, by id, with the current version of each clause."""
    return [_policy(policies, policies.policies[id]) for id in sorted(policies.policies)]


@get("/api/v1/townsquare/policies/{policy_id:str}", sync_to_thread=False)
def show_policy(
    policies: NamedDependency[PolicySet], policy_id: FromPath[str]
) -> PolicyHistoryEntity:
    """One policy with every version of each clause, oldest first (404 if unknown)."""
    policy = policies.policy(policy_id)
    return PolicyHistoryEntity(
        id=policy.id,
        title=dict(policy.title),
        summary=dict(policy.summary),
        clauses=[_history(policies, clause) for clause in policies.clauses_of(policy.id)],
    )


policy_routes = [list_policies, show_policy]
