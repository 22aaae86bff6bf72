"""Questions composed over the city table: several cities, order, first/latest, kind, at a date.

"Did Phuket join before Yala?", "the first Thai member?", "which members are whole provinces?",
"Thai members before 2024": each relates rows of `knowledge/cities.yaml`, and no phrasing per
combination could cover them. A question is read here as a small explicit structure (which member
cities and other places it names, which years, and what it asks: order, first or latest, kind, a
bound on the year) and answered by composing the table's own facts with the templates of
`knowledge/table.yaml`.

The reading is taken only when the table explains the whole question: every word is one of the
table questions' own words, a cue word, a stopword or a name. "When was the first conference?" has
"conference", which the table knows nothing of, so it goes to the FAQ.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby

from bot.core.compose import Composed, format_date, join_names
from bot.core.entities import CITY, YEAR, PlaceRef
from bot.core.understand import TOPIC, Query, Reader, Synonyms, canonical
from bot.knowledge import City, Intake, KnowledgeBase, Lang

#: Cue labels (matcher.yaml `cues`) that make a question one about order in time.
ORDER_CUES = frozenset({"first", "latest", "before", "after", "until"})
#: The order cues that bound a time ("before 2022", "after that", "until now").
BOUND_CUES = frozenset({"before", "after", "until"})
KIND_CUES = frozenset({"kind", "province", "municipality", "government"})
#: The intents a composed reply is filed under (votes, related questions, reports).
STATUS, COUNT, LISTING = "city-status", "city-count", "city-list"
#: The intents whose questions are the table's (and whose phrasings give its words).
TABLE_INTENTS = (STATUS, COUNT, LISTING, "cities-by-year")
#: The words joining is read as (the first word of its synonym group in matcher.yaml, each language).
JOIN_WORDS = frozenset({"join", "เข้าร่วม", "เข้า"})
#: "which Thai cities joined", as read in each language: the question a step in time from a city's
#: year asks ("and the year before?" after when Chiang Mai joined).
MEMBERS_JOINED = {"en": ("thai", "citi", "join"), "th": ("ไทย", "เมือง", "เข้าร่วม")}
#: Countries: the table counts cities, never countries.
COUNTRY_WORDS = frozenset({"countri", "ประเทศ", "กี่ประเทศ"})
#: ...and Thailand: a count at a date is about Thailand's members only when the question says so.
THAI_WORDS = frozenset({"thai", "ไทย"})
#: A city or a member, as read: "who was the first Thai city to join?" asks which city, not who announced.
CITY_WORDS = frozenset({"citi", "member", "เมือง", "สมาชิก"})


@dataclass(frozen=True)
class Lexicon:
    """The words a question over the table may use; built once per knowledge base."""

    words: frozenset[str]
    yesno_first: frozenset[str]      # English words that open a yes/no question ("did", "is")
    light: frozenset[str] = frozenset()   # function words: stopwords, cue and question words, names
    #: Cue phrases of several words ("most recent", "ตอนประกาศ"), each read as nothing: a question
    #: holds them as phrases, and their words alone ("most") explain nothing.
    phrases: Mapping[str, Synonyms] = field(default_factory=dict)


@dataclass(frozen=True)
class TableQuestion:
    members: tuple[City, ...]
    outsiders: tuple[PlaceRef, ...]
    years: tuple[int, ...]
    cues: frozenset[str]
    asks: frozenset[str]
    yesno: bool
    joins: bool = False              # names the act of joining ("joined", "เข้าร่วม"), not just having
    thai: bool = False               # names Thailand ("Thai members"), not the whole network


def make_lexicon(kb: KnowledgeBase, reader: Reader, intents: Iterable[str] = TABLE_INTENTS) -> Lexicon:
    words: set[str] = {CITY, YEAR, TOPIC}
    light: set[str] = {CITY, YEAR, TOPIC}
    for cue_words in (*kb.settings.cues.values(), *kb.settings.asks.values(), kb.settings.stopwords):
        for word in cue_words:
            light.update(reader.read_phrasing(word).tokens)
            light.update(reader.stems(word))
    for entry_id in intents:
        entry = kb.entry(entry_id)
        if entry is None:
            continue
        for phrasings in entry.questions.values():
            for phrasing in phrasings:
                words.update(reader.read_phrasing(phrasing).tokens)
    for cue_words in (*kb.settings.asks.values(), kb.settings.present, kb.settings.stopwords):
        for word in cue_words:
            words.update(reader.read_phrasing(word).tokens)
            words.update(reader.stems(word))
    # "Yala with Bangkok join same year na?": a Thai particle typed in Latin letters, in an English
    # question, is as light as the particle itself.
    for thai, spellings in kb.settings.romanised.items():
        if thai in kb.settings.stopwords:
            particles = {s.lower() for s in spellings if " " not in s}
            light.update(particles)
            words.update(particles)
    phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for cue_words in kb.settings.cues.values():
        for word in cue_words:
            tokens = reader.read_phrasing(word).tokens
            if len(tokens) == 1:
                words.update(tokens)
                words.update(reader.stems(word))
            elif tokens:
                phrases.setdefault(tokens[0], []).append((tokens, ()))
    light -= {t for first in phrases.values() for variant, _ in first for t in variant} - words
    yesno = frozenset(t for w in kb.settings.cues.get("yesno", ()) if w.isascii() for t in reader.stems(w)[:1])
    longest_first = {k: tuple(sorted(v, key=lambda pair: -len(pair[0]))) for k, v in phrases.items()}
    return Lexicon(frozenset(words | light), yesno, frozenset(light), longest_first)


def asks_yes_or_no(query: Query, tokens: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether a question asks yes or no: a Thai one says so with its particle ("ไหม"), an English one
    opens with its verb ("is it…", not "what does it…")."""
    return "yesno" in query.cues and query.lang == "th" or bool(tokens) and tokens[0] in lexicon.yesno_first


