"""The brain, as tables of question -> what the reply must be."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from pythainlp.util import thai_to_eng

from bot.core.answer import Brain, answer, answer_entry
from bot.core.match import rank
from bot.knowledge import KnowledgeBase

DATA = Path(__file__).parent / "data"


def _fill(phrasing: str, kb: KnowledgeBase, lang: str) -> str:
    city = kb.cities[3]
    return phrasing.replace("{city}", f" {city.short.get(lang)} ").replace("{year}", f" {city.joined} ")


def test_every_entry_finds_itself_from_each_of_its_phrasings(brain: Brain) -> None:
    misses = []
    for entry in brain.kb.entries:
        for lang in ("th", "en"):
            for phrasing in entry.questions[lang]:
                ranked = rank(brain.index.reader.read(_fill(phrasing, brain.kb, lang)), brain.index, limit=1)
                if not ranked or ranked[0].entry.id != entry.id:
                    misses.append((entry.id, phrasing, ranked[0].entry.id if ranked else None))
    assert not misses


@pytest.mark.parametrize(("question", "entry", "lang", "must"), [
    ("When did Phuket join?", "city-status", "en", ["2020"]),
    ("is chachoengsao a learning city", "city-status", "en", ["2020"]),
    ("แปดริ้วเป็นเมืองแห่งการเรียนรู้หรือเปล่า", "city-status", "th", ["2563"]),
    ("กทม.เข้าร่วมปีไหน", "city-status", "th", ["2567"]),
    ("Is BKK a member?", "city-status", "en", ["2024"]),
    ("Hatyai joined when", "city-status", "en", ["2022"]),
    ("สตูลเป็นสมาชิกไหม", "city-status", "th", ["2568"]),
    ("Is Korat a member?", "city-status", "en", ["not a member", "Nakhon Ratchasima"]),
    ("โคราชเป็นเมืองแห่งการเรียนรู้ไหม", "city-status", "th", ["ยังไม่ได้เป็นสมาชิก"]),
    ("Is Songkhla a learning city?", "city-status", "en", ["not a member", "Hat Yai"]),
    ("which thai cities joined in 2025", "cities-by-year", "en", ["Tak", "Rayong", "Satun"]),
    ("ปี 63 มีเมืองไหนบ้าง", "cities-by-year", "th", ["เชียงใหม่", "ภูเก็ต", "ฉะเชิงเทรา"]),
    ("ปี พ.ศ. ๒๕๖๒ เมืองไหนของไทยเข้าร่วม", "cities-by-year", "th", ["เชียงราย"]),
    ("list all Thai learning cities", "city-list", "en", ["Chiang Rai", "Satun", "2019"]),
    ("how many learning cities does thailand have", "city-count", "en", ["13", "10"]),
])
def test_city_answers(brain: Brain, question: str, entry: str, lang: str, must: list[str]) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry, reply.lang) == ("answer", entry, lang), reply.text
    for text in must:
        assert text.casefold() in reply.text.casefold()


@pytest.mark.parametrize(("question", "must"), [
    ("How many countries did the 2024 newcomers come from?", ["35"]),
    ("who runs the GNLC", ["Institute for Lifelong Learning"]),
    ("what is a learning city", ["lifelong"]),
    ("Is the Learning City Award given every year?", ["two years"]),
    ("How big is the network now?", ["425"]),
    ("Which Asia-Pacific cities joined in 2024?", ["Legazpi"]),
    ("Is Bangkok a creative city?", ["Creative"]),
    ("Where was the 2024 learning cities conference?", ["Jubail"]),
    ("กี่ประเทศเข้าร่วมปี 2567", ["35"]),
    ("SDG ข้อไหนเกี่ยวข้อง", ["4", "11"]),
    # a title before a name weighs as a stopword; the name says who is meant
    ("นางสาวนฤมลแถลงข่าวเรื่องอะไรคะ", ["ตาก", "ระยอง", "สตูล"]),
    ("ท่านเพิ่มพูน ชิดชอบ แถลงข่าวเรื่องอะไร", ["เพิ่มพูน", "2567"]),
    ("GNLC ดำเนินงานโดยหน่วยงานไหน", ["UIL"]),
    ("how large was the network after the 2025 intake?", ["425", "91"]),
    ("how many capital cities joined in december 2025?", ["11 are capital"]),
    # the formal register: "ควร" (should) and "สนใจ" (interested) say no more than "should" does
    ("เทศบาลที่สนใจควรติดตามข่าวการสมัครจากหน่วยงานใด", ["bic.moe.go.th"]),
])
def test_faq_answers(brain: Brain, question: str, must: list[str]) -> None:
    reply = answer(question, brain)
    assert reply.kind == "answer", reply.text
    assert reply.sources, "every answer names its sources"
    for text in must:
        assert text.casefold() in reply.text.casefold(), reply.text


def test_sources_line_is_in_the_text(brain: Brain) -> None:
    reply = answer("When did Yala join?", brain)
    assert reply.sources and all(s.url in reply.text for s in reply.sources)
    assert reply.text.startswith(reply.body)


def test_keyboard_layout_slip_is_undone(brain: Brain) -> None:
    reply = answer(thai_to_eng("ภูเก็ตเข้าร่วมปีไหน"), brain)
    assert (reply.kind, reply.lang, reply.entry) == ("answer", "th", "city-status")
    assert "2563" in reply.text


def test_thai_digits_and_short_buddhist_years(brain: Brain) -> None:
    assert "หาดใหญ่" in answer("ปี ๒๕๖๕ มีเมืองไหนบ้าง", brain).text
    assert "ยะลา" in answer("ปี 67 เมืองไหนได้บ้าง", brain).text


def test_a_year_with_no_thai_intake_is_not_answered_confidently(brain: Brain) -> None:
    reply = answer("Which Thai cities joined in 2018?", brain)
    assert reply.kind == "fallback"
    assert "2019" in reply.text   # it says which years it does know


@pytest.mark.parametrize("question", ["hi", "hello there", "สวัสดีครับ", "thank you", "ขอบคุณค่ะ", "what can you do?"])
def test_smalltalk(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert reply.kind == "smalltalk" and not reply.sources


def test_out_of_scope_questions_never_get_a_confident_answer(brain: Brain) -> None:
    questions = yaml.safe_load((DATA / "out_of_scope.yaml").read_text(encoding="utf-8"))
    confident = [(q, r.entry, r.score) for q in questions if (r := answer(q, brain)).kind == "answer"]
    assert not confident


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "🙂🎉🙏", "\x00\x01\x02", "?!?!", "a" * 4096, "ก" * 5000])
def test_strange_input_gets_a_sensible_reply(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert reply.kind in ("smalltalk", "fallback")
    assert 0 < len(reply.text) <= 4096


def test_answer_entry_for_a_chosen_suggestion(brain: Brain) -> None:
    reply = answer_entry("city-status", "เชียงรายล่ะ", brain)
    assert reply is not None and "2562" in reply.text
    assert answer_entry("city-status", "", brain) is None          # needs a city it no longer has
    assert answer_entry("no-such-entry", "hi", brain) is None
    listing = answer_entry("city-list", "", brain, lang="th")
    assert listing is not None and listing.lang == "th"


@pytest.mark.parametrize(("plain", "other_words"), [
    ("When did Yala join?", "When was Yala admitted?"),
    ("which thai cities joined in 2020", "which thai towns got in in 2020"),
    ("How can my city apply?", "How can my city register?"),
    ("ประโยชน์ของการเข้าร่วมเครือข่ายคืออะไร", "ข้อดีของการเป็นสมาชิกเครือข่ายคืออะไร"),
    # "UNESCO" inside "learning city" adds nothing, nor does a tag question's "right?"
    ("When did Phuket join?", "when did phuket become a UNESCO learning city"),
    ("is Sukhothai a learning city", "Sukhothai is a unesco learning city, right?"),
    ("who announced the news in february 2024", "who revealed the news in february 2024"),
    ("ใครประกาศข่าวเดือนธันวาคม 2568", "ผู้แถลงข่าวเดือนธันวาคม 2568 คือใคร"),
    ("ยะลาเป็นเมืองแห่งการเรียนรู้ของยูเนสโกตั้งแต่ปีไหน", "ยะลาเป็น UNESCO learning city ตั้งแต่ปีไหน"),
    # making news public, or putting it out, is announcing it
    ("who announced the news about Khon Kaen?", "who made it public that Khon Kaen joined?"),
    # a past host names the conferences; ซิตี้ is a city
    ("การประชุม ICLC จัดที่ไหนบ้าง", "ประชุม ICLC ที่เม็กซิโกซิตี้ จัดปีอะไร"),
    ("where were the learning cities conferences held", "the Jubail conference on learning cities - what were the dates?"),
    # types are kinds; a minister's full name is the minister
    ("what kinds of members does Thailand have", "what types of members does thailand have"),
    ("นฤมลประกาศเรื่องเมืองไหนบ้าง", "ดร.นฤมล ภิญโญสินวัฒน์ ประกาศเรื่องเมืองไหนบ้าง"),
    # a cohort is an intake; the asker's confusion says nothing of what is asked
    ("how many Asia-Pacific cities joined in 2024?", "How many Asia-Pacific cities were in the 2024 GNLC cohort?"),
    ("Is Chiang Mai a creative city or a learning city?",
     "Is Chiang Mai a creative city or a learning city? I keep mixing them up"),
    # how the answer should be put says nothing of what is asked
    ("What is the GNLC?", "What is the GNLC, in a couple of sentences?"),
    # the award named in English right after its Thai word
    ("รางวัลเมืองแห่งการเรียนรู้ให้ทุกกี่ปี", "รางวัล Learning City Award มอบให้ทุกกี่ปี"),
    # chat particles typed without their tone marks
    ("สตูลเป็นสมาชิกหรือเปล่า", "สตูลเปนสมาชิกหรือเปลา"),
    ("จะสมัครรอบต่อไปต้องติดต่อหน่วยงานไหน", "จะสมัครรอบถัดไปต้องติดต่อหน่วยงานไหน"),
    ("พะเยาเป็นสมาชิกหรือยัง", "ขอโทษนะคะ ไม่แน่ใจว่าพะเยาเป็นสมาชิกหรือยัง"),
    ("is yala in the network?", "is yala in the unesco network?"),
    ("Which organisation runs the network?", "what org runs the network?"),
    ("which thai cities were selected in 2022", "which thai cities did unesco pick in 2022"),
])
def test_synonyms_reach_the_same_entry(brain: Brain, plain: str, other_words: str) -> None:
    first, second = answer(plain, brain), answer(other_words, brain)
    assert first.kind == "answer" and (second.kind, second.entry) == ("answer", first.entry)


@pytest.mark.parametrize(("question", "answered"), [
    ("How big was the network in 2017?", False),
    ("how many cities worldwide were added in 2022?", False),
    ("how big was the network after the 2020 intake?", True),
])
def test_an_answer_that_never_speaks_of_the_year_asked_is_not_given(brain: Brain, question: str, answered: bool) -> None:
    reply = answer(question, brain)
    assert (reply.kind == "answer") is answered, reply.text


def test_an_entry_about_named_cities_does_not_answer_for_another_city(brain: Brain) -> None:
    reply = answer("Is Satun a UNESCO learning city?", brain)
    assert (reply.kind, reply.entry) == ("answer", "city-status") and "2025" in reply.text
    ranked = [m.entry.id for m in rank(brain.index.reader.read("Is Satun a UNESCO creative city?"), brain.index)]
    assert "creative-cities" not in ranked          # its phrasings name Bangkok, Chiang Mai, Sukhothai only
    assert answer("Is Chiang Mai a UNESCO creative city?", brain).entry == "creative-cities"


def test_a_phrasing_leaning_on_a_keyword_the_question_lacks_scores_lower(brain: Brain) -> None:
    def score(question: str, entry: str) -> float:
        return next(m.score for m in rank(brain.index.reader.read(question), brain.index, limit=10) if m.entry.id == entry)
    assert score("how many cities joined in 2024", "cities-by-year") < score("how many thai cities joined in 2024", "cities-by-year")
    reply = answer("How many cities joined in 2024?", brain)
    assert reply.kind == "answer" and "64" in reply.text


def test_maitaikhu_typed_as_mai_tho_still_names_the_city(brain: Brain) -> None:
    reply = answer("ภูเก้ตเข้าร่วมเมื่อไหร", brain)
    assert reply.kind == "answer" and "2563" in reply.text


def test_a_rival_that_ignores_the_year_asked_about_does_not_block_the_answer(brain: Brain) -> None:
    from bot.core.match import Match, runner_up
    by_year, listing, faq = (brain.kb.entry(i) for i in ("cities-by-year", "city-list", "intake-2024"))
    assert by_year is not None and listing is not None and faq is not None
    assert runner_up([Match(by_year, 0.8, ""), Match(listing, 0.78, "", fits=False), Match(faq, 0.5, "")]) == 0.5
    assert runner_up([Match(listing, 0.8, "", fits=False), Match(by_year, 0.78, "")]) == 0.78
    assert runner_up([Match(by_year, 0.8, "")]) == 0.0
    query = brain.index.reader.read("Thai cities in the network in 2022: which ones?")
    fits = {m.entry.id: m.fits for m in rank(query, brain.index, limit=10)}
    assert fits["cities-by-year"] and not fits.get("city-list", False)


@pytest.mark.parametrize(("question", "kinds"), [
    ("How many cities joined in 2024?", {"count"}),
    ("which year did Yala join", {"when"}),
    ("เชียงใหม่เข้าร่วมตั้งแต่ปีไหนคะ", {"when"}),
    ("เมืองแห่งการเรียนรู้ของไทยมีที่ไหนบ้าง", {"which"}),
    ("ไทยมีสมาชิกกี่แห่ง", {"count"}),
    ("Is Yala a member?", set()),
])
def test_the_kind_of_answer_asked_for(brain: Brain, question: str, kinds: set[str]) -> None:
    assert set(brain.index.reader.read(question).asks) == kinds


def test_a_count_question_is_not_answered_with_a_list(brain: Brain) -> None:
    def order(question: str) -> list[str]:
        ids = [m.entry.id for m in rank(brain.index.reader.read(question), brain.index, limit=10)]
        return [i for i in ids if i in ("city-count", "city-list")]
    assert order("เมืองแห่งการเรียนรู้ในไทยมีกี่แห่ง") == ["city-count", "city-list"]
    assert order("เมืองแห่งการเรียนรู้ในไทยมีที่ไหนบ้าง") == ["city-list", "city-count"]
    assert answer("How many Thai learning cities are there?", brain).entry == "city-count"


def test_a_thai_keyword_inside_a_compound_counts(brain: Brain) -> None:
    reply = answer("เป็นเมืองแห่งการเรียนรู้แล้วได้ประโยชน์อะไรบ้าง", brain)
    assert (reply.kind, reply.entry) == ("answer", "benefits")


def test_a_keyboard_slip_in_part_of_a_mixed_message_is_undone(brain: Brain) -> None:
    from pythainlp.util import eng_to_thai
    reply = answer(f"{eng_to_thai('hat yai')} learning city?", brain)      # "้ฟะ ัฟร learning city?"
    assert reply.kind == "answer" and "2022" in reply.text
    assert answer("GNLC คืออะไร", brain).entry == "what-is-gnlc"              # real mixed text stays as it is
    assert answer("Is ขอนแก่น a member?", brain).entry == "city-status"


def test_a_question_about_now_is_not_answered_with_a_past_intake(brain: Brain) -> None:
    now = answer("How many countries are in the network now?", brain)
    assert now.entry == "network-size" and "91" in now.text
    then = answer("How many countries were the 2024 new members from?", brain)
    assert then.entry == "intake-2024" and "35" in then.text


def test_short_buddhist_years_after_a_thai_month() -> None:
    from bot.core.entities import year_from_token
    assert [year_from_token("67", p) for p in ("พ", "ธันวาคม", "ค", "เมือง")] == [2024, 2024, 2024, None]


def test_an_entry_never_asked_for_a_count_reads_a_count_question_weaker(brain: Brain,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.core import match
    query = brain.index.reader.read("how many creative cities does UNESCO have")
    with_rule = next(m.score for m in rank(query, brain.index) if m.entry.id == "creative-cities")
    monkeypatch.setattr(match, "ENTRY_ASKS_OTHER", 0.0)
    without = next(m.score for m in rank(query, brain.index) if m.entry.id == "creative-cities")
    assert with_rule < without
    assert answer("Is Chiang Mai a UNESCO creative city?", brain).entry == "creative-cities"


@pytest.mark.parametrize(("question", "entry"), [("wat is gnlc", "what-is-gnlc"), ("wen did hat yai join", "city-status"),
                                                 ("ปี2567มีเมืองไหนบ้าง", "cities-by-year")])
def test_short_typos_and_unspaced_years(brain: Brain, question: str, entry: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", entry)


def test_a_close_rival_whose_facts_the_answer_already_gives_does_not_hold_it_back(brain: Brain) -> None:
    from bot.core.answer import covers_rival, reply_for
    query = brain.index.reader.read("How many cities joined the GNLC in 2024?")
    matches = rank(query, brain.index, limit=4)
    assert {matches[0].entry.id, matches[1].entry.id} == {"intake-2024", "cities-by-year"}
    top = reply_for(matches[0].entry, query, brain, score=matches[0].score)
    assert covers_rival(top, matches, query, brain)
    reply = answer("How many cities joined the GNLC in 2024?", brain)
    assert reply.kind == "answer" and "64" in reply.text
    # Different facts: the Asia-Pacific list is not in the answer about Thai members.
    query = brain.index.reader.read("which thai cities are members")
    listing = rank(query, brain.index, limit=4)
    assert not covers_rival(reply_for(listing[0].entry, query, brain, score=1.0),
                            [listing[0], replace(listing[0], entry=brain.kb.entry("asia-pacific-2024"))], query, brain)


@pytest.mark.parametrize("question", ["Is Yala province a member?", "จังหวัดยะลาเป็นสมาชิกไหม", "เมืองยะลาเข้าร่วมปีไหน"])
def test_the_kind_of_place_is_part_of_its_name(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", "city-status") and ("2024" in reply.text or "2567" in reply.text)


def test_a_place_inside_an_organisations_name_is_not_the_city(brain: Brain) -> None:
    query = brain.index.reader.read("When does Khon Kaen University open applications?")
    assert not query.places
    assert answer("When does Khon Kaen University open applications?", brain).kind == "fallback"
    assert brain.index.reader.read("When did Khon Kaen join?").places


@pytest.mark.parametrize(("question", "kind", "entry"), [
    # "มีประโยชน์" is "useful" in a thanks and "of benefit" in a question: the question word decides
    ("เครือข่ายนี้มีประโยชน์อะไรบ้างคะ", "answer", "benefits"),
    ("มีประโยชน์มากเลยครับ ขอบคุณ", "smalltalk", "thanks"),
])
def test_useful_in_thanks_and_of_benefit_in_a_question(brain: Brain, question: str, kind: str, entry: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == (kind, entry), reply.text


def test_a_latin_word_two_letters_from_a_known_one_is_another_word_not_a_slip(brain: Brain) -> None:
    """"position" (stem "posit") is two letters from "point": read as a slip, it answered the
    benefits of joining ("what is the point of joining") to "what is his position?"."""
    from bot.core.match import correct
    query = brain.index.reader.read("what is his position?")
    assert ("point", 0.8) not in correct(query.tokens, brain.index)
    assert answer("what is his position?", brain).entry != "benefits"


@pytest.mark.parametrize(("plain", "framed"), [
    ("When did Phuket join?", "On a different note, when did Phuket join?"),
    ("which thai cities joined in 2020", "another question: which thai cities joined in 2020"),
    ("how many countries are in the network", "By the way, how many countries are in the network"),
    ("ภูเก็ตเข้าร่วมปีไหน", "เปลี่ยนเรื่องนะครับ ภูเก็ตเข้าร่วมปีไหน"),
    ("ไทยมีสมาชิกกี่แห่ง", "ขอถามอีกประเด็นหนึ่งค่ะ ไทยมีสมาชิกกี่แห่ง"),
    ("เครือข่ายนี้มีประโยชน์อะไรบ้าง", "อีกเรื่องหนึ่งนะ เครือข่ายนี้มีประโยชน์อะไรบ้าง"),
    # ...and so does what the asker is doing it for
    ("When did Phuket join?", "For my report: when did Phuket join?"),
    ("ภูเก็ตเข้าร่วมปีไหน", "กำลังทำรายงานอยู่ค่ะ ภูเก็ตเข้าร่วมปีไหน"),
    # ...and "by UNESCO", which every answer here is about ("by" is not a bound on a date)
    ("is hat yai recognised as a learning city", "is hat yai recognised by UNESCO as a learning city"),
    # ...and a word about the asker's curiosity or English
    ("which thai city was the first to join?", "Just curious, which thai city was the first to join?"),
    ("When did Yala join?", "Sorry for my bad english, when did Yala join?"),
    ("กทม.เป็นเมืองแห่งการเรียนรู้ด้วยเหรอ", "แอบสงสัยว่ากทม.เป็นเมืองแห่งการเรียนรู้ด้วยเหรอ"),
])
def test_an_aside_that_frames_a_question_is_read_as_nothing(brain: Brain, plain: str, framed: str) -> None:
    """A change of topic or a formal opening says nothing of what is asked: its words ("อีก" is
    "more", "another" is "else") are neither unknown words nor cues, so the question reads as without it."""
    alone, with_aside = brain.index.reader.read(plain), brain.index.reader.read(framed)
    # (a change of topic is itself a cue: the message follows up nothing)
    assert with_aside.cues - {"switch"} == alone.cues and with_aside.asks == alone.asks
    first, second = answer(plain, brain), answer(framed, brain)
    assert first.kind == "answer" and (second.kind, second.entry, second.lang) == ("answer", first.entry, first.lang)
    assert second.body == first.body


@pytest.mark.parametrize("question", ["ผู้ใดเป็นผู้ประกาศข่าวดังกล่าว", "who announced the aforementioned news?"])
def test_aforementioned_points_back(brain: Brain, question: str) -> None:
    assert "refer" in brain.index.reader.read(question).cues


def test_a_stopword_is_not_read_as_a_typo_of_another_word(brain: Brain) -> None:
    """"เรียน" of the formal "ขอเรียนสอบถาม" is a stopword no phrasing uses: read as a slip for
    "เรียก" it weighed like a content word the question does not have."""
    from bot.core.match import correct
    tokens = brain.index.reader.read("ขอเรียนสอบถามว่าภูเก็ตเข้าร่วมปีไหน").tokens
    assert "เรียน" in tokens
    assert [t for t, _ in correct(tokens, brain.index)] == list(tokens)


def test_a_capital_is_a_topic_only_the_intake_that_counts_capitals_speaks_of(brain: Brain) -> None:
    """"capital" is a word of the 2025 intake's answer (eleven capital cities), not a reason to
    answer a question about a country's capital with the Thai members."""
    assert answer("what is the capital of Thailand?", brain).kind == "fallback"
    assert answer("เมืองหลวงของไทยคือที่ไหน", brain).kind == "fallback"
    assert answer("how many of the cities added in 2025 are capitals?", brain).entry == "intake-2025"


