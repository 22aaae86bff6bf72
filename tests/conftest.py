"""Shared fixtures: the shipped knowledge base and a brain built from it, once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot import knowledge
from bot.core.answer import Brain, make_brain

# The fake Bot API is on 127.0.0.1: a proxy configured on the machine must not sit in between.
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, (os.environ.get(_name), "127.0.0.1", "localhost")))

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