def read(query: Query, tokens: Sequence[str], kb: KnowledgeBase, lexicon: Lexicon) -> TableQuestion | None:
    """The question as one over the table, or None when it is not one (or the plain intents serve it).

    `tokens` are the query's tokens with typos read as the words they stand for.
    """
    # "how do I get to Chiang Rai from Bangkok?": the table says when, which and how many, never how,
    # why or who ("who announced the latest round?"; but Thai asks "ยะลากับเชียงใหม่ ใครเข้าก่อน").
    which_city = bool(query.cues & {"first", "latest"}) and any(t in CITY_WORDS for t in tokens)
    # "ผู้ที่เปิดเผยข่าวกรุงเทพฯ ขอนแก่น และยะลา... คือท่านใด": who announced their news, not when they joined.
    if query.others or not tokens or query.asks & {"how", "why"} \
            or ("who" in query.asks and not which_city and not (query.places and query.cues & (ORDER_CUES | {"same"}))):
        return None
    if not covers(tokens, lexicon):
        return None
    # "how many countries?" counts what the table has no rows for ("รอบนั้นมีกี่ประเทศ" after the
    # cities of 2024 is the intake's count of countries).
    if "count" in query.asks and any(t in COUNTRY_WORDS for t in tokens):
        return None
    # The news itself (who announced it, when) is the FAQ's; the table only counts as of it.
    # "...in 2024, it was announced by who?" asks who, whatever "by" bounds.
    if "announce" in query.cues and ("who" in query.asks or not (query.years and query.cues & BOUND_CUES)):
        return None
    by_id = {c.id: c for c in kb.cities}
    members = tuple(dict.fromkeys(by_id[p.city_id] for p in query.places if p.city_id in by_id))
    outsiders = tuple(p for p in query.places if p.city_id not in by_id)
    cues = query.cues
    yesno = asks_yes_or_no(query, tokens, lexicon)
    joins = any(t in JOIN_WORDS for t in tokens)
    thai = any(t in THAI_WORDS for t in tokens)
    years = query.years
    if cues & {"before", "after"} and len(cues & {"first", "latest"}) == 1 and not years and len(members) <= 1:
        # "Thai members before the latest intake", "ก่อนรอบล่าสุด": a bound at the first or latest year.
        joined = sorted(c.joined for c in kb.cities)
        if joined:
            years, cues = ((joined[-1] if "latest" in cues else joined[0]),), cues - {"first", "latest"}
    if "after" in cues and cues & {"announce", "intake"} and years and not joins and not members:
        # "หลังประกาศเดือน ก.พ. 67 มีกี่เมือง", "Thai members after the 2022 intake": as of that news,
        # not the members who joined later.
        cues = (cues - {"after"}) | {"until"}
    if TOPIC in tokens and years:
        # "how many cities did the network have after the 2020 intake": the whole network at a date.
        cues = cues | {"world"}
    question = TableQuestion(members, outsiders, years, cues, query.asks, yesno, joins, thai)
    return question if _relates(question, _latest_year(kb)) else None


