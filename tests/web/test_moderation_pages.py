"""The moderation pages: reporting, the blind queue, the case page with its preview, notices
and appeals, and the public decisions, cases and "why?" pages — through the real services."""

import re

import pytest
from httpx import Response

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Account, Post, Role
from townsquare.moderation import PostTarget, QueueFilter, ReportDraft
from web.forms import WebClient, sign_in, submit

FRENCH = {"Accept-Language": "fr"}
CLAUSE = "civic-integrity/1@2"  # allows reduce_reach


def _case(services: Services, reporter: Account, post: Post) -> int:
    draft = ReportDraft(reporter.id, PostTarget(post.id), comment="misleading <b>claim</b>")
    return services.moderation.cases.report(draft).case_id


def _preview_parts(page: str) -> tuple[str, str]:
    """The preview section's text outside its folded raw statement, and that statement."""
    section = page[page.index('<section class="preview"') :]
    section = section[: section.index("</section>")]
    start, end = section.index('<details class="raw">'), section.index("</details>")
    return section[:start] + section[end:], section[start:end]


def _decide(client: WebClient, case_id: int, **extra: str) -> Response:
    fields = {"action": "reduce_reach", "clause": CLAUSE, "facts": "It misleads voters."}
    return submit(client, f"/moderation/cases/{case_id}/decide", {**fields, **extra})


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("alice")


@pytest.fixture
def reported(author: Account, make_post: PostFactory) -> Post:
    return make_post(author, "Vote on Wednesday, not Sunday")


