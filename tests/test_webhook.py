"""The webhook door: the secret is checked before the body is read, bodies are capped, updates answered."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import ClientSession

from bot.config import Settings
from bot.core.answer import Brain
from bot.tg.app import build_application, serve_webhook
from bot.tg.webhook import MAX_BODY, SECRET_HEADER
from fake_bot_api import FakeBotApi, Fault

TOKEN = "123456:TEST-token_for-the-fake-api"
SECRET = "s3cret-token"
pytestmark = pytest.mark.asyncio


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Hook:
    def __init__(self, api: FakeBotApi, url: str, port: int, db: str) -> None:
        self.api, self.url, self.port, self.db = api, url, port, db

    async def raw(self, declared: int, body: bytes = b"", secret: str | None = None) -> int:
        """POST with a declared Content-Length but only `body` sent: the status line must come back anyway."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = (f"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {declared}\r\n" + (f"{SECRET_HEADER}: {secret}\r\n" if secret else "") + "\r\n")
        writer.write(head.encode() + body)
        await writer.drain()
        try:
            status = await asyncio.wait_for(reader.readline(), 10)
        finally:
            writer.close()
        return int(status.split()[1])


@pytest_asyncio.fixture
async def hook(brain: Brain, tmp_path: Path) -> AsyncIterator[Hook]:
    async with FakeBotApi(token=TOKEN) as api:
        port = _free_port()
        url = f"http://127.0.0.1:{port}/hook"
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root, "WEBHOOK_URL": url,
                                      "WEBHOOK_SECRET": SECRET, "WEBHOOK_LISTEN": "127.0.0.1", "PORT": str(port)})
        settings = replace(settings, db_path=str(tmp_path / "bot.sqlite3"))
        application = build_application(settings, brain, rate_limiter=False, updater=False, record=True,
                                        read_timeout=0.5)
        await application.initialize()
        stop = asyncio.Event()
        task = asyncio.create_task(serve_webhook(application, settings, stop))
        try:
            [registered] = await api.wait_for("setWebhook", timeout=10)
            assert registered.params["secret_token"] == SECRET and registered.params["url"] == url
            yield Hook(api, url, port, settings.db_path)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


async def test_only_requests_with_the_secret_are_answered(hook: Hook) -> None:
    api = hook.api
    update = api.private_text("When did Chiang Mai join?")
    assert await api.post_to_webhook(hook.url, update) == 403
    assert await api.post_to_webhook(hook.url, update, secret="wrong") == 403
    assert not api.sent("sendMessage")
    assert await api.post_to_webhook(hook.url, update, secret=SECRET) == 200
    [sent] = await api.wait_for("sendMessage", count=1, timeout=10)
    assert "2020" in sent.params["text"]


async def test_without_the_secret_the_body_is_never_read(hook: Hook) -> None:
    # 50 MB announced, nothing sent: a server that read the body first would wait here for ever.
    assert await hook.raw(50 * 1024 * 1024) == 403
    assert await hook.raw(50 * 1024 * 1024, secret="wrong") == 403


async def test_bodies_over_the_cap_are_refused(hook: Hook) -> None:
    assert await hook.raw(MAX_BODY + 1, secret=SECRET) == 413

    async def chunks() -> AsyncIterator[bytes]:      # no Content-Length: the cap holds while reading
        for _ in range(MAX_BODY // 65536 + 2):
            yield b" " * 65536
    async with ClientSession() as session:
        async with session.post(hook.url, data=chunks(), headers={SECRET_HEADER: SECRET}) as response:
            assert response.status == 413
    update = hook.api.private_text("When did Yala join?")
    assert await hook.api.post_to_webhook(hook.url, update, secret=SECRET) == 200
    [sent] = await hook.api.wait_for("sendMessage", timeout=10)
    assert "2024" in sent.params["text"]


async def test_junk_with_the_secret_is_refused_or_dropped_without_harm(hook: Hook) -> None:
    async with ClientSession() as session:
        for body, expected in ((b"not json", 400), (b"[1, 2]", 400), (b'{"update_id": 5, "message": "x"}', 200)):
            async with session.post(hook.url, data=body, headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == expected, body
    update = hook.api.private_text("When did Tak join?")
    assert await hook.api.post_to_webhook(hook.url, update, secret=SECRET) == 200
    [sent] = await hook.api.wait_for("sendMessage", timeout=10)
    assert "2025" in sent.params["text"]


async def test_telegram_gets_its_200_only_once_the_update_is_on_disk(hook: Hook) -> None:
    api = hook.api
    update = api.private_text("When did Satun join?", user_id=811)
    api.inject("sendMessage", Fault(hang=True, chat_id=811))           # the answer is held up
    assert await api.post_to_webhook(hook.url, update, secret=SECRET) == 200
    await api.wait_for_injected("sendMessage", timeout=10)
    with sqlite3.connect(hook.db) as conn:
        pending = [row[0] for row in conn.execute("SELECT update_id FROM inbox")]
    assert pending == [api._next_update - 1]                           # kept while unanswered
    [sent] = await api.wait_for("sendMessage", timeout=10)             # the retry after the timeout
    assert "2025" in sent.params["text"]

    async def emptied() -> None:
        while True:
            with sqlite3.connect(hook.db) as conn:
                if not conn.execute("SELECT COUNT(*) FROM inbox").fetchone()[0]:
                    return
            await asyncio.sleep(0.01)
    await asyncio.wait_for(emptied(), 10)
