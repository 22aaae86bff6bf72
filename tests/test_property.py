"""Whatever arrives, the brain replies within Telegram's limit and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.answer import Brain, answer

THAI = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=5000), st.text(alphabet=THAI, max_size=300),
                      st.text(alphabet=st.characters(categories=["Cc", "Cf", "So", "Zs", "Mn"]), max_size=200)))
def test_any_unicode_gets_a_reply(brain: Brain, text: str) -> None:
    reply = answer(text, brain)
    assert reply.kind in ("answer", "fallback", "smalltalk")
    assert reply.lang in ("th", "en")
    assert 0 < len(reply.text) <= 4096
    assert 0.0 <= reply.score <= 1.0


WORDS = st.sampled_from(["and", "it", "when", "how many", "Yala", "ยะลา", "แล้ว", "ล่ะ", "2565", "ปี 67", "first", "before",
                         "province", "จังหวัด", "they", "which", "ไหน", "เมืองนี้", "Korat", "Tokyo", "?", "🙂", "\u200b"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(WORDS, max_size=8).map(" ".join), then=st.one_of(st.lists(WORDS, max_size=8).map(" ".join),
                                                                         st.text(max_size=300)))
def test_any_follow_up_gets_a_reply(brain: Brain, first: str, then: str) -> None:
    context = answer("which cities joined in 2022?", brain).context
    for text in (first, then):
        reply = answer(text, brain, context)
        assert reply.kind in ("answer", "fallback", "smalltalk")
        assert 0 < len(reply.text) <= 4096
        context = reply.context
