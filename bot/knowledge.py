"""Load and validate the YAML knowledge base into frozen dataclasses, once.

The knowledge base is data edited by curators, not programmers, so every problem is reported with
the file, the entry and what is wrong, and all problems are reported together rather than one per
run. Nothing here knows about matching or Telegram.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

Lang = Literal["th", "en"]
LANGS: tuple[Lang, ...] = ("th", "en")
BE_OFFSET = 543
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLOTS = ("city", "year")
#: What a title may name besides its entry's slots: "All {count} Thai members".
TITLE_FIELDS = ("count",)
FILES = ("sources", "strings", "faq", "smalltalk", "intents", "cities", "matcher", "table")
#: Files a knowledge base may leave out: what they hold is then empty.
OPTIONAL_FILES = ("entities",)
#: The kinds of named thing `entities.yaml` may list.
ENTITY_KINDS = ("country", "region", "organisation", "programme", "city", "person", "role", "topic")


@dataclass(frozen=True)
class Text:
    """A sentence in both languages; the knowledge base never holds one without the other."""

    th: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.th if lang == "th" else self.en


@dataclass(frozen=True)
class Source:
    id: str
    title: Text
    url: str
    #: A few words ("MOE, Feb 2024") for the one-line sources of a chat reply; the title stays for /sources.
    label: Text | None = None
    #: The one language the page is written in, if it has only one: readers of the other are told.
    lang: Lang | None = None

    def short(self, lang: Lang) -> str:
        return self.label.get(lang) if self.label is not None else self.title.get(lang)


@dataclass(frozen=True)
class Entry:
    """Anything a question can match: a FAQ answer, a smalltalk reply or a table-backed intent."""

    id: str
    kind: Literal["faq", "smalltalk", "intent"]
    title: Text
    questions: Mapping[Lang, tuple[str, ...]]
    keywords: Mapping[Lang, tuple[str, ...]] = field(default_factory=dict)
    answer: Text | None = None
    sources: tuple[str, ...] = ()
    follow_up: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    slots: tuple[str, ...] = ()
    templates: Mapping[str, Text] = field(default_factory=dict)
    #: Words without one of which the entry is never a confident answer: Thailand's count is not the
    #: network's ("how many members does the GNLC have?" names no country).
    requires: Mapping[Lang, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class City:
    id: str
    name: Text
    short: Text
    province: Text
    aliases: tuple[str, ...]
    joined: int
    joined_be: int
    sources: tuple[str, ...]
    note: Text | None = None
    kind: str = ""                     # what kind of local government the member is: a key of table.yaml `kinds`


@dataclass(frozen=True)
class Place:
    """A Thai place that is not a member, so that the bot can say so instead of not knowing."""

    name: Text
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Intake:
    year: int
    date: dt.date
    sources: tuple[str, ...]
    cities: int | None = None          # new members worldwide in this intake
    countries: int | None = None


@dataclass(frozen=True)
class MatcherSettings:
    """Thresholds learnt by `python -m bot tune`; kept as data so re-tuning is not a code change."""

    answer_threshold: float
    suggest_threshold: float
    margin: float
    max_suggestions: int
    #: Words that say little about which entry is meant ("the", "is", "ครับ"): weighed lightly.
    stopwords: frozenset[str] = frozenset()
    #: Names of the network itself: in nearly every question, so they tell entries apart the least.
    topic: tuple[str, ...] = ()
    #: At or above this score the top entry is answered even if the runner-up is close.
    sure_threshold: float = 0.98
    #: Groups of words or phrases that mean the same here; each is read as the first of its group.
    synonyms: tuple[tuple[str, ...], ...] = ()
    #: Kinds of answer a question asks for ("count", "when"...), each with the words that ask for it.
    asks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Words that put a question in the present ("now", "ตอนนี้"): not about one past year's intake.
    present: tuple[str, ...] = ()
    #: Words that signal something about a question beyond its kind of answer, by label: "refer"
    #: (it, there, ที่นี่), "continue" (and, what about, แล้ว...ล่ะ), "first", "latest", "before", ...
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Thai words with the ways people spell them in Latin letters ("ปี": "pee"), beyond PyThaiNLP's
    #: royin romanisation, so that a question typed in romanised Thai is read as the Thai it spells.
    romanised: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TableWording:
    """How answers composed over the city table are worded (table.yaml): templates and kind names."""

    templates: Mapping[str, Text]
    kinds: Mapping[str, Text]                 # "as a whole province": in a sentence
    kind_titles: Mapping[str, Text]           # "Whole provinces": a heading in a list


@dataclass(frozen=True)
class NamedThings:
    """Things a question can name that the knowledge base mostly does not cover (`entities.yaml`):
    an answer must speak of them, so they are listed with every name people give them."""

    #: (label, names): one thing per group, its names in any language; the label is "kind:first name".
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Names the knowledge base is about ("Thailand"), never another thing whatever a list says.
    covered: tuple[str, ...] = ()
    #: Words before a person's name ("Dr", "Mr"): the word after one names a person.
    honorifics: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    sources: Mapping[str, Source]
    strings: Mapping[str, Text]
    examples: Mapping[Lang, tuple[str, ...]]
    entries: tuple[Entry, ...]
    cities: tuple[City, ...]
    non_members: tuple[Place, ...]
    intakes: tuple[Intake, ...]
    settings: MatcherSettings
    by_id: Mapping[str, Entry]
    root: str = ""
    named: NamedThings = NamedThings()
    table: TableWording = TableWording(MappingProxyType({}), MappingProxyType({}), MappingProxyType({}))

    def entry(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def string(self, key: str, lang: Lang) -> str:
        return self.strings[key].get(lang)


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


class KnowledgeError(Exception):
    """Raised with every problem found, so a curator fixes them all in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def one_line(self) -> str:
        first = str(self.problems[0])
        more = len(self.problems) - 1
        return f"knowledge base is broken: {first}" + (f" (and {more} more; run `python -m bot check`)" if more else "")


