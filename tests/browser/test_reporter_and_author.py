"""The transparency flows in a real browser, in English and in French (the language comes
from the browser's Accept-Language): the reporter is notified of the decision on their
report, reads the notice naming the post, may contest a decision to take no action and is
told the outcome; the author is notified, reads a notice that names and links the post,
appeals, sees the reversal, and is not invited to appeal the restoration."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from conftest import PASSWORD, AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    ActionKind,
    AppealState,
    CaseDecision,
    PostTarget,
    ReportCategory,
    ReportDraft,
)
from townsquare.storage.tables import moderation_reports

pytestmark = pytest.mark.browser

CLAUSE = "civic-integrity/1@2"  # allows reduce_reach and removal
TEXT = "Polls close on Sunday at noon"


@dataclass(frozen=True)
class Words:
    """What each language's pages say, for the steps below."""

    locale: str
    reported: str
    decided_on_report: str
    decision_on_yours: str
    lifted: str
    appeal_decided: str
    read_notice: str
    may_contest: str
    only_the_author: str
    about_your_post_of: str
    why: str
    appeal_button: str
    appealed: str
    upheld: str
    reversed_: str
    in_favour: str
    nothing_in_force: str


ENGLISH = Words(
    locale="en-GB",
    reported="Thank you. Your report was filed",
    decided_on_report="Moderators decided on something you reported.",
    decision_on_yours="Moderators took a decision about your post or your account.",
    lifted="Moderators lifted a restriction on your post or your account.",
    appeal_decided="Your appeal was decided.",
    read_notice="Read the notice",
    may_contest="You may contest this decision.",
    only_the_author="Only the author of the post or account may appeal this decision.",
    about_your_post_of="About your post of",
    why="Why is this post shown this way?",
    appeal_button="Appeal",
    appealed="You appealed this decision",
    upheld="the decision was upheld",
    reversed_="the decision was reversed",
    in_favour="This decision is in your favour: there is nothing to appeal.",
    nothing_in_force="Nothing: the restriction was lifted",
)
FRENCH = Words(
    locale="fr-FR",
    reported="Merci.",
    decided_on_report="Les modérateurs ont statué sur ce que vous avez signalé.",
    decision_on_yours="Les modérateurs ont pris une décision sur votre message ou votre compte.",
    lifted="Les modérateurs ont levé une restriction sur votre message ou votre compte.",
    appeal_decided="Votre recours a été tranché.",
    read_notice="Lire l’avis",
    may_contest="Vous pouvez contester cette décision.",
    only_the_author="Seul l’auteur du message ou le titulaire du compte peut former un recours",
    about_your_post_of="À propos de votre message du",
    why="Pourquoi ce message est-il affiché ainsi ?",
    appeal_button="Former un recours",
    appealed="Vous avez contesté cette décision",
    upheld="la décision a été maintenue",
    reversed_="la décision a été annulée",
    in_favour="Cette décision vous est favorable : il n’y a rien à contester.",
    nothing_in_force="Rien : la restriction a été levée",
)
LANGUAGES = pytest.mark.parametrize("words", [ENGLISH, FRENCH], ids=["en", "fr"])


def _signed_in(browser: Browser, server_url: str, handle: str, words: Words) -> Page:
    """A fresh browser context in the language's locale, signed in as `handle`."""
    page = browser.new_context(locale=words.locale).new_page()
    page.goto(f"{server_url}/login")
    page.locator("input[name='login']").fill(handle)
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("form[action='/login'] button[type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", words.locale[:2])
    expect(page).not_to_have_url(f"{server_url}/login")
    return page


def _decide(services: Services, moderator: Account, case_id: int, kind: ActionKind) -> int:
    services.moderation.cases.take(case_id, moderator.id)
    decision = CaseDecision(kind, CLAUSE, "Wrong closing time for the polls.")
    action_id = services.moderation.cases.decide(case_id, moderator.id, decision).action_id
    assert action_id is not None
    return action_id


def _read_notice(page: Page, server_url: str, line: str, words: Words) -> None:
    """From the notifications, follow `line`'s link to its notice."""
    page.goto(f"{server_url}/notifications")
    item = page.locator("li.notification", has_text=line).first
    expect(item).to_be_visible()
    item.get_by_role("link", name=words.read_notice).click()
    expect(page).to_have_url(f"{server_url}/notices#notice-{_anchor(page)}")


def _anchor(page: Page) -> str:
    return page.url.rsplit("#notice-", 1)[1]


