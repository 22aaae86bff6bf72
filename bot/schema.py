"""The shape of each knowledge file, declared as msgspec Structs and checked in one call.

`bot/knowledge.py` used to check every type by hand; a shape it did not foresee (`intakes: 5`) got
past it and surfaced as a traceback naming only the file. Here each file's shape is a frozen Struct
that refuses unknown keys, and `validate` turns msgspec's first error into a problem naming the file,
the entry (its id, or its key) and the field: "cities.yaml: chiang-rai: field 'joined': expected a
whole number, got text". What the schema cannot say (ids that exist, placeholders, a Buddhist year
that matches its Common-era one) stays with the checker in `bot/knowledge.py`.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct, field

#: Text a curator must write something in ("  " is as missing as nothing).
Written = Annotated[str, Meta(pattern=r"\S")]
#: A word or phrase of a list; YAML reads `[2024, GNLC]`'s first item as a number, which is one too.
Phrase = Written | int
Phrases = tuple[Phrase, ...]
Year = Annotated[int, Meta(ge=1900, le=2200)]
Positive = Annotated[int, Meta(ge=1)]
Some = Annotated[tuple[Phrase, ...], Meta(min_length=1)]
Ids = tuple[str, ...]
Cited = Annotated[Ids, Meta(min_length=1)]


class Shape(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Every shape: immutable, and a key it does not know is a typo, not something to ignore."""


class Text(Shape, frozen=True):
    th: Written
    en: Written


class Words(Shape, frozen=True):
    """Words or phrases in each language, either list may be left out."""

    th: Phrases = ()
    en: Phrases = ()


class Phrasings(Shape, frozen=True):
    """Words or phrases in each language, at least one in each."""

    th: Some
    en: Some


class Source(Shape, frozen=True):
    id: str
    title: Text
    url: str
    label: Text | None = None
    lang: Literal["th", "en"] | None = None


class SourcesFile(Shape, frozen=True):
    sources: list[Source]


class StringsFile(Shape, frozen=True):
    strings: dict[str, Text]
    examples: Phrasings


class Entry(Shape, frozen=True):
    """What faq, smalltalk and intent entries share."""

    id: str
    title: Text
    questions: Phrasings
    keywords: Words | None = None
    requires: Words | None = None
    follow_up: Ids = ()


class Faq(Entry, frozen=True, kw_only=True):
    answer: Text
    sources: Cited
    years: tuple[Year, ...] = ()
    #: Entries that answer the same question, each for its own years ("who announced the intake").
    series: str | None = None
    #: The answer says the sources do not know ("where is the next conference?"): the reply is a
    #: don't-know reply that carries this text, never a confident answer.
    unknown: bool = False


class Smalltalk(Entry, frozen=True, kw_only=True):
    answer: Text


class Intent(Entry, frozen=True, kw_only=True):
    templates: Annotated[dict[str, Text], Meta(min_length=1)]
    sources: Cited
    slots: tuple[Literal["city", "year"], ...] = ()


class FaqFile(Shape, frozen=True):
    entries: list[Faq]


class SmalltalkFile(Shape, frozen=True):
    entries: list[Smalltalk]


class IntentsFile(Shape, frozen=True):
    entries: list[Intent]


class City(Shape, frozen=True):
    id: str
    name: Text
    short: Text
    province: Text
    aliases: Phrases
    joined: Year
    joined_be: int
    sources: Cited
    note: Text | None = None
    kind: str = ""


class Place(Shape, frozen=True):
    name: Text
    aliases: Phrases


class Intake(Shape, frozen=True):
    year: Year
    date: dt.date
    sources: Ids
    cities: Positive | None = None
    countries: Positive | None = None


class CitiesFile(Shape, frozen=True):
    cities: list[City]
    intakes: list[Intake]
    non_members: list[Place] = []


#: Words or phrases that mean the same here: two or more.
Group = Annotated[list[Phrase], Meta(min_length=2)]


