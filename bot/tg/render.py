"""Reply -> Telegram HTML and keyboards: the only place that knows HTML.

Every piece of knowledge-base text is escaped, sources become links, and a text that would pass
Telegram's 4,096-character limit is split at paragraph boundaries so nothing is cut mid-tag.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, SwitchInlineQueryChosenChat

from bot.core.reply import Reply, Suggestion
from bot.core.compose import CITY_STATUS
from bot.knowledge import BE_OFFSET, KnowledgeBase, Lang

MAX_MESSAGE = 4096
#: The sources line of a chat reply stays this short (visible characters), whatever the labels.
MAX_SOURCES_LINE = 90
SOURCES_MARK, SEPARATOR = "📎 ", " · "
#: An answer's opening sentence is set in bold when it is at most this long (and not all there is).
MAX_BOLD_LEAD = 200
#: Telegram shows about this much of an inline result's title.
MAX_HEADLINE = 64
#: Callback data prefixes; Telegram allows 64 bytes in all, so ids stay short.
SUGGEST, RELATED, NONE, EXAMPLE, FEEDBACK, WHY = "s", "r", "n", "x", "f", "w"
#: Why a 👎, in callback data: these codes, in this order, name store.FEEDBACK_REASONS.
REASON_CODES = ("w", "n", "o")
#: Telegram cuts an inline query at 256 characters.
MAX_INLINE_QUERY = 256


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def sources_line(reply: Reply, limit: int = MAX_SOURCES_LINE) -> str:
    """The sources as links on one short line: "📎 MOE, Feb 2024 · UNESCO, 14 Feb 2024 (อังกฤษ)".

    At most `limit` visible characters: labels that would pass it are left to /sources and counted
    ("+1"); a source without a label shows its title, cut to what is left of the line.
    """
    if not reply.sources:
        return ""
    shown: list[str] = []
    used = len(SOURCES_MARK)
    for n, source in enumerate(reply.sources):
        left = len(reply.sources) - n - 1
        reserve = len(f" +{left}") if left else 0
        room = limit - used - (len(SEPARATOR) if shown else 0) - reserve
        text = source.short
        if len(text) > room:
            text = text[: room - 1].rstrip() + "…" if not shown and room > 8 else ""
        if not text:
            more = len(reply.sources) - n
            return SOURCES_MARK + SEPARATOR.join(shown) + f" +{more}"
        shown.append(f'<a href="{html.escape(source.url, quote=True)}">{escape(text)}</a>')
        used += len(text) + (len(SEPARATOR) if len(shown) > 1 else 0)
    return SOURCES_MARK + SEPARATOR.join(shown)


def _body(reply: Reply) -> str:
    """The reply's text for a chat: "did you mean" choices are buttons there, not lines of text."""
    if reply.kind == "fallback" and reply.suggestions:
        return reply.body.removesuffix("\n" + "\n".join(f"• {s.title}" for s in reply.suggestions))
    return reply.body


def to_html(reply: Reply) -> list[str]:
    """The reply as one or more HTML messages, each within Telegram's limit."""
    body = _body(reply)
    tail = sources_line(reply)
    paragraphs = [escape(p) for p in body.split("\n\n")]
    lead = first_sentence(body) if reply.kind == "answer" else ""
    if lead and len(lead) <= MAX_BOLD_LEAD and body.strip() != lead.strip():
        # The fact asked for opens the answer: in bold, with the detail after it in plain text.
        paragraphs[0] = f"<b>{escape(lead)}</b>{escape(body[len(lead):].split(chr(10) * 2, 1)[0])}"
    return split_html(paragraphs + ([tail] if tail else []))


