"""The outside-request pages: a moderator logs a request from the form, its item's case
shows it, the case is decided and the request answered; the public register shows it, a
sealed one only as its fingerprint, and the post's "why?" page lists its entries."""

from datetime import UTC, datetime, timedelta

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Post, Role
from web.forms import WebClient, sign_in, submit

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CLAUSE = "civic-integrity/1@2"  # allows reduce_reach
FRENCH = {"Accept-Language": "fr"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def post(make_account: AccountFactory, make_post: PostFactory) -> Post:
    return make_post(make_account("writer"), "Polls close on Monday")


@pytest.fixture
def moderator(make_account: AccountFactory) -> Account:
    return make_account("mona", role=Role.MODERATOR)


def _form(post: Post, **changes: str) -> dict[str, str]:
    return {
        "requester_kind": "government",
        "requester": "Préfecture du Rhône",
        "country": "fr",
        "legal_basis": "Code électoral, art. L. 52-1",
        "ground": "DSA_GROUND_ILLEGAL_CONTENT",
        "requested_action": "reduce_reach",
        "posts": f"http://127.0.0.1:8000/@writer/{post.id}",
        "accounts": "",
        "summary": "A wrong polling date.",
        "release_at": "",
        **changes,
    }


def _log(client: WebClient, post: Post, **changes: str) -> str:
    response = submit(client, "/moderation/requests", _form(post, **changes))
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


def test_members_and_anonymous_visitors_cannot_log_requests(
    client: WebClient, post: Post, make_account: AccountFactory
) -> None:
    assert client.get("/moderation/requests", follow_redirects=False).status_code == 303
    assert submit(client, "/moderation/requests", _form(post)).status_code == 303
    make_account("member")
    sign_in(client, "member")
    assert client.get("/moderation/requests").status_code == 403
    assert submit(client, "/moderation/requests", _form(post)).status_code == 403
    assert "Log an outside request" not in client.get("/requests").text


def test_a_request_from_log_to_answer(
    client: WebClient, services: Services, post: Post, moderator: Account
) -> None:
    sign_in(client, "mona")
    staff_page = _log(client, post)
    shown = client.get(staff_page).text
    assert "Préfecture du Rhône" in shown
    assert "Not decided yet" in shown
    refused = submit(client, f"{staff_page}/answer", {"reasons": "Too early."})
    assert refused.status_code == 422
    assert "decide its items&#39; cases first" in refused.text

    # The item's case names the request; the moderator decides it.
    (found,) = services.moderation.requests.all(moderator.id)
    case_id = found.items[0].case_id
    case_page = client.get(f"/moderation/cases/{case_id}").text
    assert "Outside requests about this item" in case_page
    assert "1 outside request" in client.get("/moderation").text
    assert submit(client, f"/moderation/cases/{case_id}/take").status_code == 303
    decided = {"action": "reduce_reach", "clause": CLAUSE, "facts": "A wrong polling date."}
    assert submit(client, f"/moderation/cases/{case_id}/decide", decided).status_code == 303

    answered = submit(client, f"{staff_page}/answer", {"reasons": "Reach reduced."}, follow=True)
    assert answered.status_code == 200
    assert "Complied" in answered.text
    public = client.get(f"/requests/{found.id}").text
    assert "Reach reduced." in public
    assert found.nonce in public
    assert "Outside requests about this item" in client.get(f"/cases/{case_id}").text

    services.ledger.integrate()
    why = client.get(f"/posts/{post.id}/why").text
    assert "Outside request" in why
    assert "Answer to an outside request" in why


def test_a_bad_form_is_a_422_that_keeps_what_was_typed(
    client: WebClient, post: Post, moderator: Account
) -> None:
    sign_in(client, "mona")
    refused = submit(client, "/moderation/requests", _form(post, posts="not-a-post"))
    assert refused.status_code == 422
    assert "neither a post" in refused.text
    assert "Préfecture du Rhône" in refused.text
    unknown = submit(client, "/moderation/requests", _form(post, posts="", accounts="@nobody"))
    assert unknown.status_code == 422


def test_a_sealed_request_is_a_fingerprint_in_public_until_released(
    client: WebClient, post: Post, moderator: Account, clock: FixedClock
) -> None:
    sign_in(client, "mona")
    release = (NOW + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    staff_page = _log(client, post, release_at=release, requester="Tribunal judiciaire")
    assert "Tribunal judiciaire" in client.get(staff_page).text  # moderators see it whole
    request_id = staff_page.rsplit("/", 1)[1]

    anonymous = client.__class__(client.app)
    register = anonymous.get("/requests").text
    assert f'<a href="/requests/{request_id}"><strong>A sealed request</strong></a>' in register
    assert "Tribunal judiciaire" not in register
    assert "received December 3, 2026 ·" in register  # the day it came, not the time
    page = anonymous.get(f"/requests/{request_id}").text
    assert "This request is sealed until" in page
    assert "Tribunal judiciaire" not in page
    assert "<dd>December 3, 2026</dd>" in page
    assert "9:00:00" not in register + page  # nor is the release date, kept to the day
    assert "Demande sous scellés" in anonymous.get("/requests", headers=FRENCH).text

    clock.advance(timedelta(days=5, hours=15))  # the end of the day asked for
    assert "Tribunal judiciaire" in anonymous.get(f"/requests/{request_id}").text


def test_the_authors_notice_says_who_flagged_the_post(
    client: WebClient, services: Services, post: Post, moderator: Account
) -> None:
    sign_in(client, "mona")
    _log(client, post)
    (found,) = services.moderation.requests.all(moderator.id)
    case_id = found.items[0].case_id
    submit(client, f"/moderation/cases/{case_id}/take")
    decided = {"action": "reduce_reach", "clause": CLAUSE, "facts": "A wrong polling date."}
    assert submit(client, f"/moderation/cases/{case_id}/decide", decided).status_code == 303
    submit(client, "/logout")

    sign_in(client, "writer")
    notices = client.get("/notices").text
    assert "Flagged by" in notices
    assert "Préfecture du Rhône" in notices
    assert "Signalé par" in client.get("/notices", headers=FRENCH).text
