"""A post's public "why?" receipt lists every ledger entry that affects it, with proofs."""

import base64

from litestar.testing import TestClient

from conftest import AccountFactory, PostFactory
from moderation.conftest import Decide
from townsquare.app import Services, create_app
from townsquare.ledger import decode_entry, leaf_hash, verify_inclusion
from townsquare.microblog import Role
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    AppealState,
    Moderation,
    PostTarget,
    UrlTarget,
)


def test_the_receipt_lists_decisions_on_the_post_its_author_and_its_links(
    moderation: Moderation,
    decide: Decide,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author = make_account("author")
    post = make_post(author, "look https://bad.example/x")
    other = make_post(make_account("bystander"), "nothing here")
    removal = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    moderation.enforce(decide(ActionKind.RESTORE, PostTarget(post.id), restores=removal.id))
    moderation.enforce(decide(ActionKind.WARN, AccountTarget(author.id)))
    moderation.enforce(decide(ActionKind.BLOCK_URL, UrlTarget("bad.example")))
    moderation.enforce(decide(ActionKind.REMOVE, PostTarget(other.id)))
    moderation.enforce(decide(ActionKind.BLOCK_URL, UrlTarget("good.example")))
    assert moderation.receipt_for_post(post.id) == []  # nothing integrated yet
    services.ledger.integrate()
    indexes = moderation.receipt_for_post(post.id)
    assert len(indexes) == 4

    with TestClient(app=create_app(services)) as client:
        response = client.get(f"/api/v1/townsquare/posts/{post.id}/why")
    assert response.status_code == 200
    body = response.json()
    assert [e["index"] for e in body["entries"]] == indexes
    actions = [e["entry"]["action"] for e in body["entries"]]
    assert actions == ["remove", "restore", "warn", "block_url"]
    checkpoint = services.ledger.checkpoint()
    for proved in body["entries"]:
        entry = services.ledger.entry(proved["index"])
        proof = [base64.b64decode(p) for p in proved["inclusion_proof"]]
        verify_inclusion(
            leaf_hash(entry), proved["index"], checkpoint.size, proof, checkpoint.root_hash
        )


def test_the_receipt_lists_an_appeal_outcome_and_the_restore_it_enforced(
    moderation: Moderation,
    decide: Decide,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author = make_account("author")
    reviewer = make_account("reviewer", role=Role.MODERATOR)
    post = make_post(author, "a post the moderator removes")
    removal = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    appeal = moderation.appeals.file(author.id, removal.id, "It was satire.")
    moderation.appeals.assign(appeal.id, reviewer.id)
    moderation.appeals.decide(appeal.id, reviewer.id, AppealState.REVERSED, "Satire.")
    services.ledger.integrate()

    with TestClient(app=create_app(services)) as client:
        response = client.get(f"/api/v1/townsquare/posts/{post.id}/why")
    assert response.status_code == 200
    proved = response.json()["entries"]
    assert [p["index"] for p in proved] == moderation.receipt_for_post(post.id)
    entries = [decode_entry(services.ledger.entry(p["index"])) for p in proved]
    # In ledger order: the decision, then the restore and the appeal's outcome, which
    # commit in one transaction, the restore (enforced while deciding) first.
    assert [(e.type, e.fields["action"]) for e in entries] == [
        ("moderation.decision", "remove"),
        ("moderation.decision", "restore"),
        ("moderation.appeal", "remove"),
    ]
    assert entries[2].fields["outcome"] == "reversed"
    assert entries[1].fields["restores"] == str(removal.id)
    checkpoint = services.ledger.checkpoint()
    for item in proved:
        proof = [base64.b64decode(p) for p in item["inclusion_proof"]]
        verify_inclusion(
            leaf_hash(services.ledger.entry(item["index"])),
            item["index"],
            checkpoint.size,
            proof,
            checkpoint.root_hash,
        )
