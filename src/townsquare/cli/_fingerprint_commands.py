"""`townsquare fingerprints`: the backfill of post fingerprints (the copy finder's index).

New posts are fingerprinted as they are written; posts written before fingerprints existed
(a database migrated past revision 0021) get theirs from this command, in batches, each
its own transaction, so a large server is never locked for long. Safe to repeat and to
interrupt: it only fills what is missing.
"""

from townsquare.cli._output import say
from townsquare.cli._services import migrated_services

__all__ = ["fingerprint_posts"]


def fingerprint_posts() -> None:
    """Fingerprint every post that has no fingerprint yet, so moderators see its copies."""
    done = 0
    with migrated_services() as services:
        while batch := services.microblog.posts.fingerprint_missing():
            done += batch
    say(f"Fingerprinted {done} posts." if done else "Every post has its fingerprint.")
