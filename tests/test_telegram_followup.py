"""Follow-ups on Telegram, end to end: which messages share a conversation, and for how long."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.core.answer import Brain
from bot.tg.app import build_application
from fake_bot_api import FakeBotApi, polling
from test_telegram import BOT_NAME, TOKEN, Running, settings

pytestmark = pytest.mark.asyncio


class Clock:
    """The conversations' clock, moved by the test instead of waited on."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN, username=BOT_NAME) as server:
        yield server


@pytest_asyncio.fixture
async def bot(api: FakeBotApi, brain: Brain, tmp_path: Path) -> AsyncIterator[tuple[Running, Clock]]:
    application = build_application(settings(api, db_path=str(tmp_path / "records.sqlite3"), context_minutes=10),
                                    brain, rate_limiter=False, record=False)
    clock = Clock()
    application.bot_data.conversations.clock = clock
    async with polling(application):
        yield Running(api, application), clock


def text(call: Any) -> str:
    return str(call.params["text"])


async def test_a_private_follow_up_is_read_against_the_last_answer(bot: tuple[Running, Clock]) -> None:
    running, _ = bot
    api = running.api
    [first] = await running.ask(api.private_text("Is Hat Yai a member?"))
    assert "2022" in text(first)
    [second] = await running.ask(api.private_text("and Satun?"))
    assert "2025" in text(second)
    [third] = await running.ask(api.private_text("is it a province?"))
    assert "province" in text(third) and "Satun" in text(third)


async def test_two_people_in_a_group_keep_their_own_context(bot: tuple[Running, Clock]) -> None:
    running, _ = bot
    api, chat, mention = running.api, -2002, f"@{BOT_NAME.lower()}"
    await running.ask(api.mention(f"{mention} when did Khon Kaen join?", username=BOT_NAME.lower(), chat_id=chat, user_id=11))
    await running.ask(api.mention(f"{mention} which cities joined in 2020?", username=BOT_NAME.lower(), chat_id=chat, user_id=12))
    [for_one] = await running.ask(api.mention(f"{mention} and Yala?", username=BOT_NAME.lower(), chat_id=chat, user_id=11))
    assert "Yala" in text(for_one) and "2024" in text(for_one)
    [for_two] = await running.ask(api.mention(f"{mention} and 2022?", username=BOT_NAME.lower(), chat_id=chat, user_id=12))
    answer_part = text(for_two).split("\n\n")[0]        # the sources line may name any city
    assert "Hat Yai" in answer_part and "Yala" not in answer_part


async def test_a_reply_to_an_old_answer_continues_that_answer(bot: tuple[Running, Clock]) -> None:
    running, _ = bot
    api, chat, mention = running.api, -2003, f"@{BOT_NAME.lower()}"
    await running.ask(api.mention(f"{mention} which cities joined in 2022?", username=BOT_NAME.lower(), chat_id=chat, user_id=21))
    old = api.bot_messages[chat][-1]
    await running.ask(api.mention(f"{mention} when did Tak join?", username=BOT_NAME.lower(), chat_id=chat, user_id=21))
    # Someone else replies to the first answer: it continues that answer, not the newer one.
    [sent] = await running.ask(api.group_text("and 2020?", chat_id=chat, user_id=22, reply_to=old))
    answer_part = text(sent).split("\n\n")[0]
    assert "Chiang Mai" in answer_part and "Tak" not in answer_part


async def test_context_expires_after_the_silence_setting(bot: tuple[Running, Clock]) -> None:
    running, clock = bot
    api = running.api
    await running.ask(api.private_text("when did Khon Kaen join?", user_id=31))
    clock.now += 9 * 60
    [within] = await running.ask(api.private_text("and Yala?", user_id=31))
    assert "2024" in text(within)
    clock.now += 11 * 60
    [after] = await running.ask(api.private_text("since when?", user_id=31))
    assert "Yala" not in text(after)


async def test_a_did_you_mean_choice_sets_the_context(bot: tuple[Running, Clock], brain: Brain) -> None:
    """A short question about the chosen answer is read against it, as if it had been typed."""
    from bot.core.answer import answer
    from test_telegram import buttons
    running, _ = bot
    api = running.api
    question, follow_up = "SDG ประโยชน์", "ข้อ 11 หมายถึงอะไร"
    offered = answer(question, brain)
    assert offered.kind == "fallback" and "sdgs" in [s.entry for s in offered.suggestions], "pick another ambiguous question"
    assert answer(follow_up, brain).kind == "fallback", "alone, the follow-up must not be understood"
    [sent] = await running.ask(api.private_text(question))
    title = next(s.title for s in offered.suggestions if s.entry == "sdgs")
    [choice] = [b for b in buttons(sent) if b["text"] == title]
    message = api.bot_messages[sent.params["chat_id"]][-1]
    [edit] = await running.ask(api.callback_query(message, choice["callback_data"]), method="editMessageText")
    assert "SDG 11" in text(edit)
    [reply] = await running.ask(api.private_text(follow_up))
    assert "SDG 11" in text(reply)
