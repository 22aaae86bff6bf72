"""Find the things a question is about, places and years, and put placeholders in their stead.

A question about Hat Yai and one about Yala share their wording, not their city; replacing the name
with a placeholder lets one phrasing ("when did {city} join") serve every city in the table, and
lets a non-member province be told apart from a question the bot does not cover.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pythainlp.corpus import provinces, thai_stopwords
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.normalize import ai_folded, base_thai_words, latin_key, skeleton
from bot.knowledge import City, KnowledgeBase, Text

CITY = "zcityz"
YEAR = "zyearz"
PLACEHOLDERS = {"city": CITY, "year": YEAR}

#: A name typed this many letters long or longer (once folded by `skeleton` or `latin_key`) may be
#: one keystroke off a known name: one letter, vowel or tone mark added, dropped, changed or swapped.
MIN_FUZZY_NAME = {"th": 4, "en": 5}
#: A name folded to this length or longer that equals a known one is it ("Yalla" is "Yala").
MIN_FOLDED_NAME = 4
#: ...and this long or longer, two keystrokes off ("นครศรีธรรมราช", "Nakhon Si Thammarat").
LONG_FUZZY_NAME = {"th": 9, "en": 10}
#: Thai words that precede a place name and make a short or common-word name unambiguous.
_PLACE_MARKERS = ("จังหวัด", "จ", "เมือง", "เทศบาล", "นคร", "province", "city")
#: Words written before (Thai) or after (English) a place name that only say what kind of place it is.
_NAME_PREFIXES = frozenset({"จังหวัด", "จ", "เมือง", "เทศบาล", "เทศบาลนคร", "เทศบาลเมือง", "นคร"})
_NAME_SUFFIXES = frozenset({"province", "city", "municipality", "town"})
#: Words before a place that deny it: "Phayao ไม่ใช่ Phuket", "Phayao, not Phuket" names the place meant
#: and the one that is not.
_DENIALS = (("not",), ("ไม่", "ใช่"), ("มิ", "ใช่"), ("ไม่ใช่",))
#: Words that make a place name part of an organisation's name, before it (Thai) or after it (English).
_ORG_PREFIXES = frozenset({"มหาวิทยาลัย", "ม", "มหาลัย", "โรงเรียน", "โรงพยาบาล", "วิทยาลัย", "สนามบิน", "ท่าอากาศยาน",
                           "สถานี", "ธนาคาร", "สโมสร"})
_ORG_SUFFIXES = frozenset({"university", "hospital", "school", "college", "airport", "station", "bank", "club", "fc",
                           "united"})
#: Years the network can be asked about: before 2013 it did not exist.
FIRST_YEAR, LAST_YEAR = 1990, 2100
BE_OFFSET = 543
#: The abbreviated months as typed in chat, without their dots ("รอบ ธค 68"): before a year they
#: say no more than the year does.
_DOTLESS_MONTHS = frozenset({"มค", "กพ", "มีค", "เมย", "พค", "มิย", "กค", "สค", "กย", "ตค", "พย", "ธค"})
#: Tokens after which a two-digit number is a short Buddhist-era year: "ปี 67", "พ.ศ. 67", and Thai
#: dates, which write the month and then the year ("14 ก.พ. 67", "ธันวาคม 68", "ธันวา 68"). An abbreviated month
#: ends in one of ค, พ, ย once its dots are gone (ม.ค., ก.พ., เม.ย., ...),
#: or is typed without them.
_BEFORE_SHORT_YEAR = _DOTLESS_MONTHS | frozenset({
    "ปี", "ศ", "พศ", "ค", "พ", "ย", "สิ้นปี", "ต้นปี", "กลางปี", "ปลายปี", "ช่วงปี",
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
    # ...and the months as said in chat ("รอบธันวา 68")
    "มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา", "กรกฎา", "สิงหา", "กันยา", "ตุลา", "พฤศจิกา", "ธันวา",
})


@dataclass(frozen=True)
class PlaceRef:
    """A place named in a question: a member city (city_id set) or a Thai place that is not one."""

    name: Text
    city_id: str | None
    province: Text | None = None


@dataclass(frozen=True)
class Found:
    tokens: tuple[str, ...]
    places: tuple[PlaceRef, ...]
    years: tuple[int, ...]


@dataclass(frozen=True)
class Gazetteer:
    """Every name of every place the bot knows, as token sequences, longest first."""

    by_tokens: dict[tuple[str, ...], PlaceRef]
    by_skeleton: dict[str, PlaceRef]
    latin_names: tuple[str, ...]
    latin_refs: tuple[PlaceRef, ...]
    max_len: int
    #: Every name folded (`skeleton` for Thai, `latin_key` for Latin), with its place, for typos.
    thai_keys: tuple[str, ...] = ()
    thai_refs: tuple[PlaceRef, ...] = ()
    latin_keys: tuple[str, ...] = ()
    latin_key_refs: tuple[PlaceRef, ...] = ()
    #: Every word of every name, and the Latin words the knowledge base uses that are in no name:
    #: a word of the second kind is a word, not a misspelt name ("what un" is not "Satun").
    name_words: frozenset[str] = frozenset()
    common: frozenset[str] = frozenset()

    def latin_place(self, words: Sequence[str]) -> tuple[PlaceRef, int] | None:
        """The place Latin words are a keystroke or two from, if exactly one is that close, and how far."""
        return nearest(latin_words_key(words), self.latin_keys, self.latin_key_refs, "en")

    def thai_place(self, joined: str) -> tuple[PlaceRef, int] | None:
        """The place a Thai spelling is a keystroke or two from, if exactly one is that close, and how far."""
        key = skeleton(joined)
        found = [f for f in (nearest(k, self.thai_keys, self.thai_refs, "th") for k in {key, ai_folded(key)}) if f]
        return min(found, key=lambda f: f[1]) if found and len({f[0] for f in found}) == 1 else None


def latin_words_key(words: Sequence[str]) -> str:
    """`latin_key` word by word: a letter doubled across two words ("is satun") is two letters."""
    return "".join(latin_key(w) for w in words)


def allowed_edits(key: str, script: str) -> int:
    """How many keystrokes a typed name of this length may be off a known one.

    >>> [allowed_edits(k, "en") for k in ("tak", "satun", "nakontammarat")]
    [0, 1, 2]
    """
    if len(key) >= LONG_FUZZY_NAME[script]:
        return 2
    return 1 if len(key) >= MIN_FUZZY_NAME[script] else 0


def nearest(key: str, keys: Sequence[str], refs: Sequence[PlaceRef], script: str) -> tuple[PlaceRef, int] | None:
    """The one place whose folded name is closest to `key` within the edits its length allows; None
    when none is, or when two different places are equally close (a guess is worse than asking).

    >>> a, b = PlaceRef(Text("ก", "Satun"), None), PlaceRef(Text("ข", "Satul"), None)
    >>> nearest("satuun", ["satun"], [a], "en") == (a, 1), nearest("satuk", ["satun", "satul"], [a, b], "en")
    (True, None)
    """
    edits = allowed_edits(key, script)
    if len(key) < MIN_FOLDED_NAME:
        return None
    # "phayo": a letter dropped from a name long enough to take a slip is that name, though what is
    # left is too short to take one of its own ("thank" is not Tak: a dropped letter, not an added one).
    dropped = script == "en" and edits == 0 and len(key) + 1 >= MIN_FUZZY_NAME[script]
    close = process.extract(key, keys, scorer=OSA.distance, score_cutoff=edits or int(dropped), limit=None)
    if dropped:
        close = [c for c in close if c[1] == 0 or len(c[0]) == len(key) + 1]
    if not close:
        return None
    best = min(c[1] for c in close)
    places = {refs[c[2]] for c in close if c[1] == best}
    return (places.pop(), best) if len(places) == 1 else None


#: The pieces abbreviated Thai month names leave once their dots are gone (ม.ค. -> ม, ค; เม.ย. -> เม, ย).
_MONTH_PARTS = frozenset({"ม", "ค", "ก", "พ", "มี", "เม", "ย", "มิ", "ส", "ต", "ธ"})


def year_from_token(token: str, previous: str | None) -> int | None:
    """A CE year from a number token: B.E. 2567 and CE 2024 alike, and "ปี 67" for B.E. 2567.

    >>> [year_from_token(t, p) for t, p in [("2567", None), ("2024", "in"), ("67", "ปี"), ("68", "พ"), ("64", None)]]
    [2024, 2024, 2024, 2025, None]

    Digits that int() cannot read (circled "⓵", superscripts) are not a year:

    >>> year_from_token("⓵", None) is None and year_from_token("²⁰²⁴", "in") is None
    True
    """
    if not token.isdecimal():
        return None
    n = int(token)
    if len(token) == 4:
        if 2400 <= n <= 2700:
            n -= BE_OFFSET
        return n if FIRST_YEAR <= n <= LAST_YEAR else None
    if len(token) == 2 and previous in _BEFORE_SHORT_YEAR:
        return 2500 + n - BE_OFFSET
    return None


def build_gazetteer(kb: KnowledgeBase, tokenize: Tokenizer, common: Iterable[str] = ()) -> Gazetteer:
    """Every name of every place; `common` are words the knowledge base uses (never read as a typo)."""
    by_tokens: dict[tuple[str, ...], PlaceRef] = {}
    by_skeleton: dict[str, PlaceRef] = {}
    latin: dict[str, PlaceRef] = {}
    latin_folded: dict[str, PlaceRef] = {}

    def add(names: Iterable[str], ref: PlaceRef, *, override: bool) -> None:
        for name in names:
            tokens = tuple(tokenize(name))
            if not tokens:
                continue
            if override or tokens not in by_tokens:
                by_tokens[tokens] = ref
            joined = "".join(tokens)
            if joined.isascii():
                if override or joined not in latin:
                    latin[joined] = ref
                if override or latin_words_key(tokens) not in latin_folded:
                    latin_folded[latin_words_key(tokens)] = ref
            elif len(skeleton(joined)) >= 4 and (override or skeleton(joined) not in by_skeleton):
                by_skeleton[skeleton(joined)] = ref

    for city in kb.cities:
        ref = PlaceRef(city.short, city.id, city.province)
        add(_city_names(city), ref, override=True)
    for place in kb.non_members:
        add((*place.aliases, place.name.th, place.name.en), PlaceRef(place.name, None), override=False)
    rows: list[dict[str, str]] = provinces(details=True)  # type: ignore[assignment]  # typed loosely upstream
    for row in rows:
        name = Text(th=row["name_th"], en=row["name_en"])
        add((row["name_th"], row["name_en"]), PlaceRef(name, None, name), override=False)
    max_len = max((len(k) for k in by_tokens), default=1)
    name_words = frozenset(t for key in by_tokens for t in key)
    thai_keys = {**by_skeleton, **{ai_folded(k): ref for k, ref in by_skeleton.items() if ai_folded(k) not in by_skeleton}}
    return Gazetteer(by_tokens, by_skeleton, tuple(latin), tuple(latin.values()), max_len,
                     tuple(thai_keys), tuple(thai_keys.values()), tuple(latin_folded), tuple(latin_folded.values()),
                     name_words, frozenset(common) - name_words)


def _city_names(city: City) -> tuple[str, ...]:
    return (*city.aliases, city.short.th, city.short.en, city.name.th, city.name.en)


#: What turns a name into the tokens a question would be read as.
Tokenizer = Callable[[str], list[str]]


@lru_cache(maxsize=1)
def _ambiguous_thai() -> frozenset[str]:
    return frozenset(thai_stopwords())


def find(tokens: Sequence[str], gazetteer: Gazetteer) -> Found:
    """Replace place names and years in a token list with placeholders, longest names first."""
    out: list[str] = []
    places: list[PlaceRef] = []
    denied: list[tuple[PlaceRef, int, int]] = []    # a place after a denial, and where "not <place>" is in `out`
    years: list[int] = []
    i = 0
    while i < len(tokens):
        hit = _place_at(tokens, i, gazetteer)
        if hit is not None and _names_an_organisation(tokens, i, hit[1], out):
            out.extend(tokens[i:i + hit[1]])
            i += hit[1]
            continue
        if hit is not None:
            ref, width = hit
            if ref not in places:
                places.append(ref)
            # "จังหวัดยะลา", "Yala province": the word for the kind of place is part of the name.
            if out and out[-1] in _NAME_PREFIXES:
                out.pop()
            # ...but only after the place meant: "ไม่ใช่ กทม. ขอนแก่น ยะลา เหรอ" doubts all three.
            denial = next((d for d in _DENIALS if tuple(out[-len(d):]) == d), None) if CITY in out else None
            if denial is not None:
                denied.append((ref, len(out) - len(denial), len(out) + 1))
            out.append(CITY)
            i += width
            if i < len(tokens) and _names_a_kind(tokens[i]):
                i += 1
            continue
        year = year_from_token(tokens[i], tokens[i - 1] if i else None)
        if year is not None:
            years.append(year)
            # An abbreviated month before the year ("ก.พ. 67") leaves one-letter scraps that say
            # nothing a matcher can use; the year placeholder stands for the date.
            while out and (len(out[-1]) <= 2 and out[-1] in _MONTH_PARTS or out[-1] in _DOTLESS_MONTHS):
                out.pop()
            out.append(YEAR)
        else:
            out.append(tokens[i])
        i += 1
    meant = [p for p in places if p not in {ref for ref, _, _ in denied}]
    if denied and meant:
        # "sorry, typo: Phayao, not Phuket": the place denied is not asked about, when another one is.
        for ref, start, end in reversed(denied):
            del out[start:end]
        places = meant
    return Found(tuple(out), tuple(places), tuple(dict.fromkeys(years)))


def _names_a_kind(token: str) -> bool:
    """Whether a word after a place is the kind of place it is, typed well or with one slip
    ("Rayong provice"): left as a word of its own, the slip would count against every phrasing."""
    if token in _NAME_SUFFIXES:
        return True
    return len(token) >= 6 and any(OSA.distance(token, s) <= (1 if len(s) < 10 else 2) for s in _NAME_SUFFIXES)


def _names_an_organisation(tokens: Sequence[str], i: int, width: int, before: Sequence[str]) -> bool:
    """"มหาวิทยาลัยขอนแก่น", "Khon Kaen University": the place names an organisation, and a question
    about the university is not a question about the city's membership."""
    after = tokens[i + width] if i + width < len(tokens) else ""
    return bool(before and before[-1] in _ORG_PREFIXES) or after in _ORG_SUFFIXES


