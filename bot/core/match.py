"""Rank knowledge-base entries against a question, with a score from 0 to 1 that means something.

Two stages keep it fast at any size: an inverted index over weighted tokens picks a short list of
phrasings with numpy (no Python loop over the whole knowledge base), then each short-listed phrasing
gets a weighted token F1 (words the knowledge base has never seen count against a match, which is
what keeps "weather in Bangkok" from looking like "is Bangkok a member") and a character-level
rapidfuzz ratio on tone-less skeletons (which forgives Thai typos that break segmentation).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.core.entities import CITY, YEAR, PlaceRef
from bot.core.normalize import skeleton
from bot.core.understand import TOPIC, Query, Reader
from bot.knowledge import LANGS, Entry, KnowledgeBase

#: How many phrasings the index hands to the detailed scorer.
DEFAULT_SHORTLIST = 48
#: A word typed within this rapidfuzz ratio of a known word is read as that word.
DEFAULT_TYPO_CUTOFF = 80.0
#: ...and a three-letter one within this: one letter added ("wat" -> "what"), never one changed.
SHORT_TYPO_CUTOFF = 85.0
#: Character-level similarity counts for a little less than a word-level one.
CHAR_WEIGHT = 0.92
#: Weight of a placeholder token: a city or year matters, but not more than the question's words.
PLACEHOLDER_WEIGHT = 1.6
#: Weight of one-letter Thai scraps that segmentation leaves behind.
SCRAP_WEIGHT = 0.25
#: F-beta: what the question says and the phrasing does not explain counts this much more than the reverse.
RECALL_BETA = 1.5
#: Weight of a stopword, known or not (an unknown word otherwise weighs the most of all).
STOPWORD_WEIGHT = 0.3
#: Weight of the network's own name ("GNLC", "เครือข่ายเมืองแห่งการเรียนรู้"): present in most questions.
TOPIC_WEIGHT = 0.6
#: What a phrasing loses when it asks for another kind of answer than the question ("how many" / "which").
ASKS_OTHER_THING = 0.1
#: What an entry loses when none of its phrasings asks for the kind of answer the question asks for.
ENTRY_ASKS_OTHER = 0.2
#: Kinds of answer only prose explains: the city table says whether, when, which and how many,
#: never how or why ("what did Khon Kaen do to be selected?" is not the year it joined).
EXPLAINS = frozenset({"how", "why"})
#: A wording lead smaller than this does not outweigh an entry's fit to the question's year or place.
FIT_LEAD = 0.1
#: Score added per keyword of the entry found in the question, and the most all keywords may add
#: (also what a phrasing loses per keyword it leans on that the question lacks). Chosen on a grid by
#: the utility `python -m bot tune` reports, as the thresholds are; dev.yaml played no part.
KEYWORD_BONUS, KEYWORD_BONUS_MAX = 0.16, 0.24
#: What an entry loses when the question has none of the words it `requires`: enough to fall below
#: a confident answer from any score, so that it can at most be offered as a choice.
REQUIRED_MISSING = 0.3
#: What small talk loses when the message names a place or a year: it is then about something.
SMALLTALK_WITH_NAMES = 0.15


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float          # 0..1
    phrasing: str         # the phrasing that matched best, for explanations and tuning
    fits: bool = True     # the entry can use every city and year the question names


@dataclass(frozen=True)
class _Phrasing:
    entry: int
    text: str
    tokens: tuple[str, ...]
    skeleton: str
    keywords: tuple[tuple[str, ...], ...] = ()   # the entry's keywords this phrasing relies on
    asks: frozenset[str] = frozenset()            # kinds of answer its question words ask for
    unique: tuple[str, ...] = ()                  # its distinct tokens, and their weights: computed
    weights: tuple[float, ...] = ()               # once with the index, not at every question
    total: float = 1.0


@dataclass
class Index:
    """Everything matching needs, computed once per knowledge base."""

    reader: Reader
    entries: tuple[Entry, ...]
    phrasings: list[_Phrasing]
    idf: dict[str, float]
    unknown_weight: float
    postings: dict[str, np.ndarray]
    vocab: tuple[str, ...]
    entry_years: list[frozenset[int]]
    entry_places: list[frozenset[str]]
    entry_asks: list[frozenset[str]]
    keywords: list[tuple[tuple[str, ...], ...]]
    requires: list[tuple[tuple[str, ...], ...]]
    thai_skeletons: dict[str, str]     # tone-less spelling -> known Thai word
    stopwords: frozenset[str]
    #: The other things (countries, organisations, programmes...) each entry's own text names.
    entry_others: list[frozenset[str]] = field(default_factory=list)

    def weight(self, token: str) -> float:
        if token in (CITY, YEAR):
            return PLACEHOLDER_WEIGHT
        # A number a question states is a fact it checks ("added 72 cities, yes?"), not a word that tells
        # entries apart; one no answer states is kept from a confident reply elsewhere (answer.py).
        if token in self.stopwords or token.isdigit() or (len(token) == 1 and token.isascii()):
            return STOPWORD_WEIGHT
        if token == TOPIC:
            return TOPIC_WEIGHT
        w = self.idf.get(token, self.unknown_weight)
        return w * SCRAP_WEIGHT if len(token) == 1 and not token.isascii() else w


def build_index(kb: KnowledgeBase, reader: Reader) -> Index:
    entries = tuple(kb.entries)
    phrasings: list[_Phrasing] = []
    entry_years: list[frozenset[int]] = []
    entry_places: list[frozenset[str]] = []
    entry_asks: list[frozenset[str]] = []
    keywords: list[tuple[tuple[str, ...], ...]] = []
    requires: list[tuple[tuple[str, ...], ...]] = []
    entry_others: list[frozenset[str]] = []
    doc_freq: dict[str, int] = defaultdict(int)
    for n, entry in enumerate(entries):
        years = set(entry.years)
        places: set[str] = set()
        asks: set[str] = set()
        named: set[str] = set(_others_of(entry, reader))
        seen: set[str] = set()
        # Synonyms can make two keywords one ("benefit", "advantages"): each counts once.
        kws = tuple(dict.fromkeys(k for k in (tuple(reader.read_phrasing(k).tokens) for lang in LANGS
                                              for k in entry.keywords.get(lang, ())) if k))
        keywords.append(kws)
        requires.append(tuple(dict.fromkeys(k for k in (tuple(reader.read_phrasing(w).tokens) for lang in LANGS
                                                        for w in entry.requires.get(lang, ())) if k)))
        for lang in LANGS:
            for text in entry.questions.get(lang, ()):
                q = reader.read_phrasing(text)
                years.update(q.years)
                places.update(_place_key(p) for p in q.places)
                asks.update(q.asks)
                named.update(q.others)
                relied = tuple(k for k in kws if _contains(q.tokens, k))
                phrasings.append(_Phrasing(n, text, q.tokens, _thai_skeleton(q.tokens), relied, q.asks))
                seen.update(q.tokens)
        for kw in keywords[-1]:
            seen.update(kw)
        for token in seen:
            doc_freq[token] += 1
        entry_years.append(frozenset(years))
        entry_places.append(frozenset(places))
        entry_asks.append(frozenset(asks))
        entry_others.append(frozenset(named))
    total = len(entries)
    idf = {t: math.log((total + 1) / (df + 1)) + 1.0 for t, df in doc_freq.items()}
    unknown_weight = math.log(total + 1) + 1.0
    postings_lists: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(phrasings):
        for token in set(p.tokens):
            postings_lists[token].append(i)
    postings = {t: np.asarray(ids, dtype=np.int32) for t, ids in postings_lists.items()}
    vocab = tuple(sorted(t for t in idf if len(t) >= 3 and t not in (CITY, YEAR)))
    thai_skeletons = {skeleton(t): t for t in sorted(idf, key=len) if not t.isascii() and len(skeleton(t)) >= 2}
    # Words that put a question in the present ("today", "ณ ปัจจุบัน") say when, which `Query.present`
    # already reads; as words they weigh as little as stopwords, not as words never seen.
    stopwords = frozenset(t for w in (*kb.settings.stopwords, *kb.settings.present) for t in reader.read_phrasing(w).tokens)
    index = Index(reader, entries, phrasings, idf, unknown_weight, postings, vocab, entry_years, entry_places, entry_asks,
                  keywords, requires, thai_skeletons, stopwords, entry_others)
    for i, p in enumerate(phrasings):
        unique = tuple(dict.fromkeys(p.tokens))
        weights = tuple(index.weight(t) for t in unique)
        phrasings[i] = replace(p, unique=unique, weights=weights, total=sum(weights) or 1.0)
    return index


def _others_of(entry: Entry, reader: Reader) -> frozenset[str]:
    """Everything the entry's own text names besides its phrasings (read with the index): its
    answer, keywords, title and templates."""
    texts = [entry.title.th, entry.title.en]
    if entry.answer is not None:
        texts += [entry.answer.th, entry.answer.en]
    texts += [t for template in entry.templates.values() for t in (template.th, template.en)]
    texts += [t for lang in LANGS for t in entry.keywords.get(lang, ())]
    return frozenset().union(*(reader.others_in(t) for t in texts))


def _place_key(place: PlaceRef) -> str:
    return place.city_id or place.name.en.casefold()


def resegment(tokens: Sequence[str], index: Index) -> list[str]:
    """Re-join Thai scraps whose tone-less spelling is a known word.

    A dropped or wrong tone mark ("เข้ารวมเมือไหร") makes newmm cut a word into scraps; compared
    without tone marks, the scraps spell the word the knowledge base knows ("เข้าร่วม", "เมื่อไหร่").
    """
    out: list[str] = []
    i = 0
    while i < len(tokens):
        width, word = _known_window(tokens, i, index)
        out.extend(_split_compound(word, index))
        i += width
    return out


def _split_compound(token: str, index: Index) -> tuple[str, ...]:
    """A Thai compound the knowledge base never uses, cut into two words it does use.

    Segmentation keeps a compound whole when the dictionary has it ("ได้ประโยชน์", "เป็นสมาชิก"),
    while a phrasing may have the same words apart; reading the unknown compound as its two known
    halves lets "ได้ประโยชน์อะไร" meet "ประโยชน์ ... อะไร".
    """
    if token in index.idf or token.isascii() or len(token) < 4:
        return (token,)
    for cut in range(len(token) - 2, 1, -1):
        left, right = token[:cut], token[cut:]
        if left in index.idf and right in index.idf:
            return left, right
    return (token,)


def _known_window(tokens: Sequence[str], i: int, index: Index) -> tuple[int, str]:
    if tokens[i].isascii():
        return 1, tokens[i]
    for width in range(min(4, len(tokens) - i), 1, -1):
        window = tokens[i:i + width]
        if not any(t.isascii() for t in window):
            known = index.thai_skeletons.get(skeleton("".join(window)))
            if known is not None:
                return width, known
    if tokens[i] in index.idf:
        return 1, tokens[i]
    return 1, index.thai_skeletons.get(skeleton(tokens[i]), tokens[i])


def _latin_slips(token: str) -> int:
    """How many letters a Latin word may be off a known one and still be read as it: one, or two in
    a long word."""
    return 1 if len(token) <= 6 else 2


def correct(tokens: Sequence[str], index: Index) -> list[tuple[str, float]]:
    """Each token with the known word it stands for and how sure that reading is (typos)."""
    out: list[tuple[str, float]] = []
    for token in tokens:
        short = len(token) == 3 and token.isascii()
        if token in index.idf or token in index.stopwords or token in (CITY, YEAR) or (len(token) < 4 and not short) or token.isdigit():
            out.append((token, 1.0))
            continue
        scorer = fuzz.ratio
        # A three-letter word is read as a known one only a letter away from it ("wat", "wen").
        cutoff = SHORT_TYPO_CUTOFF if short else DEFAULT_TYPO_CUTOFF
        best = process.extractOne(token, index.vocab, scorer=scorer, processor=None, score_cutoff=cutoff)
        if best is not None and token.isascii() and Levenshtein.distance(token, best[0]) > _latin_slips(token):
            best = None         # "posit(ion)" is two letters from "point": another word, not a slip
        if best is None and not token.isascii():
            skel = skeleton(token)
            best = process.extractOne(skel, index.vocab, scorer=scorer, processor=skeleton, score_cutoff=90.0)
        out.append((best[0], best[1] / 100.0) if best else (token, 1.0))
    return out


def rank(query: Query, index: Index, *, limit: int = 5, shortlist: int = DEFAULT_SHORTLIST,
         exclude: str | None = None) -> list[Match]:
    """Entries best first, each with its best phrasing; `exclude` leaves one phrasing out (tuning)."""
    if not query.tokens or not index.phrasings:
        return []
    readings = correct(resegment(query.tokens, index), index)
    q_weights = [index.weight(t) * (1.0 if conf == 1.0 else conf) for t, conf in readings]
    q_tokens = [t for t, _ in readings]
    # Stage 1: short list by shared weighted tokens, vectorised.
    votes = np.zeros(len(index.phrasings), dtype=np.float32)
    for token, weight in zip(q_tokens, q_weights):
        ids = index.postings.get(token)
        if ids is not None:
            votes[ids] += weight
    if len(votes) > shortlist:
        candidates = np.argpartition(-votes, shortlist)[:shortlist]
    else:
        candidates = np.arange(len(votes))
    q_skeleton = _thai_skeleton(q_tokens)
    q_set = dict(zip(q_tokens, q_weights))
    mentions = _Mentions(q_tokens)
    # Several places or years ("Tak, Rayong and Satun") are one slot of the question, as in `q_set`.
    q_total = sum(w for t, w in zip(q_tokens, q_weights) if t not in (CITY, YEAR)) \
        + sum(q_set.get(t, 0.0) for t in (CITY, YEAR)) or 1.0
    best: dict[int, tuple[float, str]] = {}
    for i in candidates.tolist():
        p = index.phrasings[i]
        if p.text == exclude:
            continue
        score = _similarity(q_set, q_total, q_skeleton, p, index) - _missing_keywords(p, mentions)
        if query.asks and p.asks and not query.asks & p.asks:
            score -= ASKS_OTHER_THING
        if score > best.get(p.entry, (-1.0, ""))[0]:
            best[p.entry] = (score, p.text)
    # Keywords confirm a reading; they must not lift a question whose own words the knowledge base
    # cannot explain ("how many World Heritage sites ...": "how many" is a keyword, "heritage" unknown).
    explained = all(t in index.idf or index.weight(t) <= STOPWORD_WEIGHT or t in (CITY, YEAR, TOPIC) or t.isdigit()
                    for t in q_tokens)
    matches = []
    for n, (score, text) in best.items():
        entry = index.entries[n]
        score = _adjust(score, n, entry, query, mentions, index, keywords=explained)
        if score > 0:
            matches.append(Match(entry, round(min(score, 1.0), 4), text, _fits(n, entry, query, index)))
    matches.sort(key=lambda m: -m.score)
    return _prefer_fitting(matches)[:limit]


def best_match(query: Query, index: Index, *, score_cutoff: float = 0.0) -> Match | None:
    """The best entry or None, in the manner of rapidfuzz's extractOne."""
    ranked = rank(query, index, limit=1)
    return ranked[0] if ranked and ranked[0].score >= score_cutoff else None


