"""The matchers: an event and the window in, the rules' detections and the next window out.

Pure: no database, no clock but the event's time, no state but the `Window` value passed in
and returned. A windowed rule fires when its count crosses its threshold with this event
(so a burst of forty posts opens one case, not thirty), and again only after the count has
fallen back below it.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from townsquare.moderation._decisions import AccountTarget, PostTarget
from townsquare.moderation.rules._blocklists import listed_domain
from townsquare.moderation.rules._detections import Detection
from townsquare.moderation.rules._events import (
    Event,
    PostCreated,
    PostEdited,
    ReportFiled,
)
from townsquare.moderation.rules._fingerprints import (
    Fingerprints,
    exact_fingerprints,
    normalise_text,
)
from townsquare.moderation.rules._rules import (
    MassMentions,
    NewAccountSwarm,
    PostingBurst,
    ReportStorm,
    Rule,
    RuleSet,
    SameText,
    UrlBlocklist,
)
from townsquare.moderation.rules._window import DEFAULT_CAPACITY, Sighting, Window

__all__ = ["Matched", "match_event", "sighting_of", "start_window"]


@dataclass(frozen=True)
class Matched:
    """The detections of one event (by rule id, then target), and the window after it."""

    detections: tuple[Detection, ...]
    window: Window


def start_window(rules: RuleSet, capacity: int = DEFAULT_CAPACITY) -> Window:
    """An empty window reaching as far back as the longest window of `rules`."""
    return Window(horizon=rules.horizon, capacity=capacity)


def match_event(
    rules: RuleSet,
    window: Window,
    event: Event,
    fingerprints: Fingerprints = exact_fingerprints,
) -> Matched:
    """Run every current rule of `rules` on `event`.

    (1) digest the event into a sighting, if it is an act the windowed rules count;
    (2) add it to the window; (3) ask each rule, in id order, what it finds.
    `fingerprints` decides when two texts are the same (exact by default; a near-duplicate
    matcher plugs in here).
    """
    # (1)
    sighting = sighting_of(event, fingerprints)
    # (2)
    if sighting is not None and window.holds(sighting):
        sighting = None  # an event delivered twice: counted once, windowed rules not rerun
    after = window if sighting is None else window.observe(sighting)
    # (3)
    found = (
        detection
        for id in sorted(rules.rules)
        for detection in _detections(rules.rules[id], event, sighting, after)
    )
    return Matched(tuple(found), after)


def sighting_of(event: Event, fingerprints: Fingerprints = exact_fingerprints) -> Sighting | None:
    """The act `event` adds to the window: a new post or a report; None for the others."""
    if isinstance(event, PostCreated):
        author = event.author.account_id
        normalised = normalise_text(event.text, event.urls)
        aims = {f"account:{m}" for m in event.mentions if m != author}
        if event.in_reply_to is not None:
            aims.add(f"post:{event.in_reply_to}")
        return Sighting(
            at=event.at,
            account_id=author,
            account_created_at=event.author.created_at,
            post_id=event.post_id,
            links=len(event.urls),
            mentions=frozenset(m for m in event.mentions if m != author),
            aims=frozenset(aims),
            fingerprints=fingerprints(normalised) if normalised else frozenset(),
            characters=len(normalised),
        )
    if isinstance(event, ReportFiled):
        target = event.target
        aim = (
            f"post:{target.post_id}"
            if isinstance(target, PostTarget)
            else f"account:{target.account_id}"
        )
        reporter = event.reporter
        return Sighting(event.at, reporter.account_id, reporter.created_at, aims=frozenset({aim}))
    return None


def _detections(
    rule: Rule, event: Event, sighting: Sighting | None, window: Window
) -> Iterable[Detection]:
    match = rule.match
    if isinstance(match, UrlBlocklist):
        return _blocklisted(rule, match, event)
    if sighting is None or window.now is None or sighting.at <= window.now - match.window:
        return ()  # not an act the windowed rules count, or too late for this rule's window
    recent = window.within(match.window)
    if isinstance(match, PostingBurst):
        return _burst(rule, match, sighting, recent)
    if isinstance(match, SameText):
        return _same_text(rule, match, sighting, recent)
    if isinstance(match, NewAccountSwarm):
        return _swarm(rule, match, sighting, recent)
    if isinstance(match, ReportStorm):
        return _storm(rule, match, event, sighting, recent)
    return _mentions(rule, match, sighting, recent)


# -- one function per kind ----------------------------------------------------------------


def _blocklisted(rule: Rule, match: UrlBlocklist, event: Event) -> Iterator[Detection]:
    if not isinstance(event, PostCreated | PostEdited):
        return
    listed = sorted({d for url in event.urls if (d := listed_domain(match.blocklist, url))})
    if listed:
        what = "edited to link" if isinstance(event, PostEdited) else "links"
        facts = (
            f"Post {event.post_id} {what} to {', '.join(listed)}, on the published blocklist "
            f"{match.blocklist.name!r} (sources: {'; '.join(match.blocklist.sources)})."
        )
        target = PostTarget(event.post_id)
        yield _detection(rule, target, event.author.account_id, facts, event.at)


def _burst(
    rule: Rule, match: PostingBurst, sighting: Sighting, recent: tuple[Sighting, ...]
) -> Iterator[Detection]:
    if sighting.post_id is None or (match.links_only and not sighting.links):
        return
    counted = [
        s
        for s in recent
        if s.account_id == sighting.account_id
        and s.post_id is not None
        and (s.links or not match.links_only)
    ]
    if _crosses(len(counted) - 1, len(counted), match.min_posts):
        what = "posts with links" if match.links_only else "posts"
        facts = (
            f"Account {sighting.account_id} published {len(counted)} {what} in less than "
            f"{_span(match.window)} (the rule counts {match.min_posts})."
        )
        target = AccountTarget(sighting.account_id)
        yield _detection(rule, target, sighting.account_id, facts, sighting.at)


def _same_text(
    rule: Rule, match: SameText, sighting: Sighting, recent: tuple[Sighting, ...]
) -> Iterator[Detection]:
    if sighting.post_id is None or sighting.characters < match.min_characters:
        return
    copies = [
        s
        for s in recent
        if s.post_id is not None
        and s.characters >= match.min_characters
        and s.fingerprints & sighting.fingerprints
    ]
    accounts = _distinct(s.account_id for s in copies)
    earlier = _distinct(s.account_id for s in copies if s is not sighting)
    if _crosses(len(earlier), len(accounts), match.min_accounts):
        matched = copies  # the threshold is crossed now: every copy in the window
    elif len(earlier) >= match.min_accounts:
        matched = [sighting]  # already crossed: only the new copy
    else:
        return
    posts = _some(s.post_id for s in copies)
    for copy in matched:
        facts = (
            f"Post {copy.post_id} has the same text as posts by {len(accounts)} accounts "
            f"published in less than {_span(match.window)} (the rule counts "
            f"{match.min_accounts}): posts {posts}."
        )
        target = PostTarget(_post_id(copy))
        yield _detection(rule, target, copy.account_id, facts, sighting.at)


def _swarm(
    rule: Rule, match: NewAccountSwarm, sighting: Sighting, recent: tuple[Sighting, ...]
) -> Iterator[Detection]:
    def young(s: Sighting) -> bool:
        return s.at - s.account_created_at < match.max_account_age

    if not young(sighting):
        return
    flagged: set[int] = set()
    for aim in sorted(sighting.aims):
        acting = [s for s in recent if aim in s.aims and young(s)]
        accounts = _distinct(s.account_id for s in acting)
        earlier = _distinct(s.account_id for s in acting if s is not sighting)
        if _crosses(len(earlier), len(accounts), match.min_accounts):
            matched = accounts
        elif len(earlier) >= match.min_accounts and sighting.account_id not in earlier:
            matched = [sighting.account_id]
        else:
            continue
        kind, _, number = aim.partition(":")
        for account in (a for a in matched if a not in flagged):
            flagged.add(account)
            facts = (
                f"Account {account} is one of {len(accounts)} accounts, each less than "
                f"{_span(match.max_account_age)} old, that acted on {kind} {number} in less "
                f"than {_span(match.window)} (the rule counts {match.min_accounts}): "
                f"accounts {_some(accounts)}."
            )
            yield _detection(rule, AccountTarget(account), account, facts, sighting.at)


def _mentions(
    rule: Rule, match: MassMentions, sighting: Sighting, recent: tuple[Sighting, ...]
) -> Iterator[Detection]:
    if sighting.post_id is None or not sighting.mentions:
        return
    own = [s for s in recent if s.account_id == sighting.account_id]
    everyone = frozenset[int]().union(*(s.mentions for s in own))
    before = frozenset[int]().union(*(s.mentions for s in own if s is not sighting))
    if _crosses(len(before), len(everyone), match.max_mentions + 1):
        facts = (
            f"Account {sighting.account_id} mentioned {len(everyone)} distinct accounts in "
            f"less than {_span(match.window)}, over the limit of {match.max_mentions}; post "
            f"{sighting.post_id} went over it."
        )
        target = PostTarget(_post_id(sighting))
        yield _detection(rule, target, sighting.account_id, facts, sighting.at)


def _storm(
    rule: Rule, match: ReportStorm, event: Event, sighting: Sighting, recent: tuple[Sighting, ...]
) -> Iterator[Detection]:
    if not isinstance(event, ReportFiled) or event.about is None:
        return  # only a report counts, and only one whose item's author is known
    target = event.target
    aim = (
        f"post:{target.post_id}"
        if isinstance(target, PostTarget)
        else f"account:{target.account_id}"
    )
    reports = [s for s in recent if s.post_id is None and aim in s.aims]
    if _crosses(len(reports) - 1, len(reports), match.min_reports):
        kind, _, number = aim.partition(":")
        facts = (
            f"The {kind} {number} was reported {len(reports)} times in less than "
            f"{_span(match.window)} (the rule counts {match.min_reports}): a storm of "
            f"reports, weighed as one; it does not raise the case's severity."
        )
        yield _detection(rule, target, event.about, facts, sighting.at)


# -- shared pieces ------------------------------------------------------------------------


def _crosses(before: int, after: int, threshold: int) -> bool:
    """Whether this event took a count from below `threshold` to it or beyond."""
    return before < threshold <= after


def _distinct(ids: Iterable[int]) -> list[int]:
    """The ids in order of first appearance, each once."""
    return list(dict.fromkeys(ids))


def _some(ids: Iterable[int | None], shown: int = 20) -> str:
    """The first `shown` ids, then how many more: facts stay short (a statement's facts
    hold at most 5,000 characters) however large the swarm."""
    listed = [str(i) for i in ids]
    more = f" and {len(listed) - shown} more" if len(listed) > shown else ""
    return ", ".join(listed[:shown]) + more


def _post_id(sighting: Sighting) -> int:
    if sighting.post_id is None:  # the callers count only posts
        raise ValueError("a post's sighting without a post id")
    return sighting.post_id


def _detection(
    rule: Rule, target: PostTarget | AccountTarget, about: int, facts: str, at: datetime
) -> Detection:
    return Detection(
        rule=rule.id,
        rule_version=rule.version,
        clause=rule.clause,
        target=target,
        about=about,
        effect=rule.effect,
        action=rule.action,
        severity=rule.severity,
        facts=f"Automated rule {rule.ref}: {facts}",
        detected_at=at,
    )


def _span(span: timedelta) -> str:
    """`timedelta(minutes=10)` → "10 minutes"; the largest whole unit."""
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
