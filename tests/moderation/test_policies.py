"""Policies as code: the files load strictly, clauses are found by id and id@version, and each
clause version is recorded in the ledger exactly once."""

import threading
import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from townsquare.app import Services
from townsquare.kernel import InvalidInputError, NotFoundError
from townsquare.ledger import decode_entry
from townsquare.moderation import (
    ActionKind,
    Ground,
    PolicyError,
    PolicySet,
    UnknownClauseError,
    default_policy_directory,
    load_policies,
    record_policies,
)
from townsquare.moderation._policies import DSA_CATEGORIES
from townsquare.moderation._policy_files import PACKAGED_DIRECTORY, policy_directory_near
from townsquare.storage.tables import ledger_pending, policy_versions

REPOSITORY = Path(__file__).parents[2]
DSA_TDB_CATEGORIES = Path(__file__).parent / "dsa_tdb" / "categories.txt"  # see its README
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

VERSION = """
[[clauses.versions]]
version = {version}
title.en = "No spam"
title.fr = "Pas de spam"
text.en = "{text}"
text.fr = "Ne publiez pas de spam."
ground = "incompatible_content"
dsa_category = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"
dsa_keywords = []
allowed_actions = ["remove", "warn"]
"""
HEADER = """
[policy]
title.en = "Spam"
title.fr = "Spam"
summary.en = "About spam."
summary.fr = "Sur le spam."

[[clauses]]
number = 1
"""


