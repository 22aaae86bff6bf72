"""The bench's synthetic knowledge base is the shipped one plus entries: every other part is kept."""

from __future__ import annotations

from bot import bench
from bot.core.answer import answer, make_brain
from bot.knowledge import KnowledgeBase


def test_the_synthetic_knowledge_base_keeps_the_shipped_one_whole(kb: KnowledgeBase) -> None:
    bigger = bench.synthetic_kb(kb, 5)
    assert len(bigger.entries) == len(kb.entries) + 5
    assert {f for f in vars(kb) if f not in ("entries", "by_id")} and all(
        getattr(bigger, f) is getattr(kb, f) for f in vars(kb) if f not in ("entries", "by_id"))
    reply = answer("Which Thai cities joined in 2022?", make_brain(bigger))   # composed from the city table
    assert reply.kind == "answer" and "Hat Yai" in reply.text
