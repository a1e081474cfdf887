"""The Community Notes flow in a browser: a member writes a note, members of both camps rate
it helpful, a scoring run decides it, and the note shows on the post (web page in English and
French, Mastodon.py), its status change is in the public ledger, on the post's "why?" page
and on the note's history, and `townsquare ledger verify` agrees. A note only one camp likes
does not show."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mastodon import Mastodon
from playwright.sync_api import Browser, Page, expect
from typer.testing import CliRunner

from browser.conftest import signed_in
from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.cli import app
from townsquare.kernel import FixedClock
from townsquare.microblog import Account
from townsquare.notes import NoteDraft, note_draft, rating_draft

pytestmark = pytest.mark.browser

PER_CAMP = 5
BROWSER_RATERS_PER_CAMP = 2
NOTE_TEXT = "The photo was taken in 2019 during another flood, not this week."
NOTE_SOURCE = "https://example.org/archive/flood-2019"


@pytest.fixture
def clock() -> FixedClock:
    # Ten days back: the accounts made first are old enough to contribute (7 days) once the
    # clock reaches today, and sessions dated by this clock are not expired for the browser.
    return FixedClock(datetime.now(UTC) - timedelta(days=10))


@dataclass(frozen=True)
class World:
    """Two opposed camps and neutrals, with background notes the scorer can decide (so
    raters have enough ratings and a helpfulness score); `poster` writes the posts."""

    left: list[Account]
    right: list[Account]
    poster: Account
    writers: list[Account]  # old enough to write, with no note yet


# Background note kinds: how the left camp, the right camp and the neutrals rate them.
_BACKGROUND = {
    "bridging": ("HELPFUL", "HELPFUL", "HELPFUL"),
    "left": ("HELPFUL", "NOT_HELPFUL", "SOMEWHAT_HELPFUL"),
    "right": ("NOT_HELPFUL", "HELPFUL", "SOMEWHAT_HELPFUL"),
    "unhelpful": ("NOT_HELPFUL", "NOT_HELPFUL", "NOT_HELPFUL"),
}
_NOTES_PER_KIND = 3


def _two_camps(
    services: Services, clock: FixedClock, make_account: AccountFactory, make_post: PostFactory
) -> World:
    left = [make_account(f"left{k}") for k in range(PER_CAMP)]
    right = [make_account(f"right{k}") for k in range(PER_CAMP)]
    neutrals = [make_account(f"neutral{k}") for k in range(3)]
    poster = make_account("poster")
    writers = [make_account(f"writer{k}") for k in range(_NOTES_PER_KIND * len(_BACKGROUND) + 2)]
    clock.advance(timedelta(days=10))
    for kind, levels in _BACKGROUND.items():
        for k in range(_NOTES_PER_KIND):
            post = make_post(poster, f"A {kind} claim, number {k}.")
            note = services.notes.write(writers.pop().id, post.id, _draft(f"A {kind} note {k}."))
            clock.advance(timedelta(minutes=1))
            for group, level in zip((left, right, neutrals), levels, strict=True):
                for rater in group:
                    services.notes.rate(rater.id, note.id, rating_draft(level=level))
    return World(left, right, poster, writers)


def _draft(text: str) -> NoteDraft:
    return note_draft(
        classification="MISINFORMED_OR_POTENTIALLY_MISLEADING",
        reasons=["misleadingFactualError"],
        trustworthy_sources=True,
        text=text,
        sources=["https://example.org/background"],
    )


def _write_in_browser(page: Page, server_url: str, post_id: int) -> int:
    page.goto(f"{server_url}/posts/{post_id}/notes/new")
    page.locator(
        "input[name='classification'][value='MISINFORMED_OR_POTENTIALLY_MISLEADING']"
    ).check()
    page.get_by_label("It contains a factual error").check()
    page.get_by_label("Your note").fill(NOTE_TEXT)
    page.get_by_label("Source links, one per line").fill(NOTE_SOURCE)
    page.locator("input[name='trustworthy_sources'][value='yes']").check()
    page.get_by_role("button", name="Publish the note").click()
    expect(page).to_have_url(f"{server_url}/posts/{post_id}/notes")
    card = page.locator("article.note", has_text=NOTE_TEXT)
    expect(card).to_contain_text("Your note")
    found = re.fullmatch(r"note-(\d+)", card.get_attribute("id") or "")
    assert found is not None
    return int(found.group(1))


def _rate_helpful_in_browser(page: Page, server_url: str, post_id: int, note_id: int) -> None:
    page.goto(f"{server_url}/posts/{post_id}/notes")
    page.locator(f"#note-{note_id}").get_by_role("link", name="Rate this note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate a note")
    page.locator("input[name='level'][value='HELPFUL']").check()
    page.get_by_label("Clear and well written").check()
    page.get_by_label("Cites high-quality sources").check()
    page.get_by_role("button", name="Save the rating").click()
    expect(page).to_have_url(f"{server_url}/posts/{post_id}/notes")
    expect(page.locator(f"#note-{note_id}")).to_contain_text("You rated it: Helpful")


def _verify_args(services: Services, server_url: str, tmp_path: Path) -> list[str]:
    return [
        "ledger",
        "verify",
        server_url,
        "--vkey",
        services.ledger.vkey(),
        "--state",
        str(tmp_path / "verifier"),
    ]


def test_a_note_both_camps_rate_helpful_shows_everywhere_and_is_in_the_ledger(
    server_url: str,
    browser: Browser,
    services: Services,
    clock: FixedClock,
    make_account: AccountFactory,
    make_post: PostFactory,
    tmp_path: Path,
) -> None:
    world = _two_camps(services, clock, make_account, make_post)
    post = make_post(world.poster, "A flood photo from this week.")
    partisan_post = make_post(world.poster, "A partisan claim about the flood.")
    writer, partisan_writer = world.writers

    # (1) A member writes the note in the browser; members of both camps rate it there too.
    note_id = _write_in_browser(
        signed_in(browser, server_url, writer.username), server_url, post.id
    )
    in_browser = world.left[:BROWSER_RATERS_PER_CAMP] + world.right[:BROWSER_RATERS_PER_CAMP]
    for rater in in_browser:
        page = signed_in(browser, server_url, rater.username)
        _rate_helpful_in_browser(page, server_url, post.id, note_id)
        page.context.close()
    # The rest of both camps rate it through the service: the same path, a shorter test.
    helpful = rating_draft(level="HELPFUL", tags=["helpfulClear"])
    for rater in world.left + world.right:
        if rater not in in_browser:
            services.notes.rate(rater.id, note_id, helpful)
    # The converse: a note only the left camp finds helpful.
    partisan = services.notes.write(
        partisan_writer.id, partisan_post.id, _draft("A note only one camp likes.")
    )
    for rater in world.left:
        services.notes.rate(rater.id, partisan.id, helpful)
    for rater in world.right:
        services.notes.rate(rater.id, partisan.id, rating_draft(level="NOT_HELPFUL"))

    # (2) A scoring run decides; its entries go into the ledger's tree.
    summary = services.scoring_runs.run()
    assert summary.state == "applied", summary
    services.ledger.integrate()

    # (3) The post page shows the note box, in English and in French; the partisan one none.
    reader = browser.new_context(locale="en-GB").new_page()
    _shows_on_the_post_page(browser, reader, server_url, world, post.id, note_id)
    reader.goto(f"{server_url}/@{world.poster.username}/{partisan_post.id}")
    expect(reader.locator(".post__content")).to_contain_text("A partisan claim")
    expect(reader.locator("aside.post__note")).to_have_count(0)
    # (4) Mastodon.py reads the note in a marked section of the content; not the partisan one.
    client = Mastodon(api_base_url=server_url, version_check_mode="none")
    content = client.status(post.id)["content"]
    assert "<strong>Readers added context</strong>" in content
    assert NOTE_TEXT in content
    assert "Readers added context" not in client.status(partisan_post.id)["content"]
    # (5) The change is in the ledger, on the "why?" page and on the note's history.
    _change_is_in_the_ledger(reader, server_url, post.id, note_id, summary.run_id)

    # (6) `townsquare ledger verify` replays the statuses and matches what the server shows.
    listed = reader.request.get(f"{server_url}/api/v1/townsquare/notes/shown").json()["notes"]
    shown = {entry["note_id"] for entry in listed}
    assert str(note_id) in shown
    assert str(partisan.id) not in shown
    verified = CliRunner().invoke(app, _verify_args(services, server_url, tmp_path))
    assert verified.exit_code == 0, verified.output
    replayed = (
        f"Community notes: replayed {summary.changes} status changes: {len(shown)} notes shown, "
        "the same as the server publishes."
    )
    assert replayed in verified.stdout.splitlines(), verified.stdout


def _shows_on_the_post_page(
    browser: Browser, reader: Page, server_url: str, world: World, post_id: int, note_id: int
) -> None:
    """The post page shows the note box, its text, sources and why, in English and French."""
    reader.goto(f"{server_url}/@{world.poster.username}/{post_id}")
    box = reader.locator(f"aside.post__note[data-note-id='{note_id}']")
    expect(box).to_contain_text("Readers added context")
    expect(box).to_contain_text(NOTE_TEXT)
    expect(box.get_by_role("link", name=NOTE_SOURCE)).to_have_attribute("href", NOTE_SOURCE)
    expect(box).to_contain_text("Rated helpful by people who often disagree.")
    french = browser.new_context(locale="fr-FR").new_page()
    french.goto(f"{server_url}/@{world.poster.username}/{post_id}")
    french_box = french.locator(f"aside.post__note[data-note-id='{note_id}']")
    expect(french_box).to_contain_text("Des lecteurs ont ajouté du contexte")
    expect(french_box).to_contain_text(NOTE_TEXT)
    expect(french_box).to_contain_text(
        "Jugée utile par des personnes qui sont souvent en désaccord."
    )


def _change_is_in_the_ledger(
    reader: Page, server_url: str, post_id: int, note_id: int, run_id: int
) -> None:
    """The post's "why?" page lists the change; the note's history shows it and links to
    the ledger entry, which the public ledger API serves as a `notes.status` entry."""
    reader.goto(f"{server_url}/posts/{post_id}/why")
    change = reader.locator("article", has_text="Community note status changed")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("NEEDS_MORE_RATINGS → CURRENTLY_RATED_HELPFUL")
    change.get_by_role("link", name="The note's status history").click()
    expect(reader).to_have_url(f"{server_url}/notes/{note_id}/history")
    history = reader.locator("article.note-change")
    expect(history).to_have_count(1)
    expect(history.get_by_role("heading")).to_have_text(
        "NEEDS_MORE_RATINGS → CURRENTLY_RATED_HELPFUL"
    )
    history.get_by_role("link", name=re.compile(r"^Ledger entry \d+$")).click()
    index = int(reader.url.rsplit("/", 1)[1])
    published = reader.request.get(f"{server_url}/ledger/entries/{index}").json()["entry"]
    assert published["type"] == "notes.status"
    assert published["note_id"] == str(note_id)
    assert published["post_id"] == str(post_id)
    assert published["new_status"] == "CURRENTLY_RATED_HELPFUL"
    assert published["run_id"] == str(run_id)