# Strings the code looks up; a knowledge base without one of them cannot serve every reply.
#: Strings named `cmd_<command>` are the command menu's descriptions (bot/tg/app.py registers them).
COMMAND_PREFIX = "cmd_"
MAX_COMMAND_DESCRIPTION = 256
REQUIRED_STRINGS = (
    "dont_know", "did_you_mean", "none_of_these", "sources_label", "empty", "examples_intro",
    "page_in_th", "page_in_en", "any_city", "any_year", "title_year",
)
#: A source's label shares one line of at most 90 characters with the others of a reply.
MAX_SOURCE_LABEL = 32


def _phrases(value: object) -> bool:
    """A list of words or phrases, none of them blank."""
    return isinstance(value, list) and all(isinstance(w, str) and w.strip() for w in value)


def _words_by_lang(value: object) -> tuple[str, ...] | None:
    """The words of a th/en mapping to lists of words, Thai first; None if it is not that shape."""
    if not isinstance(value, dict) or set(value) - set(LANGS) or not all(_phrases(v) for v in value.values()):
        return None
    return tuple(w for lang in LANGS for w in value.get(lang, ()))


def default_dir() -> Path:
    """The shipped knowledge base: package data when installed, the repo folder when run from source."""
    try:
        # bot.kbdata is a namespace package (the knowledge folder holds data, no __init__.py), so
        # files() gives a MultiplexedPath whose str() is not a path; a file inside it is.
        shipped = Path(str(resources.files("bot.kbdata") / "faq.yaml"))
        if shipped.is_file():
            return shipped.parent
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "knowledge"


def load(directory: str | Path | None = None) -> KnowledgeBase:
    """Read and check every file; raise KnowledgeError listing all problems."""
    root = Path(directory) if directory is not None else default_dir()
    checker = _Checker(root)
    raw = {name: checker.read(name) for name in FILES}
    raw.update({name: checker.read(name, optional=True) for name in OPTIONAL_FILES})
    try:
        kb = checker.build(raw)
    except (TypeError, AttributeError, ValueError, KeyError) as exc:   # a shape the checks did not foresee
        raise KnowledgeError([*checker.problems, _unforeseen(exc)]) from None
    if checker.problems or kb is None:
        raise KnowledgeError(checker.problems)
    return kb


