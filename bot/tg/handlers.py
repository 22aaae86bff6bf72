"""Thin async handlers: update -> question -> core.answer -> render -> reply.

Each handler decides only whether and where to answer; what to answer is the core's business and
how it looks is render's.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import sqlite3
import time
from collections import OrderedDict
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from telegram import (
    InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent, LinkPreviewOptions, Message, MessageEntity, Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot import knowledge
from bot.conversations import Conversations
from bot.core import compose
from bot.core.answer import Brain, answer, answer_entry
from bot.core.reply import Reply
from bot.core.understand import Query
from bot.recording import Journal
from bot.recording import voter_key
from bot.rehearse import checked_brain
from bot.store import FEEDBACK_REASONS, VOTE_WINDOW
from bot.knowledge import Lang
from bot.tg import picture, render

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
#: How many recent questions per chat are kept so that a "did you mean" button can answer them.
REMEMBERED_QUESTIONS = 200
INLINE_RESULTS = 3
MAX_STATS_DAYS = 3660


@dataclass
class BotState:
    """What every handler shares, reached through the typed context rather than casts."""

    brain: Brain | None = None
    username: str = ""
    generation: str = ""
    refs: dict[str, str] = field(default_factory=dict)        # entry id -> short ref
    by_ref: dict[str, str] = field(default_factory=dict)      # short ref -> entry id
    journal: Journal = field(default_factory=lambda: Journal(None, _no_brain))
    kb_dir: str | None = None
    admin_ids: frozenset[int] = frozenset()
    db_path: str | None = None
    transports: tuple[Any, ...] = ()      # the HTTP clients, closed even when start-up fails
    conversations: Conversations = field(default_factory=Conversations)   # follow-up context, in memory
    tasks: set[Any] = field(default_factory=set)   # background work (menus), cancelled at shutdown
    pictures: dict[Any, str | bytes] = field(default_factory=dict)   # /cities picture: its file_id once sent
    voter_secret: bytes = b""             # key of the voters' hashes (recording.voter_secret of the token)
    started: float = field(default_factory=time.time)     # when this run began: older answers are not in `asked`

    def set_brain(self, brain: Brain) -> None:
        ids = [e.id for e in brain.kb.entries]
        self.generation = hashlib.blake2s("\n".join(ids).encode(), digest_size=3).hexdigest()
        self.refs = {entry_id: f"{self.generation}.{n:x}" for n, entry_id in enumerate(ids)}
        self.by_ref = {ref: entry_id for entry_id, ref in self.refs.items()}
        self.brain = brain

    def current_brain(self) -> Brain:
        assert self.brain is not None, "build_application sets the brain"
        return self.brain

    def reload(self) -> str | None:
        """Load the knowledge base again; on any problem keep the old brain and return why."""
        try:
            brain = checked_brain(self.kb_dir)       # loaded, built and rehearsed (bot/rehearse.py)
        except knowledge.KnowledgeError as exc:
            log.warning("knowledge base not reloaded: %s", exc.one_line())
            return exc.one_line()
        self.set_brain(brain)
        log.info("knowledge base reloaded: %d entries, %d cities", len(brain.kb.entries), len(brain.kb.cities))
        return None


def _no_brain() -> Brain:
    raise RuntimeError("no brain yet")


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotState]
CONTEXT_TYPES = ContextTypes(bot_data=BotState)


def _brain(context: Context) -> Brain:
    brain = context.bot_data.brain
    assert brain is not None, "build_application sets the brain"
    return brain


def user_lang(update: Update) -> Lang:
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "th" if code.lower().startswith("th") else "en"


def _remember(context: Context, message: Message | None, question: str) -> None:
    if message is None or context.chat_data is None:
        return
    asked = context.chat_data.setdefault("asked", OrderedDict())
    asked[message.message_id] = question[:600]
    while len(asked) > REMEMBERED_QUESTIONS:
        asked.popitem(last=False)


def conversation_context(message: Message, context: Context) -> Query | None:
    """The reading a message may follow up: in a private chat, the chat's; in a group, the answer
    it replies to (whoever replies), else its sender's own exchange with the bot."""
    memory, chat = context.bot_data.conversations, message.chat
    if chat.type == ChatType.PRIVATE:
        return memory.get(("chat", chat.id))
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
        found = memory.get(("answer", chat.id, replied.message_id))
        if found is not None:
            return found
    sender = message.from_user
    return memory.get(("user", chat.id, sender.id)) if sender is not None else None


