"""Compare our Core scorer's output with the reference scorer's, on the same input files.

    python bench/notes_reference.py OURS_DIR REFERENCE_DIR

Each directory holds the `scored_notes.tsv` and `helpfulness_scores.tsv` of one run on the
same notes, ratings, status history and enrollment: OURS_DIR from `townsquare notes score
--out OURS_DIR`, REFERENCE_DIR from the reference's runner (`--outdir REFERENCE_DIR`); only
the columns both write are read, so the reference's extra columns do no harm. Printed:

- how many notes each run scores (a non-empty coreNoteIntercept) and how many both score;
- on notes both score: the Pearson correlation of coreNoteIntercept and of coreNoteFactor1
  (the factor's sign is arbitrary, so it is aligned first), the largest intercept gap, and the
  share with the same coreRatingStatus;
- on notes both list: the share with the same finalRatingStatus, and both statuses'
  confusion matrices (rows ours, columns the reference's);
- on raters both score: the correlation of coreRaterIntercept and of coreRaterFactor1
  (sign-aligned), and the share with the same aboveHelpfulnessThreshold.
"""

import argparse
import csv
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Table:
    """One output file: its rows by id, each a mapping of column name to cell text."""

    rows: dict[str, dict[str, str]]

    def floats(self, ids: Sequence[str], column: str) -> Floats:
        return np.array([_number(self.rows[i].get(column, "")) for i in ids], dtype=np.float64)

    def texts(self, ids: Sequence[str], column: str) -> list[str]:
        return [self.rows[i].get(column, "") for i in ids]

    def scored(self, column: str) -> set[str]:
        """Ids whose `column` holds a number."""
        return {i for i, row in self.rows.items() if not math.isnan(_number(row.get(column, "")))}


def read_table(path: Path, key: str) -> Table:
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter="\t")
        return Table({row[key]: row for row in reader})


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def correlation(ours: Floats, reference: Floats, align_sign: bool = False) -> float:
    """Pearson correlation; with `align_sign`, of `ours` turned to the reference's sign."""
    if ours.shape[0] < 2 or ours.std() == 0 or reference.std() == 0:
        return math.nan
    value = float(np.corrcoef(ours, reference)[0, 1])
    return abs(value) if align_sign else value


def share_equal(ours: Sequence[str], reference: Sequence[str]) -> float:
    if not ours:
        return math.nan
    return sum(a == b for a, b in zip(ours, reference, strict=True)) / len(ours)


def confusion(ours: Sequence[str], reference: Sequence[str]) -> list[str]:
    """Lines of a confusion matrix: rows ours, columns the reference's."""
    counts = Counter(zip(ours, reference, strict=True))
    labels = sorted(set(ours) | set(reference))
    short = [label or "(empty)" for label in labels]
    width = max(len(s) for s in short) + 1
    lines = [" " * width + "".join(s.rjust(width) for s in short)]
    for label, name in zip(labels, short, strict=True):
        cells = "".join(str(counts[(label, other)]).rjust(width) for other in labels)
        lines.append(name.ljust(width) + cells)
    return lines


def compare_notes(ours: Table, reference: Table) -> list[str]:
    scored_ours = ours.scored("coreNoteIntercept")
    scored_reference = reference.scored("coreNoteIntercept")
    both = sorted(scored_ours & scored_reference)
    listed = sorted(set(ours.rows) & set(reference.rows))
    intercept_ours = ours.floats(both, "coreNoteIntercept")
    intercept_reference = reference.floats(both, "coreNoteIntercept")
    factors = (ours.floats(both, "coreNoteFactor1"), reference.floats(both, "coreNoteFactor1"))
    gap = float(np.max(np.abs(intercept_ours - intercept_reference))) if both else math.nan
    core = (ours.texts(both, "coreRatingStatus"), reference.texts(both, "coreRatingStatus"))
    final = (ours.texts(listed, "finalRatingStatus"), reference.texts(listed, "finalRatingStatus"))
    return [
        f"notes scored: ours {len(scored_ours)}, reference {len(scored_reference)}, "
        f"both {len(both)} (ours only {len(scored_ours - scored_reference)}, "
        f"reference only {len(scored_reference - scored_ours)})",
        f"coreNoteIntercept correlation: {correlation(intercept_ours, intercept_reference):.4f}"
        f" (largest gap {gap:.4f})",
        f"coreNoteFactor1 correlation (sign-aligned): {correlation(*factors, align_sign=True):.4f}",
        f"same coreRatingStatus: {share_equal(*core):.2%} of {len(both)} notes both score",
        f"same finalRatingStatus: {share_equal(*final):.2%} of {len(listed)} notes both list",
        "coreRatingStatus (rows ours, columns reference):",
        *confusion(*core),
        "finalRatingStatus (rows ours, columns reference):",
        *confusion(*final),
    ]


def compare_raters(ours: Table, reference: Table) -> list[str]:
    scored_ours = ours.scored("coreRaterIntercept")
    scored_reference = reference.scored("coreRaterIntercept")
    both = sorted(scored_ours & scored_reference)
    listed = sorted(set(ours.rows) & set(reference.rows))
    above = (
        [_truth(t) for t in ours.texts(listed, "aboveHelpfulnessThreshold")],
        [_truth(t) for t in reference.texts(listed, "aboveHelpfulnessThreshold")],
    )
    intercepts = (
        ours.floats(both, "coreRaterIntercept"),
        reference.floats(both, "coreRaterIntercept"),
    )
    factors = (ours.floats(both, "coreRaterFactor1"), reference.floats(both, "coreRaterFactor1"))
    aligned = correlation(*factors, align_sign=True)
    return [
        f"raters scored: ours {len(scored_ours)}, reference {len(scored_reference)}, "
        f"both {len(both)}",
        f"coreRaterIntercept correlation: {correlation(*intercepts):.4f}",
        f"coreRaterFactor1 correlation (sign-aligned): {aligned:.4f}",
        f"same aboveHelpfulnessThreshold: {share_equal(*above):.2%} of {len(listed)} raters "
        "both list (rows ours, columns reference):",
        *confusion(*above),
    ]


def _truth(text: str) -> str:
    """The reference writes a nullable boolean (True, False or empty); ours True or False."""
    return {"true": "True", "1": "True", "false": "False", "0": "False"}.get(text.lower(), "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ours", type=Path, help="our output directory")
    parser.add_argument("reference", type=Path, help="the reference's output directory")
    args = parser.parse_args()
    notes = [read_table(d / "scored_notes.tsv", "noteId") for d in (args.ours, args.reference)]
    raters = [
        read_table(d / "helpfulness_scores.tsv", "raterParticipantId")
        for d in (args.ours, args.reference)
    ]
    for line in compare_notes(*notes) + compare_raters(*raters):
        print(line)


if __name__ == "__main__":
    main()
