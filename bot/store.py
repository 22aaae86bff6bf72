"""SQLite records of questions asked, about questions and never about people.

Writes go through a queue to one background thread that commits in batches, so answering never
waits on the disk; a database error is logged once and the bot goes on answering. The schema
carries its version in PRAGMA user_version and is migrated by the bot itself.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4
MIGRATIONS: dict[int, Sequence[str]] = {
    1: (
        """CREATE TABLE questions (
               id INTEGER PRIMARY KEY,
               ts REAL NOT NULL,
               chat_type TEXT NOT NULL CHECK (chat_type IN ('private', 'group', 'inline', 'cli')),
               lang TEXT NOT NULL,
               question TEXT NOT NULL,
               kind TEXT NOT NULL CHECK (kind IN ('answer', 'fallback', 'smalltalk', 'none_of_these')),
               entry TEXT,
               score REAL NOT NULL
           )""",
        "CREATE INDEX questions_ts ON questions (ts)",
        """CREATE TABLE feedback (
               id INTEGER PRIMARY KEY,
               ts REAL NOT NULL,
               question TEXT NOT NULL,
               entry TEXT,
               vote INTEGER NOT NULL CHECK (vote IN (-1, 1))
           )""",
        "CREATE INDEX feedback_ts ON feedback (ts)",
    ),
    # Why a 👎: the one-tap answer comes as a second row with a reason, saying why about the first,
    # so votes are counted from the rows without one.
    2: (
        "ALTER TABLE feedback ADD COLUMN reason TEXT CHECK (reason IS NULL OR reason IN ('wrong', 'not_asked', 'out_of_date'))",
    ),
    # The durable inbox (bot/inbox.py): updates fetched and not yet handled, a minimal copy each.
    3: (
        """CREATE TABLE inbox (
               update_id INTEGER PRIMARY KEY,
               sent REAL NOT NULL,
               body TEXT NOT NULL
           )""",
    ),
    # One vote per person per answer: `voter` is a keyed hash of (person, message) under a key never
    # stored (bot/recording.py: derived from the bot token), so the database alone says nothing about
    # who voted; cleared once the answer is no longer votable (VOTE_WINDOW).
    4: (
        "ALTER TABLE feedback ADD COLUMN voter BLOB",
        "CREATE UNIQUE INDEX feedback_voter ON feedback (voter) WHERE voter IS NOT NULL",
    ),
}
#: How long an answer takes votes; after it, the keyed hashes that kept votes one per person are cleared.
VOTE_WINDOW = 2 * 86400.0
FEEDBACK_REASONS = ("wrong", "not_asked", "out_of_date")
DEFAULT_BATCH = 200
#: Records kept in memory while the database cannot take them (locked, full), before the oldest go.
MAX_HELD = 10_000
DEFAULT_FLUSH_SECONDS = 0.5


@dataclass(frozen=True)
class QuestionRecord:
    ts: float
    chat_type: str
    lang: str
    question: str
    kind: str
    entry: str | None
    score: float


@dataclass(frozen=True)
class FeedbackRecord:
    ts: float
    question: str
    entry: str | None
    vote: int
    reason: str | None = None     # one of FEEDBACK_REASONS: why an earlier 👎 (not another vote)
    voter: bytes | None = None    # keyed hash of (person, message): a later vote replaces the earlier one


def connect(path: str) -> sqlite3.Connection:
    """Open (creating and migrating) the database; WAL so that the report can read while the bot writes."""
    conn = sqlite3.connect(path, timeout=2.0, check_same_thread=False, isolation_level=None)
    if path != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    migrate(conn)
    return conn


def snapshot(path: str) -> sqlite3.Connection:
    """A copy in memory of the database at `path`, opened read-only and migrated in the copy only:
    reading the records (the report) never rewrites the file the bot writes to."""
    if path == ":memory:":
        return connect(path)
    source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=2.0)
    copy = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    try:
        source.backup(copy)
    except BaseException:
        copy.close()
        raise
    finally:
        source.close()
    migrate(copy)
    return copy


def migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"database schema {version} is newer than this bot ({SCHEMA_VERSION})")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[target]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise


def write_batch(conn: sqlite3.Connection, items: Sequence[QuestionRecord | FeedbackRecord]) -> None:
    """One transaction per batch: a crash leaves the batch either all there or not at all."""
    conn.execute("BEGIN")
    try:
        for item in items:
            if isinstance(item, QuestionRecord):
                conn.execute("INSERT INTO questions (ts, chat_type, lang, question, kind, entry, score) VALUES (?,?,?,?,?,?,?)",
                             (item.ts, item.chat_type, item.lang, item.question, item.kind, item.entry, item.score))
            else:
                conn.execute("INSERT INTO feedback (ts, question, entry, vote, reason, voter) VALUES (?,?,?,?,?,?) "
                             "ON CONFLICT (voter) WHERE voter IS NOT NULL DO UPDATE SET "
                             "ts = excluded.ts, entry = excluded.entry, vote = excluded.vote, reason = excluded.reason",
                             (item.ts, item.question, item.entry, item.vote, item.reason, item.voter))
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open: SQLite itself rolls back on some errors (a full disk),
    and a second ROLLBACK would then hide the real error behind "no transaction is active"."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def purge(conn: sqlite3.Connection, days: int, *, now: float | None = None) -> int:
    """Delete records older than `days`; returns how many questions went."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    conn.execute("BEGIN")
    try:
        removed = conn.execute("DELETE FROM questions WHERE ts < ?", (cutoff,)).rowcount
        conn.execute("DELETE FROM feedback WHERE ts < ?", (cutoff,))
        conn.execute("UPDATE feedback SET voter = NULL WHERE voter IS NOT NULL AND ts < ?",
                     ((now if now is not None else time.time()) - VOTE_WINDOW,))
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise
    return removed


