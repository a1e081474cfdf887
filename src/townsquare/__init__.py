"""Townsquare: a self-hostable microblogging server whose moderation cannot happen in secret."""

__all__ = ["__version__"]

__version__ = "0.1.0"