def _keep_context(context: Context, message: Message, sent: Message | None, reply: Reply, asker: int | None) -> None:
    memory, chat = context.bot_data.conversations, message.chat
    if chat.type == ChatType.PRIVATE:
        memory.keep(("chat", chat.id), reply.context)
        return
    if asker is not None:
        memory.keep(("user", chat.id, asker), reply.context)
    if sent is not None:
        memory.keep(("answer", chat.id, sent.message_id), reply.context)


def _record(context: Context, chat_type: str, question: str, reply: Reply) -> None:
    context.bot_data.journal.question(chat_type, question, reply)


async def send_reply(message: Message, reply: Reply, context: Context, *, question: str, quote: bool,
                     asker: int | None = None) -> None:
    """Send a Reply as HTML, with buttons, as one or more messages; keep what it leaves to follow up.

    `asker` is who asked, when `message` is the bot's own (a button under an answer was pressed).
    """
    state = context.bot_data
    kb = _brain(context).kb
    parts = render.to_html(reply)
    markup: InlineKeyboardMarkup | None
    if reply.kind == "fallback" and reply.suggestions:
        markup = render.suggestion_keyboard(reply.suggestions, state.refs, kb, reply.lang)
    elif reply.kind == "answer":
        markup = answer_markup(context, reply, question=question, private=message.chat.type == ChatType.PRIVATE)
    else:
        markup = None
    sent: Message | None = None
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        sent = await message.reply_text(
            part, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW,
            reply_markup=markup if last else None, do_quote=quote and n == 0,
        )
    _remember(context, sent, question)
    if asker is None and message.from_user is not None and message.from_user.id != context.bot.id:
        asker = message.from_user.id
    _keep_context(context, message, sent, reply, asker)


def answer_markup(context: Context, reply: Reply, *, question: str, private: bool, stage: str = "vote") -> InlineKeyboardMarkup | None:
    """The buttons under an answer: related questions, then 👍/👎 (`stage` "vote", private chats),
    the reasons for a 👎 ("why") or nothing more ("done"), and a share button.

    The share button opens inline mode with the question typed in, so it needs inline mode on
    (BotFather's /setinline): without it Telegram refuses the whole message, so it is left out.
    """
    kb = _brain(context).kb
    lang = reply.lang
    vote = reply.entry if private and stage == "vote" else None
    why = reply.entry if private and stage == "why" else None
    share = (question or "").strip() if context.bot.supports_inline_queries else ""
    reasons = [kb.string(f"reason_{r}", lang) for r in FEEDBACK_REASONS]
    return render.answer_keyboard(reply.follow_ups, context.bot_data.refs, feedback_for=vote, why_for=why, reasons=reasons,
                                  share=share or None, share_label=kb.string("share", lang))


def _chat_type(message: Message) -> str:
    return "private" if message.chat.type == ChatType.PRIVATE else "group"


