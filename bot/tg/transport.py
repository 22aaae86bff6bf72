"""python-telegram-bot's HTTP requests made with aiohttp's client instead of httpx.

PTB lets the HTTP client be swapped through `telegram.request.BaseRequest`. Measured with
tests/loadtest.py, httpx spent about half of the bot's time per answered update (its connection pool
and anyio layers are written for generality), and aiohttp's client does the same requests for much
less; everything above the HTTP call (flood control, error mapping) stays PTB's own.

One thing PTB leaves to the transport: a request that failed on the way (a 5xx from Telegram or a
proxy, a timeout, a dropped connection) is tried again a few times with growing pauses, within a
bounded time (`RetryPolicy`), because a reply lost to one 502 is a question left unanswered. A 4xx
is Telegram's answer and is never repeated here (a 429 is the rate limiter's business). Redirects
are not followed: Telegram does not send them, and following one would hand the token-bearing path
to whatever address it names.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.tg.redact import Redactor

log = logging.getLogger(__name__)
#: Seconds, as PTB's own HTTPXRequest defaults them. aiohttp has no write timeout: a slow upload is
#: bounded by the read timeout of its reply.
DEFAULT_TIMEOUTS = {"connect": 5.0, "read": 5.0, "pool": 1.0}
#: Masks any token in a URL quoted by an error message (the root log filter masks it again anyway).
_SCRUB = Redactor(())


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and within how long, a request that failed on the way is tried again.

    Pauses double from `first_delay` up to `max_delay`; no pause starts that would end after
    `budget` seconds from the first try. With the default read timeout of 5 s, four tries of a hung
    call end within about 25 s.
    """

    tries: int = 4
    first_delay: float = 0.5
    max_delay: float = 8.0
    budget: float = 30.0

    def delay(self, attempt: int) -> float:
        """The pause after failed try number `attempt` (0-based).

        >>> [RetryPolicy().delay(n) for n in range(6)]
        [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
        """
        return min(self.max_delay, self.first_delay * 2 ** attempt)


#: For getUpdates: the polling loop repeats it anyway, and a retry here would only delay that.
NO_RETRY = RetryPolicy(tries=1)


class ConnectionLost(NetworkError):
    """The connection failed or dropped before an answer came: worth another try."""


class AiohttpRequest(BaseRequest):
    """One aiohttp session per request object, opened by `initialize` and closed by `shutdown`."""

    def __init__(self, *, connection_pool_size: int = 256, read_timeout: float | None = DEFAULT_TIMEOUTS["read"],
                 connect_timeout: float | None = DEFAULT_TIMEOUTS["connect"],
                 pool_timeout: float | None = DEFAULT_TIMEOUTS["pool"], retry: RetryPolicy = RetryPolicy()) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {"read": read_timeout, "connect": connect_timeout, "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}
        self.retry = retry

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
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.retry.budget
        method_name = url.rsplit("/", 1)[-1]     # the Bot API method: never the token
        attempt = 0
        while True:
            failure: NetworkError | None = None
            try:
                status, payload = await self._once(url, method, request_data, read_timeout, connect_timeout, pool_timeout)
            except (TimedOut, ConnectionLost) as exc:
                failure = exc
            else:
                if status < 500:
                    return status, payload
            pause = self.retry.delay(attempt)
            attempt += 1
            if attempt >= self.retry.tries or loop.time() + pause > deadline:
                if failure is not None:
                    raise failure
                return status, payload
            log.warning("%s failed (%s); try %d of %d in %.1f s", method_name,
                        failure.message if failure is not None else f"HTTP {status}", attempt + 1, self.retry.tries, pause)
            await asyncio.sleep(pause)

    async def _once(self, url: str, method: str, request_data: RequestData | None, read_timeout: ODVInput[float],
                    connect_timeout: ODVInput[float], pool_timeout: ODVInput[float]) -> tuple[int, bytes]:
        assert self._session is not None
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
            async with self._session.request(method, url, data=body, timeout=timeout, allow_redirects=False,
                                             proxy=self._proxy_for(url)) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientConnectionError as err:
            raise ConnectionLost(_SCRUB.redact(f"aiohttp.{err.__class__.__name__}: {err}")) from err
        except aiohttp.ClientError as err:
            raise NetworkError(_SCRUB.redact(f"aiohttp.{err.__class__.__name__}: {err}")) from err
        except ValueError as err:       # yarl's verdict on a malformed address
            raise NetworkError(_SCRUB.redact(f"invalid Bot API address: {err}")) from err
