"""The demo's automated-rules stories, planned: who posts what, and who decides.

Four stories, each for a rule's record to show something:
(1) a link-spam ring: new accounts posting, in bursts, links to domains on the published
    blocklist of malicious links; the malicious-links rule removes each post at once and the
    link-spam rule sends each account to the moderators, who limit it;
(2) a copy-paste campaign: members paste one promotional text (and a few reword it); the
    copied-text rule opens a case on each identical copy, and a moderator decides the first
    with every copy in one step;
(3) a false positive: a member's warning against a phishing domain links to it, is removed by
    the rule, appealed and reversed;
(4) a second campaign, left in the queue for whoever tries the demo (and its browser test).
Pure: the same world and seed always give the same plan.
"""

from dataclasses import dataclass
from random import Random

from townsquare.demo._cast import NAMED
from townsquare.demo._moderation_plan import AccountRef, ModerationPlan
from townsquare.demo._plan import WorldPlan
from townsquare.microblog import Role

__all__ = [
    "DECIDING_CLAUSE",
    "PlannedCampaign",
    "PlannedFalsePositive",
    "PlannedSpammer",
    "RulesPlan",
    "plan_rules",
]

DECIDING_CLAUSE = "spam-and-platform-manipulation/1@1"
"""The clause moderators cite on the rules' cases: the one link-spam and copied-text enforce."""

_POSTS_PER_SPAMMER = 6  # link-spam@1 counts 6 posts with links in 10 minutes
_COPIERS = 5  # copied-text@1 counts the same text from 5 accounts


@dataclass(frozen=True)
class PlannedSpammer:
    """A new account of the ring and the posts it publishes in a burst."""

    username: str
    display_name: str
    language: str
    posts: tuple[str, ...]


@dataclass(frozen=True)
class PlannedFalsePositive:
    """A member's post the malicious-links rule removes wrongly, their appeal and its
    reversal by a moderator the rule's decision did not involve."""

    author: int
    text: str
    appeal: str
    reviewer: int
    reasons: str


@dataclass(frozen=True)
class PlannedCampaign:
    """One text pasted by `copiers` (identical, casing and spacing aside) and reworded by
    `rewriters`; decided by `moderator` with all its copies, or left open (`moderator` None)."""

    text: str
    language: str
    variants: tuple[str, ...]
    copiers: tuple[int, ...]
    rewriters: tuple[int, ...]
    moderator: int | None
    facts: str


@dataclass(frozen=True)
class RulesPlan:
    spammers: tuple[PlannedSpammer, ...]
    moderator: int  # limits the ring's accounts
    facts: str  # the facts of those decisions
    false_positive: PlannedFalsePositive
    campaigns: tuple[PlannedCampaign, ...]
    reviewers: tuple[int, ...]  # who answer the blind reviews of the rules' detections

    @property
    def copies(self) -> int:
        """Copies the decided campaigns' decisions cover (each its own decision)."""
        return sum(len(c.copiers) - 1 + len(c.rewriters) for c in self.campaigns if c.moderator)


_SPAM = (
    (
        "colis_suivi_express",
        "Suivi Colis Express",
        "fr",
        "Votre colis n°{n} est bloqué : réglez 1,99 € de frais de relivraison sur "
        "https://parcel-redelivery-fee.example/suivi/{n}",
    ),
    (
        "account_check_desk",
        "Account Check Desk",
        "en",
        "Your account will be closed today unless you verify it: "
        "https://account-verify.example/login?case={n}",
    ),
    (
        "cadeaux_crypto_now",
        "Cadeaux Crypto",
        "fr",
        "Dernières heures : 0,5 BTC offert aux 100 premiers inscrits ! "
        "https://free-crypto-giveaway.invalid/claim/{n}",
    ),
)

_WARNING = (
    "Attention, arnaque : des SMS demandent de payer des « frais de relivraison » sur "
    "https://parcel-redelivery-fee.example. Ne cliquez pas et ne payez rien, aucun "
    "transporteur ne demande cela par SMS."
)

