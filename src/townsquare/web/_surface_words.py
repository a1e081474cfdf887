"""The surfaces reduced reach can hide a post from, in words (translated where shown)."""

from collections.abc import Mapping

from townsquare.microblog import Surface
from townsquare.web._messages import N_

__all__ = ["SURFACE_LABELS"]

SURFACE_LABELS: Mapping[Surface, str] = {
    Surface.HOME: N_("Home timelines"),
    Surface.PUBLIC: N_("Public timeline"),
    Surface.HASHTAG: N_("Hashtag timelines"),
    Surface.SEARCH: N_("Search"),
    Surface.NOTIFICATIONS: N_("Notifications"),
}
