"""The one rule of who a new bark notifies (both stores apply it), and the API's list of types agreeing
with it."""

from __future__ import annotations

from typing import get_args

from barker import models
from barker.policies import NOTIFICATION_TYPES, bark_notifications, notifies


def test_reply_first_then_mentions_once_each_never_the_author():
    assert bark_notifications(1, 2, [3, 2, 1, 3, 4]) == [(2, "reply"), (3, "mention"), (4, "mention")]
    assert bark_notifications(1, 1, [1, 2]) == [(2, "mention")]  # a self-reply notifies nobody of it
    assert bark_notifications(1, None, []) == []
    assert notifies(1, 2) and not notifies(1, 1)


def test_the_api_lists_the_same_types():
    assert get_args(models.NotificationType) == NOTIFICATION_TYPES
