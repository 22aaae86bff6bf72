"""python-telegram-bot's HTTP requests made with aiohttp's client instead of httpx.

PTB lets the HTTP client be swapped through `telegram.request.BaseRequest`. Measured with
tests/loadtest.py, httpx spent about half of the bot's time per answered update (its connection pool
and anyio layers are written for generality), and aiohttp's client does the same requests for much
less; everything above the HTTP call (retries, flood control, error mapping) stays PTB's own.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

#: Seconds, as PTB's own HTTPXRequest defaults them. aiohttp has no write timeout: a slow upload is
#: bounded by the read timeout of its reply.
DEFAULT_TIMEOUTS = {"connect": 5.0, "read": 5.0, "pool": 1.0}


class AiohttpRequest(BaseRequest):
    """One aiohttp session per request object, opened by `initialize` and closed by `shutdown`."""

    def __init__(self, *, connection_pool_size: int = 256, read_timeout: float | None = DEFAULT_TIMEOUTS["read"],
                 connect_timeout: float | None = DEFAULT_TIMEOUTS["connect"],
                 pool_timeout: float | None = DEFAULT_TIMEOUTS["pool"]) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {"read": read_timeout, "connect": connect_timeout, "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _proxy_for(self, url: str) -> str | None:
        """HTTPS_PROXY and friends (with NO_PROXY), as PTB's httpx client honours them, looked up
        once per server: aiohttp's own `trust_env` looks them up on every request, which cost a
        third of the updates per second."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._proxies:
            proxy = getproxies().get(parts.scheme)
            self._proxies[key] = None if proxy is None or proxy_bypass(parts.hostname or "") else proxy
        return self._proxies[key]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = self._timeouts["read"] if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._timeouts["connect"] if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._timeouts["pool"] if isinstance(pool_timeout, DefaultValue) else pool_timeout
        # aiohttp's `connect` covers waiting for a free connection and connecting.
        timeout = aiohttp.ClientTimeout(sock_read=read, sock_connect=connect,
                                        connect=None if pool is None or connect is None else pool + connect)
        body: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            if request_data.contains_files:
                body = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    body.add_field(name, value)
                for name, (filename, content, mimetype) in (request_data.multipart_data or {}).items():
                    body.add_field(name, content, filename=filename, content_type=mimetype)
            else:
                body = request_data.json_parameters
        try:
            async with self._session.request(method, url, data=body, timeout=timeout,
                                             proxy=self._proxy_for(url)) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