def _similarity(q_set: dict[str, float], q_total: float, q_skeleton: str, p: _Phrasing, index: Index) -> float:
    q_shared = p_shared = 0.0
    for token, weight in zip(p.unique, p.weights):
        q_weight = q_set.get(token)
        if q_weight is not None:
            q_shared += q_weight
            p_shared += weight
    recall = q_shared / q_total
    precision = p_shared / p.total
    b2 = RECALL_BETA ** 2
    f1 = (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0
    if not (q_skeleton and p.skeleton):
        return f1
    chars = fuzz.ratio(q_skeleton, p.skeleton) / 100.0
    return max(f1, CHAR_WEIGHT * chars * min(1.0, 0.5 + recall))


def _missing_keywords(p: _Phrasing, mentions: _Mentions) -> float:
    """A phrasing that leans on one of its entry's keywords ("thai" in "how many thai cities joined")
    matches a question without that keyword less well than the words alone suggest: the keyword is
    what sets the entry apart from its neighbours ("how many cities joined" is the whole intake)."""
    missing = sum(1 for kw in p.keywords if not mentions(kw))
    return min(KEYWORD_BONUS * missing, KEYWORD_BONUS_MAX)


def _thai_skeleton(tokens: Sequence[str]) -> str:
    """The Thai words of a text, spaceless and tone-less, for the character-level comparison.

    Only Thai needs it: a Thai typo can break segmentation into scraps no word matches, while an
    English typo stays one word that `correct` repairs. Comparing English by characters would make
    "how many heritage sites does Thailand have" look like "how many learning cities does Thailand have".
    """
    return skeleton("".join(t for t in tokens if not t.isascii()))


def _adjust(score: float, n: int, entry: Entry, query: Query, mentions: _Mentions, index: Index, *,
            keywords: bool = True) -> float:
    """Evidence beyond wording: slots the entry needs, the year it is about, its keywords."""
    if "city" in entry.slots and not query.places:
        return 0.0
    if "year" in entry.slots and not query.years:
        return 0.0
    if query.asks and query.asks <= EXPLAINS and not _explains(n, entry, query, index):
        return 0.0
    # "How many learning cities does Japan have?": an entry that never speaks of Japan cannot say.
    if query.others and index.entry_others and not index.entry_others[n].issuperset(query.others):
        return 0.0
    years = index.entry_years[n]
    if query.years and years and not years.intersection(query.years) and "year" not in entry.slots:
        return 0.0
    # "How many countries are in the network now?" is not about the 2024 intake, whatever its words.
    if query.present and not query.years and years and "year" not in entry.slots and entry.series is not None:
        return 0.0
    # An entry never asked for this kind of answer ("how many creative cities are there?" of the
    # creative-cities entry, which tells two networks apart) is a weaker reading of the question.
    if query.asks and index.entry_asks[n] and not query.asks & index.entry_asks[n]:
        score -= ENTRY_ASKS_OTHER
    # Likewise for places: an entry about Bangkok's creative-city status says nothing about Satun.
    places = index.entry_places[n]
    if query.places and places and not places.intersection(map(_place_key, query.places)) and "city" not in entry.slots:
        return 0.0
    # "yala info" is not "thanks for the info": small talk names no place and no year.
    if entry.kind == "smalltalk" and (query.places or query.years):
        score -= SMALLTALK_WITH_NAMES
    if index.requires[n] and not any(mentions(kw) for kw in index.requires[n]):
        score -= REQUIRED_MISSING
    if not keywords:
        return score
    hits = sum(1 for kw in index.keywords[n] if mentions(kw))
    return score + min(KEYWORD_BONUS * hits, KEYWORD_BONUS_MAX)


def _explains(n: int, entry: Entry, query: Query, index: Index) -> bool:
    """Whether the entry can say how or why: prose can, the city table cannot; and about a member
    city the question names, only prose about that city ("what did Khon Kaen do to be selected?"
    is answered neither by the year it joined nor by how any city applies)."""
    if entry.kind == "intent":
        return bool(query.asks & index.entry_asks[n])
    members = {p.city_id for p in query.places if p.city_id}
    return not members or bool(members & index.entry_places[n])


def _fits(n: int, entry: Entry, query: Query, index: Index) -> bool:
    """Whether the entry's answer can depend on the year and the place the question names."""
    if query.years and "year" not in entry.slots and not index.entry_years[n]:
        return False
    return not (query.places and "city" not in entry.slots and not index.entry_places[n])


def _prefer_fitting(matches: list[Match]) -> list[Match]:
    """Put first the best entry that can use the question's year and place, when it is within
    FIT_LEAD of a top entry that cannot: "which Thai cities became learning cities in 2567" is about
    2567, so the by-year answer beats the full list whose wording happens to be a shade closer."""
    if not matches or matches[0].fits:
        return matches
    for i, m in enumerate(matches[1:], 1):
        if m.fits and matches[0].score - m.score < FIT_LEAD:
            return [m, *matches[:i], *matches[i + 1:]]
    return matches


def runner_up(matches: Sequence[Match]) -> float:
    """The score of the closest rival to the top match, for the margin that makes an answer clear.

    A rival that would ignore the year or the place the question names, when the top match uses
    them, is not a competing reading of the question ("which Thai cities joined in 2024" is not
    "list all Thai cities"), so it does not count against the top match.
    """
    found = rival(matches)
    return found.score if found is not None else 0.0


def rival(matches: Sequence[Match]) -> Match | None:
    """The closest rival reading to the top match (see `runner_up`), if any."""
    if len(matches) < 2:
        return None
    top = matches[0]
    return next((m for m in matches[1:] if m.fits or not top.fits), None)


class _Mentions:
    """Which keywords one question has, each worked out once: entries share keywords and every
    phrasing of an entry asks about the same ones."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = tokens
        self.seen: dict[tuple[str, ...], bool] = {}

    def __call__(self, keyword: tuple[str, ...]) -> bool:
        found = self.seen.get(keyword)
        if found is None:
            found = self.seen[keyword] = _mentions(self.tokens, keyword)
        return found


def mentions(tokens: Sequence[str], keyword: Sequence[str]) -> bool:
    """Whether a question's tokens hold a keyword (see `_mentions`)."""
    return _mentions(tokens, keyword)


def _mentions(tokens: Sequence[str], keyword: Sequence[str]) -> bool:
    """Whether the question has the keyword: as its tokens, or for a Thai word, inside a compound
    ("ประโยชน์" in "ได้ประโยชน์"), since Thai writes compounds without a break."""
    if len(keyword) == 1 and len(keyword[0]) >= 3 and not keyword[0].isascii():
        return any(keyword[0] in t for t in tokens)
    return _contains(tokens, keyword)


def _contains(tokens: Sequence[str], part: Sequence[str]) -> bool:
    if len(part) == 1:
        return part[0] in tokens
    width = len(part)
    return any(tuple(tokens[i:i + width]) == tuple(part) for i in range(len(tokens) - width + 1))
