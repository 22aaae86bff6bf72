"""A strict fake of the Telegram Bot API on 127.0.0.1, for end-to-end tests of the real Application.

It refuses what Telegram refuses, with Telegram's status codes and wording, so a test that passes
here means the bot sent something Telegram would accept:
- a wrong token (401), a method the Bot API does not have (404), a missing required parameter (400);
- HTML that Telegram's parser rejects (unsupported or unclosed tags, stray "<" or "&", unknown
  entities), a text that is empty or longer than 4,096 characters after parsing (counted in UTF-16
  code units, as Telegram counts), callback data over 64 bytes, malformed inline keyboards;
- editing a message that does not exist, or editing it into what it already is.

Faults are injected on demand (`inject`): a status code (5xx, 429 with retry_after), a hang that
never answers, a redirect, optionally only for one chat; each injected fault is recorded as a call.

The method list and each method's required parameters are read from python-telegram-bot's `Bot`
signatures (Bot API 10.0 for PTB 22.x), which mirror the public Bot API reference one to one.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import re
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import telegram
from aiohttp import ClientSession, web

def bypass_proxies() -> None:
    """The fake server is on 127.0.0.1: a proxy configured on the machine must not sit in between."""
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(filter(None, (os.environ.get(name), "127.0.0.1", "localhost")))


MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_CALLBACK_DATA = 64
MAX_INLINE_RESULTS = 50
#: Parameters that arrive JSON-encoded inside form data.
JSON_FIELDS = {"reply_markup", "link_preview_options", "reply_parameters", "entities", "results", "commands",
               "scope", "allowed_updates", "button", "caption_entities", "media"}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "cache_time", "max_connections"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _api_methods() -> dict[str, frozenset[str]]:
    """Bot API method name (lower-cased, as Telegram matches them) -> its required parameters."""
    methods: dict[str, frozenset[str]] = {}
    for name, func in inspect.getmembers(telegram.Bot, inspect.iscoroutinefunction):
        if name.startswith("_") or name in ("initialize", "shutdown", "do_api_request"):
            continue
        if "_" not in name and not any(c.isupper() for c in name) and name != "close":
            continue
        params = inspect.signature(func).parameters.values()
        required = frozenset(p.name for p in params if p.default is inspect.Parameter.empty
                             and p.name != "self" and p.kind is p.POSITIONAL_OR_KEYWORD)
        methods[_camel(name).lower()] = required
    return methods


API_METHODS = _api_methods()


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


# --- Telegram's HTML style -------------------------------------------------------------------------

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
                "tg-emoji", "code", "pre", "blockquote"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The plain text Telegram would show, or ApiError if its parser would refuse the markup."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if m is None:
                raise bad(f"can't parse entities: Unexpected end of name token at byte offset {len(text[:i].encode())}")
            closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
            if name not in ALLOWED_TAGS:
                raise bad(f'can\'t parse entities: Unsupported start tag "{name}" at byte offset {len(text[:i].encode())}')
            if closing:
                if not stack or stack[-1] != name:
                    raise bad(f'can\'t parse entities: Unmatched end tag at byte offset {len(text[:i].encode())}, '
                              f'expected "</{stack[-1] if stack else ""}>", found "</{name}>"')
                stack.pop()
            else:
                _check_attributes(name, attrs)
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if m is None:
                raise bad(f"can't parse entities: Unsupported entity at byte offset {len(text[:i].encode())}")
            key = m.group(1)
            out.append(_NAMED[key] if key in _NAMED else chr(int(key[2:], 16) if key[1] == "x" else int(key[1:])))
            i = m.end()
        elif ch == ">":
            out.append(ch)      # Telegram tolerates a bare ">"
            i += 1
        else:
            out.append(ch)
            i += 1
    if stack:
        raise bad(f'can\'t parse entities: Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _check_attributes(name: str, attrs: str) -> None:
    values = {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "") for m in _ATTR.finditer(attrs)}
    if name == "a" and not values.get("href"):
        raise bad("can't parse entities: Can't find end of href attribute")
    if name == "span" and values.get("class") != "tg-spoiler":
        raise bad('can\'t parse entities: Tag "span" must have class "tg-spoiler"')
    if name == "tg-emoji" and "emoji-id" not in values:
        raise bad('can\'t parse entities: Tag "tg-emoji" must have attribute "emoji-id"')


def message_text(text: Any, parse_mode: Any) -> str:
    if not isinstance(text, str):
        raise bad("message text is empty")
    plain = parse_html(text) if str(parse_mode).upper() == "HTML" else text
    if not plain.strip():
        raise bad("message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        raise bad("message is too long")
    return plain


def check_keyboard(markup: Any, *, inline: bool = True) -> None:
    """An inline keyboard as Telegram checks it; `inline` False: the bot has inline mode off, and a
    button that switches to inline mode is refused (the refusal, not its wording, is what matters)."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise bad("BUTTON_TEXT_INVALID" if isinstance(button, dict) else "can't parse inline keyboard button")
            actions = [k for k in button if k != "text"]
            if len(actions) != 1:
                raise bad("BUTTON_TYPE_INVALID")
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode())
                if not 1 <= size <= MAX_CALLBACK_DATA:
                    raise bad("BUTTON_DATA_INVALID")
            if "url" in button and not re.match(r"^(https?|tg)://", str(button["url"])):
                raise bad("BUTTON_URL_INVALID")
            if actions[0].startswith("switch_inline_query") and not inline:
                raise bad("BUTTON_TYPE_INVALID")
            if "switch_inline_query_chosen_chat" in button and not isinstance(button["switch_inline_query_chosen_chat"], dict):
                raise bad("can't parse inline keyboard button: SwitchInlineQueryChosenChat must be an object")


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    data: bytes


