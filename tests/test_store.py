"""Question records: schema and migrations, batching off the answer path, retention, and faults.

A fault in the database must never stop the bot answering: it is logged once, `add` never raises or
blocks, and records resume when the database is usable again.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bot import store
from bot.core.answer import Brain, answer
from bot.recording import open_journal
from bot.store import FeedbackRecord, QuestionRecord, Recorder

ROOT = Path(__file__).resolve().parents[1]


def q(text: str = "when did yala join", *, ts: float | None = None, kind: str = "answer") -> QuestionRecord:
    return QuestionRecord(ts if ts is not None else time.time(), "private", "en", text, kind, "city-status", 0.9)


def test_schema_is_created_versioned_and_holds_no_personal_data(tmp_path: Path) -> None:
    conn = store.connect(str(tmp_path / "r.sqlite3"))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {row[1] for table in ("questions", "feedback") for row in conn.execute(f"PRAGMA table_info({table})")}
    assert not {c for c in columns if any(w in c for w in ("user", "chat_id", "name"))}
    store.migrate(conn)                      # idempotent
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION


def test_an_older_database_is_migrated_and_a_newer_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()            # version 0: an empty file from an older bot
    conn = store.connect(str(path))
    store.write_batch(conn, [q()])
    assert conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 1
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(sqlite3.DatabaseError, match="newer"):
        store.connect(str(path))


def test_recorder_batches_off_the_answer_path(tmp_path: Path) -> None:
    gate = threading.Event()

    def slow_connect(path: str) -> sqlite3.Connection:
        gate.wait(5)                         # a disk that takes its time
        return store.connect(path)

    recorder = Recorder(str(tmp_path / "r.sqlite3"), connector=slow_connect)
    started = time.perf_counter()
    for n in range(500):
        recorder.add(q(f"question {n}"))
    assert time.perf_counter() - started < 0.5
    gate.set()
    recorder.flush()
    recorder.close()
    with sqlite3.connect(tmp_path / "r.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 500


def test_journal_records_normalised_questions_and_feedback(tmp_path: Path, brain: Brain) -> None:
    db = tmp_path / "j.sqlite3"
    journal = open_journal(str(db), lambda: brain)
    reply = answer("When did HAT YAI join???", brain)
    journal.question("private", "When did HAT YAI join???", reply)
    journal.question("group", "ราคาทองวันนี้", answer("ราคาทองวันนี้", brain))
    journal.question("private", "something odd", None)
    journal.feedback("When did HAT YAI join???", "city-status", -1)
    journal.question("nosuchdoor", "ignored", reply)
    journal.close()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT chat_type, lang, question, kind, entry FROM questions ORDER BY id").fetchall()
        votes = conn.execute("SELECT question, entry, vote FROM feedback").fetchall()
    assert rows[0] == ("private", "en", "when did hat yai join?", "answer", "city-status")
    assert rows[1][:2] == ("group", "th") and rows[1][3] == "fallback"
    assert rows[2][3] == "none_of_these"
    assert len(rows) == 3
    assert votes == [("when did hat yai join?", "city-status", -1)]


@pytest.mark.parametrize(("asked", "kept", "gone"), [
    ("i am somchai jaidee 0812345678 when did yala join", "[phone]", "0812345678"),
    ("ขอข้อมูลหน่อย somchai.j@example.co.th", "[email]", "example"),
    ("เลขบัตร ๑-๒๓๔๕-๖๗๘๙๐-๑๒-๓ ยะลาเข้าร่วมเมื่อไหร่", "[id]", "2345"),
    ("is https://example.org/my-page?id=42 right?", "[url]", "example"),
    ("call me on +66 81 234 5678 about the 2024 intake", "[phone]", "234"),
])
def test_personal_details_are_stored_as_tokens_and_times_to_the_minute(tmp_path: Path, brain: Brain, asked: str,
                                                                       kept: str, gone: str) -> None:
    db = tmp_path / "p.sqlite3"
    journal = open_journal(str(db), lambda: brain)
    journal.question("private", asked, answer(asked, brain))
    journal.feedback(asked, "city-status", -1)
    journal.close()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT ts, question FROM questions UNION ALL SELECT ts, question FROM feedback").fetchall()
    assert len(rows) == 2
    for ts, question in rows:
        assert kept in question and gone not in question, question
        assert ts % 60 == 0


def test_retention_deletes_old_records_only(tmp_path: Path) -> None:
    conn = store.connect(str(tmp_path / "r.sqlite3"))
    now = time.time()
    store.write_batch(conn, [q("old", ts=now - 200 * 86400), q("recent", ts=now - 10 * 86400),
                             FeedbackRecord(now - 200 * 86400, "old", "x", -1)])
    assert store.purge(conn, 180, now=now) == 1
    assert [r[0] for r in conn.execute("SELECT question FROM questions")] == ["recent"]
    assert conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "bot.store"]


def test_read_only_database_is_logged_once_and_never_raises(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "ro.sqlite3"
    store.connect(str(path)).close()

    def read_only(p: str) -> sqlite3.Connection:
        # chmod does not stop root, so open the file the way a read-only mount would serve it.
        return sqlite3.connect(f"file:{p}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)

    recorder = Recorder(str(path), connector=read_only)
    for n in range(5):
        recorder.add(q(f"q{n}"))
        recorder.flush()
    assert not recorder.healthy
    assert len(_errors(caplog)) == 1
    recorder.close()


def test_locked_database_is_survived_and_recording_resumes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "locked.sqlite3"
    store.connect(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")

    def impatient(p: str) -> sqlite3.Connection:
        conn = sqlite3.connect(p, timeout=0.1, isolation_level=None, check_same_thread=False)
        return conn

    recorder = Recorder(str(path), connector=impatient)
    recorder.add(q("while locked"))
    recorder.flush()
    assert not recorder.healthy and len(_errors(caplog)) == 1
    holder.execute("ROLLBACK")
    holder.close()
    recorder.add(q("after the lock"))
    recorder.flush()
    assert recorder.healthy
    recorder.close()
    with sqlite3.connect(path) as conn:
        saved = {r[0] for r in conn.execute("SELECT question FROM questions")}
    assert {"while locked", "after the lock"} <= saved          # held while locked, written once it freed


def test_a_full_disk_is_survived(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "full.sqlite3"

    def tiny(p: str) -> sqlite3.Connection:
        conn = store.connect(p)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")     # SQLite's own "database or disk is full"
        return conn

    # Every record is larger than a page, so each one needs a new page and every batch fails,
    # however the background thread happens to slice the queue into batches.
    recorder = Recorder(str(path), connector=tiny, batch=50)
    for n in range(400):
        recorder.add(q(f"a long question number {n} " + "x" * 8000))
    recorder.flush()
    assert not recorder.healthy
    errors = _errors(caplog)
    assert len(errors) == 1 and "full" in errors[0].getMessage()
    recorder.add(q("still accepted"))          # never raises
    recorder.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_process_killed_mid_write_leaves_a_consistent_database(tmp_path: Path) -> None:
    path = tmp_path / "killed.sqlite3"
    writer = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from bot import store
        conn = store.connect({str(path)!r})
        n = 0
        while True:
            store.write_batch(conn, [store.QuestionRecord(time.time(), "cli", "en", f"batch {{n}}", "answer", "x", 1.0)
                                     for _ in range(100)])
            n += 1
            if n == 3:
                print("writing", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = store.connect(str(path))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    per_batch = conn.execute("SELECT question, COUNT(*) FROM questions GROUP BY question").fetchall()
    assert len(per_batch) >= 3
    assert all(count == 100 for _, count in per_batch)        # whole batches or nothing


def test_a_repeated_vote_replaces_the_first_and_voters_are_forgotten_after_the_window(tmp_path: Path) -> None:
    conn = store.connect(str(tmp_path / "v.sqlite3"))
    voter = b"k" * 16
    store.write_batch(conn, [store.FeedbackRecord(1000.0, "q", "e", -1, voter=voter)] * 3)
    store.write_batch(conn, [store.FeedbackRecord(1060.0, "q", "e", 1, voter=voter),
                             store.FeedbackRecord(1060.0, "q", "e", -1)])       # someone else, no key
    assert sorted(conn.execute("SELECT vote, voter IS NULL FROM feedback").fetchall()) == [(-1, 1), (1, 0)]
    store.purge(conn, 180, now=1060.0 + store.VOTE_WINDOW + 1)
    assert conn.execute("SELECT COUNT(*) FROM feedback WHERE voter IS NOT NULL").fetchone()[0] == 0
    conn.close()
