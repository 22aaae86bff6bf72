"""Votes across a restart: a person's changed vote replaces theirs, even after the bot restarted."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.core.answer import Brain, answer_entry
from bot.tg import render
from bot.tg.app import build_application
from fake_bot_api import FakeBotApi, polling

TOKEN = "123456789:AAHvotes-token_for-the-fake-api"
pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


def _app(api: FakeBotApi, brain: Brain, db: Path) -> Any:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root, "BOT_DB": str(db)})
    return build_application(settings, brain, record=True, rate_limiter=False)


def _data(markup: dict[str, Any] | None, code: str) -> str:
    """The callback data of the button whose data starts with `code` ("f:-", "y:w", ...)."""
    rows = (markup or {}).get("inline_keyboard", [])
    return next(b["callback_data"] for row in rows for b in row if b.get("callback_data", "").startswith(code))


async def test_votes_changed_after_a_restart_replace_the_earlier_ones(api: FakeBotApi, brain: Brain,
                                                                      tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    async with polling(_app(api, brain, db)) as first:
        api.push_update(api.private_text("How often is the Learning City Award given?", user_id=801))
        [sent] = await api.wait_for("sendMessage", timeout=10)
        shown = dict(api.bot_messages[801][-1])
        api.push_update(api.callback_query(shown, _data(sent.params["reply_markup"], f"{render.FEEDBACK}:-")))
        [edit] = await api.wait_for("editMessageReplyMarkup", timeout=10)       # 👎 asks why
        why = {**shown, "reply_markup": edit.params["reply_markup"]}
        api.push_update(api.callback_query(why, _data(edit.params["reply_markup"], f"{render.WHY}:w")))
        await api.wait_for("answerCallbackQuery", count=2, timeout=10)
        first.bot_data.journal.flush()
    # The same answer, pressed again after the restart (sent a minute before it): another reason,
    # and 👍 from a client still showing the vote buttons.
    why["date"] = shown["date"] = shown["date"] - 60
    async with polling(_app(api, brain, db)) as second:
        api.push_update(api.callback_query(why, _data(why["reply_markup"], f"{render.WHY}:n")))
        api.push_update(api.callback_query(shown, _data(sent.params["reply_markup"], f"{render.FEEDBACK}:+")))
        # A press of a button that answer does not show (forged onto it) is still refused.
        forged = api.push_update(api.callback_query(why, _data(sent.params["reply_markup"], f"{render.FEEDBACK}:-")))
        answers = await api.wait_for("answerCallbackQuery", count=5, timeout=10)
        second.bot_data.journal.flush()
    by_id = {a.params["callback_query_id"]: a.params for a in answers}
    assert by_id[forged["callback_query"]["id"]].get("show_alert") is True
    assert sum(1 for a in answers[2:] if a.params.get("show_alert")) == 1      # the other two were taken
    with sqlite3.connect(db) as conn:
        votes = conn.execute("SELECT vote FROM feedback WHERE reason IS NULL").fetchall()
        reasons = conn.execute("SELECT reason, question FROM feedback WHERE reason IS NOT NULL").fetchall()
        voters = [v for (v,) in conn.execute("SELECT voter FROM feedback")]
    assert votes == [(1,)]                                   # 👎 then 👍 across the restart: one vote
    assert [r for r, _ in reasons] == ["not_asked"]          # one reason, the last
    assert reasons[0][1]                                     # the question kept from the first press
    assert all(isinstance(v, bytes) and b"801" not in v for v in voters)


def choice_entry(brain: Brain, data: str) -> str:
    """The entry a "did you mean" button's data names (as the bot's state maps it)."""
    from bot.tg.handlers import BotState
    state = BotState()
    state.set_brain(brain)
    return state.by_ref[data.partition(":")[2]]


async def test_a_did_you_mean_pressed_after_a_restart_answers_or_says_it_expired(api: FakeBotApi, brain: Brain,
                                                                              tmp_path: Path) -> None:
    from test_render import MIDDLE, middle_band
    db = tmp_path / "bot.sqlite3"
    question = middle_band(MIDDLE[1][0], brain)                                  # a Thai one
    async with polling(_app(api, brain, db)):
        api.push_update(api.private_text(question, user_id=802, language_code="th"))
        [sent] = await api.wait_for("sendMessage", timeout=10)
    markup = sent.params["reply_markup"]
    choice = _data(markup, f"{render.SUGGEST}:")
    message = {**api.bot_messages[802][-1], "date": api.bot_messages[802][-1]["date"] - 60}
    gone = f"{render.SUGGEST}:000000.0"                                      # a choice of another knowledge base
    inaccessible = {"chat": message["chat"], "message_id": 900, "date": 0}      # an answer too old to show
    async with polling(_app(api, brain, db)):
        api.push_update(api.callback_query(message, choice, language_code="th"))
        [edit] = await api.wait_for("editMessageText", timeout=10)    # answers in place: the choice's label asks
        label = next(b["text"] for row in markup["inline_keyboard"] for b in row if b["callback_data"] == choice)
        assert edit.params["message_id"] == message["message_id"]
        assert edit.params["text"] == render.to_html(answer_entry(choice_entry(brain, choice), label, brain))[0]
        api.push_update(api.callback_query(message, gone, language_code="th"))
        api.push_update(api.callback_query(inaccessible, choice, language_code="th"))
        answers = await api.wait_for("answerCallbackQuery", count=3, timeout=10)
    stale = [a.params for a in answers if a.params.get("show_alert")]
    assert [a["text"] for a in stale] == [brain.kb.string("stale_button", "th")] * 2     # never nothing
