"""`townsquare serve`: the HTTP server, over a database already migrated."""

from typing import Annotated

import typer
from granian import Granian
from granian.constants import Interfaces

from townsquare.cli._output import say
from townsquare.cli._services import display_url, migrated_services
from townsquare.demo import DEMO_PASSWORD, DemoLogin, demo_logins
from townsquare.kernel import SystemClock
from townsquare.moderation import record_policies
from townsquare.settings import load_settings

__all__ = ["APP_FACTORY", "serve"]

APP_FACTORY = "townsquare.app:app_from_environment"
"""What each server worker imports and calls to build its application."""


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1)] = 1,
) -> None:
    """Serve Townsquare over HTTP. The database must be migrated (`townsquare migrate`)."""
    settings = load_settings()
    with migrated_services(settings) as services:
        logins = demo_logins(services.microblog)
        with services.db.write() as conn:  # once, before the workers start (issue 4)
            recorded = record_policies(
                conn, services.ledger, services.policies, SystemClock().now()
            )
    say(f"Townsquare is serving http://{host}:{port}/ from {display_url(settings)}")
    if recorded:
        say(f"Recorded {recorded} new policy clause versions in the ledger.")
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


def _demo_hint(logins: tuple[DemoLogin, ...]) -> str:
    accounts = ", ".join(f"@{login.username} ({login.role})" for login in logins)
    return (
        f"Demo world loaded: sign in as {accounts} or any demo member, "
        f"with the password {DEMO_PASSWORD!r}."
    )
