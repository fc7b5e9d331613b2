"""The time of day as the app shows it everywhere (status line, tooltips, tables): 14:02:11.
Qt-free, so the client's bookkeeping and the views share it."""

from __future__ import annotations

import time


def clock_time(at: float) -> str:
    """Local wall-clock time of `at` (seconds since the epoch), as people read it: 14:02:11."""
    return time.strftime("%H:%M:%S", time.localtime(at))
