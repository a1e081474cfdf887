"""`scripts/ensure-chromium`, which `make test` and CI run first: it installs chromium as root
and otherwise says, in the same line the browser tests fail with, how to install it.

Chromium is really installed on the machines that run these tests, so the absent branch is
exercised with `CHROMIUM` pointing elsewhere and apt-get in dry-run mode."""

import os
import subprocess
from pathlib import Path

from .conftest import CHROMIUM, MISSING_CHROMIUM

SCRIPT = Path(__file__).parents[2] / "scripts" / "ensure-chromium"
ABSENT = "/nonexistent/chromium"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
AS_ROOT = [] if os.geteuid() == 0 else ["unshare", "--map-root-user"]


def run(*prefix: str, chromium: str, dry_run: bool = True) -> subprocess.CompletedProcess[str]:
    """The script under `prefix` (another user, say), read from stdin so that user need not
    reach the checkout (it may sit in root's home)."""
    env = {"PATH": os.environ["PATH"], "CHROMIUM": chromium, "DRY_RUN": "1" if dry_run else "0"}
    return subprocess.run(
        [*prefix, "bash", "-s"],
        input=SCRIPT.read_text(encoding="utf-8"),
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


def test_the_script_is_executable() -> None:
    assert os.access(SCRIPT, os.X_OK)  # `make test` and CI run it by its path


def test_a_present_chromium_is_left_alone_silently() -> None:
    done = run(*AS_ROOT, chromium="/bin/sh", dry_run=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_as_root_it_installs_chromium_with_apt_and_says_so() -> None:
    done = run(*AS_ROOT, chromium=ABSENT)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Installing Debian's chromium for the browser tests")
    assert "about a minute" in lines[0]
    assert lines[1:] == [
        "would run: apt-get update -qq",
        "would run: apt-get install -y -qq --no-install-recommends chromium",
    ]


def test_as_a_user_it_says_in_one_line_how_to_install_it() -> None:
    prefix = NOBODY if os.geteuid() == 0 else []
    done = run(*prefix, chromium=ABSENT, dry_run=False)
    assert done.returncode == 0  # the other tests still run
    assert done.stdout == ""
    assert done.stderr == MISSING_CHROMIUM.replace(str(CHROMIUM), ABSENT) + "\n"
