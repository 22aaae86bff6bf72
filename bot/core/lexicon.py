"""The Thai word list newmm segments with, kept as one sorted tuple instead of a tree of nodes.

PyThaiNLP's `Trie` holds its 60,000-odd dictionary words as some 180,000 node objects, about 60 MB
of Python objects: more than a third of the memory the whole bot may use. newmm only ever asks a
dictionary for the words that start a text at a position (`prefixes`) and whether a word is in it,
and a sorted tuple answers both with `bisect` in C, for a tenth of the memory. The class keeps the
`Trie` interface (and type), so PyThaiNLP's tokenizers take it as they are.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator

from pythainlp.util import Trie


class Lexicon(Trie):
    """A read-only `Trie` over a sorted tuple of words."""

    def __init__(self, words: Iterable[str]) -> None:  # noqa: D107 - no Trie nodes are built
        self._words: tuple[str, ...] = tuple(sorted({w.strip() for w in words if w and w.strip()}))
        self._set = frozenset(self._words)
        self._longest = max(map(len, self._words), default=0)

    def add(self, word: str) -> None:
        raise TypeError("a Lexicon is read-only; build a new one with the extra words")

    def remove(self, word: str) -> None:
        raise TypeError("a Lexicon is read-only; build a new one without the word")

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        """Words that `text[start:]` begins with, shortest first, as `Trie.prefixes` returns them.

        >>> Lexicon(["สวัส", "สวัสดี", "ดี", "ครับ"]).prefixes("สวัสดีครับ")
        ['สวัส', 'สวัสดี']
        >>> Lexicon(["สวัส", "สวัสดี", "ดี", "ครับ"]).prefixes("สวัสดีครับ", 6)
        ['ครับ']
        """
        found: list[str] = []
        words, members = self._words, self._set
        end = min(len(text), start + self._longest)
        i = 0
        for stop in range(start + 1, end + 1):
            candidate = text[start:stop]
            if candidate in members:
                found.append(candidate)
            # Stop as soon as no word begins with what has been read so far; a longer prefix sorts
            # after a shorter one, so each search starts where the last one ended.
            i = bisect_left(words, candidate, i)
            if i == len(words) or not words[i].startswith(candidate):
                break
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)
