"""Answer with a knowledge base before anyone else does: what `check`, start-up and reload run.

Loading validates the YAML's shape; some mistakes only show when an answer is composed (a template
placeholder misspelt as `{membres}` is a KeyError for every question that template answers). So a
knowledge base is also rehearsed: every phrasing of every entry (its `{city}` and `{year}` slots filled
with real cities and years), every example question and a question about every city and well-known
non-member are answered, and each failure becomes a problem naming file, entry and what broke.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot import knowledge
from bot.core.answer import Brain, answer, make_brain
from bot.core.compose import INTENT_TEMPLATES
from bot.core.table import TEMPLATES
from bot.knowledge import Entry, KnowledgeBase, KnowledgeError, Problem

FILES = {"faq": "faq", "intent": "intents", "smalltalk": "smalltalk"}


def questions(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    """(file, entry, question) for every question the rehearsal asks."""
    years = sorted({c.joined for c in kb.cities}) or [2024]
    cities = list(kb.cities[:1]) + list(kb.cities[-1:])
    for entry in kb.entries:
        yield from _phrasings(entry, cities, years)
    for lang, examples in kb.examples.items():
        for example in examples:
            yield "strings", "examples", example
    for city in kb.cities:
        yield "cities", city.id, f"when did {city.name.en} join?"
        yield "cities", city.id, f"{city.name.th}เข้าร่วมเมื่อไหร่"
    for place in kb.non_members:
        yield "cities", "non_members", f"is {place.name.en} a learning city?"
        yield "cities", "non_members", f"{place.name.th}เป็นสมาชิกไหม"


def _phrasings(entry: Entry, cities: list[knowledge.City], years: list[int]) -> Iterator[tuple[str, str, str]]:
    file = FILES.get(entry.kind, entry.kind)
    for lang, phrasings in entry.questions.items():
        for phrasing in phrasings:
            slotted = "{city}" in phrasing or "{year}" in phrasing
            choices: list[knowledge.City | None] = list(cities) if slotted and cities else [None]
            for city in choices:
                for year in (years[0], years[-1]) if slotted else [years[0]]:
                    text = phrasing
                    if city is not None:
                        text = text.replace("{city}", city.name.get(lang))
                    text = text.replace("{year}", str(year + 543 if lang == "th" else year))
                    yield file, entry.id, text


def missing_templates(kb: KnowledgeBase) -> list[Problem]:
    """The templates the code fills that the knowledge base lacks, each named where it belongs.

    Without this a deleted or renamed template surfaced (if at all) as a KeyError in whichever
    rehearsed question happened to need it, named after that question's FAQ entry.
    """
    problems = [Problem("table.yaml", "templates", f"missing template '{name}'")
                for name in sorted(TEMPLATES - set(kb.table.templates))]
    for intent, names in INTENT_TEMPLATES.items():
        entry = kb.entry(intent)
        if entry is not None:
            problems += [Problem("intents.yaml", intent, f"templates: missing template '{name}'")
                         for name in sorted(names - set(entry.templates))]
    return problems


def rehearse(brain: Brain) -> list[Problem]:
    """Every template the code fills that is missing; else every failure of answering the rehearsal's
    questions, at most one per file and entry (a missing template would fail them under other names)."""
    missing = missing_templates(brain.kb)
    if missing:
        return missing
    problems: dict[tuple[str, str], Problem] = {}
    for file, entry, question in questions(brain.kb):
        if (file, entry) in problems:
            continue
        try:
            answer(question, brain)
        except Exception as exc:      # anything: a KeyError in a template, a wrong type deep in an entry
            problems[(file, entry)] = Problem(f"{file}.yaml", entry,
                                              f"answering {question!r} fails: {type(exc).__name__}: {exc}")
    return list(problems.values())


def checked_brain(kb_dir: str | None) -> Brain:
    """Load, build and rehearse; raises KnowledgeError naming every problem found."""
    brain = make_brain(knowledge.load(kb_dir))
    problems = rehearse(brain)
    if problems:
        raise KnowledgeError(problems)
    return brain
