"""The knowledge base loads, and every way of breaking it is reported with file, entry and problem."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import knowledge
from bot.cli import main
from code_names import assignments, named_in


def _edit(folder: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / f"{name}.yaml"
    data = knowledge.parse_yaml(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load(folder)
    return [str(p) for p in caught.value.problems]


def test_shipped_knowledge_base_is_valid(kb: knowledge.KnowledgeBase) -> None:
    assert len(kb.cities) == 13
    assert {c.id for c in kb.cities if c.joined == 2024} >= {"bangkok", "khon-kaen", "yala"}
    assert all(c.joined_be == c.joined + 543 for c in kb.cities)
    for entry in kb.entries:
        for lang in knowledge.LANGS:
            assert entry.questions[lang], (entry.id, lang)
        for source in entry.sources:
            assert source in kb.sources


def test_every_fact_names_a_source(kb: knowledge.KnowledgeBase) -> None:
    faq = [e for e in kb.entries if e.kind in ("faq", "intent")]
    assert faq and all(e.sources for e in faq)
    assert all(c.sources for c in kb.cities)


def test_unknown_key(kb_copy: Path) -> None:
    _edit(kb_copy, "faq", lambda d: d["entries"][0].update(colour="blue"))
    first = yaml.safe_load((kb_copy / "faq.yaml").read_text(encoding="utf-8"))["entries"][0]["id"]
    assert f"faq.yaml: {first}: unknown key 'colour'" in _problems(kb_copy)


def test_missing_language(kb_copy: Path) -> None:
    def drop(d):  # type: ignore[no-untyped-def]
        del d["entries"][1]["answer"]["th"]
    _edit(kb_copy, "faq", drop)
    second = yaml.safe_load((kb_copy / "faq.yaml").read_text(encoding="utf-8"))["entries"][1]["id"]
    assert f"faq.yaml: {second}: field 'answer': missing key 'th'" in _problems(kb_copy)


def test_unknown_source_and_follow_up(kb_copy: Path) -> None:
    def break_it(d):  # type: ignore[no-untyped-def]
        d["entries"][0]["sources"] = ["no-such-source"]
        d["entries"][0]["follow_up"] = ["no-such-entry"]
    _edit(kb_copy, "faq", break_it)
    problems = "\n".join(_problems(kb_copy))
    assert "unknown source id 'no-such-source'" in problems
    assert "follow-up to unknown entry 'no-such-entry'" in problems


def test_a_series_needs_years_and_one_entry_per_year(kb_copy: Path) -> None:
    def break_it(d):  # type: ignore[no-untyped-def]
        by_id = {e["id"]: e for e in d["entries"]}
        by_id["intake-2020"]["years"] = [2024]
        by_id["what-is-gnlc"]["series"] = "intake"
    _edit(kb_copy, "faq", break_it)
    problems = "\n".join(_problems(kb_copy))
    assert "faq.yaml: intake-2020: series 'intake' already has intake-2024 for 2024" in problems
    assert "faq.yaml: what-is-gnlc: is in series 'intake' but names no years" in problems


def test_duplicate_id_and_phrasing(kb_copy: Path) -> None:
    def dup(d):  # type: ignore[no-untyped-def]
        d["entries"][1]["id"] = d["entries"][0]["id"]
        d["entries"][2]["questions"]["en"].append(d["entries"][3]["questions"]["en"][0].upper())
    _edit(kb_copy, "faq", dup)
    problems = "\n".join(_problems(kb_copy))
    assert "duplicate id" in problems
    assert "is also a phrasing of" in problems


def test_wrong_buddhist_year_and_bad_yaml(kb_copy: Path) -> None:
    _edit(kb_copy, "cities", lambda d: d["cities"][0].update(joined_be=1999))
    problems = "\n".join(_problems(kb_copy))
    assert "cities.yaml:" in problems and "'joined_be' must be" in problems
    (kb_copy / "sources.yaml").write_text("sources: [\n  - id: x", encoding="utf-8")
    problems = "\n".join(_problems(kb_copy))
    assert "sources.yaml: line" in problems and "not valid YAML" in problems


def test_check_command_exit_codes(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--knowledge", str(kb_copy)]) == 0
    _edit(kb_copy, "smalltalk", lambda d: d["entries"][0].update(answer={"en": "hi"}))
    assert main(["check", "--knowledge", str(kb_copy)]) == 1
    err = capsys.readouterr().err
    assert "smalltalk.yaml: greeting: field 'answer': missing key 'th'" in err


def test_bot_refuses_to_start_with_one_readable_line(kb_copy: Path) -> None:
    _edit(kb_copy, "cities", lambda d: d["cities"][0].update(sources=["nowhere"]))
    run = subprocess.run([sys.executable, "-m", "bot", "ask", "--knowledge", str(kb_copy), "hi"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert lines[0].startswith("knowledge base is broken: cities.yaml:") and "nowhere" in lines[0]


def test_every_broken_item_of_a_file_gets_its_own_line(kb_copy: Path) -> None:
    """msgspec stops at a file's first shape error; the items of its lists and mappings are checked one
    by one so that a curator sees every broken entry in one run, not one per run."""
    def break_cities(data: dict) -> None:  # type: ignore[type-arg]
        data["cities"][0]["joined"] = [2019]
        data["cities"][2]["aliases"] = "one alias"
        data["cities"][4]["sources"] = []

    def break_strings(data: dict) -> None:  # type: ignore[type-arg]
        data["strings"]["about"] = {"th": "x"}
        data["strings"]["share"] = "x"
    _edit(kb_copy, "cities", break_cities)
    _edit(kb_copy, "strings", break_strings)
    cities = knowledge.parse_yaml((kb_copy / "cities.yaml").read_text(encoding="utf-8"))["cities"]
    problems = _problems(kb_copy)
    assert [p for p in problems if p.startswith("cities.yaml")] == [
        f"cities.yaml: {cities[0]['id']}: field 'joined': expected a whole number, got a list",
        f"cities.yaml: {cities[2]['id']}: field 'aliases': expected a list, got text",
        f"cities.yaml: {cities[4]['id']}: field 'sources': expected a list of at least 1 item",
    ]
    assert sorted(p for p in problems if p.startswith("strings.yaml")) == [
        "strings.yaml: strings.about: missing key 'en'",
        "strings.yaml: strings.share: expected a mapping, got text",
    ]


def test_bad_synonym_groups_are_named(kb_copy: Path) -> None:
    _edit(kb_copy, "matcher", lambda d: d["synonyms"]["en"].extend([["lonely"], "not a list"]))
    problems = "\n".join(_problems(kb_copy))
    assert "matcher.yaml: synonyms.en[" in problems and "expected a list of at least 2 items" in problems


def test_bad_question_words_are_named(kb_copy: Path) -> None:
    _edit(kb_copy, "matcher", lambda d: d["asks"].update(count={"en": "how many"}, when={"fr": ["quand"]}))
    problems = "\n".join(_problems(kb_copy))
    assert "matcher.yaml: asks.count" in problems and "matcher.yaml: asks.when" in problems


def test_bad_present_words_are_named(kb_copy: Path) -> None:
    _edit(kb_copy, "matcher", lambda d: d.update(present={"en": "now"}))
    assert "matcher.yaml: field 'present.en': expected a list, got text" in _problems(kb_copy)


def test_every_string_in_strings_yaml_is_said_somewhere(kb: knowledge.KnowledgeBase) -> None:
    """A string nothing uses is a sentence nobody reviews for nothing: use it or remove it."""
    from bot.store import FEEDBACK_REASONS
    from bot.tg.app import ADMIN_COMMANDS, GROUP_COMMANDS, PRIVATE_COMMANDS
    code = "".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "bot").rglob("*.py"))
    built = {f"cmd_{c}" for c in (*PRIVATE_COMMANDS, *GROUP_COMMANDS, *ADMIN_COMMANDS)} \
        | {f"reason_{r}" for r in FEEDBACK_REASONS} | {f"page_in_{lang}" for lang in knowledge.LANGS}
    unused = [key for key in kb.strings if key not in built and f'"{key}"' not in code and f"'{key}'" not in code]
    assert unused == []


def _string_keys_looked_up() -> set[str]:
    """Every key the code passes to `.string(...)` by name: a literal, either branch of `a if c else b`,
    or what a variable of the function is assigned; an f-string counts as its literal prefix ("cmd_")."""
    keys: set[str] = set()
    for path in (Path(__file__).parents[1] / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in ast.walk(tree):
            if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            assigned = assignments(scope)
            for node in ast.walk(scope):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "string" \
                        and node.args:
                    keys |= named_in(node.args[0], assigned, strict=True)
    return keys


def test_every_string_the_code_looks_up_is_required() -> None:
    """`check` requires REQUIRED_STRINGS; a key the code starts to look up must be listed there.
    Keys built from a prefix are the command menu's (bot/tg/app.py), the feedback reasons' and the
    page languages' (page_in_th, page_in_en are listed)."""
    keys = _string_keys_looked_up()
    pages = {f"page_in_{lang}" for lang in knowledge.LANGS}
    assert keys - {"cmd_*", "reason_*", "page_in_*"} == set(knowledge.REQUIRED_STRINGS) - pages
    assert "page_in_*" in keys and pages <= set(knowledge.REQUIRED_STRINGS) and len(keys) > 30