def headline(reply: Reply, kb: KnowledgeBase | None = None, limit: int = MAX_HEADLINE) -> tuple[str, str]:
    """A short headline for the reply, and the answer to show under it (inline results).

    An answer about when one member joined is headlined from the table ("Khon Kaen: joined Feb
    2024"); any other opens with the fact asked for, so its first sentence is the headline, cut at a
    space if it is too long for a title (then the whole answer goes under it).

    >>> from bot.core.reply import Reply
    >>> headline(Reply("answer", "en", "Yala joined on 14 February 2024. It is a city municipality.", ""))
    ('Yala joined on 14 February 2024.', 'It is a city municipality.')
    """
    body = _body(reply).strip()
    joined = _joined_headline(reply, kb) if kb is not None else None
    if joined is not None:
        return joined, body
    sentence = first_sentence(body)
    if len(sentence) <= limit:
        return sentence, body[len(sentence):].strip() or body
    cut = sentence.rfind(" ", 0, limit - 1)
    return sentence[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…", body


def first_sentence(text: str) -> str:
    """The text up to its first full stop (or question or exclamation mark) or line end.

    >>> first_sentence("In 2024, 3 Thai cities joined. They were Bangkok, Khon Kaen and Yala.")
    'In 2024, 3 Thai cities joined.'
    >>> first_sentence("ปี พ.ศ. 2565 มี 3 แห่ง")
    'ปี พ.ศ. 2565 มี 3 แห่ง'
    """
    first = text.split("\n", 1)[0]
    for end in re.finditer(r"[.!?](?=\s|$)", first):
        word = first[first.rfind(" ", 0, end.start()) + 1: end.start()]
        if "." not in word:          # not the end of an abbreviation such as "พ.ศ." or "e.g."
            return first[: end.end()]
    return first


def _joined_headline(reply: Reply, kb: KnowledgeBase) -> str | None:
    """ "Khon Kaen: joined Feb 2024" for an answer about one member city, dated by its intake."""
    if reply.kind != "answer" or reply.entry != CITY_STATUS or len(reply.cities) != 1:
        return None
    city = next((c for c in kb.cities if c.id == reply.cities[0]), None)
    if city is None:
        return None
    lang = reply.lang
    year = city.joined + BE_OFFSET if lang == "th" else city.joined
    intake = next((i for i in kb.intakes if i.year == city.joined), None)
    when = f"{kb.string('months_short', lang).split(',')[intake.date.month - 1].strip()} {year}" if intake else str(year)
    return kb.string("headline_joined", lang).replace("{city}", city.short.get(lang)).replace("{when}", when)


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
                    feedback_for: str | None, share: str | None = None, share_label: str = "",
                    why_for: str | None = None, reasons: Sequence[str] = ()) -> InlineKeyboardMarkup | None:
    """Related questions, one per row; then 👍/👎 for the entry that answered (private chats), or,
    once 👎 was pressed (`why_for`), the reasons to pick from in one tap; and a share button that
    opens inline mode in a chat the user picks, with `share` (the question) typed in."""
    rows = [[InlineKeyboardButton(f"→ {s.title}"[:64], callback_data=f"{RELATED}:{entry_ref[s.entry]}")]
            for s in follow_ups if s.entry in entry_ref]
    if why_for is not None and why_for in entry_ref:
        ref = entry_ref[why_for]
        rows.append([InlineKeyboardButton(label[:64], callback_data=f"{WHY}:{code}:{ref}")
                     for code, label in zip(REASON_CODES, reasons)])
    elif feedback_for is not None and feedback_for in entry_ref:
        ref = entry_ref[feedback_for]
        rows.append([InlineKeyboardButton("👍", callback_data=f"{FEEDBACK}:+:{ref}"),
                     InlineKeyboardButton("👎", callback_data=f"{FEEDBACK}:-:{ref}")])
    if share and share_label:
        rows.append([InlineKeyboardButton(share_label, switch_inline_query_chosen_chat=SwitchInlineQueryChosenChat(
            query=share[:MAX_INLINE_QUERY], allow_user_chats=True, allow_group_chats=True))])
    return InlineKeyboardMarkup(rows) if rows else None


def examples_keyboard(examples: Sequence[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(e[:64], callback_data=f"{EXAMPLE}:{i}")] for i, e in enumerate(examples)])