def photo_size(data: bytes) -> tuple[int, int]:
    """Width and height of an uploaded photo, refused as Telegram refuses what it cannot use."""
    from PIL import Image, UnidentifiedImageError
    import io
    if len(data) > MAX_PHOTO_BYTES:
        raise bad("file is too big")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError):
        raise bad("IMAGE_PROCESS_FAILED") from None
    if width + height > 10000 or max(width, height) > 20 * min(width, height):
        raise bad("PHOTO_INVALID_DIMENSIONS")
    return width, height


# --- the server ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    method: str                 # as the bot spelled it, e.g. "sendMessage"
    params: dict[str, Any]
    status: int = 200
    error: str | None = None


@dataclass(frozen=True)
class Fault:
    """One failure the fake answers with instead of doing the call."""

    status: int = 500
    retry_after: int | None = None      # a 429's parameters.retry_after
    hang: bool = False                  # never answer: the client's own timeout has to give up
    redirect: str | None = None         # answer a 302 to this address ("{token}" is filled in)
    chat_id: int | None = None          # only calls for this chat (a 429 that is one chat's own)
    html: bool = False                  # a proxy's HTML error page instead of Telegram's JSON
    description: str | None = None      # Telegram's own words for this failure ("Bad Request: message is not modified")

    def response(self, token: str) -> web.Response:
        if self.redirect is not None:
            return web.Response(status=302, headers={"Location": self.redirect.replace("{token}", token)})
        if self.html:
            return web.Response(status=self.status, text=f"<html><body>{self.status}</body></html>",
                                content_type="text/html")
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description or _DESCRIPTIONS.get(self.status, "Error")}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
            body["description"] = f"Too Many Requests: retry after {self.retry_after}"
        return web.json_response(body, status=self.status)


_DESCRIPTIONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                 504: "Gateway Timeout", 429: "Too Many Requests", 400: "Bad Request"}


