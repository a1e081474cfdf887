"""`townsquare serve`: the HTTP server, over a database already migrated."""

import os
from typing import Annotated
from urllib.parse import urlsplit

import typer
from granian import Granian
from granian.constants import Interfaces

from townsquare.cli._errors import CommandError
from townsquare.cli._output import say, warn
from townsquare.cli._services import display_url, migrated_services
from townsquare.demo import DEMO_PASSWORD, DemoLogin, demo_logins
from townsquare.kernel import SystemClock
from townsquare.ledger import LedgerKeyError
from townsquare.moderation import record_policies
from townsquare.moderation.rules import record_rules
from townsquare.settings import base_url_reaches, load_settings, served_base_url

__all__ = ["APP_FACTORY", "LedgerAddressError", "serve"]

APP_FACTORY = "townsquare.app:app_from_environment"
"""What each server worker imports and calls to build its application."""

BASE_URL = "TOWNSQUARE_BASE_URL"


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1)] = 1,
) -> None:
    """Serve Townsquare over HTTP. The database must be migrated (`townsquare migrate`)."""
    defaulted = _settle_base_url(host, port)
    settings = load_settings()
    try:
        with migrated_services(settings) as services:
            logins = demo_logins(services.microblog)
            with services.db.write() as conn:  # once, before the workers start (issue 4)
                now = SystemClock().now()
                recorded = record_policies(conn, services.ledger, services.policies, now)
                recorded_rules = record_rules(conn, services.ledger, services.rules, now)
    except LedgerKeyError as error:
        if not defaulted:
            raise
        raise LedgerAddressError(
            f"{error}. {BASE_URL} is not set, so the base URL is the address served, "
            f"{settings.base_url}: serve the address the ledger began at, or set {BASE_URL}."
        ) from error
    say(f"Townsquare is serving {settings.base_url}/ from {display_url(settings)}")
    if recorded:
        say(f"Recorded {recorded} new policy clause versions in the ledger.")
    if recorded_rules:
        say(f"Recorded {recorded_rules} new automated rule versions in the ledger.")
    if logins:
        say(_demo_hint(logins))
    server = Granian(
        APP_FACTORY,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        factory=True,
        workers=workers,
    )
    server.serve()


class LedgerAddressError(CommandError):
    """Raised when the address served is not the one this data folder's ledger began at."""


def _settle_base_url(host: str, port: int) -> bool:
    """Make the base URL match the address served, before the settings are read.

    Without TOWNSQUARE_BASE_URL, links and OAuth discovery must name the port actually served
    (a Mastodon client follows them), so the variable is set to it here, in this process's
    environment: the workers inherit it and read it through `app_from_environment`. A base URL
    that names another address is kept (it is right behind a reverse proxy) with a warning."""
    configured = os.environ.get(BASE_URL, "").strip()
    served = served_base_url(host, port)
    if not configured:
        os.environ[BASE_URL] = served
        if urlsplit(served).hostname != host.strip("[]"):  # bound to every address
            say(
                f"Listening on {host}:{port}; links name {served}: set {BASE_URL} to the "
                "address others reach this server at."
            )
        return True
    if not base_url_reaches(configured, host, port):
        warn(
            f"Warning: {BASE_URL} is {configured} but this server listens on {host}:{port}; "
            "links and OAuth discovery will send clients to the former (right only behind a "
            "reverse proxy)."
        )
    return False


def _demo_hint(logins: tuple[DemoLogin, ...]) -> str:
    accounts = ", ".join(f"@{login.username} ({login.role})" for login in logins)
    return (
        f"Demo world loaded: sign in as {accounts} or any demo member, "
        f"with the password {DEMO_PASSWORD!r}."
    )