def _unforeseen(exc: BaseException) -> Problem:
    """A problem naming the file whose check tripped over a value of the wrong type (from the deepest
    checking method on the traceback): one line instead of a traceback."""
    file = "knowledge"
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if isinstance(frame.f_locals.get("self"), _Checker) and frame.f_code.co_name != "build":
            found = frame.f_locals.get("file")
            file = found if isinstance(found, str) else frame.f_code.co_name
        tb = tb.tb_next
    return Problem(f"{file}.yaml", "", f"a value has the wrong type ({type(exc).__name__}: {exc})")


class _Checker:
    """Collects problems while turning raw YAML into dataclasses."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def problem(self, file: str, entry: str, message: str) -> None:
        self.problems.append(Problem(f"{file}.yaml", entry, message))

    def read(self, name: str, *, optional: bool = False) -> dict[str, Any]:
        path = self.root / f"{name}.yaml"
        if not path.is_file():
            if optional:
                return {}
            self.problem(name, "", f"file not found in {self.root}")
            return {}
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else ""
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.problem(name, where, f"not valid YAML: {reason}")
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(name, "", f"cannot be read: {exc}")
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(name, "", "the file must be a mapping at its top level")
            return {}
        return data

    # -- small typed readers ------------------------------------------------------------------

    def keys(self, file: str, entry: str, obj: Mapping[str, Any], required: set[str], optional: set[str]) -> bool:
        ok = True
        for key in sorted(set(obj) - required - optional):
            self.problem(file, entry, f"unknown key '{key}'")
            ok = False
        for key in sorted(required - set(obj)):
            self.problem(file, entry, f"missing key '{key}'")
            ok = False
        return ok

    def text(self, file: str, entry: str, key: str, value: Any) -> Text | None:
        if not isinstance(value, dict):
            self.problem(file, entry, f"'{key}' must have a 'th' and an 'en' text")
            return None
        for extra in sorted(set(value) - set(LANGS)):
            self.problem(file, entry, f"'{key}' has unknown language '{extra}'")
        out: dict[str, str] = {}
        for lang in LANGS:
            item = value.get(lang)
            if not isinstance(item, str) or not item.strip():
                self.problem(file, entry, f"'{key}' is missing its {_LANG_NAMES[lang]} ('{lang}') text")
                return None
            out[lang] = item.strip()
        return Text(th=out["th"], en=out["en"])

    def str_list(self, file: str, entry: str, key: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
            self.problem(file, entry, f"'{key}' must be a list of non-empty strings")
            return ()
        return tuple(str(v).strip() for v in value)

    def per_lang(self, file: str, entry: str, key: str, value: Any, *, required: bool) -> dict[Lang, tuple[str, ...]]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.problem(file, entry, f"'{key}' must have 'th' and 'en' lists")
            return {}
        for extra in sorted(set(value) - set(LANGS)):
            self.problem(file, entry, f"'{key}' has unknown language '{extra}'")
        out: dict[Lang, tuple[str, ...]] = {}
        for lang in LANGS:
            items = self.str_list(file, entry, f"{key}.{lang}", value.get(lang))
            if required and not items:
                self.problem(file, entry, f"'{key}' has no {_LANG_NAMES[lang]} ('{lang}') items")
            out[lang] = items
        return out

    def year(self, file: str, entry: str, key: str, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            self.problem(file, entry, f"'{key}' must be a year in the common era, e.g. 2024")
            return None
        return value

    def entry_list(self, file: str, raw: Mapping[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        items = raw.get(key)
        if items is None:
            self.problem(file, "", f"missing top-level key '{key}'")
            return []
        if not isinstance(items, list):
            self.problem(file, "", f"'{key}' must be a list")
            return []
        out = []
        for n, item in enumerate(items, 1):
            if not isinstance(item, dict):
                self.problem(file, f"item {n}", "must be a mapping")
                continue
            ident = item.get("id")
            label = str(ident) if ident is not None else f"item {n}"
            out.append((label, item))
        return out

    def ident(self, file: str, label: str, item: Mapping[str, Any], seen: dict[str, str]) -> str | None:
        ident = item.get("id")
        if not isinstance(ident, str) or not ID_RE.match(ident):
            self.problem(file, label, "'id' must be lowercase letters, digits and hyphens, e.g. intake-2024")
            return None
        if ident in seen:
            self.problem(file, label, f"duplicate id (also in {seen[ident]})")
            return None
        seen[ident] = f"{file}.yaml"
        return ident

    # -- files ----------------------------------------------------------------------------------

    def build(self, raw: Mapping[str, dict[str, Any]]) -> KnowledgeBase | None:
        sources = self.sources(raw["sources"])
        strings, examples = self.strings(raw["strings"])
        ids: dict[str, str] = {}
        entries: list[Entry] = []
        entries += self.entries("faq", raw["faq"], "faq", sources, ids)
        entries += self.entries("smalltalk", raw["smalltalk"], "smalltalk", sources, ids)
        entries += self.entries("intents", raw["intents"], "intent", sources, ids)
        cities, places, intakes = self.cities(raw["cities"], sources)
        settings = self.settings(raw["matcher"])
        named = self.named(raw.get("entities") or {})
        table = self.table(raw["table"], cities)
        self.cross_check(entries)
        if self.problems or settings is None:
            return None
        return KnowledgeBase(
            sources=MappingProxyType(sources),
            strings=MappingProxyType(strings),
            examples=MappingProxyType(examples),
            entries=tuple(entries),
            cities=tuple(cities),
            non_members=tuple(places),
            intakes=tuple(intakes),
            settings=settings,
            by_id=MappingProxyType({e.id: e for e in entries}),
            root=str(self.root),
            named=named,
            table=table,
        )

    def table(self, raw: Mapping[str, Any], cities: list[City]) -> TableWording:
        file = "table"
        if raw:
            self.keys(file, "", raw, {"templates", "kinds", "kind_titles"}, set())
        texts: dict[str, dict[str, Text]] = {}
        for key in ("templates", "kinds", "kind_titles"):
            texts[key] = {}
            value = raw.get(key) or {}
            if not isinstance(value, dict):
                self.problem(file, key, "must map names to th/en texts")
                continue
            for name, item in value.items():
                text = self.text(file, f"{key}.{name}", "text", item)
                if text is not None:
                    texts[key][str(name)] = text
        for city in cities:
            if city.kind and city.kind not in texts["kinds"]:
                self.problem("cities", city.id, f"kind '{city.kind}' is not one of table.yaml's kinds ({', '.join(texts['kinds'])})")
        for kind in set(texts["kinds"]) ^ set(texts["kind_titles"]):
            self.problem(file, f"kinds.{kind}", "every kind needs both a phrase in 'kinds' and a heading in 'kind_titles'")
        return TableWording(*(MappingProxyType(texts[k]) for k in ("templates", "kinds", "kind_titles")))

    def sources(self, raw: Mapping[str, Any]) -> dict[str, Source]:
        out: dict[str, Source] = {}
        self.keys("sources", "", raw, {"sources"}, set()) if raw else None
        seen: dict[str, str] = {}
        for label, item in self.entry_list("sources", raw, "sources"):
            self.keys("sources", label, item, {"id", "title", "url"}, {"label", "lang"})
            ident = self.ident("sources", label, item, seen)
            title = self.text("sources", label, "title", item.get("title"))
            short = self.text("sources", label, "label", item["label"]) if "label" in item else None
            if short is not None and max(len(short.th), len(short.en)) > MAX_SOURCE_LABEL:
                self.problem("sources", label, f"'label' must be at most {MAX_SOURCE_LABEL} characters: it shares one line")
            page_lang = item.get("lang")
            if page_lang is not None and page_lang not in LANGS:
                self.problem("sources", label, "'lang' (the page's only language) must be th or en")
                page_lang = None
            url = item.get("url")
            if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
                self.problem("sources", label, "'url' must be an http(s) address")
                continue
            if ident and title:
                out[ident] = Source(ident, title, url, short, page_lang)
        return out

    def strings(self, raw: Mapping[str, Any]) -> tuple[dict[str, Text], dict[Lang, tuple[str, ...]]]:
        self.keys("strings", "", raw, {"strings", "examples"}, set()) if raw else None
        out: dict[str, Text] = {}
        table = raw.get("strings") or {}
        if not isinstance(table, dict):
            self.problem("strings", "", "'strings' must map keys to th/en texts")
            table = {}
        for key, value in table.items():
            text = self.text("strings", str(key), "text", value)
            if text:
                out[str(key)] = text
                if str(key).startswith(COMMAND_PREFIX):
                    self.command(str(key), text)
        for key in REQUIRED_STRINGS:
            if key not in table:
                self.problem("strings", key, "missing: the code needs this string")
        examples = self.per_lang("strings", "examples", "examples", raw.get("examples"), required=True)
        return out, examples

    def command(self, key: str, text: Text) -> None:
        """A command's menu entry within Telegram's limits, which would otherwise refuse the whole menu."""
        if not re.fullmatch(r"[a-z0-9_]{1,32}", key.removeprefix(COMMAND_PREFIX)):
            self.problem("strings", key, "a command name is 1-32 of a-z, 0-9 and _ (Telegram's rule)")
        for lang in LANGS:
            if not 1 <= len(text.get(lang).strip()) <= MAX_COMMAND_DESCRIPTION:
                self.problem("strings", key, f"'{lang}': a command description is 1-{MAX_COMMAND_DESCRIPTION} "
                                             f"characters (Telegram's limit), this one has {len(text.get(lang))}")

    def entries(self, file: str, raw: Mapping[str, Any], kind: str, sources: Mapping[str, Source],
                ids: dict[str, str]) -> list[Entry]:
        if raw:
            self.keys(file, "", raw, {"entries"}, set())
        optional = {"keywords", "follow_up", "requires"}
        required = {"id", "title", "questions"}
        if kind == "faq":
            required |= {"answer", "sources"}
            optional |= {"years"}
        elif kind == "smalltalk":
            required |= {"answer"}
        else:
            required |= {"templates", "sources"}
            optional |= {"slots"}
        out: list[Entry] = []
        for label, item in self.entry_list(file, raw, "entries"):
            self.keys(file, label, item, required, optional)
            ident = self.ident(file, label, item, ids)
            title = self.text(file, label, "title", item.get("title"))
            answer = self.text(file, label, "answer", item.get("answer")) if "answer" in required else None
            questions = self.per_lang(file, label, "questions", item.get("questions"), required=True)
            keywords = self.per_lang(file, label, "keywords", item.get("keywords"), required=False)
            requires = self.per_lang(file, label, "requires", item.get("requires"), required=False)
            srcs = self.str_list(file, label, "sources", item.get("sources"))
            for src in srcs:
                if src not in sources:
                    self.problem(file, label, f"unknown source id '{src}' (not in sources.yaml)")
            if "sources" in required and not srcs:
                self.problem(file, label, "'sources' must name at least one source")
            years: list[int] = []
            for y in item.get("years") or []:
                year = self.year(file, label, "years", y)
                if year:
                    years.append(year)
            slots = self.str_list(file, label, "slots", item.get("slots"))
            for slot in slots:
                if slot not in SLOTS:
                    self.problem(file, label, f"unknown slot '{slot}' (known: {', '.join(SLOTS)})")
            for written in (title.th, title.en) if title else ():
                for slot in re.findall(r"\{(\w+)\}", written):
                    if slot not in slots and slot not in TITLE_FIELDS:
                        self.problem(file, label, f"title uses {{{slot}}}: not one of the entry's slots nor {', '.join(TITLE_FIELDS)}")
            templates: dict[str, Text] = {}
            raw_templates = item.get("templates")
            if kind == "intent":
                if not isinstance(raw_templates, dict) or not raw_templates:
                    self.problem(file, label, "'templates' must map names to th/en texts")
                else:
                    for name, value in raw_templates.items():
                        text = self.text(file, label, f"templates.{name}", value)
                        if text:
                            templates[str(name)] = text
            for lang, phrasings in questions.items():
                for phrasing in phrasings:
                    for slot in re.findall(r"\{(\w+)\}", phrasing):
                        if slot not in slots:
                            self.problem(file, label, f"phrasing '{phrasing}' uses {{{slot}}}, not one of the entry's slots")
            if ident and title and questions and (answer or kind == "intent"):
                out.append(Entry(
                    id=ident, kind=kind, title=title, answer=answer,  # type: ignore[arg-type]
                    questions=MappingProxyType(questions), keywords=MappingProxyType(keywords),
                    sources=srcs, follow_up=self.str_list(file, label, "follow_up", item.get("follow_up")),
                    years=tuple(years), slots=slots, templates=MappingProxyType(templates),
                    requires=MappingProxyType(requires),
                ))
        return out

    def cities(self, raw: Mapping[str, Any], sources: Mapping[str, Source]) -> tuple[list[City], list[Place], list[Intake]]:
        file = "cities"
        if raw:
            self.keys(file, "", raw, {"cities", "intakes"}, {"non_members"})
        seen: dict[str, str] = {}
        cities: list[City] = []
        for label, item in self.entry_list(file, raw, "cities"):
            self.keys(file, label, item, {"id", "name", "short", "province", "aliases", "joined", "joined_be", "sources"}, {"note", "kind"})
            ident = self.ident(file, label, item, seen)
            name = self.text(file, label, "name", item.get("name"))
            short = self.text(file, label, "short", item.get("short"))
            province = self.text(file, label, "province", item.get("province"))
            aliases = self.str_list(file, label, "aliases", item.get("aliases"))
            joined = self.year(file, label, "joined", item.get("joined"))
            joined_be = item.get("joined_be")
            if joined and joined_be != joined + BE_OFFSET:
                self.problem(file, label, f"'joined_be' must be {joined + BE_OFFSET} (joined {joined} + 543), not {joined_be}")
            srcs = self.str_list(file, label, "sources", item.get("sources"))
            if not srcs:
                self.problem(file, label, "'sources' must name at least one source")
            for src in srcs:
                if src not in sources:
                    self.problem(file, label, f"unknown source id '{src}' (not in sources.yaml)")
            note = self.text(file, label, "note", item["note"]) if "note" in item else None
            if ident and name and short and province and joined:
                kind = item.get("kind", "")
                if not isinstance(kind, str):
                    self.problem(file, label, "'kind' must be a word such as province")
                    kind = ""
                cities.append(City(ident, name, short, province, aliases, joined, joined + BE_OFFSET, srcs, note, kind))
        places: list[Place] = []
        for n, item in enumerate(raw.get("non_members") or [], 1):
            label = f"non_members item {n}"
            if not isinstance(item, dict):
                self.problem(file, label, "must be a mapping")
                continue
            self.keys(file, label, item, {"name", "aliases"}, set())
            name = self.text(file, label, "name", item.get("name"))
            if name:
                places.append(Place(name, self.str_list(file, label, "aliases", item.get("aliases"))))
        intakes: list[Intake] = []
        for n, item in enumerate(raw.get("intakes") or [], 1):
            label = f"intakes item {n}"
            if not isinstance(item, dict):
                self.problem(file, label, "must be a mapping")
                continue
            self.keys(file, label, item, {"year", "date", "sources"}, {"cities", "countries"})
            year = self.year(file, label, "year", item.get("year"))
            date = item.get("date")
            if not isinstance(date, dt.date):
                self.problem(file, label, "'date' must be a date such as 2024-02-14")
                continue
            srcs = self.str_list(file, label, "sources", item.get("sources"))
            for src in srcs:
                if src not in sources:
                    self.problem(file, label, f"unknown source id '{src}' (not in sources.yaml)")
            counts = [item.get(k) for k in ("cities", "countries")]
            if any(c is not None and (not isinstance(c, int) or isinstance(c, bool) or c < 1) for c in counts):
                self.problem(file, label, "'cities' and 'countries' must be positive whole numbers")
                continue
            if year:
                intakes.append(Intake(year, date, srcs, counts[0], counts[1]))
        self.alias_clashes(cities, places)
        return cities, places, intakes

    def alias_clashes(self, cities: list[City], places: list[Place]) -> None:
        owner: dict[str, str] = {}
        for city in cities:
            for alias in {*city.aliases, city.short.th, city.short.en}:
                key = alias.casefold()
                if key in owner and owner[key] != city.id:
                    self.problem("cities", city.id, f"alias '{alias}' also names {owner[key]}")
                owner[key] = city.id
        for place in places:
            for alias in place.aliases:
                if alias.casefold() in owner:
                    self.problem("cities", f"non-member {place.name.en}", f"alias '{alias}' names member {owner[alias.casefold()]}")

    def settings(self, raw: Mapping[str, Any]) -> MatcherSettings | None:
        file = "matcher"
        self.keys(file, "", raw, {"answer_threshold", "suggest_threshold", "margin", "max_suggestions"}, {"tuned", "stopwords", "topic", "sure_threshold", "synonyms", "asks", "present", "cues", "romanised"})
        try:
            settings = MatcherSettings(
                answer_threshold=float(raw["answer_threshold"]),
                suggest_threshold=float(raw["suggest_threshold"]),
                margin=float(raw["margin"]),
                max_suggestions=int(raw["max_suggestions"]),
                stopwords=frozenset(str(w) for lang in LANGS for w in (raw.get("stopwords") or {}).get(lang, ())),
                topic=tuple(str(w) for lang in LANGS for w in (raw.get("topic") or {}).get(lang, ())),
                sure_threshold=float(raw.get("sure_threshold", 0.98)),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            self.problem(file, "", "thresholds must be numbers and 'stopwords' must map th/en to lists of words")
            return None
        groups: list[tuple[str, ...]] = []
        for lang, listed in (raw.get("synonyms") or {}).items() if isinstance(raw.get("synonyms"), dict) else ():
            if lang not in LANGS or not isinstance(listed, list):
                self.problem(file, "synonyms", f"'{lang}' must be th or en and hold a list of groups")
                continue
            for n, group in enumerate(listed, 1):
                if not _phrases(group) or len(group) < 2:
                    self.problem(file, f"synonyms.{lang}[{n}]", "a group is a list of two or more words or phrases")
                    continue
                groups.append(tuple(group))
        if raw.get("synonyms") is not None and not isinstance(raw.get("synonyms"), dict):
            self.problem(file, "synonyms", "must map th/en to lists of groups")
        asks = self.labelled_words(file, "asks", raw.get("asks"), label="kind of answer", words="question words")
        present = _words_by_lang(raw.get("present") or {})
        if present is None:
            self.problem(file, "present", "must map th and en to lists of words")
            present = ()
        cues = self.labelled_words(file, "cues", raw.get("cues"), label="label", words="words")
        romanised: dict[str, tuple[str, ...]] = {}
        raw_romanised = raw.get("romanised") or {}
        if not isinstance(raw_romanised, dict):
            self.problem(file, "romanised", "must map Thai words to lists of their Latin spellings")
            raw_romanised = {}
        for word, spellings in raw_romanised.items():
            if not isinstance(word, str) or not re.search(r"[\u0e00-\u0e7f]", word) or not _phrases(spellings) \
                    or not all(str(v).isascii() for v in spellings):
                self.problem(file, f"romanised.{word}", "a Thai word maps to a list of its spellings in Latin letters")
                continue
            romanised[word] = tuple(spellings)
        settings = replace(settings, synonyms=tuple(groups), asks=MappingProxyType(asks), present=present,
                           cues=MappingProxyType(cues), romanised=MappingProxyType(romanised))
        if not 0 <= settings.suggest_threshold <= settings.answer_threshold <= 1:
            self.problem(file, "", "need 0 <= suggest_threshold <= answer_threshold <= 1")
        return settings

    def named(self, raw: Mapping[str, Any]) -> NamedThings:
        file = "entities"
        self.keys(file, "", raw, set(), {"covered", "honorifics", "kinds"})
        covered = self.str_list(file, "covered", "covered", raw.get("covered"))
        honorifics = self.str_list(file, "honorifics", "honorifics", raw.get("honorifics"))
        kinds = raw.get("kinds") or {}
        if not isinstance(kinds, dict):
            self.problem(file, "kinds", "must map each kind of thing to a list of groups of names")
            kinds = {}
        groups: list[tuple[str, tuple[str, ...]]] = []
        owner: dict[str, str] = {}
        for kind, listed in kinds.items():
            if kind not in ENTITY_KINDS:
                self.problem(file, f"kinds.{kind}", f"unknown kind; use one of {', '.join(ENTITY_KINDS)}")
                continue
            if not isinstance(listed, list):
                self.problem(file, f"kinds.{kind}", "must be a list of groups of names")
                continue
            for n, group in enumerate(listed, 1):
                where = f"kinds.{kind}[{n}]"
                if not _phrases(group):
                    self.problem(file, where, "a group is a list of one or more names")
                    continue
                label = f"{kind}:{str(group[0]).strip()}"
                for name in group:
                    key = " ".join(name.casefold().split())
                    if key in owner and owner[key] != label:
                        self.problem(file, where, f"name '{name}' also names {owner[key]}")
                    owner[key] = label
                    if key in {c.casefold() for c in covered}:
                        self.problem(file, where, f"name '{name}' is listed as covered")
                groups.append((label, tuple(str(name).strip() for name in group)))
        return NamedThings(tuple(groups), covered, honorifics)

    def labelled_words(self, file: str, key: str, value: Any, *, label: str, words: str) -> dict[str, tuple[str, ...]]:
        """A mapping of labels to th/en word lists (`asks`, `cues`), each problem named by its label."""
        out: dict[str, tuple[str, ...]] = {}
        if not isinstance(value or {}, dict):
            self.problem(file, key, f"must map each {label} to th/en lists of {words}")
            return out
        for name, by_lang in (value or {}).items():
            listed = _words_by_lang(by_lang)
            if listed is None:
                self.problem(file, f"{key}.{name}", f"must map th and en to lists of {words}")
                continue
            out[str(name)] = listed
        return out

    def cross_check(self, entries: list[Entry]) -> None:
        by_id = {e.id: e for e in entries}
        phrasings: dict[str, str] = {}
        for entry in entries:
            for target in entry.follow_up:
                if target not in by_id:
                    self.problem(_file_of(entry), entry.id, f"follow-up to unknown entry '{target}'")
                elif target == entry.id:
                    self.problem(_file_of(entry), entry.id, "follows up to itself")
            for lang in LANGS:
                for phrasing in entry.questions.get(lang, ()):
                    key = " ".join(phrasing.casefold().split())
                    if key in phrasings and phrasings[key] != entry.id:
                        self.problem(_file_of(entry), entry.id, f"phrasing '{phrasing}' is also a phrasing of '{phrasings[key]}'")
                    elif key in phrasings:
                        self.problem(_file_of(entry), entry.id, f"phrasing '{phrasing}' is listed twice")
                    phrasings[key] = entry.id


_LANG_NAMES = {"th": "Thai", "en": "English"}


def _file_of(entry: Entry) -> str:
    return {"faq": "faq", "smalltalk": "smalltalk", "intent": "intents"}[entry.kind]
