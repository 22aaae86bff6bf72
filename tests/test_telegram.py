"""The Telegram layer end to end: the real Application, real HTTP, real JSON, against a strict fake.

Each test pushes Bot API updates into the fake server on 127.0.0.1 and asserts on the calls the bot
made back, as Telegram would have seen them. The fake refuses what Telegram refuses (bad HTML, texts
over 4,096 characters, callback data over 64 bytes, unknown methods), so a pass here means the bot
sent something Telegram would accept.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.core.answer import Brain, answer
from bot.tg.app import build_application
from fake_bot_api import FakeBotApi, polling, stderr_until

TOKEN = "123456:TEST-token_for-the-fake-api"
BOT_NAME = "GnlcTestBot"
ADMIN = 4242
ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.asyncio


def settings(api: FakeBotApi, **extra: Any) -> Settings:
    base = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root,
                              "BOT_ADMIN_IDS": str(ADMIN)})
    return replace(base, **extra)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN, username=BOT_NAME) as server:
        yield server


class Running:
    """A polling Application and the fake it talks to."""

    def __init__(self, api: FakeBotApi, application: Any) -> None:
        self.api, self.app = api, application

    async def ask(self, update: dict[str, Any], method: str = "sendMessage", count: int = 1) -> list[Any]:
        """Push one update and wait for the calls it should cause."""
        before = len(self.api.sent(method))
        self.api.push_update(update)
        calls = await self.api.wait_for(method, count=before + count, timeout=10)
        return calls[before:]

    async def quiet(self, update: dict[str, Any], *, marker: dict[str, Any]) -> list[Any]:
        """Push an update that must cause nothing, then a marker that must; return the calls between."""
        before = len(self.api.calls)
        self.api.push_update(update)
        self.api.push_update(marker)
        await self.api.wait_for("sendMessage", count=len(self.api.sent("sendMessage")) + 1, timeout=10)
        return [c for c in self.api.calls[before:] if c.method not in ("getUpdates",)]


@pytest_asyncio.fixture
async def bot(api: FakeBotApi, brain: Brain, tmp_path: Path) -> AsyncIterator[Running]:
    application = build_application(settings(api, db_path=str(tmp_path / "records.sqlite3")), brain,
                                    rate_limiter=False, record=True)
    async with polling(application):
        yield Running(api, application)


def texts(calls: list[Any]) -> list[str]:
    return [c.params["text"] for c in calls]


def buttons(call: Any) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def test_registers_commands_in_both_languages_for_private_and_group_chats(bot: Running) -> None:
    calls = await bot.api.wait_for("setMyCommands", count=6, timeout=10)
    seen = {(c.params.get("language_code"), json.dumps(c.params.get("scope"), sort_keys=True)) for c in calls}
    assert {lang for lang, _ in seen} >= {"th", "en", None}
    assert {json.loads(s)["type"] for _, s in seen} >= {"all_private_chats", "all_group_chats"}
    thai = next(c for c in calls if c.params.get("language_code") == "th")
    assert any("\u0e00" <= ch <= "\u0e7f" for cmd in thai.params["commands"] for ch in cmd["description"])


async def test_private_english_question_gets_an_html_answer_with_source_links(bot: Running) -> None:
    [sent] = await bot.ask(bot.api.private_text("When did Hat Yai join?", language_code="en"))
    assert "2022" in sent.params["text"]
    assert sent.params["parse_mode"] == "HTML"
    assert '<a href="http' in sent.params["text"]
    assert sent.params["link_preview_options"]["is_disabled"] is True
    assert {b["text"] for b in buttons(sent)} >= {"👍", "👎"}


async def test_private_thai_question_is_answered_in_thai(bot: Running) -> None:
    [sent] = await bot.ask(bot.api.private_text("ขอนแก่นเข้าร่วมเมื่อไหร่", language_code="en"))
    assert "2567" in sent.params["text"]
    assert "📎" in sent.params["text"] and "(อังกฤษ)" in sent.params["text"]      # an English-only page, said in Thai


async def test_group_chatter_is_ignored_but_ask_mention_and_reply_are_answered(bot: Running) -> None:
    api = bot.api
    chat = -1001234
    ask = api.command("/ask when did yala join", chat_id=chat)
    between = await bot.quiet(api.group_text("Bangkok traffic is terrible today, when did it start?", chat_id=chat), marker=ask)
    [answered] = [c for c in between if c.method == "sendMessage"]
    assert "2024" in answered.params["text"]
    assert answered.params["reply_parameters"]["message_id"] == ask["message"]["message_id"]

    [sent] = await bot.ask(api.command(f"/ask@{BOT_NAME} when did Phuket join", chat_id=chat))
    assert "2020" in sent.params["text"]

    [sent] = await bot.ask(api.mention(f"@{BOT_NAME.lower()} is Korat a member?", chat_id=chat, username=BOT_NAME.lower()))
    assert "not a member" in sent.params["text"]

    bot_message = api.bot_messages[chat][-1]
    [sent] = await bot.ask(api.group_text("and Chiang Rai?", chat_id=chat, reply_to=bot_message))
    assert "2019" in sent.params["text"]


async def test_empty_ask_gets_usage_and_stickers_in_groups_are_ignored(bot: Running) -> None:
    api = bot.api
    chat = -1005555
    [usage] = await bot.ask(api.command("/ask", chat_id=chat))
    assert "/ask" in usage.params["text"]
    between = await bot.quiet(api.sticker(chat_id=chat), marker=api.command("/ask hi", chat_id=chat))
    assert len([c for c in between if c.method == "sendMessage"]) == 1


def _middle_question(brain: Brain) -> str:
    for q in ("learning city award winners conference", "network cities members countries",
              "award conference benefits", "UNESCO learning", "lifelong learning cities Thailand news"):
        reply = answer(q, brain)
        if reply.kind == "fallback" and reply.suggestions:
            return q
    pytest.fail("no middle-confidence question among the candidates; update the list")


async def test_did_you_mean_buttons_answer_in_place(bot: Running, brain: Brain) -> None:
    api = bot.api
    question = _middle_question(brain)
    [sent] = await bot.ask(api.private_text(question))
    choices = buttons(sent)
    assert 2 <= len(choices) <= 4
    assert all(len(b["callback_data"].encode()) <= 64 for b in choices)
    message = api.bot_messages[sent.params["chat_id"]][-1]
    [edit] = await bot.ask(api.callback_query(message, choices[0]["callback_data"]), method="editMessageText")
    assert edit.params["message_id"] == message["message_id"]
    assert edit.params["text"] != sent.params["text"]
    await api.wait_for("answerCallbackQuery", count=1, timeout=5)


async def test_a_stale_button_says_so(bot: Running) -> None:
    api = bot.api
    [sent] = await bot.ask(api.private_text("hi"))
    message = api.bot_messages[sent.params["chat_id"]][-1]
    [alert] = await bot.ask(api.callback_query(message, "s:dead00.7"), method="answerCallbackQuery")
    assert alert.params.get("show_alert") is True and alert.params.get("text")


async def test_inline_queries_offer_answers_and_examples(bot: Running) -> None:
    api = bot.api
    [empty] = await bot.ask(api.inline_query(""), method="answerInlineQuery")
    assert len(empty.params["results"]) >= 3
    [asked] = await bot.ask(api.inline_query("when did yala join"), method="answerInlineQuery")
    result = asked.params["results"][0]
    assert "2024" in result["input_message_content"]["message_text"]
    # A short headline on top, the answer under it.
    assert result["title"] == "Yala: joined Feb 2024" and "14 February 2024" in result["description"]
    assert asked.params["is_personal"] is True                    # the results follow the user's language
    [thai] = await bot.ask(api.inline_query("ยะลาเข้าร่วมเมื่อไหร่", language_code="th"), method="answerInlineQuery")
    assert thai.params["results"][0]["title"] == "ยะลา: เข้าร่วม ก.พ. 2567"
    [award] = await bot.ask(api.inline_query("how often is the learning city award given"), method="answerInlineQuery")
    assert len(award.params["results"][0]["title"]) <= 64 and award.params["results"][0]["description"]


@pytest.mark.parametrize(("command", "lang", "expect"), [
    ("/start", "th", "ยูเนสโก"),
    ("/start", "en", "UNESCO"),
    ("/help", "en", "/ask"),
    ("/cities", "en", "Chiang Rai"),
    ("/cities", "th", "เชียงราย"),
    ("/sources", "en", "unesco.org"),
    ("/about", "th", "กระทรวงศึกษาธิการ"),
])
async def test_commands_speak_the_users_language(bot: Running, command: str, lang: str, expect: str) -> None:
    [sent] = await bot.ask(bot.api.command(command, chat_id=None, language_code=lang))
    assert expect in sent.params["text"]


async def test_strange_messages_get_sensible_replies(bot: Running) -> None:
    api = bot.api
    [hint] = await bot.ask(api.sticker())
    assert hint.params["text"]
    [long] = await bot.ask(api.private_text("ก" * 4096))
    assert len(long.params["text"]) <= 4096
    [control] = await bot.ask(api.private_text("\u0000\u0007 \u202e 🙂"))
    assert control.params["text"]
    [edited] = await bot.ask(api.edited_message("When did Tak join?"))
    assert "2025" in edited.params["text"]


async def test_a_user_who_blocked_the_bot_is_not_an_error(bot: Running, caplog: pytest.LogCaptureFixture) -> None:
    api = bot.api
    api.block(777)
    api.push_update(api.private_text("hi", user_id=777))
    await asyncio.sleep(0.5)
    [sent] = await bot.ask(api.private_text("When did Rayong join?"))
    assert "2025" in sent.params["text"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_autoanswer_is_for_admins_and_only_for_confident_answers(bot: Running) -> None:
    api = bot.api
    chat = -1007777
    [refused] = await bot.ask(api.command("/autoanswer on", chat_id=chat, user_id=31))
    api.set_member_status(chat, ADMIN, "administrator")
    [on] = await bot.ask(api.command("/autoanswer on", chat_id=chat, user_id=ADMIN))
    assert refused.params["text"] != on.params["text"]
    [sent] = await bot.ask(api.group_text("when did hat yai join the learning cities network", chat_id=chat))
    assert "2022" in sent.params["text"]
    between = await bot.quiet(api.group_text("anyone for lunch at noon?", chat_id=chat),
                              marker=api.command("/ask hi", chat_id=chat))
    assert len([c for c in between if c.method == "sendMessage"]) == 1


async def test_feedback_is_recorded_and_stats_are_for_admins_only(bot: Running) -> None:
    api = bot.api
    [sent] = await bot.ask(api.private_text("How often is the Learning City Award given?"))
    thumbs_down = next(b for b in buttons(sent) if b["text"] == "👎")
    message = api.bot_messages[sent.params["chat_id"]][-1]
    await bot.ask(api.callback_query(message, thumbs_down["callback_data"]), method="answerCallbackQuery")
    bot.app.bot_data.journal.flush()
    db = bot.app.bot_data.db_path
    with sqlite3.connect(db) as conn:
        votes = conn.execute("SELECT entry, vote, question FROM feedback").fetchall()
        kinds = conn.execute("SELECT chat_type, kind FROM questions").fetchall()
    assert votes and votes[0][1] == -1 and votes[0][0] == sent_entry(bot, sent)
    assert ("private", "answer") in kinds

    [stranger] = await bot.ask(api.command("/stats", chat_id=None, user_id=99))
    [unknown] = await bot.ask(api.command("/nosuchcommand", chat_id=None, user_id=99))
    assert stranger.params["text"] == unknown.params["text"]           # no hint that /stats exists
    [stats] = await bot.ask(api.command("/stats", chat_id=None, user_id=ADMIN))
    assert stats.params["text"] != unknown.params["text"]
    assert any(ch.isdigit() for ch in stats.params["text"])


async def test_thumbs_down_asks_why_in_one_tap_and_the_reason_reaches_the_report(bot: Running) -> None:
    from bot import report
    api = bot.api
    [sent] = await bot.ask(api.private_text("When did Yala join?"))
    message = api.bot_messages[sent.params["chat_id"]][-1]
    down = next(b for b in buttons(sent) if b["text"] == "👎")
    [edit] = await bot.ask(api.callback_query(message, down["callback_data"]), method="editMessageReplyMarkup")
    reasons = [b for b in edit.params["reply_markup"]["inline_keyboard"][-2]]
    assert [b["text"] for b in reasons] == ["Wrong", "Not what I asked", "Out of date"]
    assert any("→" in b["text"] for b in buttons(edit))                # the related question stays
    [done] = await bot.ask(api.callback_query(message, reasons[2]["callback_data"]), method="editMessageReplyMarkup")
    assert not {"👍", "👎", "Wrong"} & {b["text"] for b in buttons(done)}
    state = bot.app.bot_data
    state.journal.flush()
    with sqlite3.connect(state.db_path) as conn:
        rows = conn.execute("SELECT entry, vote, reason FROM feedback ORDER BY id").fetchall()
        built = report.build(conn, 7, lambda q: None)
    assert rows == [("city-status", -1, None), ("city-status", -1, "out_of_date")]
    assert built.thumbs_down == (("city-status", 1),)                   # the reason is not a second vote
    assert "city-status (out_of_date 1)" in report.as_text(built)
    assert "Most 👎: city-status (1: out_of_date 1)" in report.headline(built)      # /stats says why too


async def test_cities_sends_a_timeline_picture_uploaded_once_then_the_text_list(bot: Running) -> None:
    api = bot.api
    [photo] = await bot.ask(api.command("/cities", chat_id=None, language_code="th"), method="sendPhoto")
    [listing] = await api.wait_for("sendMessage", count=1, timeout=10)
    assert "เชียงราย" in listing.params["text"]                          # the text list stays
    assert "13" in photo.params["caption"] and "ยูเนสโก" in photo.params["caption"]
    [uploaded] = api.photos.values()
    assert uploaded[0][:8] == b"\x89PNG\r\n\x1a\n"
    [again] = await bot.ask(api.command("/cities", chat_id=None, language_code="th"), method="sendPhoto")
    assert again.params["photo"] in api.photos                           # sent by file_id, not uploaded again
    assert len(api.photos) == 1
    [english] = await bot.ask(api.command("/cities", chat_id=None, language_code="en"), method="sendPhoto")
    assert "Thailand" in english.params["caption"] and len(api.photos) == 2
    # A file_id Telegram no longer knows (another bot token, a purge) is uploaded again, once.
    api.photos.clear()
    [uploaded] = await bot.ask(api.command("/cities", chat_id=None, language_code="en"), method="sendPhoto")
    assert not isinstance(uploaded.params["photo"], str) and len(api.photos) == 1
    assert ["wrong file identifier" in (c.error or "") for c in api.errors if c.method == "sendPhoto"] == [True]


@pytest.mark.parametrize("chat_id", [None, -1003333])
async def test_help_lists_exactly_the_command_menu_of_its_chat(bot: Running, chat_id: int | None) -> None:
    from bot.tg.app import GROUP_COMMANDS, PRIVATE_COMMANDS
    [sent] = await bot.ask(bot.api.command("/help", chat_id=chat_id))
    listed = {line.split()[0].lstrip("/") for line in sent.params["text"].split("\n") if line.startswith("/")}
    menu = set(PRIVATE_COMMANDS if chat_id is None else GROUP_COMMANDS) - {"start", "help"}
    assert listed == menu
    if chat_id is not None:
        assert "/setprivacy" in sent.params["text"]                       # /autoanswer's caveat, where it works


async def test_contact_names_the_ministrys_bureau(bot: Running) -> None:
    [sent] = await bot.ask(bot.api.command("/contact", chat_id=None, language_code="th"))
    assert "www.bic.moe.go.th" in sent.params["text"] and "สำนักความสัมพันธ์ต่างประเทศ" in sent.params["text"]


def sent_entry(bot: Running, sent: Any) -> str | None:
    return answer("How often is the Learning City Award given?", bot.app.bot_data.current_brain()).entry


async def test_reload_keeps_the_old_brain_when_the_new_one_is_broken(bot: Running, kb_copy: Path) -> None:
    api = bot.api
    state = bot.app.bot_data
    state.kb_dir = str(kb_copy)
    cities = (kb_copy / "cities.yaml").read_text(encoding="utf-8")
    assert "  - id: chiang-rai\n" in cities
    (kb_copy / "cities.yaml").write_text(cities.replace("joined: 2019\n", "joined: [2019]\n", 1), encoding="utf-8")
    [typed] = await bot.ask(api.command("/reload", chat_id=None, user_id=ADMIN))     # a value of the wrong type
    assert "\n" not in typed.params["text"] and "cities.yaml: chiang-rai: field" in typed.params["text"]
    assert "joined" in typed.params["text"]
    (kb_copy / "cities.yaml").write_text(cities, encoding="utf-8")
    (kb_copy / "sources.yaml").write_text("sources: [{id: x}]\n", encoding="utf-8")
    [refused] = await bot.ask(api.command("/reload", chat_id=None, user_id=ADMIN))
    assert "sources" in refused.params["text"]
    [still] = await bot.ask(api.private_text("When did Satun join?"))
    assert "2025" in still.params["text"]
    cities = (kb_copy / "cities.yaml").read_text(encoding="utf-8")
    (kb_copy / "cities.yaml").write_text(cities.replace("joined: 2025\n    joined_be: 2568\n    sources: [intake-2025]\n  - id: rayong",
                                                        "joined: 2025\n    joined_be: 2568\n    sources: [intake-2025]\n  - id: rayong"), encoding="utf-8")
    import shutil
    from bot import knowledge
    shutil.copy(Path(knowledge.default_dir()) / "sources.yaml", kb_copy / "sources.yaml")
    [ok] = await bot.ask(api.command("/reload", chat_id=None, user_id=ADMIN))
    assert ok.params["text"] != refused.params["text"]


async def test_a_rejected_token_ends_the_process_with_one_line(api: FakeBotApi) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "999:wrong", "TELEGRAM_API_URL": api.root, "BOT_DB": ":memory:"}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=ROOT, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert proc.returncode == 1
    assert len(lines) == 1 and "token" in lines[0].lower(), err.decode()
    assert "Traceback" not in err.decode() and "999:wrong" not in err.decode()


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGHUP"), reason="SIGHUP is POSIX")


async def test_sighup_reloads_the_knowledge_base_and_refuses_a_broken_one(api: FakeBotApi, kb_copy: Path) -> None:
    import signal
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root, "BOT_DB": ":memory:"}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", "--knowledge", str(kb_copy),
                                                cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE)
    seen: list[str] = []
    try:
        await api.wait_for("setMyCommands", count=6, timeout=60)
        api.push_update(api.private_text("is Paknam a learning city?"))
        [before] = await api.wait_for("sendMessage", count=1, timeout=20)
        assert "2025" not in before.params["text"]

        cities = kb_copy / "cities.yaml"
        good = cities.read_text(encoding="utf-8")
        cities.write_text(good + "\n  - broken: [\n", encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        refused = await stderr_until(proc, seen, "reloaded", timeout=30)
        assert "not reloaded" in refused and "cities" in refused
        cities.write_text(good.replace("joined: 2019\n", "joined: [2019]\n", 1), encoding="utf-8")   # a wrong type
        proc.send_signal(signal.SIGHUP)
        refused = await stderr_until(proc, seen, "reloaded", timeout=30)
        assert "not reloaded" in refused and "cities.yaml: chiang-rai: field 'joined'" in refused
        api.push_update(api.private_text("When did Satun join?"))
        sent = await api.wait_for("sendMessage", count=2, timeout=20)
        assert "2025" in sent[1].params["text"]                        # still answering, old knowledge

        cities.write_text(good.replace('aliases: ["เมืองตาก"]', 'aliases: ["เมืองตาก", "Paknam"]'), encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        accepted = await stderr_until(proc, seen, "reloaded", timeout=30)
        assert "not reloaded" not in accepted
        assert not any("Traceback" in line or "never retrieved" in line for line in seen), "".join(seen)
        api.push_update(api.private_text("is Paknam a learning city?"))
        sent = await api.wait_for("sendMessage", count=3, timeout=20)
        assert "2025" in sent[2].params["text"]                        # the new alias is known
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.communicate(), timeout=30)
