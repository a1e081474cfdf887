"""`townsquare user …`: managing accounts from the server's shell."""

from typing import Annotated

import typer

from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.microblog import Role

__all__ = ["users"]

users = typer.Typer(help="Manage accounts.", no_args_is_help=True)


@users.command("create")
def create_user(
    username: Annotated[str, typer.Argument(help="The handle, without @.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters."
        ),
    ],
    email: Annotated[str | None, typer.Option(help="E-mail address (optional).")] = None,
    role: Annotated[Role, typer.Option(case_sensitive=False, help="The account's role.")] = (
        Role.MEMBER
    ),
) -> None:
    """Create an account (an administrator or moderator, say)."""
    with migrated_services() as services:
        account = services.microblog.accounts.register(
            username.lstrip("@"), password, email=email, role=role
        )
    say(f"Created @{account.username} ({account.role}, id {account.id}).")
