"""The audit's dataset, read from a server's own tables: what `townsquare audit export-dataset`
publishes and what the live audit runs on, so an outsider reruns exactly the server's audit.

Anonymised: accounts and posts are numbered in the order of their ids (`a1`, `a2`, … and
`p1`, `p2`, …); no handle, text, reporter or moderator appears. The group labels are the
sensitive part (an inferred viewpoint is personal data), so nothing links a number back to an
account. Reposts are not posts here (they carry no text of their own to moderate). A post its
author deleted after a report or a decision stays in, with the author its case or decision
names: leaving it out would drop decisions from the audit.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from townsquare.audits._dataset import (
    AuditAccount,
    AuditDataset,
    AuditDecision,
    AuditDecisionTime,
    AuditHelpfulNote,
    AuditPost,
    AuditReview,
)
from townsquare.audits._viewpoints import Viewpoint
from townsquare.ledger import decode_entry
from townsquare.moderation import ActionKind, disagrees
from townsquare.notes import NoteStatus
from townsquare.storage import tables

__all__ = ["dataset_from_database"]

_NOT_DECISIONS = ("restore",)  # a restoration undoes a decision; the reversal is counted on it


@dataclass(frozen=True)
class _Names:
    """The published names of accounts and posts, and each post's author."""

    accounts: Mapping[int, str]
    posts: Mapping[int, str]
    authors: Mapping[int, int]


def dataset_from_database(conn: Connection, groups: Mapping[int, Viewpoint]) -> AuditDataset:
    """Every account with its group, every post with its reports, every decision on a post,
    the blind second reviews answered (None when there are none, so a server without them
    publishes the same files as before), the posts that show a Helpful community note, and
    how long decisions on cases took.

    (1) name accounts and posts; (2) count each post's reports and its first cited clause;
    (3) read each decision on a post, with whether it was automated, appealed and reversed;
    (4) each answered second review, with whether it disagreed with the decision drawn;
    (5) the posts whose note is currently rated helpful; (6) the hours from each post
    case's opening to each decision taken on it."""
    names = _names(conn)  # (1)
    accounts = tuple(
        AuditAccount(name, groups.get(account_id, Viewpoint.NEITHER).value)
        for account_id, name in names.accounts.items()
    )
    reviews = tuple(_reviews(conn, names))  # (4)
    return AuditDataset(
        accounts=accounts,
        posts=tuple(_posts(conn, names)),  # (2)
        decisions=tuple(_decisions(conn, names)),  # (3)
        reviews=reviews or None,
        helpful_notes=tuple(_helpful_notes(conn, names)),  # (5)
        decision_times=tuple(_decision_times(conn, names)),  # (6)
    )


def _names(conn: Connection) -> _Names:
    account_ids = conn.scalars(select(tables.accounts.c.id).order_by(tables.accounts.c.id))
    accounts = {account_id: f"a{n}" for n, account_id in enumerate(account_ids, 1)}
    authors = _authors(conn)
    kept = sorted(post_id for post_id, author in authors.items() if author in accounts)
    return _Names(
        accounts=accounts,
        posts={post_id: f"p{n}" for n, post_id in enumerate(kept, 1)},
        authors=authors,
    )


def _authors(conn: Connection) -> dict[int, int]:
    """Each post's author: from the post, or, for a deleted post, from its decisions and cases."""
    posts, actions, cases = tables.posts, tables.moderation_actions, tables.moderation_cases
    found: dict[int, int] = {}
    for query in (
        select(cases.c.post_id, cases.c.account_id).where(cases.c.post_id.is_not(None)),
        select(actions.c.post_id, actions.c.account_id).where(
            actions.c.target_kind == "post", actions.c.account_id.is_not(None)
        ),
        select(posts.c.id, posts.c.account_id).where(posts.c.reblog_of_id.is_(None)),
    ):
        found.update(_pairs(conn.execute(query)))
    return found


def _pairs(rows: Iterable[Any]) -> dict[int, int]:
    return {int(key): int(value) for key, value in rows}


def _posts(conn: Connection, names: _Names) -> Iterable[AuditPost]:
    reports = _report_counts(conn)
    clauses = _first_clauses(conn)
    for post_id, name in names.posts.items():
        yield AuditPost(
            post_id=name,
            account_id=names.accounts[names.authors[post_id]],
            reports=reports.get(post_id, 0),
            report_clause=clauses.get(post_id, ""),
        )


def _report_counts(conn: Connection) -> dict[int, int]:
    cases, reports = tables.moderation_cases, tables.moderation_reports
    rows = conn.execute(
        select(cases.c.post_id, func.count(reports.c.id))
        .join(reports, reports.c.case_id == cases.c.id)
        .where(cases.c.post_id.is_not(None))
        .group_by(cases.c.post_id)
    )
    return {post_id: int(count) for post_id, count in rows}


