"""Build the python-telegram-bot Application and run it by long polling or behind a webhook."""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
import sqlite3
import sys
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScope, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, ApplicationBuilder

from bot.conversations import Conversations
from bot.config import Settings
from bot.core.answer import Brain
from bot.knowledge import LANGS, KnowledgeBase
from bot.recording import open_journal, voter_secret
from bot.tg.handlers import CONTEXT_TYPES, BotState, register
from bot.inbox import Inbox
from bot.tg import webhook
from bot.tg.durable import InboxApplication, InboxRequest, replay
from bot.tg.ratelimit import PerChatRateLimiter, retry_seconds
from bot.tg.redact import Redactor, install
from bot.tg.transport import DEFAULT_TIMEOUTS, NO_RETRY, AiohttpRequest, RetryPolicy

log = logging.getLogger(__name__)
#: The command menus; /help in each kind of chat lists the same commands (strings help, help_group).
PRIVATE_COMMANDS = ("start", "help", "cities", "sources", "contact", "about")
GROUP_COMMANDS = ("ask", "cities", "sources", "contact", "help", "autoanswer")
ADMIN_COMMANDS = ("stats", "reload")

#: Command menus Telegram could not take (a 5xx, a 429, no network) are tried again after these
#: pauses; they are a convenience, so the bot answers meanwhile and never stops over them.
MENU_RETRY = RetryPolicy(tries=8, first_delay=30.0, max_delay=900.0, budget=6 * 3600.0)


def build_application(settings: Settings, brain: Brain, *, kb_dir: str | None = None, record: bool = False,
                      rate_limiter: bool = True, updater: bool = True, retry: RetryPolicy = RetryPolicy(),
                      read_timeout: float = DEFAULT_TIMEOUTS["read"], menu_retry: RetryPolicy = MENU_RETRY) -> Application[Any, Any, Any, Any, BotState, Any]:
    """The one place the bot is put together; tests build it the same way, pointed at a fake API."""
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    inbox = _open_inbox(settings) if record else None
    transports = (AiohttpRequest(retry=retry, read_timeout=read_timeout),
                  InboxRequest(inbox, connection_pool_size=1, retry=NO_RETRY))
    builder = (
        ApplicationBuilder()
        .application_class(InboxApplication, kwargs={"inbox": inbox})
        .token(settings.token)
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        .context_types(CONTEXT_TYPES)
        .request(transports[0])
        .get_updates_request(transports[1])
        .post_init(functools.partial(_post_init, menu_retry=menu_retry))
        .post_shutdown(_post_shutdown)
        # A round trip to Telegram takes 100-300 ms from most hosts: 32 updates in flight keep a burst
        # above the ~30 messages a second Telegram allows a bot even at the slow end, while no update
        # waits on another's network time. Locally (tests/loadtest.py) 32 did as well as 8 or better.
        .concurrent_updates(32)
    )
    if rate_limiter:
        builder = builder.rate_limiter(PerChatRateLimiter(max_retries=3))  # type: ignore[arg-type]  # PTB's generics
    if not updater:
        builder = builder.updater(None)
    application = builder.build()
    state = application.bot_data
    state.set_brain(brain)
    state.kb_dir = kb_dir
    state.admin_ids = settings.admin_ids
    state.conversations = Conversations(ttl=settings.context_minutes * 60)
    state.transports = transports
    state.voter_secret = voter_secret(settings.token)
    if record:
        state.journal = open_journal(settings.db_path, state.current_brain, retention_days=settings.retention_days)
        state.db_path = settings.db_path
    register(application)
    return application


def _open_inbox(settings: Settings) -> Inbox | None:
    try:
        return Inbox(settings.db_path, max_age=settings.inbox_max_age)
    except (sqlite3.Error, OSError) as exc:
        log.error("no durable inbox (%s: %s): updates in flight are lost if the bot crashes", type(exc).__name__, exc)
        return None


def commands(kb: KnowledgeBase, names: tuple[str, ...], lang: str) -> list[BotCommand]:
    return [BotCommand(name, kb.string(f"cmd_{name}", lang)) for name in names]  # type: ignore[arg-type]


Menu = tuple[list[BotCommand], BotCommandScope, "str | None"]


def menus(kb: KnowledgeBase, admin_ids: frozenset[int]) -> list[Menu]:
    """Every command menu: private and group chats in each language (and the default), then each admin's."""
    out: list[Menu] = []
    for lang in (*LANGS, None):
        out.append((commands(kb, PRIVATE_COMMANDS, lang or "en"), BotCommandScopeAllPrivateChats(), lang))
        out.append((commands(kb, GROUP_COMMANDS, lang or "en"), BotCommandScopeAllGroupChats(), lang))
    for admin in sorted(admin_ids):
        # Admins see their commands in their own chat with the bot; nobody else learns they exist.
        out.append((commands(kb, PRIVATE_COMMANDS + ADMIN_COMMANDS, "en"), BotCommandScopeChat(admin), None))
    return out


async def set_menus(bot: Any, pending: list[Menu], policy: RetryPolicy = MENU_RETRY) -> None:
    """Best effort: a menu Telegram refuses is logged and left; one that failed on the way is tried later."""
    for attempt in range(policy.tries):
        later: list[Menu] = []
        wait = 0.0
        for menu in pending:
            cmds, scope, lang = menu
            try:
                await bot.set_my_commands(cmds, scope=scope, language_code=lang)
            except RetryAfter as exc:
                later.append(menu)
                wait = max(wait, retry_seconds(exc))
            except (BadRequest, Forbidden) as exc:   # refused (an admin who never opened the bot, a bad description)
                log.info("command menu (%s, %s) not set: %s", scope.type, lang or "default", exc.message)
            except NetworkError as exc:
                later.append(menu)
                log.warning("command menu (%s, %s) not set yet: %s", scope.type, lang or "default", exc.message)
        if not later:
            return
        pending = later
        if attempt + 1 < policy.tries:
            pause = max(wait, policy.delay(attempt))
            log.info("%d command menu(s) to set again in %.0f s", len(pending), pause)
            await asyncio.sleep(pause)
    log.warning("%d command menu(s) left unset until the next start", len(pending))


