"""Who may find whom in "people near me": the one place that decides it. Both store adapters call
may_find() for every candidate while they rank, so the k returned are the k nearest *findable* users.

Blocking does not exist yet. When it lands, add `blocked: bool` (either way) to Relation, have the adapters'
relation look-up fill it in, and return False here when it is set: nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Visibility = Literal["everyone", "followers", "nobody"]
VISIBILITIES: tuple[str, ...] = get_args(Visibility)
# What sharing a location means when the owner has not chosen: found by everyone (the feature's purpose).
DEFAULT_VISIBILITY: Visibility = "everyone"


@dataclass(frozen=True, slots=True)
class Relation:
    """What the seeker is to the located user, as far as finding them is concerned."""

    seeker_follows: bool  # the seeker follows the located user
    followed_back: bool = False  # the located user follows the seeker


def needs_relation(visibility: str) -> bool:
    """Whether may_find() needs the relation for this visibility (so adapters look it up only then)."""
    return visibility == "followers"


def may_find(visibility: str, relation: Relation | None) -> bool:
    """Whether a seeker may find a located user whose setting is `visibility`.

    - everyone: anyone signed in;
    - followers: only followers they follow back (mutual follows). Following needs no approval in
      Barker, so "anyone who follows me" would let a stranger admit themselves with one click; the
      located user's own follow is the consent (docs/location-privacy.md);
    - nobody: sharing is paused; the location and the setting are kept, and nobody finds them.
    Anything unknown finds nobody (fail closed)."""
    if visibility == "everyone":
        return True
    if visibility == "followers":
        return relation is not None and relation.seeker_follows and relation.followed_back
    return False
