"""Load and validate the YAML knowledge base into frozen dataclasses, once.

The knowledge base is data edited by curators, not programmers, so every problem is reported with
the file, the entry and what is wrong, and all problems are reported together rather than one per
run. Nothing here knows about matching or Telegram.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

from bot import schema

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
    #: The answer says what the sources do not know: it is given as a don't-know reply.
    unknown: bool = False
    #: Entries with the same series answer one question, each for its own years (faq.yaml `series`).
    series: str | None = None


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
    #: Phrases that only frame a question ("another question:", "อีกเรื่อง", "ด้วยความเคารพ"): dropped.
    asides: tuple[str, ...] = ()
    #: Asides that change the topic ("on a different note", "อีกเรื่อง"): read as nothing, as `asides`
    #: are, and the message follows up nothing.
    switches: tuple[str, ...] = ()
    #: Thanks that close a question ("ขอบพระคุณครับ"): dropped from a message that asks something.
    closings: tuple[str, ...] = ()
    #: Particles that close a Thai sentence ("ครับ", "นะคะ"): where a run of Thai typed without a
    #: space may go on with a clause of its own.
    endings: frozenset[str] = frozenset()
    #: Words that mean another when they end a sentence (only `endings` after them): formal Thai asks
    #: "and the first one?" with "แล้วครั้งแรกเล่า", whose เล่า elsewhere is "tell".
    last_words: Mapping[str, str] = field(default_factory=dict)
    #: Words that signal something about a question beyond its kind of answer, by label: "refer"
    #: (it, there, ที่นี่), "continue" (and, what about, แล้ว...ล่ะ), "first", "latest", "before", ...
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Thai words with the ways people spell them in Latin letters ("ปี": "pee"), beyond PyThaiNLP's
    #: royin romanisation, so that a question typed in romanised Thai is read as the Thai it spells.
    romanised: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Thai words and the English words a Thai question may use in their place ("member ไทยมีกี่ city").
    bridge: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Words of PyThaiNLP's dictionary that questions here never mean, whose letters are two words
    #: that they do mean ("รอบเดือน" in "รอบเดือนธันวาคม" is "รอบ" + "เดือน"): never read as one word.
    not_words: tuple[str, ...] = ()
    #: What a question counts ("cities", "เมือง"): a yes/no question that states a number of one
    #: ("the network has about 300 cities?") asks how many there are.
    counted: tuple[str, ...] = ()
    #: Words that say a number is rough ("around 300", "ประมาณ 10"): part of the number to check.
    approximate: tuple[str, ...] = ()


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
#: Every key the code passes to `KnowledgeBase.string` by name, in bot/core and in the doors alike (a
#: missing one is a KeyError only in the reply that says it); tests/test_knowledge.py reads the code's
#: calls and fails when one is not listed here.
REQUIRED_STRINGS = (
    "about", "admins_only", "and", "any_city", "any_year", "ask_usage", "autoanswer_off", "autoanswer_on",
    "autoanswer_usage", "cities_caption", "cities_picture_title", "console_hint", "contact", "contact_hint",
    "did_you_mean", "dont_know", "empty", "examples_intro", "feedback_thanks", "feedback_why", "groups_only",
    "headline_joined", "help", "help_group", "months", "months_short", "none_chosen", "none_of_these", "not_text",
    "page_in_en", "page_in_th", "part_unknown", "reload_refused", "reloaded", "share", "sources_intro", "sources_label",
    "stale_button", "start", "stats_error", "stats_off", "title_year", "unknown_command",
)
#: A source's label shares one line of at most 90 characters with the others of a reply.
MAX_SOURCE_LABEL = 32
#: The placeholders bot/core fills into templates (intents' `templates`, table.yaml's `templates`):
#: any other name is a typo that would fail every answer the template words.
TEMPLATE_FIELDS = frozenset({
    "as_of", "cities", "city", "count", "countries", "date", "end", "first", "first_year", "gap", "kind", "last",
    "later", "later_year", "lines", "members", "name", "new", "new_cities", "note", "place", "province", "rest",
    "start", "title", "when", "where", "year", "year_ce", "years",
})
#: The placeholders the doors replace in strings.yaml's strings (any other would be shown as typed).
STRING_FIELDS = frozenset({"bot", "cities", "city", "count", "entries", "examples", "part", "problem", "state", "when",
                           "year"})
#: The one placeholder an answer may hold: the example questions.
ANSWER_FIELDS = frozenset({"examples"})


class _Loader(yaml.SafeLoader):
    """YAML 1.2's booleans: only true and false. YAML 1.1 also reads `on`, `no`, `yes` and `off` as
    booleans, which turned the stopword "on" into True; here they stay the words they are."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def parse_yaml(text: str) -> Any:
    """YAML as the knowledge base reads it (a safe loader; `on` and `no` are words, not booleans)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (_Loader is a SafeLoader)


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
    """Read and check every file; raise KnowledgeError listing all problems.

    Each file's shape (keys, types) is checked first, by `bot/schema.py`; what only the data as a
    whole can say (ids that exist, placeholders, years that agree) is checked on the shapes after.
    """
    root = Path(directory) if directory is not None else default_dir()
    checker = _Checker(root)
    shapes = {name: checker.read(name, optional=name in OPTIONAL_FILES) for name in (*FILES, *OPTIONAL_FILES)}
    if checker.problems:
        raise KnowledgeError(checker.problems)
    kb = checker.build(shapes)
    if checker.problems:
        raise KnowledgeError(checker.problems)
    return kb


def _text(text: schema.Text) -> Text:
    return Text(th=text.th.strip(), en=text.en.strip())


def _words(items: Iterable[str | int]) -> tuple[str, ...]:
    return tuple(str(w).strip() for w in items)


def _by_lang(words: schema.Words | schema.Phrasings | None) -> dict[Lang, tuple[str, ...]]:
    return {lang: _words(getattr(words, lang)) for lang in LANGS} if words is not None else {}


def _flat(words: schema.Words) -> tuple[str, ...]:
    """The words of both languages, Thai first."""
    return tuple(w for lang in LANGS for w in _words(getattr(words, lang)))


class _Checker:
    """Reads each file into its shape, then checks what the shapes cannot say while building the
    dataclasses, collecting every problem."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def problem(self, file: str, entry: str, message: str) -> None:
        self.problems.append(Problem(f"{file}.yaml", entry, message))

    def read(self, name: str, *, optional: bool = False) -> Any:
        """The file as its schema shape; None (and a problem) if it is missing, unreadable or misshapen."""
        path = self.root / f"{name}.yaml"
        data: object = {}
        if not path.is_file():
            if not optional:
                self.problem(name, "", f"file not found in {self.root}")
                return None
        else:
            try:
                data = parse_yaml(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f"line {mark.line + 1}" if mark is not None else ""
                reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                self.problem(name, where, f"not valid YAML: {reason}")
                return None
            except (OSError, UnicodeDecodeError) as exc:
                self.problem(name, "", f"cannot be read: {exc}")
                return None
        if data is not None and not isinstance(data, dict):
            self.problem(name, "", "the file must be a mapping at its top level")
            return None
        shape, problems = schema.validate(name, data or {})
        for found in problems:
            self.problem(name, found.entry, found.message)
        return shape

    def ident(self, file: str, ident: str, seen: dict[str, str]) -> str | None:
        if not ID_RE.match(ident):
            self.problem(file, ident, "'id' must be lowercase letters, digits and hyphens, e.g. intake-2024")
            return None
        if ident in seen:
            self.problem(file, ident, f"duplicate id (also in {seen[ident]})")
            return None
        seen[ident] = f"{file}.yaml"
        return ident

    def placeholders(self, file: str, entry: str, key: str, text: Text, fields: frozenset[str], *,
                     template: bool = False) -> None:
        """Every placeholder of a text is one the code fills; a `template` (filled by str.format_map)
        must also parse as one."""
        where = f"'{key}', " if key else ""
        for lang in LANGS:
            try:
                names = {re.match(r"\w*", f).group() for _, f, _, _ in string.Formatter().parse(text.get(lang))  # type: ignore[union-attr]
                         if f is not None} if template else set(re.findall(r"\{(\w*)\}", text.get(lang)))
            except ValueError as exc:
                self.problem(file, entry, f"{where}{lang} text is not a valid template: {exc}")
                continue
            for name in sorted(names - fields):
                known = ", ".join(f"{{{f}}}" for f in sorted(fields))
                self.problem(file, entry, f"{where}{lang} text uses {{{name}}}, which the code does not fill (it fills {known})")

    def cited(self, file: str, label: str, cited: Iterable[str], sources: Mapping[str, Source]) -> tuple[str, ...]:
        for src in cited:
            if src not in sources:
                self.problem(file, label, f"unknown source id '{src}' (not in sources.yaml)")
        return tuple(cited)

    # -- files ----------------------------------------------------------------------------------

    def build(self, f: Mapping[str, Any]) -> KnowledgeBase:
        sources = self.sources(f["sources"])
        ids: dict[str, str] = {}
        entries = [*self.entries("faq", f["faq"].entries, "faq", sources, ids),
                   *self.entries("smalltalk", f["smalltalk"].entries, "smalltalk", sources, ids),
                   *self.entries("intents", f["intents"].entries, "intent", sources, ids)]
        cities, places, intakes = self.cities(f["cities"], sources)
        self.cross_check(entries)
        return KnowledgeBase(
            sources=MappingProxyType(sources),
            strings=MappingProxyType(self.strings(f["strings"])),
            examples=MappingProxyType(_by_lang(f["strings"].examples)),
            entries=tuple(entries),
            cities=tuple(cities),
            non_members=tuple(places),
            intakes=tuple(intakes),
            settings=self.settings(f["matcher"]),
            by_id=MappingProxyType({e.id: e for e in entries}),
            root=str(self.root),
            named=self.named(f["entities"] or schema.EntitiesFile()),
            table=self.table(f["table"], cities),
        )

    def table(self, shape: schema.TableFile, cities: list[City]) -> TableWording:
        file = "table"
        texts = {key: {name: _text(t) for name, t in getattr(shape, key).items()}
                 for key in ("templates", "kinds", "kind_titles")}
        for name, text in texts["templates"].items():
            self.placeholders(file, f"templates.{name}", "", text, TEMPLATE_FIELDS, template=True)
        for city in cities:
            if city.kind and city.kind not in texts["kinds"]:
                self.problem("cities", city.id, f"kind '{city.kind}' is not one of table.yaml's kinds ({', '.join(texts['kinds'])})")
        for kind in set(texts["kinds"]) ^ set(texts["kind_titles"]):
            self.problem(file, f"kinds.{kind}", "every kind needs both a phrase in 'kinds' and a heading in 'kind_titles'")
        return TableWording(*(MappingProxyType(texts[k]) for k in ("templates", "kinds", "kind_titles")))

    def sources(self, shape: schema.SourcesFile) -> dict[str, Source]:
        out: dict[str, Source] = {}
        seen: dict[str, str] = {}
        for item in shape.sources:
            ident = self.ident("sources", item.id, seen)
            short = _text(item.label) if item.label is not None else None
            if short is not None and max(len(short.th), len(short.en)) > MAX_SOURCE_LABEL:
                self.problem("sources", item.id, f"'label' must be at most {MAX_SOURCE_LABEL} characters: it shares one line")
            if not re.match(r"^https?://\S+$", item.url):
                self.problem("sources", item.id, "'url' must be an http(s) address")
            elif ident:
                out[ident] = Source(ident, _text(item.title), item.url, short, item.lang)
        return out

    def strings(self, shape: schema.StringsFile) -> dict[str, Text]:
        out = {key: _text(value) for key, value in shape.strings.items()}
        for key, text in out.items():
            self.placeholders("strings", key, "", text, STRING_FIELDS)
            if key.startswith(COMMAND_PREFIX):
                self.command(key, text)
        for key in REQUIRED_STRINGS:
            if key not in out:
                self.problem("strings", key, "missing: the code needs this string")
        return out

    def command(self, key: str, text: Text) -> None:
        """A command's menu entry within Telegram's limits, which would otherwise refuse the whole menu."""
        if not re.fullmatch(r"[a-z0-9_]{1,32}", key.removeprefix(COMMAND_PREFIX)):
            self.problem("strings", key, "a command name is 1-32 of a-z, 0-9 and _ (Telegram's rule)")
        for lang in LANGS:
            if not 1 <= len(text.get(lang).strip()) <= MAX_COMMAND_DESCRIPTION:
                self.problem("strings", key, f"'{lang}': a command description is 1-{MAX_COMMAND_DESCRIPTION} "
                                             f"characters (Telegram's limit), this one has {len(text.get(lang))}")

    def entries(self, file: str, items: Iterable[schema.Entry], kind: str, sources: Mapping[str, Source],
                ids: dict[str, str]) -> list[Entry]:
        out: list[Entry] = []
        for item in items:
            label = item.id
            ident = self.ident(file, label, ids)
            title = _text(item.title)
            slots: tuple[str, ...] = getattr(item, "slots", ())
            questions = _by_lang(item.questions)
            for written in (title.th, title.en):
                for slot in re.findall(r"\{(\w+)\}", written):
                    if slot not in slots and slot not in TITLE_FIELDS:
                        self.problem(file, label, f"title uses {{{slot}}}: not one of the entry's slots nor {', '.join(TITLE_FIELDS)}")
            for phrasings in questions.values():
                for phrasing in phrasings:
                    for slot in re.findall(r"\{(\w+)\}", phrasing):
                        if slot not in slots:
                            self.problem(file, label, f"phrasing '{phrasing}' uses {{{slot}}}, not one of the entry's slots")
            answer = _text(item.answer) if isinstance(item, (schema.Faq, schema.Smalltalk)) else None
            if answer is not None:
                self.placeholders(file, label, "answer", answer, ANSWER_FIELDS)
            templates = {n: _text(t) for n, t in getattr(item, "templates", {}).items()}
            for name, text in templates.items():
                self.placeholders(file, label, f"templates.{name}", text, TEMPLATE_FIELDS, template=True)
            if ident:
                out.append(Entry(
                    id=ident, kind=kind, title=title, answer=answer,  # type: ignore[arg-type]
                    questions=MappingProxyType(questions), keywords=MappingProxyType(_by_lang(item.keywords)),
                    sources=self.cited(file, label, getattr(item, "sources", ()), sources), follow_up=item.follow_up,
                    years=tuple(getattr(item, "years", ())), slots=slots, requires=MappingProxyType(_by_lang(item.requires)),
                    templates=MappingProxyType(templates), unknown=bool(getattr(item, "unknown", False)),
                    series=getattr(item, "series", None),
                ))
        return out

    def cities(self, shape: schema.CitiesFile, sources: Mapping[str, Source]) -> tuple[list[City], list[Place], list[Intake]]:
        file = "cities"
        seen: dict[str, str] = {}
        cities: list[City] = []
        for item in shape.cities:
            ident = self.ident(file, item.id, seen)
            if item.joined_be != item.joined + BE_OFFSET:
                self.problem(file, item.id, f"'joined_be' must be {item.joined + BE_OFFSET} (joined {item.joined} + 543), not {item.joined_be}")
            srcs = self.cited(file, item.id, item.sources, sources)
            if ident:
                cities.append(City(ident, _text(item.name), _text(item.short), _text(item.province), _words(item.aliases),
                                   item.joined, item.joined + BE_OFFSET, srcs,
                                   _text(item.note) if item.note is not None else None, item.kind))
        places = [Place(_text(p.name), _words(p.aliases)) for p in shape.non_members]
        intakes = [Intake(i.year, i.date, self.cited(file, f"intakes[{n}]", i.sources, sources), i.cities, i.countries)
                   for n, i in enumerate(shape.intakes)]
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

    def settings(self, shape: schema.MatcherFile) -> MatcherSettings:
        file = "matcher"
        if not shape.suggest_threshold <= shape.answer_threshold:
            self.problem(file, "", "need 0 <= suggest_threshold <= answer_threshold <= 1")
        romanised = self.thai_to_latin(file, "romanised", shape.romanised, "its spellings in Latin letters")
        bridge = self.thai_to_latin(file, "bridge", shape.bridge, "English words a Thai question may use for it")
        return MatcherSettings(
            answer_threshold=shape.answer_threshold, suggest_threshold=shape.suggest_threshold, margin=shape.margin,
            max_suggestions=shape.max_suggestions, sure_threshold=shape.sure_threshold,
            stopwords=frozenset(_flat(shape.stopwords)), topic=_flat(shape.topic), present=_flat(shape.present),
            asides=_flat(shape.asides), closings=_flat(shape.closings), switches=_flat(shape.switches), endings=frozenset(_flat(shape.endings)),
            last_words=MappingProxyType(dict(shape.last_words)),
            synonyms=tuple(_words(group) for groups in shape.synonyms.values() for group in groups),
            asks=MappingProxyType({k: _flat(v) for k, v in shape.asks.items()}),
            cues=MappingProxyType({k: _flat(v) for k, v in shape.cues.items()}),
            romanised=MappingProxyType(romanised), bridge=MappingProxyType(bridge),
            not_words=tuple(str(w) for w in shape.not_words), counted=_flat(shape.counted),
            approximate=_flat(shape.approximate),
        )

    def thai_to_latin(self, file: str, key: str, mapping: Mapping[str, Sequence[str | int]], what: str) -> dict[str, tuple[str, ...]]:
        """A mapping of Thai words to Latin ones (`romanised`, `bridge`), each wrong item named."""
        out: dict[str, tuple[str, ...]] = {}
        for word, latin in mapping.items():
            if not re.search(r"[\u0e00-\u0e7f]", word) or not all(str(v).isascii() for v in latin):
                self.problem(file, f"{key}.{word}", f"a Thai word maps to a list of {what}")
                continue
            out[word] = _words(latin)
        return out

    def named(self, shape: schema.EntitiesFile) -> NamedThings:
        file = "entities"
        covered = _words(shape.covered)
        groups: list[tuple[str, tuple[str, ...]]] = []
        owner: dict[str, str] = {}
        for kind, listed in shape.kinds.items():
            if kind not in ENTITY_KINDS:
                self.problem(file, f"kinds.{kind}", f"unknown kind; use one of {', '.join(ENTITY_KINDS)}")
                continue
            for n, group in enumerate(listed):
                where, names = f"kinds.{kind}[{n}]", _words(group)
                label = f"{kind}:{names[0]}"
                for name in names:
                    key = " ".join(name.casefold().split())
                    if key in owner and owner[key] != label:
                        self.problem(file, where, f"name '{name}' also names {owner[key]}")
                    owner[key] = label
                    if key in {c.casefold() for c in covered}:
                        self.problem(file, where, f"name '{name}' is listed as covered")
                groups.append((label, names))
        return NamedThings(tuple(groups), covered, _words(shape.honorifics))

    def cross_check(self, entries: list[Entry]) -> None:
        by_id = {e.id: e for e in entries}
        series_years: dict[tuple[str, int], str] = {}
        for entry in entries:
            if entry.series is None:
                continue
            if not entry.years:
                self.problem(_file_of(entry), entry.id, f"is in series '{entry.series}' but names no years")
            for year in entry.years:
                other = series_years.setdefault((entry.series, year), entry.id)
                if other != entry.id:
                    self.problem(_file_of(entry), entry.id, f"series '{entry.series}' already has {other} for {year}")
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


def _file_of(entry: Entry) -> str:
    return {"faq": "faq", "smalltalk": "smalltalk", "intent": "intents"}[entry.kind]
