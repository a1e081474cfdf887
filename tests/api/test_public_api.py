"""The package exports exactly what the wiring calls."""

import townsquare.api


def test_all_lists_the_public_names() -> None:
    assert sorted(townsquare.api.__all__) == [
        "allow_cross_origin",
        "api_router",
        "error_response",
        "is_api_path",
        "logged_status_and_message",
        "media_upload_router",
        "openapi_config",
        "reject_integers_out_of_range",
        "status_and_message",
    ]
    for name in townsquare.api.__all__:
        assert callable(getattr(townsquare.api, name))
