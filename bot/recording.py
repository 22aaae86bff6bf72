"""Turn what the doors saw into records for the curation loop, without knowing about people.

The doors (Telegram, `ask`, the console chat) call one `Journal`; it normalises the question the
way the matcher read it, so that "Hat Yai??" and "hat yai" land in one cluster of the report, and
hands the record to the background `Recorder`. A door without a database gets a journal that
does nothing, so recording never decides whether a question is answered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

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
        query = self.brain().index.reader.read(question)
        text = normalize.normalise_text(query.text)[:MAX_RECORDED_CHARS]
        if not text:
            return
        if reply is None:
            record = QuestionRecord(time.time(), chat_type, query.lang, text, "none_of_these", None, 0.0)
        else:
            record = QuestionRecord(time.time(), chat_type, reply.lang, text, reply.kind, reply.entry, float(reply.score))
        self.recorder.add(record)

    def feedback(self, question: str, entry: str | None, vote: int) -> None:
        """Record a 👍 (+1) or 👎 (-1) on the answer an entry gave to a question."""
        if self.recorder is None or vote not in (-1, 1):
            return
        text = normalize.normalise_text(self.brain().index.reader.read(question).text)[:MAX_RECORDED_CHARS]
        self.recorder.add(FeedbackRecord(time.time(), text, entry, vote))

    def feedback_reason(self, question: str, entry: str | None, reason: str) -> None:
        """Record why the asker gave a 👎 (one of store.FEEDBACK_REASONS), for the report."""
        if self.recorder is None or reason not in FEEDBACK_REASONS:
            return
        text = normalize.normalise_text(self.brain().index.reader.read(question).text)[:MAX_RECORDED_CHARS]
        self.recorder.add(FeedbackRecord(time.time(), text, entry, -1, reason))

    def flush(self) -> None:
        """Wait until what was recorded so far is in the database (for /stats and tests)."""
        if self.recorder is not None:
            self.recorder.flush()

    def close(self) -> None:
        if self.recorder is not None:
            self.recorder.close()


def open_journal(db_path: str | None, brain: Callable[[], Brain], *, retention_days: int = 180) -> Journal:
    """A journal writing to `db_path`, or a silent one when no path is given."""
    if not db_path:
        return Journal(None, brain)
    return Journal(Recorder(db_path, retention_days=retention_days), brain)