@dataclass
class FakeBotApi:
    token: str
    username: str = "GnlcTestBot"
    bot_id: int = 7000001
    calls: list[Call] = field(default_factory=list)
    bot_messages: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    root: str = ""
    port: int = 0               # 0: any free port
    #: Inline mode on (BotFather's /setinline): without it, buttons that switch to inline mode are refused.
    inline: bool = True
    photos: dict[str, tuple[bytes, int, int]] = field(default_factory=dict)   # file_id -> (data, width, height)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1
        self._next_message = 1000
        self._arrived = asyncio.Condition()
        self._blocked: set[int] = set()
        self._statuses: dict[tuple[int, int], str] = {}
        self._texts: dict[tuple[int, int], tuple[str, str]] = {}
        self._runner: web.AppRunner | None = None
        self._faults: dict[str, list[Fault]] = defaultdict(list)
        self.confirmed = 0          # the highest update id the bot has confirmed (by asking past it)
        self._closing = asyncio.Event()

    # lifecycle
    async def __aenter__(self) -> "FakeBotApi":
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._no_files)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.root = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing.set()         # hung calls and long polls return now
        await self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    # what tests look at
    @property
    def errors(self) -> list[Call]:
        return [c for c in self.calls if c.status != 200]

    def sent(self, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.status == 200 and (method is None or c.method == method)]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.sent(method)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} {method} call(s), got {len(found)}; refused: "
                                     f"{[(c.method, c.error) for c in self.errors]}")
            await asyncio.sleep(0.01)

    def inject(self, method: str, *faults: Fault) -> None:
        """The next calls of `method` (for a fault's chat, if it names one) fail as given, in order."""
        self._faults[method.lower()].extend(faults)

    def injected(self, method: str | None = None) -> list[Call]:
        """The calls answered with an injected fault."""
        return [c for c in self.calls if c.error is not None and c.error.startswith("injected")
                and (method is None or c.method == method)]

    async def wait_for_injected(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.injected(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} faulted {method} call(s), got {len(self.injected(method))}")
            await asyncio.sleep(0.01)
        return self.injected(method)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        queue = self._faults.get(method.lower())
        for n, fault in enumerate(queue or ()):
            if fault.chat_id is None or str(fault.chat_id) == str(params.get("chat_id")):
                return queue.pop(n)  # type: ignore[union-attr]
        return None

    def block(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        self._statuses[(chat_id, user_id)] = status

    # updates in
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = dict(update)
        update.setdefault("update_id", self._next_update)
        self._next_update = max(self._next_update, update["update_id"]) + 1
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    async def _notify(self) -> None:
        async with self._arrived:
            self._arrived.notify_all()

    # builders of real Bot API update JSON
    def _user(self, user_id: int, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _message(self, text: str | None, *, chat_id: int | None, user_id: int, language_code: str | None,
                 entities: list[dict[str, Any]] | None = None, reply_to: dict[str, Any] | None = None,
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
        private = chat_id is None or chat_id > 0
        chat = {"id": user_id, "type": "private", "first_name": f"User{user_id}"} if chat_id is None or private \
            else {"id": chat_id, "type": "supergroup", "title": "Learning cities fans"}
        if chat_id is not None and private:
            chat["id"] = chat_id
        self._next_message += 1
        message: dict[str, Any] = {"message_id": self._next_message, "date": int(time.time()), "chat": chat,
                                   "from": self._user(user_id, language_code)}
        if text is not None:
            message["text"] = text
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(extra or {})
        return message

    def private_text(self, text: str, *, user_id: int = 501, language_code: str | None = "en") -> dict[str, Any]:
        return {"message": self._message(text, chat_id=None, user_id=user_id, language_code=language_code)}

    def group_text(self, text: str, *, chat_id: int = -1001, user_id: int = 502, language_code: str | None = "en",
                   entities: list[dict[str, Any]] | None = None, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"message": self._message(text, chat_id=chat_id, user_id=user_id, language_code=language_code,
                                         entities=entities, reply_to=reply_to)}

    def command(self, text: str, *, chat_id: int | None = -1001, user_id: int = 503,
                language_code: str | None = "en") -> dict[str, Any]:
        """A command message; `chat_id` None sends it in the user's private chat."""
        entity = {"type": "bot_command", "offset": 0, "length": utf16_len(text.split(" ", 1)[0])}
        return {"message": self._message(text, chat_id=chat_id, user_id=user_id, language_code=language_code,
                                         entities=[entity])}

    def mention(self, text: str, *, username: str, chat_id: int = -1001, user_id: int = 504,
                language_code: str | None = "en") -> dict[str, Any]:
        at = text.index("@" + username)
        entity = {"type": "mention", "offset": utf16_len(text[:at]), "length": utf16_len("@" + username)}
        return self.group_text(text, chat_id=chat_id, user_id=user_id, language_code=language_code, entities=[entity])

    def callback_query(self, message: dict[str, Any], data: str, *, user_id: int | None = None,
                       language_code: str | None = "en") -> dict[str, Any]:
        uid = user_id if user_id is not None else message["chat"]["id"] if message["chat"]["id"] > 0 else 505
        self._next_message += 1
        return {"callback_query": {"id": str(self._next_message), "from": self._user(uid, language_code),
                                   "chat_instance": "ci-1", "message": message, "data": data}}

    def inline_query(self, query: str, *, user_id: int = 506, language_code: str | None = "en") -> dict[str, Any]:
        self._next_message += 1
        return {"inline_query": {"id": str(self._next_message), "from": self._user(user_id, language_code),
                                 "query": query, "offset": ""}}

    def edited_message(self, text: str, *, user_id: int = 507, language_code: str | None = "en") -> dict[str, Any]:
        message = self._message(text, chat_id=None, user_id=user_id, language_code=language_code)
        message["edit_date"] = message["date"] + 1
        return {"edited_message": message}

    def sticker(self, *, chat_id: int | None = None, user_id: int = 508) -> dict[str, Any]:
        sticker = {"file_id": "CAACAgIAAx", "file_unique_id": "AgAD", "type": "regular", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "emoji": "🙂"}
        return {"message": self._message(None, chat_id=chat_id, user_id=user_id, language_code="en",
                                         extra={"sticker": sticker})}

    def photo(self, *, chat_id: int | None = None, user_id: int = 509) -> dict[str, Any]:
        photo = [{"file_id": "AgACAgIAAx", "file_unique_id": "AQAD", "width": 90, "height": 90}]
        return {"message": self._message(None, chat_id=chat_id, user_id=user_id, language_code="en",
                                         extra={"photo": photo})}

    async def post_to_webhook(self, url: str, update: dict[str, Any], secret: str | None = None) -> int:
        update = dict(update)
        update.setdefault("update_id", self._next_update)
        self._next_update += 1
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with ClientSession() as session:
            async with session.post(url, json=update, headers=headers) as response:
                return response.status

    # the HTTP side
    async def _no_files(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            required = API_METHODS.get(method.lower())
            if required is None:
                raise ApiError(404, "Not Found")
            missing = sorted(p for p in required if p not in params)
            if missing:
                raise bad(f"parameter \"{missing[0]}\" is required")
            fault = self._take_fault(method, params)
            if fault is not None:
                what = "hang" if fault.hang else "redirect" if fault.redirect else str(fault.status)
                self.calls.append(Call(method, params, 0 if fault.hang else fault.status, f"injected {what}"))
                if fault.hang:
                    await self._closing.wait()
                return fault.response(self.token)
            result = await self._dispatch(method.lower(), params)
        except ApiError as exc:
            self.calls.append(Call(method, params, exc.code, exc.description))
            return web.json_response({"ok": False, "error_code": exc.code, "description": exc.description},
                                     status=exc.code)
        if method.lower() != "getupdates" or result:
            self.calls.append(Call(method, params))
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.read()
            raw: dict[str, Any] = json.loads(body) if body else {}
        else:
            form = await request.post()
            raw = {k: v for k, v in form.items() if isinstance(v, str)}
            # Uploaded files (sendPhoto): kept as bytes under their field name.
            raw.update({k: UploadedFile(v.filename, v.file.read()) for k, v in form.items() if isinstance(v, web.FileField)})
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and key in JSON_FIELDS:
                try:
                    value = json.loads(value)
                except json.JSONDecodeError:
                    raise bad(f"can't parse {key} JSON object") from None
            elif isinstance(value, str) and key in INT_FIELDS and re.fullmatch(r"-?\d+", value):
                value = int(value)
            elif isinstance(value, str) and value in ("true", "false") and key not in ("text", "query"):
                value = value == "true"
            params[key] = value
        return params

    async def _dispatch(self, method: str, p: dict[str, Any]) -> Any:
        if method == "getme":
            return {"id": self.bot_id, "is_bot": True, "first_name": "GNLC bot", "username": self.username,
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": self.inline}
        if method == "getupdates":
            return await self._get_updates(p)
        if method == "sendmessage":
            return self._send(p)
        if method == "sendphoto":
            return self._send_photo(p)
        if method == "editmessagetext":
            return self._edit(p)
        if method == "editmessagereplymarkup":
            check_keyboard(p.get("reply_markup"), inline=self.inline)
            key = (int(p.get("chat_id", 0)), int(p.get("message_id", 0)))
            if key not in self._texts:
                raise bad("message to edit not found")
            return True
        if method == "answercallbackquery":
            if len(str(p.get("text", ""))) > 200:
                raise bad("MESSAGE_TOO_LONG")
            return True
        if method == "answerinlinequery":
            return self._inline(p)
        if method == "setmycommands":
            commands = p.get("commands")
            if not isinstance(commands, list) or len(commands) > 100:
                raise bad("commands must be an array of at most 100 BotCommand")
            for c in commands:
                if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", ""))) \
                        or not 1 <= len(str(c.get("description", ""))) <= 256:
                    raise bad("BOT_COMMAND_INVALID" if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", "")))
                              else "BOT_COMMAND_DESCRIPTION_INVALID")
            return True
        if method == "getchatmember":
            status = self._statuses.get((int(p["chat_id"]), int(p["user_id"])), "member")
            return {"status": status, "user": self._user(int(p["user_id"]), None),
                    **({"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                        "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
                        "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                        "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False}
                       if status == "administrator" else {})}
        if method == "setwebhook":
            secret = p.get("secret_token")
            if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
                raise bad("secret token contains unallowed characters")
            return True
        if method == "getwebhookinfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True

    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        self.confirmed = max(self.confirmed, offset - 1)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        limit = int(p.get("limit") or 100)
        timeout = float(p.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while not self._updates and time.monotonic() < deadline and not self._closing.is_set():
            async with self._arrived:
                try:
                    await asyncio.wait_for(self._arrived.wait(), max(0.0, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    break
        return self._updates[:limit]

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        cid = int(chat_id)
        return {"id": cid, "type": "private", "first_name": "User"} if cid > 0 else \
            {"id": cid, "type": "supergroup", "title": "Learning cities fans"}

    def _send(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        text = message_text(p.get("text"), p.get("parse_mode"))
        check_keyboard(p.get("reply_markup"), inline=self.inline)
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        self._next_message += 1
        message: dict[str, Any] = {"message_id": self._next_message, "date": int(time.time()), "chat": self._chat(chat_id),
                                   "from": {"id": self.bot_id, "is_bot": True, "first_name": "GNLC bot",
                                            "username": self.username}, "text": text}
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        self.bot_messages[chat_id].append(message)
        self._texts[(chat_id, message["message_id"])] = (text, json.dumps(p.get("reply_markup"), sort_keys=True))
        return message

    def _send_photo(self, p: dict[str, Any]) -> dict[str, Any]:
        """sendPhoto: an upload (a real image of usable size) or the file_id of one uploaded before."""
        chat_id = int(p["chat_id"])
        photo = p["photo"]
        if isinstance(photo, str) and photo.startswith("attach://"):
            photo = p.get(photo.removeprefix("attach://"))
        if isinstance(photo, UploadedFile):
            width, height = photo_size(photo.data)
            file_id = f"AgACAgIAAxk{len(self.photos):04d}"
            self.photos[file_id] = (photo.data, width, height)
        elif isinstance(photo, str) and photo in self.photos:
            file_id = photo
            _, width, height = self.photos[file_id]
        else:
            raise bad("wrong file identifier/HTTP URL specified")
        caption = p.get("caption")
        if caption is not None:
            plain = parse_html(caption) if str(p.get("parse_mode")).upper() == "HTML" else caption
            if utf16_len(plain) > MAX_CAPTION:
                raise bad("message caption is too long")
        check_keyboard(p.get("reply_markup"), inline=self.inline)
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        self._next_message += 1
        message: dict[str, Any] = {
            "message_id": self._next_message, "date": int(time.time()), "chat": self._chat(chat_id),
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "GNLC bot", "username": self.username},
            "photo": [{"file_id": file_id, "file_unique_id": file_id[-8:], "width": width, "height": height,
                       "file_size": len(self.photos[file_id][0])}],
        }
        if caption is not None:
            message["caption"] = plain
        self.bot_messages[chat_id].append(message)
        return message

    def _edit(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(p.get("chat_id", 0)), int(p.get("message_id", 0))
        text = message_text(p.get("text"), p.get("parse_mode"))
        check_keyboard(p.get("reply_markup"), inline=self.inline)
        key = (chat_id, message_id)
        if key not in self._texts:
            raise bad("message to edit not found")
        markup = json.dumps(p.get("reply_markup"), sort_keys=True)
        if self._texts[key] == (text, markup):
            raise bad("message is not modified: specified new message content and reply markup are exactly the "
                      "same as a current content and reply markup of the message")
        self._texts[key] = (text, markup)
        message = {"message_id": message_id, "date": int(time.time()), "edit_date": int(time.time()),
                   "chat": self._chat(chat_id), "text": text,
                   "from": {"id": self.bot_id, "is_bot": True, "first_name": "GNLC bot", "username": self.username}}
        return message

    def _inline(self, p: dict[str, Any]) -> bool:
        results = p.get("results")
        if not isinstance(results, list) or len(results) > MAX_INLINE_RESULTS:
            raise bad("RESULTS_TOO_MUCH" if isinstance(results, list) else "can't parse results JSON object")
        ids = [str(r.get("id", "")) for r in results]
        if any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise bad("RESULT_ID_INVALID")
        if len(set(ids)) != len(ids):
            raise bad("RESULT_ID_DUPLICATE")
        for r in results:
            if not str(r.get("title", "")).strip():
                raise bad("RESULT_TITLE_EMPTY")
            content = r.get("input_message_content") or {}
            message_text(content.get("message_text"), content.get("parse_mode"))
            check_keyboard(r.get("reply_markup"), inline=self.inline)
        return True


@asynccontextmanager
async def polling(application: Any, *, hooks: bool = True) -> AsyncIterator[Any]:
    """Run an Application as `run_polling` would (its start-up and shut-down hooks too, unless
    `hooks` is False), polling this fake, and stop it cleanly afterwards."""
    async with application:
        assert application.updater is not None
        if hooks:
            assert application.post_init is not None
            await application.post_init(application)      # what run_polling does after initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            if hooks:
                assert application.post_shutdown is not None
                await application.post_shutdown(application)


async def stderr_until(proc: asyncio.subprocess.Process, seen: list[str], marker: str, timeout: float = 60) -> str:
    """Read a bot subprocess's log until a line holds `marker`: waiting on what the bot says, not on a
    clock (`timeout` only ends a test whose bot never says it). Lines read are kept in `seen`."""
    assert proc.stderr is not None

    async def read() -> str:
        while True:
            line = (await proc.stderr.readline()).decode()       # type: ignore[union-attr]
            if not line:
                raise AssertionError(f"the bot exited before logging {marker!r}:\n{''.join(seen)}")
            seen.append(line)
            if marker in line:
                return line
    return await asyncio.wait_for(read(), timeout)
