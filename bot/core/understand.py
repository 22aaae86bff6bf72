"""From a raw message to a Query: language, tokens, places and years, keyboard slips undone.

Everything that must be done the same way to a user's question and to a knowledge-base phrasing
lives here, so that both sides of a comparison are always processed alike.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import chain

from pythainlp.util import Trie
from rapidfuzz.distance import OSA

from bot.core import entities, normalize, others, romanised, toneless
from bot.core.entities import Gazetteer, PlaceRef
from bot.core.others import Catalogue
from bot.core.romanised import Romaniser
from bot.core.toneless import Restorer
from bot.knowledge import KnowledgeBase, Lang

#: A layout-swapped reading is taken only when this share of its Thai letters forms real words.
DEFAULT_SLIP_COVERAGE = 0.8
#: ...and when the text as typed has at most this share of words the bot knows.
DEFAULT_SLIP_KNOWN = 0.34
_SLOT = re.compile(r"\{(city|year)\}")
#: A Latin word this long or longer, unknown to the bot and one keystroke off exactly one of the
#: matcher's own words (a cue or a synonym: "municipalty", "provnce"), is read as that word.
MIN_SLIP_LENGTH = 7
#: The shortest Latin word read as a known one with two letters swapped.
MIN_SWAP_LENGTH = 4
#: Whitespace-separated words grouped by script: a run of Thai-script words, or of anything else.
_SCRIPT_RUN = re.compile(r"(?:\s*[^\s]*[\u0e00-\u0e7f][^\s]*)+\s*|(?:\s*[^\s\u0e00-\u0e7f]+)+\s*")
#: Where a Thai word put in for an English one starts and ends, kept through the joining of Thai words.
_START, _END = "\x01", "\x00"
#: Spaces between Thai and a Thai word put in after it.
_BEFORE_PUT = re.compile(r"(?<=[\u0e00-\u0e7f\x00])\s+(?=\x01)")
#: What any name of the network itself becomes, so that its many words count as one light token.
TOPIC = "ztopicz"
_PLACEHOLDER_TOKENS = frozenset({*entities.PLACEHOLDERS.values(), TOPIC})
#: Synonym phrases starting with one token, each with what it is read as.
Synonyms = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


@dataclass(frozen=True)
class Query:
    text: str                      # cleaned text as the user meant it (layout slip undone)
    lang: Lang
    tokens: tuple[str, ...]        # normalised tokens, places and years replaced by placeholders
    places: tuple[PlaceRef, ...]
    years: tuple[int, ...]
    slipped: bool = False          # typed on the wrong keyboard layout
    asks: frozenset[str] = frozenset()   # kinds of answer its question words ask for ("count", "when")
    present: bool = False          # asks about now ("now", "ตอนนี้"), not about a past year
    #: Other things the question names that are not Thai places or years (countries, people,
    #: organisations, other programmes, cities abroad): an answer must speak of them or not be given.
    others: tuple[str, ...] = ()
    #: Labels of the cue words it holds (matcher.yaml `cues`): "refer" (it, ที่นี่), "continue"
    #: (and, แล้ว...ล่ะ), "first", "latest", "before", "kind"... read before synonyms, as typed.
    cues: frozenset[str] = frozenset()
    #: In a remembered reading only: the member cities its answer named ("which cities joined in
    #: 2022?" names three), which "they"/"them" in the next message may mean.
    named: tuple[PlaceRef, ...] = ()
    named_years: tuple[int, ...] = ()     # ...and the one year they all joined in, if there is one
    shown_years: tuple[int, ...] = ()     # ...and the years its answer stated ("the one before" steps along them)
    answered: str | None = None           # ...and the entry that answered it ("what was his role?" asks more of it)
    #: ...and the places the questions before it named: "which came first?" after "when did Phuket
    #: join?" then "and Bangkok?" compares the two.
    earlier: tuple[PlaceRef, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.tokens


@dataclass(frozen=True)
class Reader:
    """What is needed to read text the way the knowledge base was read: built once per knowledge base."""

    trie: Trie
    gazetteer: Gazetteer
    known_latin: frozenset[str]
    topic: re.Pattern[str] | None = None
    #: By first token: token sequences that mean the same as a canonical one ("admitted" -> "join"), longest first.
    synonyms: Mapping[str, Synonyms] = field(default_factory=dict)
    #: By first token: question words and the kind of answer they ask for, longest first.
    asks: Mapping[str, Synonyms] = field(default_factory=dict)
    #: By first token: words that put a question in the present.
    present: Mapping[str, Synonyms] = field(default_factory=dict)
    #: Countries, organisations, programmes, people... that a question may name (`Query.others`).
    others: Catalogue | None = None
    #: By first token: cue words (matcher.yaml `cues`), as stems before synonyms, each with its label.
    cues: Mapping[str, Synonyms] = field(default_factory=dict)
    #: Latin spellings of the knowledge base's Thai words: Thai typed in Latin letters.
    romaniser: Romaniser | None = None
    #: (label, word) for the words that name a kind of member ("province", "เทศบาล").
    kind_words: tuple[tuple[str, str], ...] = ()
    #: Stems of `known_latin`: "Members" is a word the bot knows though its phrasings say "member".
    known_stems: frozenset[str] = frozenset()
    #: English words a Thai question may use for Thai ones (matcher.yaml `bridge`), and what each becomes,
    #: with the first Thai word of it (worked out once: a message may already say that word in Thai).
    bridge: re.Pattern[str] | None = None
    bridged: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: By first token: phrases that only frame a question (matcher.yaml `asides`), each read as nothing.
    asides: Mapping[str, Synonyms] = field(default_factory=dict)
    #: By first token: the asides that change the topic (matcher.yaml `switches`).
    switches: Mapping[str, Synonyms] = field(default_factory=dict)
    #: By first token, as read after synonyms: thanks that close a question (matcher.yaml `closings`).
    closings: Mapping[str, Synonyms] = field(default_factory=dict)
    #: The single Latin words of the matcher's cues and synonyms, by length: a typo of one of them
    #: must be read before cues and synonyms are, since both are read as typed.
    matcher_words: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    #: The knowledge base's Thai words by their spelling without marks, built when first needed.
    toneless: Restorer | None = None
    #: A number of something a question counts ("300 cities", "2 เมือง"), and the words that ask
    #: how many in Latin and Thai script: a yes/no question stating such a number asks the count.
    claims: re.Pattern[str] | None = None
    how_many: tuple[str, str] = ("", "")
    #: A month's name as read (its stem, after synonyms: "dec" is "december") to the year of the one
    #: intake held in that month: "the December intake" is 2025's.
    intake_months: Mapping[str, int] = field(default_factory=dict)
    #: Thai words that frame a question (the Thai stopwords and question words): one of them in a
    #: mostly English message says the asker reads Thai.
    thai_frame: frozenset[str] = frozenset()
    #: matcher.yaml `last_words`, and the particles that may follow them (`endings`).
    last_words: Mapping[str, str] = field(default_factory=dict)
    endings: frozenset[str] = frozenset()

    def words(self, text: str) -> list[str]:
        return normalize.tokenize(normalize.normalise_text(text), self.trie)

    def read(self, raw: str, *, claims: bool = True) -> Query:
        """A message as the bot understands it; `claims` False reads a number stated as the number,
        even in a yes/no question (an answer's own text, read for what it counts)."""
        text = normalize.spoken_years(normalize.clean(normalize.drop_mentions(normalize.drop_laughter(raw))))
        slipped = False
        swapped = normalize.layout_swapped(text)
        if swapped is not None and self._is_slip(text, swapped):
            text, slipped = swapped, True
        elif (spelled := self._romanised(text)) is not None:
            text = spelled
        elif swapped is None:
            text, slipped = self._unslip_runs(text)
        if self.toneless is not None and not slipped:
            # "หาดใหญเปนสมาชิกตังแตปีไหน": Thai typed without its marks, as many phones are.
            # A letter held down ("กอนนนน") is squeezed first, or the word is not found to restore.
            text = self.toneless.restore(normalize.squeeze_repeats(text))
        query = self._query(text, slipped)
        if query.lang == "th" and (bridged := self._bridged(text)) is not None:
            # "member ไทยตอนนี้มีกี่ city": a Thai question with English words for some of its
            # own is read with the Thai words, as its Thai phrasings are; it stays a Thai question.
            query = replace(self._query(bridged, slipped), text=query.text, lang="th")
        if claims and self.claims is not None and "yesno" in query.cues and not query.asks \
                and (asked := self.claims.sub(self._asked_count, text)) != text:
            # "the network has about 300 cities?", "ธันวา 68 รับเมืองไทยเพิ่ม 2 เมืองใช่ปะ": a number to
            # check is a count to give, whatever the number said; the answer states the right one.
            return replace(self.read(asked), text=query.text, lang=query.lang)
        return query

    def _asked_count(self, number: re.Match[str]) -> str:
        """The words that ask how many, in the script of the word counted after `number`."""
        rest = number.string[number.end():]
        latin, thai = self.how_many
        return latin + " " if rest[:1].isascii() else thai

    def _bridged(self, text: str) -> str | None:
        """A text with the English words a Thai question borrows written as the Thai words they stand
        for, and as Thai is written, without spaces inside a run of Thai ("เป็น member" is
        "เป็นสมาชิก"); None when it borrows none."""
        if self.bridge is None:
            return None
        def thai(match: re.Match[str]) -> str:
            word, first = self.bridged[match.group(0).casefold()]
            # "รางวัล Learning City Award": the word said in Thai, then in English, is said once.
            said = text[:match.start()].rstrip().endswith(first) and len(first) < len(word)
            return f" {_START}{word[len(first):] if said else word}{_END} "

        bridged = self.bridge.sub(thai, text)
        # A word put in joins the Thai before it ("เป็น member" is "เป็นสมาชิก"), and ends where the English
        # ended: "...การเรียนรู้ เค้าให้" is not "...การเรียน รู้เค้า". The message's own spaces stay where
        # they were: "กี่แห่งตอน ก.พ. 67" run together would be cut wrong.
        if bridged == text:
            return None
        return _BEFORE_PUT.sub("", bridged).replace(_START, "").replace(_END, " ")

    def _romanised(self, text: str) -> str | None:
        """The Thai a Latin message spells ("thai mee muang rian roo gee muang"), if it is not English:
        few of its words (places aside) are words the bot knows, and most spell Thai words it does.
        Latin words that spell nothing known (GNLC, a year) stay as they are."""
        thai, latin = normalize.script_counts(text)
        if self.romaniser is None or thai or not latin:
            return None
        words = self.words(text)
        # Places aside: the words of a name where they spell it ("chiang mai"), not wherever they stand
        # ("tak duay mai" ends in ไหม).
        in_name: set[int] = set()
        i = 0
        while i < len(words):
            width = self._name_at(words, i)
            in_name.update(range(i, i + width))
            i += max(width, 1)
        content = [w for n, w in enumerate(words) if w.isalpha() and n not in in_name]
        # ...and a name's word standing alone is no English word either.
        is_english = [w in self.known_latin and w not in self.gazetteer.name_words for w in words]
        english = sum(e for n, e in enumerate(is_english) if words[n].isalpha() and n not in in_name)
        if not content:
            return None
        if english / len(content) > DEFAULT_SLIP_KNOWN:
            return self._romanised_among_english(words, in_name, is_english, len(content))
        spelled = self.romaniser.spell(words, lambda i: self._name_at(words, i))
        covered = sum(1 for (width, thai_word), start in zip(spelled, _starts(spelled)) if thai_word
                      for w in words[start:start + width] if w in content)
        if covered < romanised.MIN_ROMANISED_WORDS or covered / len(content) < romanised.DEFAULT_ROMANISED_COVERAGE:
            return None
        return _joined_thai(spelled, words)

    def _romanised_among_english(self, words: Sequence[str], in_name: set[int], is_english: Sequence[bool],
                                 content: int) -> str | None:
        """A romanised Thai question that uses English words for some of its own ("thai mee kee muang
        nai network learning city", "Bangkok pen muang haeng karn rian ru UNESCO pee nai"): when every
        other word spells Thai, and they are a good part of it, the Thai is spelt and the English kept
        (and read as Thai, as in any Thai question that borrows English words)."""
        assert self.romaniser is not None
        # A name's word standing alone ("city", "mai") may be either: it need not spell Thai.
        others = [n for n, w in enumerate(words) if w.isalpha() and n not in in_name and w not in self.known_latin]
        if len(others) < romanised.MIN_ROMANISED_WORDS or len(others) / content < romanised.MIN_MIXED_SHARE:
            return None
        spelled = self.romaniser.spell(words, lambda i: self._name_at(words, i) or int(is_english[i]))
        spelt = {start + k for (width, thai_word), start in zip(spelled, _starts(spelled)) if thai_word
                 for k in range(width)}
        if not set(others) <= spelt:
            return None
        text = _joined_thai(spelled, words)
        return self._bridged(text) or text

    def _name_at(self, words: Sequence[str], i: int) -> int:
        """How many words from position i spell a place's name exactly (0 if none)."""
        top = min(self.gazetteer.max_len, len(words) - i)
        return next((w for w in range(top, 0, -1) if tuple(words[i:i + w]) in self.gazetteer.by_tokens), 0)

    def _unslip_runs(self, text: str) -> tuple[str, bool]:
        """A mixed message where only part was typed on the wrong layout ("้ฟะ ัฟร learning city?"
        is "hat yai learning city?"): each run of one script is judged as a whole message would be."""
        runs = _SCRIPT_RUN.findall(text)
        out: list[str] = []
        slipped = False
        for run in runs:
            swapped = normalize.layout_swapped(run) if run.strip() else None
            if swapped is not None and self._is_slip(run, swapped):
                out.append(swapped)
                slipped = True
            else:
                out.append(run)
        return ("".join(out), True) if slipped else (text, False)

    def read_phrasing(self, phrasing: str) -> Query:
        """A knowledge-base phrasing: `{city}` and `{year}` slots become the placeholders directly."""
        text = _SLOT.sub(lambda m: f" {entities.PLACEHOLDERS[m.group(1)]} ", phrasing)
        return self._query(normalize.clean(text), False)

    def _read_last_word(self, words: list[str]) -> list[str]:
        """The words, the last before any closing particles read as what it means there."""
        last = len(words) - 1
        while last > 0 and words[last] in self.endings:
            last -= 1
        if last > 0 and words[last] in self.last_words:
            return [*words[:last], self.last_words[words[last]], *words[last + 1:]]
        return words

    def _query(self, text: str, slipped: bool) -> Query:
        marked = self.topic.sub(f" {TOPIC} ", text) if self.topic is not None else text
        words = self._read_last_word(self.words(marked))
        if (spelt := self._topic_misspelt(text, words)) is not None:
            # "is rayong in the netwrok": the network's name, misspelt, is still its name.
            return self._query(spelt, slipped)
        found = entities.find(words, self.gazetteer)
        # Stem only after places are found: names must be matched as written ("Phuket", not "phuket"'s stem).
        tokens = tuple(t if t in _PLACEHOLDER_TOKENS else normalize.stem(self._unslip_word(t)) for t in found.tokens)
        # "Separate question: ...", "อีกเรื่องนะ ...": words that frame a question say nothing of what
        # it asks, and their own words ("อีก" is "more", "another" is "else") would read as cues.
        # ...though a change of topic ("on a different note") says the message follows up nothing.
        switched = bool(canonical(tokens, self.switches, keep=False))
        framed = tokens
        tokens = canonical(tokens, self.asides)
        # Cues are read before synonyms: "town" and "province" tell a kind of member apart, though
        # both read as "city" for matching.
        cues = frozenset(canonical(tokens, self.cues, keep=False)) | ({"switch"} if switched else frozenset())
        # "เทศบาลนครภูเก็ตหรือจังหวัดภูเก็ต": kinds written into the names, which the place finder
        # takes as part of them, still ask which kind of member it is when the question names two.
        if {"province", "municipality"} <= self._kinds_written([self._unslip_word(w) for w in words]):
            cues |= {"kind"}
        tokens = canonical(tokens, self.synonyms)
        asks = frozenset(canonical(tokens, self.asks, keep=False))
        if not asks and framed != tokens and "yesno" in canonical(framed, self.cues, keep=False):
            # "...เป็นเมืองแห่งการเรียนรู้จริงไหมคะ": a frame that checks a claim, when nothing else
            # asks, still asks yes or no.
            cues |= {"yesno"}
        if asks or found.places or "yesno" in cues:
            # "...ตั้งแต่ปีไหนครับ ขอบพระคุณครับ": thanks after a question are no part of it (alone they
            # are small talk, and stay).
            tokens = canonical(tokens, self.closings)
        present = bool(canonical(tokens, self.present, keep=False))
        named = self.others.find(found.tokens) if self.others is not None else ()
        if self.others is not None:
            # A word the place finder took ("Chang Mai", a typo of a city) is a place, not a new name.
            remaining = set(found.tokens)
            # ...and so is a word one keystroke off one of the matcher's ("Global Netwrok of Learning Citys").
            named += others.proper_names(text, lambda w: w not in remaining or self._knows(w) or self._unslip_word(w) != w)
        years = found.years
        if not years and cues & {"intake", "announce"} and (month := self._intake_month(tokens)) is not None:
            # "before the December intake?": the one intake of that month is that year's.
            years, tokens = (month,), (*tokens, entities.YEAR)
        return Query(text, _language(text, found.tokens, self.thai_frame), tokens, found.places, years, slipped, asks, present,
                     others=named, cues=cues)

    def _intake_month(self, tokens: Sequence[str]) -> int | None:
        """The year of the one intake held in a month the tokens name, if they name one month."""
        years = {self.intake_months[t] for t in tokens if t in self.intake_months}
        return years.pop() if len(years) == 1 else None

    def _unslip_word(self, word: str) -> str:
        """The matcher word an unknown Latin word is one keystroke off ("municipalty" is "municipality"):
        only a long word, and only when exactly one such word is that near; otherwise the word as typed.
        The matcher itself forgives typos of its phrasings' words, but a cue or a synonym is read as
        typed, before that, and a misspelt one would be neither."""
        if len(word) < MIN_SWAP_LENGTH or not word.isascii() or not word.isalpha() or self._knows(word):
            return word
        if len(word) < MIN_SLIP_LENGTH:
            # A short word is read as another only when two of its letters are swapped ("wehn", "whcih"):
            # one letter more or less or another letter often makes another word.
            near = {known for known in self.matcher_words.get(len(word), ())
                    if sorted(known) == sorted(word) and OSA.distance(word, known, score_cutoff=1) <= 1}
        else:
            near = {known for n in range(len(word) - 1, len(word) + 2) for known in self.matcher_words.get(n, ())
                    if OSA.distance(word, known, score_cutoff=1) <= 1}
        return near.pop() if len(near) == 1 else word

    def _topic_misspelt(self, text: str, words: Sequence[str]) -> str | None:
        """The text with its misspelt Latin words spelt right, when that names the network more
        often than as typed; None otherwise."""
        fixed = {w: right for w in set(words) if (right := self._unslip_word(w)) != w}
        if self.topic is None or not fixed:
            return None
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in fixed) + r")\b", re.IGNORECASE)
        spelt = pattern.sub(lambda m: fixed.get(m.group(0).casefold(), m.group(0)), text)
        return spelt if len(self.topic.findall(spelt)) > len(self.topic.findall(text)) else None

    def _knows(self, word: str) -> bool:
        """A Latin word the bot can place: its knowledge base's or a list's word, or a place's."""
        return word in self.known_latin or normalize.stem(word) in self.known_stems \
            or word in self.gazetteer.name_words or (self.others is not None and word in self.others.words)

    def others_in(self, text: str) -> frozenset[str]:
        """The other things a knowledge-base text names (an answer of any length): what an entry
        speaks of, so that it may answer a question naming them."""
        if self.others is None:
            return frozenset()
        cleaned = normalize.clean(text, limit=0)
        return frozenset(self.others.find(self.words(cleaned))) | others.words_of(cleaned)

    def _kinds_written(self, words: list[str]) -> set[str]:
        """The kinds of local government a question's words name, inside names too ("เทศบาลนครภูเก็ต")."""
        found = set()
        for label, word in self.kind_words:
            if any((word in w) if not word.isascii() else (word == w) for w in words):
                found.add(label)
        return found

    def stems(self, text: str) -> tuple[str, ...]:
        """A word or phrase as the matcher sees it: normalised, segmented, stemmed."""
        return tuple(normalize.stem(t) for t in self.words(normalize.clean(text)))

    def _is_slip(self, text: str, swapped: str) -> bool:
        thai, latin = normalize.script_counts(text)
        if latin:
            words = [w for w in self.words(text) if len(w) > 1 and w.isalpha()]
            if not words:
                return False
            known = sum(w in self.known_latin for w in words) / len(words)
            return known <= DEFAULT_SLIP_KNOWN and normalize.thai_coverage(swapped, self.trie) >= DEFAULT_SLIP_COVERAGE
        # Thai letters that should have been English: the Thai barely forms words, the English does.
        if normalize.thai_coverage(text, self.trie) >= 0.5:
            return False
        words = [w for w in self.words(swapped) if len(w) > 1]
        return bool(words) and sum(w in self.known_latin for w in words) / len(words) >= 0.6


