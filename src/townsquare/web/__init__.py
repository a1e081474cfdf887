"""Layer 6: the server-rendered web pages, in French and English, usable without JavaScript.

`app.py` mounts `web_router()` and installs the session middleware, CSRF protection and
template configuration defined here; errors raised by pages become `error_page`s there.
"""

from townsquare.web._errors import error_page
from townsquare.web._head import answer_head_like_get
from townsquare.web._router import web_router
from townsquare.web._templates import template_config
from townsquare.web._transparency_report_pages import report_document
from townsquare.web._visitors import csrf_config, session_middleware

__all__ = [
    "answer_head_like_get",
    "csrf_config",
    "error_page",
    "report_document",
    "session_middleware",
    "template_config",
    "web_router",
]
