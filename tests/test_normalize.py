from __future__ import annotations

import pytest

from bot.core import normalize
from bot.core.answer import Brain, answer


@pytest.mark.parametrize(("raw", "expected"), [
    ("  ปี ๒๕๖๗  ", "ปี 2567"),
    ("ｗｈｉｃｈ　ｃｉｔｙ", "which city"),          # full-width forms fold under NFKC
    ("a\x00b\u200bc\td", "a b c d"),              # control and format characters become spaces
    ("x" * 5000, "x" * normalize.MAX_QUESTION_CHARS),
])
def test_clean(raw: str, expected: str) -> None:
    assert normalize.clean(raw) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("which Thai cities joined in 2024?", "en"),
    ("เมืองไหนเข้าร่วมปี 2567", "th"),
    ("GNLC คืออะไร", "th"),
    ("Bangkok เข้าร่วมปีไหน", "th"),
    ("Is Khon Kaen (ขอนแก่น) a member of the network?", "en"),
    ("🙂🙂", "en"),
])
def test_detect_lang(text: str, lang: str) -> None:
    assert normalize.detect_lang(text) == lang


def test_thai_vowels_and_tones_survive_normalisation() -> None:
    # rapidfuzz's default_process would strip these; ours must not.
    assert normalize.normalise_text("เมื่อไหร่") == "เมื่อไหร่"
    assert normalize.normalise_text("เเปดริ้ว") == "แปดริ้ว"     # two sara e typed for sara ae


def test_repeated_letters_collapse_but_numbers_do_not() -> None:
    assert normalize.squeeze_repeats("hellooooo มากกกก 2000 55555") == "hello มาก 2000 55555"


def test_tokenize_segments_thai_and_keeps_names_whole() -> None:
    trie = normalize.make_trie(["ขอนแก่น", "เมืองแห่งการเรียนรู้"])
    tokens = normalize.tokenize("ขอนแก่นเป็นเมืองแห่งการเรียนรู้ไหม", trie)
    assert tokens[0] == "ขอนแก่น"
    assert "เมืองแห่งการเรียนรู้" in tokens
    assert "".join(tokens) == "ขอนแก่นเป็นเมืองแห่งการเรียนรู้ไหม"


def test_layout_slip_round_trip() -> None:
    from pythainlp.util import thai_to_eng
    typed = thai_to_eng("ยะลาเข้าร่วมเมื่อไหร่")
    assert typed.isascii()
    assert normalize.layout_swapped(typed) == "ยะลาเข้าร่วมเมื่อไหร่"
    trie = normalize.make_trie([])
    assert normalize.thai_coverage("ยะลาเข้าร่วมเมื่อไหร่", trie) > 0.9
    from bot.core.understand import DEFAULT_SLIP_COVERAGE
    for english in ("hello world", "what is the weather like", "lorem ipsum dolor sit amet"):
        assert normalize.thai_coverage(normalize.layout_swapped(english) or "", trie) < DEFAULT_SLIP_COVERAGE


def test_lexicon_segments_exactly_as_pythainlps_trie(kb) -> None:  # type: ignore[no-untyped-def]
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import Trie

    from bot.core.lexicon import Lexicon
    words = set(normalize.base_thai_words()) | {"ขอนแก่น", "แปดริ้ว", "หาดใหญ่"}
    trie, lexicon = Trie(words), Lexicon(words)
    texts = [q for e in kb.entries for lang in ("th", "en") for q in e.questions.get(lang, ())]
    texts += [e.answer.th for e in kb.entries if e.answer] + ["ภูเก้ตเข้ารวมเมือไหร", "กกกกกก", "ๆๆ", ""]
    for text in texts:
        assert word_tokenize(text, custom_dict=lexicon, engine="newmm") == word_tokenize(text, custom_dict=trie, engine="newmm")
    assert len(lexicon) == len(trie) and "ขอนแก่น" in lexicon and "ขอนแก่นx" not in lexicon
    assert lexicon.prefixes("หาดใหญ่เข้าร่วม") == trie.prefixes("หาดใหญ่เข้าร่วม")