def _place_at(tokens: Sequence[str], i: int, gaz: Gazetteer) -> tuple[PlaceRef, int] | None:
    for width in range(min(gaz.max_len, len(tokens) - i), 0, -1):
        window = tuple(tokens[i:i + width])
        ref = gaz.by_tokens.get(window)
        if ref is not None:
            if width == 1 and window[0] in _ambiguous_thai() and not _marked(tokens, i):
                continue
            return ref, width
    return _skeleton_place_at(tokens, i, gaz) or _typed_place_at(tokens, i, gaz)


def _marked(tokens: Sequence[str], i: int) -> bool:
    """Whether a word that is also a common Thai word ("เลย") follows a word that makes it a place
    ("จังหวัดเลย"), and that word is not itself part of a phrase ("ทั้งจังหวัดเลย": the whole
    province, at all)."""
    return i > 0 and tokens[i - 1] in _PLACE_MARKERS and not (i > 1 and tokens[i - 2] in _WHOLE)


#: Words before a place marker that make it "the whole province", not a province's name.
_WHOLE = frozenset({"ทั้ง", "whole", "entire"})


def _skeleton_place_at(tokens: Sequence[str], i: int, gaz: Gazetteer) -> tuple[PlaceRef, int] | None:
    for width in range(min(4, len(tokens) - i), 0, -1):
        joined = "".join(tokens[i:i + width])
        if not joined.isascii():
            ref = gaz.by_skeleton.get(skeleton(joined))
            if ref is not None and len(skeleton(joined)) >= 4:
                return ref, width
    return None


