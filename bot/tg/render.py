"""Reply -> Telegram HTML and keyboards: the only place that knows HTML.

Every piece of knowledge-base text is escaped, sources become links, and a text that would pass
Telegram's 4,096-character limit is split at paragraph boundaries so nothing is cut mid-tag.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.reply import Reply, Suggestion
from bot.knowledge import KnowledgeBase, Lang

MAX_MESSAGE = 4096
#: Callback data prefixes; Telegram allows 64 bytes in all, so ids stay short.
SUGGEST, RELATED, NONE, EXAMPLE, FEEDBACK = "s", "r", "n", "x", "f"


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def sources_line(reply: Reply) -> str:
    if not reply.sources:
        return ""
    links = " · ".join(f'<a href="{html.escape(s.url, quote=True)}">{escape(s.title)}</a>' for s in reply.sources)
    return f"<b>{escape(reply.sources_label)}:</b> {links}"


def to_html(reply: Reply) -> list[str]:
    """The reply as one or more HTML messages, each within Telegram's limit."""
    if reply.kind == "fallback" and reply.suggestions:
        # The buttons carry the suggestions; the text keeps only the first paragraphs.
        body = reply.body.split("\n\n• ")[0]
    else:
        body = reply.body
    tail = sources_line(reply)
    return split_html([escape(p) for p in body.split("\n\n")] + ([tail] if tail else []))


def split_html(paragraphs: Sequence[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Pack escaped paragraphs into messages; a single over-long paragraph is cut at a line or space."""
    messages: list[str] = []
    current = ""
    for para in paragraphs:
        while len(para) > limit:
            cut = para.rfind("\n", 0, limit)
            if cut < limit // 2:
                cut = para.rfind(" ", 0, limit)
            if cut < limit // 2:
                cut = limit
            while "&" in para[max(0, cut - 8):cut] and ";" not in para[para.rfind("&", 0, cut):cut]:
                cut = para.rfind("&", 0, cut)  # never split an entity such as &amp;
            if current:
                messages.append(current)
                current = ""
            messages.append(para[:cut].rstrip())
            para = para[cut:].lstrip()
        joined = f"{current}\n\n{para}" if current else para
        if len(joined) > limit:
            messages.append(current)
            current = para
        else:
            current = joined
    if current:
        messages.append(current)
    return [m for m in messages if m.strip()] or [" "]


def suggestion_keyboard(suggestions: Sequence[Suggestion], entry_ref: dict[str, str], kb: KnowledgeBase,
                        lang: Lang) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(s.title[:64], callback_data=f"{SUGGEST}:{entry_ref[s.entry]}")] for s in suggestions]
    rows.append([InlineKeyboardButton(kb.string("none_of_these", lang), callback_data=NONE)])
    return InlineKeyboardMarkup(rows)


def answer_keyboard(follow_ups: Sequence[Suggestion], entry_ref: dict[str, str], *,
                    feedback_for: str | None) -> InlineKeyboardMarkup | None:
    """Related questions, one per row, and under them 👍/👎 for the entry that answered (private chats)."""
    rows = [[InlineKeyboardButton(f"→ {s.title}"[:64], callback_data=f"{RELATED}:{entry_ref[s.entry]}")]
            for s in follow_ups if s.entry in entry_ref]
    if feedback_for is not None and feedback_for in entry_ref:
        ref = entry_ref[feedback_for]
        rows.append([InlineKeyboardButton("👍", callback_data=f"{FEEDBACK}:+:{ref}"),
                     InlineKeyboardButton("👎", callback_data=f"{FEEDBACK}:-:{ref}")])
    return InlineKeyboardMarkup(rows) if rows else None


def examples_keyboard(examples: Sequence[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(e[:64], callback_data=f"{EXAMPLE}:{i}")] for i, e in enumerate(examples)])
