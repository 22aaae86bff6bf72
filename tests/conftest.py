"""Shared fixtures: the shipped knowledge base and a brain built from it, once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fake_bot_api import bypass_proxies

from bot import knowledge
from bot.core.answer import Brain, make_brain

bypass_proxies()

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


@pytest.fixture(scope="session")
def brain(kb: knowledge.KnowledgeBase) -> Brain:
    return make_brain(kb)


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge base, for breaking it on purpose."""
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.default_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target