class Recorder:
    """Queue in front of the database: `add` never blocks and never raises."""

    def __init__(self, path: str, *, retention_days: int = 180, batch: int = DEFAULT_BATCH,
                 flush_seconds: float = DEFAULT_FLUSH_SECONDS, connector: Callable[[str], sqlite3.Connection] = connect) -> None:
        self.path = path
        self.retention_days = retention_days
        self.batch = batch
        self.flush_seconds = flush_seconds
        self._connector = connector
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=100_000)
        self._failed = False
        self._dropped = 0
        self._held: list[QuestionRecord | FeedbackRecord] = []   # not yet written: the database was busy
        self._thread = threading.Thread(target=self._run, name="gnlc-recorder", daemon=True)
        self._conn: sqlite3.Connection | None = None
        self._ready = threading.Event()
        self._thread.start()
        self._ready.wait(timeout=5)

    @property
    def healthy(self) -> bool:
        return not self._failed

    def add(self, item: QuestionRecord | FeedbackRecord) -> None:
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            self._dropped += 1

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until everything queued so far is written (or given up on)."""
        done = threading.Event()
        self.add_marker(done)
        done.wait(timeout)

    def add_marker(self, event: threading.Event) -> None:
        self._queue.put(event)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _error(self, exc: BaseException) -> None:
        if not self._failed:
            log.error("question records are not being saved (%s: %s); the bot keeps answering", type(exc).__name__, exc)
        self._failed = True

    def _run(self) -> None:
        try:
            self._conn = self._connector(self.path)
            purge(self._conn, self.retention_days)
        except (sqlite3.Error, OSError) as exc:
            self._error(exc)
        finally:
            self._ready.set()
        last_purge = time.monotonic()
        stop = False
        while not stop:
            items: list[QuestionRecord | FeedbackRecord] = []
            markers: list[threading.Event] = []
            pending: list[Any] = []
            try:
                pending.append(self._queue.get(timeout=self.flush_seconds))
            except queue.Empty:
                pass
            while pending and len(pending) < self.batch:
                try:
                    pending.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            for item in pending:
                if item is None:
                    stop = True
                elif isinstance(item, threading.Event):
                    markers.append(item)
                else:
                    items.append(item)
            if items or self._held:
                self._write(self._held + items)
            if time.monotonic() - last_purge > 3600:
                last_purge = time.monotonic()
                self._safely(lambda conn: purge(conn, self.retention_days))
            for marker in markers:
                marker.set()
        if self._conn is not None:
            self._conn.close()

    def _write(self, items: list[QuestionRecord | FeedbackRecord]) -> None:
        """Write, or hold the records for the next try when the database is busy or unwritable for now
        (locked, full, read-only): at most MAX_HELD of them, the oldest dropped first."""
        self._held = []
        failure = self._safely(lambda conn: write_batch(conn, items))
        if isinstance(failure, (sqlite3.OperationalError, OSError)):
            self._held = items[-MAX_HELD:]
            self._dropped += len(items) - len(self._held)

    def _safely(self, action: Callable[[sqlite3.Connection], object]) -> BaseException | None:
        try:
            if self._conn is None:
                self._conn = self._connector(self.path)
            action(self._conn)
            if self._failed:
                log.info("question records are being saved again")
            self._failed = False
            return None
        except (sqlite3.Error, OSError) as exc:
            self._error(exc)
            return exc
