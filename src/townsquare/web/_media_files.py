"""Media files, served by Townsquare itself so that the visibility port decides who gets
them: `GET /media/<id>/original` and `/media/<id>/small`.

The viewer is the signed-in visitor (session cookie) or nobody. A file of an attached image
is served only to whom its post is visible as opened by its link — a post moderation removed
takes its images with it, on the very next request — and an unattached upload only to its
uploader. Files never change once written, so an ETag lets browsers revalidate cheaply; they
are cached privately, and briefly, since whether one may see them can change.
"""

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.microblog import MediaNotFoundError, MediaVariant, Microblog
from townsquare.web._visitors import AnyRequest, Visitor

__all__ = ["media_file"]

_CACHE_CONTROL = "private, max-age=600"


@get("/media/{media_id:int}/{variant:str}", sync_to_thread=True)
def media_file(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    media_id: FromPath[int],
    variant: FromPath[str],
) -> Response[bytes]:
    try:
        which = MediaVariant(variant)
    except ValueError:
        raise MediaNotFoundError(f"No media file {media_id}/{variant}.") from None
    found = microblog.media.file(visitor.account_id, media_id, which)
    tag = f'"{media_id}-{which.value}"'
    headers = {
        "Cache-Control": _CACHE_CONTROL,
        "ETag": tag,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if request.headers.get("if-none-match") == tag:
        return Response(b"", status_code=304, headers=headers)
    return Response(found.data, media_type=found.content_type, headers=headers)