class MatcherFile(Shape, frozen=True):
    answer_threshold: Annotated[float, Meta(ge=0, le=1)]
    suggest_threshold: Annotated[float, Meta(ge=0, le=1)]
    margin: float
    max_suggestions: Positive
    sure_threshold: Annotated[float, Meta(ge=0, le=1)] = 0.98
    tuned: Any = None                   # a note of what the thresholds were tuned on
    stopwords: Words = Words()
    topic: Words = Words()
    synonyms: dict[Literal["th", "en"], list[Group]] = field(default_factory=dict)   # in the order written
    asks: dict[str, Words] = field(default_factory=dict)
    present: Words = Words()
    asides: Words = Words()
    closings: Words = Words()
    switches: Words = Words()
    endings: Words = Words()
    last_words: dict[str, str] = field(default_factory=dict)
    cues: dict[str, Words] = field(default_factory=dict)
    romanised: dict[str, Phrases] = field(default_factory=dict)
    bridge: dict[str, Phrases] = field(default_factory=dict)
    not_words: Phrases = ()
    counted: Words = Words()
    approximate: Words = Words()


class EntitiesFile(Shape, frozen=True):
    covered: Phrases = ()
    honorifics: Phrases = ()
    kinds: dict[str, list[Annotated[list[Phrase], Meta(min_length=1)]]] = field(default_factory=dict)


class TableFile(Shape, frozen=True):
    templates: dict[str, Text] = field(default_factory=dict)
    kinds: dict[str, Text] = field(default_factory=dict)
    kind_titles: dict[str, Text] = field(default_factory=dict)


FILES: Mapping[str, type[Shape]] = {
    "sources": SourcesFile, "strings": StringsFile, "faq": FaqFile, "smalltalk": SmalltalkFile,
    "intents": IntentsFile, "cities": CitiesFile, "matcher": MatcherFile, "entities": EntitiesFile,
    "table": TableFile,
}


class Located(typing.NamedTuple):
    """One schema problem: the entry it is in ("" for the file itself) and what is wrong there."""

    entry: str
    message: str


def validate(name: str, data: object) -> tuple[Shape | None, list[Located]]:
    """The file's data as its Struct, or None and its problems: one per broken item of the file's
    lists and mappings (a curator fixes them in one pass), else the first problem msgspec found.

    >>> validate("cities", {"cities": [], "intakes": 5})
    (None, [Located(entry='', message="field 'intakes': expected a list, got a whole number")])
    >>> validate("faq", {"entries": [{"id": "x", "answer": []}]})[1][0]
    Located(entry='x', message="field 'answer': expected a mapping, got a list")
    """
    shape = FILES[name]
    try:
        return msgspec.convert(data, shape), []
    except msgspec.ValidationError as exc:
        first = _keys_named(str(exc), data, shape)
    problems: list[Located] = []
    if isinstance(data, dict):
        for key, item_type in _collections(shape):
            value = data.get(key)
            items = enumerate(value) if isinstance(value, list) else value.items() if isinstance(value, dict) else ()
            for n, item in items:
                try:
                    msgspec.convert(item, item_type)
                except msgspec.ValidationError as exc:
                    error = _keys_named(str(exc), item, item_type)
                    problems.append(_located(error, _label(key, n, item, isinstance(value, dict))))
    return None, problems or [_located(first, "")]


def _keys_named(error: str, data: object, shape: Any) -> str:
    """msgspec names a mapping's value `[...]`, not by its key: find the key, by keeping one key of
    that mapping at a time until the data fails again (`$.templates[...].th` -> `$.templates.when.th`).

    >>> _keys_named("Expected `str`, got `int` - at `$.kinds[...].en`",
    ...             {"kinds": {"a": {"th": "x", "en": "y"}, "b": {"th": "x", "en": 1}}}, TableFile)
    'Expected `str`, got `int` - at `$.kinds.b.en`'
    """
    while "[...]" in error:
        head, _, rest = error.partition("[...]")
        steps = re.findall(r"\.([^.\[`]+)|\[(\d+)\]", head.rpartition("$")[2])
        node = data
        for name, index in steps:
            node = node[name] if name else node[int(index)]  # type: ignore[index]
        if not isinstance(node, dict):
            return error
        for key, value in node.items():
            trial = _replaced(data, steps, {key: value})
            try:
                msgspec.convert(trial, shape)
            except msgspec.ValidationError:
                data, error = trial, f"{head}.{key}{rest}"
                break
        else:
            return error
    return error