async def _post_init(application: Application[Any, Any, Any, Any, BotState, Any], *,
                     menu_retry: RetryPolicy = MENU_RETRY) -> None:
    state = application.bot_data
    state.username = application.bot.username or ""
    task = asyncio.create_task(set_menus(application.bot, menus(state.current_brain().kb, state.admin_ids), menu_retry),
                               name="command menus")
    state.tasks.add(task)
    task.add_done_callback(state.tasks.discard)
    _reload_on_sighup(state)
    await replay(application)


async def _post_shutdown(application: Application[Any, Any, Any, Any, BotState, Any]) -> None:
    for task in list(application.bot_data.tasks):
        task.cancel()
    await asyncio.gather(*application.bot_data.tasks, return_exceptions=True)
    application.bot_data.journal.close()
    inbox = getattr(application, "inbox", None)
    if inbox is not None:
        inbox.close()


async def connect(application: Application[Any, Any, Any, Any, BotState, Any], *, wait: float,
                  first_delay: float = 1.0, max_delay: float = 15.0) -> None:
    """Initialise (getMe), trying again with growing pauses for `wait` seconds while the Bot API is
    unreachable or failing: a container's network often comes up after the process. A rejected token
    (InvalidToken) or a refusal is final at once."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    pause = first_delay
    while True:
        try:
            await application.initialize()
            return
        except BadRequest:
            raise
        except (NetworkError, RetryAfter) as exc:
            if loop.time() + pause > deadline:
                raise
            log.warning("the Telegram Bot API is not reachable yet (%s); trying again in %.0f s",
                        getattr(exc, "message", exc), pause)
            await asyncio.sleep(pause)
            pause = min(max_delay, pause * 2)


def _reload_on_sighup(state: BotState) -> None:
    """SIGHUP reloads the knowledge base, as daemons do; a broken one is logged and the old one kept."""
    if not hasattr(signal, "SIGHUP"):
        return
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(asyncio.to_thread(state.reload)))
    except (NotImplementedError, RuntimeError, ValueError):   # not the main thread (tests) or no signals here
        log.debug("SIGHUP reload not available in this thread")


class _NoTokenTraceback(logging.Filter):
    """PTB logs a rejected token with a traceback before raising it; `run` reports it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def _quiet_logs(redactor: Redactor) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    install(redactor)
    # HTTP clients may log request URLs, and the token is part of them (masked anyway: `redactor`).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.client").setLevel(logging.WARNING)
    logging.getLogger("telegram.ext.Application").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_NoTokenTraceback())


def run(settings: Settings, brain: Brain, kb_dir: str | None, *, webhook: bool) -> int:
    """Run until stopped; a rejected token or a missing setting ends with one line, not a traceback."""
    redactor = Redactor((settings.token, settings.webhook_secret))
    _quiet_logs(redactor)
    if webhook and not (settings.webhook_url and settings.webhook_secret):
        print("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET (requests without the secret are refused)", file=sys.stderr)
        return 2
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    application = build_application(settings, brain, kb_dir=kb_dir, record=True)
    try:
        loop.run_until_complete(connect(application, wait=settings.startup_wait))
        if webhook:
            stop = asyncio.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            loop.run_until_complete(serve_webhook(application, settings, stop))
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, close_loop=False)
    except InvalidToken:
        print("Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather", file=sys.stderr)
        return 1
    except (NetworkError, RetryAfter) as exc:
        waited = f" (tried for {settings.startup_wait:.0f} s)" if settings.startup_wait else ""
        print(redactor.redact(f"cannot reach the Telegram Bot API at {settings.api_url}{waited}: {exc}"), file=sys.stderr)
        return 1
    finally:
        application.bot_data.journal.close()
        _close(application.bot_data.transports)
    return 0


async def serve_webhook(application: Application[Any, Any, Any, Any, BotState, Any], settings: Settings,
                        stop: asyncio.Event) -> None:
    """Serve Telegram's POSTs (bot/tg/webhook.py) until `stop` is set; the application is initialised."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None

    inbox: Inbox | None = getattr(application, "inbox", None)

    async def accept(data: dict[str, Any]) -> None:
        if inbox is not None:
            inbox.add([data])       # on disk before Telegram gets its 200
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:      # junk that is not an update: Telegram would only send it again
            log.warning("update %s could not be read (%s)", data.get("update_id"), type(exc).__name__)
            return
        await application.update_queue.put(update)

    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    path = urlsplit(settings.webhook_url).path or "/"
    runner = await webhook.start(webhook.webhook_app(path, settings.webhook_secret, accept), settings.listen, settings.port)
    try:
        await application.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret,
                                          allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        await stop.wait()
    finally:
        await runner.cleanup()
        await application.stop()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        await application.shutdown()


def _close(transports: tuple[AiohttpRequest, ...]) -> None:
    """Close the HTTP clients on the loop PTB ran on: a start-up that failed (a rejected token) never
    reached PTB's own shutdown, and an unclosed client would end the process with a warning."""
    loop = asyncio.get_event_loop()
    try:
        if not loop.is_closed():
            loop.run_until_complete(asyncio.gather(*(t.shutdown() for t in transports)))
    finally:
        loop.close()
