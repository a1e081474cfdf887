"""The ledger over HTTP (c2sp.org/tlog-tiles under /ledger/): formats, types, caching, errors."""

import base64
from collections.abc import Iterator
from typing import TypeAlias

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from townsquare.app import Services, create_app
from townsquare.ledger import (
    Tile,
    Verifier,
    decode_bundle,
    encode_entry,
    entry_bundle_path,
    leaf_hash,
    open_checkpoint,
    parse_receipt,
    root_from_tiles,
    tile_hashes,
    tile_path,
    tiles_for_size,
    verify_inclusion,
    verify_receipt,
)

Client: TypeAlias = TestClient[Litestar]
SIZE = 300


@pytest.fixture
def entries(services: Services) -> list[bytes]:
    made = [encode_entry("test.event", 1, {"number": n}) for n in range(SIZE)]
    with services.db.write() as conn:
        for entry in made:
            services.ledger.append(conn, entry)
    services.ledger.integrate()
    return made


@pytest.fixture
def client(services: Services) -> Iterator[Client]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


def _vkey(client: Client) -> Verifier:
    response = client.get("/ledger/vkey")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    return Verifier.from_vkey(response.text.strip())


def test_the_checkpoint_is_signed_text_that_is_never_cached(
    client: Client, entries: list[bytes]
) -> None:
    response = client.get("/ledger/checkpoint")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    verifier = _vkey(client)
    checkpoint = open_checkpoint(response.content, verifier.name, verifier)
    assert checkpoint.size == SIZE
    assert verifier.name == "testserver/ledger"


def test_every_tile_and_bundle_of_the_tree_is_served(client: Client, entries: list[bytes]) -> None:
    hashes = [leaf_hash(e) for e in entries]
    files = {}
    for tile in tiles_for_size(SIZE):
        response = client.get(f"/ledger/{tile.path}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/octet-stream"
        assert response.content == b"".join(tile_hashes(tile, hashes))
        files[tile] = response.content
        if tile.level == 0:
            bundle = client.get(f"/ledger/{entry_bundle_path(tile.index, tile.width)}")
            first = tile.index * 256
            assert decode_bundle(bundle.content) == entries[first : first + tile.width]
    verifier = _vkey(client)
    checkpoint = open_checkpoint(client.get("/ledger/checkpoint").content, verifier.name, verifier)
    assert root_from_tiles(SIZE, files) == checkpoint.root_hash


def test_full_tiles_are_immutable_and_partial_ones_short_lived(
    client: Client, entries: list[bytes]
) -> None:
    full = client.get("/ledger/tile/0/000")
    assert full.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert len(full.content) == 256 * 32
    partial = client.get("/ledger/tile/0/001.p/44")
    assert partial.headers["cache-control"] == "public, max-age=60"
    narrower = client.get("/ledger/tile/0/001.p/3")  # an older version of the same tile
    assert narrower.content == partial.content[: 3 * 32]
    bundle = client.get("/ledger/tile/entries/000")
    assert bundle.headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "path",
    [
        "/ledger/tile/0/001",  # not full yet
        "/ledger/tile/0/001.p/45",  # wider than the tree
        "/ledger/tile/0/x001/000",
        "/ledger/tile/1/000",
        "/ledger/tile/3/000.p/1",
        "/ledger/tile/entries/002",
        "/ledger/tile/63/x999/x999/x999/x999/x999/x999/999",  # beyond any tree
        "/ledger/entries/300",
        "/ledger/entries/-1",
        "/ledger/entries/123456789012345678901234567890",
        "/ledger/entries/300/receipt",
    ],
)
def test_beyond_the_tree_is_404(client: Client, entries: list[bytes], path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        "/ledger/tile/0/0",
        "/ledger/tile/0/0000",
        "/ledger/tile/0/x000/001",  # a leading zero group
        "/ledger/tile/0/x1/001",
        "/ledger/tile/0/000.p/0",
        "/ledger/tile/0/000.p/256",
        "/ledger/tile/0/000.p/044",
        "/ledger/tile/0/000.p/",
        "/ledger/tile/0/000.p",
        "/ledger/tile/00/000",
        "/ledger/tile/64/000",
        "/ledger/tile/-1/000",
        "/ledger/tile/x/000",
        "/ledger/tile/entries/abc",
        "/ledger/tile/entries/x000/000",
    ],
)
def test_a_malformed_tile_path_is_400(client: Client, entries: list[bytes], path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400, response.text
    assert "tile" in response.json()["detail"]


def test_the_index_form_of_large_tiles_is_parsed() -> None:
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert Tile(0, 1234067).path.endswith("x001/x234/067")


def test_an_entry_comes_decoded_with_a_proof_that_verifies(
    client: Client, entries: list[bytes]
) -> None:
    body = client.get("/ledger/entries/257").json()
    assert body["index"] == 257
    assert body["entry"] == {"number": 257, "type": "test.event", "v": 1}
    verifier = _vkey(client)
    checkpoint = open_checkpoint(body["checkpoint"].encode(), verifier.name, verifier)
    proof = [base64.b64decode(element) for element in body["inclusion_proof"]]
    verify_inclusion(leaf_hash(entries[257]), 257, checkpoint.size, proof, checkpoint.root_hash)
    assert body["tree_size"] == SIZE


def test_a_receipt_is_a_tlog_proof_that_verifies(client: Client, entries: list[bytes]) -> None:
    response = client.get("/ledger/entries/9/receipt")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("c2sp.org/tlog-proof@v1\nindex 9\n")
    verifier = _vkey(client)
    verify_receipt(parse_receipt(response.content), entries[9], verifier.name, verifier)


def test_the_ledger_routes_are_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/ledger/checkpoint",
        "/ledger/vkey",
        "/ledger/tile/{level}/{index_path}",
        "/ledger/tile/entries/{index_path}",
        "/ledger/entries/{index}",
        "/ledger/entries/{index}/receipt",
    } <= set(paths)


def test_an_empty_log_still_answers(client: Client) -> None:
    assert client.get("/ledger/checkpoint").text.split("\n")[1] == "0"
    assert client.get("/ledger/tile/0/000.p/1").status_code == 404
