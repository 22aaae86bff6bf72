"""Smaller guards of the Telegram layer: one chat's 429, forged buttons, admin commands, what errors log."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.core.answer import Brain
from bot.tg.app import build_application
from bot.tg.transport import RetryPolicy
from fake_bot_api import FakeBotApi, Fault, polling

TOKEN = "123456789:AAHsecret-part_of-the-token-0123456789"
ADMIN = 4242
PAUSE = 30          # seconds a 429 asks one chat to wait (never waited: the test holds the wait)
pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def running(api: FakeBotApi, brain: Brain, tmp_path: Path) -> AsyncIterator[Any]:
    """The bot as it runs in production (rate limiter on), recording to a database."""
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root,
                                  "BOT_ADMIN_IDS": str(ADMIN), "BOT_DB": str(tmp_path / "bot.sqlite3")})
    application = build_application(settings, brain, record=True, retry=RetryPolicy(tries=2, first_delay=0.01))
    async with polling(application):
        yield application


async def test_a_429_for_one_chat_does_not_hold_up_another(running: Any, api: FakeBotApi) -> None:
    # The limiter's wait is held on an event the test releases, not on a clock: no test time passes.
    limiter = running.bot.rate_limiter
    waiting, release, asked = asyncio.Event(), asyncio.Event(), []

    async def held(seconds: float) -> None:
        asked.append(seconds)
        waiting.set()
        await release.wait()
    limiter.sleep = held
    await api.wait_for("setMyCommands", count=7, timeout=10)       # start-up calls done: only these two chats
    api.inject("sendMessage", Fault(429, retry_after=PAUSE, chat_id=701))
    api.push_update(api.private_text("When did Yala join?", user_id=701))
    await asyncio.wait_for(waiting.wait(), 10)                    # 701 is paused for the time Telegram asked
    assert asked == [PAUSE + 0.1]
    api.push_update(api.private_text("When did Tak join?", user_id=702))
    [first] = await api.wait_for("sendMessage", count=1, timeout=10)
    assert first.params["chat_id"] == 702 and "2025" in first.params["text"]     # not held up by 701's pause
    assert len(api.sent("sendMessage")) == 1 and len(api.injected("sendMessage")) == 1    # 701 not retried yet
    release.set()                                                 # 701's pause is over: it gets its answer
    first, second = await api.wait_for("sendMessage", count=2, timeout=10)
    assert second.params["chat_id"] == 701 and "2024" in second.params["text"]


async def test_a_forged_button_is_called_stale_and_the_spinner_stops(running: Any, api: FakeBotApi) -> None:
    api.push_update(api.private_text("hi", user_id=703))
    [sent] = await api.wait_for("sendMessage", timeout=10)
    message = api.bot_messages[703][-1]
    for data in ("x:²", "x:99999999999999999999", "s:", "zz:1:2"):
        api.push_update(api.callback_query(message, data))
    answers = await api.wait_for("answerCallbackQuery", count=4, timeout=10)
    assert all(a.params.get("show_alert") is True and a.params.get("text") for a in answers)


async def test_admin_commands_answer_in_private_only(running: Any, api: FakeBotApi) -> None:
    api.push_update(api.command("/stats", chat_id=-100777, user_id=ADMIN))
    api.push_update(api.command("/reload", chat_id=-100777, user_id=ADMIN))
    api.push_update(api.command("/stats", chat_id=None, user_id=ADMIN))
    [stats] = await api.wait_for("sendMessage", timeout=20)
    assert stats.params["chat_id"] == ADMIN
    api.push_update(api.command("/ask when did yala join", chat_id=-100777))
    sent = await api.wait_for("sendMessage", count=2, timeout=20)
    assert [c.params["chat_id"] for c in sent] == [ADMIN, -100777]      # nothing else went to the group


async def test_a_failed_update_is_logged_without_the_users_words(running: Any, api: FakeBotApi,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    api.inject("sendMessage", Fault(400, chat_id=704))
    api.push_update(api.private_text("my private words about Yala", user_id=704))
    await api.wait_for_injected("sendMessage", timeout=10)

    async def logged() -> list[logging.LogRecord]:
        while True:
            found = [r for r in caplog.records if r.levelno >= logging.ERROR and "update failed" in r.getMessage()]
            if found:
                return found
            await asyncio.sleep(0.01)
    [record] = await asyncio.wait_for(logged(), 10)
    assert "private words" not in record.getMessage() and "BadRequest" in record.getMessage()


async def test_message_is_not_modified_is_not_an_error(running: Any, api: FakeBotApi,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """A button pressed twice can ask Telegram for the markup the message already has; Telegram's
    "message is not modified" reaches the error handler capitalised by PTB, and the filter that should
    drop it matched only the lowercase, so each such press was logged as a failed update."""
    handled: list[BaseException] = []
    seen = asyncio.Event()

    async def after_on_error(update: object, context: Any) -> None:     # error handlers run in order
        handled.append(context.error)
        seen.set()
    running.add_error_handler(after_on_error)
    api.push_update(api.private_text("How often is the Learning City Award given?", user_id=706))
    [sent] = await api.wait_for("sendMessage", timeout=10)
    down = next(b["callback_data"] for b in _buttons(sent) if b["text"] == "👎")
    api.inject("editMessageReplyMarkup", Fault(400, description="Bad Request: message is not modified: specified new "
                                               "message content and reply markup are exactly the same"))
    api.push_update(api.callback_query(api.bot_messages[706][-1], down))
    await asyncio.wait_for(seen.wait(), 10)
    assert len(handled) == 1 and str(handled[0]).startswith("Message is not modified")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def _buttons(call: Any) -> list[dict[str, Any]]:
    return [b for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def test_one_vote_per_person_per_answer_and_forged_presses_are_stale(running: Any, api: FakeBotApi) -> None:
    api.push_update(api.private_text("How often is the Learning City Award given?", user_id=705))
    [sent] = await api.wait_for("sendMessage", timeout=10)
    down = next(b["callback_data"] for b in _buttons(sent) if b["text"] == "👎")
    up = next(b["callback_data"] for b in _buttons(sent) if b["text"] == "👍")
    message = api.bot_messages[705][-1]
    for _ in range(5):
        api.push_update(api.callback_query(message, down))
    await api.wait_for("answerCallbackQuery", count=5, timeout=10)
    api.push_update(api.callback_query(message, up))                    # changed their mind: the last counts
    unrelated = {**message, "message_id": message["message_id"] + 500}
    forged = api.push_update(api.callback_query(unrelated, down))      # a press forged onto another message
    answers = await api.wait_for("answerCallbackQuery", count=7, timeout=10)
    [alert] = [a for a in answers if a.params["callback_query_id"] == forged["callback_query"]["id"]]
    assert alert.params.get("show_alert") is True
    running.bot_data.journal.flush()
    with sqlite3.connect(running.bot_data.db_path) as conn:
        votes = conn.execute("SELECT vote FROM feedback WHERE reason IS NULL").fetchall()
        voters = conn.execute("SELECT voter FROM feedback").fetchall()
    assert votes == [(1,)]
    assert all(v is None or (isinstance(v, bytes) and b"705" not in v) for (v,) in voters)


async def test_autoanswer_follows_a_migration_and_anonymous_admins_may_set_it(running: Any, api: FakeBotApi) -> None:
    old, new = -700, -1000700
    anonymous = api.command("/autoanswer on", chat_id=old, user_id=1087968824)
    anonymous["message"]["from"].update(is_bot=True, first_name="Group", username="GroupAnonymousBot")
    anonymous["message"]["sender_chat"] = dict(anonymous["message"]["chat"])
    api.push_update(anonymous)
    [on] = await api.wait_for("sendMessage", timeout=10)
    assert not api.sent("getChatMember")                     # no member lookup for the group itself
    api.push_update({"message": api._message(None, chat_id=old, user_id=706, language_code="en",
                                             extra={"migrate_to_chat_id": new})})
    api.push_update({"message": api._message(None, chat_id=new, user_id=706, language_code="en",
                                             extra={"migrate_from_chat_id": old})})
    api.push_update(api.group_text("when did hat yai join the learning cities network", chat_id=new))
    [_, answered] = await api.wait_for("sendMessage", count=2, timeout=10)
    assert answered.params["chat_id"] == new and "2022" in answered.params["text"]


async def test_a_caption_that_mentions_the_bot_is_a_question(running: Any, api: FakeBotApi) -> None:
    caption = f"@{api.username} when did Yala join?"
    entity = {"type": "mention", "offset": 0, "length": len(api.username) + 1}
    photo = [{"file_id": "AgACAgIAAx", "file_unique_id": "AQAD", "width": 90, "height": 90}]
    api.push_update({"message": api._message(None, chat_id=-100708, user_id=708, language_code="en",
                                             extra={"photo": photo, "caption": caption, "caption_entities": [entity]})})
    [sent] = await api.wait_for("sendMessage", timeout=10)
    assert sent.params["chat_id"] == -100708 and "2024" in sent.params["text"]
