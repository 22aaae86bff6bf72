"""Settings from environment variables, read and checked in one place.

A value that cannot be right ends the process with one line naming the variable (`ConfigError`)
rather than being read as something else: `BOT_RETENTION_DAYS=0` would delete every record, a typo
in `BOT_ADMIN_IDS` would silently lock an admin out. Secrets are never echoed in those lines.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.tg.redact import Redactor

DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_DB = "gnlc-bot.sqlite3"
DEFAULT_RETENTION_DAYS = 180
#: How long start-up keeps trying an unreachable Bot API (a container's network may come up late).
DEFAULT_STARTUP_WAIT = 120.0
#: Updates still in the durable inbox after a crash are answered if they are younger than this.
DEFAULT_INBOX_MAX_AGE_MINUTES = 10.0
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(ValueError):
    """One environment variable holds a value the bot cannot use; the message names it."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    token: str | None
    api_url: str
    webhook_url: str | None
    webhook_secret: str | None
    port: int
    listen: str
    db_path: str
    db_configured: bool                 # BOT_DB was set: the console doors record only then
    retention_days: int
    admin_ids: frozenset[int]
    context_minutes: float = 10.0       # silence after which a chat's follow-up context is forgotten
    startup_wait: float = DEFAULT_STARTUP_WAIT
    inbox_max_age: float = DEFAULT_INBOX_MAX_AGE_MINUTES * 60     # seconds

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, webhook: bool = True) -> "Settings":
        """Every setting, checked; raises ConfigError for the first value that cannot be right.

        `webhook` False (long polling) leaves the webhook's settings unread (their defaults), so a
        `PORT` set wrong for another program does not stop a bot that listens on no port.

        >>> Settings.from_env({"BOT_RETENTION_DAYS": "0"})
        Traceback (most recent call last):
        ...
        bot.config.ConfigError: BOT_RETENTION_DAYS: expected a whole number of days, 1 or more (got '0')
        """
        env = os.environ if env is None else env
        token = telegram_token(env)
        if not webhook:
            env = {k: v for k, v in env.items() if k not in WEBHOOK_VARIABLES}
        secret = env.get("WEBHOOK_SECRET") or None
        if secret is not None and not _SECRET.fullmatch(secret):
            raise ConfigError("WEBHOOK_SECRET", "must be 1-256 of the characters A-Z a-z 0-9 _ - (Telegram's rule)")
        return cls(
            token=token,
            api_url=_url(env, "TELEGRAM_API_URL", DEFAULT_API_URL) or DEFAULT_API_URL,
            webhook_url=_url(env, "WEBHOOK_URL", None),
            webhook_secret=secret,
            port=int(_number(env, "PORT", 8443, "a port number from 1 to 65535", low=1, high=65535)),
            listen=env.get("WEBHOOK_LISTEN") or "0.0.0.0",
            db_path=env.get("BOT_DB") or DEFAULT_DB,
            db_configured=bool(env.get("BOT_DB")),
            retention_days=int(_number(env, "BOT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS,
                                       "a whole number of days, 1 or more", low=1)),
            admin_ids=_admins(env.get("BOT_ADMIN_IDS", "")),
            startup_wait=_number(env, "BOT_STARTUP_WAIT", DEFAULT_STARTUP_WAIT, "a number of seconds, 0 or more",
                                 low=0, whole=False),
            inbox_max_age=60 * _number(env, "BOT_INBOX_MAX_AGE", DEFAULT_INBOX_MAX_AGE_MINUTES,
                                       "a number of minutes, 0 or more", low=0, whole=False),
            context_minutes=context_minutes(env),
        )


#: Read by the webhook door only.
WEBHOOK_VARIABLES = frozenset({"WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "PORT"})


def telegram_token(env: Mapping[str, str] | None = None) -> str | None:
    """TELEGRAM_BOT_TOKEN if set (checked, never echoed): `run` chats on the console without one."""
    env = os.environ if env is None else env
    token = env.get("TELEGRAM_BOT_TOKEN") or None
    if token is not None and not _TOKEN.fullmatch(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN", "does not look like a token from @BotFather (digits, ':', then letters)")
    return token


def context_minutes(env: Mapping[str, str] | None = None) -> float:
    """BOT_CONTEXT_MINUTES: the one setting the console chat reads (besides recording's, see below).

    >>> context_minutes({"PORT": "abc", "BOT_ADMIN_IDS": "12,x"})
    10.0
    """
    env = os.environ if env is None else env
    return _number(env, "BOT_CONTEXT_MINUTES", 10.0, "a number of minutes, 0 or more", low=0, whole=False)


def record_settings(env: Mapping[str, str] | None = None) -> tuple[str | None, str, int]:
    """What the console doors and `report` need: (BOT_DB if set, the database path, retention days).

    Read apart from `Settings` so that a webhook-only variable set wrong (`PORT=abc`) does not stop `ask`;
    BOT_RETENTION_DAYS is read only when BOT_DB is set (without it nothing is recorded, nor purged).
    """
    env = os.environ if env is None else env
    days = DEFAULT_RETENTION_DAYS
    if env.get("BOT_DB"):
        days = int(_number(env, "BOT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, "a whole number of days, 1 or more",
                           low=1))
    return env.get("BOT_DB") or None, env.get("BOT_DB") or DEFAULT_DB, days


def db_path(env: Mapping[str, str] | None = None) -> str:
    """BOT_DB or the default file: all `report` reads (it deletes nothing, so no retention)."""
    env = os.environ if env is None else env
    return env.get("BOT_DB") or DEFAULT_DB


def _number(env: Mapping[str, str], name: str, default: float, expected: str, *, low: float,
            high: float | None = None, whole: bool = True) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(int(raw)) if whole else float(raw)
    except ValueError:
        value = float("nan")
    if not (value >= low and (high is None or value <= high)):      # also refuses nan
        raise ConfigError(name, f"expected {expected} (got {raw!r})")
    return value


def _url(env: Mapping[str, str], name: str, default: str | None) -> str | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        parts = urlsplit(raw)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment
        parts.port          # raises ValueError when out of range or not a number
    except ValueError:
        ok = False
    if not ok:
        shown = Redactor(()).redact(raw)        # a token pasted into the address stays out of the message
        raise ConfigError(name, f"expected an http(s) address such as https://host[:port][/path] (got {shown!r})")
    return raw.rstrip("/")


def _admins(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for item in raw.replace(" ", "").split(","):
        if not item:
            continue
        if not re.fullmatch(r"-?\d+", item):
            raise ConfigError("BOT_ADMIN_IDS", f"expected comma-separated Telegram user ids (numbers), got {item!r}")
        ids.add(int(item))
    return frozenset(ids)
