"""Settings from environment variables, read in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_DB = "gnlc-bot.sqlite3"


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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        admins = frozenset(int(x) for x in env.get("BOT_ADMIN_IDS", "").replace(" ", "").split(",") if x.strip().lstrip("-").isdigit())
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_url=(env.get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/"),
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            port=int(env.get("PORT") or 8443),
            listen=env.get("WEBHOOK_LISTEN") or "0.0.0.0",
            db_path=env.get("BOT_DB") or DEFAULT_DB,
            db_configured=bool(env.get("BOT_DB")),
            retention_days=int(env.get("BOT_RETENTION_DAYS") or 180),
            admin_ids=admins,
            context_minutes=float(env.get("BOT_CONTEXT_MINUTES") or 10),
        )
