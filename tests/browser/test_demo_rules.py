"""The demo world's automated rules in a real browser: a visitor reads /rules and a rule's page
(its numbers, its versions and the ledger entry that recorded each) in English and French;
the demo moderator opens a case the copied-text rule opened, sees the copies with their
similarity, decides them all with the case in one step, and the public decision page says how
many copies it covered."""

import re
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from conftest import BACKENDS, FAST_PASSWORDS, postgres_schema
from live_server import serve_asgi
from townsquare.app import Services, build_services, create_app
from townsquare.demo import DEMO_PASSWORD, DemoModeration, load_demo_world
from townsquare.kernel import SystemClock
from townsquare.moderation import CaseState
from townsquare.settings import Settings
from townsquare.storage import tables

pytestmark = pytest.mark.browser

SEED, ACCOUNTS, POSTS = 7, 40, 400
CLAUSE = "spam-and-platform-manipulation/1@1"


@dataclass(frozen=True)
class ServedDemo:
    services: Services
    url: str


def _database(request: pytest.FixtureRequest, directory: Path) -> AbstractContextManager[str]:
    if request.param == "sqlite":
        path = directory / "townsquare.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return nullcontext(f"sqlite:///{path}")
    return postgres_schema(request.getfixturevalue("postgres_url"), "browser_demo_rules")


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedDemo]:
    """A demo world of this file's own (its test decides a case), served on a loopback port."""
    directory = tmp_path_factory.mktemp(f"browser_demo_{request.param}")
    with _database(request, directory) as url:
        settings = Settings(
            data_dir=directory / "data", database_url=url, base_url="http://testserver"
        )
        services = build_services(settings, passwords=FAST_PASSWORDS, clock=SystemClock())
        load_demo_world(
            services.microblog,
            seed=SEED,
            accounts=ACCOUNTS,
            posts=POSTS,
            moderation=DemoModeration(services.ledger, services.policies, services.rules),
        )
        with serve_asgi(create_app(services)) as served:
            yield ServedDemo(services, served)
        services.id_worker.stop()
        services.db.dispose()


def _number(scope: Page, section: str, name: str) -> str:
    """The number a rule's numbers list gives for `name`, in `section`."""
    term = scope.locator(section).locator("dt", has_text=name).first
    return term.locator("xpath=following-sibling::dd[1]").inner_text()


def _open_campaign_case(services: Services) -> int:
    """The open case the copied-text rule opened on the first copy of the campaign the demo
    leaves for moderators."""
    detections, cases = tables.rule_detections, tables.moderation_cases
    query = (
        select(detections.c.case_id)
        .join(cases, cases.c.id == detections.c.case_id)
        .where(
            detections.c.rule_id == "copied-text",
            detections.c.opened_case.is_(True),
            cases.c.state == CaseState.OPEN.value,
            cases.c.post_id == detections.c.target_id,
        )
        .order_by(detections.c.target_id)
    )
    with services.db.read() as conn:
        for case_id in conn.execute(query).scalars():
            text = conn.scalar(
                select(tables.posts.c.text)
                .join(cases, cases.c.post_id == tables.posts.c.id)
                .where(cases.c.id == case_id)
            )
            if "Brightwave" in str(text):
                return int(case_id)
    raise LookupError("no open copied-text case on the waiting campaign")


def test_a_visitor_reads_the_rules_numbers_in_english_and_french(
    demo: ServedDemo, browser: Browser
) -> None:
    numbers = demo.services.rule_log.read().statistics["malicious-links@1"]
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{demo.url}/rules")
    expect(page.get_by_role("heading", level=1)).to_have_text("Automated rules")
    links = "section#malicious-links"
    assert _number(page, links, "Hits") == str(numbers.hits)
    assert _number(page, links, "Reversed on appeal") == "1"
    expect(page.locator(links)).to_contain_text("95% interval")

    title = "Links to listed phishing and malware domains"
    page.locator(links).get_by_role("link", name=title).click()
    expect(page).to_have_url(f"{demo.url}/rules/malicious-links")
    version = page.locator("li#v1")
    assert _number(page, "li#v1", "Actions taken") == str(numbers.actions_taken)
    assert _number(page, "li#v1", "Appeals") == "1"
    expect(version).to_contain_text("match.kind = url_blocklist")
    version.get_by_role("link", name=re.compile(r"Entry \d+")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A version of an automated rule in the ledger"
    )

    french = browser.new_context(locale="fr-FR").new_page()
    french.goto(f"{demo.url}/rules/copied-text")
    expect(french.get_by_role("heading", level=1)).to_contain_text(
        "Le même texte publié par de nombreux comptes"
    )
    expect(french.locator("li#v1")).to_contain_text("Dossiers ouverts")
    expect(french.locator("li#v1")).to_contain_text("intervalle")


def test_the_moderator_decides_a_campaign_with_its_copies_in_one_step(
    demo: ServedDemo, browser: Browser
) -> None:
    case_id = _open_campaign_case(demo.services)
    noor = browser.new_context(locale="en-GB").new_page()
    noor.goto(f"{demo.url}/login")
    noor.get_by_label("Handle or e-mail").fill("noor")
    noor.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    noor.locator("form[action='/login'] button[type='submit']").click()
    expect(noor.get_by_role("heading", level=1)).to_have_text("Home")

    noor.goto(f"{demo.url}/moderation/cases/{case_id}")
    expect(noor.locator("#detections")).to_contain_text("copied-text@1")
    noor.get_by_role("button", name="Take this case").click()
    copies = noor.locator("fieldset#copies label")
    expect(copies).to_have_count(7)  # 4 identical copies and 3 reworded ones
    expect(copies.filter(has_text="100% similar")).to_have_count(4)
    similar = [
        int(s.split("%")[0]) for s in noor.locator("fieldset#copies .similarity").all_inner_texts()
    ]
    assert all(70 <= s < 100 for s in similar[4:])
    for box in copies.locator("input[type='checkbox']").all():
        box.check()
    noor.get_by_label("Action").select_option("reduce_reach")
    noor.get_by_label("Clause").select_option(CLAUSE)
    noor.get_by_label("Facts the decision rests on").fill(
        "One promotional text pasted or reworded by eight accounts within the hour."
    )
    noor.get_by_role("button", name="Preview the statement of reasons").click()
    expect(noor.locator("section.preview")).to_contain_text("Reduced reach")
    for box in noor.locator("fieldset#copies input[type='checkbox']").all():
        expect(box).to_be_checked()
    noor.get_by_role("button", name="Decide", exact=True).click()
    expect(noor.get_by_role("heading", name="Deliberation")).to_be_visible()

    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{demo.url}/cases/{case_id}")
    expect(visitor.locator("#copies")).to_contain_text(
        "This decision covered 7 copies of the post, each decided on its own"
    )
    expect(visitor.locator("#copies li")).to_have_count(7)
    french = browser.new_context(locale="fr-FR").new_page()
    french.goto(f"{demo.url}/cases/{case_id}")
    expect(french.locator("#copies")).to_contain_text("7 copies")