def _language(text: str, tokens: Sequence[str], thai_frame: Collection[str] = ()) -> Lang:
    """Thai when the question has a Thai word besides a place's name that frames it ("how many Thai
    cities in GNLC ครับ", "learning city คืออะไร": a particle or a question word, so the asker reads
    Thai), or when a third of its words or most of its letters are Thai; otherwise the language of its letters,
    so that "when did เชียงใหม่ join" and "which members are a whole จังหวัด rather than a
    municipality?" are English.

    >>> _language("learning city คืออะไร", ["learning", "city", "คือ", "อะไร"], {"คือ"}), _language("is zcityz a member", ["is"])
    ('th', 'en')
    >>> _language("which are a whole จังหวัด rather than a town?", ["which", "are", "a", "whole", "จังหวัด", "rather", "than", "a", "town"])
    'en'
    """
    thai = [t for t in tokens if not t.isascii()]
    if thai and (any(t in thai_frame for t in thai) or 3 * len(thai) >= len(tokens) or normalize.detect_lang(text) == "th"):
        return "th"
    return "en" if normalize.script_counts(text)[1] else normalize.detect_lang(text)


def _starts(spelled: Sequence[tuple[int, str]]) -> list[int]:
    """Where each spelled piece starts among the words."""
    starts, at = [], 0
    for width, _ in spelled:
        starts.append(at)
        at += width
    return starts


