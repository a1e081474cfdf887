"""The command line's error family."""

from townsquare.kernel import ConflictError, TownsquareError

__all__ = [
    "CommandError",
    "DatabaseNotMigratedError",
    "DatabaseUnavailableError",
    "ShownNotesMismatchError",
]


class CommandError(TownsquareError):
    """Raised when a command cannot do what it was asked."""


class DatabaseNotMigratedError(CommandError, ConflictError):
    """Raised when the database schema is not at the newest revision."""


class DatabaseUnavailableError(CommandError):
    """Raised when the configured database cannot be reached."""


class ShownNotesMismatchError(CommandError):
    """Raised when the notes a server shows differ from those its ledger's entries imply."""
