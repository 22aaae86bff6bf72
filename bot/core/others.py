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

import pycountry
from pythainlp.corpus import countries as thai_countries

from bot.knowledge import KnowledgeBase

#: What turns a name into the tokens a question would be read as.
Tokenizer = Callable[[str], list[str]]
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

    def _at(self, tokens: Sequence[str], i: int) -> tuple[int, str | None]:
        for width in range(min(self.max_len, len(tokens) - i), 0, -1):
            window = tuple(tokens[i:i + width])
            if window in self.covered:
                return width, None
            label = self.by_tokens.get(window)
            if label is not None:
                return width, label
        return 1, None


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