def covers(tokens: Iterable[str], lexicon: Lexicon) -> bool:
    """Whether the table explains every word of a question, its cue phrases read as wholes."""
    return all(explained(t, lexicon) for t in canonical(tuple(tokens), lexicon.phrases))


def explained(token: str, lexicon: Lexicon) -> bool:
    """Whether a question over the table may hold the word: one of its own, a digit, or a single
    letter (a Thai scrap of segmentation, or chat shorthand such as "n" for "and")."""
    return token in lexicon.words or token.isdigit() or len(token) == 1


def _latest_year(kb: KnowledgeBase) -> int:
    return max((i.year for i in kb.intakes), default=0)


def _relates(q: TableQuestion, latest: int) -> bool:
    """Whether the question relates rows of the table, which the plain intents do not do."""
    if len(q.members) + len(q.outsiders) >= 2 and q.members:
        return True
    if q.cues & KIND_CUES and q.members:
        return True
    # Without a city, "kind"/"แบบไหน" alone may ask what a learning city is; a kind of local
    # government must be named ("which members are provinces?").
    if q.cues & {"province", "municipality", "government"} and not q.outsiders:
        return True
    # "the first learning city ever?", "how big was the network after the 2024 intake?": about the
    # whole network, which the table does not hold, unless the question also says Thai.
    # "ฉะเชิงเทราเข้าเครือข่ายพร้อมเมืองไหนบ้าง": the members that joined with a member (its "network"
    # is the one it joined, not the world's).
    # But "how many cities worldwide joined with Chachoengsao?" counts the world's.
    if len(q.members) == 1 and "same" in q.cues and not ("worldwide" in q.cues and "count" in q.asks):
        return True
    if "world" in q.cues and not q.thai:
        return False
    if q.cues & {"first", "latest", "order"} and not q.outsiders and not q.years:
        return True
    # "which cities joined after Khon Kaen?", "did Yala join before 2023?"; not "since when?".
    if len(q.members) == 1 and len(q.years) <= 1 and q.cues & BOUND_CUES and not q.outsiders \
            and (q.years or "when" not in q.asks):
        return True
    if _in_intake(q, latest):
        return True
    if q.members or q.outsiders:
        return False
    if len(q.years) == 2 and "between" in q.cues:
        return True
    if len(q.years) != 1:
        return False
    if q.cues & BOUND_CUES:
        return True
    # "ปี 67 ไทยมีสมาชิกกี่แห่ง": how many members Thailand had then, not how many joined.
    return "count" in q.asks and "have" in q.cues and not q.joins


def _in_intake(q: TableQuestion, latest: int) -> bool:
    """Whether the question checks one place against one year's intake ("was Nakhon Si Thammarat in
    the December 2025 intake?", "ภูเก็ตเข้าปี 67 ใช่ไหม"): the answer is yes or no, not the intake's list,
    which leaves the asker to see that their city is not in it. A later year's intake ("will Korat be
    chosen in 2026?") has not happened, and nothing in the table says."""
    return (len(q.members) + len(q.outsiders) == 1 and len(q.years) == 1 and q.years[0] <= latest and q.yesno
            and (q.joins or "intake" in q.cues) and not q.cues & (ORDER_CUES | {"same", "world", "worldwide", "announce"})
            and not q.asks & {"which", "who", "count", "when", "where"})


