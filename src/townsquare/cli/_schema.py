"""`townsquare migrate`: bring the database schema to the newest revision."""

from townsquare.cli._output import say
from townsquare.cli._services import display_url, revision_of
from townsquare.settings import load_settings
from townsquare.storage import Database, create_database_engine, migrate

__all__ = ["migrate_database"]


def migrate_database() -> None:
    """Create or upgrade the database schema to the newest revision (safe to repeat)."""
    settings = load_settings()
    db = Database(create_database_engine(settings.resolved_database_url))
    try:
        before = revision_of(db, settings)
        migrate(db.engine)
        after = revision_of(db, settings)
    finally:
        db.dispose()
    where = display_url(settings)
    if before == after:
        say(f"{where} is up to date at revision {after}.")
    else:
        say(f"Migrated {where} from revision {before or 'none'} to {after}.")
