"""Knowledge-base mistakes that only show when answering are refused by `check`, start-up and reload."""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from bot import cli, knowledge
from bot.core import compose, table
from bot.core.answer import Brain, answer
from bot.core.compose import CITY_STATUS
from bot.knowledge import KnowledgeError
from bot.rehearse import checked_brain, missing_templates
from bot.tg.handlers import BotState
from code_names import assignments, named_in

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
    data = knowledge.parse_yaml(cities.read_text(encoding="utf-8"))
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


def test_a_missing_table_template_is_refused_naming_table_yaml(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A deleted or renamed template used to pass `check` (most are needed by no rehearsed question)
    or be blamed on a FAQ entry whose question hit the KeyError."""
    table = kb_copy / "table.yaml"
    data = knowledge.parse_yaml(table.read_text(encoding="utf-8"))
    del data["templates"]["kind_of"]
    data["templates"]["member_manyy"] = data["templates"].pop("member_many")
    table.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert cli.main(["check", "--knowledge", str(kb_copy)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "table.yaml: templates: missing template 'kind_of'",
        "table.yaml: templates: missing template 'member_many'",
        "2 problem(s) found",
    ]
    with pytest.raises(KnowledgeError) as caught:
        checked_brain(str(kb_copy))
    assert caught.value.one_line().startswith("knowledge base is broken: table.yaml: templates: missing template 'kind_of'")


def test_a_missing_intent_template_is_refused_naming_the_intent(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    intents = kb_copy / "intents.yaml"
    data = knowledge.parse_yaml(intents.read_text(encoding="utf-8"))
    status = next(e for e in data["entries"] if e["id"] == CITY_STATUS)
    del status["templates"]["member_in_province"]
    intents.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert cli.main(["check", "--knowledge", str(kb_copy)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "intents.yaml: city-status: templates: missing template 'member_in_province'"


def _template_names(module: ModuleType, *, calls: set[str], position: int) -> set[str]:
    """Every template name a module looks up: `call(name, ...)` for each of `calls` (its argument at
    `position`) and `....templates[name]`."""
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    assigned = assignments(tree)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls \
                and len(node.args) > position:
            names |= named_in(node.args[position], assigned)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "templates":
            names |= named_in(node.slice, assigned)
    return names


def test_the_declared_templates_are_the_ones_the_code_fills(kb: knowledge.KnowledgeBase) -> None:
    """TEMPLATES and INTENT_TEMPLATES are what `check` requires: a template the code starts to use
    must be declared there, and the shipped knowledge base has every one."""
    wording = {"w", "self"}                   # table._Wording is called as w(...) and, inside it, self(...)
    used = _template_names(table, calls=wording, position=0) | _template_names(compose, calls=wording, position=0)
    assert used == set(table.TEMPLATES) and len(used) > 20
    assert set(kb.table.templates) == set(table.TEMPLATES)
    filled = _template_names(compose, calls={"_fill"}, position=1) - set(table.TEMPLATES) - {"intake"}
    declared = set().union(*compose.INTENT_TEMPLATES.values())
    assert filled - declared == set() and declared - filled <= set(table.TEMPLATES)
    for intent, names in compose.INTENT_TEMPLATES.items():
        entry = kb.entry(intent)
        assert entry is not None and names <= set(entry.templates), intent
    assert missing_templates(kb) == []


# --- mutations of the shipped knowledge base ---------------------------------------------------------
# Each case breaks one value of one file in one way, at a chosen depth (1: a top-level key such as
# `intakes`, 2: an entry, 3: an entry's field, 4: a language or item inside that field), and requires
# either a knowledge base that answers every dev.yaml question without raising, or a refusal in one
# line naming the file and where in it: the entry (its id) or the field.

WRONG = [5, 2.5, None, True, [], {}, ["x"], {"th": 1}, "", "{nothing}"]
KINDS = ("type", "key", "delete", "placeholder")
DEPTHS = (1, 2, 3, 4)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the data, shortest first within each branch."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return ([path] if path else []) + [p for k, v in children for p in _paths(v, (*path, k))]


def _mutate(data: Any, kind: str, depth: int, rng: random.Random) -> tuple[Any, ...] | None:
    """Break `data` in place; the path broken, or None when the file has nothing of this kind there."""
    paths = [p for p in _paths(data) if len(p) == depth]
    if kind == "placeholder":
        paths = [p for p in _paths(data) if isinstance(_at(data, p), str) and re.search(r"\{\w+\}", _at(data, p))]
    elif kind in ("key", "delete"):
        paths = [p for p in paths if isinstance(p[-1], str)]
    if not paths:
        return None
    path = rng.choice(paths)
    parent, key = _at(data, path[:-1]), path[-1]
    if kind == "placeholder":
        parent[key] = re.sub(r"\{(\w+)\}", lambda m: "{" + m.group(1)[::-1] + "}", parent[key], count=1)
    elif kind == "key":
        parent[f"{key}x"] = parent.pop(key)
    elif kind == "delete":
        del parent[key]
    else:
        parent[key] = rng.choice([w for w in WRONG if type(w) is not type(parent[key])])
    return path


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _questions() -> list[str]:
    if DEV.exists():
        return [c["q"] for c in yaml.safe_load(DEV.read_text(encoding="utf-8")) if c.get("q")]
    return ["When did Yala join?", "ไทยมีสมาชิกกี่เมือง", "hi", "what is GNLC?"]


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_mutated_knowledge_base_answers_or_is_refused_in_one_line(kind: str, depth: int, seed: int,
                                                                   kb_copy: Path) -> None:
    rng = random.Random(f"{kind}-{depth}-{seed}")
    names = sorted(kb_copy.glob("*.yaml"))
    for file in rng.sample(names, len(names)):        # the first file that has something to break there
        original = knowledge.parse_yaml(file.read_text(encoding="utf-8"))
        data = knowledge.parse_yaml(file.read_text(encoding="utf-8"))
        path = _mutate(data, kind, depth, rng)
        if path is not None:
            break
    else:
        pytest.skip(f"no file has a {kind} mutation at depth {depth}")
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    done = f"{file.name}: {kind} at {'.'.join(map(str, path))}"
    try:
        brain = checked_brain(str(kb_copy))
    except KnowledgeError as exc:
        line, first = exc.one_line(), exc.problems[0]
        assert "\n" not in line and "Traceback" not in line, (done, line)
        assert first.file.endswith(".yaml") and (first.entry or first.message.startswith(("field '", "missing key", "unknown key"))), (done, line)
        # A value broken inside an entry of a list is refused naming that entry by its id.
        if kind in ("type", "key", "delete") and depth >= 3 and first.file == file.name:
            item = _at(original, path[:2])
            ident = item.get("id") if isinstance(item, dict) and isinstance(path[1], int) else None
            if isinstance(ident, str) and path[2] != "id":
                assert ident in line, (done, line)
        return
    for question in _questions():
        answer(question, brain)                  # must not raise: the rehearsal would have refused it
