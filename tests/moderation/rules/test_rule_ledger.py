"""Each rule version is recorded in the ledger exactly once (a `rule.version` entry); a
restart appends nothing, and a recorded version whose text changed is refused."""

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderation.rules.factories import write_blocklist, write_rule
from townsquare.app import Services
from townsquare.ledger import decode_entry
from townsquare.moderation import replay
from townsquare.moderation.rules import (
    RULE_VERSION_ENTRY,
    RuleError,
    default_rule_directory,
    load_rules,
    record_rules,
    recorded_rule_versions,
)
from townsquare.storage.tables import ledger_pending, rule_versions

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _pending_entries(services: Services) -> list[bytes]:
    with services.db.read() as conn:
        return list(
            conn.execute(select(ledger_pending.c.entry).order_by(ledger_pending.c.id)).scalars()
        )


def test_each_rule_version_is_recorded_once(services: Services) -> None:
    rules = load_rules(default_rule_directory(), services.policies)
    versions = len(rules.versions())
    with services.db.write() as conn:
        assert record_rules(conn, services.ledger, rules, NOW) == versions
    with services.db.write() as conn:  # a restart
        assert record_rules(conn, services.ledger, rules, NOW) == 0
    entries = [decode_entry(data) for data in _pending_entries(services)]
    assert len(entries) == versions
    logged = next(e for e in entries if e.fields["rule"] == "malicious-links")
    rule = rules.rule("malicious-links@1")
    assert (logged.type, logged.version) == RULE_VERSION_ENTRY == ("rule.version", 1)
    assert dict(logged.fields) == {
        "rule": "malicious-links",
        "version": 1,
        "content_hash": rule.content_hash,
        "clause": "spam-and-platform-manipulation/3@1",
        "kind": "url_blocklist",
        "effect": "act",
        "action": "remove",
    }
    with services.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(rule_versions)).scalar() == versions
        assert recorded_rule_versions(conn)["malicious-links@1"] == rule.content_hash


def test_a_new_version_appends_only_itself(services: Services, tmp_path: Path) -> None:
    write_rule(tmp_path, "One.")
    with services.db.write() as conn:
        assert (
            record_rules(conn, services.ledger, load_rules(tmp_path, services.policies), NOW) == 1
        )
    write_rule(tmp_path, "One.", "Two.")
    with services.db.write() as conn:
        assert (
            record_rules(conn, services.ledger, load_rules(tmp_path, services.policies), NOW) == 1
        )
    assert [decode_entry(e).fields["version"] for e in _pending_entries(services)] == [1, 2]


def test_changed_text_without_a_new_version_is_refused(services: Services, tmp_path: Path) -> None:
    write_rule(tmp_path, "One.")
    with services.db.write() as conn:
        record_rules(conn, services.ledger, load_rules(tmp_path, services.policies), NOW)
    write_rule(tmp_path, "One, edited.")
    changed = load_rules(tmp_path, services.policies)
    with (
        pytest.raises(RuleError, match=r"rule link-spam@1: .*add version 2 and keep version 1"),
        services.db.write() as conn,
    ):
        record_rules(conn, services.ledger, changed, NOW)
    assert len(_pending_entries(services)) == 1


def test_an_edited_blocklist_under_a_recorded_version_is_refused(
    services: Services, tmp_path: Path
) -> None:
    write_blocklist(tmp_path, "bad-1", "a.example")
    (tmp_path / "bad-links.toml").write_text(
        """
[[versions]]
version = 1
title.en = "Bad links"
title.fr = "Mauvais liens"
description.en = "Removed."
description.fr = "Retirés."
clause = "spam-and-platform-manipulation/3@1"
effect = "act"
action = "remove"

[versions.match]
kind = "url_blocklist"
blocklist = "bad-1"
""",
        encoding="utf-8",
    )
    with services.db.write() as conn:
        record_rules(conn, services.ledger, load_rules(tmp_path, services.policies), NOW)
    write_blocklist(tmp_path, "bad-1", "a.example", "b.example")
    edited = load_rules(tmp_path, services.policies)
    with (
        pytest.raises(RuleError, match=r"rule bad-links@1: expected the text recorded"),
        services.db.write() as conn,
    ):
        record_rules(conn, services.ledger, edited, NOW)


def test_two_servers_starting_at_once_record_each_rule_version_once(services: Services) -> None:
    rules = load_rules(default_rule_directory(), services.policies)
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
            recorded.append(record_rules(conn, services.ledger, rules, NOW))

    threads = [threading.Thread(target=start) for _ in range(starting)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(recorded) == [0, len(rules.versions())]
    assert len(_pending_entries(services)) == len(rules.versions())


def test_replay_passes_over_rule_version_entries(services: Services) -> None:
    rules = load_rules(default_rule_directory(), services.policies)
    with services.db.write() as conn:
        record_rules(conn, services.ledger, rules, NOW)
    replayed = replay(_pending_entries(services))
    assert (replayed.decisions, replayed.restrictions) == (0, frozenset())
