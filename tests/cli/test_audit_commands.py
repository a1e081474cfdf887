"""`townsquare audit impartiality` on a published dataset: the JSON file, the same bytes for
the same dataset, and one clear line (never a traceback) for a dataset it cannot read."""

import json
from pathlib import Path

from typer.testing import CliRunner

from audits.factories import biased_dataset, simpson_dataset
from townsquare.audits import write_dataset
from townsquare.cli import app


def audit(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["audit", "impartiality", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_the_audit_writes_its_json_and_names_the_alerts(tmp_path: Path) -> None:
    write_dataset(tmp_path / "dataset", biased_dataset())
    code, stdout, stderr = audit("--dataset", tmp_path / "dataset", "--out", tmp_path / "a.json")
    assert code == 0, stderr
    document = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert document["alert"] is True
    assert "6 comparisons, 1 alert(s)" in stdout
    assert "alert: restricted_per_comparable_post" in stdout


def test_the_same_dataset_gives_a_byte_identical_file(tmp_path: Path) -> None:
    write_dataset(tmp_path / "dataset", simpson_dataset())
    for name in ("first.json", "second.json"):
        code, _, stderr = audit("--dataset", tmp_path / "dataset", "--out", tmp_path / name)
        assert code == 0, stderr
    first = (tmp_path / "first.json").read_bytes()
    assert first == (tmp_path / "second.json").read_bytes()
    assert json.loads(first)["alert"] is False


def test_the_threshold_is_an_option(tmp_path: Path) -> None:
    write_dataset(tmp_path / "dataset", biased_dataset())
    out = tmp_path / "a.json"
    code, _, stderr = audit("--dataset", tmp_path / "dataset", "--out", out, "--threshold", "3")
    assert code == 0, stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["alert"], document["threshold"]) == (False, 3.0)


def test_a_malformed_dataset_is_one_line_naming_the_place(tmp_path: Path) -> None:
    write_dataset(tmp_path, biased_dataset())
    posts = tmp_path / "posts.csv"
    lines = posts.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",0,", ",many,")
    posts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stdout, stderr = audit("--dataset", tmp_path, "--out", tmp_path / "a.json")
    assert code == 1
    assert stderr.strip().startswith("Error: posts.csv, line 4, column 3 (reports)")
    assert "Traceback" not in stdout + stderr
    assert not (tmp_path / "a.json").exists()


def test_a_threshold_out_of_range_is_refused(tmp_path: Path) -> None:
    write_dataset(tmp_path, biased_dataset())
    code, _, stderr = audit("--dataset", tmp_path, "--out", tmp_path / "a.json", "--threshold", "1")
    assert code == 1
    assert "threshold must be a ratio above 1" in stderr


def test_an_unwritable_output_is_refused(tmp_path: Path) -> None:
    write_dataset(tmp_path, biased_dataset())
    code, _, stderr = audit("--dataset", tmp_path, "--out", tmp_path / "missing" / "a.json")
    assert code == 1
    assert "cannot write" in stderr
