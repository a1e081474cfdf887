"""What the whole Core pipeline reads: notes, ratings, prior statuses and enrollment, as columns.

These are the facts the public Community Notes TSV layouts carry that the Core scorer uses
(the reference's `process_data.py` reads the same columns), held as parallel numpy arrays so
a million ratings fit in a few tens of megabytes. The TSV reader builds them from files; the
product builds them from its database; the pipeline only reads them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._ratings import Id

__all__ = [
    "HELPFUL_TAGS",
    "NOT_HELPFUL_TAGS",
    "Classification",
    "Enrollment",
    "NoteTable",
    "PriorStatuses",
    "RatingTable",
    "ScoringInput",
]


class Classification(StrEnum):
    """What the note's author says of the post, spelled as in the public notes.tsv."""

    MISLEADING = "MISINFORMED_OR_POTENTIALLY_MISLEADING"
    NOT_MISLEADING = "NOT_MISLEADING"


# The rating tags, in the public ratings.tsv column order (constants.py).
HELPFUL_TAGS = (
    "helpfulOther",
    "helpfulInformative",
    "helpfulClear",
    "helpfulEmpathetic",
    "helpfulGoodSources",
    "helpfulUniqueContext",
    "helpfulAddressesClaim",
    "helpfulImportantContext",
    "helpfulUnbiasedLanguage",
)
NOT_HELPFUL_TAGS = (
    "notHelpfulOther",
    "notHelpfulIncorrect",
    "notHelpfulSourcesMissingOrUnreliable",
    "notHelpfulOpinionSpeculationOrBias",
    "notHelpfulMissingKeyPoints",
    "notHelpfulOutdated",
    "notHelpfulHardToUnderstand",
    "notHelpfulArgumentativeOrBiased",
    "notHelpfulOffTopic",
    "notHelpfulSpamHarassmentOrAbuse",
    "notHelpfulIrrelevantSources",
    "notHelpfulOpinionSpeculation",
    "notHelpfulNoteNotNeeded",
)


@dataclass(frozen=True, eq=False)
class NoteTable:
    """One note per row. `misleading[k]` is True when the note's classification is
    `Classification.MISLEADING`. Ids are unique."""

    note_id: Sequence[Id]
    author_id: Sequence[Id]
    created_at_millis: npt.NDArray[np.int64]
    misleading: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.note_id)


@dataclass(frozen=True, eq=False)
class RatingTable:
    """One rating per row: `rater_id[k]` rated `note_id[k]` with `value[k]` in {0, 0.5, 1}
    (helpfulNum) at `created_at_millis[k]`. `helpful_tags` and `not_helpful_tags` are boolean
    matrices with one column per name in `HELPFUL_TAGS` / `NOT_HELPFUL_TAGS`;
    `population_sampled[k]` is the public `ratingSourceBucketed == POPULATION_SAMPLED`."""

    note_id: Sequence[Id]
    rater_id: Sequence[Id]
    created_at_millis: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    helpful_tags: npt.NDArray[np.bool_]
    not_helpful_tags: npt.NDArray[np.bool_]
    population_sampled: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.note_id)


@dataclass(frozen=True, eq=False)
class PriorStatuses:
    """What the previous run decided (the public noteStatusHistory), one note per row.

    `current_status[k]` is a `NoteStatus` value or "" when the note has none yet;
    `latest_decided_at_millis[k]` is the time of its most recent status other than needing
    more ratings (timestampMillisOfLatestNonNMRStatus), -1 when it never had one. Inertia and
    the valid-ratings window read these."""

    note_id: Sequence[Id]
    current_status: Sequence[str]
    latest_decided_at_millis: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.note_id)


@dataclass(frozen=True, eq=False)
class Enrollment:
    """The contributors listed in userEnrollment, each with their modeling group, or None
    when the list gives them none (an empty modelingGroup).

    Three cases differ for the Core scorer, as in the reference (`MFCoreScorer`): a rater
    listed in a Core group is read; a rater listed without a group, or in another group, is
    left out; a rater not listed at all is unassigned and read. Stable initialisation fits
    first on the ratings of group 13."""

    participant_id: Sequence[Id]
    modeling_group: Sequence[int | None]

    def __len__(self) -> int:
        return len(self.participant_id)


@dataclass(frozen=True, eq=False)
class ScoringInput:
    """Everything one Core scoring run reads. `prior` and `enrollment` may be absent, as the
    reference's `--status` and `--enrollment` files may be empty."""

    notes: NoteTable
    ratings: RatingTable
    prior: PriorStatuses | None = None
    enrollment: Enrollment | None = None
