"""The aiohttp transport under PTB: what it sends, and how failures map to PTB's errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.tg.transport import NO_RETRY, AiohttpRequest


@pytest_asyncio.fixture
async def server() -> AsyncIterator[str]:
    async def echo(request: web.Request) -> web.Response:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            upload = form["document"]
            return web.json_response({"caption": form["caption"], "file": upload.file.read().decode(),  # type: ignore[union-attr]
                                      "name": upload.filename})  # type: ignore[union-attr]
        return web.json_response(dict(await request.post()))

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/echo", echo)
    app.router.add_post("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.mark.asyncio
async def test_parameters_and_files_are_sent_as_telegram_expects(server: str) -> None:
    async with AiohttpRequest() as request:
        data = RequestData([RequestParameter.from_input("chat_id", 42), RequestParameter.from_input("text", "ยะลา & <b>")])
        status, body = await request.do_request(f"{server}/echo", "POST", data)
        assert status == 200 and request.parse_json_payload(body) == {"chat_id": "42", "text": "ยะลา & <b>"}
        upload = RequestData([RequestParameter.from_input("caption", "hi"),
                              RequestParameter.from_input("document", InputFile(b"file body", filename="a.txt"))])
        status, body = await request.do_request(f"{server}/echo", "POST", upload)
        assert request.parse_json_payload(body) == {"caption": "hi", "file": "file body", "name": "a.txt"}


@pytest.mark.asyncio
async def test_failures_become_ptb_errors(server: str) -> None:
    async with AiohttpRequest(read_timeout=0.2, retry=NO_RETRY) as request:
        with pytest.raises(TimedOut):
            await request.do_request(f"{server}/slow", "POST")
        with pytest.raises(NetworkError):
            await request.do_request("http://127.0.0.1:9/nothing-listens-here", "POST")
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{server}/echo", "POST")


def test_the_proxy_settings_are_honoured_and_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    request = AiohttpRequest()
    assert request._proxy_for("https://api.telegram.org/bot1:x/getMe") == "http://proxy.example:3128"
    assert request._proxy_for("http://127.0.0.1:8081/bot1:x/getMe") is None
    monkeypatch.delenv("HTTPS_PROXY")
    assert request._proxy_for("https://api.telegram.org/bot1:x/sendMessage") == "http://proxy.example:3128"  # cached