@LANGUAGES
def test_the_reporter_is_told_reads_the_notice_and_contests_no_action(
    server_url: str,
    browser: Browser,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
    words: Words,
) -> None:
    ada = make_account("ada")
    ben_account = make_account("ben")
    mona = make_account("mona", role=Role.MODERATOR)
    milo = make_account("milo", role=Role.MODERATOR)
    post = make_post(ada, TEXT)

    # (1) Ben reports the post from its page.
    ben = _signed_in(browser, server_url, "ben", words)
    ben.goto(f"{server_url}/@ada/{post.id}")
    ben.locator(f"a[href='/posts/{post.id}/report']").first.click()
    ben.locator("#report-comment").fill("Polls close at 8pm")
    ben.locator("main form button[type='submit']").click()
    expect(ben.get_by_role("status")).to_contain_text(words.reported)
    case_id = _case_reported_by(services, ben_account)

    # (2) Mona decides to take no action; Ben is notified and reads the notice.
    action_id = _decide(services, mona, case_id, ActionKind.NO_ACTION)
    _read_notice(ben, server_url, words.decided_on_report, words)
    notice = ben.locator(f"#notice-{action_id}")
    expect(notice).to_contain_text(TEXT)  # the post is named by its words
    expect(notice.locator(f"a[href='/posts/{post.id}/why']")).to_be_visible()
    expect(notice).to_contain_text(words.may_contest)

    # (3) He contests it; Milo, who took no part, upholds it; Ben is told.
    notice.locator("textarea[name='reason']").fill("The prefecture says 8pm.")
    notice.get_by_role("button", name=words.appeal_button, exact=True).click()
    expect(ben.locator(f"#notice-{action_id}")).to_contain_text(words.appealed)
    (appeal,) = services.moderation.appeals.pending(milo.id)
    assert services.moderation.appeals.pending(mona.id) == []
    services.moderation.appeals.assign(appeal.id, milo.id)
    services.moderation.appeals.decide(appeal.id, milo.id, AppealState.UPHELD, "Noon is right.")
    _read_notice(ben, server_url, words.appeal_decided, words)
    expect(ben.locator(f"#notice-{action_id}")).to_contain_text(words.upheld)
    expect(ben.locator(f"#notice-{action_id}")).to_contain_text("Noon is right.")

    # (4) Another of his reports leads to a removal: he is told, not offered an appeal.
    other = make_post(ada, "Polling stations move to the town hall")
    draft = ReportDraft(ben_account.id, PostTarget(other.id), ReportCategory.VIOLATION)
    removal = _decide(
        services, mona, services.moderation.cases.report(draft).case_id, ActionKind.REMOVE
    )
    ben.goto(f"{server_url}/notices")
    removed = ben.locator(f"#notice-{removal}")
    expect(removed).to_contain_text(words.only_the_author)
    expect(removed.locator("textarea")).to_have_count(0)


@LANGUAGES
def test_the_author_is_notified_appeals_sees_the_reversal_and_no_appeal_of_the_restoration(
    server_url: str,
    browser: Browser,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
    words: Words,
) -> None:
    ada = make_account("ada")
    ben = make_account("ben")
    mona = make_account("mona", role=Role.MODERATOR)
    milo = make_account("milo", role=Role.MODERATOR)
    post = make_post(ada, TEXT)
    draft = ReportDraft(ben.id, PostTarget(post.id), ReportCategory.VIOLATION)
    case_id = services.moderation.cases.report(draft).case_id
    removal = _decide(services, mona, case_id, ActionKind.REMOVE)

    # (1) Ada is notified and reads a notice that names and links her post.
    page = _signed_in(browser, server_url, "ada", words)
    _read_notice(page, server_url, words.decision_on_yours, words)
    notice = page.locator(f"#notice-{removal}")
    expect(notice).to_contain_text(words.about_your_post_of)  # removed: named by its date
    expect(notice).not_to_contain_text(TEXT)
    expect(notice.locator(f"a[href='/@ada/{post.id}']")).to_be_visible()
    expect(notice.locator(f"a[href='/cases/{case_id}']")).to_be_visible()

    # (2) She appeals; Milo, who took no part, reverses.
    notice.locator("textarea[name='reason']").fill("The prefecture says noon.")
    notice.get_by_role("button", name=words.appeal_button, exact=True).click()
    expect(page.locator(f"#notice-{removal}")).to_contain_text(words.appealed)
    (appeal,) = services.moderation.appeals.pending(milo.id)
    services.moderation.appeals.assign(appeal.id, milo.id)
    decided = services.moderation.appeals.decide(
        appeal.id, milo.id, AppealState.REVERSED, "The official notice confirms noon."
    )

    # (3) She is told; the reversal shows on her notice and the case's public page.
    _read_notice(page, server_url, words.appeal_decided, words)
    expect(page.locator(f"#notice-{removal}")).to_contain_text(words.reversed_)
    _read_notice(page, server_url, words.lifted, words)
    restored = page.locator(f"#notice-{decided.restore_action_id}")
    expect(restored).to_contain_text(TEXT)  # visible again: named by its words
    expect(restored).to_contain_text(words.in_favour)
    expect(restored.locator("textarea")).to_have_count(0)
    restored.get_by_role("link", name=words.why).click()
    expect(page).to_have_url(f"{server_url}/posts/{post.id}/why")
    page.goto(f"{server_url}/cases/{case_id}")
    expect(page.locator("#outcome")).to_contain_text(words.nothing_in_force)
    expect(page.locator("#outcome")).to_contain_text(words.reversed_)


def _case_reported_by(services: Services, reporter: Account) -> int:
    """The case of the one report `reporter` filed."""
    query = select(moderation_reports.c.case_id).where(
        moderation_reports.c.reporter_id == reporter.id
    )
    with services.db.read() as conn:
        case_id: int = conn.execute(query).scalar_one()
    return case_id