async def on_private_text(update: Update, context: Context) -> None:
    """Every text message in a private chat is a question."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    reply = answer(message.text, _brain(context), conversation_context(message, context))
    _record(context, "private", message.text, reply)
    await send_reply(message, reply, context, question=message.text, quote=False)


def addressed_question(message: Message, username: str, bot_id: int) -> str | None:
    """The question in a group message addressed to the bot (mention or reply), else None; a photo's
    caption is read like a text."""
    text = message.text or message.caption or ""
    parse = message.parse_entities if message.text is not None else message.parse_caption_entities
    mentioned = False
    parts: list[tuple[int, int]] = []
    for entity, value in parse([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if (entity.type == MessageEntity.MENTION and value.lstrip("@").casefold() == username.casefold()) or (
            entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id
        ):
            mentioned = True
            parts.append((entity.offset, entity.length))
    replied = message.reply_to_message is not None and message.reply_to_message.from_user is not None \
        and message.reply_to_message.from_user.id == bot_id
    if not (mentioned or replied):
        return None
    if mentioned:
        # parse_entities works in UTF-16 code units; strip every mention of the bot from the text.
        for value in {v for e, v in parse([MessageEntity.MENTION]).items()}:
            if value.lstrip("@").casefold() == username.casefold():
                text = text.replace(value, " ")
    return " ".join(text.split())


async def on_group_text(update: Update, context: Context) -> None:
    """In groups: answer mentions and replies to the bot; with auto-answer, confident answers only."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = addressed_question(message, context.bot_data.username, context.bot.id)
    if question is None:
        if context.chat_data and context.chat_data.get("autoanswer"):
            reply = answer(message.text, _brain(context))
            if reply.kind == "answer":
                _record(context, "group", message.text, reply)
                await send_reply(message, reply, context, question=message.text, quote=True)
        return
    await _answer_in_group(message, question, context)


async def on_group_caption(update: Update, context: Context) -> None:
    """In groups: a photo or file whose caption mentions the bot (or replies to it) is a question."""
    message = update.effective_message
    if message is None or not message.caption:
        return
    question = addressed_question(message, context.bot_data.username, context.bot.id)
    if question is not None:
        await _answer_in_group(message, question, context)


async def _answer_in_group(message: Message, question: str, context: Context) -> None:
    if not question.strip():
        lang: Lang = "th" if message.from_user and (message.from_user.language_code or "").startswith("th") else "en"
        await message.reply_text(html.escape(_brain(context).kb.string("ask_usage", lang)), parse_mode=ParseMode.HTML,
                                 do_quote=True)
        return
    reply = answer(question, _brain(context), conversation_context(message, context))
    _record(context, "group", question, reply)
    await send_reply(message, reply, context, question=question, quote=True)


async def on_ask(update: Update, context: Context) -> None:
    """/ask question: the way to ask in a group (works in private chats too)."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or [])
    if message.chat.type == ChatType.PRIVATE and question:
        reply = answer(question, _brain(context), conversation_context(message, context))
        _record(context, "private", question, reply)
        await send_reply(message, reply, context, question=question, quote=False)
        return
    await _answer_in_group(message, question, context)


async def on_edited(update: Update, context: Context) -> None:
    """An edited question in a private chat is answered again; in groups edits are ignored."""
    message = update.edited_message
    if message is None or message.text is None or message.chat.type != ChatType.PRIVATE:
        return
    reply = answer(message.text, _brain(context))
    await send_reply(message, reply, context, question=message.text, quote=True)


async def on_other(update: Update, context: Context) -> None:
    """Stickers, photos and the like: a hint in private chats, silence in groups."""
    message = update.effective_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    await message.reply_text(html.escape(_brain(context).kb.string("not_text", user_lang(update))), parse_mode=ParseMode.HTML)


async def on_start(update: Update, context: Context) -> None:
    """/start: what the bot is, with example questions as buttons."""
    message = update.effective_message
    if message is None:
        return
    kb, lang = _brain(context).kb, user_lang(update)
    await message.reply_text(html.escape(kb.string("start", lang)), parse_mode=ParseMode.HTML,
                             reply_markup=render.examples_keyboard(kb.examples[lang]), link_preview_options=NO_PREVIEW)


async def on_help(update: Update, context: Context) -> None:
    """/help: how to ask and the commands of this kind of chat (the same as its command menu)."""
    message = update.effective_message
    if message is None:
        return
    key = "help" if message.chat.type == ChatType.PRIVATE else "help_group"
    text = _brain(context).kb.string(key, user_lang(update)).replace("{bot}", context.bot_data.username)
    await message.reply_text(html.escape(text), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)


async def on_contact(update: Update, context: Context) -> None:
    """/contact: the Ministry's office for what the bot cannot answer (the don't-know reply points here)."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(html.escape(_brain(context).kb.string("contact", user_lang(update))),
                             parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)