def canonical(tokens: tuple[str, ...], synonyms: Mapping[str, Synonyms], *, keep: bool = True) -> tuple[str, ...]:
    """Replace every synonym with its group's first word, longest phrase first, left to right.

    Both the question and every phrasing are read this way, so "which cities were admitted" meets
    "which cities joined" without a phrasing for each verb a person might choose.

    >>> canonical(("citi", "got", "in", "zyearz"), {"got": ((("got", "in"), ("join",)),)})
    ('citi', 'join', 'zyearz')

    With `keep=False` only the replacements are returned: how the kinds of answer asked for are read.

    >>> canonical(("how", "mani", "citi"), {"how": ((("how", "mani"), ("count",)),)}, keep=False)
    ('count',)

    The network's name inside a phrase does not break it: "become a GNLC member" is "become a
    member" about the network.

    >>> canonical(("becom", "a", TOPIC, "member"), {"becom": ((("becom", "a", "member"), ("join",)),)})
    ('join', 'ztopicz')
    """
    if not synonyms:
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for variant, target in synonyms.get(tokens[i], ()):
            width = len(variant)
            if tokens[i:i + width] == variant:
                out.extend(target)
                i += width
                break
            if width > 1 and TOPIC in tokens[i + 1:i + width + 1]:
                at = tokens.index(TOPIC, i + 1)
                if tokens[i:at] + tokens[at + 1:i + width + 1] == variant:
                    out.extend(target)
                    if keep:
                        out.append(TOPIC)
                    i += width + 1
                    break
        else:
            if keep:
                out.append(tokens[i])
            i += 1
    return tuple(out)


