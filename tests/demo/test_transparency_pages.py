"""The demo world's impartiality audit page and transparency report page, in English and
French: both answer, show the demo's own numbers, and the French pages speak French."""

import re
import statistics
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from markupsafe import escape
from sqlalchemy import Row, func, select

from audits.plot_ticks import assert_ticks_apart, tick_labels
from demo.conftest import LoadedDemo
from townsquare.app import create_app
from townsquare.audits import ImpartialityAudit, ReportPeriod, half_year_of, read_audit_json
from townsquare.storage import tables
from townsquare.web._audit_words import plot_words
from townsquare.web._i18n import catalogs, format_ratio
from web.forms import WebClient

LANGUAGES = ["en", "fr"]
# The report page's words added with schema 2, in English: none may be left on a French page.
REPORT_WORDS_ADDED = (
    "Median time to answer by kind of requester, in hours",
    "Median time to answer by requester, in hours",
    "Median time to answer by issuing country, in hours",
    "no rule named",
    "earlier format",
)


@pytest.fixture(scope="module")
def client(shared_demo: LoadedDemo) -> Iterator[WebClient]:
    with TestClient(app=create_app(shared_demo.services)) as test_client:
        yield test_client


def _text(html: str) -> str:
    """The page's words, without its inline charts and tags."""
    words = re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", html, flags=re.S))
    return re.sub(r"\s+", " ", words)


def _published_audit(demo: LoadedDemo) -> tuple[str, ImpartialityAudit]:
    [latest, *_] = demo.services.audits.published()
    return latest.sha256, read_audit_json(latest.document)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_audit_page_shows_the_demos_published_run(
    shared_demo: LoadedDemo,
    client: WebClient,
    language: str,
) -> None:
    sha256, audit = _published_audit(shared_demo)
    answer = client.get("/transparency/audit", headers={"Accept-Language": language})
    assert answer.status_code == 200
    assert f'<html lang="{language}">' in answer.text
    assert sha256 in answer.text
    text = _text(answer.text)
    estimable = [c for c in audit.comparisons if c.estimate.estimable]
    assert len(estimable) >= 5  # the demo's run compares the groups on most metrics
    for comparison in estimable:
        low, high = comparison.estimate.ci_low, comparison.estimate.ci_high
        interval = f"{format_ratio(low, language)}–{format_ratio(high, language)}"
        assert interval in text
    threshold = format_ratio(audit.parameters.threshold, language)
    assert threshold == {"en": "1.25", "fr": "1,25"}[language]
    assert threshold in text


def test_the_french_audit_page_speaks_french(client: WebClient) -> None:
    text = _text(client.get("/transparency/audit", headers={"Accept-Language": "fr"}).text)
    assert "Ce que l’audit a trouvé" in text
    for english in ("What the audit found", "no alert", "descriptive, never alerts", "Alerts"):
        assert english not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demos_forest_plot_ticks_are_distinct_and_apart(
    shared_demo: LoadedDemo, language: str
) -> None:
    # The demo's plot once read "0.20.25" and "0.81.01.25" along its axis.
    _, audit = _published_audit(shared_demo)
    words = plot_words(catalogs()[language].gettext)
    assert_ticks_apart(tick_labels(audit, words, lambda value: format_ratio(value, language)))


def _period(demo: LoadedDemo) -> ReportPeriod:
    """The half-year holding the demo's decisions."""
    with demo.services.db.read() as conn:
        first = conn.execute(select(func.min(tables.moderation_actions.c.created_at))).scalar_one()
    return half_year_of(first)


def _requests(demo: LoadedDemo, period: ReportPeriod) -> list[Row[Any]]:
    requests = tables.external_requests
    with demo.services.db.read() as conn:
        return list(
            conn.execute(
                select(requests).where(
                    requests.c.received_at >= period.starts_at,
                    requests.c.received_at < period.ends_at,
                )
            ).all()
        )


def _medians_by_requester(rows: list[Row[Any]], now: datetime) -> dict[str, float]:
    """Counted here from the register's rows: each unsealed requester's median hours."""
    hours: dict[str, list[float]] = {}
    for row in rows:
        sealed = row.release_at is not None and row.release_at > now
        if row.answered_at is not None and not sealed:
            spent = (row.answered_at - row.received_at).total_seconds() / 3600
            hours.setdefault(row.requester, []).append(spent)
    return {name: round(statistics.median(spans), 2) for name, spans in hours.items()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_page_shows_the_demos_numbers(
    shared_demo: LoadedDemo,
    client: WebClient,
    language: str,
) -> None:
    period = _period(shared_demo)
    answer = client.get(
        f"/transparency/reports/{period.start}/{period.end}", headers={"Accept-Language": language}
    )
    assert answer.status_code == 200
    html = answer.text
    assert f'<html lang="{language}">' in html
    rows = _requests(shared_demo, period)
    medians = _medians_by_requester(rows, datetime.now(UTC))
    assert medians, "the demo answers outside requests in the period"
    for requester, hours in medians.items():
        assert f'<tr><th scope="row">{escape(requester)}</th><td>{hours}</td></tr>' in html
    sealed = [
        row for row in rows if row.release_at is not None and row.release_at > datetime.now(UTC)
    ]
    assert sealed, "the demo has a sealed request: counted, never described"
    for row in sealed:
        assert escape(row.requester) not in html
    caption = {
        "en": "Median time to answer by requester, in hours",
        "fr": "Délai médian de réponse par demandeur, en heures",
    }
    assert f"<caption>{caption[language]}</caption>" in html
    # The demo's rules stage: malicious-links@1 removes posts on its own, and one removal (a
    # member's warning) is reversed on appeal; that rule has the only accuracy line.
    accuracy = {
        "en": "Automated rule malicious-links@1: decisions, appealed, reversed, rate",
        "fr": "Règle automatisée malicious-links@1 : décisions, contestées, infirmées, taux",
    }
    removed = shared_demo.world.rules.removed
    assert f"{accuracy[language]}</th><td>{removed} · 1 · 1 · {1 / removed:.0%}" in html
    assert html.count("malicious-links@1") == 1


def test_the_french_report_page_leaves_none_of_the_new_words_in_english(
    shared_demo: LoadedDemo,
    client: WebClient,
) -> None:
    period = _period(shared_demo)
    html = client.get(
        f"/transparency/reports/{period.start}/{period.end}", headers={"Accept-Language": "fr"}
    ).text
    assert "Délai médian de réponse par pays émetteur, en heures" in html
    for english in REPORT_WORDS_ADDED:
        assert english not in html
