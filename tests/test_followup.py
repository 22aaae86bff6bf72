"""Follow-ups: a message is read against the last answered question of the same conversation."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.core.answer import Brain, answer
from bot.core.reply import Reply


def chat(brain: Brain, *messages: str) -> list[Reply]:
    replies = []
    context = None
    for message in messages:
        reply = answer(message, brain, context)
        context = reply.context
        replies.append(reply)
    return replies


def assert_answers(reply: Reply, must: Sequence[str], absent: Sequence[str] = ()) -> None:
    """The reply is an answer whose text says every word of `must` and none of `absent`."""
    assert reply.kind == "answer", reply.text
    for word in must:
        assert word in reply.body, (word, reply.body)
    for word in absent:
        assert word not in reply.body, (word, reply.body)


@pytest.mark.parametrize(("messages", "must"), [
    (("when did Khon Kaen join?", "and Yala?"), ["Yala", "2024"]),
    (("Chiang Rai: member since what year?", "and Phuket?"), ["Phuket", "2020"]),
    (("which cities joined in 2022?", "and 2020?"), ["Chiang Mai", "Phuket", "Chachoengsao"]),
    (("Is Hat Yai a member?", "since when?"), ["2022"]),
    (("หาดใหญ่เป็นเมืองแห่งการเรียนรู้ไหมครับ", "แล้วสตูลล่ะ"), ["2568"]),
    (("ขอนแก่นเป็นสมาชิกไหม", "เข้าร่วมปีไหน"), ["2567"]),
    (("ปี 2567 ไทยได้เมืองแห่งการเรียนรู้กี่เมือง", "เมืองอะไรบ้างคะ"), ["ขอนแก่น", "ยะลา", "กรุงเทพ"]),
    (("Is Sukhothai a member?", "is it a province or a town member?"), ["province"]),
    # a month as said in chat dates the round; after an entry of a series, its sibling of that year
    (("ข่าวที่ขอนแก่นได้เป็นสมาชิก ใครเป็นคนแถลงในไทยคะ", "รอบธันวา 68 ล่ะ"), ["นฤมล"]),
    (("ในไทยมีกี่เมือง", "ตอนต้นปี 67 อ่ะ"), ["10"]),
    # romanised Thai: "mai" ends a question (ไหม) unless it spells a name ("chiang mai")
    (("satun pen learning city laew rue yang", "tak duay mai"), ["2568", "2025"]),
    (("hi, which Thai cities joined in 2022?", "again for 2020?"), ["Chiang Mai", "Phuket"]),
    (("when did yala join", "is chachoengsao one too?"), ["2020"]),
    (("when did chiang rai join", "which cities followed in the next round?"), ["Chiang Mai", "Phuket"]),
    (("SDG ไหนบ้างที่เกี่ยวกับเครือข่ายนี้", "แล้วข้อ 11 ว่าด้วยเรื่องอะไรคะ"), ["11"]),
    (("is phuket a member?", "what kind of member?"), ["municipality"]),
    (("is phuket a member?", "who else joined that year?"), ["Chiang Mai", "Chachoengsao"]),
    # a correction is the same question of what it names
    (("When did Chiang Rai join the GNLC?", "no, I meant Phuket"), ["Phuket", "2020"]),
    (("หาดใหญ่เป็นสมาชิกตั้งแต่ปีไหน", "ไม่ใช่ หมายถึงภูเก็ต"), ["ภูเก็ต", "2563"]),
    (("When did Chiang Mai join the GNLC?", "ditto for Phuket"), ["Phuket", "2020"]),
    (("what is a learning city?", "and the GNLC?"), ["Global Network of Learning Cities"]),
    # how many years apart two members joined: the two just compared, or asked one at a time
    (("ขอนแก่นกับเชียงรายอันไหนเข้าก่อน", "ห่างกันกี่ปี"), ["5 ปี"]),
    (("which joined earlier, hat yai or phuket?", "by how many years?"), ["2 years"]),
    (("when did yala join?", "and phuket?", "how many years apart?"), ["4 years"]),
    (("สุโขทัยเข้าปีไหน", "จังหวัดอะไรเข้าปีเดียวกัน"), ["พะเยา"]),
    # "worldwide?" after a year's Thai members is that year's intake, not the network today
    (("ปี 2567 ไทยได้กี่เมือง", "ทั่วโลกกี่เมือง"), ["64"]),
    (("how many thai cities joined in 2024?", "and worldwide?"), ["64"]),
    # the formal register's "and as for Yala, how is it?"
    (("ขอนแก่นเข้าร่วมปีไหน", "แล้วในส่วนของยะลาเป็นอย่างไรบ้างครับ"), ["ยะลา", "2567"]),
    (("ตากเข้าร่วมปีไหน", "ทราบว่าประกาศโดยหน่วยงานใดครับ"), ["นฤมล"]),
    (("which members are whole provinces?", "when did they join?"), ["2022", "2025"]),
    (("เชียงรายเข้าร่วมปีไหน", "เป็นเมืองแรกของไทยเลยป่ะ"), ["ใช่"]),
    (("when did Phuket join?", "what else came in that year?"), ["Chiang Mai"]),
    (("Is Sukhothai a province member?", "and Phayao?"), ["Phayao", "province"]),
    # "which ones?" replaces the last question's "how many" with its own question word.
    (("How many Thai learning cities are there?", "which ones?"), ["Chiang Rai", "Satun"]),
    # "that round", "it": the news of the one year every city of the last answer joined in.
    (("ตากเข้ามาพร้อมกับเมืองไหนบ้าง", "รอบนั้นใครเป็นคนประกาศ"), ["นฤมล"]),
    (("which Thai city joined most recently?", "who announced it?"), ["Narumon"]),
    # a dropped subject (Thai) takes the last question's city when, alone, the question is not understood
    (("when did Tak join?", "which others joined with it?"), ["Rayong", "Satun"]),
    # "since when?" after a superlative: the one city that answer named
    (("first thai member?", "since when?"), ["Chiang Rai", "2019"]),
    # "the first" is about all members, not the year the last question named
    (("ขอรายชื่อเมืองไทยที่เข้าก่อนปี 2565", "เมืองไหนเข้าเป็นเมืองแรก"), ["เชียงราย"]),
    # a follow-up to a question that was not about the city table stays on its topic
    (("where was the learning cities conference in 2019?", "and 2021?"), ["Medellín", "Yeonsu"]),
    # relative times step from the year of the last question
    (("which Thai cities joined in 2020?", "and two years later?"), ["Sukhothai", "Hat Yai"]),
    (("which Thai cities joined in 2024?", "and the round before?"), ["Phayao", "2022"]),
    (("which Thai cities joined in 2022?", "รอบถัดไปล่ะ"), ["ขอนแก่น", "2567"]),
    # "it" after the latest intake is that intake's news; the round before it is the 2024 news
    (("which Thai city joined most recently?", "who announced it in Thailand?"), ["Narumon"]),
    (("which Thai city joined most recently?", "who announced it in Thailand?", "and the round before that?"),
     ["Permpoon"]),
    # "and now?" drops the date of the last question
    (("how big was the network after the 2024 intake?", "and now?"), ["425"]),
    # a few known words after a question the table did not answer stay on its topic
    (("how big is the network today?", "and in how many countries?"), ["91"]),
        # a question word alone is a follow-up, not a weak "what can you do?"
    (("ปี 2565 ไทยมีเมืองเข้าร่วมกี่แห่ง", "เมืองอะไรบ้างครับ"), ["สุโขทัย", "หาดใหญ่"]),
        # "names, please" after a count of a year's new members is that year's list
    (("ปี 2565 ไทยได้เมืองแห่งการเรียนรู้เพิ่มกี่เมือง", "ขอชื่อหน่อยครับ"), ["สุโขทัย", "หาดใหญ่"]),
    (("how big is the network?", "ครอบคลุมกี่ประเทศ"), ["91"]),
        # a step from a year the message names itself
    (("ปี 2565 มีเมืองไหนเข้าร่วมบ้าง", "แล้วปีก่อนหน้าปี 2563 ล่ะครับ"), ["เชียงราย"]),
    (("which cities joined in 2019?", "and the year after 2020?"), ["Sukhothai", "2022"]),
        # who revealed the news of the cities just listed
    (("which thai cities joined in february 2024?", "ผู้ใดเป็นผู้เปิดเผยข้อมูลดังกล่าว"), ["เพิ่มพูน"]),
        # where a member is, after a question about it
    (("หาดใหญ่เข้าปีไหน", "อยู่จังหวัดไหน"), ["สงขลา"]),
        # a count of countries is the intake's, never the table's
    (("ปี 2567 มีเมืองไหนบ้าง", "รอบนั้นมีกี่ประเทศ"), ["35"]),
        # a question about now, asked again of a year
    (("ตอนนี้ไทยมีกี่เมือง", "แล้วเมื่อปี 2565 ล่ะ"), ["7"]),
    (("how big is the network now?", "and in 2024?"), ["356"]),
        # the kinds of the members of the year just listed
    (("ปี 65 มีเมืองไหนเข้าบ้าง", "อันไหนเป็นจังหวัด"), ["2565", "สุโขทัย", "พะเยา"]),
    (("which cities joined in 2025", "which of them are provinces?"), ["Rayong and Satun", "Tak"]),
        # a count after the list of a year: the entry that answered needs only a suggestion's score
    (("ปี 65 มีเมืองไหนเข้าบ้าง", "กี่เมือง"), ["3 แห่ง"]),
        # "that round" is the round's count, not the network's size today
    (("สตูลเข้าเมื่อไหร่", "รอบนั้นมีกี่เมืองทั่วโลก"), ["72"]),
    # ...even where "that round" alone reads as the network's size today
    (("ตากเข้าร่วมตอนไหน", "รอบนั้นทั่วโลกได้กี่เมือง"), ["72"]),
        # one city said to be before or after another is compared with the one just talked about
    (("What year did Hat Yai become a member of the GNLC?", "was that before or after Khon Kaen?"),
     ["Hat Yai joined first", "before Khon Kaen"]),
        # "since?" alone asks since when
    (("is bangkok a member", "since?"), ["14 February 2024"]),
        # a non-member by the name people use for it
    (("korat member?", "and udon?"), ["Udon Thani is not a member"]),
        # new members worldwide in a month are that intake's, and so are their countries
    (("how many new members in dec 2025 worldwide", "from how many countries"), ["72", "46"]),
        # a bound with nothing to bound counts from the city just named
    (("Chiang Rai: member since what year?", "how many have joined since?"), ["After 2019, 12 more"]),
    (("Is Yala in the network?", "what about its neighbour Pattani?"), ["Pattani is not a member"]),
        # torn between that round and the network's size, the round the conversation named wins
    (("ตากเข้ามาพร้อมกับเมืองไหนบ้าง", "รอบนั้นทั้งโลกรับกี่เมือง"), ["72"]),
        # a bare question an unknown entry only seems to fit, without its own words, follows up
    (("is sukhothai a province member or a municipality?", "joined when?"), ["2022"]),
        # "at the same time" points back at the city just named, whatever the words alone fit
    (("when did tak join", "which other Thai places got in at the same time?"), ["Rayong", "Satun"]),
    (("Phuket in the learning cities network, yes or no?", "and Khon Kaen?"), ["2024"]),
        # the world after Thailand's count: the whole network
    (("how many thai members are there", "and the world?"), ["425"]),
        # "the same year" is about the city just named, though it asks "which"
    (("Is Chiang Mai a member?", "which other cities joined the same year?"), ["Phuket", "Chachoengsao"]),
        # a question of its own at the time the conversation is at: the network's size, not that intake again
    (("my draft says UNESCO added 64 cities from 35 countries to the network in February 2024, correct?",
      "what was the total network size after that?"), ["356"]),
        # the announcer's position then ("ดำรงตำแหน่ง" is the position)
    (("ยะลาเข้าเครือข่ายปีไหน", "แล้วใครเป็นคนประกาศ", "ตอนนั้นเขาดำรงตำแหน่งอะไร"), ["รัฐมนตรี"]),
        # only the provinces among the members just listed, in Thai
    (("ปี 2568 เมืองไทยเข้าเครือข่ายกี่เมือง", "เอาเฉพาะที่เป็นจังหวัด"), ["ระยอง", "สตูล"]),
        # which came first, of the two places the last message named
    (("ภูเก็ตกับหาดใหญ่", "ใครเข้าเครือข่ายเมืองแห่งการเรียนรู้ก่อนกัน"), ["ภูเก็ตเข้าร่วมก่อน"]),
        # "go on" after the first member, and again: the rounds after it
    (("which Thai city was the first to join?", "then?"), ["Chiang Mai", "Phuket", "Chachoengsao"]),
    (("เมืองแรกของไทยคือที่ไหน", "ต่อ", "ต่อ"), ["สุโขทัย", "พะเยา", "หาดใหญ่"]),
    (("which thai cities joined in 2022?", "and then?"), ["Bangkok", "Yala"]),
        # ...but "and now?" asks the same count now, not the next round
    (("how many Thai members were there in February 2024?", "and now?"), ["13"]),
        # "it" is the place just named; the message names its own subject, the network
    (("Is Chiang Mai a UNESCO Creative City?", "is it in the learning cities network as well?"), ["2020"]),
        # "the other two" of a round, in Thai
    (("ขอนแก่นเข้าปีไหน", "เห็นว่าเข้าพร้อมกันสามเมือง ส่วนอีกสองเมืองคือ?"), ["ยะลา", "กรุงเทพ"]),
        # "who was the first Thai member" after three cities asks about all of Thailand's members
    (("did Sukhothai and Phayao join the same year?", "who was the first Thai member though?"), ["Chiang Rai"]),
])
def test_a_follow_up_keeps_what_was_asked(brain: Brain, messages: tuple[str, ...], must: list[str]) -> None:
    last = chat(brain, *messages)[-1]
    assert last.kind == "answer", last.text
    for text in must:
        assert text in last.body, (text, last.body)


def test_three_turns_follow_the_merged_reading(brain: Brain) -> None:
    replies = chat(brain, "when did Khon Kaen join?", "and Yala?", "is it a province?")
    assert "Yala" in replies[-1].body and "city municipality" in replies[-1].body


@pytest.mark.parametrize("messages", [
    ("When did Phayao become a member?", "What are the benefits of membership?"),
    ("when did Khon Kaen join?", "which members are whole provinces?"),
    ("เชียงใหม่เข้าร่วมปีไหน", "แล้วที่เที่ยวเชียงใหม่มีอะไรบ้าง"),
    ("is Tak a learning city?", "how do I cook pad thai?"),
])
def test_a_complete_question_is_read_on_its_own(brain: Brain, messages: tuple[str, ...]) -> None:
    alone = answer(messages[-1], brain)
    followed = chat(brain, *messages)[-1]
    assert (followed.kind, followed.entry, followed.body) == (alone.kind, alone.entry, alone.body)


def test_a_non_member_follow_up_says_so(brain: Brain) -> None:
    last = chat(brain, "is Tak a learning city?", "and Chonburi?")[-1]
    assert last.kind == "fallback" or "not a member" in last.body


def test_a_fragment_with_nothing_to_follow_gets_todays_reply(brain: Brain) -> None:
    assert answer("and Yala?", brain, None).body == chat(brain, "and Yala?")[0].body
    assert answer("since when?", brain).kind != "answer"


def test_a_miss_keeps_the_earlier_context(brain: Brain) -> None:
    replies = chat(brain, "when did Khon Kaen join?", "what is the price of gold?", "and Yala?")
    assert replies[1].kind == "fallback"
    assert replies[2].kind == "answer" and "2024" in replies[2].body


def test_the_remembered_reading_holds_no_text(brain: Brain) -> None:
    reply = answer("when did Khon Kaen join?", brain)
    assert reply.context is not None and reply.context.text == ""



def test_smalltalk_after_an_answer_stays_smalltalk(brain: Brain) -> None:
    replies = chat(brain, "when did Khon Kaen join?", "thanks!", "and Yala?")
    assert replies[1].kind == "smalltalk"
    assert replies[2].kind == "answer" and "2024" in replies[2].body


@pytest.mark.parametrize("messages", [
    ("which cities joined in 2024?", "how much budget did they get?"),
    ("When did Chiang Mai join?", "what's the weather there?"),
    ("ขอนแก่นเข้าร่วมปีไหน", "ที่นี่มีมหาวิทยาลัยอะไรบ้าง"),
    ("Is Khon Kaen a learning city?", "who is the mayor?"),
])
def test_an_out_of_scope_follow_up_is_not_answered_from_the_last_question(brain: Brain, messages: tuple[str, ...]) -> None:
    assert chat(brain, *messages)[-1].kind != "answer"


def test_a_follow_up_in_the_knowledge_bases_words_swaps_the_year_of_the_last_question(brain: Brain) -> None:
    replies = chat(brain, "ใครประกาศข่าวไทยได้ 3 เมืองใหม่เมื่อ ธ.ค. 68", "ตอนปี 67 ล่ะใครประกาศ")
    assert replies[0].entry != replies[1].entry and replies[1].kind == "answer", replies[1].text
    assert "เพิ่มพูน" in replies[1].body


def test_that_year_is_the_year_of_the_last_answer(brain: Brain) -> None:
    last = chat(brain, "when did Phuket join?", "which cities joined that year?")[-1]
    phuket = next(c for c in brain.kb.cities if c.id == "phuket")
    assert last.kind == "answer"
    for city in brain.kb.cities:
        assert (city.short.en in last.body) == (city.joined == phuket.joined), (city.id, last.body)


@pytest.mark.parametrize(("messages", "absent"), [
    (("which Thai cities joined in 2020?", "and two years later?"), "Chiang Mai"),
    (("which Thai cities joined in 2024?", "and the round before?"), "Bangkok"),
    (("which Thai city joined most recently?", "who announced it in Thailand?", "and the round before that?"), "Narumon Pinyo Sinwattana, Minister"),
])
def test_a_step_in_time_leaves_the_old_year(brain: Brain, messages: tuple[str, ...], absent: str) -> None:
    body = chat(brain, *messages)[-1].body
    assert not body.startswith(absent) and absent not in body.split(".")[0], body


def test_years_a_reply_states_are_read_in_either_era() -> None:
    from bot.core.followup import years_in
    assert years_in("ปักกิ่ง (2556), คอร์ก (2560) และจูเบล (ค.ศ. 2024)") == (2013, 2017, 2024)
    assert years_in("64 cities from 35 countries") == ()


@pytest.mark.parametrize(("messages", "entry", "must"), [
    # asking more of the answer just given: the same entry, now that the conversation says what "his" is
    (("who announced the february 2024 news in thailand?", "and his role at the time?"), "who-announced", "Minister"),
    (("SDG ไหนบ้างที่เกี่ยวกับเครือข่ายนี้", "ข้อ 11 หมายถึงอะไร"), "sdgs", "11"),
    (("who announced the december 2025 news in thailand?", "and her position?"), "who-announced-2025", "Minister"),
])
def test_a_short_question_about_the_last_answer_stays_on_it(brain: Brain, messages: tuple[str, ...], entry: str,
                                                           must: str) -> None:
    alone = answer(messages[-1], brain)
    last = chat(brain, *messages)[-1]
    assert alone.kind == "fallback", "read alone the message is not understood"
    assert (last.kind, last.entry) == ("answer", entry), last.text
    assert must in last.body


def test_that_years_worldwide_intake_the_sources_do_not_give_is_not_answered(brain: Brain) -> None:
    # 2022's worldwide intake is not in the sources; the network's size today is not its answer.
    last = chat(brain, "สุโขทัยเข้าร่วมปีไหน", "ปีนั้นทั่วโลกรับเมืองใหม่กี่เมือง")[-1]
    assert last.kind != "answer", last.text


@pytest.mark.parametrize("messages", [
    ("when did phuket join", "how do I get there?"),
    ("ตากเข้าปีไหน", "เดินทางไปยังไง"),
    ("who announced the february 2024 news in thailand?", "what's his phone number?"),
    ("how do I apply?", "how much does it cost?"),
    ("what is the GNLC?", "what's the weather like there?"),
])
def test_a_question_the_last_answer_cannot_answer_is_not_given_it(brain: Brain, messages: tuple[str, ...]) -> None:
    assert chat(brain, *messages)[-1].kind == "fallback"


def test_a_yes_no_question_about_it_asks_about_the_place_just_named(brain: Brain) -> None:
    """"is it a learning city?" alone asks what one is; after Phuket it asks whether Phuket is one."""
    assert answer("is it a learning city?", brain).entry == "what-is-learning-city"
    last = chat(brain, "tell me about phuket", "is it a learning city?")[-1]
    assert last.entry == "city-status" and "2020" in last.body, last.text


def test_a_change_of_topic_follows_up_nothing(brain: Brain) -> None:
    """Alone, "which Thai cities joined in the 2022 round?" is sure; after the SDGs, "on a different note"
    says it must not be read inside them."""
    last = chat(brain, "which SDGs is the network meant to serve?",
                "On a different note, which Thai cities joined in the 2022 round?")[-1]
    assert last.entry == "cities-by-year" and "Sukhothai" in last.body, last.text


def test_a_question_word_of_its_own_drops_the_kind_the_last_question_asked(brain: Brain) -> None:
    last = chat(brain, "is tak a province?", "when did chiang mai join?")[-1]
    assert last.entry == "city-status" and "joined" in last.body, last.text


@pytest.mark.parametrize(("messages", "entry"), [
    (("when did yala join", "what is a learning city?"), "what-is-learning-city"),
    (("when did yala join", "what is gnlc?"), "what-is-gnlc"),
    (("when did khon kaen join", "what does it get from joining?"), "benefits"),
])
def test_a_short_complete_question_is_not_the_last_answer_again(brain: Brain, messages: tuple[str, ...],
                                                                entry: str) -> None:
    assert chat(brain, *messages)[-1].entry == entry


@pytest.mark.parametrize("messages", [
    ("where have the learning cities conferences been held?", "where will the next one be?"),
    ("ประชุมนานาชาติเรื่องเมืองแห่งการเรียนรู้จัดที่ไหนมาแล้วบ้าง", "แล้วครั้งหน้าจะจัดที่ไหน"),
])
def test_a_dont_know_an_entry_gives_is_not_read_again_against_the_context(brain: Brain, messages: tuple[str, ...]) -> None:
    """The sources do not name the next host: after the past conferences, "and the next one?" must
    not be answered with them as if it were a confident answer."""
    last = chat(brain, *messages)[-1]
    assert (last.kind, last.entry) == ("fallback", "next-conference"), last.text


@pytest.mark.parametrize(("messages", "entry", "must"), [
    # Thai drops the subject: when *that* intake was announced, and who announced it
    (("สมาชิกรายล่าสุดมีเมืองใดบ้างครับ", "ประกาศเมื่อเดือนใด"), "intake-2025", "ธันวาคม 2568"),
    (("สมาชิกรายล่าสุดมีเมืองใดบ้างครับ", "ใครประกาศ"), "who-announced-2025", "นฤมล"),
    # a step back in time from the December 2025 news is the February 2024 news
    (("which cities joined in dec 2025", "who announced that?", "and the one before?"), "who-announced", "Permpoon"),
])
def test_a_question_without_a_time_takes_the_entry_of_the_conversations_year(
        brain: Brain, messages: tuple[str, ...], entry: str, must: str) -> None:
    alone = answer(messages[-1], brain)
    last = chat(brain, *messages)[-1]
    assert alone.entry != entry, "read alone, the message gets another year's entry"
    assert (last.kind, last.entry) == ("answer", entry), last.text
    assert must in last.body


@pytest.mark.parametrize(("messages", "first"), [
    (("when did phuket join", "and bangkok?", "which one joined first?"), "Phuket joined first"),
    (("เชียงรายเข้าร่วมเมื่อไหร่", "แล้วหาดใหญ่ล่ะ", "อันไหนก่อน"), "เชียงรายเข้าร่วมก่อน"),
])
def test_which_came_first_compares_the_cities_of_the_last_two_questions(brain: Brain, messages: tuple[str, ...],
                                                                       first: str) -> None:
    assert first in chat(brain, *messages)[-1].body


def test_which_cities_joined_after_a_city_lists_them(brain: Brain) -> None:
    last = chat(brain, "when did phuket join", "which cities joined after khon kaen?")[-1]
    assert "Tak" in last.body and "Phuket" not in last.body, last.text


def test_which_thai_city_was_first_is_still_about_all_members(brain: Brain) -> None:
    last = chat(brain, "when did phuket join", "and bangkok?", "which thai city was first?")[-1]
    assert "Chiang Rai" in last.body, last.text


def test_a_did_you_mean_sets_the_places_and_years_a_follow_up_steps_from(brain: Brain) -> None:
    """A question nearly understood (a "did you mean") still says what the conversation is about.
    The FAQ is made unsure of itself (an answer needs a perfect score) so the first question is one."""
    from dataclasses import replace
    settings = replace(brain.kb.settings, answer_threshold=1.01, sure_threshold=1.01, suggest_threshold=0.3)
    unsure = replace(brain, kb=replace(brain.kb, settings=settings))
    first = answer("who announced the news in thailand in 2024?", unsure)
    assert first.kind == "fallback" and first.suggestions, first.text
    last = answer("and the round after?", brain, first.context)
    assert last.kind == "answer" and "Narumon" in last.body, last.text
    assert "Narumon" not in answer("and the round after?", brain).body


def test_who_announced_a_year_the_sources_have_no_announcer_for_is_not_the_2024_announcer(brain: Brain) -> None:
    """Phuket joined in 2020; the sources name who announced the 2024 and 2025 news only."""
    last = chat(brain, "is phuket a member", "who announced it")[-1]
    assert last.kind == "fallback" and "Permpoon" not in last.body, last.text
    assert [s.entry for s in last.suggestions] == ["who-announced"]


def test_a_step_in_time_is_not_a_question_about_the_future(brain: Brain) -> None:
    """"next one?" alone is not answered (at most the next intake's don't-know); after two rounds it
    is the one after."""
    assert answer("next one?", brain).kind == "fallback"
    last = chat(brain, "Which Thai cities got into the GNLC in 2020?", "and the round after that?", "next one?")[-1]
    assert last.kind == "answer" and "Khon Kaen" in last.body, last.text


def test_a_bare_question_the_topic_answers_alone_stays_on_it(brain: Brain) -> None:
    """"how many cities?" alone is the network's size; merged with "how many countries are in the
    GNLC" it would read as the 2024 intake's cities and countries."""
    first, last = chat(brain, "how many countries are in gnlc", "how many cities?")
    assert first.entry == last.entry == "network-size", last.text


