"""Planning the demo's outside requests: a pure function of the world plan, the cases already
planned and the seed.

After the cases, five requests arrive, one a day: the prefecture about two posts giving a
wrong polling date (one labelled, one left up: partially complied), a court order to remove
a defamatory post, sealed until well after the demo (its answer sealed too), a trusted
flagger whose notice is declined, a rights holder who withdraws, and the regulator's request
still waiting for its case. Each item is a post no case used; the demo's moderators log the
requests and decide their cases. Loading them is `_moderation_loader`'s job.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random

from townsquare.demo._cast import STAFF
from townsquare.demo._moderation_plan import PlannedCase, PostRef
from townsquare.demo._plan import WorldPlan
from townsquare.moderation import ActionKind, Ground, RequesterKind

__all__ = ["PlannedItemDecision", "PlannedRequest", "plan_requests"]

COURT_RELEASE = datetime(2027, 9, 1, tzinfo=UTC)
"""The court order's seal lifts long after the demo's dates, so the demo shows one sealed."""


@dataclass(frozen=True)
class PlannedItemDecision:
    """What the item's case decides (None in `PlannedRequest.decisions`: left undecided)."""

    action: ActionKind
    clause: str  # "id@version"
    facts: str
    label: str = ""  # the text a label shows


@dataclass(frozen=True)
class PlannedRequest:
    """A request as it arrives, the decisions its items' cases take, and how it closes:
    `closing` is ("answer" | "withdraw", reasons), or None while it waits."""

    requester_kind: RequesterKind
    requester: str
    country: str | None
    legal_basis: str
    ground: Ground
    requested_action: ActionKind
    summary: str
    items: tuple[PostRef, ...]
    decisions: tuple[PlannedItemDecision | None, ...]
    logged_by: int  # a staff member, by index in the cast
    moderator: int
    closing: tuple[str, str] | None
    release_at: datetime | None = None


def plan_requests(
    world: WorldPlan, cases: Sequence[PlannedCase], seed: int
) -> tuple[PlannedRequest, ...]:
    """The five requests, on posts none of `cases` names."""
    rng = Random(f"requests:{seed}")  # noqa: S311 (reproducible fiction, not secrets)
    used = {
        c.target.index for c in cases if isinstance(c.target, PostRef) and not c.target.incident
    }
    free = [i for i in range(len(world.posts)) if i not in used]
    picked = rng.sample(free, 6)
    index = {person.username: i for i, person in enumerate(world.cast)}
    admin, first, second = (index[person.username] for person in STAFF)  # alix, noor, theo

    def post(n: int) -> PostRef:
        return PostRef(picked[n])

    return (
        PlannedRequest(
            RequesterKind.GOVERNMENT,
            "Préfecture de la Région Auvergne-Rhône-Alpes",
            "FR",
            "Code électoral, art. L. 52-1 et R. 26",
            Ground.ILLEGAL_CONTENT,
            ActionKind.REMOVE,
            "Asks to remove two posts that give a wrong date for the second round.",
            (post(0), post(1)),
            (
                PlannedItemDecision(
                    ActionKind.LABEL,
                    "civic-integrity/1@2",
                    "The post gives a wrong date for the second round; labelled with the "
                    "official date rather than removed.",
                    "The second round is on the date the official election notice gives.",
                ),
                PlannedItemDecision(
                    ActionKind.NO_ACTION,
                    "civic-integrity/1@2",
                    "The post quotes the wrong date in order to correct it.",
                ),
            ),
            admin,
            first,
            (
                "answer",
                "One post was labelled with the official date; the other corrects the "
                "error it quotes and stays up. Neither was removed.",
            ),
        ),
        PlannedRequest(
            RequesterKind.COURT,
            "Tribunal judiciaire de Lyon",
            "FR",
            "Ordonnance de référé (loi du 29 juillet 1881, art. 29)",
            Ground.ILLEGAL_CONTENT,
            ActionKind.REMOVE,
            "An order to remove a post found defamatory, not to be disclosed before "
            "the hearing on the merits.",
            (post(2),),
            (
                PlannedItemDecision(
                    ActionKind.REMOVE,
                    "illegal-content/3@1",
                    "The post accuses a named person of a crime without any basis; it is "
                    "defamatory under French law.",
                ),
            ),
            admin,
            second,
            ("answer", "Removed on receipt of the order."),
            COURT_RELEASE,
        ),
        PlannedRequest(
            RequesterKind.TRUSTED_FLAGGER,
            "Point de Contact",
            "FR",
            "DSA, art. 22 (trusted flagger notice)",
            Ground.ILLEGAL_CONTENT,
            ActionKind.REMOVE,
            "Flags a post as hateful conduct against a group.",
            (post(3),),
            (
                PlannedItemDecision(
                    ActionKind.NO_ACTION,
                    "hateful-conduct/2@1",
                    "The post criticises a party's programme; it targets no protected group.",
                ),
            ),
            first,
            second,
            ("answer", "Declined: the post is political criticism, not hateful conduct."),
        ),
        PlannedRequest(
            RequesterKind.RIGHTS_HOLDER,
            "Radio Confluences",
            "FR",
            "Code de la propriété intellectuelle, art. L. 336-2",
            Ground.ILLEGAL_CONTENT,
            ActionKind.GEO_RESTRICT,
            "Asks to restrict in France a post quoting a broadcast.",
            (post(4),),
            (None,),
            second,
            first,
            ("withdraw", "The broadcaster wrote that the quotation is covered by its licence."),
        ),
        PlannedRequest(
            RequesterKind.REGULATOR,
            "Arcom",
            "FR",
            "Loi n° 2004-575 (LCEN), art. 6-4",
            Ground.INCOMPATIBLE_CONTENT,
            ActionKind.REDUCE_REACH,
            "Asks us to review a post amplified by accounts it believes coordinated.",
            (post(5),),
            (None,),
            admin,
            first,
            None,
        ),
    )
