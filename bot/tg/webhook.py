"""The webhook door: an aiohttp server that checks the secret before it reads a byte of the body.

PTB's own webhook server (tornado) reads the whole body before its handler looks at the secret
header, so anyone who finds the address can make the bot hold 50 MB POSTs in memory. Here the
secret is compared first (403, connection closed, body never read), then the declared size (413
above `MAX_BODY`; Telegram's updates are a few kilobytes), and only then is the body read, with the
same cap enforced while reading. Telegram gets its 200 only once the update is handed to `accept`
(which queues it durably), so an update is never confirmed before it is safe.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

#: Largest body accepted, in bytes. Telegram's updates are far smaller; a message is at most 4,096 characters.
MAX_BODY = 1 << 20
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Accept = Callable[[dict[str, Any]], Awaitable[None]]


def webhook_app(path: str, secret: str, accept: Accept, *, max_body: int = MAX_BODY) -> web.Application:
    """An aiohttp application serving POST `path`; `accept` gets each update's JSON object."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            return _refuse(403, "Forbidden")
        if request.content_length is not None and request.content_length > max_body:
            return _refuse(413, "Request Entity Too Large")
        try:
            body = await request.read()         # client_max_size stops a body that lied about its size
            update = json.loads(body)
        except web.HTTPRequestEntityTooLarge:
            return _refuse(413, "Request Entity Too Large")
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        await accept(update)
        return web.Response(status=200)

    app = web.Application(client_max_size=max_body)
    app.router.add_post("/" + path.lstrip("/"), handle)
    return app


def _refuse(status: int, text: str) -> web.Response:
    """Answer and close the connection, so the unread body is dropped rather than drained."""
    response = web.Response(status=status, text=text)
    response.force_close()
    return response


async def start(app: web.Application, listen: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, listen, port).start()
    return runner