def _names_a_place_at(tokens: Sequence[str], j: int, gaz: Gazetteer) -> bool:
    return any(tuple(tokens[j:j + w]) in gaz.by_tokens for w in range(1, gaz.max_len + 1)) \
        or _skeleton_place_at(tokens, j, gaz) is not None


def _typed_place_at(tokens: Sequence[str], i: int, gaz: Gazetteer) -> tuple[PlaceRef, int] | None:
    """A name typed a keystroke or two off ("Kohn Kaen", "Satoon", "สุโขทับ", "ฉะเชิงเทา"): the run
    of up to four words, all of one script, closest to exactly one place (the longer run when two
    are as close: Thai typos leave scraps). A word the dictionary knows is not a misspelt name."""
    first = tokens[i]
    if first in _NAME_PREFIXES or first in _PLACE_MARKERS or first in PLACEHOLDERS.values() \
            or (first not in gaz.name_words and (first in gaz.common or first in _ambiguous_thai())):
        return None
    found: tuple[PlaceRef, int] | None = None
    fewest = 3
    for width in range(min(4, len(tokens) - i), 0, -1):
        window = tokens[i:i + width]
        joined = "".join(window)
        # A run that holds a name as it is spelt ("is Chiang Mai", "ที่เชียงใหม่") is that name, later.
        if any(_names_a_place_at(tokens, j, gaz) for j in range(i + 1, i + width)):
            continue
        if joined.isascii():
            if not joined.isalpha() or any(t in gaz.common for t in window):
                continue
            near = gaz.latin_place(window)
        else:
            if any(t.isascii() for t in window) or (width == 1 and joined in base_thai_words()):
                continue
            near = gaz.thai_place(joined)
        if near is not None and near[1] < fewest:
            found, fewest = (near[0], width), near[1]
    return found
