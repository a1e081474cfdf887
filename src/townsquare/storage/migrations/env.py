"""Alembic environment: runs revisions on the connection `townsquare.storage.migrate` hands in."""

from alembic import context

from townsquare.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
