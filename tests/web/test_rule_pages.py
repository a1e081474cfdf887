"""The public rule pages: every rule with its numbers from the ledger, each rule's versions
with hash, ledger entry and a diff, in English and French."""

from datetime import UTC, datetime
from pathlib import Path

from moderation.rules.factories import write_rule
from moderation.rules.ledger_entries import appeal, decision, detection
from townsquare.app import Services
from townsquare.moderation.rules import (
    DetectionOutcome,
    MatchKind,
    RuleLog,
    Verdict,
    load_rules,
    record_rules,
    rule_log,
    rule_review_entry,
)
from townsquare.web._i18n import catalogs
from townsquare.web._rule_pages import KIND_LABELS, shown_rule
from townsquare.web._visitors import Visitor
from web.forms import WebClient

FRENCH = {"Accept-Language": "fr"}
AT = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)


def _record(services: Services) -> None:
    with services.db.write() as conn:
        record_rules(conn, services.ledger, services.rules, AT)
        services.ledger.append_many(
            conn,
            [
                detection(1, "malicious-links@1", DetectionOutcome.ACTION, action_id=10),
                detection(2, "malicious-links@1", DetectionOutcome.CASE),
                detection(3, "malicious-links@1", DetectionOutcome.ACTION, action_id=11),
                decision(10, "remove", "malicious-links@1"),
                decision(11, "remove", "malicious-links@1"),
                appeal(20, 10, "reversed"),
                rule_review_entry(1, "malicious-links@1", Verdict.VIOLATES, AT),
                rule_review_entry(2, "malicious-links@1", Verdict.DOES_NOT_VIOLATE, AT),
            ],
        )
    while services.ledger.integrate() is not None:
        pass


def test_the_index_lists_every_rule_with_its_clause_effect_and_numbers(
    client: WebClient, services: Services
) -> None:
    _record(services)
    page = client.get("/rules")
    assert page.status_code == 200
    html = page.text
    for rule_id in services.rules.histories:
        assert f'href="/rules/{rule_id}"' in html
    assert "malicious-links@1" in html
    assert "Link to a listed domain" in html
    assert "Acts at once" in html
    assert "50% (95% interval: 9% to 91%), from 1 of 2 detections reviewed blind" in html
    assert "Not estimated: no detection of this version has been reviewed blind yet." in html
    assert 'href="/api/v1/townsquare/rules"' in html
    assert 'href="/rules"' in client.get("/policies").text
    assert 'href="/rules"' in client.get("/public").text  # in every page's footer


def test_a_rule_page_shows_each_version_with_its_hash_ledger_entry_and_numbers(
    client: WebClient, services: Services
) -> None:
    _record(services)
    rule = services.rules.rule("malicious-links@1")
    index = rule_log(services.ledger).version_entries["malicious-links@1"]

    html = client.get("/rules/malicious-links").text

    assert rule.content_hash in html
    assert f'href="/ledger/view/{index}"' in html
    assert "match.kind = url_blocklist" in html
    assert "<dt>Hits</dt><dd>3</dd>" in html
    assert "<dt>Actions taken</dt><dd>2</dd>" in html
    assert "<dt>Reversed on appeal</dt><dd>1</dd>" in html


def test_the_ledger_entry_of_a_version_has_its_heading_and_leads_to_the_rule(
    client: WebClient, services: Services
) -> None:
    _record(services)
    index = rule_log(services.ledger).version_entries["malicious-links@1"]
    html = client.get(f"/ledger/view/{index}").text
    assert "A version of an automated rule in the ledger" in html
    assert 'href="/rules/malicious-links#v1"' in html


def test_the_pages_speak_french(client: WebClient, services: Services) -> None:
    _record(services)
    html = client.get("/rules", headers=FRENCH).text
    assert "Dossiers ouverts" in html
    assert "50\u00a0% (intervalle à 95 % : de 9\u00a0% à 91\u00a0%)" in html
    assert "Spam de liens" in html
    assert "Détections" in client.get("/rules/link-spam", headers=FRENCH).text


def test_an_unknown_rule_is_a_404(client: WebClient) -> None:
    page = client.get("/rules/nope")
    assert page.status_code == 404


def test_a_later_version_shows_what_changed_in_words_and_settings(
    tmp_path: Path, services: Services
) -> None:
    write_rule(tmp_path, "Six posts with links.", "Eight posts with links.")
    rules = load_rules(tmp_path, services.policies)
    visitor = Visitor(None, None, "en", catalogs()["en"])

    shown = shown_rule(rules, services.policies, "link-spam", RuleLog({}, {}), visitor)

    first, second = shown.history
    assert first.text_diff is None
    assert second.text_diff == (
        ("removed", "Six"),
        ("added", "Eight"),
        ("same", " posts with links."),
    )
    assert shown.current is second
    assert second.numbers.hits == 0


def test_every_kind_of_match_has_words_on_the_pages() -> None:
    assert set(KIND_LABELS) == set(MatchKind)
