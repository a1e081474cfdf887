"""Reading markers: an app saves where its user stopped reading, another app opens there."""

from .conftest import Client, UserFactory


def test_a_saved_marker_is_what_every_app_reads(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")

    assert (
        client.get("/api/v1/markers", params={"timeline[]": "home"}, headers=alice.headers).json()
        == {}
    )
    saved = client.post(
        "/api/v1/markers", data={"home[last_read_id]": "103206604258487607"}, headers=alice.headers
    )
    again = client.post(
        "/api/v1/markers",
        json={"home": {"last_read_id": "103206604258487608"}, "notifications": {"last_read_id": 5}},
        headers=alice.headers,
    )
    read = client.get(
        "/api/v1/markers?timeline[]=home&timeline[]=notifications", headers=alice.headers
    ).json()

    assert saved.status_code == 200, saved.text
    assert saved.json()["home"]["version"] == 1
    assert again.json()["home"] == read["home"]
    assert read["home"]["last_read_id"] == "103206604258487608"
    assert read["home"]["version"] == 2
    assert read["home"]["updated_at"].endswith("Z")
    assert read["notifications"]["last_read_id"] == "5"
    assert read["notifications"]["version"] == 1


def test_markers_are_each_users_own(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post("/api/v1/markers", data={"home[last_read_id]": "7"}, headers=alice.headers)

    assert client.get("/api/v1/markers?timeline[]=home", headers=bob.headers).json() == {}


def test_bad_markers_are_refused(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    reader = make_user("reader", scopes="read")

    nothing = client.post("/api/v1/markers", data={}, headers=alice.headers)
    not_an_id = client.post(
        "/api/v1/markers", data={"home[last_read_id]": "soon"}, headers=alice.headers
    )

    assert nothing.status_code == 422
    assert "home[last_read_id]" in nothing.json()["error"]
    assert not_an_id.status_code == 422
    assert client.get("/api/v1/markers?timeline[]=home").status_code == 401
    assert (
        client.post(
            "/api/v1/markers", data={"home[last_read_id]": "7"}, headers=reader.headers
        ).status_code
        == 403
    )
    assert client.get("/api/v1/markers?timeline[]=lists", headers=alice.headers).json() == {}
