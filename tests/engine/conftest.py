import datetime

import pytest
from django.utils import timezone


class Clock:
    """Moves `timezone.now()` (and so auto_now fields) to a chosen day after `start`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.start = timezone.now()
        self.current = self.start
        monkeypatch.setattr(timezone, "now", lambda: self.current)

    def day(self, number: int) -> datetime.datetime:
        self.current = self.start + datetime.timedelta(days=number)
        return self.current


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
