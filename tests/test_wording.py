"""Everyday and formal wording in both languages, and small talk in its many forms."""

from __future__ import annotations

import pytest

from bot.core.answer import Brain, answer


@pytest.mark.parametrize(("question", "entry", "must"), [
    # chat particles and spellings
    ("ยะลาเข้าร่วมปีไหนป่ะ", "city-status", "2567"),
    ("ยะลาเป็นสมาชิกมะ", "city-status", "2567"),
    ("ภูเก็ตเป็นสมาชิกป่าว", "city-status", "2563"),
    ("ขอนแก่นเข้าร่วมปีไหนค้าบ", "city-status", "2567"),
    ("ยะลาเป็นสมาชิกหรอ", "city-status", "2567"),
    ("ไทยมีกี่เมืองอ่ะ", "city-count", "13"),
    ("เครือข่ายนี้คืออะไรจ้า", "what-is-gnlc", ""),
    # formal register and abbreviations
    ("ขอทราบว่าจังหวัดยะลาได้รับการคัดเลือกเมื่อใด", "city-status", "2567"),
    ("หากเทศบาลประสงค์จะสมัครต้องดำเนินการอย่างไร", "how-to-apply", ""),
    ("รมว.ศธ. คนไหนประกาศข่าว", "who-announced", "เพิ่มพูน"),
    # terse keyword questions and non-native English
    ("yala gnlc year", "city-status", "2024"),
    ("thai members list", "city-list", "Satun"),
    ("how much member thailand have", "city-count", "13"),
    ("when yala become member", "city-status", "2024"),
    ("what is benefit for city join", "benefits", ""),
])
def test_everyday_and_formal_wording(brain: Brain, question: str, entry: str, must: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", entry), reply.text
    assert must in reply.text


@pytest.mark.parametrize(("question", "entry", "lang"), [
    ("thx, that helps", "thanks", "en"),
    ("ok thanks bot", "thanks", "en"),
    ("great, thank you so much", "thanks", "en"),
    ("ขอบคุณมากนะคะ ได้ข้อมูลครบเลย", "thanks", "th"),
    ("เยี่ยมเลย ขอบคุณ", "thanks", "th"),
    ("ขอบใจจ้า", "thanks", "th"),
    ("what can u do", "capabilities", "en"),
    ("what do u know", "capabilities", "en"),
    ("hey there!", "greeting", "en"),
    ("hello bot", "greeting", "en"),
    ("สวัสดีครับ บอท", "greeting", "th"),
    ("sawasdee krub", "greeting", "th"),
    ("ok bye", "goodbye", "en"),
])
def test_small_talk_in_its_many_forms(brain: Brain, question: str, entry: str, lang: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry, reply.lang) == ("smalltalk", entry, lang), reply.text


@pytest.mark.parametrize(("question", "lang"), [
    ("how many Thai city in GNLC ครับ", "th"),     # a Thai word, not only a Thai name: reply in Thai
    ("learning city คืออะไร", "th"),
    ("Yala เข้าร่วมปีไหน", "th"),
    ("when did เชียงใหม่ join", "en"),             # only a Thai name: the question is English
    ("is ยะลา a member?", "en"),
])
def test_a_message_with_thai_words_gets_a_thai_reply(brain: Brain, question: str, lang: str) -> None:
    assert answer(question, brain).lang == lang


@pytest.mark.parametrize(("question", "entry"), [
    ("hatyai is member or not", "city-status"),
    ("sdg what number related", "sdgs"),
    ("gnlc size today", "network-size"),
    ("how many new cities dec 2025", "intake-2025"),
    ("yo whats gnlc", "what-is-gnlc"),                    # a greeting word before a question
    ("Kindly advise on the benefits of membership.", "benefits"),
    ("ขออนุญาตสอบถามว่าจังหวัดสุโขทัยเข้าร่วมเครือข่ายเมื่อปีใด", "city-status"),
    ("หน่วยงานใดรับผิดชอบเครือข่ายนี้", "who-runs-gnlc"),
    ("ยะลาปีไร", "city-status"),
])
def test_terse_and_non_native_english(brain: Brain, question: str, entry: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", entry), reply.text
