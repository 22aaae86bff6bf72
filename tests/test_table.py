"""Questions composed over the city table, checked against the table's own facts (cities.yaml).

Each row names what the question asks; the expected names and years are worked out from the
knowledge base here, so the test says what must be true of any correct reply, not one wording.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.core.answer import Brain, answer
from bot.knowledge import City, KnowledgeBase

Facts = Callable[[KnowledgeBase, str], list[str]]


def _city(kb: KnowledgeBase, city_id: str) -> City:
    return next(c for c in kb.cities if c.id == city_id)


def _year(year: int, lang: str) -> str:
    return str(year + 543 if lang == "th" else year)


def _names(cities: list[City], lang: str) -> list[str]:
    return [c.short.get(lang) for c in cities]  # type: ignore[arg-type]


def first_members(kb: KnowledgeBase, lang: str) -> list[str]:
    first = min(c.joined for c in kb.cities)
    return _names([c for c in kb.cities if c.joined == first], lang) + [_year(first, lang)]


def latest_members(kb: KnowledgeBase, lang: str) -> list[str]:
    last = max(c.joined for c in kb.cities)
    return _names([c for c in kb.cities if c.joined == last], lang)


def years_of(*ids: str) -> Facts:
    return lambda kb, lang: [w for i in ids for w in (_city(kb, i).short.get(lang), _year(_city(kb, i).joined, lang))]  # type: ignore[arg-type]


def earlier_of(a: str, b: str) -> Facts:
    """The earlier of two cities is named before the later one."""
    def facts(kb: KnowledgeBase, lang: str) -> list[str]:
        x, y = sorted((_city(kb, a), _city(kb, b)), key=lambda c: c.joined)
        return [x.short.get(lang), y.short.get(lang), _year(x.joined, lang)]  # type: ignore[list-item]
    return facts


def provinces(kb: KnowledgeBase, lang: str) -> list[str]:
    return _names([c for c in kb.cities if c.kind == "province"], lang)


def kind_of(city_id: str) -> Facts:
    return lambda kb, lang: [kb.table.kinds[_city(kb, city_id).kind].get(lang), _city(kb, city_id).name.get(lang)]  # type: ignore[arg-type,return-value]


def members_until(year: int, *, before: bool = False) -> Facts:
    def facts(kb: KnowledgeBase, lang: str) -> list[str]:
        chosen = [c for c in kb.cities if (c.joined < year if before else c.joined <= year)]
        return [str(len(chosen)), *_names(chosen, lang)]
    return facts


def members_before_latest(kb: KnowledgeBase, lang: str) -> list[str]:
    return members_until(max(c.joined for c in kb.cities), before=True)(kb, lang)


def all_in_order(kb: KnowledgeBase, lang: str) -> list[str]:
    return [str(len(kb.cities)), *_names(sorted(kb.cities, key=lambda c: c.joined), lang)]


def members_between(start: int, end: int) -> Facts:
    def facts(kb: KnowledgeBase, lang: str) -> list[str]:
        chosen = [c for c in kb.cities if start <= c.joined <= end]
        return [str(len(chosen)), *_names(chosen, lang)]
    return facts


@pytest.mark.parametrize(("question", "lang", "facts"), [
    ("Did Phuket join before Yala?", "en", earlier_of("phuket", "yala")),
    ("เชียงใหม่กับหาดใหญ่ ที่ไหนเข้าก่อน", "th", earlier_of("chiang-mai", "hat-yai")),
    ("which joined first, Hat Yai or Chiang Rai?", "en", earlier_of("hat-yai", "chiang-rai")),
    ("the first Thai member?", "en", first_members),
    ("เมืองแรกของไทยในเครือข่ายคือที่ไหน", "th", first_members),
    ("which Thai city joined most recently?", "en", latest_members),
    ("ล่าสุดมีเมืองไหนเข้ามา", "th", latest_members),
    ("which Thai cities came in with the latest intake?", "en", latest_members),
    ("When did Sukhothai, Phayao and Tak join?", "en", years_of("sukhothai", "phayao", "tak")),
    ("ขอนแก่น ยะลา สตูล เข้าร่วมปีไหน", "th", years_of("khon-kaen", "yala", "satun")),
    ("Is Rayong a member as a whole province or a town?", "en", kind_of("rayong")),
    ("Tak is a province or a municipality member?", "en", kind_of("tak")),
    ("สุโขทัยเป็นสมาชิกในนามจังหวัดหรือเทศบาล", "th", kind_of("sukhothai")),
    ("which members are whole provinces?", "en", provinces),
    ("สมาชิกที่เป็นระดับจังหวัดมีที่ไหนบ้าง", "th", provinces),
    ("how many Thai members were there at the end of 2022?", "en", members_until(2022)),
    ("Thai members before 2024", "en", members_until(2024, before=True)),
    ("ตอนประกาศปี 67 ไทยมีสมาชิกกี่แห่ง", "th", members_until(2024)),
    ("ภูเก็ตเข้าร่วมปีเดียวกับเมืองไหนบ้าง", "th", years_of("phuket", "chiang-mai", "chachoengsao")),
    ("Which Thai members joined between 2020 and 2024?", "en", members_between(2020, 2024)),
    ("ระหว่างปี 2563 ถึง 2565 มีเมืองไหนของไทยเข้าร่วมบ้าง", "th", members_between(2020, 2022)),
    ("chiang mai n phuket same year?", "en", years_of("chiang-mai", "phuket")),
    ("how many Thai members were there before the newest intake?", "en", members_before_latest),
    ("ก่อนรอบล่าสุดไทยมีสมาชิกกี่แห่ง", "th", members_before_latest),
    ("list the Thai members in chronological order", "en", all_in_order),
    ("earliest Thai UNESCO learning city?", "en", first_members),
    # after an intake's news: the members as of it, not those who joined later
    ("how many Thai members were there after the 2022 intake?", "en", members_until(2022)),
    ("หลังประกาศผลปี 2567 ไทยมีสมาชิกกี่แห่ง", "th", members_until(2024)),
    ("ช่วยบอกหน่อยว่าเมืองแรกของไทยคือที่ไหน", "th", first_members),
    ("ขอรายชื่อสมาชิกของไทยเรียงตามปีที่เข้าร่วม", "th", all_in_order),
])
def test_composed_city_questions(brain: Brain, question: str, lang: str, facts: Facts) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.lang) == ("answer", lang), reply.text
    for fact in facts(brain.kb, lang):
        assert fact in reply.body, (fact, reply.body)
    assert reply.sources, "every composed answer names its sources"


def test_the_earlier_city_is_named_first(brain: Brain) -> None:
    body = answer("which joined first, Hat Yai or Chiang Rai?", brain).body
    assert body.index("Chiang Rai") < body.index("Hat Yai")


@pytest.mark.parametrize(("question", "yes"), [
    ("Did Phuket join before Yala?", True),
    ("Did Yala join before Phuket?", False),
    ("did Yala join before 2023?", False),
    ("พะเยา สุโขทัย หาดใหญ่ เข้าพร้อมกันรึเปล่า", True),
    ("เชียงรายเป็นเมืองแรกของไทยใช่ไหม", True),
])
def test_yes_no_questions_open_with_the_verdict(brain: Brain, question: str, yes: bool) -> None:
    reply = answer(question, brain)
    opener = brain.kb.table.templates["answer_yes" if yes else "answer_no"].get(reply.lang)
    assert reply.kind == "answer" and reply.body.startswith(opener), reply.body


def test_a_non_member_among_members_is_said_to_be_one(brain: Brain) -> None:
    reply = answer("is Chonburi or Rayong a member?", brain)
    assert reply.kind == "answer"
    assert "Rayong" in reply.body and "not a member" in reply.body


@pytest.mark.parametrize("question", [
    "when was the first conference?",           # the FAQ's, not the table's
    "what is a learning city?",
    "เมืองแห่งการเรียนรู้คือเมืองแบบไหน",
    "What does a city actually get from joining the GNLC?",
])
def test_questions_the_table_does_not_explain_are_left_to_the_faq(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert reply.entry not in ("city-list", "city-count") or reply.kind != "answer", reply.body


def test_two_kinds_written_into_names_ask_which_kind_is_the_member(brain: Brain) -> None:
    reply = answer("เทศบาลนครภูเก็ตหรือจังหวัดภูเก็ตที่เป็นสมาชิกคะ", brain)
    phuket = next(c for c in brain.kb.cities if c.id == "phuket")
    assert reply.kind == "answer" and phuket.name.th in reply.body
    assert brain.kb.table.kinds[phuket.kind].th in reply.body


@pytest.mark.parametrize(("question", "city", "later"), [
    ("which Thai cities joined before Phuket?", "phuket", False),
    ("which cities joined after Khon Kaen?", "khon-kaen", True),
])
def test_members_on_either_side_of_a_city(brain: Brain, question: str, city: str, later: bool) -> None:
    pivot = _city(brain.kb, city).joined
    reply = answer(question, brain)
    side = [c for c in brain.kb.cities if (c.joined > pivot if later else c.joined < pivot)]
    assert reply.kind == "answer" and side
    for other in side:
        assert other.short.en in reply.body
    for other in brain.kb.cities:
        if other.joined == pivot and other.id != city:
            assert other.short.en not in reply.body


@pytest.mark.parametrize("question", [
    # "most" is a word of the cue phrase "most recent", which explains nothing alone
    "which year did Thailand get the most members?",
    # the news itself is the FAQ's
    "who announced the latest intake?",
])
def test_words_of_cue_phrases_alone_do_not_make_a_table_question(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert reply.entry not in ("city-status", "city-count", "city-list"), reply.text


@pytest.mark.parametrize("question", ["the first learning city ever?", "what is the oldest learning city in the world?"])
def test_superlatives_about_the_world_are_not_thailands(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    first = min(brain.kb.cities, key=lambda c: c.joined)
    assert not (reply.kind == "answer" and first.short.en in reply.body), reply.body


@pytest.mark.parametrize("question", ["yala info", "bangkok info", "ข้อมูลขอนแก่น"])
def test_a_place_with_a_bare_word_is_about_the_place_not_small_talk(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", "city-status"), reply.text


def test_a_place_and_the_member_inside_it_ask_which_body_is_the_member(brain: Brain) -> None:
    reply = answer("is Songkhla or Hat Yai the member?", brain)
    hat_yai = _city(brain.kb, "hat-yai")
    assert reply.kind == "answer" and hat_yai.name.en in reply.body and "Songkhla is not a member" in reply.body


def test_before_or_after_asks_which_not_yes_or_no(brain: Brain) -> None:
    body = answer("Did Bangkok join before or after Phuket?", brain).body
    assert not body.startswith(("Yes", "No")) and body.index("Phuket") < body.index("Bangkok")


@pytest.mark.parametrize(("question", "lang"), [("list the Thai members in chronological order", "en"),
                                                ("ขอรายชื่อสมาชิกของไทยเรียงตามปีที่เข้าร่วม", "th")])
def test_members_in_order_of_joining_are_listed_in_that_order(brain: Brain, question: str, lang: str) -> None:
    body = answer(question, brain).body
    years = [c.joined for c in sorted(brain.kb.cities, key=lambda c: body.find(c.short.get(lang)))]  # type: ignore[arg-type]
    assert years == sorted(years), body


@pytest.mark.parametrize(("question", "must"), [
    ("how many years apart did yala and chiang rai join?", "5 years"),
    ("ภูเก็ตกับตากเข้าห่างกันกี่ปี", "5 ปี"),
])
def test_how_many_years_apart_two_members_joined(brain: Brain, question: str, must: str) -> None:
    reply = answer(question, brain)
    assert reply.kind == "answer" and must in reply.body, reply.text


@pytest.mark.parametrize("question", ["จังหวัดอะไรเข้าปีเดียวกับสุโขทัย", "which provinces joined the same year as sukhothai?"])
def test_which_members_of_a_kind_joined_the_same_year_as_one(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert reply.kind == "answer" and ("Phayao" in reply.body or "พะเยา" in reply.body), reply.text


def test_the_members_that_joined_with_a_member_though_the_network_is_named(brain: Brain) -> None:
    """"เข้าเครือข่าย" is the network the member joined, not the world's: its peers are the table's."""
    reply = answer("ฉะเชิงเทราเข้าเครือข่ายพร้อมเมืองไหนบ้าง", brain)
    assert reply.kind == "answer" and "เชียงใหม่" in reply.body and "ภูเก็ต" in reply.body, reply.text


def test_who_was_the_first_city_asks_which_city_not_who_announced(brain: Brain) -> None:
    reply = answer("who was the first thai city to join?", brain)
    assert reply.kind == "answer" and "Chiang Rai" in reply.body and "Permpoon" not in reply.body, reply.text
    assert answer("who announced the latest round?", brain).entry == "who-announced-2025"