def write_policy(directory: Path, *texts: str, name: str = "spam") -> Path:
    """A one-clause policy file whose versions have the English `texts`, oldest first."""
    versions = "".join(VERSION.format(version=i + 1, text=t) for i, t in enumerate(texts))
    path = directory / f"{name}.toml"
    path.write_text(HEADER + versions, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def defaults() -> PolicySet:
    return load_policies(default_policy_directory())


# -- the default set --------------------------------------------------------------------------


def test_the_default_set_covers_the_required_policies(defaults: PolicySet) -> None:
    assert set(defaults.policies) >= {
        "illegal-content",
        "violent-threats",
        "harassment",
        "hateful-conduct",
        "private-information",
        "impersonation",
        "spam-and-platform-manipulation",
        "synthetic-media",
        "civic-integrity",
    }
    for policy in defaults.policies.values():
        assert 2 <= len(policy.clause_ids) <= 5, policy.id
    assert sum(len(defaults.history(id)) > 1 for id in defaults.clauses) >= 2


def dsa_tdb_categories() -> frozenset[str]:
    """The DSA-TDB `category` keys since 1 July 2025, as vendored from its API documentation."""
    lines = DSA_TDB_CATEGORIES.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def test_the_loader_accepts_exactly_the_dsa_tdb_categories() -> None:
    assert len(dsa_tdb_categories()) == 16
    assert dsa_tdb_categories() == DSA_CATEGORIES


def test_dsa_categories_and_keywords_are_the_reference_enum_keys(defaults: PolicySet) -> None:
    categories = dsa_tdb_categories()
    for clause in (c for id in defaults.clauses for c in defaults.history(id)):
        assert clause.ground in set(Ground)
        assert clause.dsa_category in categories
        assert all(k.startswith("KEYWORD_") for k in clause.dsa_keywords)
        assert clause.allowed_actions <= set(ActionKind)


def test_ground_maps_to_the_dsa_decision_ground() -> None:
    assert Ground.ILLEGAL_CONTENT.decision_ground == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert Ground.INCOMPATIBLE_CONTENT.decision_ground == "DECISION_GROUND_INCOMPATIBLE_CONTENT"


def test_clauses_are_found_by_id_and_by_id_at_version(defaults: PolicySet) -> None:
    current = defaults.clause("civic-integrity/1")
    assert current.ref == "civic-integrity/1@2"
    assert defaults.clause("civic-integrity/1@2") == current
    first = defaults.clause("civic-integrity/1@1")
    assert first.version == 1
    assert first.content_hash != current.content_hash
    assert defaults.history("civic-integrity/1") == (first, current)


@pytest.mark.parametrize("asked", ["civic-integrity/99", "civic-integrity/1@3", "nothing@1"])
def test_an_unknown_clause_names_what_is_valid(defaults: PolicySet, asked: str) -> None:
    with pytest.raises(UnknownClauseError, match="expected one of") as raised:
        defaults.clause(asked)
    assert isinstance(raised.value, NotFoundError)
    assert "civic-integrity/1" in str(raised.value)


def test_history_is_oldest_first(tmp_path: Path) -> None:
    write_policy(tmp_path, "One.", "Two.", "Three.")
    history = load_policies(tmp_path).history("spam/1")
    assert [c.version for c in history] == [1, 2, 3]
    assert [c.text["en"] for c in history] == ["One.", "Two.", "Three."]


def test_a_set_built_from_clauses_alone_has_one_version_each(defaults: PolicySet) -> None:
    clause = defaults.clause("harassment/2")
    alone = PolicySet(clauses={clause.id: clause})
    assert alone.history(clause.id) == (clause,)


# -- where the default set is found ----------------------------------------------------------


def test_a_checkout_finds_the_repository_policies() -> None:
    assert default_policy_directory() == REPOSITORY / "policies"


def test_an_installed_wheel_finds_its_packaged_copy(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "townsquare" / "moderation"
    (package / PACKAGED_DIRECTORY).mkdir(parents=True)
    assert policy_directory_near(package) == package / PACKAGED_DIRECTORY


def test_the_wheel_ships_the_policies_where_the_loader_looks() -> None:
    pyproject = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    force_include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force_include["policies"] == f"townsquare/moderation/{PACKAGED_DIRECTORY}"


def test_no_policies_anywhere_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="found neither"):
        policy_directory_near(tmp_path / "a" / "b" / "c")


# -- validation: each broken file is a PolicyError naming the file and the field --------------

BROKEN = [
    ('ground = "incompatible_content"', 'ground = "tos"', r"clauses\[0\]\.versions\[0\]\.ground"),
    (
        '"STATEMENT_CATEGORY_OTHER_VIOLATION_TC"',
        '"STATEMENT_CATEGORY_SPAM"',
        r"versions\[0\]\.dsa_category",
    ),
    ("dsa_keywords = []", 'dsa_keywords = ["KEYWORD_SPAM"]', r"dsa_keywords\[0\]"),
    ('["remove", "warn"]', '["remove", "ban"]', r"allowed_actions\[1\]"),
    ('["remove", "warn"]', '["remove", "remove"]', r"allowed_actions: expected distinct"),
    ('["remove", "warn"]', "[]", r"allowed_actions: expected a non-empty list"),
    ('text.fr = "Ne publiez pas de spam."\n', "", r"versions\[0\]\.text\.fr"),
    ('title.fr = "Pas de spam"', 'title.fr = "  "', r"versions\[0\]\.title\.fr: expected some"),
    ('title.fr = "Pas de spam"', 'title.de = "Kein Spam"', r"title\.fr"),
    ("version = 1", "version = 2", r"versions\[0\]\.version: expected version 1"),
    ("version = 1", "version = 0", r"versions\[0\]\.version: expected a whole number"),
    ("number = 1", 'number = "one"', r"clauses\[0\]\.number"),
    ('summary.fr = "Sur le spam."', "", r"policy\.summary\.fr"),
    ("number = 1", "number = 1\ncolour = 3", r"clauses\[0\]\.colour: expected only the keys"),
    ("[policy]", "[policy\n", r"expected valid UTF-8 TOML"),
]


@pytest.mark.parametrize(("old", "new", "field"), BROKEN)
def test_a_broken_file_names_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    path = write_policy(tmp_path, "Do not post spam.")
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError, match=rf"spam\.toml.*{field}") as raised:
        load_policies(tmp_path)
    assert isinstance(raised.value, InvalidInputError)


def test_an_unchanged_new_version_is_refused(tmp_path: Path) -> None:
    write_policy(tmp_path, "Same.", "Same.")
    with pytest.raises(PolicyError, match=r"versions\[1\]: expected a change"):
        load_policies(tmp_path)


