"""Answers composed from the city table, so that adding a city is one row and not five FAQ entries.

The wording comes from the intent's templates in `knowledge/intents.yaml`; this module only fills
them with facts from `knowledge/cities.yaml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.core.entities import PlaceRef
from bot.knowledge import City, Entry, KnowledgeBase, Lang

CITY_STATUS = "city-status"
CITIES_BY_YEAR = "cities-by-year"
CITY_LIST = "city-list"
CITY_COUNT = "city-count"
TABLE_INTENTS = (CITY_STATUS, CITIES_BY_YEAR, CITY_LIST, CITY_COUNT)
#: The templates each intent's composer below fills (an intent's optional "intake" is not one): `check`
#: refuses an intents.yaml entry without one of them by name (bot/rehearse.py).
INTENT_TEMPLATES: Mapping[str, frozenset[str]] = {
    CITY_STATUS: frozenset({"member", "member_in_province", "not_member", "when_date", "when_year", "where"}),
    CITIES_BY_YEAR: frozenset({"found", "found_one", "none"}),
    CITY_LIST: frozenset({"line", "list"}),
    CITY_COUNT: frozenset({"count", "count_before"}),
}


@dataclass(frozen=True)
class Composed:
    body: str
    sources: tuple[str, ...]
    known: bool = True            # False: the table has no answer (e.g. no Thai city joined that year)
    cities: tuple[str, ...] = ()  # ids of the member cities the answer is about, for "when did they join?"


def compose(entry: Entry, kb: KnowledgeBase, lang: Lang, places: tuple[PlaceRef, ...], years: tuple[int, ...]) -> Composed:
    if entry.id == CITY_STATUS:
        return _status(entry, kb, lang, places)
    if entry.id == CITIES_BY_YEAR:
        return _by_year(entry, kb, lang, years)
    if entry.id == CITY_LIST:
        return _listing(entry, kb, lang)
    if entry.id == CITY_COUNT:
        return _count(entry, kb, lang)
    raise KeyError(f"no composer for intent '{entry.id}'")


def format_date(date: dt.date, lang: Lang, kb: KnowledgeBase) -> str:
    month = kb.string("months", lang).split(",")[date.month - 1].strip()
    year = date.year + 543 if lang == "th" else date.year
    return f"{date.day} {month} {year}"


def join_names(names: Iterable[str], lang: Lang, kb: KnowledgeBase) -> str:
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    conj = kb.string("and", lang)
    if lang == "th":
        # "ตาก, ระยอง และสตูล"; "และ" runs into a Thai word but not into a number ("2567 และ 2568").
        gap = "" if "\u0e00" <= items[-1][:1] <= "\u0e7f" else " "
        return f"{', '.join(items[:-1])} {conj}{gap}{items[-1]}"
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def _fill(entry: Entry, name: str, lang: Lang, values: Mapping[str, object]) -> str:
    return entry.templates[name].get(lang).format_map(dict(values))


def _members(kb: KnowledgeBase, until: int | None = None) -> list[City]:
    cities = [c for c in kb.cities if until is None or c.joined <= until]
    return sorted(cities, key=lambda c: c.joined)   # stable: the table's own order within a year


def _year(value: int, lang: Lang) -> int:
    return value + 543 if lang == "th" else value


def _as_of(kb: KnowledgeBase, lang: Lang) -> str:
    dated = [i for i in kb.intakes if any(c.joined == i.year for c in kb.cities)]
    latest = max(dated, key=lambda i: i.date, default=None)
    return format_date(latest.date, lang, kb) if latest else str(_year(max(c.joined for c in kb.cities), lang))


def _status(entry: Entry, kb: KnowledgeBase, lang: Lang, places: tuple[PlaceRef, ...]) -> Composed:
    by_id = {c.id: c for c in kb.cities}
    parts: list[str] = []
    sources: list[str] = list(entry.sources)
    for place in places:
        city = by_id.get(place.city_id or "")
        if city is not None:
            note = f" {city.note.get(lang)}" if city.note else ""
            # "Khon Kaen (in Khon Kaen province)" says nothing; "Hat Yai (in Songkhla province)" does.
            where = "" if city.province.en == city.short.en else " " + _fill(entry, "where", lang, {"province": city.province.get(lang)})
            intake = next((i for i in kb.intakes if i.year == city.joined), None)
            when = _fill(entry, "when_date" if intake else "when_year", lang, {
                "date": format_date(intake.date, lang, kb) if intake else "", "year": _year(city.joined, lang),
                "year_ce": city.joined})
            parts.append(_fill(entry, "member", lang, {
                "city": city.short.get(lang), "name": city.name.get(lang), "where": where, "when": when,
                "year": _year(city.joined, lang), "year_ce": city.joined, "note": note,
            }).strip())
            sources.extend(city.sources)
            continue
        members = _members(kb)
        text = _fill(entry, "not_member", lang, {
            "place": place.name.get(lang), "as_of": _as_of(kb, lang), "count": len(members),
            "members": join_names((c.short.get(lang) for c in members), lang, kb),
        })
        nearby = [c for c in members if place.province and c.province.en == place.province.en]
        if nearby:
            text += " " + _fill(entry, "member_in_province", lang, {
                "place": place.name.get(lang),
                "cities": join_names((c.name.get(lang) for c in nearby), lang, kb),
            })
        parts.append(text)
        sources.extend(s for c in members for s in c.sources)
    named = tuple(p.city_id for p in places if p.city_id in by_id)
    return Composed("\n\n".join(parts), tuple(dict.fromkeys(sources)), cities=named)


def _by_year(entry: Entry, kb: KnowledgeBase, lang: Lang, years: tuple[int, ...]) -> Composed:
    parts: list[str] = []
    sources: list[str] = []
    named: list[str] = []
    known = False
    for year in years:
        joined = [c for c in _members(kb) if c.joined == year]
        if joined:
            known = True
            named.extend(c.id for c in joined)
            # "only one" says what "1 แห่ง" leaves the reader to infer: no other Thai city joined that year.
            parts.append(_fill(entry, "found_one" if len(joined) == 1 else "found", lang, {
                "year": _year(year, lang), "count": len(joined),
                "members": kb.table.templates["member_one" if len(joined) == 1 else "member_many"].get(lang),
                "cities": join_names((c.name.get(lang) for c in joined), lang, kb),
            }))
            sources.extend(s for c in joined for s in c.sources)
            # "How many cities joined in 2024?" may mean the whole intake, not Thailand's share: say both.
            for intake in kb.intakes:
                if intake.year == year and intake.cities and intake.countries and "intake" in entry.templates:
                    parts[-1] += " " + _fill(entry, "intake", lang, {
                        "date": format_date(intake.date, lang, kb), "cities": intake.cities, "countries": intake.countries})
                    sources.extend(intake.sources)
        else:
            intake_years = sorted({c.joined for c in kb.cities})
            parts.append(_fill(entry, "none", lang, {
                "year": _year(year, lang),
                "years": join_names((str(_year(y, lang)) for y in intake_years), lang, kb),
            }))
    return Composed("\n\n".join(parts), tuple(dict.fromkeys(sources or entry.sources)), known, tuple(named))


def _listing(entry: Entry, kb: KnowledgeBase, lang: Lang) -> Composed:
    members = _members(kb)
    lines = []
    for year in sorted({c.joined for c in members}):
        lines.append(_fill(entry, "line", lang, {
            "year": _year(year, lang),
            "cities": join_names((c.name.get(lang) for c in members if c.joined == year), lang, kb),
        }))
    body = _fill(entry, "list", lang, {"count": len(members), "as_of": _as_of(kb, lang), "lines": "\n".join(lines)})
    return Composed(body, tuple(dict.fromkeys([*entry.sources, *(s for c in members for s in c.sources)])),
                    cities=tuple(c.id for c in members))


def _count(entry: Entry, kb: KnowledgeBase, lang: Lang) -> Composed:
    members = _members(kb)
    dated = sorted((i for i in kb.intakes if any(c.joined == i.year for c in members)), key=lambda i: i.date)
    body = _fill(entry, "count", lang, {
        "count": len(members), "as_of": _as_of(kb, lang),
        "members": join_names((c.short.get(lang) for c in members), lang, kb),
    })
    if len(dated) >= 2:
        before = dated[-2]
        body += " " + _fill(entry, "count_before", lang, {
            "count": len(_members(kb, before.year)), "as_of": format_date(before.date, lang, kb),
        })
    sources = [*entry.sources, *(s for i in dated[-2:] for s in i.sources)]
    return Composed(body, tuple(dict.fromkeys(sources)))
