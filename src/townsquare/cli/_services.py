"""Opening the configured database for a command, after checking it can be used."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from townsquare.app import Services, build_services
from townsquare.cli._errors import DatabaseNotMigratedError, DatabaseUnavailableError
from townsquare.settings import Settings, load_settings
from townsquare.storage import Database, create_database_engine, current_revision, head_revision

__all__ = ["display_url", "migrated_services", "revision_of"]


def display_url(settings: Settings) -> str:
    """The database URL without its password, for messages."""
    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def revision_of(db: Database, settings: Settings) -> str | None:
    """The schema revision the database is at (None for an empty database)."""
    try:
        return current_revision(db.engine)
    except OperationalError as error:
        raise DatabaseUnavailableError(
            f"Cannot open the database {display_url(settings)}: {error.orig}"
        ) from error


@contextmanager
def migrated_services(settings: Settings | None = None) -> Iterator[Services]:
    """The services over the configured database, refusing one not migrated to the head."""
    settings = settings or load_settings()
    # Checked first: building the services leases an id worker number, in a migrated table.
    probe = Database(create_database_engine(settings.resolved_database_url))
    try:
        found, head = revision_of(probe, settings), head_revision()
    finally:
        probe.dispose()
    if found != head:
        raise DatabaseNotMigratedError(
            f"The database {display_url(settings)} is at revision {found or 'none'}, "
            f"not {head}: run `townsquare migrate` first."
        )
    services = build_services(settings)
    try:
        yield services
    finally:
        services.id_worker.stop()
        services.db.dispose()