_CAMPAIGNS = (
    (
        "fr",
        "Le nouveau Café Lumière, rue des Tanneurs, est de loin le meilleur café de la ville. "
        "Allez-y de ma part et partagez ce message !",
        (
            ("de loin le meilleur", "vraiment le meilleur"),
            ("partagez ce message", "faites tourner ce message"),
            ("de loin le meilleur", "sans hésiter le meilleur"),
            ("Allez-y de ma part", "Allez-y vite"),
            ("de la ville", "du quartier"),
            ("Le nouveau", "Le tout nouveau"),
        ),
        "The same promotional text for one café, pasted or barely reworded by {n} accounts "
        "within the hour, none of which had mentioned it before: a coordinated campaign. "
        "Its reach is reduced on every copy.",
    ),
    (
        "en",
        "Just switched to Brightwave Mobile and my phone bill halved overnight. Best network "
        "around, switch today and tell your friends!",
        (
            ("halved overnight", "halved in a month"),
            ("tell your friends", "tell everyone you know"),
            ("Best network around", "Best network in France"),
        ),
        "",
    ),
)


def plan_rules(world: WorldPlan, moderation: ModerationPlan, seed: int) -> RulesPlan:
    """The stories for `world`, cast among members the moderation plan leaves alone.
    Raises ValueError when the world has too few such members."""
    rng = Random(f"rules:{seed}")  # noqa: S311 (reproducible fiction, not secrets)
    staff = [i for i, p in enumerate(world.cast) if p.role != Role.MEMBER]
    noor, theo = _named(world, "noor"), _named(world, "theo")
    members = _uninvolved_members(world, moderation)
    campaigns = []
    for language, text, rewordings, facts in _CAMPAIGNS:
        needed = _COPIERS + len(rewordings)
        if len(members) < needed:
            raise ValueError(f"the rules' stories need {needed} members no case is about")
        picked = rng.sample(members, needed)  # one member may fall for both campaigns
        copiers, rewriters = tuple(picked[:_COPIERS]), tuple(picked[_COPIERS:])
        variants = tuple(text.replace(old, new) for old, new in rewordings)
        decided = noor if facts else None
        said = facts.format(n=needed)
        campaigns.append(
            PlannedCampaign(text, language, variants, copiers, rewriters, decided, said)
        )
    return RulesPlan(
        spammers=tuple(_spammer(rng, *spam) for spam in _SPAM),
        moderator=noor,
        facts=(
            "Six posts linking to listed phishing domains in under ten minutes, from an "
            "account a few hours old; each post was removed by the malicious-links rule. "
            "Limited so that the next wave reaches no one."
        ),
        false_positive=PlannedFalsePositive(
            author=_named(world, "camille"),
            text=_WARNING,
            appeal=(
                "Je mettais en garde contre cette arnaque, je ne la diffusais pas : mon message "
                "dit de ne pas cliquer."
            ),
            reviewer=theo,
            reasons=(
                "The post warns readers against the listed domain instead of luring them to "
                "it. The blocklist is right about the domain; the removal was wrong about "
                "this post."
            ),
        ),
        campaigns=tuple(campaigns),
        reviewers=(theo, noor, *(i for i in staff if i not in (theo, noor))),
    )


def _spammer(rng: Random, username: str, name: str, language: str, text: str) -> PlannedSpammer:
    numbers = rng.sample(range(10_000, 99_999), _POSTS_PER_SPAMMER)
    return PlannedSpammer(username, name, language, tuple(text.format(n=n) for n in numbers))


def _named(world: WorldPlan, username: str) -> int:
    return next(i for i, p in enumerate(world.cast) if p.username == username)


def _uninvolved_members(world: WorldPlan, moderation: ModerationPlan) -> list[int]:
    """Generated members no case is about as an account: a campaign's copier must not be one
    the moderators warned, limited or suspended."""
    involved = {c.target.account for c in moderation.cases if isinstance(c.target, AccountRef)}
    return [
        i
        for i, p in enumerate(world.cast)
        if i >= len(NAMED) and p.role == Role.MEMBER and i not in involved
    ]