@pytest.mark.parametrize("question", ["what is sdg 5?", "SDG ข้อ 5 คืออะไร"])
def test_a_number_the_answer_never_states_is_not_answered_confidently(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert reply.kind == "fallback", reply.text


def test_whether_a_place_counts_as_a_learning_city_asks_whether_it_is_one(brain: Brain) -> None:
    reply = answer("does phuket count as a unesco learning city?", brain)
    assert reply.entry == "city-status" and "2020" in reply.body, reply.text
    assert answer("what counts as a learning city", brain).entry == "what-is-learning-city"


@pytest.mark.parametrize("question", ["i heard yala joined, when?", "ได้ยินมาว่ายะลาเข้าร่วมแล้ว ปีไหนครับ"])
def test_where_the_asker_heard_something_is_an_aside(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert reply.kind == "answer" and ("2024" in reply.body or "2567" in reply.body), reply.text


@pytest.mark.parametrize(("message", "words"), [
    ("การรับรองรอบเดือนธันวาคม 2568", ("รอบ", "เดือน")),
    ("ตากเข้าเดือนไหน", ("เดือน", "ไหน")),
])
def test_a_dictionary_word_the_questions_never_mean_is_read_as_its_two_words(brain: Brain, message: str,
                                                                             words: tuple[str, ...]) -> None:
    """PyThaiNLP reads "รอบเดือน" (a menstrual cycle) where a question means the December round."""
    tokens = brain.index.reader.read(message).tokens
    assert all(w in tokens for w in words), tokens


@pytest.mark.parametrize(("question", "must"), [
    ("รบกวนสอบถามค่ะ เทศบาลเมืองตากได้เข้าร่วมเครือข่ายเมืองแห่งการเรียนรู้ของยูเนสโกในรอบใดคะ", "2568"),
    ("เรียนสอบถามครับ เทศบาลนครภูเก็ตเข้าร่วมเครือข่ายฯ ตั้งแต่ พ.ศ. ใดครับ ขอบพระคุณครับ", "2563"),
    ("ขอความอนุเคราะห์แจ้งรายชื่อเมืองที่ได้รับการรับรองล่าสุดด้วยครับ", "สตูล"),
    ("รบกวนสอบถามค่ะ การรับรองรอบเดือนธันวาคม 2568 มีเมืองของไทยแห่งใดบ้างคะ", "ระยอง"),
])
def test_the_formal_registers_requests_are_read_as_the_question_they_ask(brain: Brain, question: str, must: str) -> None:
    reply = answer(question, brain)
    assert reply.kind == "answer" and must in reply.body, reply.text


@pytest.mark.parametrize(("question", "must"), [
    ("Quick fact check: the December 2025 intake added 72 cities, yes?", "46"),
    ("Fact check please: Thailand had ten GNLC members as of February 2024?", "10"),
    ("I need to verify: did Narumon Pinyo Sinwattana announce Thailand's new learning cities on 9 December 2025?",
     "Minister"),
    ("ยะลาเข้าร่วมปี 2567 จริงไหม", "2567"),
])
def test_a_claim_to_check_is_answered_with_the_fact(brain: Brain, question: str, must: str) -> None:
    """The numbers a claim states are what it checks, not words that pick an entry; "fact check:" frames it."""
    reply = answer(question, brain)
    assert reply.kind == "answer" and must in reply.body, reply.text


def test_a_month_as_said_in_chat_dates_a_short_year(brain: Brain) -> None:
    assert brain.index.reader.read("รอบธันวา 68").years == (2025,)
    assert brain.index.reader.read("กุมภา 67").years == (2024,)


def test_in_all_asks_for_the_total(brain: Brain) -> None:
    reply = answer("ขอสอบถามอีกประเด็นค่ะ ปัจจุบันเครือข่ายนี้มีสมาชิกทั่วโลกรวมกี่เมืองคะ", brain)
    assert reply.entry == "network-size", reply.text


@pytest.mark.parametrize(("question", "entry"), [
    ("เรียนสอบถามค่ะ หากเทศบาลของดิฉันสนใจสมัครในรอบถัดไป ควรติดตามข่าวสารจากที่ใดคะ", "how-to-apply"),
    ("Which 2024 Asia-Pacific newcomers were from Viet Nam?", "asia-pacific-2024"),
])
def test_formal_and_written_words_for_news_place_and_newcomers(brain: Brain, question: str, entry: str) -> None:
    assert answer(question, brain).entry == entry


@pytest.mark.parametrize(("question", "entry"), [
    ("What is a learning city, in simple words?", "what-is-learning-city"),
    ("ครูจะสอนเรื่องนี้ค่ะ เมืองแห่งการเรียนรู้ของยูเนสโกคืออะไร อธิบายง่ายๆ หน่อย", "what-is-learning-city"),
    ("Preparing a lesson for my students: which SDGs does the learning cities network support?", "sdgs"),
    ("what do member cities actually get out of joining?", "benefits"),
])
def test_how_the_answer_should_be_put_and_whom_it_is_for_are_asides(brain: Brain, question: str, entry: str) -> None:
    assert answer(question, brain).entry == entry


@pytest.mark.parametrize(("question", "entry"), [
    ("What did the 2020 intake look like worldwide?", "intake-2020"),
    ("What kinds of local government are GNLC members in Thailand?", "city-list"),
    ("นอกจากไทย ประเทศไหนในเอเชียแปซิฟิกได้เมืองใหม่ในรอบ 2567 บ้าง", "asia-pacific-2024"),
    ("เทศบาลตำบลบ้านเราอยากสมัครเป็นเมืองแห่งการเรียนรู้ ต้องดูข่าวที่ไหน", "how-to-apply"),
    ("กทม. ได้เป็นเมืองสร้างสรรค์ของยูเนสโกด้วยใช่มั้ย อันนั้นเครือข่ายเดียวกับเมืองแห่งการเรียนรู้รึเปล่า", "creative-cities"),
])
def test_words_said_in_passing_weigh_no_answer(brain: Brain, question: str, entry: str) -> None:
    assert answer(question, brain).entry == entry


def test_several_members_named_at_once_each_get_their_year(brain: Brain) -> None:
    """"ได้เข้ากัน" is "joined" (ได้เข้า + กัน), not "got along"."""
    reply = answer("ยะลา สตูล หาดใหญ่ ทางใต้ได้เข้ากันคนละปีรึเปล่า", brain)
    assert reply.kind == "answer" and all(y in reply.body for y in ("2565", "2567", "2568")), reply.text


@pytest.mark.parametrize(("question", "entry"), [
    ("รางวัล UNESCO Learning City Award มีการมอบบ่อยเพียงใดครับ", "learning-city-award"),
    ("ช่วยลิสต์ learning cities ของไทยทั้งหมดให้หน่อยค่ะ", "city-list"),
    ("Which minister gave the news about the 2024 Thai members?", "who-announced"),
])
def test_ways_of_asking_how_often_for_a_list_and_who_gave_the_news(brain: Brain, question: str, entry: str) -> None:
    assert answer(question, brain).entry == entry


@pytest.mark.parametrize(("question", "must"), [
    ("เมืองแรกสุดคือที่ไหน", "เชียงราย"),
    ("ยะลา member ยัง", "2567"),
    ("อ้าว งั้นเชียงรายเป็นเมืองแรกของไทยป่ะ", "ใช่"),
])
def test_chat_thai_particles_and_interjections_weigh_no_answer(brain: Brain, question: str, must: str) -> None:
    reply = answer(question, brain)
    assert reply.kind == "answer" and must in reply.body, reply.text


def test_thanks_after_a_question_are_no_part_of_it(brain: Brain) -> None:
    with_thanks = brain.index.reader.read("when did yala join? thanks")
    assert with_thanks.tokens == brain.index.reader.read("when did yala join?").tokens
    # ...while thanks alone are small talk
    assert answer("ขอบพระคุณครับ", brain).entry == "thanks"
    assert answer("ok thanks", brain).entry == "thanks"


def test_since_when_bounds_no_year(brain: Brain) -> None:
    """"since when" asks when: never "No, it joined in 2024" as if it asked whether it joined after something."""
    query = brain.index.reader.read("is khon kaen a learning city? since when?")
    assert "after" not in query.cues and "when" in query.asks
    reply = answer("is khon kaen a learning city? since when?", brain)
    assert reply.entry == "city-status" and not reply.body.startswith("No"), reply.text


def test_a_count_in_the_question_is_no_such_number(brain: Brain) -> None:
    assert answer("ใครประกาศข่าว 3 เมืองใหม่ตอน ธ.ค. 2568", brain).entry == "who-announced-2025"


@pytest.mark.parametrize(("typed", "meant"), [
    ("is tak a province or municipalty", "is tak a province or municipality"),
    ("is rayong a provnce or a municipality", "is rayong a province or a municipality"),
    ("which thai city was the earlest to join", "which thai city was the earliest to join"),
    # two letters swapped, in a long word of the knowledge base or a short question word
    ("when did chiang rai join the unesco learnign cities thing", "when did chiang rai join the unesco learning cities thing"),
    ("wehn did yala join", "when did yala join"),
    ("whcih cities joined in 2024", "which cities joined in 2024"),
    ("how mnay thai cities", "how many thai cities"),
])
def test_a_typo_of_a_cue_or_synonym_word_is_read_as_that_word(brain: Brain, typed: str, meant: str) -> None:
    """Cues and synonyms are read as typed, before the matcher forgives typos of its phrasings'
    words: a misspelt "municipality" was neither the kind cue nor "city", and the question fell back."""
    slip, right = brain.index.reader.read(typed), brain.index.reader.read(meant)
    assert (slip.tokens, slip.cues) == (right.tokens, right.cues)
    reply = answer(typed, brain)
    assert reply.kind == "answer" and reply.body == answer(meant, brain).body


def test_a_word_unknown_to_the_bot_that_is_near_no_single_matcher_word_stays_as_typed(brain: Brain) -> None:
    # "quantity" is one keystroke from no cue or synonym; a short word ("provnc") is never guessed at
    assert "quantiti" in brain.index.reader.read("what quantity of cities").tokens
    assert brain.index.reader._unslip_word("provnc") == "provnc"
    # a short word is another only through a swap of two of the matcher's own letters, never a name's
    assert brain.index.reader._unslip_word("sign") == "sign"


@pytest.mark.parametrize(("question", "entry"), [
    # "ได้รับประโยชน์" (to receive a benefit) is "ประโยชน์"
    ("เมืองสมาชิกได้รับประโยชน์อะไรบ้าง", "benefits"),
    # an event "held" somewhere: the conferences' keyword
    ("where was the 2017 conference held", "conferences"),
    # "ฝั่ง" (side) says no more than "ทาง" does
    ("ฝั่งไทยใครเป็นคนแถลงข่าวรอบ ธ.ค. 68", "who-announced-2025"),
    # "mainly" / "เป็นสำคัญ", "เป็นหลัก" weigh no answer
    ("เครือข่ายสนับสนุน SDG ข้อไหนเป็นหลัก", "sdgs"),
    ("which SDGs does the network mainly support", "sdgs"),
])
def test_formal_and_plain_words_for_a_known_meaning(brain: Brain, question: str, entry: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", entry), reply.text


@pytest.mark.parametrize(("question", "entry"), [
    ("how many joined worldwide in the latest round", "intake-2025"),
    ("ใครประกาศข่าวรอบล่าสุด", "who-announced-2025"),
    ("how many cities joined worldwide in the earliest round?", "intake-2020"),
])
def test_the_first_or_latest_round_is_that_end_of_the_series(brain: Brain, question: str, entry: str) -> None:
    reply = answer(question, brain)
    assert reply.kind == "answer" and reply.entry == entry, reply.text


def test_countries_joining_for_the_first_time_are_no_end_of_the_series(brain: Brain) -> None:
    """"for the first time" is no earliest round: after the 2020 intake it is that intake's count."""
    context = answer("how many cities joined in the 2020 intake worldwide?", brain).context
    assert answer("how many countries joined for the first time in that round?", brain, context).entry == "intake-2020"


def test_a_sure_answer_far_ahead_of_an_honest_dont_know_is_given(brain: Brain) -> None:
    """"where should we watch for the next call?" says "next", the next conference's don't-know
    keyword, but it is how to apply, which fits it far better."""
    reply = answer("Our council wants to apply. Where should we watch for the next call for applications?", brain)
    assert reply.kind == "answer" and reply.entry == "how-to-apply", reply.text
    # ...while the next conference itself is still the honest don't-know.
    assert answer("where is the next conference?", brain).entry == "next-conference"
