"""OAuth: apps, the password, code and client-credentials grants, revocation, scopes."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from townsquare.microblog import Microblog

from .conftest import Client, UserFactory

OOB = "urn:ietf:wg:oauth:2.0:oob"
CALLBACK = "https://client.example/callback"
PASSWORD = "correct horse battery"


def register_app(client: Client, scopes: str = "read write follow push") -> dict[str, Any]:
    response = client.post(
        "/api/v1/apps",
        data={
            "client_name": "Test client",
            "redirect_uris": f"{OOB}\n{CALLBACK}",
            "scopes": scopes,
            "website": "https://client.example",
        },
    )
    assert response.status_code == 200, response.text
    app: dict[str, Any] = response.json()
    return app


def password_grant(
    client: Client, app: dict[str, Any], username: str, password: str = PASSWORD, **extra: str
) -> Any:
    return client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": username,
            "password": password,
            "scope": "read write follow push",
            **extra,
        },
    )


def test_registering_an_app_returns_its_credentials(client: Client) -> None:
    app = register_app(client)
    assert app["name"] == "Test client"
    assert app["redirect_uris"] == [OOB, CALLBACK]
    assert app["scopes"] == ["follow", "push", "read", "write"]
    assert len(app["client_id"]) > 20
    assert len(app["client_secret"]) > 20


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ({"redirect_uris": OOB}, "client_name"),
        ({"client_name": "x"}, "redirect_uris"),
        ({"client_name": "x", "redirect_uris": "not a uri"}, "redirect_uris"),
        ({"client_name": "x", "redirect_uris": OOB, "scopes": "read admin"}, "admin"),
        ({"client_name": "x" * 201, "redirect_uris": OOB}, "client_name"),
    ],
)
def test_bad_app_registrations_are_422(
    client: Client, data: dict[str, str], complaint: str
) -> None:
    response = client.post("/api/v1/apps", data=data)
    assert response.status_code == 422
    assert complaint in response.json()["error"]


def test_app_registration_accepts_json(client: Client) -> None:
    response = client.post(
        "/api/v1/apps",
        json={"client_name": "json app", "redirect_uris": [CALLBACK], "scopes": "read"},
    )
    assert response.status_code == 200
    assert response.json()["redirect_uris"] == [CALLBACK]


@pytest.mark.parametrize("login", ["alice", "@Alice", "alice@example.com", "ALICE@example.com"])
def test_password_grant_accepts_a_handle_or_an_email(
    client: Client, make_user: UserFactory, login: str
) -> None:
    make_user("alice")
    app = register_app(client)
    response = password_grant(client, app, login)
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert set(token["scope"].split()) == {"read", "write", "follow", "push"}
    me = client.get(
        "/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert me.json()["username"] == "alice"


def test_wrong_password_is_invalid_grant(client: Client, make_user: UserFactory) -> None:
    make_user("alice")
    response = password_grant(client, register_app(client), "alice", "wrong password")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert response.json()["error_description"]


def test_wrong_client_secret_is_invalid_client(client: Client, make_user: UserFactory) -> None:
    make_user("alice")
    app = register_app(client)
    response = password_grant(client, {**app, "client_secret": "nope"}, "alice")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_a_token_cannot_have_more_scope_than_its_app(
    client: Client, make_user: UserFactory
) -> None:
    make_user("alice")
    app = register_app(client, scopes="read")
    response = password_grant(client, app, "alice")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_granular_scopes_are_covered_by_their_parent(
    client: Client, make_user: UserFactory
) -> None:
    make_user("alice")
    app = register_app(client, scopes="read write")
    response = password_grant(client, app, "alice", scope="read:statuses write:favourites")
    assert response.status_code == 200
    assert response.json()["scope"] == "read:statuses write:favourites"


def test_unsupported_grant_type(client: Client) -> None:
    app = register_app(client)
    response = client.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def _authorize_query(app: dict[str, Any], redirect_uri: str = CALLBACK) -> dict[str, str]:
    return {
        "client_id": app["client_id"],
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": "read write",
        "state": "xyz<&>",
    }


def test_the_consent_page_is_english_or_french(client: Client) -> None:
    app = register_app(client)
    english = client.get("/oauth/authorize", params=_authorize_query(app))
    french = client.get(
        "/oauth/authorize",
        params=_authorize_query(app),
        headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"},
    )
    assert english.status_code == french.status_code == 200
    assert "Authorize" in english.text
    assert "Autoriser" in french.text
    assert "xyz&lt;&amp;&gt;" in english.text  # the state is escaped, not injected
    assert english.headers["x-frame-options"] == "DENY"


def test_the_consent_page_refuses_an_unregistered_redirect(client: Client) -> None:
    app = register_app(client)
    response = client.get("/oauth/authorize", params=_authorize_query(app, "https://evil.example/"))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def _approve(client: Client, app: dict[str, Any], redirect_uri: str, password: str) -> Any:
    return client.post(
        "/oauth/authorize",
        data={
            **_authorize_query(app, redirect_uri),
            "login": "alice",
            "password": password,
            "decision": "approve",
        },
        follow_redirects=False,
    )


def test_authorization_code_flow(client: Client, make_user: UserFactory) -> None:
    make_user("alice")
    app = register_app(client)
    approved = _approve(client, app, CALLBACK, PASSWORD)
    assert approved.status_code == 303
    location = urlsplit(approved.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    query = parse_qs(location.query)
    assert query["state"] == ["xyz<&>"]
    exchange = {
        "grant_type": "authorization_code",
        "code": query["code"][0],
        "redirect_uri": CALLBACK,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }
    token = client.post("/oauth/token", data=exchange)
    assert token.status_code == 200
    assert token.json()["scope"] == "read write"
    again = client.post("/oauth/token", data=exchange)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_the_out_of_band_flow_shows_the_code(client: Client, make_user: UserFactory) -> None:
    make_user("alice")
    app = register_app(client)
    page = _approve(client, app, OOB, PASSWORD)
    assert page.status_code == 200
    assert "<code>" in page.text


def test_a_wrong_password_on_the_consent_page_shows_the_form_again(
    client: Client, make_user: UserFactory
) -> None:
    make_user("alice")
    app = register_app(client)
    page = _approve(client, app, CALLBACK, "wrong password")
    assert page.status_code == 422
    assert "Wrong handle" in page.text


def test_denying_redirects_with_access_denied(client: Client) -> None:
    app = register_app(client)
    response = client.post(
        "/oauth/authorize",
        data={**_authorize_query(app), "decision": "deny"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "error=access_denied" in response.headers["location"]


def test_client_credentials_then_registration(client: Client, microblog: Microblog) -> None:
    app = register_app(client)
    app_token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read write",
        },
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {app_token}"}
    assert client.get("/api/v1/accounts/verify_credentials", headers=headers).status_code == 422
    signup = {"username": "newbie", "email": "newbie@example.com", "password": PASSWORD}
    refused = client.post("/api/v1/accounts", headers=headers, data=signup)
    assert refused.status_code == 422
    assert "agreement" in refused.json()["error"]
    created = client.post("/api/v1/accounts", headers=headers, data={**signup, "agreement": "1"})
    assert created.status_code == 200, created.text
    me = client.get(
        "/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {created.json()['access_token']}"},
    )
    assert me.json()["username"] == "newbie"
    taken = client.post(
        "/api/v1/accounts",
        headers=headers,
        data={**signup, "email": "other@example.com", "agreement": "true"},
    )
    assert taken.status_code == 422
    assert microblog.accounts.count() == 1


def test_revoked_tokens_stop_working(client: Client, make_user: UserFactory) -> None:
    make_user("alice")
    app = register_app(client)
    token = password_grant(client, app, "alice").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/accounts/verify_credentials", headers=headers).status_code == 200
    revoked = client.post(
        "/oauth/revoke",
        data={"token": token, "client_id": app["client_id"], "client_secret": app["client_secret"]},
    )
    assert revoked.status_code == 200
    after = client.get("/api/v1/accounts/verify_credentials", headers=headers)
    assert after.status_code == 401
    assert after.json() == {"error": "The access token is invalid"}


def test_the_server_metadata_lists_the_password_grant(client: Client) -> None:
    document = client.get("/.well-known/oauth-authorization-server").json()
    assert "password" in document["grant_types_supported"]
    assert document["token_endpoint"] == "http://testserver/oauth/token"


def test_tokens_are_stored_hashed(
    client: Client, make_user: UserFactory, microblog: Microblog
) -> None:
    from sqlalchemy import select

    from townsquare.storage.tables import oauth_tokens

    alice = make_user("alice")
    with microblog.db.read() as conn:
        stored = list(conn.scalars(select(oauth_tokens.c.token_hash)))
    assert alice.token not in stored
    assert all(len(h) == 64 for h in stored)


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(document.cookie)",
        "JavaScript://example.org/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "/relative/callback",
        "https:no-host",
        "https://client.example/cb#fragment",
    ],
)
def test_registration_refuses_redirect_uris_that_are_unsafe_or_not_absolute(
    client: Client, uri: str
) -> None:
    response = client.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": uri})
    assert response.status_code == 422, uri
    assert "redirect_uris" in response.json()["error"]


@pytest.mark.parametrize(
    "uri", ["http://localhost:8080/callback", "org.example.app:/oauth2redirect", OOB, CALLBACK]
)
def test_registration_accepts_web_app_and_out_of_band_redirect_uris(
    client: Client, uri: str
) -> None:
    response = client.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": uri})
    assert response.status_code == 200, response.text
    assert response.json()["redirect_uris"] == [uri]


def test_a_javascript_redirect_registered_before_the_check_is_refused_at_authorization(
    client: Client, microblog: Microblog
) -> None:
    from townsquare.api._grants import Grants
    from townsquare.api._scopes import parse_scopes

    app = Grants(microblog).register_app(
        "old", None, ("javascript:alert(1)",), parse_scopes("read")
    )
    query = {"client_id": app.client_id, "response_type": "code", "scope": "read"}
    response = client.get("/oauth/authorize", params=query)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def _code(client: Client, app: dict[str, Any]) -> str:
    approved = _approve(client, app, CALLBACK, PASSWORD)
    location: str = approved.headers["location"]
    return parse_qs(urlsplit(location).query)["code"][0]


def _redeem(client: Client, app: dict[str, Any], code: str, **extra: str) -> Any:
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        **extra,
    }
    return client.post("/oauth/token", data=exchange)


def test_redeeming_a_code_requires_its_redirect_uri(client: Client, make_user: UserFactory) -> None:
    make_user("alice")
    app = register_app(client)
    code = _code(client, app)
    missing = _redeem(client, app, code)
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"
    assert "redirect_uri" in missing.json()["error_description"]
    assert _redeem(client, app, code, redirect_uri=CALLBACK).status_code == 200


def test_redeeming_a_code_with_another_redirect_uri_is_invalid_grant(
    client: Client, make_user: UserFactory
) -> None:
    make_user("alice")
    app = register_app(client)
    code = _code(client, app)
    other = _redeem(client, app, code, redirect_uri=OOB)  # registered, but not this code's
    assert other.status_code == 400
    assert other.json()["error"] == "invalid_grant"
    assert _redeem(client, app, code, redirect_uri=CALLBACK).json()["error"] == "invalid_grant"


@pytest.mark.parametrize(("existing", "newcomer"), [("alice", "aIice"), ("mod1", "rnod1")])
def test_signing_up_with_a_look_alike_handle_is_422(
    client: Client, make_user: UserFactory, existing: str, newcomer: str
) -> None:
    make_user(existing)
    app = register_app(client)
    app_token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read write",
        },
    ).json()["access_token"]
    signup = {"username": newcomer, "password": PASSWORD, "agreement": "true"}
    refused = client.post(
        "/api/v1/accounts", headers={"Authorization": f"Bearer {app_token}"}, data=signup
    )
    assert refused.status_code == 422
    assert f"looks like @{existing}" in refused.json()["error"]
