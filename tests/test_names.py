"""Place names typed a keystroke off, in both scripts, are the one place they are closest to."""

from __future__ import annotations

import pytest

from bot.core.answer import Brain, answer


@pytest.mark.parametrize(("question", "city"), [
    ("ขอนแกนเข้าร่วมปีไหน", "Khon Kaen"),            # tone mark dropped
    ("สุโขทับเป็นสมาชิกไหม", "Sukhothai"),            # one letter changed
    ("ฉะเชิงเทาเข้าร่วมเมื่อไหร่", "Chachoengsao"),    # one letter dropped
    ("ขอนแก่นว์เข้าร่วมปีไหน", "Khon Kaen"),          # an extra "ว์"
    ("เชียงราบเป็นสมาชิกไหม", "Chiang Rai"),
    ("ยาลาเข้าร่วมปีไหน", "Yala"),                    # long vowel for short
    ("สุโขไทยเป็นเมืองแห่งการเรียนรู้ไหม", "Sukhothai"),  # the "ai" sound spelt another way
    ("ภูเก็ดเป็นสมาชิกไหม", "Phuket"),
    ("สตูนเป็นสมาชิกไหม", "Satun"),
    ("is bankok a member", "Bangkok"),
    ("when did hadyai join", "Hat Yai"),
    ("when did Chang Mai join", "Chiang Mai"),
    ("is Satoon a member", "Satun"),                 # an informal romanisation
    ("Kohn Kaen joined when", "Khon Kaen"),          # two letters swapped
    ("when did Chiang Rei join", "Chiang Rai"),
    ("is Hat Yay a member", "Hat Yai"),
    ("is Chachoengsoa a member", "Chachoengsao"),
    ("is Yalla a learning city", "Yala"),
])
def test_a_name_a_keystroke_off_is_that_name(brain: Brain, question: str, city: str) -> None:
    query = brain.index.reader.read(question)
    assert [p.name.en for p in query.places] == [city]
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", "city-status"), reply.text


@pytest.mark.parametrize("question", [
    "is Samun a member",          # one letter from Samui and from Satun
    "นครพฐมเป็นสมาชิกไหม",        # one letter from นครพนม and from นครปฐม
])
def test_a_name_equally_close_to_two_places_is_neither(brain: Brain, question: str) -> None:
    assert brain.index.reader.read(question).places == ()


@pytest.mark.parametrize("question", [
    "what UN sustainable development goals does this help",
    "is Chiang Mai a creative city",
    "พรุ่งนี้ฝนจะตกที่เชียงใหม่ไหม",
    "เมืองจากเอเชียแปซิฟิกปี 2567 มีกี่เมือง",
    "is that a member",
])
def test_words_next_to_a_name_are_not_a_misspelt_name(brain: Brain, question: str) -> None:
    found = brain.index.reader.read(question)
    assert all(p.name.en in question or p.name.th in question for p in found.places), found.places


@pytest.mark.parametrize(("question", "entry", "must"), [
    ("yala khao ruam pee arai", "city-status", "2567"),
    ("thai mee muang rian roo gee muang", "city-count", "13"),
    ("chiang mai khao ruam muarai", "city-status", "2563"),
    ("khon kaen khao ruam pee nai", "city-status", "2567"),
    ("muang nai khao ruam pee 2567 bang", "cities-by-year", "ยะลา"),
    ("prathet thai mee gee muang", "city-count", "13"),
    ("gnlc kue arai", "what-is-gnlc", ""),
    # "mai" after "muang" is new (ใหม่), not the question particle
    ("unesco rab muang mai duean thanwa 2568 gee muang", "intake-2025", "72"),
    # ...borrowing English words for some of its own
    ("Bangkok pen muang haeng karn rian ru UNESCO pee nai", "city-status", "2567"),
    ("UNESCO Learning City Award hai tuk gee pee", "learning-city-award", "2"),
])
def test_a_question_typed_in_romanised_thai_is_read_as_thai(brain: Brain, question: str, entry: str, must: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry, reply.lang) == ("answer", entry, "th"), reply.text
    assert must in reply.text


@pytest.mark.parametrize(("question", "entry"), [
    ("sawasdee krub", "greeting"),
    ("sawadee ka", "greeting"),
    ("khob khun krub", "thanks"),
    ("mai pen rai", "thanks"),
])
def test_small_talk_in_romanised_thai(brain: Brain, question: str, entry: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry, reply.lang) == ("smalltalk", entry, "th"), reply.text


@pytest.mark.parametrize("question", [
    "is yala a member", "ok", "thx", "wen did yla joind", "when did Chiang Mai join",
    "bkk join when", "hi there", "wich citys in thailand joined 2024", "chiang mai city join year",
])
def test_english_is_not_read_as_romanised_thai(brain: Brain, question: str) -> None:
    assert brain.index.reader.read(question).lang == "en"


@pytest.mark.parametrize(("question", "must"), [
    ("สุโขทัย join ปีไหนครับ", "2565"),
    ("ตอนนี้ไทยมี member กี่ city", "13"),
    ("Hat Yai เป็น learning city หรือเปล่า", "2565"),
])
def test_english_words_in_a_thai_question_are_read_as_the_thai_ones(brain: Brain, question: str, must: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.lang) == ("answer", "th"), reply.text
    assert must in reply.body, reply.body


def test_an_english_question_with_a_thai_name_stays_english(brain: Brain) -> None:
    reply = answer("when did สุโขทัย join?", brain)
    assert (reply.kind, reply.lang) == ("answer", "en") and "2022" in reply.body, reply.text


def test_royin_spellings_built_in_a_child_process_are_the_ones_built_here() -> None:
    from bot.core.romanised import _in_child, royin_keys
    words = ["เข้าร่วม", "เมือง", "ปี", "สมาชิก", "ประกาศ"]
    assert _in_child(words) == royin_keys(words) != {}