async def on_about(update: Update, context: Context) -> None:
    """/about: where the answers come from and what the bot will not do."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(html.escape(_brain(context).kb.string("about", user_lang(update))), parse_mode=ParseMode.HTML)


async def on_sources(update: Update, context: Context) -> None:
    """/sources: every source in the knowledge base, as links."""
    message = update.effective_message
    if message is None:
        return
    kb, lang = _brain(context).kb, user_lang(update)
    lines = [f"<b>{html.escape(kb.string('sources_intro', lang))}</b>"]
    lines += [f'• <a href="{html.escape(s.url, quote=True)}">{html.escape(s.title.get(lang))}</a>' for s in kb.sources.values()]
    for part in render.split_html(["\n".join(lines)]):
        await message.reply_text(part, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)


async def on_cities(update: Update, context: Context) -> None:
    """/cities: the Thai members on a timeline picture, then as the text list (for screen readers)."""
    message = update.effective_message
    if message is None:
        return
    lang = user_lang(update)
    quote = message.chat.type != ChatType.PRIVATE
    try:
        await send_cities_picture(message, context, lang, quote=quote)
    except (BadRequest, OSError) as exc:    # the picture is extra: the list below still goes out
        log.warning("/cities picture not sent: %s", exc)
    reply = answer_entry(compose.CITY_LIST, "", _brain(context), lang=lang)
    if reply is not None:
        await send_reply(message, reply, context, question="", quote=False)


async def send_cities_picture(message: Message, context: Context, lang: Lang, *, quote: bool) -> None:
    """The timeline PNG: drawn once per language and table, uploaded once, then sent by its file_id."""
    kb = _brain(context).kb
    years = picture.years_of(kb, lang)
    title = kb.string("cities_picture_title", lang).replace("{count}", str(len(kb.cities)))
    key = (lang, title, years)
    caption = html.escape(kb.string("cities_caption", lang).replace("{count}", str(len(kb.cities))))
    pictures = context.bot_data.pictures
    cached = pictures.get(key)
    if isinstance(cached, str):
        try:
            await message.reply_photo(cached, caption=caption, parse_mode=ParseMode.HTML, do_quote=quote)
            return
        except BadRequest:          # a file_id Telegram no longer knows: upload it again
            cached = None
    png = cached if isinstance(cached, bytes) else await asyncio.to_thread(picture.timeline, years, title, font=picture.font_path())
    pictures[key] = png
    sent = await message.reply_photo(png, caption=caption, parse_mode=ParseMode.HTML, do_quote=quote)
    if sent.photo:
        pictures[key] = sent.photo[-1].file_id


async def on_autoanswer(update: Update, context: Context) -> None:
    """/autoanswer on|off: group admins let the bot answer confident questions unasked."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    kb, lang = _brain(context).kb, user_lang(update)
    if message.chat.type == ChatType.PRIVATE:
        await message.reply_text(html.escape(kb.string("groups_only", lang)), parse_mode=ParseMode.HTML)
        return
    # An anonymous admin writes as the group itself (sender_chat); only admins can.
    anonymous_admin = message.sender_chat is not None and message.sender_chat.id == message.chat.id
    member = None if anonymous_admin else await context.bot.get_chat_member(message.chat.id, user.id)
    if member is not None and member.status not in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        await message.reply_text(html.escape(kb.string("admins_only", lang)), parse_mode=ParseMode.HTML, do_quote=True)
        return
    arg = (context.args or [""])[0].casefold()
    assert context.chat_data is not None
    if arg in ("on", "off"):
        context.chat_data["autoanswer"] = arg == "on"
        text = kb.string("autoanswer_on" if arg == "on" else "autoanswer_off", lang)
    else:
        text = kb.string("autoanswer_usage", lang).replace("{state}", "on" if context.chat_data.get("autoanswer") else "off")
    await message.reply_text(html.escape(text), parse_mode=ParseMode.HTML, do_quote=True)


