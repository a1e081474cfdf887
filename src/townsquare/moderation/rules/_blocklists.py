"""Published blocklists: one text file per list, one domain a line, its sources named.

    # Any comment line.
    # source: Example Phishing Watch, https://phishwatch.example/feed
    login-verify.example
    parcel-fee.invalid

A domain covers its subdomains. A list names at least one source (`# source: …`), so anyone
can see where an entry came from. Errors name the file and the line.
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from townsquare.ledger import JSON, canonical_json
from townsquare.moderation.rules._errors import RuleError

__all__ = ["Blocklist", "listed_domain", "parse_blocklist"]

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_SOURCE = re.compile(r"#\s*source:\s*(?P<source>.*\S)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Blocklist:
    """A list's name (its file name), its sources and its domains; `content_hash` is the
    sha256 (hex) of the three as canonical JSON, so comments may change but entries not."""

    name: str
    sources: tuple[str, ...]
    domains: frozenset[str]

    @property
    def content_hash(self) -> str:
        canonical: dict[str, JSON] = {
            "name": self.name,
            "sources": list[JSON](self.sources),
            "domains": list[JSON](sorted(self.domains)),
        }
        return hashlib.sha256(canonical_json(canonical)).hexdigest()


def parse_blocklist(name: str, text: str, file: str = "") -> Blocklist:
    """The list in `text`; `RuleError` names `file:line` of the first bad line."""
    file = file or f"{name}.txt"
    sources: list[str] = []
    domains: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{file}:{number}"
        if line.startswith("#"):
            source = _SOURCE.match(line)
            if source:
                sources.append(source["source"])
            continue
        if not line:
            continue
        if not _DOMAIN.fullmatch(line):
            raise RuleError(
                f"{where}: expected a domain in lowercase ASCII such as phish.example "
                f"(punycode for other scripts), found {line!r}"
            )
        if line in domains:
            raise RuleError(
                f"{where}: expected each domain once, found {line!r} (line {domains[line]})"
            )
        domains[line] = number
    if not sources:
        raise RuleError(
            f"{file}: expected at least one '# source: …' line naming where the "
            "entries come from, found none"
        )
    if not domains:
        raise RuleError(f"{file}: expected at least one domain, found none")
    return Blocklist(name=name, sources=tuple(sources), domains=frozenset(domains))


def listed_domain(blocklist: Blocklist, url: str) -> str | None:
    """The listed domain `url`'s host is, or is under; None when it is not listed."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # a malformed port or IPv6 literal: no host to compare
        return None
    if not host:
        return None
    labels = _ascii(host.rstrip(".").lower()).split(".")
    for start in range(len(labels) - 1):
        candidate = ".".join(labels[start:])
        if candidate in blocklist.domains:
            return candidate
    return None


def _ascii(host: str) -> str:
    """The host as the list spells it: punycode for a name in another script."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not a valid internationalised name: leave it unlisted
        return host
