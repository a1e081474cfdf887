"""Notifications: Mastodon's types (a reply is a mention), filters and paging."""

from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.moderation import ActionKind, Decision, PostTarget

from .conftest import Client, UserFactory
from .test_statuses import post_status
from .test_timelines import walk


def test_each_kind_of_notification(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "hello")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=bob.headers)
    client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=bob.headers)
    post_status(client, bob, "a reply", in_reply_to_id=status["id"])
    post_status(client, bob, "hey @alice")
    found = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert [n["type"] for n in found] == [
        "mention",
        "mention",
        "reblog",
        "favourite",
        "follow",
    ]
    assert all(n["account"]["id"] == bob.id for n in found)
    assert found[2]["status"]["id"] == status["id"]
    assert found[4]["status"] is None
    one = client.get(f"/api/v1/notifications/{found[0]['id']}", headers=alice.headers)
    assert one.json()["id"] == found[0]["id"]


def test_filtering_by_type(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "hello")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=bob.headers)
    post_status(client, bob, "a reply", in_reply_to_id=status["id"])

    def types(query: str) -> list[str]:
        response = client.get(f"/api/v1/notifications?{query}", headers=alice.headers)
        assert response.status_code == 200
        return [n["type"] for n in response.json()]

    assert types("types[]=mention") == ["mention"]
    assert types("types[]=follow&types[]=favourite") == ["favourite", "follow"]
    assert types("exclude_types[]=mention&exclude_types[]=follow") == ["favourite"]
    assert types("types[]=poll") == []


def test_notifications_page_through_link_headers(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    fans = [make_user() for _ in range(7)]
    for fan in fans:
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=fan.headers)
    pages = walk(client, "/api/v1/notifications", alice, limit="3")
    assert [len(p) for p in pages] == [3, 3, 1]
    assert len({i for p in pages for i in p}) == 7


def test_notifications_are_private(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    mine = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert client.get("/api/v1/notifications").status_code == 401
    peek = client.get(f"/api/v1/notifications/{mine[0]['id']}", headers=bob.headers)
    assert peek.status_code == 404
    assert client.get("/api/v1/notifications/zzz", headers=alice.headers).status_code == 404
    reader = make_user(scopes="read:statuses")
    assert client.get("/api/v1/notifications", headers=reader.headers).status_code == 403


def test_muted_accounts_do_not_notify(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers)
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert client.get("/api/v1/notifications", headers=alice.headers).json() == []


def test_a_moderation_decision_is_a_moderation_warning_linking_its_notice(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    alice, mod = make_user("alice"), make_user("mod")
    services.microblog.accounts.set_role(mod.account.id, Role.MODERATOR)
    status = post_status(client, alice, "hello")
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.REMOVE in c.allowed_actions
    )
    removal = Decision(
        mod.account.id, ActionKind.REMOVE, PostTarget(int(status["id"])), clause.ref, "Facts."
    )
    action = services.moderation.enforce(removal)
    (found,) = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert found["type"] == "moderation_warning"
    assert found["account"]["id"] == alice.id  # from its recipient: no moderator is named
    assert found["status"] is None
    assert found["townsquare_notice_url"].endswith(f"/notices#notice-{action.id}")
    warning = found["moderation_warning"]
    assert (warning["id"], warning["action"], warning["target_account"]["id"]) == (
        str(action.id),
        "none",
        alice.id,
    )

    def types(query: str) -> list[str]:
        response = client.get(f"/api/v1/notifications?{query}", headers=alice.headers)
        return [n["type"] for n in response.json()]

    assert types("types[]=moderation_warning") == ["moderation_warning"]
    assert types("exclude_types[]=moderation_warning") == []
    plain = client.get("/api/v1/notifications", headers=mod.headers).json()
    assert plain == []


def test_other_notifications_carry_no_moderation_fields(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    (found,) = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert "moderation_warning" not in found
    assert "townsquare_notice_url" not in found


def test_unread_count_follows_the_notifications_marker(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for fan in (bob, carol):
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=fan.headers)
    unread = "/api/v1/notifications/unread_count"
    before = client.get(unread, headers=alice.headers).json()
    newest = client.get("/api/v1/notifications", headers=alice.headers).json()[0]["id"]
    older = client.get("/api/v1/notifications", headers=alice.headers).json()[1]["id"]

    client.post(
        "/api/v1/markers", data={"notifications[last_read_id]": older}, headers=alice.headers
    )
    after_one = client.get(unread, headers=alice.headers).json()
    client.post(f"/api/v1/accounts/{carol.id}/block", headers=alice.headers)
    after_block = client.get(unread, headers=alice.headers).json()
    client.post(
        "/api/v1/markers", data={"notifications[last_read_id]": newest}, headers=alice.headers
    )

    assert before == {"count": 2}
    assert after_one == {"count": 1}
    assert after_block == {"count": 0}  # carol's follow, newest, is not listed any more
    assert client.get(unread, headers=alice.headers).json() == {"count": 0}
    assert client.get(unread, params={"limit": "1"}, headers=bob.headers).json() == {"count": 0}
    assert client.get(unread).status_code == 401


def test_dismissing_one_notification_and_clearing_them_all(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for fan in (bob, carol):
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=fan.headers)
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=carol.headers)
    first = client.get("/api/v1/notifications", headers=alice.headers).json()[0]["id"]

    not_hers = client.post(f"/api/v1/notifications/{first}/dismiss", headers=bob.headers)
    dismissed = client.post(f"/api/v1/notifications/{first}/dismiss", headers=alice.headers)
    again = client.post(f"/api/v1/notifications/{first}/dismiss", headers=alice.headers)
    left = client.get("/api/v1/notifications", headers=alice.headers).json()
    cleared = client.post("/api/v1/notifications/clear", headers=alice.headers)

    assert not_hers.status_code == 404
    assert (dismissed.status_code, dismissed.json()) == (200, {})
    assert again.status_code == 404
    assert first not in [n["id"] for n in left]
    assert len(left) == 1
    assert cleared.status_code == 200
    assert client.get("/api/v1/notifications", headers=alice.headers).json() == []
    assert len(client.get("/api/v1/notifications", headers=bob.headers).json()) == 1
