"""The fake Bot API refuses what Telegram refuses; otherwise the Telegram tests would prove nothing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import ClientSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, InvalidToken

from fake_bot_api import FakeBotApi, parse_html

TOKEN = "42:fake-token"


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


def bot_for(api: FakeBotApi, token: str = TOKEN) -> Bot:
    return Bot(token, base_url=f"{api.root}/bot", base_file_url=f"{api.root}/file/bot")


async def _post(api: FakeBotApi, path: str, payload: dict[str, object]) -> tuple[int, dict[str, object]]:
    async with ClientSession() as session:
        async with session.post(f"{api.root}{path}", json=payload) as response:
            return response.status, await response.json()


@pytest.mark.asyncio
async def test_wrong_token_and_unknown_method_are_refused(api: FakeBotApi) -> None:
    status, body = await _post(api, "/botnot-the-token/getMe", {})
    assert (status, body["description"]) == (401, "Unauthorized")
    status, body = await _post(api, f"/bot{TOKEN}/sendMesage", {"chat_id": 1, "text": "hi"})
    assert (status, body["description"]) == (404, "Not Found")
    status, body = await _post(api, f"/bot{TOKEN}/sendMessage", {"chat_id": 1})
    assert status == 400 and "text" in str(body["description"])
    with pytest.raises(InvalidToken):
        async with bot_for(api, "1:wrong"):
            pass


@pytest.mark.parametrize("markup", [
    "<b>unclosed", "line<br>break", "fish & chips", "&nbsp;", "<i>crossed <b>tags</i></b>", "<x>nope</x>",
    "a < b", '<span class="red">x</span>', "<a>no href</a>",
])
def test_html_that_telegram_cannot_parse_is_refused(markup: str) -> None:
    with pytest.raises(Exception, match="can't parse entities"):
        parse_html(markup)


def test_good_html_becomes_plain_text() -> None:
    assert parse_html('<b>Yala</b> &amp; <a href="https://x.org/?a=1&amp;b=2">Khon Kaen</a> &lt;3 &#3585;') == \
        "Yala & Khon Kaen <3 ก"


@pytest.mark.asyncio
async def test_length_counts_what_is_shown_in_utf16_units(api: FakeBotApi) -> None:
    async with bot_for(api) as bot:
        await bot.send_message(1, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(1, "a" * 4097)
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(1, "🙂" * 2049)          # 4,098 UTF-16 code units
        with pytest.raises(BadRequest, match="empty"):
            await bot.send_message(1, "<b> </b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="parse entities"):
            await bot.send_message(1, "Q&A", parse_mode="HTML")


@pytest.mark.asyncio
async def test_callback_data_is_limited_to_64_bytes_not_characters(api: FakeBotApi) -> None:
    async with bot_for(api) as bot:
        ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="x" * 64)]])
        await bot.send_message(1, "fits", reply_markup=ok)
        thai = InlineKeyboardMarkup([[InlineKeyboardButton("th", callback_data="ก" * 22)]])  # 22 chars, 66 bytes
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(1, "too big", reply_markup=thai)


@pytest.mark.asyncio
async def test_edits_need_a_message_and_a_change(api: FakeBotApi) -> None:
    async with bot_for(api) as bot:
        sent = await bot.send_message(1, "first")
        with pytest.raises(BadRequest, match="not found"):
            await bot.edit_message_text("x", chat_id=1, message_id=sent.message_id + 999)
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("first", chat_id=1, message_id=sent.message_id)
        edited = await bot.edit_message_text("second", chat_id=1, message_id=sent.message_id)
        assert edited.text == "second"


@pytest.mark.asyncio
async def test_long_polling_returns_as_soon_as_an_update_arrives(api: FakeBotApi) -> None:
    async with bot_for(api) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=0) == ()

        async def later() -> None:
            await asyncio.sleep(0.3)
            api.push_update(api.private_text("hello"))

        task = asyncio.create_task(later())
        updates = await bot.get_updates(timeout=5)
        await task
        assert len(updates) == 1 and updates[0].message is not None and updates[0].message.text == "hello"
        assert time.monotonic() - started < 3
        again = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
        assert again == ()


@pytest.mark.asyncio
async def test_photos_are_refused_as_telegram_refuses_them(api: FakeBotApi) -> None:
    import io
    from PIL import Image
    def png(width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height), "white").save(out, format="PNG")
        return out.getvalue()
    async with bot_for(api) as bot:
        sent = await bot.send_photo(1, png(400, 300), caption="<b>13</b> members", parse_mode="HTML")
        file_id = sent.photo[-1].file_id
        again = await bot.send_photo(1, file_id)                            # a file_id sent before is fine
        assert again.photo[-1].file_id == file_id and sent.caption == "13 members"
        for photo, caption, error in [
            ("AgACAgIAAxk-never-uploaded", None, "(?i)wrong file identifier"),
            (b"not an image at all", None, "(?i)image_process_failed"),
            (png(2100, 100), None, "(?i)photo_invalid_dimensions"),           # 21 : 1
            (file_id, "x" * 1025, "(?i)caption is too long"),
            (file_id, "<b>open", "(?i)can.t parse entities"),
        ]:
            with pytest.raises(BadRequest, match=error):
                await bot.send_photo(1, photo, caption=caption, parse_mode="HTML")


@pytest.mark.asyncio
async def test_buttons_that_open_inline_mode_are_refused_when_it_is_off(api: FakeBotApi) -> None:
    from telegram import SwitchInlineQueryChosenChat
    share = InlineKeyboardMarkup([[InlineKeyboardButton(
        "Share", switch_inline_query_chosen_chat=SwitchInlineQueryChosenChat("q", allow_user_chats=True))]])
    async with bot_for(api) as bot:
        await bot.send_message(1, "on", reply_markup=share)
        api.inline = False
        with pytest.raises(BadRequest, match="(?i)button_type_invalid"):
            await bot.send_message(1, "off", reply_markup=share)
