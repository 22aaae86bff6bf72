"""Messages that ask two things at once get both answered, in the order asked."""

from __future__ import annotations

import pytest

from bot.core import parts
from bot.core.answer import Brain, answer


@pytest.mark.parametrize(("message", "first", "second"), [
    ("when did Yala join and who announced it?", "2024", "Permpoon"),
    ("what is the GNLC, and who runs it?", "lifelong learning", "UIL"),
    ("ตากกับระยองเข้าปีไหน แล้วตอนนี้ทั้งหมดมีกี่เมือง", "2568", "425"),
    ("is phuket a member? and hat yai?", "Phuket", "Hat Yai"),
])
def test_each_question_of_a_message_is_answered_in_turn(brain: Brain, message: str, first: str, second: str) -> None:
    reply = answer(message, brain)
    assert reply.kind == "answer", reply.text
    assert first in reply.body and second in reply.body, reply.body
    assert reply.body.index(first) < reply.body.rindex(second)
    assert len(reply.text) <= 4096 and len({s.url for s in reply.sources}) == len(reply.sources)


@pytest.mark.parametrize("message", [
    "Khon Kaen and Yala: when did they join?",     # one question about two cities
    "which Thai cities joined in 2024, and from how many countries were that year's new members?",
])
def test_one_question_or_one_answer_covering_both_stays_one_answer(brain: Brain, message: str) -> None:
    reply = answer(message, brain)
    assert reply.kind == "answer" and "\n\n" not in reply.body.strip(), reply.body


def test_a_part_the_bot_cannot_answer_is_not_answered_by_guessing(brain: Brain) -> None:
    reply = answer("when did yala join and what's the weather there today?", brain)
    assert "°" not in reply.body and "weather" not in reply.body.casefold()


def test_the_last_part_is_the_context_for_the_next_message(brain: Brain) -> None:
    first = answer("when did Tak join and who announced it?", brain)
    assert first.context is not None and first.context.answered is not None
    follow = answer("and the round before?", brain, first.context)
    assert follow.kind == "answer" and "Permpoon" in follow.body, follow.text


def test_thai_clauses_split_by_a_space_are_two_questions(brain: Brain) -> None:
    reply = answer("ขอนแก่นเข้าร่วมปีไหน ใครเป็นคนประกาศ", brain)
    assert "2567" in reply.body and "เพิ่มพูน" in reply.body, reply.body
    one = answer("ขอนแก่น ยะลา เข้าร่วมปีไหน", brain)     # names, then one question
    assert one.kind == "answer" and "\n\n" not in one.body.strip(), one.body


def test_a_keyboard_layout_slip_is_not_cut_at_its_punctuation(brain: Brain) -> None:
    # "ยะลาเข้าร่วมเมื่อไหร่" typed on an English layout: its ";" and "," are Thai letters.
    reply = answer("pt]kg-hkij;,g,njvwsij", brain)
    assert reply.kind == "answer" and "\n\n" not in reply.body.strip(), reply.body


@pytest.mark.parametrize(("message", "must"), [
    ("Good morning. I grew up in Chachoengsao. Is my hometown one of the learning cities?", "2020"),
    ("สวัสดีครับ ผมทำงานที่เทศบาลนครหาดใหญ่ อยากทราบว่าเทศบาลของเราเข้าร่วมเครือข่ายปีไหน", "2565"),
    # a scene set before a comma or a dash
    ("heading to yala next month, is it a unesco learning city?", "2024"),
    ("staying in phuket next week - does it count as a unesco learning city?", "2020"),
    # ...and the questions that end the message ask one thing between them
    ("Im an exchange student in Khon Kaen, is this city really a UNESCO learning city? since when?", "2024"),
])
def test_a_question_after_a_preface_is_read_with_the_place_the_preface_names(brain: Brain, message: str, must: str) -> None:
    reply = answer(message, brain)
    assert reply.kind == "answer" and must in reply.body, reply.text


def test_a_member_named_after_the_question_dates_it(brain: Brain) -> None:
    """Who announced it "in the case of Tak" is the December 2025 announcer, not the February 2024 one."""
    reply = answer("ขอทราบว่าผู้ใดเป็นผู้แถลงข่าวในประเทศไทย กรณีเทศบาลเมืองตากได้รับการรับรองเป็นสมาชิก", brain)
    assert reply.entry == "who-announced-2025", reply.text