def compose(q: TableQuestion, kb: KnowledgeBase, lang: Lang) -> tuple[Composed, str]:
    """The composed answer and the intent it is filed under."""
    w = _Wording(kb, lang)
    members = sorted(kb.cities, key=lambda c: c.joined)   # stable: the table's own order within a year
    # "Hat Yai or Songkhla, which is the member?": a place and the member inside it ask which body it is.
    same_province = any(p.province is not None and p.province.en == c.province.en for p in q.outsiders for c in q.members)
    if len(q.members) == 1 and not q.outsiders and "same" in q.cues and q.cues & {"province", "municipality"} \
            and (q.asks & {"which", "count"} or q.yesno):
        # "which provinces joined the same year as Sukhothai?": the kinds of that year's members.
        return _kind_list(replace(q, members=(), years=(q.members[0].joined,)), w, members), LISTING
    if q.cues & KIND_CUES or same_province:
        return (_kind(q, w, members), STATUS) if q.members else (_kind_list(q, w, members), LISTING)
    if len(q.members) + len(q.outsiders) >= 2:
        return _several(q, w), STATUS
    if _in_intake(q, _latest_year(kb)):
        return _in_year(q, w), STATUS
    if q.members:
        return _one_in_order(q, w, members), STATUS
    if q.years:
        return _by_year(q, w, members), COUNT
    if "order" in q.cues and not q.cues & {"first", "latest"}:
        body = w("in_order", count=len(members), as_of=w.as_of(), cities=w.with_years(members))
        return Composed(body, _sources(w.kb, members, ("moe-2024",)), cities=_ids(members)), LISTING
    return _first_or_latest(q, w, members), LISTING


#: The templates of table.yaml the code words answers with: `_Wording` below, and "member_one" and
#: "member_many" in compose.py. A missing one is a KeyError only for the few questions that need it,
#: so `check` refuses a table.yaml without each of them by name (bot/rehearse.py).
TEMPLATES = frozenset({
    "after", "after_none", "alone_in_year", "answer_no", "answer_yes", "before", "before_none", "between",
    "between_none", "first_member", "first_of", "in_order", "joined", "kind_line", "kind_list", "kind_list_year",
    "kind_of", "last_of", "latest_intake", "latest_member", "latest_members", "member_many", "member_one", "member_year", "not_member",
    "same_date", "same_year", "same_year_as", "same_year_too", "until", "until_new", "where", "with_year", "years_apart",
})


class _Wording:
    """Templates of table.yaml filled in one language, with its years and lists."""

    def __init__(self, kb: KnowledgeBase, lang: Lang) -> None:
        self.kb, self.lang = kb, lang

    def __call__(self, template: str, /, **values: object) -> str:
        values.setdefault("members", self.kb.table.templates["member_one" if values.get("count") == 1 else "member_many"].get(self.lang))
        return self.kb.table.templates[template].get(self.lang).format_map(values)

    def year(self, year: int) -> int:
        return year + 543 if self.lang == "th" else year

    def names(self, cities: Iterable[City]) -> str:
        return join_names((c.short.get(self.lang) for c in cities), self.lang, self.kb)

    def with_years(self, cities: Sequence[City]) -> str:
        """Cities grouped by year joined: "Chiang Rai (2019); Chiang Mai, Phuket, Chachoengsao (2020)"."""
        groups = [(year, list(group)) for year, group in groupby(cities, key=lambda c: c.joined)]
        return "; ".join(self("with_year", city=", ".join(c.short.get(self.lang) for c in group), year=self.year(year))
                         for year, group in groups)

    def as_of(self) -> str:
        latest = max(self.kb.intakes, key=lambda i: i.date, default=None)
        return format_date(latest.date, self.lang, self.kb) if latest else ""

    def _intake(self, year: int) -> Intake | None:
        return next((i for i in self.kb.intakes if i.year == year), None)

    def dated(self, year: int) -> bool:
        return self._intake(year) is not None

    def joined_on(self, year: int) -> str:
        intake = self._intake(year)
        return format_date(intake.date, self.lang, self.kb) if intake else str(self.year(year))

    def sentences(self, parts: Iterable[str]) -> str:
        return " ".join(p for p in parts if p)


