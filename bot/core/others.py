"""The other things a question names: countries, regions, organisations, programmes, cities abroad,
people, roles and topics that the knowledge base mostly does not speak of.

The matcher weighs words, and a question's one foreign name is a single word among many: "how many
learning cities does Japan have?" is all but "how many learning cities are there?", whose answer
(the network's size) would be confidently wrong. Naming the thing lets the matcher refuse any entry
whose own text does not name it too, however close the rest of the wording is.

Country names come from pycountry (English) and PyThaiNLP's `countries()` (Thai); everything else,
and the names people use that neither lists, from `knowledge/entities.yaml`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import re

import pycountry
from pythainlp.corpus import countries as thai_countries

from bot.knowledge import KnowledgeBase

#: What turns a name into the tokens a question would be read as.
Tokenizer = Callable[[str], list[str]]
#: A capitalised word inside a sentence: a name, unless the knowledge base uses the word.
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
#: A message with more than this share of capitalised words is written in Title Case, which says
#: nothing about names.
TITLE_CASE_SHARE = 0.5
#: Label of a name the bot has never seen, read from its capital letter ("name:espoo").
UNKNOWN_NAME = "name"
#: A person's name after an honorific is a name only if it is a word of letters this long or longer.
MIN_PERSON_NAME = 3


@dataclass(frozen=True)
class Catalogue:
    """Every name of every other thing, as token sequences, each with its thing's label."""

    by_tokens: dict[tuple[str, ...], str]
    covered: frozenset[tuple[str, ...]]
    honorifics: frozenset[str]
    max_len: int

    def find(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """Labels of the things named in a token list, in order, longest names first.

        >>> Catalogue({("south", "korea"): "country:KR", ("korea",): "country:KR"}, frozenset(),
        ...           frozenset({"dr"}), 2).find(["dr", "kim", "from", "south", "korea"])
        ('person:kim', 'country:KR')
        """
        found: list[str] = []
        i = 0
        while i < len(tokens):
            width, label = self._at(tokens, i)
            if label is None and tokens[i] in self.honorifics and i + 1 < len(tokens) \
                    and tokens[i + 1].isalpha() and len(tokens[i + 1]) >= MIN_PERSON_NAME:
                width, label = 2, f"person:{tokens[i + 1]}"
            if label is not None and label not in found:
                found.append(label)
            i += max(width, 1)
        return tuple(found)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of every name listed, covered ones included."""
        return frozenset(t for key in (*self.by_tokens, *self.covered) for t in key)

    def _at(self, tokens: Sequence[str], i: int) -> tuple[int, str | None]:
        for width in range(min(self.max_len, len(tokens) - i), 0, -1):
            window = tuple(tokens[i:i + width])
            if window in self.covered:
                return width, None
            label = self.by_tokens.get(window)
            if label is not None:
                return width, label
        return 1, None


def proper_names(text: str, known: Callable[[str], bool]) -> tuple[str, ...]:
    """Labels of capitalised words inside a sentence that the bot does not know: the names of
    people, places and organisations no list holds ("did Espoo win the award?"). The first word of
    a sentence and any word `known` accepts are not names, nor is anything in a Title Case message.

    >>> proper_names("did Espoo win the award? Maybe Espoo did", lambda w: w in {"did", "win", "the", "award"})
    ('name:espoo',)
    >>> proper_names("Is Yala A Member", lambda w: False)
    ()
    """
    words = list(_WORD.finditer(text))
    if not words or sum(w.group(0)[0].isupper() for w in words) / len(words) > TITLE_CASE_SHARE:
        return ()
    found: list[str] = []
    for match in words:
        word = match.group(0)
        before = text[:match.start()]
        if not word[0].isupper() or not before.strip() or _SENTENCE_END.search(before) or word == "I":
            continue
        folded = word.casefold().strip("'-")
        label = f"{UNKNOWN_NAME}:{folded}"
        if len(folded) > 1 and not known(folded) and label not in found:
            found.append(label)
    return tuple(found)


def words_of(text: str) -> frozenset[str]:
    """The "name:" labels of every Latin word of a knowledge-base text: what it speaks of."""
    return frozenset(f"{UNKNOWN_NAME}:{m.group(0).casefold().strip(chr(39) + '-')}" for m in _WORD.finditer(text))


def country_names() -> Iterable[tuple[str, str]]:
    """(label, name) for every country pycountry knows, by each of its English names; a name
    written "Korea, Republic of" is also taken as what comes before its comma."""
    for country in pycountry.countries:
        label = f"country:{country.alpha_2}"
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name:
                yield label, name
                if ", " in name:
                    yield label, name.split(", ")[0]


def build_catalogue(kb: KnowledgeBase, tokenize: Tokenizer) -> Catalogue:
    """Names from the libraries first, then `entities.yaml`, whose groups win: they tie a Thai
    name and the names people type to the same thing as the official English name."""
    named = kb.named
    covered = frozenset(t for t in (tuple(tokenize(n)) for n in named.covered) if t)
    by_tokens: dict[tuple[str, ...], str] = {}
    alpha2_of: dict[tuple[str, ...], str] = {}
    for label, name in country_names():
        tokens = tuple(tokenize(name))
        if tokens and tokens not in covered:
            by_tokens.setdefault(tokens, label)
            alpha2_of.setdefault(tokens, label)
    for name in thai_countries():
        tokens = tuple(tokenize(name))
        if tokens and tokens not in covered:
            by_tokens.setdefault(tokens, f"country:{name}")
    for label, names in named.groups:
        keys = [t for t in (tuple(tokenize(n)) for n in names) if t]
        # A group of country names takes the label pycountry gives any of them ("Viet Nam": VN).
        if label.startswith("country:"):
            label = next((alpha2_of[k] for k in keys if k in alpha2_of), label)
        for tokens in keys:
            if tokens not in covered:
                by_tokens[tokens] = label
    honorifics = frozenset(t for h in named.honorifics for t in tokenize(h))
    max_len = max((len(k) for k in by_tokens), default=1)
    return Catalogue(by_tokens, covered, honorifics, max_len)


def names_to_segment(kb: KnowledgeBase) -> set[str]:
    """Thai names to add to the segmenter's dictionary, so that each is read as one word."""
    return {*thai_countries(), *(n for _, names in kb.named.groups for n in names), *kb.named.covered}
