"""The impartiality audit, for people: the latest published run (or, before the first, the
audit computed now, marked as not published), an earlier run by its hash, and the list of
runs, in French or English; each run's `audit.json` and dataset zip to download.

A page leads with the alerts, then one sentence per comparison and the forest plot, then
the method in words, then the downloads and the ledger entries that commit to them
(docs/design/audit.md, "Publication"). A published run is worded and drawn from its stored
`audit.json`, the bytes its ledger entry commits to, never recomputed.
"""

from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.audits import (
    ImpartialityAudit,
    ImpartialityAudits,
    PublishedAudit,
    RenderedChart,
    read_audit_json,
)
from townsquare.web._audit_words import ShownComparison, plot_words, shown_comparison
from townsquare.web._i18n import format_p_value, format_ratio
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = [
    "audit_dataset_zip",
    "audit_json_file",
    "audit_run_page",
    "audit_runs_page",
    "latest_audit_dataset_zip",
    "latest_audit_json_file",
    "latest_audit_page",
]

_BASE = "/transparency/audit"


@dataclass(frozen=True)
class ShownAudit:
    """What an audit page shows: the result in the reader's words, its forest plot, its
    hashes, and its publication (None for the audit computed now, not published)."""

    audit: ImpartialityAudit
    sha256: str
    dataset_sha256: str
    published: PublishedAudit | None
    comparisons: tuple[ShownComparison, ...]
    plot: RenderedChart
    threshold: str
    inverse_threshold: str
    alpha: str

    @property
    def alerts(self) -> tuple[ShownComparison, ...]:
        return tuple(shown for shown in self.comparisons if shown.alert)

    @property
    def downloads(self) -> str:
        """Where this run's files are: under its hash once published, else the latest's."""
        return f"{_BASE}/{self.sha256}" if self.published else _BASE

    def alert_index(self, metric: str) -> int | None:
        """The ledger place of the `audit.alert` entry for `metric` (None if not yet there)."""
        found = dict(self.published.alert_indexes) if self.published else {}
        return found.get(metric)


def _shown(
    visitor: Visitor,
    audits: ImpartialityAudits,
    audit: ImpartialityAudit,
    hashes: tuple[str, str],
    published: PublishedAudit | None,
) -> ShownAudit:
    language, words = visitor.language, visitor.gettext
    sha256, dataset_sha256 = hashes

    def number(value: float) -> str:
        return format_ratio(value, language)

    plot = audits.forest_plot(audit, sha256, language, plot_words(words), number)
    threshold = audit.parameters.threshold
    return ShownAudit(
        audit=audit,
        sha256=sha256,
        dataset_sha256=dataset_sha256,
        published=published,
        comparisons=tuple(shown_comparison(c, words, language) for c in audit.comparisons),
        plot=plot,
        threshold=number(threshold),
        inverse_threshold=number(1.0 / threshold),
        alpha=format_p_value(audit.parameters.alpha, language),
    )


def _published_shown(
    visitor: Visitor, audits: ImpartialityAudits, published: PublishedAudit
) -> ShownAudit:
    audit = read_audit_json(published.document)
    hashes = (published.sha256, published.dataset_sha256)
    return _shown(visitor, audits, audit, hashes, published)


@get(_BASE, sync_to_thread=True)
def latest_audit_page(
    visitor: NamedDependency[Visitor], audits: NamedDependency[ImpartialityAudits]
) -> Response[Any]:
    """The latest published run; before the first, the audit of the data as it is now."""
    runs = audits.published()
    if runs:
        shown = _published_shown(visitor, audits, runs[0])
    else:
        live = audits.live()
        shown = _shown(visitor, audits, live.audit, (live.sha256, live.dataset_sha256), None)
    return page(visitor, "transparency/audit.html", shown=shown, latest=True)


@get("/transparency/audits", sync_to_thread=True)
def audit_runs_page(
    visitor: NamedDependency[Visitor], audits: NamedDependency[ImpartialityAudits]
) -> Response[Any]:
    """Every published run, the latest first."""
    return page(visitor, "transparency/audits.html", runs=audits.published())


@get(f"{_BASE}/{{sha256:str}}", sync_to_thread=True)
def audit_run_page(
    visitor: NamedDependency[Visitor],
    audits: NamedDependency[ImpartialityAudits],
    sha256: FromPath[str],
) -> Response[Any]:
    """A published run, by its result's SHA-256 (404 for a hash never published)."""
    shown = _published_shown(visitor, audits, audits.run(sha256))
    return page(visitor, "transparency/audit.html", shown=shown, latest=False)


@get(f"{_BASE}/{{sha256:str}}/audit.json", sync_to_thread=True)
def audit_json_file(
    audits: NamedDependency[ImpartialityAudits], sha256: FromPath[str]
) -> Response[bytes]:
    """A published run's `audit.json`: the bytes its ledger entry's `sha256` is the hash of."""
    return _json(audits.run(sha256).document, sha256)


@get(f"{_BASE}/{{sha256:str}}/dataset.zip", sync_to_thread=True)
def audit_dataset_zip(
    audits: NamedDependency[ImpartialityAudits], sha256: FromPath[str]
) -> Response[bytes]:
    """A published run's dataset zip: the bytes its ledger entry's `dataset_sha256` is the
    hash of."""
    return _zip(audits.dataset(sha256), sha256)


@get(f"{_BASE}/audit.json", sync_to_thread=True)
def latest_audit_json_file(audits: NamedDependency[ImpartialityAudits]) -> Response[bytes]:
    """The latest published run's `audit.json`, or the audit's computed now."""
    runs = audits.published()
    if runs:
        return _json(runs[0].document, runs[0].sha256)
    live = audits.live()
    return _json(live.document, live.sha256)


@get(f"{_BASE}/dataset.zip", sync_to_thread=True)
def latest_audit_dataset_zip(audits: NamedDependency[ImpartialityAudits]) -> Response[bytes]:
    """The latest published run's dataset zip, or the dataset as it is now."""
    runs = audits.published()
    if runs:
        return _zip(audits.dataset(runs[0].sha256), runs[0].sha256)
    live = audits.live()
    return _zip(live.dataset_zip, live.sha256)


def _json(document: bytes, sha256: str) -> Response[bytes]:
    disposition = f'attachment; filename="audit-{sha256[:12]}.json"'
    return Response(
        document, media_type="application/json", headers={"Content-Disposition": disposition}
    )


def _zip(archive: bytes, sha256: str) -> Response[bytes]:
    disposition = f'attachment; filename="audit-dataset-{sha256[:12]}.zip"'
    return Response(
        archive, media_type="application/zip", headers={"Content-Disposition": disposition}
    )