async def on_migrate(update: Update, context: Context) -> None:
    """A group that became a supergroup changes id: its settings (/autoanswer) move with it."""
    message = update.effective_message
    if message is None:
        return
    # Telegram sends the news twice (in the old chat and in the new one); only the first finds data to
    # move, and PTB would otherwise move the old chat's (by then empty) data over the moved data.
    old = message.migrate_from_chat_id or message.chat.id
    if context.application.chat_data.get(old):
        context.application.migrate_chat_data(message=message)


async def on_callback(update: Update, context: Context) -> None:
    """Buttons: a "did you mean" choice answers in place; stale buttons say so."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    brain, state = _brain(context), context.bot_data
    lang = user_lang(update)
    kind, _, ref = query.data.partition(":")
    message = query.message if isinstance(query.message, Message) else None
    if kind == render.EXAMPLE and message is not None:
        examples = brain.kb.examples[lang]
        if ref.isascii() and ref.isdigit() and int(ref) < len(examples):      # forged data ("x:²") is stale
            await query.answer()
            await send_reply(message, answer(examples[int(ref)], brain), context, question=examples[int(ref)], quote=False,
                             asker=query.from_user.id)
            return
    elif kind == render.NONE and message is not None:
        await query.answer()
        asked = (context.chat_data or {}).get("asked", {})
        question = asked.get(message.message_id, "")
        if question:
            state.journal.question(_chat_type(message), question, None)
        await query.edit_message_text(html.escape(brain.kb.string("none_chosen", lang)), parse_mode=ParseMode.HTML)
        return
    elif kind in (render.SUGGEST, render.RELATED) and message is not None:
        entry_id = state.by_ref.get(ref)
        asked = (context.chat_data or {}).get("asked", {})
        # After a restart the question is not in memory: the choice's own label asks it ("When did Yala join?").
        question = asked.get(message.message_id) or _label(message, query.data)
        chosen = answer_entry(entry_id, question, brain, lang=lang) if entry_id else None
        if chosen is not None:
            await query.answer()
            if kind == render.SUGGEST:
                parts = render.to_html(chosen)
                markup = answer_markup(context, chosen, question=question, private=message.chat.type == ChatType.PRIVATE)
                await query.edit_message_text(parts[0], parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW,
                                              reply_markup=markup)
                _remember(context, message, question)
                _keep_context(context, message, message, chosen, query.from_user.id)
            else:
                await send_reply(message, chosen, context, question=question, quote=False, asker=query.from_user.id)
            return
    elif kind in (render.FEEDBACK, render.WHY) and message is not None:
        code, _, ref = ref.partition(":")
        entry_id = state.by_ref.get(ref)
        vote = kind == render.FEEDBACK and code in ("+", "-")
        reason = kind == render.WHY and code in render.REASON_CODES
        question = _voted_on(context, message, query.data)
        # Only an answer the bot gave here, recently: a press forged onto another message is stale.
        if entry_id is not None and (vote or reason) and question is not None and _votable(message):
            voter = voter_key(state.voter_secret, query.from_user.id, message.chat.id, message.message_id,
                              "vote" if vote else "why")
            if vote:
                state.journal.feedback(question, entry_id, 1 if code == "+" else -1, voter=voter)
            else:
                state.journal.feedback_reason(question, entry_id, FEEDBACK_REASONS[render.REASON_CODES.index(code)],
                                              voter=voter)
            await query.answer(brain.kb.string("feedback_why" if code == "-" and vote else "feedback_thanks", lang))
            # 👎 asks why in one tap; after a 👍 or a reason the vote buttons go and the rest stay.
            shown = answer_entry(entry_id, question, brain, lang=lang)
            if shown is not None:
                stage = "why" if vote and code == "-" else "done"
                await query.edit_message_reply_markup(answer_markup(context, shown, question=question, private=True, stage=stage))
            return
    await query.answer(brain.kb.string("stale_button", lang), show_alert=True)


def _label(message: Message, data: str) -> str:
    """The text of the button under `message` that carries `data` ("" if it shows none), arrow off."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup is not None else ()
    return next((b.text.removeprefix("→ ") for row in rows for b in row if b.callback_data == data), "")


