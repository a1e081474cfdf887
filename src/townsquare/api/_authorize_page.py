"""The OAuth consent page (`/oauth/authorize`), in English or French, as self-contained HTML.

Every interpolated value goes through `html.escape`; the page loads nothing from elsewhere.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from babel.dates import format_timedelta

__all__ = ["SignInProblem", "authorize_page", "choose_language", "code_page"]

_TEXT = {
    "en": {
        "title": "Authorize an application",
        "intro": "{app} wants to use your Townsquare account.",
        "scopes": "It asks for these permissions:",
        "login": "Handle or e-mail",
        "password": "Password",
        "wrong": "Wrong handle, e-mail or password.",
        "throttled": "Too many failed sign-ins for this account or from your network. "
        "Please try again {when}.",
        "approve": "Authorize",
        "deny": "Deny",
        "code_title": "Authorization code",
        "code_intro": "Copy this code and paste it into the application:",
    },
    "fr": {
        "title": "Autoriser une application",
        "intro": "{app} souhaite utiliser votre compte Townsquare.",
        "scopes": "Elle demande ces autorisations :",
        "login": "Identifiant ou adresse e-mail",
        "password": "Mot de passe",
        "wrong": "Identifiant, adresse e-mail ou mot de passe incorrect.",
        "throttled": "Trop de connexions échouées pour ce compte ou depuis votre réseau. "
        "Veuillez réessayer {when}.",
        "approve": "Autoriser",
        "deny": "Refuser",
        "code_title": "Code d'autorisation",
        "code_intro": "Copiez ce code et collez-le dans l'application :",
    },
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
    "label{display:block;margin-top:1rem}input[type=text],input[type=password]{width:100%;"
    "padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}"
    ".error{color:#a00}code{font-size:1.2rem;word-break:break-all}"
)


@dataclass(frozen=True)
class SignInProblem:
    """Why the form is shown again: a wrong password, or (with `wait_seconds`) sign-ins that
    must wait."""

    wait_seconds: int | None = None

    def explained(self, lang: str) -> str:
        text = _TEXT[lang]
        if self.wait_seconds is None:
            return text["wrong"]
        wait = timedelta(seconds=self.wait_seconds)
        return text["throttled"].format(
            when=format_timedelta(wait, add_direction=True, locale=lang)
        )


def choose_language(accept_language: str | None) -> str:
    """'fr' or 'en', whichever the browser prefers first (RFC 9110 §12.5.4 q-values)."""
    best, best_q = "en", -1.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        if primary not in _TEXT:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        score = q - position * 1e-6  # earlier wins among equal q
        if score > best_q:
            best, best_q = primary, score
    return best


def _page(lang: str, title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def authorize_page(
    lang: str,
    *,
    app_name: str,
    scopes: list[str],
    hidden: Mapping[str, str],
    login: str = "",
    problem: SignInProblem | None = None,
) -> str:
    text = _TEXT[lang]
    fields = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    alert = (
        f'<p class="error" role="alert">{escape(problem.explained(lang))}</p>' if problem else ""
    )
    scope_items = "".join(f"<li><code>{escape(s)}</code></li>" for s in scopes)
    body = (
        f"<p>{escape(text['intro'].format(app=app_name))}</p>"
        f"<p>{escape(text['scopes'])}</p><ul>{scope_items}</ul>{alert}"
        f'<form method="post" action="/oauth/authorize">{fields}'
        f'<label>{escape(text["login"])}<input type="text" name="login" value="{escape(login)}"'
        ' autocomplete="username" required></label>'
        f'<label>{escape(text["password"])}<input type="password" name="password"'
        ' autocomplete="current-password" required></label>'
        f'<button type="submit" name="decision" value="approve">{escape(text["approve"])}</button> '
        f'<button type="submit" name="decision" value="deny" formnovalidate>'
        f"{escape(text['deny'])}</button></form>"
    )
    return _page(lang, text["title"], body)


def code_page(lang: str, code: str) -> str:
    """Shown for the out-of-band redirect URI, where there is nowhere to redirect to."""
    text = _TEXT[lang]
    body = f"<p>{escape(text['code_intro'])}</p><p><code>{escape(code)}</code></p>"
    return _page(lang, text["code_title"], body)
