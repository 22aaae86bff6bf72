"""A rate limiter for PTB whose 429 pauses only the chat it was about.

PTB's AIORateLimiter answers any RetryAfter by holding every request of the bot until it expires, so
one busy group's "retry after 30" made every private chat wait 30 s, and inline answers (valid for a
few seconds only) arrived too late. Telegram's 429s are per chat (or per inline query); here a 429
pauses the requests for that chat (or, for chatless calls, that method) and nothing else.

It is written on PTB's public `BaseRateLimiter` (`process_request` gets the method and its data,
chat_id included) and aiolimiter's `AsyncLimiter`, the library AIORateLimiter itself uses, with
AIORateLimiter's rates: about 30 messages a second overall and 20 a minute per group. (It used to
subclass AIORateLimiter and call its private `_run_request`, which a PTB release may rename.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
#: Above this many groups' limiters kept, the idle ones (their whole capacity unused) are dropped.
MAX_IDLE_GROUPS = 512


class PerChatRateLimiter(BaseRateLimiter[int]):
    """Overall and per-group rates as AIORateLimiter's; RetryAfter waits kept per chat.

    `sleep` is how a 429's wait is waited out; tests hold it on an event instead of a clock.
    """

    def __init__(self, *, overall_max_rate: float = FloodLimit.MESSAGES_PER_SECOND, overall_time_period: float = 1,
                 group_max_rate: float = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP, group_time_period: float = 60,
                 max_retries: int = 0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._overall = AsyncLimiter(overall_max_rate, overall_time_period) if overall_max_rate and overall_time_period else None
        self._group_rate = (group_max_rate, group_time_period) if group_max_rate and group_time_period else None
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._max_retries = max_retries
        self._resume: dict[object, asyncio.Event] = {}
        self.sleep = sleep

    async def initialize(self) -> None:
        """Nothing to set up: the limiters work on whichever loop awaits them."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def _group(self, chat_id: int | str) -> AsyncLimiter:
        assert self._group_rate is not None
        if len(self._groups) > MAX_IDLE_GROUPS:
            for key, limiter in list(self._groups.items()):
                if key != chat_id and limiter.has_capacity(limiter.max_rate):
                    del self._groups[key]
        if chat_id not in self._groups:
            self._groups[chat_id] = AsyncLimiter(*self._group_rate)
        return self._groups[chat_id]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        max_retries = rate_limit_args or self._max_retries
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        # Groups and channels have negative ids (or @names); only they have the per-minute limit.
        group = chat_id if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str) else None
        key: object = chat_id if chat_id is not None else endpoint
        for attempt in range(max_retries + 1):
            paused = self._resume.get(key)
            if paused is not None:
                await paused.wait()
            try:
                async with contextlib.AsyncExitStack() as limits:
                    if group is not None and self._group_rate is not None:
                        await limits.enter_async_context(self._group(group))
                    if chat_id is not None and self._overall is not None:     # the overall limit counts messages
                        await limits.enter_async_context(self._overall)
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == max_retries:
                    log.warning("%s for %s: still rate limited after %d retries", endpoint, key, max_retries)
                    raise
                seconds = retry_seconds(exc)
                log.info("%s for %s rate limited: that chat waits %.1f s", endpoint, key, seconds)
                event = self._resume.setdefault(key, asyncio.Event())
                event.clear()
                try:
                    await self.sleep(seconds + 0.1)
                finally:
                    event.set()
                    self._resume.pop(key, None)
        raise AssertionError("unreachable")  # pragma: no cover


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked to wait. PTB 22 gives seconds or a timedelta (PTB_TIMEDELTA) and warns
    that the seconds are deprecated: either is read, without the warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
