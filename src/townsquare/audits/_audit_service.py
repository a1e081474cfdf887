"""`ImpartialityAudits`: run the impartiality audit on this server's data now, publish a run,
read the published runs (docs/design/audit.md, "Publication")."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from townsquare.audits._audit_publication import (
    PublishedAudit,
    published_audit,
    published_audits,
    published_dataset,
    record_audit,
)
from townsquare.audits._dataset import AuditDataset
from townsquare.audits._dataset_export import dataset_from_database
from townsquare.audits._dataset_zip import dataset_zip
from townsquare.audits._forest_plot import render_forest_plot
from townsquare.audits._impartiality import ImpartialityAudit, audit_impartiality
from townsquare.audits._parameters import AuditParameters
from townsquare.audits._report_json import audit_json
from townsquare.audits._transparency_chart_cache import ChartCache
from townsquare.audits._transparency_charts import RenderedChart
from townsquare.audits._viewpoint_inputs import read_viewpoints
from townsquare.kernel import Clock
from townsquare.ledger import LedgerLog
from townsquare.storage import Database

__all__ = ["ImpartialityAudits", "LiveAudit", "server_dataset"]


def server_dataset(conn: Connection) -> AuditDataset:
    """This server's dataset: the viewpoint groups inferred from behaviour now, then the
    anonymised posts, reports and decisions (what `townsquare audit export-dataset` writes)."""
    return dataset_from_database(conn, read_viewpoints(conn).group_of())


@dataclass(frozen=True)
class LiveAudit:
    """An audit run now, not (yet) published: the result, its JSON bytes and their SHA-256,
    and the dataset it ran on as a zip of its CSV files and that zip's SHA-256."""

    audit: ImpartialityAudit
    document: bytes
    sha256: str
    dataset_zip: bytes
    dataset_sha256: str


class ImpartialityAudits:
    """Audit runs over the database `db`, published to `ledger` (read-only but for
    `publish`). `dataset` reads the audit's input from a read transaction; by default the
    server's own (`server_dataset`)."""

    def __init__(
        self,
        db: Database,
        ledger: LedgerLog,
        clock: Clock,
        dataset: Callable[[Connection], AuditDataset] = server_dataset,
    ) -> None:
        self._db = db
        self._ledger = ledger
        self._clock = clock
        self._dataset = dataset
        self._plots = ChartCache()

    def live(self, parameters: AuditParameters | None = None) -> LiveAudit:
        """The audit of the data as it is now (one read transaction)."""
        with self._db.read() as conn:
            dataset = self._dataset(conn)
        audit = audit_impartiality(dataset, parameters)
        document = audit_json(audit).encode("utf-8")
        archive = dataset_zip(dataset)
        return LiveAudit(
            audit,
            document,
            hashlib.sha256(document).hexdigest(),
            archive,
            hashlib.sha256(archive).hexdigest(),
        )

    def publish(self, parameters: AuditParameters | None = None) -> PublishedAudit:
        """Run the audit now and publish it: the run stored with an `audit.impartiality`
        ledger entry and an `audit.alert` entry per alerting comparison, in one write
        transaction. The same result published again appends nothing
        (`PublishedAudit.appended` is False)."""
        live = self.live(parameters)
        with self._db.write() as conn:
            return record_audit(
                conn, self._ledger, live.document, live.dataset_zip, self._clock.now()
            )

    def published(self) -> list[PublishedAudit]:
        """The published runs, the latest first."""
        with self._db.read() as conn:
            return published_audits(conn)

    def run(self, sha256: str) -> PublishedAudit:
        """The published run whose result hashes to `sha256`; `AuditRunNotFoundError` if none."""
        with self._db.read() as conn:
            return published_audit(conn, sha256)

    def dataset(self, sha256: str) -> bytes:
        """The dataset zip of the published run `sha256`; `AuditRunNotFoundError` if none."""
        with self._db.read() as conn:
            return published_dataset(conn, sha256)

    def forest_plot(
        self,
        audit: ImpartialityAudit,
        sha256: str,
        language: str,
        words: Callable[[str], str],
        number: Callable[[float], str],
    ) -> RenderedChart:
        """The forest plot of `audit` (whose JSON hashes to `sha256`) in `language`, drawn
        once per result and language."""
        [plot] = self._plots.drawn(
            sha256, language, lambda: (render_forest_plot(audit, words, number),)
        )
        return plot