def test_a_preface_naming_something_else_leaves_a_sure_question_as_it_stands(brain: Brain) -> None:
    reply = answer("I am from Japan. How many Thai members are there?", brain)
    assert reply.kind == "answer" and "13" in reply.body, reply.text
    # ...but a question that is not sure alone is not taken out of its sentence
    assert answer("ผู้ว่าฯ กทม. คนปัจจุบันคือใคร", brain).kind == "fallback"


def test_a_clause_holding_the_date_is_not_a_preface_to_drop(brain: Brain) -> None:
    """Cut at its date, "รอบ ก.พ. 67 มีเมืองใหม่ทั้งหมดกี่เมือง" is still about February 2024, never 2025."""
    assert answer("รอบ ก.พ. 67 มีเมืองใหม่ทั้งหมดกี่เมือง", brain).entry != "intake-2025"


def test_a_preface_does_not_make_an_uncovered_question_answerable(brain: Brain) -> None:
    assert answer("I am visiting Phuket next week. Which beach is the nicest?", brain).kind == "fallback"


def test_a_bare_question_particle_after_a_clause_is_not_a_question_of_its_own(brain: Brain) -> None:
    assert answer("ยะลามีร้านอาหารอร่อยๆ ไหม", brain).kind == "fallback"


@pytest.mark.parametrize(("message", "clauses"), [
    # a date is written after a space: the space before a month goes on with the clause, and the
    # dot of a month's abbreviation ends no sentence
    ("เมืองใหม่รอบ ธ.ค. 68 มีกี่เมือง", ["เมืองใหม่รอบ ธ.ค. 68 มีกี่เมือง"]),
    ("ประกาศผลเมื่อ 14 กุมภาพันธ์ 2567 ใช่ไหม", ["ประกาศผลเมื่อ 14 กุมภาพันธ์ 2567 ใช่ไหม"]),
    ("ประกาศรอบ ก.พ.67 ใช่ไหม", ["ประกาศรอบ ก.พ.67 ใช่ไหม"]),
    # ...and any other space between Thai, or a sentence's end, still ends one
    ("ขอนแก่นเข้าร่วมปีไหน ใครเป็นคนประกาศ", ["ขอนแก่นเข้าร่วมปีไหน", "ใครเป็นคนประกาศ"]),
    ("I live in Yala. Is it a member?", ["I live in Yala.", "Is it a member?"]),
    # a comma or a dash between words ends a clause; a comma inside a number does not
    ("heading to yala, is it a member?", ["heading to yala", "is it a member?"]),
    ("in phuket - is it one?", ["in phuket", "is it one?"]),
    ("were 1,000 cities added?", ["were 1,000 cities added?"]),
])
def test_the_space_before_a_thai_month_does_not_end_a_clause(message: str, clauses: list[str]) -> None:
    from bot.core import parts
    assert parts.clauses(message) == clauses


def test_a_preface_cut_before_its_date_is_not_answered_as_a_thai_count(brain: Brain) -> None:
    """"...รับเมืองใหม่รอบ" / "ธ.ค.68 ทั้งหมดกี่เมือง": cut at the space before the month, the second
    half was read as a follow-up and answered with Thailand's members, not the intake's count."""
    reply = answer("ยูเนสโกรับเมืองใหม่รอบ ธ.ค.68 ทั้งหมดกี่เมืองอ่ะ", brain)
    assert reply.entry != "city-count", reply.text


@pytest.mark.parametrize(("message", "must"), [
    ("Tour guide here - my guests ask when Sukhothai became a UNESCO learning city.", "2022"),
    ("a colleague asked me whether phuket is a member", "2020"),
    # A claim to check ("...จริงไหมคะ") asks yes or no, though its words only frame it; the reporter
    # is a hotel's guest ("ลูกค้า", typed with its mark, stays a customer).
    ("ลูกค้าโรงแรมถามมาว่าหาดใหญ่เป็นเมืองแห่งการเรียนรู้ของยูเนสโกจริงไหมคะ", "2565"),
    # A scene that names another thing (a hotel, an NGO) leaves a question that names its own subject.
    ("I manage a small hotel. Is Sukhothai part of some UNESCO learning city thing?", "2022"),
    ("I volunteer for an NGO on adult education. Which SDGs does the GNLC serve?", "11"),
    # No clause has a question word, but one is surely understood and the other sets its scene.
    ("GNLC คืออะไรคะ พอดีทำรายงานเรื่อง lifelong learning อยู่", "ยูเนสโก"),
    # Words before the first that names a place only set the scene; the rest is the question.
    ("ในกลุ่มเพื่อนเถียงกันอยู่ ภูเก็ตกับหาดใหญ่ ใครเข้าเครือข่ายก่อนกัน", "ภูเก็ตเข้าร่วมก่อน"),
    # Two questions end the message; the first is a claim with a scene before it.
    ("ข่าวนี้ดังมาก สุโขทัยได้เข้าเครือข่ายเมืองแห่งการเรียนรู้ด้วยจริงไหมหนอ เข้าเมื่อไหร่", "2565"),
])
def test_a_question_someone_else_asked_is_read_after_the_words_that_report_it(brain: Brain, message: str, must: str) -> None:
    reply = answer(message, brain)
    assert reply.kind == "answer" and must in reply.body, reply.text


