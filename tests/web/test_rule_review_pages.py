"""The moderators' rule-review pages: who may open them, what the blind page shows and hides,
and the answer, which goes to the ledger — through the real services."""

import pytest
from sqlalchemy import select

from conftest import AccountFactory, PostFactory
from moderation.rules.ledger_entries import detection
from townsquare.app import Services
from townsquare.ledger import decode_entry
from townsquare.microblog import Role
from townsquare.moderation.rules import DetectionOutcome
from townsquare.storage.tables import rule_reviews
from web.forms import WebClient, sign_in, submit

QUEUE = "/moderation/rule-reviews"
FRENCH = {"Accept-Language": "fr"}


@pytest.fixture
def review_id(services: Services, make_account: AccountFactory, make_post: PostFactory) -> int:
    """A detection of Alice's post by malicious-links@1, drawn for a blind review."""
    author = make_account("alice", display_name="Alice Author")
    make_account("rev", role=Role.MODERATOR)
    make_account("member")
    post = make_post(author, "Cheap pills at pharma.example")
    with services.db.write() as conn:
        entry = detection(
            1,
            "malicious-links@1",
            DetectionOutcome.ACTION,
            target_id=post.id,
            account_id=author.id,
            action_id=77,
        )
        services.ledger.append(conn, entry)
    while services.ledger.integrate() is not None:
        pass
    services.rule_reviews.draw(1)
    with services.db.read() as conn:
        return int(conn.execute(select(rule_reviews.c.id)).scalar_one())


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("rev", 200)])
def test_only_moderators_open_the_queue(
    client: WebClient, review_id: int, role: str, status: int
) -> None:
    sign_in(client, role)
    assert client.get(QUEUE).status_code == status
    assert client.get(f"{QUEUE}/{review_id}").status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client: WebClient, review_id: int) -> None:
    response = client.get(f"{QUEUE}/{review_id}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_the_page_shows_the_item_and_the_clause_not_the_rule(
    client: WebClient, services: Services, review_id: int
) -> None:
    sign_in(client, "rev")
    assert f'href="{QUEUE}"' in client.get("/moderation").text
    assert f'href="{QUEUE}/{review_id}"' in client.get(QUEUE).text

    html = client.get(f"{QUEUE}/{review_id}").text

    assert "Cheap pills at pharma.example" in html
    clause = services.rules.rule("malicious-links@1").clause
    assert f"<code>{clause}</code>" in html
    for hidden in ("malicious-links", "alice", "Alice Author", "Removal", "/ledger/"):
        assert hidden not in html


def test_an_answer_is_logged_and_leaves_the_queue(
    client: WebClient, services: Services, review_id: int
) -> None:
    sign_in(client, "rev")
    answered = submit(client, f"{QUEUE}/{review_id}", {"verdict": "violates"})
    assert (answered.status_code, answered.headers["location"]) == (303, QUEUE)
    while services.ledger.integrate() is not None:
        pass
    last = decode_entry(services.ledger.entry(services.ledger.size() - 1))
    assert (last.type, last.fields["verdict"], last.fields["rule"]) == (
        "rule.review",
        "violates",
        "malicious-links@1",
    )
    assert f"{QUEUE}/{review_id}" not in client.get(QUEUE).text


def test_a_missing_verdict_is_refused_in_french(client: WebClient, review_id: int) -> None:
    sign_in(client, "rev")
    refused = submit(
        client,
        f"{QUEUE}/{review_id}",
        {"verdict": ""},
    )
    assert refused.status_code == 422
    assert "Say whether the item breaks the clause or not." in refused.text
    page = client.get(f"{QUEUE}/{review_id}", headers=FRENCH).text
    assert "L’élément enfreint-il la clause ?" in page


def test_the_account_detected_may_not_review_it(
    client: WebClient, services: Services, make_account: AccountFactory, review_id: int
) -> None:
    with services.db.read() as conn:
        account_id = conn.execute(select(rule_reviews.c.account_id)).scalar_one()
    # the detected account is made a moderator: it is about them, so it is refused
    services.microblog.accounts.set_role(account_id, Role.MODERATOR)
    sign_in(client, "alice")
    refused = client.get(f"{QUEUE}/{review_id}")
    assert refused.status_code == 403
    assert "another moderator must review it" in refused.text
