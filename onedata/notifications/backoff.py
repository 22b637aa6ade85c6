"""When to try a deferred message again: exponential backoff with full jitter. Pure."""

from __future__ import annotations

import random

BASE_SECONDS = 30
CAP_SECONDS = 3600
MAX_ATTEMPTS = 8  # about 4 hours of trying before a message is marked failed


def retry_delay(
    attempt: int,
    *,
    rng: random.Random | None = None,
    base: float = BASE_SECONDS,
    cap: float = CAP_SECONDS,
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based).

    Full jitter (a random wait between 0 and the exponential ceiling) spreads the retries
    of many messages that failed together, so a recovering relay is not hit all at once.
    A floor of a tenth of the ceiling keeps the wait from collapsing to nothing.
    """
    ceiling = min(cap, base * 2 ** (attempt - 1))
    rng = rng or random.Random()  # noqa: S311 - timing jitter, not security
    return ceiling * 0.1 + rng.random() * ceiling * 0.9


def should_give_up(attempts: int, max_attempts: int = MAX_ATTEMPTS) -> bool:
    return attempts >= max_attempts
