"""Start-up and settings: a late network is waited for, menus are best effort, bad values are one line."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import pytest_asyncio

from bot import cli, knowledge
from bot.config import ConfigError, Settings
from bot.core.answer import Brain, make_brain
from bot.knowledge import Text
from bot.tg.app import build_application
from bot.tg.transport import RetryPolicy
from fake_bot_api import FakeBotApi, Fault, stderr_until

TOKEN = "123456789:AAHsecret-part_of-the-token-0123456789"
ROOT = Path(__file__).resolve().parents[1]
FAST = RetryPolicy(tries=5, first_delay=0.01, max_delay=0.05, budget=10)


# --- settings --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("variable", "value"), [
    ("BOT_RETENTION_DAYS", "abc"), ("BOT_RETENTION_DAYS", "0"), ("BOT_RETENTION_DAYS", "-1"),
    ("PORT", "abc"), ("PORT", "70000"), ("PORT", "0"), ("BOT_ADMIN_IDS", "4242,42x"),
    ("TELEGRAM_API_URL", "127.0.0.1:8081"), ("TELEGRAM_API_URL", "http://127.0.0.1:99999"),
    ("TELEGRAM_API_URL", "ftp://example.org"), ("WEBHOOK_URL", "example.org/hook"),
    ("WEBHOOK_SECRET", "has spaces"), ("TELEGRAM_BOT_TOKEN", "not a token"), ("BOT_STARTUP_WAIT", "soon"),
    ("BOT_INBOX_MAX_AGE", "-5"),
])
def test_a_bad_value_is_refused_naming_its_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({variable: value})
    assert caught.value.variable == variable and str(caught.value).startswith(f"{variable}: ")
    if variable in ("WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN"):
        assert value not in str(caught.value)          # secrets are not echoed


def test_good_values_are_read() -> None:
    s = Settings.from_env({"BOT_ADMIN_IDS": " 1, -2,3 ", "PORT": "8080", "BOT_RETENTION_DAYS": "30",
                           "TELEGRAM_API_URL": "http://127.0.0.1:8081/", "BOT_STARTUP_WAIT": "2.5"})
    assert (s.admin_ids, s.port, s.retention_days, s.api_url, s.startup_wait) == \
        (frozenset({1, -2, 3}), 8080, 30, "http://127.0.0.1:8081", 2.5)


def test_the_bot_ends_with_one_line_and_ask_ignores_webhook_settings(monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_RETENTION_DAYS", "0")
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["BOT_RETENTION_DAYS: expected a whole number of days, 1 or more (got '0')"]
    monkeypatch.delenv("BOT_RETENTION_DAYS")
    monkeypatch.setenv("PORT", "abc")
    monkeypatch.delenv("BOT_DB", raising=False)
    assert cli.main(["ask", "When did Yala join?"]) == 0
    assert "2024" in capsys.readouterr().out


# --- the knowledge base's command menu -------------------------------------------------------------

def test_check_refuses_a_command_description_telegram_would_refuse(kb_copy: Path) -> None:
    path = kb_copy / "strings.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  cmd_help:\n" in text
    start = text.index("  cmd_help:\n")
    en = text.index("en:", start)
    end = text.index("\n", en)
    path.write_text(text[:en] + "en: " + "x" * 300 + text[end:], encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load(str(kb_copy))
    [problem] = caught.value.problems
    assert "strings.yaml" in str(problem) and "cmd_help" in str(problem) and "256" in str(problem)


# --- start-up against a failing or late Bot API -----------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])




@pytest.mark.asyncio
async def test_an_unreachable_api_is_retried_then_reported_in_one_line() -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": f"http://127.0.0.1:{_free_port()}",
           "BOT_DB": ":memory:", "BOT_STARTUP_WAIT": "5"}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=ROOT, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    text = err.decode()
    assert proc.returncode == 1
    assert "not reachable yet" in text                   # it did try again
    assert "Traceback" not in text
    assert text.strip().splitlines()[-1].startswith("cannot reach the Telegram Bot API")


@pytest.mark.asyncio
@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="SIGHUP is POSIX")
async def test_a_late_api_is_waited_for_and_an_early_sighup_is_harmless() -> None:
    port = _free_port()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": f"http://127.0.0.1:{port}",
           "BOT_DB": ":memory:", "BOT_STARTUP_WAIT": "120"}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=ROOT, env=env,
                                                stderr=asyncio.subprocess.PIPE)
    seen: list[str] = []
    try:
        await stderr_until(proc, seen, "not reachable yet")
        proc.send_signal(signal.SIGHUP)                  # before the bot is up: must not end it
        async with FakeBotApi(token=TOKEN, port=port) as api:
            api.push_update(api.private_text("When did Khon Kaen join?"))
            [sent] = await api.wait_for("sendMessage", timeout=60)
            assert "2024" in sent.params["text"]
            assert proc.returncode is None
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


async def _started(api: FakeBotApi, brain: Brain) -> Any:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root, "BOT_ADMIN_IDS": "4242"})
    application = build_application(settings, brain, rate_limiter=False, retry=FAST, menu_retry=FAST)
    await application.initialize()
    assert application.post_init is not None and application.updater is not None
    await application.post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    return application


async def _stopped(application: Any) -> None:
    await application.updater.stop()
    await application.stop()
    await application.post_shutdown(application)
    await application.shutdown()


@pytest.mark.asyncio
async def test_menus_that_fail_are_set_later_and_the_bot_answers_meanwhile(api: FakeBotApi, brain: Brain) -> None:
    # Each try of the transport fails too (4 each), so the menu task itself has to come back later.
    api.inject("setMyCommands", *[Fault(500)] * 8, Fault(429, retry_after=0), *[Fault(502, html=True)] * 4)
    application = await _started(api, brain)
    try:
        api.push_update(api.private_text("When did Yala join?"))
        [sent] = await api.wait_for("sendMessage", timeout=10)
        assert "2024" in sent.params["text"]
        await api.wait_for("setMyCommands", count=7, timeout=10)      # 6 public menus and the admin's
        assert len(api.injected("setMyCommands")) == 13
    finally:
        await _stopped(application)


@pytest.mark.asyncio
async def test_a_menu_telegram_refuses_is_skipped(api: FakeBotApi, kb: knowledge.KnowledgeBase,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.tg.app")
    long = Text(kb.strings["cmd_help"].th, "x" * 300)         # what `check` now refuses, built past it
    broken = make_brain(replace(kb, strings=MappingProxyType({**kb.strings, "cmd_help": long})))
    application = await _started(api, broken)
    try:
        api.push_update(api.private_text("When did Yala join?"))
        await api.wait_for("sendMessage", timeout=10)
        await api.wait_for("setMyCommands", count=2, timeout=10)     # the Thai menus
        async def logged() -> None:
            while len([r for r in caplog.records if "description_invalid" in r.getMessage().lower()]) < 5:
                await asyncio.sleep(0.01)
        await asyncio.wait_for(logged(), 10)
        refused = [c for c in api.errors if c.method == "setMyCommands"]
        assert len(refused) == 5 and all(c.status == 400 for c in refused)    # each tried once, never again
    finally:
        await _stopped(application)


def test_long_polling_leaves_the_webhook_settings_unread() -> None:
    wrong = {"PORT": "abc", "WEBHOOK_SECRET": "has spaces", "WEBHOOK_URL": "example.org/hook", "WEBHOOK_LISTEN": "x"}
    polling = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, **wrong}, webhook=False)
    assert (polling.port, polling.webhook_url, polling.webhook_secret) == (8443, None, None)
    with pytest.raises(ConfigError):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, **wrong})
    with pytest.raises(ConfigError):            # what polling does read is still checked
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "BOT_ADMIN_IDS": "4242,42x", **wrong}, webhook=False)
