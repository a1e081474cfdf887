"""Reading submitted HTML forms."""

from typing import Annotated

from litestar.enums import RequestEncodingType
from litestar.params import Body

from townsquare.kernel import LARGEST_ID

__all__ = ["FormData", "optional_int"]

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def optional_int(raw: str | None) -> int | None:
    """A form field holding an id, or None when it is empty or not an id."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > LARGEST_ID:
        return None
    return int(text)
