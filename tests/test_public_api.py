"""Each package shows its API in `__all__`; other packages use only that (STYLE.md habit 2)."""

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import townsquare

SOURCE = Path(townsquare.__file__).parent


def _packages() -> list[str]:
    """Every regular package (one with an __init__.py) under townsquare, and the root."""
    found = ["townsquare"]
    for info in pkgutil.walk_packages([str(SOURCE)], prefix="townsquare."):
        if info.ispkg and (SOURCE / Path(*info.name.split(".")[1:]) / "__init__.py").exists():
            found.append(info.name)
    return sorted(found)


def _public_modules() -> list[str]:
    """Top-level public modules such as `townsquare.settings` and `townsquare.app`."""
    return sorted(f"townsquare.{p.stem}" for p in SOURCE.glob("*.py") if not p.stem.startswith("_"))


def _is_private(name: str) -> bool:
    """A leading underscore, but not a dunder such as `__version__`."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _exports(module: ModuleType) -> list[str]:
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module.__name__} has no __all__"
    return list(exported)


@pytest.mark.parametrize("name", _packages())
def test_every_exported_name_exists_and_is_public(name: str) -> None:
    module = importlib.import_module(name)
    exported = _exports(module)
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    missing = [n for n in exported if not hasattr(module, n)]
    private = [n for n in exported if _is_private(n)]
    assert missing == [], f"{name}.__all__ lists names it does not define"
    assert private == [], f"{name}.__all__ exports private names"


@pytest.mark.parametrize("name", _public_modules())
def test_public_modules_declare_their_api(name: str) -> None:
    module = importlib.import_module(name)
    exported = _exports(module)
    assert [n for n in exported if not hasattr(module, n)] == []
    assert [n for n in exported if _is_private(n)] == []


_PRIVATE_IMPORT = re.compile(
    r"^\s*(?:from\s+townsquare\.(?P<from_pkg>\w+)((?:\.\w+)*)\s+import"
    r"|import\s+townsquare\.(?P<imp_pkg>\w+)((?:\.\w+)*))",
    re.MULTILINE,
)


def _private_imports(source: str, own: str) -> list[str]:
    """Imports in `source` (a file of package `own`) of another package's private module."""
    found = []
    for match in _PRIVATE_IMPORT.finditer(source):
        package = match.group("from_pkg") or match.group("imp_pkg")
        rest = match.group(2) or match.group(4) or ""
        if package != own and any(part.startswith("_") for part in rest.split(".")):
            found.append(match.group(0).strip())
    return found


def test_packages_import_each_other_only_through_their_roots() -> None:
    problems = [
        f"{path.relative_to(SOURCE.parent)}: {statement}"
        for path in sorted(SOURCE.rglob("*.py"))
        for statement in _private_imports(
            path.read_text(encoding="utf-8"),
            own=path.relative_to(SOURCE).parts[0].removesuffix(".py"),
        )
    ]
    assert problems == []


def test_the_private_import_check_catches_both_forms() -> None:
    source = (
        "from townsquare.storage._engine import is_sqlite\n"
        "import townsquare.kernel._ids\n"
        "from townsquare.storage.tables import posts\n"
        "from townsquare.microblog._text import parse_text\n"
    )
    assert _private_imports(source, own="microblog") == [
        "from townsquare.storage._engine import",
        "import townsquare.kernel._ids",
    ]