def make_reader(kb: KnowledgeBase, extra_words: Iterable[str] = ()) -> Reader:
    names: set[str] = set(extra_words)
    for city in kb.cities:
        names.update((*city.aliases, city.short.th, city.name.th))
    for place in kb.non_members:
        names.update((*place.aliases, place.name.th))
    for entry in kb.entries:
        names.update(entry.keywords.get("th", ()))
    names.update(others.names_to_segment(kb))
    # Chat spellings of particles ("ค้าบ", "บอท") are words too, not scraps.
    names.update(w for w in kb.settings.stopwords if not w.isascii())
    # ...and so is a Thai aside, whole ("อีกเรื่องหนึ่ง"), so that it is cut out as one in any message.
    asides_written = (*kb.settings.asides, *kb.settings.switches)      # a change of topic is an aside too
    names.update(w for w in asides_written if not w.isascii())
    trie = normalize.make_trie((normalize.normalise_text(n) for n in names),
                               (normalize.normalise_text(w) for w in kb.settings.not_words))
    tokenize = lambda text: normalize.tokenize(normalize.normalise_text(normalize.clean(text)), trie)  # noqa: E731
    latin: set[str] = set()
    for entry in kb.entries:
        for lang in ("th", "en"):
            for phrasing in (*entry.questions.get(lang, ()), *entry.keywords.get(lang, ())):
                latin.update(t for t in tokenize(phrasing) if t.isascii())
    # Words too plain to be a phrasing's ("ok", "pls") are English all the same.
    latin.update(t for w in kb.settings.stopwords for t in tokenize(w) if t.isascii())
    gazetteer = entities.build_gazetteer(kb, tokenize, common=latin)
    for names_ in gazetteer.latin_names:
        latin.add(names_)
    for key in gazetteer.by_tokens:            # and each word of a place name ("hat", "yai")
        latin.update(t for t in key if t.isascii())
    names_of_topic = sorted((normalize.clean(t) for t in kb.settings.topic if t.strip()), key=len, reverse=True)
    topic = re.compile("|".join(re.escape(t) for t in names_of_topic), re.IGNORECASE) if names_of_topic else None
    reader = Reader(trie, gazetteer, frozenset(latin), topic)
    pairs: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in kb.settings.synonyms:
        target = reader.stems(group[0])
        for variant in group[1:]:
            tokens = reader.stems(variant)
            if tokens and tokens != target:
                pairs.setdefault(tokens, target)
    synonyms = _by_first_token(pairs)
    asks = _cues(reader, synonyms, kb.settings.asks)
    present = _cues(reader, synonyms, {"present": kb.settings.present})
    catalogue = others.build_catalogue(kb, tokenize)
    counted = cache(lambda: _thai_words(kb, tokenize))
    romaniser = romanised.make_romaniser(lambda: counted().elements(), kb.settings.romanised)
    cues = _cues(reader, {}, kb.settings.cues)
    kind_words = tuple((label, normalize.normalise_text(w).casefold()) for label in ("province", "municipality")
                       for w in kb.settings.cues.get(label, ()) if " " not in w)
    bridged = {english.casefold(): (thai, reader.words(thai)[0]) for thai, words in kb.settings.bridge.items()
               for english in words}
    bridge = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in sorted(bridged, key=len, reverse=True))
                        + r")(?![A-Za-z])", re.IGNORECASE) if bridged else None
    asides = _by_first_token({tokens: () for w in asides_written if (tokens := reader.stems(w))})
    switches = _by_first_token({tokens: ("switch",) for w in kb.settings.switches if (tokens := reader.stems(w))})
    closings = _by_first_token({tokens: () for w in kb.settings.closings
                                if (tokens := canonical(reader.stems(w), synonyms))})
    words_by_length: defaultdict[int, set[str]] = defaultdict(set)
    groups: tuple[Collection[str], ...] = (*kb.settings.synonyms, *kb.settings.cues.values(),
                                           *kb.settings.asks.values(), kb.settings.stopwords, latin)
    for listed in groups:
        for word in (w for phrase in listed for w in phrase.split()):
            # Any word of the knowledge base may be misspelt at length; a short one is read through a swap
            # only as one of the matcher's own words ("wehn"), never as a name's ("sign" is not "Sing…").
            short = listed is not latin and len(word) >= MIN_SWAP_LENGTH
            if word.isascii() and word.isalpha() and (len(word) >= MIN_SLIP_LENGTH - 1 or short):
                words_by_length[len(word)].add(word.casefold())
    matcher_words = {n: tuple(sorted(ws)) for n, ws in words_by_length.items()}
    cue_words = [w for cues_ in kb.settings.cues.values() for w in cues_ if not w.isascii()]
    restorer = toneless.Restorer(lambda: chain(
        counted().elements(), (n for n in names if not n.isascii()),
        (t for w in cue_words for t in (w, *tokenize(w)) if not t.isascii())),
        better=lambda typed, restored: _reads_better(typed, restored, trie),
        cut=lambda text: normalize.tokenize(text, trie))
    return Reader(trie, gazetteer, frozenset(latin), topic, synonyms, asks, present, catalogue, cues, romaniser,
                  kind_words, known_stems=frozenset(normalize.stem(w) for w in latin), bridge=bridge, bridged=bridged,
                  asides=asides, switches=switches, closings=closings, matcher_words=matcher_words,
                  toneless=restorer, claims=_claims(kb.settings.counted, kb.settings.approximate), how_many=_how_many(kb),
                  last_words=kb.settings.last_words, endings=kb.settings.endings,
                  intake_months=_intake_months(kb, reader, synonyms),
                  thai_frame=frozenset(w for w in (*kb.settings.stopwords, *chain.from_iterable(kb.settings.asks.values()))
                                       if not w.isascii() and len(tokenize(w)) == 1))