def _sources(kb: KnowledgeBase, cities: Iterable[City], extra: Iterable[str] = ()) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*extra, *(s for c in cities for s in c.sources)]))


def _kind(q: TableQuestion, w: _Wording, members: Sequence[City]) -> Composed:
    lines = []
    for city in q.members:
        where = "" if city.province.en == city.short.en else ", " + w("where", province=city.province.get(w.lang))
        if w.lang == "th" and where:
            where = " " + where[2:]
        lines.append(w("kind_of", city=city.short.get(w.lang), name=city.name.get(w.lang), where=where,
                       kind=w.kb.table.kinds[city.kind].get(w.lang) if city.kind else "", year=w.year(city.joined)))
    lines += [w("not_member", place=p.name.get(w.lang), as_of=w.as_of()) for p in q.outsiders]
    return Composed("\n".join(lines), _sources(w.kb, q.members, ("moe-2024",)), cities=_ids(q.members))


def _kind_list(q: TableQuestion, w: _Wording, members: Sequence[City]) -> Composed:
    # "which of them are provinces?" after the members of 2022: the kinds of that year's members
    # (all members when none joined that year).
    year = q.years[0] if len(q.years) == 1 and not q.cues & BOUND_CUES else None
    of_year = [c for c in members if c.joined == year]
    if of_year:
        members = of_year
    else:
        year = None
    kinds = list(w.kb.table.kind_titles)
    # The kind asked about comes first: "which members are whole provinces?" is answered in the first line.
    asked = [k for k in kinds if ("province" in q.cues and k == "province")
             or ("municipality" in q.cues and k.endswith("municipality"))]
    order = asked + [k for k in kinds if k not in asked]
    lines = []
    named = [c for c in members if c.kind in asked] or list(members)
    for kind in order:
        of_kind = [c for c in members if c.kind == kind]
        if of_kind:
            lines.append(w("kind_line", title=w.kb.table.kind_titles[kind].get(w.lang), count=len(of_kind),
                           cities=w.names(of_kind)))
    body = w("kind_list_year", count=len(members), year=w.year(year), lines="\n".join(lines)) if year is not None \
        else w("kind_list", count=len(members), as_of=w.as_of(), lines="\n".join(lines))
    return Composed(body, _sources(w.kb, members, ("moe-2024",)), cities=_ids(named))


def _several(q: TableQuestion, w: _Wording) -> Composed:
    cities = sorted(q.members, key=lambda c: c.joined)
    years = sorted({c.joined for c in cities})
    parts: list[str] = []
    if "same" in q.cues and q.yesno:
        parts.append(w("answer_yes" if len(years) == 1 else "answer_no"))
    if "gap" in q.cues and len(years) == 2:
        # "ห่างกันกี่ปี" after two members: how many years apart they joined.
        parts.append(w("years_apart", first=w.names(c for c in cities if c.joined == years[0]),
                       first_year=w.year(years[0]), later=w.names(c for c in cities if c.joined == years[1]),
                       later_year=w.year(years[1]), gap=years[1] - years[0]))
    elif len(years) == 1 and len(cities) >= 2:
        # "when was that again?" after the latest members: the day of their intake, when it is known.
        together = w("same_date", cities=w.names(cities), date=w.joined_on(years[0])) if w.dated(years[0]) \
            else w("same_year", cities=w.names(cities), year=w.year(years[0]))
        parts.append(together)
        # "ปีนั้นมีใครเข้าพร้อมกันอีก": the others of that year, when the members asked about were not all.
        others = [c for c in w.kb.cities if c.joined == years[0] and c not in cities]
        if others:
            parts.append(w("same_year_too", cities=w.names(others)))
    elif q.cues & ORDER_CUES and len(cities) >= 2:
        # ("Did Bangkok join before or after Phuket?" asks which, not yes or no.)
        if q.yesno and len(q.members) == 2 and len(q.cues & {"before", "after"}) == 1:
            # "Did Phuket join before Yala?": the order the question names them in is the claim.
            a, b = q.members
            claim = a.joined < b.joined if "before" in q.cues else a.joined > b.joined
            parts.append(w("answer_yes" if claim else "answer_no"))
        later = bool(q.cues & {"latest", "after"}) and not q.cues & {"first", "before"}
        if later:
            last = [c for c in cities if c.joined == years[-1]]
            rest = [c for c in cities if c.joined != years[-1]]
            parts.append(w("last_of", last=w.names(last), year=w.year(years[-1]), rest=w.with_years(rest)))
        else:
            first = [c for c in cities if c.joined == years[0]]
            rest = [c for c in cities if c.joined != years[0]]
            parts.append(w("first_of", first=w.names(first), year=w.year(years[0]), rest=w.with_years(rest)))
    else:
        for year in years:
            parts.append(w("joined", cities=w.names(c for c in cities if c.joined == year), year=w.year(year)))
    parts += [w("not_member", place=p.name.get(w.lang), as_of=w.as_of()) for p in q.outsiders]
    return Composed(w.sentences(parts), _sources(w.kb, cities, ("moe-2024",)), cities=_ids(cities))