def test_duplicate_clause_numbers_are_refused(tmp_path: Path) -> None:
    path = write_policy(tmp_path, "One.")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + text.split("[[clauses]]")[1].join(["[[clauses]]", ""]))
    with pytest.raises(PolicyError, match=r"spam\.toml: clauses: expected distinct"):
        load_policies(tmp_path)


def test_a_file_name_must_be_a_policy_id(tmp_path: Path) -> None:
    write_policy(tmp_path, "One.", name="Spam_Policy")
    with pytest.raises(PolicyError, match=r"Spam_Policy\.toml: expected a file name"):
        load_policies(tmp_path)


def test_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="found none"):
        load_policies(tmp_path)


# -- recording in the ledger (both databases) -------------------------------------------------


def _pending_entries(services: Services) -> list[bytes]:
    with services.db.read() as conn:
        return list(
            conn.execute(select(ledger_pending.c.entry).order_by(ledger_pending.c.id)).scalars()
        )


def test_two_servers_starting_at_once_record_each_clause_version_once(
    services: Services,
) -> None:
    # Regression: two `serve` processes starting together on one PostgreSQL database both
    # read "not recorded yet"; the second then failed on the policy_versions key at start-up.
    starting = 2
    barrier = threading.Barrier(starting)
    recorded: list[int] = []
    # PostgreSQL: both transactions are open before either reads. SQLite lets one writer in
    # at a time, so there the two only start together.
    inside = services.db.engine.dialect.name == "postgresql"

    def start() -> None:
        if not inside:
            barrier.wait(timeout=10)
        with services.db.write() as conn:
            if inside:
                barrier.wait(timeout=10)
            recorded.append(record_policies(conn, services.ledger, services.policies, NOW))

    threads = [threading.Thread(target=start) for _ in range(starting)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    policies = services.policies
    versions = sum(len(policies.history(id)) for id in policies.clauses)
    assert sorted(recorded) == [0, versions]
    assert len(_pending_entries(services)) == versions


def test_each_clause_version_is_recorded_once(services: Services) -> None:
    policies = services.policies
    versions = sum(len(policies.history(id)) for id in policies.clauses)
    with services.db.write() as conn:
        assert record_policies(conn, services.ledger, policies, NOW) == versions
    with services.db.write() as conn:
        assert record_policies(conn, services.ledger, policies, NOW) == 0
    entries = [decode_entry(data) for data in _pending_entries(services)]
    assert len(entries) == versions
    first = next(e for e in entries if e.fields["clause"] == "civic-integrity/1")
    clause = policies.clause("civic-integrity/1@1")
    assert (first.type, first.version) == ("policy.version", 1)
    assert dict(first.fields) == {
        "clause": "civic-integrity/1",
        "version": 1,
        "content_hash": clause.content_hash,
        "ground": "DSA_GROUND_INCOMPATIBLE_CONTENT",
        "dsa_category": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    }
    with services.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(policy_versions)).scalar() == versions


def test_a_new_version_appends_only_itself(services: Services, tmp_path: Path) -> None:
    write_policy(tmp_path, "One.")
    with services.db.write() as conn:
        assert record_policies(conn, services.ledger, load_policies(tmp_path), NOW) == 1
    write_policy(tmp_path, "One.", "Two.")
    with services.db.write() as conn:
        assert record_policies(conn, services.ledger, load_policies(tmp_path), NOW) == 1
    assert [decode_entry(e).fields["version"] for e in _pending_entries(services)] == [1, 2]


def test_changed_text_without_a_version_bump_is_refused(services: Services, tmp_path: Path) -> None:
    write_policy(tmp_path, "One.")
    with services.db.write() as conn:
        record_policies(conn, services.ledger, load_policies(tmp_path), NOW)
    write_policy(tmp_path, "One, edited.")
    changed = load_policies(tmp_path)
    with (
        pytest.raises(PolicyError, match=r"spam/1@1: .*bump the version to 2"),
        services.db.write() as conn,
    ):
        record_policies(conn, services.ledger, changed, NOW)
    assert len(_pending_entries(services)) == 1


def test_services_load_the_default_set(services: Services, defaults: PolicySet) -> None:
    assert services.policies == defaults
    assert replace(services, policies=defaults).policies is defaults
