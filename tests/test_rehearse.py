"""Knowledge-base mistakes that only show when answering are refused by `check`, start-up and reload."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import cli, knowledge
from bot.core.answer import Brain, answer
from bot.knowledge import KnowledgeError
from bot.rehearse import checked_brain
from bot.tg.handlers import BotState

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev.yaml"


def test_a_misspelt_placeholder_is_refused_naming_file_and_entry(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    intents = kb_copy / "intents.yaml"
    text = intents.read_text(encoding="utf-8")
    assert "{members}" in text
    intents.write_text(text.replace("{members}", "{membres}"), encoding="utf-8")
    assert cli.main(["check", "--knowledge", str(kb_copy)]) == 1
    err = capsys.readouterr().err
    assert "intents.yaml: " in err and "membres" in err and "Traceback" not in err


def test_a_value_of_the_wrong_type_is_one_line_not_a_traceback(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cities = kb_copy / "cities.yaml"
    data = yaml.safe_load(cities.read_text(encoding="utf-8"))
    data["intakes"] = 5
    cities.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert cli.main(["check", "--knowledge", str(kb_copy)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("cities.yaml: ") and "Traceback" not in err


def test_reload_refuses_what_would_fail_when_answering(kb_copy: Path, brain: Brain) -> None:
    intents = kb_copy / "intents.yaml"
    intents.write_text(intents.read_text(encoding="utf-8").replace("{members}", "{membres}"), encoding="utf-8")
    state = BotState()
    state.set_brain(brain)
    state.kb_dir = str(kb_copy)
    problem = state.reload()
    assert problem is not None and "membres" in problem
    assert state.current_brain() is brain


# --- mutations of the shipped knowledge base ---------------------------------------------------------

def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))] + ([path] if path else [])
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))] + ([path] if path else [])
    return [path]


def _mutate(data: Any, rng: random.Random) -> str:
    path = rng.choice(_leaves(data))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    value = parent[key]
    kind = rng.choice(["type", "key", "placeholder"])
    if kind == "placeholder" and isinstance(value, str) and re.search(r"\{\w+\}", value):
        parent[key] = re.sub(r"\{(\w+)\}", lambda m: "{" + m.group(1)[::-1] + "}", value, count=1)
    elif kind == "key" and isinstance(parent, dict):
        parent[f"{key}x"] = parent.pop(key)
    else:
        parent[key] = rng.choice([5, 2.5, None, True, [], {}, ["x"], {"th": 1}, "", "{nothing}"])
    return f"{kind} at {'.'.join(map(str, path))}"


def _questions() -> list[str]:
    if DEV.exists():
        cases = yaml.safe_load(DEV.read_text(encoding="utf-8"))
        return [c["q"] for c in cases][:60]
    return ["When did Yala join?", "ไทยมีสมาชิกกี่เมือง", "hi", "what is GNLC?"]


@pytest.mark.parametrize("seed", range(30))
def test_a_mutated_knowledge_base_answers_or_is_refused_in_one_line(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.default_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    files = sorted(target.glob("*.yaml"))
    done = []
    for _ in range(1):
        path = rng.choice(files)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        done.append(f"{path.name}: {_mutate(data, rng)}")
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        brain = checked_brain(str(target))
    except KnowledgeError as exc:
        line = exc.one_line()
        assert "\n" not in line and ".yaml" in line, (done, line)
        return
    for question in _questions():
        answer(question, brain)                  # must not raise: the rehearsal would have refused it