def test_a_reported_question_is_a_clause_of_its_own_only_after_someone_who_asks() -> None:
    assert parts.clauses("my guests ask when Sukhothai joined", ["ask"]) == ["my guests ask", "when Sukhothai joined"]
    assert parts.clauses("ask when Sukhothai joined", ["ask"]) == ["ask when Sukhothai joined"]
    assert parts.clauses("ลูกทัวร์ถามว่าสุโขทัยเข้าปีไหน", ["ถามว่า"]) == ["ลูกทัวร์ถามว่า", "สุโขทัยเข้าปีไหน"]


@pytest.mark.parametrize(("message", "must", "quoted"), [
    ("When did Yala join and what is its population?", "2024", "“what is its population”"),
    ("ยะลาเข้าร่วมปีไหน แล้วมีประชากรเท่าไหร่", "2567", "“มีประชากรเท่าไหร่”"),
])
def test_the_part_of_a_message_the_sources_cover_is_answered_and_the_rest_named(
        brain: Brain, message: str, must: str, quoted: str) -> None:
    reply = answer(message, brain)
    assert reply.kind == "answer" and must in reply.body and quoted in reply.body, reply.text


def test_a_fragment_is_no_part_answered_on_its_own(brain: Brain) -> None:
    """"ปีไหน" after a question about a conference the bot cannot place is no question of its own."""
    reply = answer("การประชุมที่ซาอุจัดเดือนอะไร ปีไหน", brain)
    assert "สุโขทัย" not in reply.body and "“" not in reply.body, reply.text


def test_a_heading_before_a_colon_sets_the_scene() -> None:
    assert parts.clauses("My kid's school project: what is the GNLC?") == ["My kid's school project", "what is the GNLC?"]
    assert parts.clauses("meeting at 10:30 what is the GNLC?") == ["meeting at 10:30 what is the GNLC?"]


def test_an_abbreviation_cut_off_by_its_full_stop_is_no_scene(brain: Brain) -> None:
    # "ผอ." (director) is the subject of what follows, which alone would read as who runs the network.
    reply = answer("ผอ. UIL คนปัจจุบันชื่ออะไร", brain)
    assert reply.kind != "answer", reply.text


def test_an_emoji_ends_a_phrase_like_punctuation(brain: Brain) -> None:
    assert parts.clauses("ถามแทนสมาชิกในกลุ่มนะคะ 🙏 ตอนนี้ไทยมีสมาชิกกี่เมือง") == [
        "ถามแทนสมาชิกในกลุ่มนะคะ", "ตอนนี้ไทยมีสมาชิกกี่เมือง"]
    reply = answer("แอดมินถามแทนสมาชิกในกลุ่มนะคะ 🙏 ตอนนี้ไทยมีเมืองแห่งการเรียนรู้ของยูเนสโกกี่เมืองแล้วคะ", brain)
    assert reply.kind == "answer" and "13" in reply.body, reply.text


def test_thai_run_on_without_a_space_is_read_from_its_place(brain: Brain) -> None:
    reply = answer("สวัสดีจ้ะลูกยายอยู่สุโขทัยสุโขทัยเป็นเมืองแห่งการเรียนรู้ของยูเนสโกใช่ไหมได้ปีไหน", brain)
    assert reply.kind == "answer" and "2565" in reply.body, reply.text
    # ...but a question of its own before the place is no scene: the weather is not in the sources.
    assert answer("พรุ่งนี้ฝนจะตกที่เชียงใหม่ไหม", brain).kind != "answer"
