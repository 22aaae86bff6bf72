"""Turn what the doors saw into records for the curation loop, without knowing about people.

The doors (Telegram, `ask`, the console chat) call one `Journal`; it normalises the question the
way the matcher read it, so that "Hat Yai??" and "hat yai" land in one cluster of the report, and
hands the record to the background `Recorder`. A door without a database gets a journal that
does nothing, so recording never decides whether a question is answered.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot import privacy
from bot.core import normalize
from bot.core.answer import Brain
from bot.core.reply import Reply
from bot.store import FEEDBACK_REASONS, FeedbackRecord, QuestionRecord, Recorder

#: Records keep at most this much of a question: enough to cluster, not a transcript.
MAX_RECORDED_CHARS = 300
CHAT_TYPES = ("private", "group", "inline", "cli")


@dataclass(frozen=True)
class Journal:
    """Where a door reports a question and its reply; `recorder` None means recording is off."""

    recorder: Recorder | None
    brain: Callable[[], Brain]

    def question(self, chat_type: str, question: str, reply: Reply | None) -> None:
        """Record one question; `reply` None means the asker pressed "none of these"."""
        if self.recorder is None or chat_type not in CHAT_TYPES:
            return
        query = self.brain().index.reader.read(privacy.mark(question))
        text = self._stored(query.text)
        if not text:
            return
        if reply is None:
            record = QuestionRecord(_minute(), chat_type, query.lang, text, "none_of_these", None, 0.0)
        else:
            record = QuestionRecord(_minute(), chat_type, reply.lang, text, reply.kind, reply.entry, float(reply.score))
        self.recorder.add(record)

    def feedback(self, question: str, entry: str | None, vote: int, *, voter: bytes | None = None) -> None:
        """Record a 👍 (+1) or 👎 (-1) on the answer an entry gave to a question; a later vote with the
        same `voter` (see `voter_key`) replaces the earlier one."""
        if self.recorder is None or vote not in (-1, 1):
            return
        text = self._stored(self.brain().index.reader.read(privacy.mark(question)).text)
        self.recorder.add(FeedbackRecord(_minute(), text, entry, vote, voter=voter))

    def feedback_reason(self, question: str, entry: str | None, reason: str, *, voter: bytes | None = None) -> None:
        """Record why the asker gave a 👎 (one of store.FEEDBACK_REASONS), for the report."""
        if self.recorder is None or reason not in FEEDBACK_REASONS:
            return
        text = self._stored(self.brain().index.reader.read(privacy.mark(question)).text)
        self.recorder.add(FeedbackRecord(_minute(), text, entry, -1, reason, voter=voter))

    @staticmethod
    def _stored(read_text: str) -> str:
        """What is kept of a question: normalised as the matcher read it, personal details out (again,
        after normalisation, which may join what the raw text split), cut to MAX_RECORDED_CHARS."""
        return privacy.redact(privacy.unmark(normalize.normalise_text(read_text)))[:MAX_RECORDED_CHARS]

    def flush(self) -> None:
        """Wait until what was recorded so far is in the database (for /stats and tests)."""
        if self.recorder is not None:
            self.recorder.flush()

    def close(self) -> None:
        if self.recorder is not None:
            self.recorder.close()


#: What the voter key is derived from the bot token under (a label, so the key is no other use's).
_VOTER_LABEL = b"gnlc-bot: one vote per person per answer"


def voter_secret(token: str) -> bytes:
    """The key of the voters' hashes, derived from the bot token: the same after a restart (so a vote
    changed after one replaces the earlier vote), and never in the database (so the database alone,
    a backup or a copy handed to a curator, cannot be tested against a list of user ids). A new
    token makes a vote changed within VOTE_WINDOW of the change count once more."""
    return hmac.new(token.encode(), _VOTER_LABEL, hashlib.sha256).digest()


def voter_key(secret: bytes, user_id: int, chat_id: int, message_id: int, what: str = "vote") -> bytes:
    """A keyed hash standing for "this person, on this answer" (`what`: the vote, or the reason).

    >>> a = voter_key(voter_secret("1:A"), 7, 7, 9)
    >>> a == voter_key(voter_secret("1:A"), 7, 7, 9), a == voter_key(voter_secret("1:B"), 7, 7, 9), len(a)
    (True, False, 16)
    """
    return hmac.new(secret, f"{user_id}:{chat_id}:{message_id}:{what}".encode(), hashlib.blake2s).digest()[:16]


def _minute() -> float:
    """Now, to the minute: when a question came matters for the report, the second it came does not."""
    return float(int(time.time()) // 60 * 60)


def open_journal(db_path: str | None, brain: Callable[[], Brain], *, retention_days: int = 180) -> Journal:
    """A journal writing to `db_path`, or a silent one when no path is given."""
    if not db_path:
        return Journal(None, brain)
    return Journal(Recorder(db_path, retention_days=retention_days), brain)
