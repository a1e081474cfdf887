"""The Jinja2 environment (autoescaped, shipped in the package) and rendering a page.

Translations differ per request, so the environment's gettext functions read the visitor's
catalog from the template context instead of holding one catalog for everybody.
"""

from datetime import datetime
from gettext import NullTranslations
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from townsquare.microblog import MAX_POST_CHARACTERS
from townsquare.web._i18n import catalogs, format_day, format_when, language_name
from townsquare.web._surface_words import SURFACE_LABELS
from townsquare.web._visitors import Visitor

__all__ = ["page", "render_document", "template_config"]


def _translations(context: Context) -> NullTranslations:
    visitor = context.get("visitor")
    return visitor.translations if isinstance(visitor, Visitor) else NullTranslations()


@pass_context
def _gettext(context: Context, message: str) -> str:
    return _translations(context).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _translations(context).ngettext(singular, plural, n)


@pass_context
def _when(context: Context, moment: datetime) -> str:
    visitor = context.get("visitor")
    return format_when(moment, visitor.language if isinstance(visitor, Visitor) else "en")


@pass_context
def _day(context: Context, moment: datetime) -> str:
    """Only the day: what the public knows of a sealed outside request's times, and a
    case's date in its title."""
    visitor = context.get("visitor")
    return format_day(moment, visitor.language if isinstance(visitor, Visitor) else "en")


@pass_context
def _here(context: Context) -> str:
    """This page's path and query: where a form on it sends the visitor back to."""
    request = context.get("request")
    if request is None:
        return "/"
    query = request.url.query
    return str(request.url.path) + (f"?{query}" if query else "")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("townsquare.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=_gettext, ngettext=_ngettext, newstyle=True
    )
    env.filters["when"] = _when
    env.filters["day"] = _day
    env.globals["here"] = _here
    env.globals["max_post_characters"] = MAX_POST_CHARACTERS
    env.globals["surface_labels"] = SURFACE_LABELS
    env.globals["languages"] = [(code, language_name(code)) for code in catalogs()]
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Templates of the web pages; the message catalogs are compiled here, at start-up."""
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(_environment()))


def page(
    visitor: Visitor, template_name: str, *, status_code: int = 200, **context: Any
) -> Template:
    """A page rendered for `visitor` (who is available to the template as `visitor`)."""
    return Template(
        template_name=template_name,
        context={"visitor": visitor, "lang": visitor.language, **context},
        status_code=status_code,
    )


def render_document(visitor: Visitor, template_name: str, **context: Any) -> str:
    """A template rendered to a string outside any request (a file a command writes), with
    the same words and filters as the pages."""
    template = _environment().get_template(template_name)
    return template.render(visitor=visitor, lang=visitor.language, request=None, **context)
