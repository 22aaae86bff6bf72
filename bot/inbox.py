"""The durable inbox: an update is on disk before Telegram is told it arrived, and leaves once handled.

Telegram forgets an update once the bot confirms it (the next getUpdates offset, or a 200 to the
webhook's POST), and a burst of questions queues inside the bot for seconds (Telegram lets a bot
send about 30 messages a second). A crash then lost every update already confirmed. Here each
fetched update is written first (one transaction per batch), removed when its handling ends, and
on start the rows younger than `max_age` are answered again: none lost, and at most the few in
flight at the moment of the crash answered twice.

A row holds only what replying needs: the chat, the message, its text and entities, the asker's id
and language (for admin checks and the reply language), never names or usernames; rows exist only
while an update waits. Other updates (button presses, inline queries) are worthless minutes later
and are not kept.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from bot import store

log = logging.getLogger(__name__)

#: How many update ids are remembered as handled in this run (Telegram re-sends unconfirmed ones after a crash).
REMEMBERED = 100_000
MESSAGE_KINDS = ("message", "edited_message")
_CHAT_KEYS = ("id", "type", "is_forum")
_MESSAGE_KEYS = ("message_id", "date", "edit_date", "text", "caption", "entities", "caption_entities",
                 "message_thread_id", "is_topic_message", "migrate_to_chat_id", "migrate_from_chat_id")


def minimal(update: dict[str, Any]) -> dict[str, Any] | None:
    """The part of a message update that answering needs, or None for updates not kept.

    >>> minimal({"update_id": 7, "message": {"message_id": 3, "date": 1, "text": "hi",
    ...          "chat": {"id": 5, "type": "private", "first_name": "Somchai"},
    ...          "from": {"id": 5, "is_bot": False, "first_name": "Somchai", "language_code": "th"}}})
    {'update_id': 7, 'message': {'message_id': 3, 'date': 1, 'text': 'hi', 'chat': {'id': 5, 'type': 'private'}, 'from': {'id': 5, 'is_bot': False, 'first_name': '', 'language_code': 'th'}}}
    """
    for kind in MESSAGE_KINDS:
        message = update.get(kind)
        if isinstance(message, dict) and (message.get("text") or message.get("caption")):
            return {"update_id": update["update_id"], kind: _message(message, depth=0)}
    return None


def _message(message: dict[str, Any], *, depth: int) -> dict[str, Any]:
    out = {k: message[k] for k in _MESSAGE_KEYS if k in message}
    out["chat"] = {k: v for k, v in (message.get("chat") or {}).items() if k in _CHAT_KEYS}
    sender = message.get("from")
    if isinstance(sender, dict):
        out["from"] = {"id": sender.get("id"), "is_bot": bool(sender.get("is_bot")), "first_name": "",
                       **({"language_code": sender["language_code"]} if sender.get("language_code") else {})}
    if "sender_chat" in message:
        out["sender_chat"] = {k: v for k, v in message["sender_chat"].items() if k in _CHAT_KEYS}
    replied = message.get("reply_to_message")
    if depth == 0 and isinstance(replied, dict):
        out["reply_to_message"] = _message(replied, depth=1)    # whom it replies to: the bot or not
    return out


class Inbox:
    """The inbox table of the bot's database, used from the event loop's thread only."""

    def __init__(self, path: str, *, max_age: float) -> None:
        self.max_age = max_age
        self._conn = store.connect(path)
        self._claims: OrderedDict[int, bool] = OrderedDict()      # update id -> its handling has ended

    def add(self, updates: Iterable[dict[str, Any]]) -> None:
        """Write the updates worth keeping, in one transaction; a database fault is logged, not raised."""
        rows = []
        now = time.time()
        for update in updates:
            kept = minimal(update) if isinstance(update, dict) else None
            if kept is not None:
                message = next(iter(v for k, v in kept.items() if k != "update_id"))
                rows.append((kept["update_id"], float(message.get("date") or now), json.dumps(kept, ensure_ascii=False)))
        if not rows:
            return
        try:
            with self._conn:
                self._conn.execute("BEGIN")
                self._conn.executemany("INSERT OR IGNORE INTO inbox (update_id, sent, body) VALUES (?,?,?)", rows)
        except sqlite3.Error as exc:
            log.error("updates not saved to the inbox (%s: %s); they are answered, but a crash now would lose them",
                      type(exc).__name__, exc)

    def claim(self, update_id: int) -> bool:
        """True the first time an update is handled in this run; False for a copy (Telegram's re-sending
        of an update the inbox already brought back). A copy of a handled one also clears its row again."""
        if update_id in self._claims:
            if self._claims[update_id]:
                self.done(update_id)
            return False
        self._claims[update_id] = False
        while len(self._claims) > REMEMBERED:
            self._claims.popitem(last=False)
        return True

    def done(self, update_id: int) -> None:
        if update_id in self._claims:
            self._claims[update_id] = True
        try:
            with self._conn:
                self._conn.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,))
        except sqlite3.Error as exc:
            log.warning("inbox row %d not removed (%s); it may be answered again after a restart", update_id, exc)

    def pending(self, *, now: float | None = None) -> list[dict[str, Any]]:
        """The updates left by the last run that are still worth answering, oldest first; older ones go."""
        cutoff = (now if now is not None else time.time()) - self.max_age
        try:
            with self._conn:
                self._conn.execute("BEGIN")
                stale = self._conn.execute("DELETE FROM inbox WHERE sent < ?", (cutoff,)).rowcount
                rows = self._conn.execute("SELECT body FROM inbox ORDER BY update_id").fetchall()
        except sqlite3.Error as exc:
            log.error("the inbox could not be read (%s); updates left by the last run are not answered", exc)
            return []
        if stale:
            log.info("%d update(s) left by the last run were too old to answer", stale)
        if rows:
            log.info("answering %d update(s) left by the last run", len(rows))
        return [json.loads(body) for (body,) in rows]

    def close(self) -> None:
        self._conn.close()
