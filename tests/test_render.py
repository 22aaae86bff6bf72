"""What Telegram receives, for a table of questions in both languages: the exact HTML and buttons.

Every row goes through the real Application to the fake Bot API, which parses the HTML as Telegram
does; the assertions read the calls it recorded. `pytest tests/test_render.py -s` prints the HTML
of each row. Rules checked on every row: the answer comes first (the sources line last, never
before it), the sources line is one line of links of at most 90 visible characters, "did you mean"
asks a question with no apology in front, and its choices name the question's cities and years.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from bot.core.answer import Brain, answer
from bot.knowledge import KnowledgeBase
from bot.tg import render
from fake_bot_api import parse_html
import test_telegram
from test_telegram import Running, buttons

# test_telegram's fixtures, bound here so pytest finds them (an import of them would be an unused
# name that every test's argument then redefines).
api = test_telegram.api
bot = test_telegram.bot

pytestmark = pytest.mark.asyncio

ANSWERS = [
    ("When did Yala join?", "en"),
    ("ยะลาเข้าร่วมเมื่อไหร่", "th"),
    ("Which Thai cities joined in 2022?", "en"),
    ("ปี 2565 เมืองไหนของไทยเข้าร่วม", "th"),
    ("Is Korat a member?", "en"),
    ("โคราชเป็นสมาชิกไหม", "th"),
    ("How often is the Learning City Award given?", "en"),
    ("What sources do you use?", "en"),
]
#: Middle-band candidates (the first that lands in the middle band is used, as the matcher improves
#: some get answered outright): the choices must name the cities and years each one names.
MIDDLE = [
    (("khon kaen yala member city learning unesco global", "khon kaen unesco city", "yala unesco learning",
      "khon kaen news learning"), "en"),
    (("ขอนแก่น ยะลา", "ขอนแก่น เครือข่าย ข่าว", "ขอนแก่น ยูเนสโก ปี", "ยะลา ปี"), "th"),
    (("2022 cities", "cities 2020", "2019 city"), "en"),
    (("เมือง 2565", "เมือง 2563", "ปี 2562 เมือง", "ประกาศ ปี 2565", "ยูเนสโก 2563"), "th"),
]
MISSES = [("What is the weather in Paris?", "en"), ("อากาศวันนี้เป็นอย่างไร", "th")]
APOLOGY = ("sorry", "ขออภัย", "ขอโทษ")


def visible(markup: str) -> str:
    return parse_html(markup)


def show(question: str, sent: Any) -> None:
    print(f"\n--- {question}\n{sent.params['text']}\n    buttons: {[b['text'] for b in buttons(sent)]}")


@pytest.mark.parametrize(("question", "lang"), ANSWERS)
async def test_answers_open_with_the_answer_and_end_with_one_short_line_of_source_links(
        bot: Running, brain: Brain, kb: KnowledgeBase, question: str, lang: str) -> None:
    [sent] = await bot.ask(bot.api.private_text(question, language_code=lang))
    show(question, sent)
    reply = answer(question, brain)
    assert reply.kind == "answer" and reply.sources
    text = sent.params["text"]
    paragraphs = text.split("\n\n")
    # The answer first, exactly as the core wrote it (escaped), its opening sentence in bold when
    # more follows; the sources line last.
    opening = render.first_sentence(reply.body)
    assert paragraphs[0].replace("<b>", "").replace("</b>", "") == html.escape(reply.body.split("\n\n")[0], quote=False)
    bold = re.findall(r"<b>(.*?)</b>", text, re.S)
    assert bold == ([html.escape(opening, quote=False)] if opening.strip() != reply.body.strip() else [])
    assert text.startswith("<b>") == bool(bold)
    line = paragraphs[-1]
    assert line.startswith("📎 ") and "\n" not in line
    assert len(visible(line)) <= render.MAX_SOURCES_LINE
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', line)
    assert [url for url, _ in links] == [s.url for s in reply.sources][: len(links)]
    by_url = {s.url: s for s in kb.sources.values()}
    for url, label in links:
        source = by_url[html.unescape(url)]
        assert html.unescape(label).startswith(source.short(reply.lang))
        note = source.lang is not None and source.lang != reply.lang
        assert html.unescape(label).endswith(kb.string(f"page_in_{source.lang}", reply.lang)) == note
    # Full titles are for /sources and the plain-text doors: the reply's text keeps them.
    assert all(s.title in reply.text and s.url in reply.text for s in reply.sources)
    assert not any(s.title in visible(text) for s in reply.sources if s.label)


def middle_band(candidates: tuple[str, ...], brain: Brain) -> str:
    for question in candidates:
        reply = answer(question, brain)
        if reply.kind == "fallback" and reply.suggestions:
            return question
    pytest.fail(f"none of {candidates} is in the middle band any more; add a candidate that is")


@pytest.mark.parametrize(("candidates", "lang"), MIDDLE)
async def test_did_you_mean_asks_without_apologising_and_its_choices_name_what_was_asked(
        bot: Running, brain: Brain, kb: KnowledgeBase, candidates: tuple[str, ...], lang: str) -> None:
    question = middle_band(candidates, brain)
    [sent] = await bot.ask(bot.api.private_text(question, language_code=lang))
    show(question, sent)
    assert sent.params["text"] == html.escape(kb.string("did_you_mean", lang), quote=False)
    choices = [b["text"] for b in buttons(sent)]
    assert choices[-1] == kb.string("none_of_these", lang)
    read = brain.index.reader.read(question)
    cities = {c.id: c for c in kb.cities}
    names = [cities[p.city_id].short.get(lang) for p in read.places if p.city_id in cities]
    names += [str(y + 543 if lang == "th" else y) for y in read.years]
    assert names, "a candidate names a city or a year"
    assert any(all(n in c for n in names) for c in choices[:-1]), choices
    assert not any("{" in c for c in choices)


@pytest.mark.parametrize(("question", "lang"), MISSES)
async def test_a_real_miss_apologises_shows_examples_and_points_to_contact(
        bot: Running, kb: KnowledgeBase, question: str, lang: str) -> None:
    [sent] = await bot.ask(bot.api.private_text(question, language_code=lang))
    show(question, sent)
    text = visible(sent.params["text"])
    assert text.startswith(kb.string("dont_know", lang))
    assert "/contact" in text and kb.examples[lang][0] in text
    assert not buttons(sent)


async def test_a_non_member_gets_a_button_for_the_whole_list(bot: Running, kb: KnowledgeBase) -> None:
    [sent] = await bot.ask(bot.api.private_text("Is Korat a member?"))
    labels = [b["text"] for b in buttons(sent)]
    assert f"→ All {len(kb.cities)} Thai members" in labels
    button = next(b for b in buttons(sent) if b["text"].startswith("→ All"))
    message = bot.api.bot_messages[sent.params["chat_id"]][-1]
    [listing] = await bot.ask(bot.api.callback_query(message, button["callback_data"]))
    assert all(c.short.en in listing.params["text"] for c in kb.cities)


async def test_answers_carry_a_share_button_only_when_inline_mode_is_on(bot: Running) -> None:
    [sent] = await bot.ask(bot.api.private_text("When did Yala join?"))
    [share] = [b for b in buttons(sent) if "switch_inline_query_chosen_chat" in b]
    assert share["switch_inline_query_chosen_chat"]["query"] == "When did Yala join?"
    bot.api.inline = False
    bot.app.bot._bot_user = None                       # as after a restart: getMe is asked again
    await bot.app.bot.get_me()
    [plain] = await bot.ask(bot.api.private_text("When did Yala join?"))
    assert not [b for b in buttons(plain) if "switch_inline_query_chosen_chat" in b]
    assert {"👍", "👎"} <= {b["text"] for b in buttons(plain)}
