"""Signing in and out, registering, the settings page and the language switcher."""

from datetime import timedelta
from typing import Annotated, Any

from babel.dates import format_timedelta
from litestar import Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect

from townsquare.microblog import (
    HandleTakenError,
    InvalidCredentialsError,
    InvalidProfileError,
    LimitedAction,
    LoginThrottledError,
    Microblog,
)
from townsquare.settings import Settings
from townsquare.web._forms import FormData
from townsquare.web._i18n import catalogs
from townsquare.web._messages import N_, translate_error
from townsquare.web._templates import page
from townsquare.web._visitors import (
    LANGUAGE_COOKIE,
    AnyRequest,
    Visitor,
    client_address,
    count_attempt,
    remember_language,
    safe_next,
    sign_in,
    sign_in_first,
    sign_out,
)

__all__ = [
    "login",
    "login_form",
    "logout",
    "register",
    "register_form",
    "save_settings",
    "settings_form",
    "switch_language",
]

_ONE_YEAR = 365 * 24 * 3600
_FORM_ERROR = 422
_TOO_MANY_REQUESTS = 429
_THROTTLED = N_(
    "Too many failed sign-ins for this account or from your network. Please try again %(when)s."
)


@get("/login", sync_to_thread=False)
def login_form(
    visitor: NamedDependency[Visitor],
    next_path: Annotated[str | None, QueryParameter(name="next")] = None,
) -> Response[Any]:
    if visitor.account is not None:
        return Redirect(safe_next(next_path), status_code=303)
    values = {"login": "", "next": safe_next(next_path)}
    return page(visitor, "login.html", values=values, error=None)


def _throttled_page(visitor: Visitor, values: dict[str, str], seconds: int) -> Response[Any]:
    """The form again, saying when to try again (status 429 with Retry-After, RFC 6585 §4)."""
    when = format_timedelta(timedelta(seconds=seconds), add_direction=True, locale=visitor.language)
    error = visitor.gettext(_THROTTLED) % {"when": when}
    response = page(
        visitor, "login.html", status_code=_TOO_MANY_REQUESTS, values=values, error=error
    )
    response.headers["Retry-After"] = str(seconds)
    return response


@post("/login", sync_to_thread=True)
def login(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    data: FormData,
) -> Response[Any]:
    values = {"login": data.get("login", ""), "next": safe_next(data.get("next"))}
    try:
        account = microblog.accounts.authenticate(
            values["login"], data.get("password", ""), address=client_address(request)
        )
    except LoginThrottledError as throttled:
        return _throttled_page(visitor, values, throttled.retry_after)
    except InvalidCredentialsError as refused:
        error = translate_error(str(refused), visitor)
        return page(visitor, "login.html", status_code=_FORM_ERROR, values=values, error=error)
    sign_in(request, microblog, account)
    return Redirect(values["next"], status_code=303)


@post("/logout", sync_to_thread=True)
def logout(request: AnyRequest, microblog: NamedDependency[Microblog]) -> Response[Any]:
    sign_out(request, microblog)
    return Redirect("/public", status_code=303)


@get("/register", sync_to_thread=False)
def register_form(
    visitor: NamedDependency[Visitor], settings: NamedDependency[Settings]
) -> Response[Any]:
    values = {"username": "", "email": ""}
    return page(
        visitor, "register.html", values=values, error=None, open=settings.registrations_open
    )


def _registration_error(visitor: Visitor, data: dict[str, str]) -> str | None:
    if data.get("password", "") != data.get("password_confirmation", ""):
        return visitor.gettext("The two passwords are not the same.")
    return None


@post("/register", sync_to_thread=True)
def register(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
    data: FormData,
) -> Response[Any]:
    values = {"username": data.get("username", ""), "email": data.get("email", "")}
    error = _registration_error(visitor, data)
    if not settings.registrations_open:
        error = visitor.gettext("Registrations are closed on this server.")
    if error is None:
        count_attempt(request, microblog, LimitedAction.REGISTER, None)
        try:
            account = microblog.accounts.register(
                values["username"],
                data.get("password", ""),
                email=values["email"] or None,
                locale=visitor.language,
            )
        except (HandleTakenError, InvalidProfileError) as refused:
            error = translate_error(str(refused), visitor)
        else:
            sign_in(request, microblog, account)
            return Redirect("/", status_code=303)
    return page(
        visitor,
        "register.html",
        status_code=_FORM_ERROR,
        values=values,
        error=error,
        open=settings.registrations_open,
    )


@get("/settings", sync_to_thread=False)
def settings_form(
    request: AnyRequest, visitor: NamedDependency[Visitor], saved: FromQuery[bool] = False
) -> Response[Any]:
    account = visitor.account
    if account is None:
        return sign_in_first(request)
    values = {
        "display_name": account.display_name,
        "bio": account.bio,
        "locale": account.locale or "",
        "locked": "1" if account.locked else "",
    }
    return page(visitor, "settings.html", values=values, error=None, saved=saved)


@post("/settings", sync_to_thread=True)
def save_settings(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    data: FormData,
) -> Response[Any]:
    account = visitor.account
    if account is None:
        return sign_in_first(request, "/settings")
    locale = data.get("locale", "")
    try:
        updated = microblog.accounts.update_profile(
            account.id,
            display_name=data.get("display_name", ""),
            bio=data.get("bio", ""),
            locale=locale if locale in catalogs() else "",
        )
    except InvalidProfileError as refused:
        error = translate_error(str(refused), visitor)
        return page(
            visitor, "settings.html", status_code=_FORM_ERROR, values=data, error=error, saved=False
        )
    microblog.graph.set_locked(account.id, data.get("locked") == "1")
    remember_language(request, updated.locale)
    return Redirect("/settings?saved=true", status_code=303)


@post("/language", sync_to_thread=True)
def switch_language(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
    data: FormData,
) -> Response[Any]:
    """Remember the chosen language in a cookie, and in the account when signed in."""
    language = data.get("lang", "")
    back = Redirect(safe_next(data.get("next")), status_code=303)
    if language not in catalogs():
        return back
    if visitor.account is not None:
        microblog.accounts.update_profile(visitor.account.id, locale=language)
        remember_language(request, language)
    back.cookies.append(
        Cookie(
            key=LANGUAGE_COOKIE,
            value=language,
            max_age=_ONE_YEAR,
            httponly=True,
            samesite="lax",
            secure=settings.base_url.startswith("https://"),
        )
    )
    return back
