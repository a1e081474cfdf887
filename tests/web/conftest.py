"""A test client over the whole application, as a browser would use the web pages."""

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from townsquare.app import Services, create_app
from web.forms import WebClient


@pytest.fixture
def client(services: Services) -> Iterator[WebClient]:
    with TestClient(app=create_app(services)) as test_client:
        yield test_client
