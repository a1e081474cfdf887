"""Languages of the web pages: the message catalogs, and which language a visitor gets.

Catalogs are `.po` files compiled in memory when first needed, so the package needs no
build step. English is the source language and has no catalog.
"""

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

__all__ = [
    "SOURCE_LANGUAGE",
    "TRANSLATIONS_DIR",
    "catalogs",
    "choose_language",
    "format_day",
    "format_p_value",
    "format_ratio",
    "format_share",
    "format_when",
    "language_name",
    "languages_accepted",
]

SOURCE_LANGUAGE = "en"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def _compile(po_file: Path, language: str) -> Translations:
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


@functools.cache
def catalogs() -> Mapping[str, NullTranslations]:
    """Every language the pages are available in, by code, with its translations."""
    found: dict[str, NullTranslations] = {SOURCE_LANGUAGE: NullTranslations()}
    for po_file in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")):
        language = po_file.parent.parent.name
        found[language] = _compile(po_file, language)
    return found


def languages_accepted(header: str) -> list[str]:
    """Primary language codes of an Accept-Language header, most wanted first (RFC 9110
    §12.5.4); languages with q=0 are refused, not wanted."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, parameters = part.partition(";")
        quality = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        code = tag.strip().split("-")[0].lower()
        if code and quality > 0:
            weighted.append((-quality, position, code))
    return [code for _, _, code in sorted(weighted)]


def choose_language(*preferences: str | None, accept_language: str = "") -> str:
    """The first available language among explicit `preferences` (an account setting, a
    cookie…), then the browser's Accept-Language, then English."""
    available = catalogs()
    for wanted in (*preferences, *languages_accepted(accept_language)):
        if wanted and wanted in available:
            return wanted
    return SOURCE_LANGUAGE


def language_name(code: str) -> str:
    """The language's name in itself ("Français"), as a language switcher shows it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def format_when(moment: datetime, language: str) -> str:
    """A date and time written the way `language` writes them (shown in UTC)."""
    return format_datetime(moment, "medium", tzinfo=UTC, locale=language)


def format_day(moment: datetime, language: str) -> str:
    """The day only, written out ("3 December 2026", "3 décembre 2026"), in UTC."""
    return format_date(moment.astimezone(UTC).date(), "long", locale=language)


def format_ratio(value: float, language: str) -> str:
    """A ratio written the way `language` writes numbers ("1.10", "1,10"): two decimals for
    the ratios people meet (up to 10), one up to 100, none beyond."""
    pattern = "#,##0.00" if value < 10 else "#,##0.0" if value < 100 else "#,##0"
    return format_decimal(value, format=pattern, locale=language)


def format_share(value: float, language: str) -> str:
    """A share between 0 and 1 as a percentage the way `language` writes it ("82%",
    "82 %"), to whole percents: the samples behind it do not support more."""
    return format_percent(value, locale=language)


def format_p_value(value: float, language: str) -> str:
    """A p-value in `language`'s numbers, to at most three decimals ("0.042", "0,05"); one
    below 0.001 is written "< 0.001" (more digits would claim a precision the test lacks)."""
    if value < 0.001:
        return "< " + format_decimal(0.001, format="0.0##", locale=language)
    return format_decimal(value, format="0.0##", locale=language)
