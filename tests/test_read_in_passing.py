"""Words that only frame a question, slips around a place's name, and follow-ups that name their own
relation: the behaviours of stop 19.

Each case failed on the code and knowledge base at the start of that stop (d1bb074), except the
guards, which the comments name: they held then, and hold what was built to its limits.
"""

from __future__ import annotations

import pytest
from test_followup import assert_answers, chat

from bot.core.answer import Brain


@pytest.mark.parametrize(("messages", "must", "absent"), [
    # The network named in the singular ("learning city network") after "UNESCO" is still its name,
    # and a Thai particle typed in Latin letters weighs no more than the particle.
    (("hello krub, is เชียงราย in unesco learning city network?",), ["2019"], []),
    (("ยะลา with กรุงเทพ join same year na?",), ["2024"], []),
    # A kind of place after its name, typed with a slip.
    (("is rayong provice a member of unesco learning cities",), ["2025"], []),
    # A correction without its "I", a framing "according to", a police general's rank.
    (("Chiang Mai GNLC member year?", "sorry meant chiang rai"), ["2019"], []),
    (("Could you provide the venue and dates of the 2024 International Conference on Learning Cities?",),
     ["Jubail"], []),
    (("In what capacity did Pol. Gen. Permpoon Chidchob announce the 2024 intake?",), ["Commission"], []),
    # "how" is answered by how, however close the don't-know about the next round's date.
    (("How can a Thai city apply in the next round?",), ["bic.moe.go.th"], ["not in my sources"]),
    # A follow-up with its own relation ("the same year as") asks that, not the last one ("first").
    (("Phayao vs Chiang Rai - which one got in first?", "did any other city come in the same year as Phayao?"),
     ["Sukhothai", "Hat Yai"], []),
    # ...but "same thing?" only points back: the last question's kind, of the new place (a guard).
    (("Chiang Mai GNLC member year?", "is that the city municipality or the whole province?",
      "and Phuket, same thing?"), ["city municipality"], []),
    # "located" says no more than "is".
    (("Could you confirm the year Hat Yai City Municipality was admitted to the network?",
      "Which province is it located in?"), ["Songkhla"], []),
    # Pointing back, nearly as close to the entry the chat is on as to another: it stays (a guard).
    (("Who was the Thai education minister who announced the 2024 intake?", "in what other capacity did he announce it?"),
     ["Commission"], []),
    # A new place asked after "the same year as it" is asked about itself, not that year (a guard).
    (("Is Phayao in UNESCO's learning city network?", "which Thai cities joined in the same year as it?", "Lampang?"),
     ["not a member"], ["Sukhothai"]),
    # "in each year" lists the members by the year they joined.
    (("how many thai cities joined GNLC in each year?",), ["2019", "2020", "2022", "2024", "2025"], []),
    # The place named ahead of "before" is the one said to be before.
    (("ภูเก็ตเป็นเมืองแห่งการเรียนรู้มาตั้งแต่ปีไหนอ่ะแก", "แล้วเชียงรายล่ะ ได้ก่อนป่ะ"), ["ใช่ครับ"], ["ไม่ใช่"]),
    # "this city" after two were compared is the one asked about, against all Thai members.
    (("ภูเก็ตเป็นเมืองแห่งการเรียนรู้มาตั้งแต่ปีไหนอ่ะแก", "แล้วเชียงรายล่ะ ได้ก่อนป่ะ", "เมืองนี้เป็นเมืองแรกของไทยเลยใช่มั้ย"),
     ["แรก", "เชียงราย"], ["ภูเก็ต"]),
    # "ได้ทีหลัง" is "got it later", not "ได้ที" and a scrap.
    (("เมืองแรกของไทยที่ได้เป็นเมืองแห่งการเรียนรู้ยูเนสโกคือที่ไหนอ่ะ", "ปีไหนนะ", "แล้วเชียงใหม่ได้ทีหลังใช่มั้ย"),
     ["2563"], []),
    # Khon Kaen's short form, and a Thai question with one English verb.
    (("เห็นข่าวว่า ขก ได้เป็นเมืองแห่งการเรียนรู้ของยูเนสโกเหรอ ปีไหนอ่ะ",), ["2567"], []),
    (("อยากให้เมืองเรา join GNLC รอบหน้า ต้องติดตามข่าวจากหน่วยงานไหนคะ",), ["bic.moe.go.th"], []),
    # "ok" in romanised Thai is โอเค, not ออก.
    (("is hat yai a member", "ok laew hat yai la"), ["2565"], []),
    # ...and โอเค says nothing, even after a question the sources do not answer.
    (("แปดริ้วเป็นสมาชิกเครือข่ายเมืองแห่งการเรียนรู้ด้วยเหรอ", "ที่นี่มีของกินอะไรอร่อยๆ มั่งอ่ะ",
      "โอเค งั้นเมืองนี้เป็นเทศบาลเมืองหรือเทศบาลนครนะ"), ["เทศบาลเมือง"], []),
    # A don't-know about another thing (the next conference) does not outrank a sure answer.
    (("หาดใหญ่อยู่จังหวัดอะไร แล้วเป็นสมาชิกปีไหน", "ถ้าเมืองอยากสมัครเป็นเมืองแห่งการเรียนรู้รอบหน้า ต้องติดตามข่าวที่ไหน"),
     ["bic.moe.go.th"], []),
    # "ตอนนั้น" is "then" here, not a bound: that round's worldwide intake.
    (("แปดริ้วเป็นสมาชิก GNLC ตั้งแต่เมื่อไหร่", "ตอนนั้นทั้งโลกรับเข้ามากี่เมือง"), ["55"], []),
    # Pointing back ("ท่าน") with the entry's own keyword (รัฐมนตรี) stays on it.
    (("ใครเป็นคนประกาศข่าวที่ขอนแก่นได้เป็นเมืองแห่งการเรียนรู้ครับ", "ตอนนั้นท่านเป็นรัฐมนตรีกระทรวงอะไรครับ"),
     ["ศึกษาธิการ"], []),
    (("GNLC ของยูเนสโกคืออะไรครับ",), ["ตลอดชีวิต"], []),
    # A bare "which?" keeps the bound of the last question's time ("since" 2024).
    (("Thai learning cities: how many in Feb 2024 vs now?", "so how many were added since", "which?"),
     ["Tak", "Rayong", "Satun"], []),
])
def test_a_question_is_read_past_its_frame(brain: Brain, messages: tuple[str, ...], must: list[str],
                                           absent: list[str]) -> None:
    assert_answers(chat(brain, *messages)[-1], must, absent)


@pytest.mark.parametrize("question", [
    # Guards: the honest don't-know still wins over a sure answer about the same thing.
    "where will the next International Conference on Learning Cities be held, after Jubail?",
    "ประชุมนานาชาติเมืองแห่งการเรียนรู้ครั้งต่อไปจัดที่ไหน ปีไหน",
    "รอบหน้ายูเนสโกจะเปิดรับสมัครเมืองใหม่เมื่อไหร่ครับ",
])
def test_the_unknown_future_is_not_answered_with_the_past(brain: Brain, question: str) -> None:
    reply = chat(brain, question)[-1]
    assert reply.kind == "fallback" and reply.entry is not None, reply.text
