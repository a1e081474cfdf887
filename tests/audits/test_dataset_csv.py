"""The published dataset's three CSV files: written, read back, and refused with a message
naming file, line and column when malformed."""

from dataclasses import replace
from pathlib import Path

import pytest

from audits.factories import biased_dataset
from townsquare.audits import (
    AuditAccount,
    AuditDataset,
    AuditDatasetError,
    AuditDecision,
    AuditDecisionTime,
    AuditHelpfulNote,
    AuditPost,
    AuditReview,
    read_dataset,
    write_dataset,
)

DECISIONS = "post_id,action,clause,automated,appealed,reversed\n"

HEADERS = {
    "accounts.csv": "account_id,group",
    "posts.csv": "post_id,account_id,reports,report_clause",
    "decisions.csv": "post_id,action,clause,automated,appealed,reversed",
}


def write_files(directory: Path, **files: str) -> Path:
    """The three files with one valid row each, but those given (by stem) replaced."""
    contents = {
        "accounts": "account_id,group\n1,A\n",
        "posts": "post_id,account_id,reports,report_clause\n10,1,2,spam/1\n",
        "decisions": DECISIONS + "10,remove,spam/1,true,false,false\n",
    }
    contents.update(files)
    for stem, text in contents.items():
        (directory / f"{stem}.csv").write_text(text, encoding="utf-8")
    return directory


def test_the_files_have_the_pinned_headers_and_spellings(tmp_path: Path) -> None:
    dataset = AuditDataset(
        (AuditAccount("1", "A"),),
        (AuditPost("10", "1", 2, "spam/1"),),
        (AuditDecision("10", "remove", "spam/1", True, False, True),),
    )
    write_dataset(tmp_path, dataset)
    for name, header in HEADERS.items():
        assert (tmp_path / name).read_text(encoding="utf-8").splitlines()[0] == header
    assert (tmp_path / "decisions.csv").read_text().splitlines()[
        1
    ] == "10,remove,spam/1,true,false,true"


def test_a_written_dataset_reads_back_equal(tmp_path: Path) -> None:
    dataset = biased_dataset()
    write_dataset(tmp_path, dataset)
    assert read_dataset(tmp_path) == dataset


def test_the_optional_files_are_written_and_read_back_when_present(tmp_path: Path) -> None:
    dataset = replace(
        biased_dataset(),
        reviews=(AuditReview("A--0-0", True), AuditReview("B--0-1", False)),
        helpful_notes=(AuditHelpfulNote("B--0-3"),),
        decision_times=(AuditDecisionTime("A--0-0", 5.5), AuditDecisionTime("B--0-1", 0.0001)),
    )
    write_dataset(tmp_path, dataset)
    assert (tmp_path / "reviews.csv").read_text().splitlines() == [
        "post_id,disagreed",
        "A--0-0,true",
        "B--0-1,false",
    ]
    assert (tmp_path / "helpful_notes.csv").read_text().splitlines() == ["post_id", "B--0-3"]
    assert (tmp_path / "decision_times.csv").read_text().splitlines() == [
        "post_id,hours_to_decision",
        "A--0-0,5.5",
        "B--0-1,0.0001",
    ]
    assert read_dataset(tmp_path) == dataset


def test_without_the_optional_files_their_tables_are_none(tmp_path: Path) -> None:
    dataset = read_dataset(write_files(tmp_path))
    assert (dataset.reviews, dataset.helpful_notes, dataset.decision_times) == (None, None, None)


def test_rewriting_without_the_optional_files_removes_them(tmp_path: Path) -> None:
    plain = biased_dataset()
    write_dataset(tmp_path, replace(plain, reviews=(), helpful_notes=(), decision_times=()))
    write_dataset(tmp_path, plain)
    assert read_dataset(tmp_path) == plain


def test_columns_in_another_order_and_unknown_columns_are_accepted(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        accounts="group,account_id,joined\nB,7,2026\n",
        posts="reports,post_id,lang,account_id,report_clause\n0,70,fr,7,\n",
        decisions="reversed,appealed,automated,clause,action,post_id,hours\nfalse,false,true,,none,70,3\n",
    )
    dataset = read_dataset(tmp_path)
    assert dataset.accounts == (AuditAccount("7", "B"),)
    assert dataset.posts == (AuditPost("70", "7", 0, ""),)
    assert dataset.decisions == (AuditDecision("70", "none", "", True, False, False),)


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    write_files(tmp_path, accounts="account_id,group\n\n1,A\n\n")
    assert len(read_dataset(tmp_path).accounts) == 1


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"decisions": DECISIONS + "10,remove,spam/1,yes,false,false\n"},
            "decisions.csv, line 2, column 4 (automated): expected true or false, found 'yes'",
        ),
        (
            {"posts": "post_id,account_id,reports,report_clause\n10,1,-1,spam/1\n"},
            "posts.csv, line 2, column 3 (reports): "
            "expected a whole number of 0 or more, found '-1'",
        ),
        (
            {"accounts": "account_id,group\n1,A\n2,\n"},
            "accounts.csv, line 3, column 2 (group): expected an identifier, found ''",
        ),
        (
            {"accounts": "account_id\n1\n"},
            "accounts.csv, line 1: the header lacks the column(s) group",
        ),
        ({"accounts": ""}, "accounts.csv: empty"),
        ({"accounts": "account_id,group\n1,A,extra\n"}, "accounts.csv, line 2: expected 2 cells"),
        (
            {"accounts": "account_id,group\n1,A\n1,B\n"},
            "accounts.csv, line 3 (account_id): '1' already appears on line 2",
        ),
        (
            {"posts": "post_id,account_id,reports,report_clause\n10,9,0,\n"},
            "posts.csv, line 2 (account_id): '9' is not in accounts.csv",
        ),
        (
            {"decisions": DECISIONS + "11,none,,false,false,false\n"},
            "decisions.csv, line 2 (post_id): '11' is not in posts.csv",
        ),
        ({"accounts": 'account_id,group\n"1,A\n'}, "accounts.csv: not CSV"),
        (
            {"reviews": "post_id,disagreed\n10,maybe\n"},
            "reviews.csv, line 2, column 2 (disagreed): expected true or false, found 'maybe'",
        ),
        ({"helpful_notes": "post_id\n99\n"}, "helpful_notes.csv, line 2 (post_id): '99' is not in"),
        *(
            (
                {"decision_times": f"post_id,hours_to_decision\n10,{hours}\n"},
                "decision_times.csv, line 2, column 2 (hours_to_decision): "
                f"expected a number of hours, 0 or more, found '{hours}'",
            )
            for hours in ("-1", "nan", "inf", "soon", "")
        ),
    ],
)
def test_malformed_files_are_refused_with_file_line_and_column(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    write_files(tmp_path, **files)
    with pytest.raises(AuditDatasetError) as refused:
        read_dataset(tmp_path)
    assert message in str(refused.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    write_files(tmp_path)
    (tmp_path / "posts.csv").unlink()
    with pytest.raises(AuditDatasetError, match=r"posts\.csv: the dataset has no such file"):
        read_dataset(tmp_path)


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    write_files(tmp_path)
    (tmp_path / "accounts.csv").write_bytes(b"account_id,group\n1,\xff\n")
    with pytest.raises(AuditDatasetError, match=r"accounts\.csv: not UTF-8"):
        read_dataset(tmp_path)
