"""The public Community Notes TSV layouts: each file's columns, in order.

Read from the reference's `constants.py` (`noteTSVColumnsAndTypes`,
`publicRatingTSVColumnsAndTypes`, `noteStatusHistoryTSVColumnsAndTypes`,
`userEnrollmentTSVColumnsAndTypes`) and its published data documentation
(`documentation/under-the-hood/download-data.md`). A file in one of these layouts has exactly
these columns; the reader and the exporter both use these tuples, so they cannot disagree.
"""

from townsquare.notes.scoring._inputs import HELPFUL_TAGS, NOT_HELPFUL_TAGS

__all__ = [
    "ENROLLMENT_COLUMNS",
    "MISLEADING_REASONS",
    "NOTE_COLUMNS",
    "NOT_MISLEADING_REASONS",
    "OLDER_RATING_COLUMNS",
    "OLDER_STATUS_HISTORY_COLUMNS",
    "RATING_COLUMNS",
    "STATUS_HISTORY_COLUMNS",
]

# Why the author says a post misleads (or does not): one 0/1 column each in notes.tsv.
MISLEADING_REASONS = (
    "misleadingOther",
    "misleadingFactualError",
    "misleadingManipulatedMedia",
    "misleadingOutdatedInformation",
    "misleadingMissingImportantContext",
    "misleadingUnverifiedClaimAsFact",
    "misleadingSatire",
)
NOT_MISLEADING_REASONS = (
    "notMisleadingOther",
    "notMisleadingFactuallyCorrect",
    "notMisleadingOutdatedButNotWhenWritten",
    "notMisleadingClearlySatire",
    "notMisleadingPersonalOpinion",
)

NOTE_COLUMNS = (
    "noteId",
    "noteAuthorParticipantId",
    "createdAtMillis",
    "tweetId",
    "classification",
    "believable",
    "harmful",
    "validationDifficulty",
    *MISLEADING_REASONS,
    *NOT_MISLEADING_REASONS,
    "trustworthySources",
    "summary",
    "isMediaNote",
    "isCollaborativeNote",
)

# Ratings files before 2026 end at ratingSourceBucketed; later ones add two columns that the
# scorer does not read (the reference drops them after reading).
OLDER_RATING_COLUMNS = (
    "noteId",
    "raterParticipantId",
    "createdAtMillis",
    "version",
    "agree",
    "disagree",
    "helpful",
    "notHelpful",
    "helpfulnessLevel",
    *HELPFUL_TAGS,
    *NOT_HELPFUL_TAGS,
    "ratedOnTweetId",
    "ratingSourceBucketed",
)
RATING_COLUMNS = (*OLDER_RATING_COLUMNS, "suggestion", "suggestionId")

# The older noteStatusHistory layout lacks the last column; the reference accepts both.
OLDER_STATUS_HISTORY_COLUMNS = (
    "noteId",
    "noteAuthorParticipantId",
    "createdAtMillis",
    "timestampMillisOfFirstNonNMRStatus",
    "firstNonNMRStatus",
    "timestampMillisOfCurrentStatus",
    "currentStatus",
    "timestampMillisOfLatestNonNMRStatus",
    "mostRecentNonNMRStatus",
    "timestampMillisOfStatusLock",
    "lockedStatus",
    "timestampMillisOfRetroLock",
    "currentCoreStatus",
    "currentExpansionStatus",
    "currentGroupStatus",
    "currentDecidedBy",
    "currentModelingGroup",
    "timestampMillisOfMostRecentStatusChange",
    "timestampMillisOfNmrDueToMinStableCrhTime",
    "currentMultiGroupStatus",
    "currentModelingMultiGroup",
    "timestampMinuteOfFinalScoringOutput",
    "timestampMillisOfFirstNmrDueToMinStableCrhTime",
)
STATUS_HISTORY_COLUMNS = (*OLDER_STATUS_HISTORY_COLUMNS, "abovePcrhThresholdTime")

ENROLLMENT_COLUMNS = (
    "participantId",
    "enrollmentState",
    "successfulRatingNeededToEarnIn",
    "timestampOfLastStateChange",
    "timestampOfLastEarnOut",
    "modelingPopulation",
    "modelingGroup",
    "numberOfTimesEarnedOut",
)
