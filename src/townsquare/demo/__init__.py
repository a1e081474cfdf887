"""Layer 7: the demo world — a fictional community to try Townsquare with.

Hundreds of accounts writing in French and English about their days, the news and a
fictional 2027 election fought between two invented parties, with a skewed follow graph,
threads, quotes, reposts and likes, then moderation cases reported, decided and appealed,
community notes written, rated across the camps and scored, and the automated rules at work
(a link-spam ring removed, a copy-paste campaign decided with its copies, a false positive
reversed on appeal).
The same seed always gives the same world.
"""

from townsquare.demo._cast import Camp, Persona
from townsquare.demo._errors import DatabaseNotEmptyError, DemoError, DemoSizeError
from townsquare.demo._loader import (
    DEMO_PASSWORD,
    DemoLogin,
    DemoWorld,
    ProgressCallback,
    Stage,
    demo_logins,
    load_demo_world,
)
from townsquare.demo._moderation_loader import DemoModeration, ModerationCounts
from townsquare.demo._moderation_plan import ModerationPlan, plan_moderation
from townsquare.demo._notes_loader import NotesCounts
from townsquare.demo._notes_plan import NoteKind, NotesPlan, plan_notes
from townsquare.demo._plan import (
    PlannedFollow,
    PlannedLike,
    PlannedPost,
    PlannedRepost,
    Topic,
    WorldPlan,
    plan_world,
)
from townsquare.demo._rules_loader import RulesCounts
from townsquare.demo._rules_plan import RulesPlan, plan_rules

__all__ = [
    "DEMO_PASSWORD",
    "Camp",
    "DatabaseNotEmptyError",
    "DemoError",
    "DemoLogin",
    "DemoModeration",
    "DemoSizeError",
    "DemoWorld",
    "ModerationCounts",
    "ModerationPlan",
    "NoteKind",
    "NotesCounts",
    "NotesPlan",
    "Persona",
    "PlannedFollow",
    "PlannedLike",
    "PlannedPost",
    "PlannedRepost",
    "ProgressCallback",
    "RulesCounts",
    "RulesPlan",
    "Stage",
    "Topic",
    "WorldPlan",
    "demo_logins",
    "load_demo_world",
    "plan_moderation",
    "plan_notes",
    "plan_rules",
    "plan_world",
]
