"""The people of the demo world: the staff, a few named members, and generated members.

Everyone is fictional. About a fifth of the members back each of the two parties of the
fictional 2027 election; the rest are neutral. Most write in French, some in English, a few
in both.
"""

import enum
import unicodedata
from dataclasses import dataclass
from random import Random

from townsquare.demo._lexicon import FIRST_NAMES, LAST_NAMES
from townsquare.demo._templates import Genre
from townsquare.demo._writing import write
from townsquare.microblog import RESERVED_HANDLES, Role

__all__ = ["NAMED", "STAFF", "Camp", "Persona", "cast"]


class Camp(enum.StrEnum):
    """Where an account stands in the election: one of the two parties, or neither."""

    HORIZON = "horizon"
    SOCLE = "socle"
    NEUTRAL = "neutral"

    @property
    def opponent(self) -> "Camp | None":
        return {Camp.HORIZON: Camp.SOCLE, Camp.SOCLE: Camp.HORIZON}.get(self)


@dataclass(frozen=True)
class Persona:
    """One demo account and how it behaves."""

    username: str
    display_name: str
    bio: str
    language: str
    camp: Camp
    role: Role = Role.MEMBER
    email: str | None = None
    activity: float = 1.0
    bilingual: bool = False


_DEMO_DOMAIN = "demo.townsquare.invalid"

STAFF: tuple[Persona, ...] = (
    Persona(
        "alix",
        "Alix Moreau",
        "Administratrice de ce serveur de démonstration. I run this demo server.",
        "fr",
        Camp.NEUTRAL,
        Role.ADMIN,
        f"alix@{_DEMO_DOMAIN}",
        activity=3.0,
        bilingual=True,
    ),
    Persona(
        "noor",
        "Noor Haddad",
        "Volunteer moderator. Modératrice bénévole.",
        "en",
        Camp.NEUTRAL,
        Role.MODERATOR,
        f"noor@{_DEMO_DOMAIN}",
        activity=3.0,
        bilingual=True,
    ),
    Persona(
        "theo",
        "Théo Lambert",
        "Modérateur bénévole, cycliste, amateur de polars.",
        "fr",
        Camp.NEUTRAL,
        Role.MODERATOR,
        f"theo@{_DEMO_DOMAIN}",
        activity=3.0,
    ),
)
"""The demo's staff: one administrator and two moderators."""

_NAMED_MEMBERS: tuple[Persona, ...] = (
    Persona(
        "camille",
        "Camille Roux",
        "Journaliste locale. Ici à titre personnel.",
        "fr",
        Camp.NEUTRAL,
        activity=12.0,
    ),
    Persona(
        "sam",
        "Sam Turner",
        "Teacher by day, chess by night. Living in France.",
        "en",
        Camp.NEUTRAL,
        activity=8.0,
        bilingual=True,
    ),
    Persona(
        "margaux",
        "Margaux Girard 🌿",
        "Militante Horizon. Pour le plan climat. #Horizon2027",
        "fr",
        Camp.HORIZON,
        activity=15.0,
    ),
    Persona(
        "gerald",
        "Gérald Perrin",
        "Militant du Socle. Pour la baisse des impôts. #Socle2027",
        "fr",
        Camp.SOCLE,
        activity=15.0,
    ),
    Persona(
        "priya",
        "Priya Shah",
        "Volunteer with the Horizon Movement. #Horizon2027",
        "en",
        Camp.HORIZON,
        activity=8.0,
        bilingual=True,
    ),
    Persona(
        "oliver",
        "Oliver King",
        "Small business owner. Backing the Socle. #Socle2027",
        "en",
        Camp.SOCLE,
        activity=8.0,
    ),
)

NAMED = (*STAFF, *_NAMED_MEMBERS)
"""The accounts every demo world starts with, in this order: staff, then named members."""

_BIO_GENRE = {Camp.HORIZON: Genre.BIO_HORIZON, Camp.SOCLE: Genre.BIO_SOCLE}
_BADGE = {Camp.HORIZON: " 🌿", Camp.SOCLE: " 🔷", Camp.NEUTRAL: ""}


def cast(rng: Random, size: int) -> tuple[Persona, ...]:
    """The staff, the named members, then generated members up to `size` accounts."""
    if size < len(NAMED):
        raise ValueError(f"the demo world needs at least {len(NAMED)} accounts")
    taken = {p.username for p in NAMED} | RESERVED_HANDLES
    generated = [_member(rng, taken) for _ in range(size - len(NAMED))]
    return (*NAMED, *generated)


def _member(rng: Random, taken: set[str]) -> Persona:
    language = "fr" if rng.random() < 0.65 else "en"
    roll = rng.random()
    camp = Camp.HORIZON if roll < 0.22 else Camp.SOCLE if roll < 0.44 else Camp.NEUTRAL
    first = rng.choice(FIRST_NAMES[language])
    last = rng.choice(LAST_NAMES[language])
    username = _handle(rng, first, last, taken)
    taken.add(username)
    display_name = first if rng.random() < 0.2 else f"{first} {last}"
    if rng.random() < 0.3:
        display_name += _BADGE[camp]
    genre = _BIO_GENRE.get(camp, Genre.BIO) if rng.random() < 0.7 else Genre.BIO
    bio = write(rng, language, genre) if rng.random() < 0.85 else ""
    return Persona(
        username=username,
        display_name=display_name,
        bio=bio,
        language=language,
        camp=camp,
        activity=min(40.0, rng.paretovariate(1.3)),
        bilingual=rng.random() < 0.12,
    )


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c == "_"))


def _handle(rng: Random, first: str, last: str, taken: set[str]) -> str:
    f, l_ = _ascii(first), _ascii(last)
    candidates = [c[:30] for c in (f"{f}_{l_}", f"{f}{l_[0]}", f"{f[0]}{l_}", f"{l_}_{f}")]
    rng.shuffle(candidates)
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    while True:
        candidate = f"{f}{rng.randrange(10, 10_000)}"[:30]
        if candidate not in taken:
            return candidate
