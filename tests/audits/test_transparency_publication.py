"""Publishing a report appends one `transparency.report` entry committing to the SHA-256 of
its JSON; the same numbers again append nothing; a period not over is refused."""

import hashlib
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from audits.transparency_world import (
    FIRST_SCHEMA,
    PERIOD,
    World,
    build_world,
    publish_in_first_schema,
)
from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.audits import (
    REPORT_ENTRY_TYPE,
    REPORT_SCHEMA,
    InvalidPeriodError,
    ReportPeriod,
    TransparencyReports,
)
from townsquare.kernel import FixedClock
from townsquare.ledger import decode_entry
from townsquare.storage.tables import ledger_entries, ledger_pending


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 5, tzinfo=UTC))


@pytest.fixture
def world(
    services: Services, clock: FixedClock, make_account: AccountFactory, make_post: PostFactory
) -> World:
    return build_world(services, clock, make_account, make_post)


@pytest.fixture
def reports(services: Services, clock: FixedClock) -> TransparencyReports:
    return TransparencyReports(services.db, services.ledger, clock)


def _report_entries(services: Services) -> list[dict[str, object]]:
    with services.db.read() as conn:
        rows = [
            *conn.execute(select(ledger_entries.c.entry).order_by(ledger_entries.c.idx)).scalars(),
            *conn.execute(select(ledger_pending.c.entry).order_by(ledger_pending.c.id)).scalars(),
        ]
    entries = [decode_entry(row) for row in rows]
    return [dict(e.fields) for e in entries if e.type == REPORT_ENTRY_TYPE]


def test_the_ledger_entry_holds_the_sha256_of_report_json_and_the_period(
    world: World, services: Services, reports: TransparencyReports
) -> None:
    published = reports.publish(PERIOD)
    assert published.appended
    assert published.sha256 == hashlib.sha256(published.document).hexdigest()
    assert published.document == reports.live(PERIOD).document
    [entry] = _report_entries(services)
    assert entry["sha256"] == hashlib.sha256(published.document).hexdigest()
    assert (entry["period_from"], entry["period_to"]) == ("2026-01-01", "2026-07-01")


def test_publishing_the_same_numbers_again_appends_nothing(
    world: World, services: Services, reports: TransparencyReports
) -> None:
    first = reports.publish(PERIOD)
    services.ledger.integrate()
    again = reports.publish(PERIOD)
    assert not again.appended
    assert again.sha256 == first.sha256
    assert len(_report_entries(services)) == 1
    [listed] = reports.published()
    assert listed.ledger_index is not None
    assert decode_entry(services.ledger.entry(listed.ledger_index)).type == REPORT_ENTRY_TYPE


def test_replay_and_the_projection_check_accept_report_entries(
    world: World, services: Services, reports: TransparencyReports
) -> None:
    reports.publish(PERIOD)
    services.ledger.integrate()
    assert services.moderation.check_projection().matches


def test_a_period_not_over_is_not_published(
    world: World, services: Services, reports: TransparencyReports
) -> None:
    with pytest.raises(InvalidPeriodError, match="not over yet"):
        reports.publish(ReportPeriod(date(2026, 7, 1), date(2027, 1, 1)))
    assert _report_entries(services) == []
    assert reports.published() == []


def test_a_report_published_in_the_first_schema_keeps_its_bytes_and_a_new_one_is_logged(
    world: World, services: Services, clock: FixedClock, reports: TransparencyReports
) -> None:
    old_sha256 = publish_in_first_schema(services, PERIOD, clock.now())
    [old] = reports.published(PERIOD)
    assert (old.sha256, old.schema) == (old_sha256, FIRST_SCHEMA)
    assert hashlib.sha256(old.document).hexdigest() == old_sha256
    new = reports.publish(PERIOD)
    assert new.appended
    assert new.schema == REPORT_SCHEMA != FIRST_SCHEMA
    assert [e["schema"] for e in _report_entries(services)] == [FIRST_SCHEMA, REPORT_SCHEMA]
    assert {p.sha256 for p in reports.published(PERIOD)} == {old_sha256, new.sha256}
    [kept] = [p for p in reports.published(PERIOD) if p.sha256 == old_sha256]
    assert kept.document == old.document
