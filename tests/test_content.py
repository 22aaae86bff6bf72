"""The knowledge base's own words: the house style of its Thai and English texts (see the style note
in the README), and the dated facts that have more than one right answer depending on the date."""

from __future__ import annotations

import re

import pytest

from bot.core.answer import Brain, answer
from bot.knowledge import KnowledgeBase

# Words a Thai editor struck out: another register (ค่ะ/คะ), the bot naming itself, calques.
# (คะ only as a particle, at the end of a clause: "คะแนน" is a word.)
NOT_IN_THAI = tuple(map(re.compile, ("ค่ะ", r"คะ(?=\s|$)", "บอตนี้", "ของบอต", "ลาก่อน", "ไม่ใช่ทั้งหมด")))
# Strings that are labels (buttons, headings, command menus, month names), not messages.
LABELS = {"sources_label", "see_also", "and", "months", "inline_examples", "help"}
CE_IN_BRACKETS = re.compile(r"\(ค\.ศ\. [^)]*\)")
CE_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
BE_YEAR = re.compile(r"(?<!\d)25\d\d(?!\d)")


def _answers(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    return {e.id: e.answer.get(lang) for e in kb.entries if e.answer is not None}


def _messages(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    return {key: text.get(lang) for key, text in kb.strings.items() if not key.startswith("cmd_") and key not in LABELS}


def test_thai_keeps_one_polite_register(kb: KnowledgeBase) -> None:
    texts = {**_answers(kb, "th"), **_messages(kb, "th")}
    struck = {key: word.pattern for key, text in texts.items() for word in NOT_IN_THAI if word.search(text)}
    assert not struck
    assert not [key for key, text in _answers(kb, "th").items() if "ครับ" not in text]


def test_thai_gives_buddhist_era_years_with_the_common_era_only_in_brackets(kb: KnowledgeBase) -> None:
    texts = {**_answers(kb, "th"), **_messages(kb, "th")}
    texts.update({f"title:{e.id}": e.title.th for e in kb.entries})
    assert not {key: text for key, text in texts.items() if CE_YEAR.search(CE_IN_BRACKETS.sub("", text))}


def test_english_gives_common_era_years(kb: KnowledgeBase) -> None:
    texts = {**_answers(kb, "en"), **_messages(kb, "en")}
    assert not {key: text for key, text in texts.items() if BE_YEAR.search(text)}


def test_every_now_is_dated_and_sources_are_not_called_official(kb: KnowledgeBase) -> None:
    """425 is UNESCO's total after 4 December 2025: wherever it is said, so is its date."""
    for lang, date in (("en", "4 December 2025"), ("th", "4 ธันวาคม 2568")):
        texts = {**_answers(kb, lang), **_messages(kb, lang)}
        assert not [key for key, text in texts.items() if "425" in text and date not in text]
    assert not [key for key, text in {**_answers(kb, "en"), **_messages(kb, "en")}.items() if "official sources" in text]


@pytest.mark.parametrize(("question", "entry", "must"), [
    # Who announced it: with no date, the February 2024 news, and the minister *at the time*.
    ("who announced it in thailand?", "who-announced", ["Permpoon", "at the time"]),
    ("ใครเป็นคนประกาศข่าวนี้", "who-announced", ["เพิ่มพูน", "ขณะนั้น"]),
    # With 2025 or "latest", the December 2025 intake's announcer and date.
    ("who announced the 2025 intake?", "who-announced-2025", ["Narumon", "9 December 2025"]),
    ("ใครประกาศรอบล่าสุด", "who-announced-2025", ["นฤมล", "9 ธันวาคม 2568"]),
    ("ปี 68 ใครเป็นคนแถลงข่าว", "who-announced-2025", ["นฤมล"]),
    ("where was the last learning cities conference?", "conferences", ["Jubail", "2024"]),
    # The award: biennial as UIL says, its editions, and "no Thai city" dated.
    ("has a thai city ever won the learning city award?", "award-thailand", ["as of the 2024 awards", "biennial"]),
    ("เมืองไทยเคยได้รางวัลเมืองแห่งการเรียนรู้ไหม", "award-thailand", ["2567", "2 ปี"]),
    ("how often is the learning city award given?", "learning-city-award", ["2015, 2017, 2019, 2021 and 2024"]),
    # The 2020 intake, worldwide.
    ("how many cities joined the gnlc in 2020?", "intake-2020", ["55", "27", "230", "64"]),
    ("ปี 2563 ยูเนสโกรับสมาชิกใหม่กี่เมือง", "intake-2020", ["55", "27"]),
    # The network's size, dated.
    ("how big is the gnlc now?", "network-size", ["425", "91", "as of 4 December 2025"]),
    ("how big was the network in 2020?", "network-size", ["230", "64"]),
    # The December 2025 intake's capitals and first-time countries.
    ("how many countries joined for the first time in the 2025 intake?", "intake-2025", ["12 countries", "11 are capital"]),
    ("ปี 2568 มีประเทศที่เข้าร่วมเป็นครั้งแรกกี่ประเทศ", "intake-2025", ["12 ประเทศ", "เมืองหลวง 11"]),
])
def test_dated_facts(brain: Brain, question: str, entry: str, must: list[str]) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", entry), reply.text
    assert [m for m in must if m not in reply.text] == []


def test_answers_open_with_what_was_asked(brain: Brain) -> None:
    assert answer("has a thai city won the learning city award?", brain).body.startswith("Not yet")
    assert answer("where will the next ICLC be held?", brain).body.startswith("The next host")
    assert answer("ใครเป็นคนประกาศข่าวนี้", brain).body.startswith("พลตำรวจเอก เพิ่มพูน")


@pytest.mark.parametrize("question", [
    "where is the next learning cities conference?", "where was the last ICLC, and where is the next?",
    "ประชุมเมืองแห่งการเรียนรู้ครั้งหน้าจัดที่ไหน", "ประชุม ICLC ครั้งต่อไปจัดประเทศอะไร",
])
def test_either_conference_answer_says_plainly_that_the_next_host_is_not_in_the_sources(brain: Brain, question: str) -> None:
    """"next" and "last" differ by one word, so whichever conference answer wins must say it."""
    reply = answer(question, brain)
    assert reply.entry in ("next-conference", "conferences"), reply.text
    assert "not in my sources" in reply.text or "ยังไม่ระบุ" in reply.text


def test_the_creative_cities_answer_cites_that_network_and_names_the_cities_in_both(brain: Brain) -> None:
    for question, names in (("is chiang mai a creative city?", ["Bangkok", "Chiang Mai", "Sukhothai", "2020", "2022", "2024"]),
                            ("เชียงใหม่เป็นเมืองสร้างสรรค์ไหม", ["กรุงเทพมหานคร", "เชียงใหม่", "สุโขทัย", "2563", "2565", "2567"])):
        reply = answer(question, brain)
        assert reply.entry == "creative-cities"
        assert any("creative-cities" in s.url for s in reply.sources)
        assert [n for n in names if n not in reply.body] == []


@pytest.mark.parametrize(("question", "must"), [
    ("where is the next learning cities conference?", ["not in my sources", "Jubail"]),
    ("when will the next application round open?", ["not in my sources", "bic.moe.go.th"]),
    ("รอบหน้าจะเปิดรับสมัครเมื่อไหร่ครับ", ["ยังไม่ระบุ", "bic.moe.go.th"]),
    ("Where will the next International Conference on Learning Cities be held?", ["not in my sources", "Jubail"]),
    ("ประชุมครั้งหน้าจัดที่ไหน", ["ยังไม่ระบุ", "จูเบล"]),
])
def test_what_the_sources_do_not_say_is_a_dont_know_that_says_what_is_known(brain: Brain, question: str, must: list[str]) -> None:
    """The sources name neither the next host nor the next application round: the reply is a
    don't-know (never a confident answer) that says so first, then what is known, with its source."""
    reply = answer(question, brain)
    assert reply.kind == "fallback" and reply.entry in ("next-conference", "next-intake"), reply.text
    assert [m for m in must if m not in reply.text] == [] and reply.sources
    assert reply.text.index(must[0]) < reply.text.index(must[1])
