"""Thai typed in Latin letters ("yala khao ruam pee arai") read as the Thai it spells.

People without a Thai keyboard at hand, or in a hurry on a phone, spell Thai the way it sounds.
Every Thai word of the knowledge base is romanised with PyThaiNLP's royin engine (offline), and the
informal spellings royin does not give ("pee", "krub", "sawasdee") are data in `matcher.yaml`;
all are compared by `latin_key`, which folds the many spellings of one sound into one. A message is
read this way only when it is not English: like a keyboard-layout slip, it is a second reading
taken when the first makes no sense.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.core.normalize import latin_key

#: The most Latin words one Thai word may be spelt with ("muang haeng kan rian roo" is five).
MAX_WORDS = 5
#: A royin spelling shorter than this is too common a string to stand for one Thai word.
MIN_KEY = 2
#: A message is taken as romanised Thai when at least this share of its words (places aside) spell
#: Thai words the knowledge base uses...
DEFAULT_ROMANISED_COVERAGE = 0.6
#: ...and at least this many of them do: one word that happens to spell Thai is not a message.
MIN_ROMANISED_WORDS = 2
#: In a romanised question that borrows English words, the share of its words (names aside) that
#: must spell Thai for it to be read as Thai.
MIN_MIXED_SHARE = 0.4


@dataclass(frozen=True)
class Romaniser:
    """Latin spellings of the knowledge base's Thai words, by how they sound."""

    #: The knowledge base's Thai words, as often as it uses them (the likelier reading of a spelling
    #: two words share, such as "khao" for เข้า and ข่าว); listed on first use, as royin is.
    words: Callable[[], Iterable[str]]
    #: Informal spellings (from `matcher.yaml`): each Thai word with its Latin spellings. They win.
    informal: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def by_key(self) -> dict[str, str]:
        """Built on first use, not at start-up: royin takes most of a second to load its data, and
        only a message that is not English ever needs it. It is built in a short-lived child
        process: royin segments with PyThaiNLP's full dictionary, a 60 MB trie the bot would
        otherwise keep for good; the bot keeps only the table."""
        counts = Counter(w for w in self.words() if w.strip())
        words = [word for word, _ in counts.most_common()]
        table = _in_child(words)
        for word, spellings in self.informal.items():
            for spelling in spellings:
                table[_words_key(spelling.split())] = word
        return table

    def spell(self, words: Sequence[str], keep: Callable[[int], int] = lambda i: 0) -> list[tuple[int, str]]:
        """(width, Thai word) for the Latin words read left to right, longest spelling first;
        (width, "") for words that spell nothing known, or that `keep` says to keep as they are
        (it gives how many words from a position are a name: "chiang mai" is not "chiang ไหม").

        >>> Romaniser(list, {"ปี": ("pee",), "เข้าร่วม": ("khao ruam",)}).spell(["kao", "ruam", "bpee", "x"])
        [(2, 'เข้าร่วม'), (1, 'ปี'), (1, '')]
        """
        table = self.by_key
        out: list[tuple[int, str]] = []
        i = 0
        while i < len(words):
            kept = keep(i)
            if kept or not words[i].isalpha():
                out.append((kept or 1, ""))
                i += kept or 1
                continue
            for width in range(min(MAX_WORDS, len(words) - i), 0, -1):
                if not all(w.isalpha() for w in words[i:i + width]):
                    continue
                thai = table.get(_words_key(words[i:i + width]))
                if thai is not None:
                    out.append((width, thai))
                    i += width
                    break
            else:
                out.append((1, ""))
                i += 1
        return out


#: How long the child that spells the knowledge base's words in royin may take.
CHILD_TIMEOUT_S = 120


def _in_child(words: Sequence[str]) -> dict[str, str]:
    """`royin_keys` run by a fresh Python (the same interpreter), words in and table out as JSON;
    if no child can be started, run here instead (the memory is then kept, the answer the same)."""
    code = ("import json, sys; from bot.core.romanised import royin_keys; "
            "json.dump(royin_keys(json.load(sys.stdin)), sys.stdout, ensure_ascii=False)")
    try:
        done = subprocess.run([sys.executable, "-c", code], input=json.dumps(words, ensure_ascii=False),
                              capture_output=True, text=True, encoding="utf-8", timeout=CHILD_TIMEOUT_S, check=True)
        table = json.loads(done.stdout)
        if isinstance(table, dict):
            return {str(k): str(v) for k, v in table.items()}
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return royin_keys(words)


def royin_keys(words: Sequence[str]) -> dict[str, str]:
    """Each word's royin spelling, folded by `latin_key`, to the first (most used) word spelt so."""
    from pythainlp.transliterate import romanize

    table: dict[str, str] = {}
    for word in words:
        key = latin_key(romanize(word, engine="royin"))
        if len(key) >= MIN_KEY:
            table.setdefault(key, word)
    return table


def _words_key(words: Iterable[str]) -> str:
    """Words spelt together or apart ("khao ruam", "khaoruam") are one spelling, as royin writes it."""
    return latin_key("".join(words))


def make_romaniser(thai_words: Callable[[], Iterable[str]], informal: Mapping[str, tuple[str, ...]]) -> Romaniser:
    return Romaniser(thai_words, informal)