def test_a_missing_string_is_refused_naming_strings_yaml(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'months' was not required: deleting it was blamed on every FAQ entry whose answer has a date."""
    _edit(kb_copy, "strings", lambda d: d["strings"].pop("months"))
    assert main(["check", "--knowledge", str(kb_copy)]) == 1
    assert capsys.readouterr().err.splitlines() == ["strings.yaml: months: missing: the code needs this string",
                                                    "1 problem(s) found"]


def test_source_labels_stay_short_and_page_languages_are_known(kb_copy: Path) -> None:
    _edit(kb_copy, "sources", lambda d: d["sources"][0].update(label={"th": "ก" * 40, "en": "MOE"}))
    _edit(kb_copy, "intents", lambda d: d["entries"][0].update(title={"th": "{year}", "en": "When did {city} join?"}))
    problems = "\n".join(_problems(kb_copy))
    assert "sources.yaml: moe-2024: 'label' must be at most 32 characters" in problems
    assert "intents.yaml: city-status: title uses {year}: not one of the entry's slots" in problems
    _edit(kb_copy, "sources", lambda d: d["sources"][1].update(lang="fr"))
    assert "sources.yaml: unesco-2024: field 'lang': 'fr' is not one of the values allowed here" in _problems(kb_copy)


def test_the_shipped_knowledge_base_is_found_as_installed_package_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wheel puts the YAML in bot/kbdata, a namespace package: importlib gives a MultiplexedPath
    for it, whose str() is not a path (`pip install .` then `python -m bot` found no knowledge base)."""
    from importlib.resources.readers import MultiplexedPath

    from bot import knowledge
    (tmp_path / "faq.yaml").write_text("entries: []\n", encoding="utf-8")
    monkeypatch.setattr(knowledge.resources, "files", lambda name: MultiplexedPath(tmp_path))
    assert knowledge.default_dir() == tmp_path