def _in_year(q: TableQuestion, w: _Wording) -> Composed:
    """Yes or no for one place in one year's intake, and the year it did join, if it is a member."""
    if not q.members:
        return Composed(w("not_member", place=q.outsiders[0].name.get(w.lang), as_of=w.as_of()),
                        _sources(w.kb, (), ("moe-2024",)))
    city = q.members[0]
    parts = [w("answer_yes" if city.joined == q.years[0] else "answer_no"),
             w("member_year", city=city.short.get(w.lang), year=w.year(city.joined))]
    intakes = [s for i in w.kb.intakes if i.year == city.joined for s in i.sources]
    return Composed(w.sentences(parts), _sources(w.kb, [city], ("moe-2024", *intakes)), cities=_ids([city]))


def _one_in_order(q: TableQuestion, w: _Wording, members: Sequence[City]) -> Composed:
    """One member against the first/latest members or a year: "was Chiang Rai the first?"."""
    city = q.members[0]
    first_year, last_year = members[0].joined, members[-1].joined
    parts: list[str] = []
    if not q.years and q.cues & {"before", "after"} and not q.cues & {"first", "latest"}:
        # "which cities joined after Khon Kaen?": the members on the other side of its year.
        bounded = TableQuestion((), (), (city.joined,), q.cues - {"until"}, q.asks, False)
        body = _by_year(bounded, w, members)
        return Composed(w.sentences([w("member_year", city=city.short.get(w.lang), year=w.year(city.joined)), body.body]),
                        body.sources, cities=body.cities)
    if "same" in q.cues and not q.cues & {"first", "latest"}:
        others = [c for c in members if c.joined == city.joined and c != city]
        template = "same_year_as" if others else "alone_in_year"
        parts.append(w(template, city=city.short.get(w.lang), cities=w.names(others), year=w.year(city.joined)))
        return Composed(w.sentences(parts), _sources(w.kb, [city, *others], ("moe-2024",)), cities=_ids([city, *others]))
    if q.years and q.cues & BOUND_CUES:
        year = q.years[0]
        claim = (city.joined < year if "before" in q.cues else city.joined > year if "after" in q.cues
                 else city.joined <= year)
        parts += [w("answer_yes" if claim else "answer_no"), w("member_year", city=city.short.get(w.lang), year=w.year(city.joined))]
    elif "latest" in q.cues:
        latest = [c for c in members if c.joined == last_year]
        parts.append(w("answer_yes" if city.joined == last_year else "answer_no") if q.yesno else "")
        parts.append(_latest(w, latest, last_year))
        if city.joined != last_year:
            parts.append(w("member_year", city=city.short.get(w.lang), year=w.year(city.joined)))
    else:
        first = [c for c in members if c.joined == first_year]
        parts.append(w("answer_yes" if city.joined == first_year else "answer_no") if q.yesno else "")
        parts.append(w("first_member", cities=w.names(first), year=w.year(first_year)))
        if city.joined != first_year:
            parts.append(w("member_year", city=city.short.get(w.lang), year=w.year(city.joined)))
    return Composed(w.sentences(parts), _sources(w.kb, [city, *members[:1]], ("moe-2024",)), cities=_ids([city]))