def _intake_months(kb: KnowledgeBase, reader: Reader, synonyms: Mapping[str, Synonyms]) -> dict[str, int]:
    """`Reader.intake_months`: each month's names in both languages (strings.yaml `months`), as read,
    for the months only one intake was held in."""
    by_month: defaultdict[int, set[int]] = defaultdict(set)
    for intake in kb.intakes:
        by_month[intake.date.month].add(intake.year)
    months: dict[str, int] = {}
    for lang in ("th", "en"):
        for number, name in enumerate(kb.string("months", lang).split(","), start=1):
            if len(by_month.get(number, ())) == 1:
                for token in canonical(reader.stems(name.strip()), synonyms):
                    months[token] = next(iter(by_month[number]))
    return months


def _claims(counted: Iterable[str], approximate: Iterable[str]) -> re.Pattern[str] | None:
    """A number (not a year, nor part of a date or a longer number), with any word that says it is
    rough, before a word a question counts."""
    words = sorted(counted, key=len, reverse=True)
    if not words:
        return None
    things = "|".join(re.escape(w) + (r"\b" if w.isascii() else "") for w in words)
    rough = "|".join(re.escape(w) + (r"\s+" if w.isascii() else r"\s*") for w in sorted(approximate, key=len, reverse=True))
    # A rough word starts a word of its own: "over" is no part of "Moreover".
    before = rf"(?:(?<![^\W\d_])(?:{rough}))?" if rough else ""
    return re.compile(rf"{before}(?<![\d.,:/])\d{{1,3}}(?![\d.,:/])\s*(?=(?:{things}))", re.IGNORECASE)


