"""The transparency pages read well in a browser, in English and in French: a moderator works
a case from the queue (the preview is a statement in words, the DSA codes folded away),
decides, and lands on the public case page's sentence; the reporter and the public read the
post's "why?" page and the case page; the author reads the tombstone's sentence and is told
they may appeal."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.moderation import PostTarget, ReportDraft

pytestmark = pytest.mark.browser

CLAUSE = "civic-integrity/1@2"  # allows reduce_reach and remove
DSA_CODE = re.compile(r"STATEMENT_CATEGORY_|DECISION_|AUTOMATED_DECISION_|SOURCE_ARTICLE|\{\"")


@dataclass(frozen=True)
class Words:
    """What the pages say, in one language, that the test looks for or clicks."""

    take: str
    action: str
    clause: str
    facts: str
    preview: str
    decide: str
    preview_says: tuple[str, ...]
    case_title: str
    lead: str
    who: str
    proofs: str
    tombstone: str
    see_why: str
    may_appeal: str


WORDS = {
    "en-GB": Words(
        take="Take this case",
        action="Action",
        clause="Clause",
        facts="Facts the decision rests on",
        preview="Preview the statement of reasons",
        decide="Decide",
        preview_says=("Removal", "version 2", "A report from a member", "The courts"),
        case_title="Decision on a post by @ada — removal",
        lead="This post was removed under the rule “False information about how to vote”",
        who="a moderator decided it; no appeal against it has been decided.",
        proofs="The ledger entries and their proofs",
        tombstone="This post was removed for breaking the rule",
        see_why="See why, with the proofs",
        may_appeal="you can appeal it from your notices until",
    ),
    "fr-FR": Words(
        take="Prendre ce dossier",
        action="Mesure",
        clause="Clause",
        facts="Faits sur lesquels repose la décision",
        preview="Prévisualiser l’exposé des motifs",
        decide="Décider",
        preview_says=("Retrait", "version 2", "Un signalement d’un membre", "Les tribunaux"),
        case_title="Décision sur un message de @ada — retrait",
        lead="Ce message a été retiré au titre de la règle « Fausses informations",
        who="un modérateur en a décidé ; aucun recours contre cette décision n’a été tranché.",
        proofs="Les entrées du registre et leurs preuves",
        tombstone="Ce message a été retiré pour infraction à la règle",
        see_why="Voir pourquoi, avec les preuves",
        may_appeal="vous pouvez faire un recours depuis vos avis jusqu’au",
    ),
}


def _visitor(browser: Browser, server_url: str, locale: str, handle: str | None = None) -> Page:
    """A browser context in `locale` (its Accept-Language), signed in as `handle`."""
    page = browser.new_context(locale=locale).new_page()
    if handle is not None:
        page.goto(f"{server_url}/login")
        page.locator("input[name='login']").fill(handle)
        page.locator("input[name='password']").fill(PASSWORD)
        page.locator("form[action='/login'] button[type='submit']").click()
        expect(page.locator("a[href='/notices']")).to_be_visible()
    return page


def _outside_details(page: Page, selector: str) -> str:
    """The text of `selector` as a reader sees it, the folded `<details>` left out."""
    text: str = page.locator(selector).evaluate(
        """element => {
            const copy = element.cloneNode(true);
            copy.querySelectorAll("details").forEach(d => d.remove());
            return copy.innerText;
        }"""
    )
    return text


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_a_moderator_decides_and_the_public_reads_why(
    server_url: str,
    browser: Browser,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
    locale: str,
) -> None:
    words = WORDS[locale]
    post = make_post(make_account("ada"), "Polls close on Sunday at noon")
    reporter = make_account("ben")
    make_account("mona", role=Role.MODERATOR)
    draft = ReportDraft(reporter.id, PostTarget(post.id), comment="Polls close at 8pm")
    services.moderation.cases.report(draft)

    # (1) Mona works the case from the queue; the preview reads as a statement in words.
    mona = _visitor(browser, server_url, locale, "mona")
    mona.goto(f"{server_url}/moderation")
    mona.locator("table.queue a[href^='/moderation/cases/']").first.click()
    expect(mona.locator("h1")).not_to_contain_text(re.compile(r"\d{6,}"))
    mona.get_by_role("button", name=words.take).click()
    mona.get_by_label(words.action, exact=True).select_option("remove")
    mona.get_by_label(words.clause, exact=True).select_option(CLAUSE)
    mona.get_by_label(words.facts).fill("Polls close at 8pm, not noon.")
    mona.get_by_role("button", name=words.preview).click()
    preview = mona.locator("section.preview")
    for said in words.preview_says:
        expect(preview).to_contain_text(said)
    shown = _outside_details(mona, "section.preview")
    assert not DSA_CODE.search(shown), shown
    expect(preview.locator("details.raw pre")).not_to_be_visible()
    preview.locator("details.raw summary").click()
    expect(preview.locator("details.raw pre")).to_contain_text("STATEMENT_CATEGORY_")

    # (2) Deciding leads to the public case page: a title in words, the sentence first.
    mona.get_by_role("button", name=words.decide, exact=True).click()
    expect(mona.locator("h1")).to_have_text(words.case_title)
    assert mona.title().startswith(words.case_title)
    services.ledger.integrate()
    mona.reload()
    expect(mona.locator(".lead__sentence")).to_contain_text(words.lead)
    expect(mona.locator(".lead__sentence")).to_contain_text(words.who)

    # (3) The reporter and the public read the post's "why?" page: the sentence, then proofs.
    for reader in (
        _visitor(browser, server_url, locale, "ben"),
        _visitor(browser, server_url, locale),
    ):
        reader.goto(f"{server_url}/@ada/{post.id}")
        expect(reader.locator(".post__tombstone")).to_contain_text(words.tombstone)
        expect(reader.locator(".post__tombstone")).not_to_contain_text("/api/")
        reader.get_by_role("link", name=words.see_why).click()
        expect(reader.locator(".lead__sentence")).to_contain_text(words.lead)
        expect(reader.get_by_role("heading", name=words.proofs)).to_be_visible()
        expect(reader.locator("main")).not_to_contain_text(words.may_appeal)

    # (4) The author is told, on the same page, that they may appeal.
    ada = _visitor(browser, server_url, locale, "ada")
    ada.goto(f"{server_url}/posts/{post.id}/why")
    expect(ada.locator(".lead")).to_contain_text(words.may_appeal)