def test_a_cluster_cut_in_the_wrong_place_is_mended() -> None:
    trie = normalize.make_trie([])
    assert normalize.tokenize("ยูเนสโกประกาศวันไหนคะ", trie)[-2:] == ["ไหน", "คะ"]
    assert normalize.tokenize("ขอนแก่นเข้าร่วมเมื่อไหร่ครับ", trie)[-2:] == ["เมื่อไหร่", "ครับ"]


def test_digits_touching_thai_letters_are_their_own_token() -> None:
    trie = normalize.make_trie([])
    assert normalize.tokenize("ปี2567มีเมืองไหนบ้าง", trie)[:3] == ["ปี", "2567", "มี"]


@pytest.mark.parametrize(("message", "must"), [
    ("หาดใหญเปนสมาชิกตังแตปีไหน", "2565"),
    ("ขอนแกน เขาเครือขายเมืองแหงการเรียนรูตังแตปีไหน", "2567"),
    ("กทมเปนเมืองแหงการเรียนรูของยูเนสโกแลวเหรอ ตังแตเมือไร", "2567"),
    # A particle typed with its mark ("จ๊ะ") does not say the rest was.
    ("ภูเก็ตเขาเครือขายเมืองแหงการเรียนรูตังแตปีไหนจ๊ะ", "2563"),
])
def test_thai_typed_without_its_marks_is_read_as_the_knowledge_base_writes_it(brain: Brain, message: str, must: str) -> None:
    reply = answer(message, brain)
    assert reply.kind == "answer" and must in reply.body, reply.text


def test_thai_with_its_marks_or_too_short_to_tell_is_left_as_typed(brain: Brain) -> None:
    restorer = brain.index.reader.toneless
    assert restorer is not None
    # A tone mark anywhere says the message was typed with its marks ("เขา" stays "he").
    assert restorer.restore("เขาเป็นใคร ประกาศเมื่อไหร่") == "เขาเป็นใคร ประกาศเมื่อไหร่"
    assert restorer.restore("ขอนแกน") == "ขอนแก่น"
    assert restorer.restore("กอน") == "กอน"            # too short to say that marks are missing
    # Read as a message is (NFKC), "ทำไม" is still the knowledge base's word, not "ทำ" and "ไม่".
    assert "ไม่" not in restorer.restore(normalize.clean("ทำไมเชียงรายไดรับเลือกเปนสมาชิก"))
    # Two marks among many letters, and every word spelt as Thai writes it: left as typed ("ตอน" is
    # no "ต" + "อัน"); restored where that reads better ("เขาพรอมกัน" is "เข้าพร้อมกัน").
    typed = normalize.clean("เชียงใหม่ ภูเก็ต กับฉะเชิงเทรา ได้เป็นสมาชิกกันตอนไหน")
    assert restorer.restore(typed) == typed
    assert "พร้อมกัน" in restorer.restore(normalize.clean("อีกสองเมืองที่เขาพรอมกันคือไร"))
    # A word the knowledge base writes as typed is kept, though a marked word shares its letters.
    assert restorer.restore("ใครเปนคนประกาศขาว เขาชือ").startswith("ใครเปนคนประกาศข่าว เขา")


def test_a_year_said_aloud_in_thai_words_is_read_as_its_digits(brain: Brain) -> None:
    reply = answer("ยูเนสโกเพิ่มเมืองใหม่ในเดือนธันวาคมปีสองพันห้าร้อยหกสิบแปดกี่เมืองจากกี่ประเทศ", brain)
    assert reply.kind == "answer" and "72" in reply.body, reply.text
    # Number words that hold no thousand are words, not years: แปดริ้ว is Chachoengsao.
    assert normalize.spoken_years("แปดริ้วเข้าปีไหน") == "แปดริ้วเข้าปีไหน"


def test_kindly_is_not_read_as_asking_for_a_kind(brain: Brain) -> None:
    assert normalize.stem("kindly") == "kindly" and normalize.stem("kinds") == "kind"
    read = brain.index.reader.read("Could you kindly explain what a 'learning city' means?")
    assert "kind" not in read.cues, read.cues