def _how_many(kb: KnowledgeBase) -> tuple[str, str]:
    """The first words that ask for a count, in Latin and in Thai script."""
    asked = kb.settings.asks.get("count", ())
    return next((w for w in asked if w.isascii()), ""), next((w for w in asked if not w.isascii()), "")


def _reads_better(typed: str, restored: str, trie: Trie) -> bool:
    """Whether a text's Thai reads better restored than as typed: more of it falls in words, or as
    much in fewer, longer ones ("เขาพรอมกัน" is "เข้า" + "พร้อมกัน", not "เขา" + "พร" + "อม" + "กัน")."""
    def reading(text: str) -> tuple[float, int]:
        return normalize.thai_coverage(text, trie), -len(normalize.tokenize(text, trie))
    return reading(restored) > reading(typed)


def _joined_thai(spelled: Sequence[tuple[int, str]], words: Sequence[str]) -> str:
    """Romanised words as spelt in Thai, written as Thai is (no spaces inside a run of Thai words)."""
    out: list[str] = []
    for (width, thai_word), start in zip(spelled, _starts(spelled)):
        if thai_word and out and not out[-1].isascii():
            out[-1] += thai_word
        else:
            out.append(thai_word or " ".join(words[start:start + width]))
    return " ".join(out)


def _thai_words(kb: KnowledgeBase, tokenize: entities.Tokenizer) -> Counter[str]:
    """The Thai words a romanised message may spell, or one typed without its marks: those of every
    Thai phrasing and keyword, of the word lists in `matcher.yaml`, and the cities' names, each
    counted as often as the knowledge base uses it. Counted as they are read, never listed: with a
    large knowledge base the list would weigh more than the counts."""
    settings = kb.settings
    texts = chain((t for entry in kb.entries for t in (*entry.questions.get("th", ()), *entry.keywords.get("th", ()))),
                  settings.stopwords, settings.topic, settings.present, (w for g in settings.synonyms for w in g),
                  (w for cues in settings.asks.values() for w in cues))
    counts = Counter(t for text in texts for t in tokenize(text) if not t.isascii())
    counts.update(name for city in kb.cities for name in (city.short.th, *city.aliases) if not name.isascii())
    return counts


def _cues(reader: Reader, synonyms: Mapping[str, Synonyms], words_by_label: Mapping[str, Iterable[str]]) -> dict[str, Synonyms]:
    """Words that signal something about a question, each read as the labels it signals ("after
    that" is both "after" and "then"). They are read after synonyms, as the tokens they will be
    compared in."""
    cues: dict[tuple[str, ...], tuple[str, ...]] = {}
    for label, words in words_by_label.items():
        for word in words:
            tokens = canonical(reader.stems(word), synonyms)
            if tokens and label not in cues.get(tokens, ()):
                cues[tokens] = (*cues.get(tokens, ()), label)
    return _by_first_token(cues)


def _by_first_token(pairs: Mapping[tuple[str, ...], tuple[str, ...]]) -> dict[str, Synonyms]:
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
    for variant, target in sorted(pairs.items(), key=lambda kv: -len(kv[0])):
        by_first[variant[0]].append((variant, target))
    return {k: tuple(v) for k, v in by_first.items()}