def _by_year(q: TableQuestion, w: _Wording, members: Sequence[City]) -> Composed:
    year = q.years[0]
    if len(q.years) == 2:
        start, end = sorted(q.years)
        chosen = [c for c in members if start <= c.joined <= end]
        body = w("between", start=w.year(start), end=w.year(end), count=len(chosen), cities=w.with_years(chosen)) \
            if chosen else w("between_none", start=w.year(start), end=w.year(end))
        intakes = [s for i in w.kb.intakes if start <= i.year <= end for s in i.sources]
        return Composed(body, _sources(w.kb, chosen or members[:1], ("moe-2024", *intakes)), cities=_ids(chosen))
    if "before" in q.cues and "until" not in q.cues:
        chosen = [c for c in members if c.joined < year]
        if not chosen:
            body = w("before_none", year=w.year(year), first=w.names(members[:1]), first_year=w.year(members[0].joined))
        else:
            body = w("before", year=w.year(year), count=len(chosen), cities=w.with_years(chosen))
    elif "after" in q.cues:
        chosen = [c for c in members if c.joined > year]
        body = (w("after", year=w.year(year), count=len(chosen), cities=w.with_years(chosen)) if chosen
                else w("after_none", year=w.year(year), as_of=w.as_of()))
    else:
        chosen = [c for c in members if c.joined <= year]
        if not chosen:
            body = w("before_none", year=w.year(year), first=w.names(members[:1]), first_year=w.year(members[0].joined))
        else:
            new = [c for c in chosen if c.joined == year]
            body = w("until", year=w.year(year), count=len(chosen), cities=w.with_years(chosen))
            if new:
                body = w.sentences([body, w("until_new", new=len(new), year=w.year(year), new_cities=w.names(new))])
    intakes = [s for i in w.kb.intakes if i.year <= year for s in i.sources]
    return Composed(body, _sources(w.kb, chosen or members[:1], ("moe-2024", *intakes)), cities=_ids(chosen))


def _first_or_latest(q: TableQuestion, w: _Wording, members: Sequence[City]) -> Composed:
    if {"first", "latest"} <= q.cues:
        # "Which Thai member was admitted earliest, and which are the most recent additions?": both ends.
        start = _first_or_latest(replace(q, cues=q.cues - {"latest"}), w, members)
        end = _first_or_latest(replace(q, cues=q.cues - {"first"}), w, members)
        return Composed(w.sentences([start.body, end.body]), tuple(dict.fromkeys((*start.sources, *end.sources))),
                        cities=(*start.cities, *end.cities))
    if "latest" in q.cues:
        year = members[-1].joined
        latest = [c for c in members if c.joined == year]
        body = _latest(w, latest, year)
        intake = next((i for i in w.kb.intakes if i.year == year and i.cities and i.countries), None)
        if intake is not None:
            body = w.sentences([body, w("latest_intake", cities=intake.cities, countries=intake.countries)])
        intakes = [s for i in w.kb.intakes if i.year == year for s in i.sources]
        return Composed(body, _sources(w.kb, latest, intakes), cities=_ids(latest))
    year = members[0].joined
    first = [c for c in members if c.joined == year]
    return Composed(w("first_member", cities=w.names(first), year=w.year(year)), _sources(w.kb, first, ("moe-2024",)),
                    cities=_ids(first))


def _latest(w: _Wording, latest: Sequence[City], year: int) -> str:
    """Thailand's latest members, saying how many they are ("how many of the new ones were Thai?")."""
    return w("latest_members" if len(latest) > 1 else "latest_member", cities=w.names(latest),
             count=len(latest), date=w.joined_on(year))


def _ids(cities: Iterable[City]) -> tuple[str, ...]:
    return tuple(c.id for c in cities)


def explain(q: TableQuestion) -> Mapping[str, object]:
    """The reading as plain data, for `ask --json` debugging and tests."""
    return {"members": [c.id for c in q.members], "outsiders": [p.name.en for p in q.outsiders],
            "years": list(q.years), "cues": sorted(q.cues), "asks": sorted(q.asks), "yesno": q.yesno}