def test_small_talk_that_is_sure_is_not_read_against_the_context(brain: Brain) -> None:
    last = chat(brain, "when did yala join?", "what can you do?")[-1]
    assert last.kind == "smalltalk", last.text


@pytest.mark.parametrize(("first", "again"), [
    ("ใครเป็นผู้ประกาศข่าวว่าขอนแก่นได้เป็นสมาชิก", "ขอลิงก์ด้วย"),
    ("When did Yala join?", "source?"),
])
def test_asking_for_the_source_gives_the_last_answer_again_with_its_sources(brain: Brain, first: str, again: str) -> None:
    before, after = chat(brain, first, again)
    assert after.kind == "answer" and after.entry == before.entry and after.sources == before.sources, after.text
    # Alone, with nothing to point back to, "source?" is not that answer (at most where the bot's facts come from).
    assert answer(again, brain).entry != before.entry


def test_a_link_between_two_things_is_not_a_request_for_the_source(brain: Brain) -> None:
    last = chat(brain, "When did Yala join?", "what's the link between the gnlc and the sdgs?")[-1]
    assert last.entry == "sdgs", last.text


@pytest.mark.parametrize("doubt", ["are you sure? I read 2020 somewhere", "really? my notes say 2020"])
def test_a_doubt_with_words_of_its_own_gives_the_last_answer_again(brain: Brain, doubt: str) -> None:
    first, last = chat(brain, "Khon Kaen joined the GNLC in 2020, right?", doubt)
    assert last.kind == "answer" and last.body == first.body and last.sources, last.text


