"""PTB's AIORateLimiter, except that a 429 pauses only the chat it was about.

AIORateLimiter answers any RetryAfter by holding every request of the bot until it expires, so one
busy group's "retry after 30" made every private chat wait 30 s, and inline answers (valid for a few
seconds only) arrived too late. Telegram's 429s are per chat (or per inline query); here a 429
pauses the requests for that chat (or, for chatless calls, that method) and nothing else. The
overall and per-group rates stay AIORateLimiter's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)


class PerChatRateLimiter(AIORateLimiter):
    """AIORateLimiter whose RetryAfter waits are kept per chat."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._resume: dict[object, asyncio.Event] = {}

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
        group: int | str | bool = chat_id if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str) else False
        key: object = chat_id if chat_id is not None else endpoint
        for attempt in range(max_retries + 1):
            paused = self._resume.get(key)
            if paused is not None:
                await paused.wait()
            try:
                return await self._run_request(chat=chat_id is not None, group=group,
                                               allow_paid_broadcast=bool(data.get("allow_paid_broadcast")),
                                               callback=callback, args=args, kwargs=kwargs)
            except RetryAfter as exc:
                if attempt == max_retries:
                    log.warning("%s for %s: still rate limited after %d retries", endpoint, key, max_retries)
                    raise
                seconds = retry_seconds(exc)
                log.info("%s for %s rate limited: that chat waits %.1f s", endpoint, key, seconds)
                event = self._resume.setdefault(key, asyncio.Event())
                event.clear()
                try:
                    await asyncio.sleep(seconds + 0.1)
                finally:
                    event.set()
                    self._resume.pop(key, None)
        raise AssertionError("unreachable")  # pragma: no cover


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked to wait (read without PTB's deprecation warning about its type)."""
    wait = getattr(exc, "_retry_after", None)
    if wait is None:
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
