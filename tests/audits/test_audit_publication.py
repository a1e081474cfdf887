"""Publishing an audit run: the run stored, an `audit.impartiality` entry committing to the
hashes of its JSON and its dataset zip, an `audit.alert` entry per alerting comparison, all
in one transaction; the same result again appends nothing."""

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from audits.audit_runs import audits_over
from audits.factories import biased_dataset, make_dataset, simpson_dataset
from townsquare.app import Services
from townsquare.audits import (
    ALERT_ENTRY_TYPE,
    AUDIT_ENTRY_TYPE,
    AUDIT_FORMAT,
    AuditDatasetError,
    AuditParameters,
    AuditRunNotFoundError,
    Metric,
    audit_entries,
    audit_impartiality,
    audit_json,
    read_audit_json,
    read_dataset,
)
from townsquare.kernel import FixedClock
from townsquare.ledger import Entry, decode_entry
from townsquare.storage.tables import ledger_entries, ledger_pending

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _entries(services: Services) -> list[Entry]:
    with services.db.read() as conn:
        rows = [
            *conn.execute(select(ledger_entries.c.entry).order_by(ledger_entries.c.idx)).scalars(),
            *conn.execute(select(ledger_pending.c.entry).order_by(ledger_pending.c.id)).scalars(),
        ]
    return [decode_entry(row) for row in rows if decode_entry(row).type.startswith("audit.")]


def test_an_alerting_run_appends_its_entry_and_one_alert_entry(services: Services) -> None:
    audits = audits_over(services, biased_dataset(), FixedClock(NOW))

    published = audits.publish()

    assert published.appended
    assert published.alert
    assert published.sha256 == hashlib.sha256(published.document).hexdigest()
    run, alert = _entries(services)
    assert (run.type, alert.type) == (AUDIT_ENTRY_TYPE, ALERT_ENTRY_TYPE)
    assert dict(run.fields) == {
        "sha256": published.sha256,
        "dataset_sha256": published.dataset_sha256,
        "format": AUDIT_FORMAT,
        "alert": True,
        "alerting_metrics": [Metric.RESTRICTED_COMPARABLE.value],
    }
    document = json.loads(published.document)
    [alerting] = [c for c in document["comparisons"] if c["alert"]]
    assert alert.fields["audit_sha256"] == published.sha256
    assert alert.fields["metric"] == Metric.RESTRICTED_COMPARABLE.value
    assert alert.fields["groups"] == ["A", "B"]
    assert float(str(alert.fields["ratio"])) == alerting["rate_ratio"]
    assert float(str(alert.fields["ci_low"])) == alerting["ci_low"]
    assert float(str(alert.fields["ci_high"])) == alerting["ci_high"]
    assert float(str(alert.fields["adjusted_p_value"])) == alerting["p_value"]
    assert (alert.fields["threshold"], alert.fields["alpha"]) == ("1.25", "0.05")


def test_a_run_without_alert_appends_no_alert_entry(services: Services) -> None:
    published = audits_over(services, simpson_dataset()).publish()

    [run] = _entries(services)
    assert not published.alert
    assert run.fields["alert"] is False
    assert run.fields["alerting_metrics"] == []


def test_the_same_result_published_again_appends_nothing(services: Services) -> None:
    clock = FixedClock(NOW)
    audits = audits_over(services, biased_dataset(), clock)
    first = audits.publish()
    services.ledger.integrate()
    clock.advance(timedelta(days=1))

    again = audits.publish()

    assert not again.appended
    assert again.sha256 == first.sha256
    assert again.published_at == first.published_at
    assert len(_entries(services)) == 2
    [listed] = audits.published()
    assert listed.ledger_index is not None
    assert decode_entry(services.ledger.entry(listed.ledger_index)).type == AUDIT_ENTRY_TYPE
    [(metric, index)] = listed.alert_indexes
    assert metric == Metric.RESTRICTED_COMPARABLE.value
    assert index == listed.ledger_index + 1


def test_a_different_result_is_a_new_run_and_the_earlier_one_stays(services: Services) -> None:
    clock = FixedClock(NOW)
    first = audits_over(services, biased_dataset(), clock).publish()
    clock.advance(timedelta(days=7))
    later = audits_over(services, simpson_dataset(), clock).publish()

    runs = audits_over(services, simpson_dataset(), clock).published()

    assert [run.sha256 for run in runs] == [later.sha256, first.sha256]
    assert len(_entries(services)) == 3


def test_the_threshold_is_the_runs_parameter(services: Services) -> None:
    published = audits_over(services, biased_dataset()).publish(AuditParameters(threshold=3.0))

    assert not published.alert
    assert json.loads(published.document)["threshold"] == 3.0


def test_the_entries_are_rebuilt_from_the_published_json_alone(services: Services) -> None:
    published = audits_over(services, biased_dataset()).publish()

    entries = audit_entries(published.document, published.dataset_sha256)

    run, alert = _entries(services)
    assert entries.run == run.encode()
    assert [entry for _, entry in entries.alerts] == [alert.encode()]


def test_the_dataset_zip_reruns_to_the_published_json(services: Services, tmp_path: Path) -> None:
    audits = audits_over(services, biased_dataset())
    published = audits.publish()
    archive = audits.dataset(published.sha256)
    assert hashlib.sha256(archive).hexdigest() == published.dataset_sha256

    zipfile.ZipFile(io.BytesIO(archive)).extractall(tmp_path)
    rerun = audit_json(audit_impartiality(read_dataset(tmp_path)))

    assert rerun.encode("utf-8") == published.document


def test_the_dataset_zip_is_the_same_bytes_every_time(services: Services) -> None:
    audits = audits_over(services, make_dataset({("A", "", 0): (3, 1), ("B", "", 0): (3, 0)}))
    assert audits.live().dataset_zip == audits.live().dataset_zip
    names = zipfile.ZipFile(io.BytesIO(audits.live().dataset_zip)).namelist()
    assert names == ["accounts.csv", "decisions.csv", "posts.csv"]


def test_a_published_run_reads_back_as_the_audit_it_was(services: Services) -> None:
    published = audits_over(services, biased_dataset()).publish()

    read = read_audit_json(published.document)

    assert audit_json(read).encode("utf-8") == published.document


@pytest.mark.parametrize(
    ("document", "named"),
    [
        (b'{"format": "other/1"}', "found 'other/1'"),
        (b"not JSON", "found JSONDecodeError"),
        (b'{"format": "townsquare-impartiality-audit/1"}', "found KeyError: 'groups'"),
    ],
)
def test_a_document_of_another_format_is_refused_naming_what_was_found(
    document: bytes, named: str
) -> None:
    with pytest.raises(AuditDatasetError, match=named):
        read_audit_json(document)


def test_a_hash_never_published_is_not_found(services: Services) -> None:
    audits = audits_over(services, biased_dataset())
    with pytest.raises(AuditRunNotFoundError, match="No published audit run has SHA-256 00"):
        audits.run("00" * 32)
    with pytest.raises(AuditRunNotFoundError):
        audits.dataset("00" * 32)


def test_replay_and_the_projection_check_accept_audit_entries(services: Services) -> None:
    audits_over(services, biased_dataset()).publish()
    services.ledger.integrate()
    assert services.moderation.check_projection().matches
