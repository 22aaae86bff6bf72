"""Things a question names that the knowledge base does not cover block an answer about something else."""

from __future__ import annotations

import pytest

from bot.core.answer import Brain, answer
from bot.knowledge import KnowledgeBase, load


@pytest.mark.parametrize("question", [
    "How many learning cities does Japan have?",
    "how many members are in Europe",
    "Is Tokyo a learning city?",
    "when did Seoul join the GNLC",
    "who directs UIL?",
    "who is the director of UIL",
    "when does the Creative Cities call open?",
    "how do I apply for World Heritage status",
    "what did Khon Kaen do to be selected?",
    "what does the World Bank say about learning cities",
    "who is the mayor of Yala",
    "what is the population of Khon Kaen",
    "what did Dr Somchai say about learning cities",
    "ญี่ปุ่นมีเมืองแห่งการเรียนรู้กี่เมือง",
    "ลาวมีเมืองไหนเป็นสมาชิก",
    "เมืองสร้างสรรค์เปิดรับสมัครเมื่อไหร่",
    "นายกเทศมนตรียะลาคือใคร",
    "ประชากรของขอนแก่นมีเท่าไหร่",
    "Did Espoo win the learning city award?",        # a name no list holds, told by its capital
    "how many cities does Finland have in the network",
])
def test_a_question_about_something_not_covered_is_not_answered(brain: Brain, question: str) -> None:
    reply = answer(question, brain)
    assert reply.kind != "answer", (reply.entry, reply.text)


@pytest.mark.parametrize(("question", "entry"), [
    ("Which Asia-Pacific cities joined in 2024?", "asia-pacific-2024"),
    ("Is Bangkok a creative city?", "creative-cities"),
    ("what is UIL", "who-runs-gnlc"),
    ("which minister announced it", "who-announced"),
    ("how many thai cities are members", "city-count"),
    ("ประเทศไทยมีเมืองแห่งการเรียนรู้กี่เมือง", "city-count"),
    ("which SDG is it linked to", "sdgs"),
    ("who announced the news in Thailand", "who-announced"),
    ("Where was the 2024 learning cities conference?", "conferences"),
    ("เวียดนามมีเมืองไหนเข้าร่วมบ้าง", "asia-pacific-2024"),
    ("is Yala A Member", "city-status"),              # capitals here and there are not names
    ("When Did Yala Join The Network", "city-status"),
    ("when did Chang Mai join", "city-status"),       # a misspelt city is a place, not a name
    ("what did UNESCO announce in February 2024", "intake-2024"),
])
def test_names_the_knowledge_base_covers_keep_working(brain: Brain, question: str, entry: str) -> None:
    reply = answer(question, brain)
    assert (reply.kind, reply.entry) == ("answer", entry), reply.text


@pytest.mark.parametrize(("question", "label"), [
    ("How many learning cities does Japan have?", "country:JP"),
    ("which cities in Viet Nam joined", "country:VN"),
    ("South Korea learning cities", "country:KR"),
    ("ญี่ปุ่นมีกี่เมือง", "country:JP"),
    ("is the UCCN the same", "programme:Creative Cities Network"),
    ("Prof Kim said so", "person:kim"),
    ("did Espoo win the award", "name:espoo"),
])
def test_the_thing_a_question_names_is_read(brain: Brain, question: str, label: str) -> None:
    assert label in brain.index.reader.read(question).others


@pytest.mark.parametrize("question", [
    "how many learning cities does thailand have",
    "is UNESCO behind this",
    "ตอบภาษาอังกฤษได้ไหม",
    "Yala joined when",
])
def test_the_knowledge_bases_own_subjects_are_not_other_things(brain: Brain, question: str) -> None:
    assert brain.index.reader.read(question).others == ()


def test_a_name_listed_twice_in_entities_yaml_is_a_problem(kb_copy) -> None:  # type: ignore[no-untyped-def]
    path = kb_copy / "entities.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  region:\n    - [Japan]\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load(kb_copy)
    assert "entities.yaml" in str(caught.value) and "Japan" in str(caught.value)


def test_a_knowledge_base_without_entities_yaml_loads(kb_copy) -> None:  # type: ignore[no-untyped-def]
    (kb_copy / "entities.yaml").unlink()
    kb: KnowledgeBase = load(kb_copy)
    assert kb.named.groups == ()
