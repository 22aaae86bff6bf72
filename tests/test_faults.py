"""The Telegram layer under faults: the token never leaks, and a transient failure loses no answer.

Faults come from the fake Bot API (`FakeBotApi.inject`): 5xx with JSON or a proxy's HTML, hangs that
never answer, redirects. Tests wait on calls the fake records or on lines the bot logs, never on a clock.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot.config import Settings
from bot.core.answer import Brain
from bot.tg.app import build_application
from bot.tg.redact import MASK, Redactor, install
from bot.tg.transport import RetryPolicy
from fake_bot_api import FakeBotApi, Fault
from fake_bot_api import polling as polled

TOKEN = "123456789:AAHsecret-part_of-the-token-0123456789"
SECRET_PART = TOKEN.split(":", 1)[1]
ROOT = Path(__file__).resolve().parents[1]
FAST = RetryPolicy(tries=4, first_delay=0.01, max_delay=0.05, budget=10)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def polling(api: FakeBotApi, brain: Brain) -> AsyncIterator[Any]:
    """A polling bot whose sends are retried fast, with a short read timeout for the hang tests."""
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root})
    application = build_application(settings, brain, rate_limiter=False, retry=FAST, read_timeout=0.5)
    async with polled(application, hooks=False) as running:
        yield running


# --- the token is masked everywhere ----------------------------------------------------------------

def test_the_filter_masks_messages_arguments_and_tracebacks() -> None:
    out = io.StringIO()
    logger = logging.getLogger("test.redact")
    logger.propagate = False
    handler = logging.StreamHandler(out)
    logger.addHandler(handler)
    install(Redactor([TOKEN]), logger)
    try:
        url = f"http://127.0.0.1:1/bot{TOKEN}/sendMessage"
        logger.warning("redirected to %s", url)
        try:
            raise aiohttp.InvalidURL(url)
        except aiohttp.InvalidURL:
            logger.exception("request failed")
        logger.error("a token from elsewhere: %s", "http://x/bot42:SomeOtherTokenEntirely_0123/getMe")
    finally:
        logger.removeHandler(handler)
    text = out.getvalue()
    assert SECRET_PART not in text and "SomeOtherToken" not in text
    assert text.count(MASK) >= 3 and "Traceback" in text and "InvalidURL" in text


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _run_bot(env: dict[str, str], timeout: float = 60) -> tuple[int, str]:
    full = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "BOT_DB": ":memory:", "BOT_STARTUP_WAIT": "0", **env}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=ROOT, env=full,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, err.decode()


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["no scheme", "bad port", "redirect", "refused", "html 502"])
async def test_start_up_failures_that_quote_a_url_never_print_the_token(api: FakeBotApi, failure: str) -> None:
    if failure == "redirect":
        api.inject("getMe", Fault(redirect="http://127.0.0.1:9/bot{token}/getMe"))
    if failure == "html 502":
        api.inject("getMe", *[Fault(502, html=True)] * 10)
    url = {"no scheme": api.root.removeprefix("http://"), "bad port": "http://127.0.0.1:99999",
           "refused": f"http://127.0.0.1:{_closed_port()}"}.get(failure, api.root)
    code, err = await _run_bot({"TELEGRAM_API_URL": url})
    assert code != 0
    assert SECRET_PART not in err, err
    assert err.strip(), "the failure is reported"


# --- sends survive transient failures --------------------------------------------------------------

@pytest.mark.asyncio
async def test_5xx_on_a_send_is_retried_until_it_goes_through(polling: Any, api: FakeBotApi) -> None:
    api.inject("sendMessage", Fault(500), Fault(502, html=True), Fault(503))
    api.push_update(api.private_text("When did Hat Yai join?"))
    [sent] = await api.wait_for("sendMessage", timeout=10)
    assert "2022" in sent.params["text"]
    assert [c.status for c in api.calls if c.method == "sendMessage"] == [500, 502, 503, 200]


@pytest.mark.asyncio
async def test_a_hung_send_times_out_and_is_tried_again(polling: Any, api: FakeBotApi) -> None:
    api.inject("sendMessage", Fault(hang=True))
    api.push_update(api.private_text("When did Yala join?"))
    [sent] = await api.wait_for("sendMessage", timeout=10)
    assert "2024" in sent.params["text"]
    assert len(api.injected("sendMessage")) == 1


@pytest.mark.asyncio
async def test_retries_are_bounded_and_4xx_is_never_repeated(polling: Any, api: FakeBotApi,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    api.inject("sendMessage", *[Fault(500, chat_id=601)] * 10, Fault(403, chat_id=602), Fault(400, chat_id=603))
    for user in (601, 602, 603):
        api.push_update(api.private_text("When did Tak join?", user_id=user))
    api.push_update(api.private_text("When did Rayong join?", user_id=604))
    [sent] = await api.wait_for("sendMessage", timeout=10)
    assert sent.params["chat_id"] == 604
    await api.wait_for_injected("sendMessage", count=FAST.tries + 2, timeout=10)
    by_chat = [c.params["chat_id"] for c in api.injected("sendMessage")]
    assert by_chat.count(601) == FAST.tries                       # tried, then given up
    assert by_chat.count(602) == 1 and by_chat.count(603) == 1     # Telegram's "no" is final


def test_the_running_bot_masks_the_token_in_every_logger(brain: Brain, caplog: pytest.LogCaptureFixture,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever quotes a Bot API URL (aiohttp's errors carry it: `url='http://.../bot<token>/sendMessage'`),
    the bot's own start-up puts the mask on the root logger's handlers before anything can log. Here
    run() is stopped at its first check (webhook mode without WEBHOOK_URL), after the logs are set up."""
    from bot.tg import app
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("httpx", "aiohttp.client", "telegram.ext.Application")}
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    try:
        assert app.run(settings, brain, None, webhook=True) == 2
        url = f"http://127.0.0.1:1/bot{TOKEN}/sendMessage"
        logging.getLogger("aiohttp.client").error("302, message='Found', url=%r", url)
        try:
            raise aiohttp.InvalidURL(url)
        except aiohttp.InvalidURL:
            logging.getLogger("telegram.ext.Updater").exception("Exception happened while polling for updates.")
    finally:
        for target in (root, *root.handlers):
            for found in [f for f in target.filters if isinstance(f, Redactor) or type(f).__name__ == "_NoTokenTraceback"]:
                target.removeFilter(found)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    logged = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "sendMessage" in logged and MASK in logged and SECRET_PART not in logged, logged
    assert SECRET_PART not in capsys.readouterr().err
