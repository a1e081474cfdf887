"""Media attachments: uploading an image (v1 and v2, both answered once it is processed),
and the uploader's own view and update of its description and focus.

Uploads are larger than any other request body, so their two routes sit in a router of
their own whose body limit follows the media settings; every other route keeps the server's
`max_request_bytes`.
"""

from litestar import Response, Router, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._entities import MediaAttachmentEntity, Renderer
from townsquare.api._errors import InvalidParameterError
from townsquare.api._fields import BODY, AnyRequest, Fields, path_id
from townsquare.api._rate_limits import count_attempt
from townsquare.microblog import MAX_DESCRIPTION, LimitedAction, Microblog
from townsquare.settings import Settings

__all__ = ["media_routes", "media_upload_router"]

# Room for the multipart framing and the text fields around the file.
_FORM_OVERHEAD = 64 * 1024


def _focus(fields: Fields) -> tuple[float, float] | None:
    """Mastodon's `focus`: "x,y", each from -1 to 1 (0,0 the centre)."""
    raw = fields.text("focus", max_length=100)
    if raw is None or not raw.strip():
        return None
    parts = raw.split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        x = y = float("nan")
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise InvalidParameterError(
            f"focus must be two numbers from -1 to 1 separated by a comma, such as 0.5,-0.25; "
            f"found {raw!r}."
        )
    return x, y


def _description(fields: Fields) -> str | None:
    # Generous on raw text: the microblog says how long a description may be.
    return fields.text("description", max_length=MAX_DESCRIPTION * 4)


def _upload(
    request: AnyRequest, fields: Fields, microblog: Microblog
) -> Response[MediaAttachmentEntity]:
    viewer = require_user(request, microblog, "write:media")
    headers = count_attempt(request, microblog, LimitedAction.MEDIA, viewer)
    upload = fields.upload("file")
    if upload is None:
        raise InvalidParameterError(
            "file is missing: send the image as the multipart/form-data field 'file'."
        )
    attachment = microblog.media.upload(
        viewer,
        upload.file.read(),
        description=_description(fields) or "",
        focus=_focus(fields) or (0.0, 0.0),
    )
    return Response(Renderer(microblog.links).media_attachment(attachment), headers=headers)


@post("/api/v1/media", dependencies=BODY, status_code=200, sync_to_thread=True)
def upload_media_v1(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> Response[MediaAttachmentEntity]:
    """Upload an image (multipart `file`, optional `description` and `focus`); rate-limited
    (X-RateLimit-* headers)."""
    return _upload(request, fields, microblog)


@post("/api/v2/media", dependencies=BODY, status_code=200, sync_to_thread=True)
def upload_media_v2(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> Response[MediaAttachmentEntity]:
    """Upload an image; processed before the answer, so always 200 (never 202)."""
    return _upload(request, fields, microblog)


def media_upload_router(settings: Settings) -> Router:
    """The two upload routes, with a body limit fitting the largest image accepted."""
    return Router(
        path="/",
        route_handlers=[upload_media_v1, upload_media_v2],
        request_max_body_size=max(
            settings.max_request_bytes, settings.media.max_bytes + _FORM_OVERHEAD
        ),
        opt={"exclude_from_csrf": True},
        tags=["api"],
    )


@get("/api/v1/media/{media_id:str}", sync_to_thread=True)
def show_media(
    request: AnyRequest, media_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> MediaAttachmentEntity:
    """One's own upload (to see it processed); another's is not found."""
    viewer = require_user(request, microblog, "write:media")
    attachment = microblog.media.own(viewer, path_id(media_id))
    return Renderer(microblog.links).media_attachment(attachment)


@put("/api/v1/media/{media_id:str}", dependencies=BODY, sync_to_thread=True)
def update_media(
    request: AnyRequest,
    media_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> MediaAttachmentEntity:
    """Change one's own upload's `description` (alt text) or `focus`, before or after it is
    attached."""
    viewer = require_user(request, microblog, "write:media")
    attachment = microblog.media.describe(
        viewer, path_id(media_id), description=_description(fields), focus=_focus(fields)
    )
    return Renderer(microblog.links).media_attachment(attachment)


media_routes = [show_media, update_media]