def _first_clauses(conn: Connection) -> dict[int, str]:
    """What the first report on each post said it breaks: the clause it cited, or, citing
    none, its category (`spam`, `legal`, `violation`, `other`), so the audit can compare
    like with like either way."""
    cases, reports = tables.moderation_cases, tables.moderation_reports
    rows = conn.execute(
        select(cases.c.post_id, reports.c.clause, reports.c.category)
        .join(reports, reports.c.case_id == cases.c.id)
        .where(cases.c.post_id.is_not(None))
        .order_by(reports.c.id)
    )
    first: dict[int, str] = {}
    for post_id, clause, category in rows:
        first.setdefault(post_id, _clause_id(clause) if clause else category)
    return first


def _clause_id(cited: str) -> str:
    """`civic-integrity/3` of `civic-integrity/3@2`: strata are clauses, not their versions."""
    return cited.partition("@")[0]


def _decisions(conn: Connection, names: _Names) -> Iterable[AuditDecision]:
    actions = tables.moderation_actions
    appealed = _appeal_outcomes(conn)
    rows = conn.execute(
        select(actions.c.id, actions.c.kind, actions.c.post_id, actions.c.clause, actions.c.entry)
        .where(actions.c.target_kind == "post", actions.c.kind.not_in(_NOT_DECISIONS))
        .order_by(actions.c.id)
    )
    for action_id, kind, post_id, clause, entry in rows:
        if post_id not in names.posts:
            continue  # its author's account was deleted too: nothing to attribute it to
        outcomes = appealed.get(action_id, ())
        yield AuditDecision(
            post_id=names.posts[post_id],
            action="none" if kind == "no_action" else kind,
            clause=_clause_id(clause),
            automated=_automated(entry),
            appealed=bool(outcomes),
            reversed="reversed" in outcomes,
        )


def _appeal_outcomes(conn: Connection) -> dict[int, tuple[str, ...]]:
    appeals = tables.moderation_appeals
    found: dict[int, list[str]] = {}
    for action_id, state in conn.execute(select(appeals.c.action_id, appeals.c.state)):
        found.setdefault(action_id, []).append(state)
    return {action_id: tuple(states) for action_id, states in found.items()}


def _automated(entry: bytes) -> bool:
    """Whether the statement of reasons says an automated means decided (DSA-TDB's field)."""
    decided = decode_entry(entry).fields.get("automated_decision")
    return decided not in (None, "AUTOMATED_DECISION_NOT_AUTOMATED")


def _reviews(conn: Connection, names: _Names) -> Iterable[AuditReview]:
    """One row per answered second review, in the order the decisions were drawn; whether
    it disagreed is `moderation.disagrees` (another action than the one taken)."""
    reviews, actions = tables.second_reviews, tables.moderation_actions
    rows = conn.execute(
        select(actions.c.post_id, actions.c.kind, reviews.c.action)
        .join(actions, actions.c.id == reviews.c.action_id)
        .where(reviews.c.reviewed_at.is_not(None))
        .order_by(reviews.c.draw_id, reviews.c.decision_index)
    )
    for post_id, original, second in rows:
        if post_id in names.posts:
            disagreed = disagrees(ActionKind(original), ActionKind(second))
            yield AuditReview(names.posts[post_id], disagreed)


def _helpful_notes(conn: Connection, names: _Names) -> Iterable[AuditHelpfulNote]:
    statuses = tables.note_statuses
    helpful = conn.scalars(
        select(statuses.c.post_id)
        .where(statuses.c.status == NoteStatus.CURRENTLY_RATED_HELPFUL.value)
        .distinct()
        .order_by(statuses.c.post_id)
    )
    for post_id in helpful:
        if post_id in names.posts:
            yield AuditHelpfulNote(names.posts[post_id])


def _decision_times(conn: Connection, names: _Names) -> Iterable[AuditDecisionTime]:
    """Hours from a case's opening (its first report, or a rule's detection) to each decision
    on it, to 1/10,000 of an hour (a third of a second); restorations are not decisions."""
    actions, cases = tables.moderation_actions, tables.moderation_cases
    rows = conn.execute(
        select(cases.c.post_id, cases.c.opened_at, actions.c.created_at)
        .join(actions, actions.c.case_id == cases.c.id)
        .where(
            cases.c.post_id.is_not(None),
            actions.c.target_kind == "post",
            actions.c.kind.not_in(_NOT_DECISIONS),
        )
        .order_by(actions.c.id)
    )
    for post_id, opened_at, decided_at in rows:
        if post_id in names.posts:
            hours = max((decided_at - opened_at).total_seconds(), 0.0) / 3600
            yield AuditDecisionTime(names.posts[post_id], round(hours, 4))
