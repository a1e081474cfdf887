"""Layer 7: the `townsquare` command (serve, migrate, demo, user)."""

from townsquare.cli._app import app, main
from townsquare.cli._errors import CommandError, DatabaseNotMigratedError, DatabaseUnavailableError

__all__ = ["CommandError", "DatabaseNotMigratedError", "DatabaseUnavailableError", "app", "main"]