def test_a_source_request_in_thai_with_a_reason_gives_the_last_answer_again(brain: Brain) -> None:
    first, last = chat(brain, "ตอนนี้ประเทศไทยมีเมืองที่เป็นสมาชิกกี่เมืองคะ", "ขอที่มาของข้อมูลด้วยนะคะ จะได้ใส่อ้างอิงในใบงาน")
    assert last.kind == "answer" and last.body == first.body, last.text


def test_date_after_who_announced_asks_when_the_news_was(brain: Brain) -> None:
    last = chat(brain, "who announced Tak, Rayong, Satun in Thailand", "date?")[-1]
    assert "9 December 2025" in last.body, last.text


def test_the_latest_year_after_one_intake_is_the_latest_intake(brain: Brain) -> None:
    last = chat(brain, "ปี 2567 ยูเนสโกรับสมาชิกใหม่เข้าเครือข่ายเมืองแห่งการเรียนรู้ทั้งหมดกี่เมือง", "แล้วปีล่าสุดล่ะ")[-1]
    assert "72" in last.body, last.text


def test_what_are_they_after_a_count_is_not_small_talk(brain: Brain) -> None:
    last = chat(brain, "how many thai cities are members?", "what are they")[-1]
    assert last.kind == "answer" and "Satun" in last.body, last.text
