"""Policies as values: a clause version is immutable, hashed, and cited as `id@version`.

A `PolicySet` holds the current version of every clause and each clause's history, so a
decision taken under an older version can still show the text it cited.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from townsquare.ledger import JSON, canonical_json
from townsquare.moderation._policy_errors import UnknownClauseError, UnknownPolicyError

__all__ = [
    "DSA_CATEGORIES",
    "DSA_KEYWORDS",
    "LANGUAGES",
    "ActionKind",
    "Clause",
    "Ground",
    "Policy",
    "PolicySet",
    "clause_hash",
]

LANGUAGES = ("en", "fr")
"""Every clause is written in each of these languages; English is the source."""

DSA_CATEGORIES = frozenset(
    # DSA-TDB `category` enum keys since 1 July 2025 (its API documentation).
    f"STATEMENT_CATEGORY_{name}"
    for name in (
        "ANIMAL_WELFARE",
        "CONSUMER_INFORMATION",
        "CYBER_VIOLENCE",
        "CYBER_VIOLENCE_AGAINST_WOMEN",
        "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        "ILLEGAL_OR_HARMFUL_SPEECH",
        "INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "NOT_SPECIFIED_NOTICE",
        "OTHER_VIOLATION_TC",
        "PROTECTION_OF_MINORS",
        "RISK_FOR_PUBLIC_SECURITY",
        "SCAMS_AND_FRAUD",
        "SELF_HARM",
        "UNSAFE_AND_PROHIBITED_PRODUCTS",
        "VIOLENCE",
    )
)

DSA_KEYWORDS = frozenset(
    # DSA-TDB `category_specification` keys since 1 July 2025:
    # the 69 of the DSA-TDB's API v2 documentation (resources/markdown/api-documentation-two.md,
    # "category_specification"), checked key by key; KEYWORD_STALKING is listed there although
    # the v2 category table names only "Cyber stalking".
    f"KEYWORD_{name}"
    for name in (
        "ADULT_SEXUAL_MATERIAL",
        "AGE_SPECIFIC_RESTRICTIONS",
        "AGE_SPECIFIC_RESTRICTIONS_MINORS",
        "ANIMAL_HARM",
        "BIOMETRIC_DATA_BREACH",
        "BULLYING_AGAINST_GIRLS",
        "CHILD_SEXUAL_ABUSE_MATERIAL",
        "CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE",
        "CONTENT_PROMOTING_EATING_DISORDERS",
        "COORDINATED_HARM",
        "COPYRIGHT_INFRINGEMENT",
        "CYBER_BULLYING_INTIMIDATION",
        "CYBER_HARASSMENT",
        "CYBER_HARASSMENT_AGAINST_WOMEN",
        "CYBER_INCITEMENT",
        "CYBER_STALKING",
        "CYBER_STALKING_AGAINST_WOMEN",
        "DATA_FALSIFICATION",
        "DEFAMATION",
        "DESIGN_INFRINGEMENT",
        "DISCRIMINATION",
        "FEMALE_GENDERED_DISINFORMATION",
        "GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
        "GEOGRAPHICAL_REQUIREMENTS",
        "GOODS_SERVICES_NOT_PERMITTED",
        "GROOMING_SEXUAL_ENTICEMENT_MINORS",
        "HATE_SPEECH",
        "HIDDEN_ADVERTISEMENT",
        "HUMAN_EXPLOITATION",
        "HUMAN_TRAFFICKING",
        "ILLEGAL_ORGANIZATIONS",
        "IMPERSONATION_ACCOUNT_HIJACKING",
        "INAUTHENTIC_ACCOUNTS",
        "INAUTHENTIC_LISTINGS",
        "INAUTHENTIC_USER_REVIEWS",
        "INCITEMENT_AGAINST_WOMEN",
        "INCITEMENT_VIOLENCE_HATRED",
        "INSUFFICIENT_INFORMATION_ON_TRADERS",
        "LANGUAGE_REQUIREMENTS",
        "MISINFORMATION_DISINFORMATION",
        "MISLEADING_INFO_CONSUMER_RIGHTS",
        "MISLEADING_INFO_GOODS_SERVICES",
        "MISSING_PROCESSING_GROUND",
        "NON_CONSENSUAL_IMAGE_SHARING",
        "NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN",
        "NON_CONSENSUAL_MATERIAL_DEEPFAKE",
        "NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN",
        "NONCOMPLIANCE_PRICING",
        "NUDITY",
        "OTHER",
        "PATENT_INFRINGEMENT",
        "PHISHING",
        "PROHIBITED_PRODUCTS",
        "PYRAMID_SCHEMES",
        "RIGHT_TO_BE_FORGOTTEN",
        "RISK_ENVIRONMENTAL_DAMAGE",
        "RISK_PUBLIC_HEALTH",
        "SELF_MUTILATION",
        "STALKING",
        "SUICIDE",
        "TERRORIST_CONTENT",
        "TRADE_SECRET_INFRINGEMENT",
        "TRADEMARK_INFRINGEMENT",
        "TRAFFICKING_WOMEN_GIRLS",
        "UNLAWFUL_SALE_ANIMALS",
        "UNSAFE_CHALLENGES",
        "UNSAFE_PRODUCTS",
        "VIOLATION_EU_LAW",
        "VIOLATION_NATIONAL_LAW",
    )
)


class Ground(StrEnum):
    """Why a clause binds: the law, or only our terms (DSA Art. 17(3)(d)/(e))."""

    ILLEGAL_CONTENT = "DSA_GROUND_ILLEGAL_CONTENT"
    INCOMPATIBLE_CONTENT = "DSA_GROUND_INCOMPATIBLE_CONTENT"

    @property
    def decision_ground(self) -> str:
        """The DSA-TDB `decision_ground` key, e.g. `DECISION_GROUND_ILLEGAL_CONTENT`."""
        return "DECISION_GROUND_" + self.name


class ActionKind(StrEnum):
    """What a moderator may do under a clause (issue 4, "One enforcement path")."""

    LABEL = "label"
    INTERSTITIAL = "interstitial"
    REDUCE_REACH = "reduce_reach"
    REMOVE = "remove"
    GEO_RESTRICT = "geo_restrict"
    WARN = "warn"
    LIMIT = "limit"
    SUSPEND = "suspend"
    BLOCK_URL = "block_url"
    RESTORE = "restore"
    NO_ACTION = "no_action"


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Clause:
    """One version of one clause, e.g. `civic-integrity/3` version 2 (`civic-integrity/3@2`)."""

    id: str  # "civic-integrity/3"
    policy: str  # "civic-integrity"
    number: int
    version: int
    title: Mapping[str, str]  # by language: {"en": …, "fr": …}
    text: Mapping[str, str]
    ground: Ground
    dsa_category: str  # a DSA-TDB STATEMENT_CATEGORY_* key
    dsa_keywords: tuple[str, ...]  # DSA-TDB KEYWORD_* keys (category_specification)
    allowed_actions: frozenset[ActionKind]
    content_hash: str  # sha256 hex of `canonical_clause`, see `clause_hash`

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _frozen(self.title))
        object.__setattr__(self, "text", _frozen(self.text))

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def title_in(self, language: str) -> str:
        """The title in `language`, or in English when the clause lacks that language."""
        return self.title.get(language) or self.title[LANGUAGES[0]]

    def text_in(self, language: str) -> str:
        return self.text.get(language) or self.text[LANGUAGES[0]]


def canonical_clause(clause: Clause) -> Mapping[str, JSON]:
    """Everything a clause version says, as JSON; its hash is the version's identity."""
    return {
        "id": clause.id,
        "version": clause.version,
        "title": dict(clause.title),
        "text": dict(clause.text),
        "ground": clause.ground.value,
        "dsa_category": clause.dsa_category,
        "dsa_keywords": list[JSON](sorted(clause.dsa_keywords)),
        "allowed_actions": list[JSON](sorted(action.value for action in clause.allowed_actions)),
    }


