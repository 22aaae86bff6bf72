"""What each conversation was last talking about, kept in memory for a while and never on disk.

The brain is pure: `answer(question, brain, context)` takes the reading of the last answered
question and returns the one to keep. The doors keep it here, by whatever makes a conversation for
them (a private chat; one person in a group; a reply to one of the bot's answers), and forget it
after a stretch of silence or when the bot restarts. A reading holds no words as typed.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from bot.core.understand import Query

#: Silence after which a conversation's context is forgotten (the BOT_CONTEXT_MINUTES setting).
DEFAULT_TTL_SECONDS = 600.0
#: At most this many conversations are remembered; the least recently used go first.
DEFAULT_LIMIT = 20_000


@dataclass
class Conversations:
    """Readings by conversation key, each forgotten `ttl` seconds after it was last kept.

    >>> now = [0.0]
    >>> memory = Conversations(ttl=60, clock=lambda: now[0])
    >>> memory.keep("chat", Query("", "en", ("x",), (), ()))
    >>> memory.get("chat") is not None
    True
    >>> now[0] = 61
    >>> memory.get("chat") is None
    True
    """

    ttl: float = DEFAULT_TTL_SECONDS
    clock: Callable[[], float] = time.monotonic
    limit: int = DEFAULT_LIMIT
    _items: OrderedDict[Hashable, tuple[float, Query]] = field(default_factory=OrderedDict)

    def get(self, key: Hashable) -> Query | None:
        item = self._items.get(key)
        if item is None:
            return None
        kept_at, reading = item
        if self.clock() - kept_at > self.ttl:
            del self._items[key]
            return None
        return reading

    def keep(self, key: Hashable, reading: Query | None) -> None:
        if reading is None:
            return
        self._items[key] = (self.clock(), reading)
        self._items.move_to_end(key)
        while len(self._items) > self.limit:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