def _voted_on(context: Context, message: Message, data: str) -> str | None:
    """The question a voted-on answer answered, or None when the press cannot be one on our answer.

    An answer of this run is in the chat's `asked`. One sent before a restart is not (`asked` lives
    in memory): it is taken when the button pressed is one Telegram shows under that message (a
    press forged onto another message is not), with its question unknown unless the answer quoted it.
    """
    asked = (context.chat_data or {}).get("asked", {})
    if message.message_id in asked:
        return str(asked[message.message_id])
    earlier_run = message.date.timestamp() < int(context.bot_data.started)
    if not (earlier_run and _label(message, data)):
        return None
    quoted = message.reply_to_message
    return (quoted.text or quoted.caption or "") if quoted is not None else ""


def _votable(message: Message) -> bool:
    """An answer takes votes for VOTE_WINDOW after it was sent (then its voters' hashes are cleared)."""
    return time.time() - message.date.timestamp() <= VOTE_WINDOW


async def on_inline(update: Update, context: Context) -> None:
    """Inline mode: the best answers as articles titled by a short headline, the answer as description;
    an empty query shows example questions. Results follow the user's language: `is_personal`."""
    inline = update.inline_query
    if inline is None:
        return
    brain = _brain(context)
    lang = user_lang(update)
    text = inline.query.strip()
    results = []
    if not text:
        for n, example in enumerate(brain.kb.examples[lang]):
            results.append(_article(f"x{n}", example, answer(example, brain), brain.kb))
    else:
        reply = answer(text, brain)
        _record(context, "inline", text, reply)
        if reply.kind == "answer" or reply.kind == "smalltalk":
            results.append(_article("a", "", reply, brain.kb))
        else:
            for n, s in enumerate(reply.suggestions[:INLINE_RESULTS]):
                alt = answer_entry(s.entry, text, brain)
                if alt is not None:
                    results.append(_article(f"s{n}", "", alt, brain.kb))
            if not results:
                results.append(_article("f", reply.body.split("\n")[0], reply, brain.kb))
    await inline.answer(results[:50], cache_time=60, is_personal=True)


def _article(result_id: str, title: str, reply: Reply, kb: knowledge.KnowledgeBase) -> InlineQueryResultArticle:
    """One inline result: `title` or the reply's headline on top, the rest of the answer under it."""
    head, rest = render.headline(reply, kb)
    return InlineQueryResultArticle(
        id=result_id, title=(title or head or "?")[:render.MAX_HEADLINE], description=(rest if not title else reply.body)[:200] or None,
        input_message_content=InputTextMessageContent(render.to_html(reply)[0], parse_mode=ParseMode.HTML,
                                                      link_preview_options=NO_PREVIEW),
    )


