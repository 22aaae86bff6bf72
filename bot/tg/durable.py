"""Where the durable inbox (bot/inbox.py) meets PTB, through PTB's own extension points.

- `InboxRequest` is the HTTP client PTB uses for getUpdates only: it writes each batch to the inbox
  before handing it to PTB. PTB confirms a batch by asking for the next offset, which it can only
  do after this call returned, so nothing is confirmed to Telegram before it is on disk.
- `InboxApplication.process_update` removes an update's row once its handling ends (an update that
  failed is not retried forever), and skips a second copy of one already handled in this run.
- `replay` queues what the last run left, at start-up.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData
from telegram._utils.types import ODVInput

from bot.inbox import Inbox
from bot.tg.transport import AiohttpRequest

log = logging.getLogger(__name__)


class InboxRequest(AiohttpRequest):
    """The getUpdates client: a successful batch is in the inbox before PTB sees it."""

    def __init__(self, inbox: Inbox | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inbox = inbox

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        status, payload = await super().do_request(url, method, request_data, read_timeout, write_timeout,
                                                   connect_timeout, pool_timeout)
        if self.inbox is not None and status == 200 and url.endswith("/getUpdates"):
            try:
                result = json.loads(payload).get("result")
            except (ValueError, AttributeError):
                result = None
            if isinstance(result, list) and result:
                self.inbox.add(result)
        return status, payload


class InboxApplication(Application):  # type: ignore[type-arg]  # PTB's generics, filled by the builder
    """PTB's Application, with each update's inbox row removed once it has been handled."""

    def __init__(self, *, inbox: Inbox | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inbox = inbox

    async def process_update(self, update: object) -> None:
        inbox = self.inbox
        if inbox is None or not isinstance(update, Update):
            await super().process_update(update)
            return
        if not inbox.claim(update.update_id):
            log.debug("update %d already handled in this run", update.update_id)
            return
        try:
            await super().process_update(update)
        finally:
            inbox.done(update.update_id)


async def replay(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Queue the updates the last run left unanswered (younger than the inbox's max_age)."""
    inbox = getattr(application, "inbox", None)
    if inbox is None:
        return 0
    pending = inbox.pending()
    for data in pending:
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:        # a row from an older schema of updates: dropped, not fatal
            log.warning("inbox update %s could not be read (%s)", data.get("update_id"), type(exc).__name__)
            inbox.done(int(data.get("update_id", 0)))
            continue
        await application.update_queue.put(update)
    return len(pending)
