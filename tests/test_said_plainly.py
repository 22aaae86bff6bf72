"""Months that name a round, tag questions, a letter dropped from a name, formal Thai's "เล่า" and
"ในขณะนั้น", the whole network asked after Thailand's members: the behaviours of stop 20.

Each case failed on the code and knowledge base at the start of that stop (cfe9a65), except the
guards, which the comments name.
"""

from __future__ import annotations

import pytest
from test_followup import assert_answers, chat

from bot.core.answer import Brain


@pytest.mark.parametrize(("messages", "must", "absent"), [
    # A month as people shorten it ("ธันวา 68") is the month written out, and a month names the one
    # round held in it ("the February intake").
    (("รอบ ธันวา 68 ทั้งโลกได้สมาชิกใหม่กี่เมือง",), ["72"], []),
    (("how many Thai members were there before the February intake?",), ["2024", "7 members"], []),
    (("who announced the December intake?",), ["Narumon"], []),                     # a guard
    # A letter dropped from a name long enough to take a slip; a "yeah?" tag; what the asker saw "back" then.
    (("did phayo join in 2022?",), ["Phayao", "2022"], []),
    (("rayong and satun joined together yeah?",), ["2025"], []),
    (("I read that UNESCO named some Thai learning cities back in Feb 2024. Which?",), ["Bangkok", "Khon Kaen", "Yala"], []),
    # One SDG by its number.
    (("เป้าหมายที่ 4 คือเรื่องอะไร",), ["การศึกษาที่มีคุณภาพ"], []),
    # Formal Thai: "ในขณะนั้น" is "then"; "แล้ว ... เล่า" asks "and ...?" (elsewhere เล่า is "tell").
    (("ผู้ใดเป็นผู้ประกาศข่าวการรับยะลาเป็นสมาชิก", "ท่านดำรงตำแหน่งใดในขณะนั้น"), ["รัฐมนตรี"], []),
    (("การประชุมนานาชาติว่าด้วยเมืองแห่งการเรียนรู้ (International Conference on Learning Cities) ครั้งล่าสุดจัดขึ้นที่ใดคะ",
      "จัดขึ้นเมื่อใดคะ", "แล้วครั้งแรกเล่าคะ"), ["ปักกิ่ง"], ["เชียงราย"]),
    (("เล่าให้ฟังหน่อยว่า GNLC คืออะไร",), ["ตลอดชีวิต"], []),                          # a guard
    # "isn't it?" in Thai asks yes or no, and weighs no more than "ไหม".
    (("สุโขทัยเข้าร่วมปีไหน", "เมืองนี้เป็น creative city ด้วยไม่ใช่เหรอ"), ["คนละเครือข่าย"], []),
    # The whole world asked after Thailand's members of a year: the network's, not Thailand's.
    (("how many thai cities joined in 2024?", "and worldwide in 2025?"), ["72"], ["Thai members joined"]),
    # "which one" is one of the places just named.
    (("are phuket and hat yai both members?", "which one was first?"), ["Phuket joined first"], []),
    # The round after the one a member joined with the others.
    (("is Sukhothai a member?", "is it a province?", "which others joined the same year?", "and the round after that?"),
     ["Bangkok", "Khon Kaen", "Yala"], []),
    # "joined next" steps from the year of the member just named.
    (("is chiang rai a member?", "and after that which city joined next?"), ["Chiang Mai", "Phuket"], []),
    (("which Thai city was the first to join the GNLC?", "what year?", "and who came next?"), ["Chiang Mai", "Phuket"],
     []),                                                                               # a guard
    # Members that joined together, and the others of their round.
    (("พะเยาได้เป็นสมาชิกปีเดียวกับสุโขทัยหรือเปล่า", "ปีนั้นมีใครเข้าพร้อมกันอีก"), ["หาดใหญ่"], []),
    # The latest members say how many they are.
    (("how many cities did UNESCO add in December 2025?", "how many of the new ones are Thai?"), ["latest 3"], []),
    # The network before a round is as the round before left it; the answer that gave its size at
    # every round is given again when asked of one of them.
    (("how big was the network before the 2025 intake?",), ["356"], []),
    (("what is the total size of the network now?", "and before the 2025 intake?"), ["356"], ["Thailand had"]),
    # A count the last answer stated, asked in the other language.
    (("ปี 2020 ไทยได้เมืองไหนเข้าร่วมบ้าง", "รอบนั้นทั้งโลกได้กี่เมือง", "and how many countries was that?"), ["27"], []),
])
def test_a_question_is_read_as_said(brain: Brain, messages: tuple[str, ...], must: list[str], absent: list[str]) -> None:
    assert_answers(chat(brain, *messages)[-1], must, absent)


def test_a_short_word_is_not_a_name_a_letter_longer(brain: Brain) -> None:
    # A guard: "thank" is "Tak" with a letter added, not dropped: thanks, not a question about Tak.
    assert chat(brain, "thank u")[-1].kind == "smalltalk"


@pytest.mark.parametrize(("question", "lang"), [
    # One Thai noun in an English sentence: the asker reads English.
    ("which Thai GNLC members are a whole จังหวัด rather than a municipality?", "en"),
    # Guards: a Thai question word or particle, or Thai for much of the message, says the asker reads Thai.
    ("learning city คืออะไร", "th"),
    ("member ไทยมีกี่ city", "th"),
    ("who ประกาศ news ธ.ค. 68", "th"),
])
def test_the_reply_is_in_the_language_the_asker_reads(brain: Brain, question: str, lang: str) -> None:
    reply = chat(brain, question)[-1]
    assert reply.kind == "answer" and reply.lang == lang, reply.text
