"""The public "why?" and case pages lead with a plain sentence and speak French; the anonymous
home page says what this place is; titles are words, not ids."""

import re

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Account, Post, Role
from townsquare.moderation import AccountTarget, ActionKind, CaseDecision, PostTarget, ReportDraft
from web.forms import WebClient, sign_in, submit

FRENCH = {"Accept-Language": "fr"}
CLAUSE = "civic-integrity/1@2"  # allows reduce_reach
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


@pytest.fixture
def reported(make_account: AccountFactory, make_post: PostFactory) -> Post:
    return make_post(make_account("alice"), "Vote on Wednesday, not Sunday")


def _decided_case(services: Services, reporter: Account, post: Post, moderator: Account) -> int:
    """A case on `post`, its reach reduced by `moderator`, integrated into the ledger."""
    draft = ReportDraft(reporter.id, PostTarget(post.id), comment="wrong day")
    case_id = services.moderation.cases.report(draft).case_id
    services.moderation.cases.take(case_id, moderator.id)
    return case_id


def _decide(client: WebClient, services: Services, case_id: int) -> None:
    fields = {"action": "reduce_reach", "clause": CLAUSE, "facts": "It misleads voters."}
    assert submit(client, f"/moderation/cases/{case_id}/decide", fields).status_code == 303
    services.ledger.integrate()


def _lead(page: str) -> str:
    found = re.search(r'<p class="lead__sentence">(.*?)</p>', page, re.S)
    assert found, "the page has no lead sentence"
    return found.group(1).replace("&#39;", "'").replace("&#34;", '"')


@pytest.fixture
def case_id(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> int:
    moderator = make_account("mod1", role=Role.MODERATOR)
    found = _decided_case(services, make_account("bob"), reported, moderator)
    sign_in(client, "mod1")
    _decide(client, services, found)
    client.cookies.clear()
    return found


def test_the_why_page_leads_with_a_sentence_then_the_proofs(
    client: WebClient, reported: Post, case_id: int
) -> None:
    page = client.get(f"/posts/{reported.id}/why").text
    assert _lead(page) == (
        "This post’s reach was reduced under the rule “False information about how to vote” "
        f"({CLAUSE}); a moderator decided it; no appeal against it has been decided."
    )
    assert page.index("lead__sentence") < page.index('id="proofs"') < page.index("Leaf hash")
    assert 'href="/policies/civic-integrity#clause-1-v2"' in page
    assert "you can appeal" not in page  # an anonymous reader cannot
    french = client.get(f"/posts/{reported.id}/why", headers=FRENCH).text
    assert _lead(french).startswith("La diffusion de ce message a été réduite au titre de la")
    assert "un modérateur en a décidé ; aucun recours" in _lead(french)
    assert "Vérifier les preuves" in french


def test_the_author_is_told_they_may_appeal(
    client: WebClient, reported: Post, case_id: int
) -> None:
    sign_in(client, "alice")
    page = client.get(f"/posts/{reported.id}/why").text
    assert "This decision is about you: you can appeal it from your notices until" in page
    assert 'href="/notices"' in page


def test_the_case_page_is_titled_in_words_and_leads_with_the_decision(
    client: WebClient, case_id: int
) -> None:
    page = client.get(f"/cases/{case_id}").text
    title = "Decision on a post by @alice — reduced reach"
    assert TITLE.findall(page) == [f"{title} · Townsquare"]
    assert H1.findall(page) == [title]
    assert str(case_id) not in TITLE.findall(page)[0]
    assert _lead(page).startswith("This post’s reach was reduced under the rule")
    assert "It misleads voters." in page
    french = client.get(f"/cases/{case_id}", headers=FRENCH).text
    assert H1.findall(french) == ["Décision sur un message de @alice — diffusion réduite"]
    assert re.search(r"Dossier du \d+ \w+ \d{4}", french)


def test_after_a_reversal_the_case_page_says_nothing_is_in_force(
    client: WebClient,
    services: Services,
    make_account: AccountFactory,
    reported: Post,
    case_id: int,
) -> None:
    services.ledger.integrate()
    sign_in(client, "alice")
    notices = client.get("/notices").text
    action_id = int(re.findall(r"/notices/(\d+)/appeal", notices)[0])
    submit(client, f"/notices/{action_id}/appeal", {"reason": "The date is right."})
    client.cookies.clear()
    make_account("mod2", role=Role.MODERATOR)
    sign_in(client, "mod2")
    pending = client.get("/moderation/appeals").text
    appeal_id = int(re.findall(r"/moderation/appeals/(\d+)/decide", pending)[0])
    fields = {"outcome": "reversed", "reasons": "The date was right."}
    assert submit(client, f"/moderation/appeals/{appeal_id}/decide", fields).status_code == 303
    services.ledger.integrate()
    client.cookies.clear()
    page = client.get(f"/cases/{case_id}").text
    assert "on appeal, another moderator reversed it, and it is no longer in force." in _lead(page)
    in_force = page[page.index("<dt>In force now</dt>") :]
    assert in_force.startswith(
        "<dt>In force now</dt>\n  <dd>Nothing: the restriction was lifted</dd>"
    )
    why = client.get(f"/posts/{reported.id}/why", headers=FRENCH).text
    assert "sur recours, un autre modérateur l’a annulée" in _lead(why)


def test_the_anonymous_home_page_says_what_this_place_is(client: WebClient) -> None:
    page = client.get("/").text
    assert H1.findall(page) == ["Townsquare"]
    for link in ("/decisions", "/requests", "/elections", "/ledger"):
        assert f'href="{link}"' in page
    assert "every decision is public, with its reasons" in page
    assert "chaque décision est publique" in client.get("/", headers=FRENCH).text


def test_the_signed_in_home_page_is_the_timeline(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("bob")
    sign_in(client, "bob")
    page = client.get("/").text
    assert H1.findall(page) == ["Home"]
    assert "every decision is public, with its reasons" not in page


def test_a_case_about_an_account_leads_with_the_accounts_suspension(
    client: WebClient, services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    alice = make_account("alice")
    post = make_post(alice, "Something rude")
    reporter = make_account("bob")
    moderator = make_account("mod1", role=Role.MODERATOR)
    draft = ReportDraft(reporter.id, AccountTarget(alice.id), comment="harasses me")
    case_id = services.moderation.cases.report(draft).case_id
    services.moderation.cases.take(case_id, moderator.id)
    decided = CaseDecision(ActionKind.SUSPEND, "harassment/1@1", "Repeated insults.")
    services.moderation.cases.decide(case_id, moderator.id, decided)
    services.ledger.integrate()
    page = client.get(f"/cases/{case_id}").text
    assert H1.findall(page) == ["Decision on the account @alice — account suspension"]
    assert _lead(page).startswith(
        "This account was suspended under the rule “Targeted harassment” (harassment/1@1);"
    )
    french = client.get(f"/cases/{case_id}", headers=FRENCH).text
    assert _lead(french).startswith(
        "Ce compte a été suspendu au titre de la règle « Harcèlement ciblé » (harassment/1@1) ;"
    )
    tombstone = client.get(f"/@alice/{post.id}", headers=FRENCH).text
    assert "Ce compte est suspendu pour infraction à la règle « Harcèlement ciblé »" in tombstone
    assert f'href="/posts/{post.id}/why"' in tombstone