@pytest.mark.parametrize("path", ["/moderation", "/moderation/appeals", "/notices"])
def test_anonymous_visitors_are_sent_to_sign_in(client: WebClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/moderation", "/moderation/appeals"])
def test_members_get_a_403_page(client: WebClient, make_account: AccountFactory, path: str) -> None:
    make_account("bob")
    sign_in(client, "bob")
    response = client.get(path)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/moderation"' not in response.text  # no nav link either


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_moderators_and_admins_see_the_blind_queue(
    client: WebClient,
    services: Services,
    make_account: AccountFactory,
    reported: Post,
    role: Role,
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    make_account("mod", role=role)
    sign_in(client, "mod")
    queue = client.get("/moderation")
    assert queue.status_code == 200
    assert f'href="/moderation/cases/{case_id}">A reported post — opened ' in queue.text
    assert f"Case {case_id}" not in queue.text  # named in words, not by its id
    assert "alice" not in queue.text  # blind: a pseudonym stands for the author
    assert 'href="/moderation"' in queue.text
    assert str(reported.id) not in queue.text
    assert str(reported.account_id) not in queue.text
    case = client.get(f"/moderation/cases/{case_id}")
    assert "Vote on Wednesday" in case.text
    assert "alice" not in case.text
    assert str(reported.id) not in case.text  # no link to the post, its "why?" page…
    assert str(reported.account_id) not in case.text
    assert "bob" not in case.text.replace("/@bob", "")
    assert "misleading &lt;b&gt;claim&lt;/b&gt;" in case.text  # escaped


def test_case_page_authorization(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    path = f"/moderation/cases/{case_id}"
    assert client.get(path, follow_redirects=False).status_code == 303
    sign_in(client, "bob")
    assert client.get(path).status_code == 403
    assert submit(client, f"{path}/take").status_code == 403
    client.cookies.clear()
    sign_in(client, "alice")  # a member, and the author besides
    assert client.get(path).status_code == 403


def test_a_member_reports_a_post(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    make_account("bob")
    sign_in(client, "bob")
    thread = client.get(f"/@alice/{reported.id}").text
    assert f'href="/posts/{reported.id}/report"' in thread
    form = client.get(f"/posts/{reported.id}/report")
    assert "Civic integrity" in form.text
    assert CLAUSE in form.text
    fields = {"category": "violation", "clause": CLAUSE, "comment": "wrong date"}
    done = submit(client, f"/posts/{reported.id}/report", fields)
    assert done.status_code == 200
    assert "Your report was filed" in done.text
    moderator = make_account("mod", role=Role.MODERATOR)
    queued = services.moderation.cases.queue(moderator.id, QueueFilter())
    assert [item.report_count for item in queued] == [1]


def test_a_member_reports_an_account_from_its_profile(
    client: WebClient, services: Services, make_account: AccountFactory, author: Account
) -> None:
    assert client.get(f"/accounts/{author.id}/report", follow_redirects=False).status_code == 303
    make_account("bob")
    sign_in(client, "bob")
    profile = client.get("/@alice").text
    assert f'href="/accounts/{author.id}/report"' in profile
    form = client.get(f"/accounts/{author.id}/report", headers=FRENCH)
    assert "Signaler @alice" in form.text
    fields = {"category": "spam", "clause": "", "comment": "Posts the same link all day"}
    done = submit(client, f"/accounts/{author.id}/report", fields)
    assert done.status_code == 200
    assert "moderators will review the account" in done.text
    moderator = make_account("mod", role=Role.MODERATOR)
    [item] = services.moderation.cases.queue(moderator.id, QueueFilter())
    assert (item.target_kind, item.report_count) == ("account", 1)
    again = submit(client, f"/accounts/{author.id}/report", {"comment": "and again"})
    assert again.status_code == 200
    [joined] = services.moderation.cases.queue(moderator.id, QueueFilter())
    assert joined.case_id == item.case_id  # the account's open case...
    assert joined.report_count == 1  # ...which counts bob once: it counts reporters
    sign_in(client, "alice")
    assert 'href="/accounts/' not in client.get("/@alice").text.split("<h2>")[0]
    assert client.get(f"/accounts/{author.id}/report").status_code == 422
    assert client.get("/accounts/99999/report").status_code == 404


def test_reporting_needs_a_known_clause(
    client: WebClient, make_account: AccountFactory, reported: Post
) -> None:
    make_account("bob")
    sign_in(client, "bob")
    refused = submit(client, f"/posts/{reported.id}/report", {"clause": "nope/1@1"})
    assert refused.status_code in {404, 422}


def test_forms_without_a_csrf_token_are_refused(
    client: WebClient, make_account: AccountFactory, reported: Post
) -> None:
    make_account("bob")
    sign_in(client, "bob")
    refused = client.post(f"/posts/{reported.id}/report", data={"comment": "x"})
    assert refused.status_code == 403


def test_take_preview_and_decide(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    make_account("mod", role=Role.MODERATOR)
    sign_in(client, "mod")
    taken = submit(client, f"/moderation/cases/{case_id}/take", follow=True)
    assert "Preview the statement of reasons" in taken.text
    comment = {"text": "Dates are <wrong>"}
    shown = submit(client, f"/moderation/cases/{case_id}/comments", comment, follow=True)
    assert "Dates are &lt;wrong&gt;" in shown.text
    preview = _decide(client, case_id, preview="1")
    assert preview.status_code == 200, re.findall("form-error.*", preview.text)
    text = preview.text
    assert "Statement of reasons" in text
    assert "It misleads voters." in text
    assert "Reduced reach" in text
    assert services.moderation.receipt_for_post(reported.id) == []  # nothing enforced yet
    refused = _decide(client, case_id, clause="civic-integrity/2@1", preview="1")
    assert refused.status_code == 422
    decided = _decide(client, case_id)
    assert decided.status_code == 303
    services.ledger.integrate()
    public = client.get(f"/cases/{case_id}")
    assert "Dates are &lt;wrong&gt;" in public.text
    assert "Reduced reach" in public.text
    decisions = client.get("/decisions").text
    assert CLAUSE in decisions
    assert "/ledger/view/" in decisions
    why = client.get(f"/posts/{reported.id}/why").text
    assert "It misleads voters." in why
    assert "Inclusion proof" in why
    assert services.moderation.check_projection().matches


def test_notice_appeal_and_reversal(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    first = make_account("mod1", role=Role.MODERATOR)
    make_account("mod2", role=Role.MODERATOR)
    services.moderation.cases.take(case_id, first.id)
    sign_in(client, "mod1")
    _decide(client, case_id)
    client.cookies.clear()
    sign_in(client, "alice")
    notices = client.get("/notices")
    assert "It misleads voters." in notices.text
    assert CLAUSE in notices.text
    action_id = int(re.findall(r"/notices/(\d+)/appeal", notices.text)[0])
    appealed = submit(client, f"/notices/{action_id}/appeal", {"reason": "The date is right."})
    assert appealed.status_code == 303
    assert "You appealed this decision" in client.get("/notices").text
    client.cookies.clear()
    sign_in(client, "mod2")
    pending = client.get("/moderation/appeals")
    assert "The date is right." in pending.text
    assert "alice" not in pending.text
    appeal_id = int(re.findall(r"/moderation/appeals/(\d+)/decide", pending.text)[0])
    fields = {"outcome": "reversed", "reasons": "The date was right."}
    assert submit(client, f"/moderation/appeals/{appeal_id}/decide", fields).status_code == 303
    services.ledger.integrate()
    assert len(services.moderation.receipt_for_post(reported.id)) >= 2
    assert services.moderation.check_projection().matches


def test_the_pages_speak_french(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    make_account("mod", role=Role.MODERATOR)
    sign_in(client, "mod")
    queue = client.get("/moderation", headers=FRENCH).text
    assert '<html lang="fr">' in queue
    assert "File de modération" in queue
    submit(client, f"/moderation/cases/{case_id}/take")
    case = client.get(f"/moderation/cases/{case_id}", headers=FRENCH).text
    assert "Prévisualiser l’exposé des motifs" in case
    assert "Décisions" in client.get("/decisions", headers=FRENCH).text


def test_an_undecided_case_is_not_public(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    assert client.get(f"/cases/{case_id}").status_code == 404


def test_the_chosen_surfaces_reach_the_action_and_the_preview_is_the_statement(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    make_account("mod", role=Role.MODERATOR)
    sign_in(client, "mod")
    submit(client, f"/moderation/cases/{case_id}/take")
    form = client.get(f"/moderation/cases/{case_id}").text
    assert 'name="surface_public"' in form
    chosen = {"surface_public": "1", "surface_home": "1"}
    preview = _decide(client, case_id, preview="1", **chosen)
    assert preview.status_code == 200, re.findall("form-error.*", preview.text)
    words, raw = _preview_parts(preview.text)
    for said in (
        "Reduced reach",
        "False information about how to vote",
        "version 2",
        "It misleads voters.",
        "Home timelines, Public timeline",
        "Everywhere",
        "The courts",
        "Found and decided by people, without automation",
    ):
        assert said in words, said
    assert "DECISION_" not in words
    assert "STATEMENT_CATEGORY_" not in words
    assert "{&#34;" not in words
    assert "DECISION_VISIBILITY_CONTENT_DEMOTED" in raw  # the DSA fields, folded away
    assert "&#34;surfaces&#34;: [" in raw
    assert 'name="surface_public" value="1" checked' in preview.text
    assert services.moderation.receipt_for_post(reported.id) == []
    assert _decide(client, case_id, **chosen).status_code == 303
    assert "Vote on Wednesday" not in client.get("/public").text
    assert "Vote on Wednesday" in client.get("/@alice").text
    assert "Vote on Wednesday" in client.get("/search", params={"q": "Wednesday"}).text
    assert services.moderation.check_projection().matches


def test_the_preview_reads_in_french(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    make_account("mod", role=Role.MODERATOR)
    sign_in(client, "mod")
    submit(client, f"/moderation/cases/{case_id}/take")
    client.cookies.set("lang", "fr")
    preview = _decide(client, case_id, preview="1", ends_on="2027-01-31")
    assert preview.status_code == 200, re.findall("form-error.*", preview.text)
    words, _raw = _preview_parts(preview.text)
    for said in (
        "Diffusion réduite",
        "version 2",
        "Partout",
        "Jusqu’au 31 janvier 2027",
        "Les tribunaux",
        "Un signalement d’un membre",
    ):
        assert said in words, said
    assert "DECISION_" not in words


def test_revealing_the_author_takes_a_reason_and_is_in_the_deliberation(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    make_account("mod", role=Role.MODERATOR)
    sign_in(client, "mod")
    path = f"/moderation/cases/{case_id}"
    assert f'action="{path}/reveal"' in client.get(path).text
    client.cookies.set("lang", "fr")
    refused = submit(client, f"{path}/reveal", {"reason": "  "})
    assert refused.status_code == 422
    assert "Dites pourquoi il vous faut savoir qui en est l’auteur." in refused.text
    assert "alice" not in refused.text
    revealed = submit(client, f"{path}/reveal", {"reason": "Same text from many accounts?"})
    assert (revealed.status_code, revealed.headers["location"]) == (303, f"{path}#author")
    case = client.get(path).text
    assert 'href="/@alice"' in case
    assert f'href="/posts/{reported.id}/why"' in case
    assert "a dévoilé qui en est l’auteur" in case
    assert "Same text from many accounts?" in case


def test_a_member_cannot_reveal_an_author(
    client: WebClient, services: Services, make_account: AccountFactory, reported: Post
) -> None:
    case_id = _case(services, make_account("bob"), reported)
    sign_in(client, "bob")
    refused = submit(client, f"/moderation/cases/{case_id}/reveal", {"reason": "curious"})
    assert refused.status_code == 403
    assert "alice" not in refused.text
