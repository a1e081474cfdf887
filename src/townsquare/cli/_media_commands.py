"""`townsquare media prune`: deletes uploads that no post took within a day, with their
files (docs/media-storage.md). Safe to repeat and to interrupt; run it daily (cron or a
systemd timer)."""

import typer

from townsquare.cli._output import say
from townsquare.cli._services import migrated_services

__all__ = ["media_app"]

media_app = typer.Typer(help="Media attachments.", no_args_is_help=True)


@media_app.command("prune")
def prune_media() -> None:
    """Delete uploads never attached to a post within a day, and their files."""
    done = 0
    with migrated_services() as services:
        while batch := services.microblog.media.prune_abandoned():
            done += batch
    say(f"Deleted {done} abandoned uploads." if done else "No abandoned upload to delete.")
