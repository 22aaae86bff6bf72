"""The curator's report: clusters of unanswered wording, most asked, 👎, answered share."""

from __future__ import annotations

import csv
import io
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import cli, report, store
from bot.store import FeedbackRecord, QuestionRecord

ROOT = Path(__file__).resolve().parents[1]
DAY = 86400.0


def test_near_identical_wording_clusters_and_different_questions_do_not() -> None:
    questions = ["ราคาทองวันนี้", "ราคาทองวันนี้เท่าไร", "ราคาทอง วันนี้", "what's the weather in bangkok",
                 "whats the weather in bangkok", "who is the mayor of yala"]
    groups = report.cluster(questions)
    as_sets = [set(g) for g in groups]
    assert {"ราคาทองวันนี้", "ราคาทองวันนี้เท่าไร", "ราคาทอง วันนี้"} in as_sets
    assert {"what's the weather in bangkok", "whats the weather in bangkok"} in as_sets
    assert {"who is the mayor of yala"} in as_sets


def _fixture(path: Path, now: float) -> None:
    conn = store.connect(str(path))
    rows = [
        QuestionRecord(now - 2 * DAY, "private", "en", "when did yala join?", "answer", "city-status", 0.9),
        QuestionRecord(now - 2 * DAY, "private", "en", "when did yala join?", "answer", "city-status", 0.9),
        QuestionRecord(now - 1 * DAY, "group", "th", "ราคาทองวันนี้", "fallback", None, 0.2),
        QuestionRecord(now - 1 * DAY, "group", "th", "ราคาทองวันนี้เท่าไร", "fallback", None, 0.2),
        QuestionRecord(now - 1 * DAY, "inline", "th", "ขอนแก่นเข้าร่วมเมื่อไหร่", "answer", "city-status", 0.8),
        QuestionRecord(now - 1 * DAY, "private", "en", "award winners list", "none_of_these", None, 0.0),
        QuestionRecord(now - 90 * DAY, "private", "en", "too old to count", "fallback", None, 0.1),
    ]
    store.write_batch(conn, [*rows, FeedbackRecord(now - DAY, "when did yala join?", "city-status", -1),
                             FeedbackRecord(now - DAY, "when did yala join?", "city-status", -1),
                             FeedbackRecord(now - DAY, "what is gnlc", "what-is-gnlc", 1)])
    conn.close()


def test_report_figures_and_formats(tmp_path: Path) -> None:
    now = time.time()
    db = tmp_path / "r.sqlite3"
    _fixture(db, now)
    conn = store.connect(str(db))
    built = report.build(conn, 30, lambda question: "closest-entry", now=now)
    assert built.total == 5                                     # none_of_these is a reaction, not a question
    assert built.most_asked[0] == ("when did yala join?", 2)
    assert built.by_lang == {"en": (2, 2), "th": (1, 3)}
    assert [c.count for c in built.clusters][:1] == [2] and built.clusters[0].closest == "closest-entry"
    assert "award winners list" in {q for c in built.clusters for q in c.questions}
    assert built.thumbs_down == (("city-status", 2),)
    assert len(built.by_day) == 2

    rows = list(csv.reader(io.StringIO(report.as_csv(built))))
    assert rows[0][0] == "section" and any(r[0] == "unanswered_cluster" for r in rows)
    page = report.as_html(built)
    assert page.startswith("<!doctype html>") and "<svg" in page
    assert not re.search(r"""(src|href)=["']?https?://""", page)     # self-contained: nothing fetched
    assert "too old" not in report.as_text(built)
    assert "answered" in report.headline(built)


def test_report_command_replays_questions_from_the_console(tmp_path: Path) -> None:
    db = tmp_path / "replay.sqlite3"
    env = {**os.environ, "BOT_DB": str(db)}
    questions = "When did Hat Yai join?\nราคาทองวันนี้\nราคาทองวันนี้เท่าไหร่\nhi\n"
    ask = subprocess.run([sys.executable, "-m", "bot", "ask"], input=questions, text=True, capture_output=True,
                         env=env, cwd=ROOT, timeout=120)
    assert ask.returncode == 0, ask.stderr
    for fmt in ("text", "csv", "html"):
        run = subprocess.run([sys.executable, "-m", "bot", "report", "--format", fmt], text=True, capture_output=True,
                             env=env, cwd=ROOT, timeout=120)
        assert run.returncode == 0, run.stderr
        assert "ราคาทองวันนี้" in run.stdout
    missing = subprocess.run([sys.executable, "-m", "bot", "report", "--db", str(tmp_path / "none.sqlite3")],
                             text=True, capture_output=True, cwd=ROOT, timeout=120)
    assert missing.returncode == 1 and "no question records" in missing.stderr


def _older_database(path: Path, rows: int) -> None:
    """A database at schema 1, as an older bot left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in store.MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.executemany("INSERT INTO questions (ts, chat_type, lang, question, kind, entry, score) VALUES (?,?,?,?,?,?,?)",
                     [(time.time(), "private", "en", f"question number {n} about gold prices", "fallback", None, 0.1)
                      for n in range(rows)])
    conn.close()


def test_report_reads_without_migrating_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.sqlite3"
    _older_database(path, 20)
    before = path.read_bytes()
    assert cli.main(["report", "--db", str(path)]) == 0
    assert "Questions in the last 30 days: 20" in capsys.readouterr().out
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_corrupted_file_is_one_line_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.sqlite3"
    _older_database(path, 3000)
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):      # scribble over every third page
        data[start:start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    assert cli.main(["report", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "cannot read the question records" in err


def test_only_the_most_asked_wordings_are_clustered_and_the_rest_counted(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "MAX_CLUSTERED", 50)
    conn = store.connect(str(tmp_path / "flood.sqlite3"))
    now = time.time()
    rng = random.Random(1)
    junk = {"".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(24)) for _ in range(400)}
    flood = [QuestionRecord(now, "private", "en", text, "fallback", None, 0.0) for text in junk]
    asked = [QuestionRecord(now, "private", "en", "how do i join the network", "fallback", None, 0.0)] * 5
    store.write_batch(conn, flood + asked)
    built = report.build(conn, 30, lambda q: None, now=now)
    assert built.clusters[0].example == "how do i join the network" and built.clusters[0].count == 5
    assert built.unclustered == len(junk) + 1 - 50
    assert sum(c.count for c in built.clusters) <= 5 + 49
    assert "rarer distinct wordings" in report.as_text(built)
    conn.close()