async def on_unknown_command(update: Update, context: Context) -> None:
    """Any other command in a private chat: point to /help (admin commands look the same)."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(html.escape(_brain(context).kb.string("unknown_command", user_lang(update))),
                             parse_mode=ParseMode.HTML)


async def on_stats(update: Update, context: Context) -> None:
    """/stats (admins): the report's headline figures for the last days."""
    message = update.effective_message
    if message is None:
        return
    state = context.bot_data
    arg = context.args[0] if context.args else ""
    days = min(int(arg), MAX_STATS_DAYS) if arg.isascii() and arg.isdigit() else 7
    text = await asyncio.to_thread(_stats_text, state, days, user_lang(update))
    for part in render.split_html([html.escape(text)]):
        await message.reply_text(part, parse_mode=ParseMode.HTML)


def _stats_text(state: BotState, days: int, lang: Lang) -> str:
    from bot import report, store
    kb = state.current_brain().kb
    if not state.db_path or state.journal.recorder is None:
        return kb.string("stats_off", lang)
    state.journal.flush()
    try:
        with closing(store.connect(state.db_path)) as conn:
            return report.headline(report.build(conn, days, lambda q: None))
    except sqlite3.Error as exc:
        return kb.string("stats_error", lang).replace("{problem}", str(exc))


async def on_reload(update: Update, context: Context) -> None:
    """/reload (admins): load the knowledge base again; a broken one is refused and the old one kept."""
    message = update.effective_message
    if message is None:
        return
    state = context.bot_data
    problem = await asyncio.to_thread(state.reload)
    brain = state.current_brain()
    lang = user_lang(update)
    if problem is None:
        text = brain.kb.string("reloaded", lang).replace("{entries}", str(len(brain.kb.entries))) \
            .replace("{cities}", str(len(brain.kb.cities)))
    else:
        text = brain.kb.string("reload_refused", lang).replace("{problem}", problem)
    for part in render.split_html([html.escape(text)]):
        await message.reply_text(part, parse_mode=ParseMode.HTML)


async def on_error(update: object, context: Context) -> None:
    """Log the failure without the token or the message text, and keep running."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("a user blocked the bot or left the chat: %s", error.message)
        return
    if isinstance(error, BadRequest) and "message is not modified" in error.message.casefold():
        return                  # a button pressed twice: the message already says it
    where = ""
    if isinstance(update, Update):
        chat = update.effective_chat
        where = f" in update {update.update_id} ({chat.type if chat else 'no chat'})"
    log.error("update failed%s: %s: %s", where, type(error).__name__, error)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The one place handlers are registered, in priority order."""
    from telegram.ext import CallbackQueryHandler, CommandHandler, InlineQueryHandler, MessageHandler, filters

    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("start", on_start, filters=new))
    application.add_handler(CommandHandler("help", on_help, filters=new))
    application.add_handler(CommandHandler("about", on_about, filters=new))
    application.add_handler(CommandHandler("sources", on_sources, filters=new))
    application.add_handler(CommandHandler("contact", on_contact, filters=new))
    application.add_handler(CommandHandler("cities", on_cities, filters=new))
    application.add_handler(CommandHandler("ask", on_ask, filters=new))
    application.add_handler(CommandHandler("autoanswer", on_autoanswer, filters=new))
    admins = filters.User(user_id=list(application.bot_data.admin_ids), allow_empty=False)
    # Admin commands answer in the admin's private chat only: in a group they would post private figures.
    application.add_handler(CommandHandler("stats", on_stats, filters=new & admins & private))
    application.add_handler(CommandHandler("reload", on_reload, filters=new & admins & private))
    application.add_handler(MessageHandler(private & new & filters.COMMAND, on_unknown_command))
    application.add_handler(MessageHandler(private & new & filters.TEXT & ~filters.COMMAND, on_private_text))
    application.add_handler(MessageHandler(groups & new & filters.TEXT & ~filters.COMMAND, on_group_text))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, on_edited))
    application.add_handler(MessageHandler(groups & new & filters.CAPTION, on_group_caption))
    application.add_handler(MessageHandler(new & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_other))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate), group=1)
    application.add_handler(CallbackQueryHandler(on_callback))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)
