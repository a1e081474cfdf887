"""Where commands write: plain text on stdout, errors on stderr (Rich, no markup)."""

from rich.console import Console

__all__ = ["say", "warn"]


def say(message: str) -> None:
    Console(soft_wrap=True, highlight=False).print(message, markup=False)


def warn(message: str) -> None:
    Console(stderr=True, soft_wrap=True, highlight=False).print(message, markup=False)
