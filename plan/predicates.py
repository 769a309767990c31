"""Named conditions content can use in `when: [...]`.

Content names a predicate; the rule itself lives here, in code, where it can be tested.
Each takes the family's answers and (for child-level items) one child.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from plan.answers import Answers, Child

GAMING_DEVICES = frozenset({"xbox", "playstation", "nintendo-switch", "vr-headset"})
GAMING_APPS = frozenset({"roblox", "minecraft", "fortnite"})
OWN_PHONES = frozenset({"iphone", "android-phone"})
SOCIAL_APPS = frozenset({"tiktok", "snapchat", "instagram", "whatsapp", "discord", "twitch", "youtube"})


def something_happened(answers: "Answers", child: "Child | None") -> bool:
    """The parent told us something has already happened."""
    return answers.situation == "something-happened"


def planning_ahead(answers: "Answers", child: "Child | None") -> bool:
    return answers.situation == "planning"


def plays_online_games(answers: "Answers", child: "Child | None") -> bool:
    """A games console, VR headset or an online game."""
    return child is not None and bool(
        GAMING_DEVICES & set(child.devices) or GAMING_APPS & set(child.apps)
    )


def has_own_phone(answers: "Answers", child: "Child | None") -> bool:
    return child is not None and bool(OWN_PHONES & set(child.devices))


def uses_social_media(answers: "Answers", child: "Child | None") -> bool:
    return child is not None and bool(SOCIAL_APPS & set(child.apps))


PREDICATES: dict[str, Callable[["Answers", "Child | None"], bool]] = {
    f.__name__: f
    for f in (something_happened, planning_ahead, plays_online_games, has_own_phone, uses_social_media)
}
