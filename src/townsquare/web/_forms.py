"""Reading submitted HTML forms."""

from typing import Annotated

from litestar.enums import RequestEncodingType
from litestar.params import Body

__all__ = ["FormData", "optional_int"]

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def optional_int(raw: str | None) -> int | None:
    """A form field holding an id, or None when it is empty or not a number."""
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw)