def clause_hash(clause: Clause) -> str:
    """The sha256 (hex) of the clause's canonical JSON (RFC 8785); `content_hash` ignored."""
    return hashlib.sha256(canonical_json(canonical_clause(clause))).hexdigest()


@dataclass(frozen=True)
class Policy:
    """A policy: its id (the file name), title and summary by language, its clause ids."""

    id: str
    title: Mapping[str, str]
    summary: Mapping[str, str]
    clause_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _frozen(self.title))
        object.__setattr__(self, "summary", _frozen(self.summary))

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title[LANGUAGES[0]]

    def summary_in(self, language: str) -> str:
        return self.summary.get(language) or self.summary[LANGUAGES[0]]


@dataclass(frozen=True)
class PolicySet:
    """The current version of each clause by id, every clause's history, and the policies.

    Built from `clauses` alone, each clause's history is just its current version.
    """

    clauses: Mapping[str, Clause]
    histories: Mapping[str, tuple[Clause, ...]] = field(default_factory=dict)
    policies: Mapping[str, Policy] = field(default_factory=dict)

    def __post_init__(self) -> None:
        histories: dict[str, tuple[Clause, ...]] = {id: (c,) for id, c in self.clauses.items()}
        histories.update(self.histories)
        object.__setattr__(self, "clauses", MappingProxyType(dict(self.clauses)))
        object.__setattr__(self, "histories", MappingProxyType(histories))
        object.__setattr__(self, "policies", MappingProxyType(dict(self.policies)))

    def clause(self, ref_or_id: str) -> Clause:
        """The clause `id` (its current version) or `id@version` (that version)."""
        clause_id, at, version = ref_or_id.partition("@")
        if not at:
            return self.clauses[self._known(clause_id, ref_or_id)]
        history = self.histories[self._known(clause_id, ref_or_id)]
        for clause in history:
            if version == str(clause.version):
                return clause
        versions = ", ".join(clause.ref for clause in history)
        raise UnknownClauseError(f"clause {ref_or_id!r}: expected one of {versions}")

    def history(self, clause_id: str) -> tuple[Clause, ...]:
        """Every version of the clause, oldest first."""
        return self.histories[self._known(clause_id, clause_id)]

    def _known(self, clause_id: str, asked: str) -> str:
        if clause_id not in self.clauses:
            raise UnknownClauseError(
                f"clause {asked!r}: expected one of {', '.join(sorted(self.clauses))}, "
                "optionally followed by @version"
            )
        return clause_id

    def policy(self, policy_id: str) -> Policy:
        if policy_id not in self.policies:
            raise UnknownPolicyError(
                f"policy {policy_id!r}: expected one of {', '.join(sorted(self.policies))}"
            )
        return self.policies[policy_id]

    def clauses_of(self, policy_id: str) -> tuple[Clause, ...]:
        """The current version of each clause of the policy, by number."""
        return tuple(self.clauses[id] for id in self.policy(policy_id).clause_ids)