def _replaced(data: Any, steps: list[tuple[str, str]], value: object) -> Any:
    """A copy of `data` with the node at `steps` replaced by `value` (the rest shared, not copied)."""
    if not steps:
        return value
    (name, index), rest = steps[0], steps[1:]
    if name:
        return {**data, name: _replaced(data[name], rest, value)}
    copy = list(data)
    copy[int(index)] = _replaced(data[int(index)], rest, value)
    return copy


def _collections(shape: type[Shape]) -> list[tuple[str, Any]]:
    """(key, item type) of the fields of a file that hold a list or a mapping of items."""
    out = []
    for info in msgspec.structs.fields(shape):
        kind = info.type
        while typing.get_origin(kind) is Annotated:
            kind = typing.get_args(kind)[0]
        if typing.get_origin(kind) in (list, dict):
            out.append((info.name, typing.get_args(kind)[-1]))
    return out


def _label(key: str, n: object, item: object, keyed: bool) -> str:
    """The entry an item stands for: its id, or the key it is under, or its place in the list."""
    if keyed:
        return f"{key}.{n}"
    ident = item.get("id") if isinstance(item, dict) else None
    return ident if isinstance(ident, str) and ident else f"{key}[{n}]"


_ERROR = re.compile(r"^(?P<what>.*?)(?: - at `(?P<key>key` in `)?\$(?P<path>[^`]*)`)?$", re.S)
_NAMES = {"array": "a list", "object": "a mapping", "str": "text", "int": "a whole number", "float": "a number",
          "bool": "true or false", "null": "nothing", "date": "a date such as 2024-02-14"}


def _located(error: str, entry: str) -> Located:
    """msgspec's "Expected `array`, got `int` - at `$.cities[2].aliases`" in a curator's words.

    >>> _located("Object missing required field `th` - at `$.answer`", "greeting")
    Located(entry='greeting', message="field 'answer': missing key 'th'")
    >>> _located("Expected `str` matching regex '\\\\S' - at `$.examples.en[0]`", "")
    Located(entry='', message="field 'examples.en[0]': expected text that is not blank")
    """
    found = _ERROR.match(error)
    what, path, key = (found["what"], found["path"] or "", found["key"]) if found else (error, "", None)
    if entry and path.startswith("["):       # an item of the entry itself: synonyms.en[3]
        index = re.match(r"(\[[^\]]*\])+", path)
        assert index is not None
        entry, path = entry + index.group(), path[index.end():]
    path = path.lstrip(".")
    message = _plain(what)
    if key:
        message = f"a key: {message}"
    if path:
        message = f"field '{path}': {message}"
    return Located(entry, message)


def _plain(what: str) -> str:
    """One msgspec message without its backticks and type names."""
    def name(types: str) -> str:
        return " or ".join(dict.fromkeys(_NAMES.get(t.strip(), t.strip()) for t in types.split("|")))

    if m := re.fullmatch(r"Expected `([^`]+)`, got `([^`]+)`", what):
        return f"expected {name(m[1])}, got {name(m[2])}"
    if re.fullmatch(r"Expected `str` matching regex .*", what):
        return "expected text that is not blank"
    if m := re.fullmatch(r"Expected `(array|object)` of length >= (\d+)", what):
        return f"expected {name(m[1])} of at least {m[2]} item{'s' if m[2] != '1' else ''}"
    if m := re.fullmatch(r"Expected `([^`]+)` ([<>]=?) (\S+)", what):
        return f"expected {name(m[1])} {m[2]} {m[3]}"
    if m := re.fullmatch(r"Object missing required field `([^`]+)`", what):
        return f"missing key '{m[1]}'"
    if m := re.fullmatch(r"Object contains unknown field `([^`]+)`", what):
        return f"unknown key '{m[1]}'"
    if m := re.fullmatch(r"Invalid enum value (.+)", what):
        return f"{m[1]} is not one of the values allowed here"
    return what[:1].lower() + what[1:]
