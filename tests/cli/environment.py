"""The environment a `townsquare` command reads to reach a test's database."""

from townsquare.settings import Settings


def cli_environment(settings: Settings) -> dict[str, str]:
    """`TOWNSQUARE_…` variables naming `settings`' data folder, database and base URL."""
    return {
        "TOWNSQUARE_DATA_DIR": str(settings.data_dir),
        "TOWNSQUARE_DATABASE_URL": settings.database_url,
        "TOWNSQUARE_BASE_URL": settings.base_url,
    }
