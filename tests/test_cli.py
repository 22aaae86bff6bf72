"""The command line contract that other tools rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"kind", "lang", "text", "entry", "score", "sources", "suggestions"}


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_ask_json_contract_for_each_kind() -> None:
    run = _run("ask", "--json", "When did Hat Yai join?", "hi", "How do I bake bread?", "ราคาทองวันนี้")
    assert run.returncode == 0, run.stderr
    replies = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(replies) == 4
    for reply in replies:
        assert set(reply) == KEYS
        assert reply["kind"] in ("answer", "fallback", "smalltalk")
        assert reply["lang"] in ("th", "en")
        assert 0.0 <= reply["score"] <= 1.0
        assert all(set(s) == {"title", "url"} for s in reply["sources"])
        assert all(set(s) == {"entry", "title"} for s in reply["suggestions"])
    hat_yai, hi, bread, gold = replies
    assert hat_yai["kind"] == "answer" and hat_yai["entry"] == "city-status" and "2022" in hat_yai["text"]
    assert hat_yai["sources"] and hat_yai["sources"][0]["url"] in hat_yai["text"]
    assert hi["kind"] == "smalltalk"
    assert bread["kind"] == "fallback" and bread["entry"] is None
    assert gold["kind"] == "fallback" and gold["lang"] == "th"


def test_ask_reads_stdin_line_by_line_in_order() -> None:
    questions = ["ยะลาเข้าร่วมเมื่อไหร่", "", "Which Thai city joined in 2019?"]
    run = _run("ask", "--json", stdin="\n".join(questions) + "\n")
    replies = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["lang"] for r in replies] == ["th", "en", "en"]
    assert "2567" in replies[0]["text"] and "Chiang Rai" in replies[2]["text"]


def test_ask_streams_each_reply_before_the_next_question() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "bot", "ask", "--json"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdin and proc.stdout
    proc.stdin.write("When did Yala join?\n")
    proc.stdin.flush()
    first = json.loads(proc.stdout.readline())      # arrives while stdin is still open
    proc.stdin.write("hi\n")
    proc.stdin.close()
    second = json.loads(proc.stdout.readline())
    assert proc.wait(timeout=60) == 0
    assert first["entry"] == "city-status" and second["kind"] == "smalltalk"


def test_plain_ask_and_chat(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["ask", "When did Chiang Mai join?"]) == 0
    assert "2020" in capsys.readouterr().out
    import io
    monkeypatch.setattr(sys, "stdin", io.StringIO("hi\nเชียงใหม่เข้าร่วมปีไหน\n/quit\nWhen did Yala join?\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "2563" in out and "Yala City Municipality" not in out      # /quit ended the chat first


def test_eval_scores_a_case_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        '- {q: "When did Hat Yai join?", lang: en, expect: answer, must: [["2022"]], tags: [en, direct]}\n'
        '- {q: "When did Hat Yai join?", lang: en, expect: answer, must: [["1999"]], tags: [en, wrong]}\n'
        '- {q: "Is Korat a member?", lang: en, expect: negative, tags: [en, negative]}\n'
        '- {q: "weather today?", lang: en, expect: fallback, tags: [en, oos]}\n'
        '- {q: "หวัดดี", lang: th, expect: smalltalk, tags: [th, smalltalk]}\n'
        '- {q: "ปี ๒๕๖๗ มีกี่เมืองเข้าร่วม", lang: th, expect: answer, must: [["๖๔"]], tags: [th, numerals]}\n',
        encoding="utf-8")
    assert main(["eval", str(cases), "--show-fails"]) == 0
    out = capsys.readouterr().out
    assert "overall: 5/6" in out
    assert "FAIL [en, wrong]" in out and "missing one of ['1999']" in out
    assert main(["eval", str(tmp_path / "missing.yaml")]) == 2


def test_dev_set_if_present(capsys: pytest.CaptureFixture[str]) -> None:
    dev = ROOT.parent / "shared" / "eval" / "dev.yaml"
    if not dev.exists():
        pytest.skip("shared/eval/dev.yaml is not beside the project")
    assert main(["eval", str(dev)]) == 0
    overall = [line for line in capsys.readouterr().out.splitlines() if line.startswith("overall:")][0]
    passed, total = map(int, overall.split()[1].split("/"))
    assert passed / total >= 0.9, overall


def test_tune_learns_from_judged_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    oos = tmp_path / "oos.yaml"
    oos.write_text("- how do I bake bread\n- ราคาน้ำมันวันนี้\n", encoding="utf-8")
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        '- {q: "When did Hat Yai join?", lang: en, expect: answer, must: [["2022"]]}\n'
        '- {q: "best noodle shop in Yala", lang: en, expect: fallback}\n', encoding="utf-8")
    assert main(["tune", "--out-of-scope", str(oos)]) == 0
    alone = capsys.readouterr().out
    assert main(["tune", "--out-of-scope", str(oos), "--cases", str(cases)]) == 0
    out = capsys.readouterr().out
    assert "out-of-scope questions: 2; judged cases: 0" in alone and "judged cases: 2" in out
    values = dict(line.split(": ", 1) for line in out.splitlines() if line.count(": ") == 1)
    assert 0 < float(values["suggest_threshold"]) <= float(values["answer_threshold"]) < float(values["sure_threshold"])


@pytest.mark.parametrize(("name", "at_least"), [
    ("heldout.yaml", 0.9), ("fresh.yaml", 0.9), ("unseen.yaml", 0.9),
    # written the way people type in chats; the conversation files score their follow-up turns
    ("chat-tune.yaml", 0.9), ("conv-tune.yaml", 0.9), ("chat-blind.yaml", 0.8), ("conv-blind.yaml", 0.9),
    ("chat-fresh.yaml", 0.85), ("conv-fresh.yaml", 0.9),
    ("chat-blind2.yaml", 0.9), ("conv-blind2.yaml", 0.85), ("chat-blind3.yaml", 0.85), ("conv-blind3.yaml", 0.85),
    ("conv-blind4.yaml", 0.85), ("conv-blind5.yaml", 0.85), ("chat-blind4.yaml", 0.85),
    ("conv-blind6.yaml", 0.85), ("conv-blind7.yaml", 0.85), ("conv-blind8.yaml", 0.8), ("conv-blind9.yaml", 0.85),
    ("chat-blind5.yaml", 0.85),
    ("conv-blind10.yaml", 0.9), ("chat-blind6.yaml", 0.8), ("conv-blind11.yaml", 0.85), ("chat-blind7.yaml", 0.85),
    ("conv-blind12.yaml", 0.8), ("chat-blind8.yaml", 0.9), ("conv-blind13.yaml", 0.8), ("conv-blind14.yaml", 0.85),
    ("chat-blind9.yaml", 0.85),
    ("conv-blind15.yaml", 0.8), ("conv-blind16.yaml", 0.8), ("conv-blind17.yaml", 0.8), ("chat-blind10.yaml", 0.8),
    ("conv-blind18.yaml", 0.8), ("conv-blind19.yaml", 0.85), ("conv-blind20.yaml", 0.8), ("conv-blind21.yaml", 0.9),
    ("chat-blind11.yaml", 0.85),
    ("conv-blind22.yaml", 0.9), ("conv-blind23.yaml", 0.85), ("conv-blind24.yaml", 0.8), ("chat-blind12.yaml", 0.8),
    ("conv-blind25a.yaml", 0.75), ("conv-blind26a.yaml", 0.75), ("conv-blind27a.yaml", 0.75), ("conv-blind28a.yaml", 0.75),
    ("conv-blind29a.yaml", 0.75),
    # stop 17's plain users, tuned halves
    ("conv-blind30a.yaml", 0.9), ("conv-blind31a.yaml", 0.9), ("chat-blind13a.yaml", 0.85),
])
def test_our_held_out_sets_stay_understood(name: str, at_least: float, capsys: pytest.CaptureFixture[str]) -> None:
    """A guard against a knowledge-base or matcher change that quietly costs understanding."""
    assert main(["eval", str(ROOT / "tests" / "data" / name)]) == 0
    overall = [line for line in capsys.readouterr().out.splitlines() if line.startswith("overall:")][0]
    passed, total = map(int, overall.split()[1].split("/"))
    assert passed / total >= at_least, overall


def test_ask_conversation_reads_each_line_against_the_lines_before() -> None:
    lines = ["when did Khon Kaen join?", "since when?", "", "since when?", "which cities joined in 2022?", "and 2020?"]
    run = _run("ask", "--json", "--conversation", stdin="\n".join(lines) + "\n")
    replies = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(replies) == 5                      # the empty line starts a new conversation, unanswered
    assert replies[1]["kind"] == "answer" and "2024" in replies[1]["text"]
    assert replies[2]["kind"] != "answer"         # nothing to follow after the break
    assert "Chiang Mai" in replies[4]["text"]
    alone = [json.loads(line) for line in _run("ask", "--json", stdin="\n".join(lines) + "\n").stdout.splitlines()]
    assert len(alone) == 6 and alone[1]["kind"] != "answer"      # without the flag every line stands alone
    assert "Chiang Mai" not in alone[5]["text"]


def test_console_chat_keeps_the_conversation() -> None:
    run = _run("chat", stdin="which cities joined in 2022?\nand 2020?\n")
    assert run.returncode == 0
    assert "Hat Yai" in run.stdout and "Chiang Mai" in run.stdout


def test_ask_survives_an_invalid_byte_under_a_strict_decoder() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "--json"], input=b"When did Yala join?\n\xff bad \xc3\nhi\n",
                          capture_output=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr.decode()
    kinds = [json.loads(line)["kind"] for line in done.stdout.decode().splitlines()]
    assert kinds == ["answer", "fallback", "smalltalk"]


#: Settings for other doors, each set wrong: the console doors read none of them.
OTHER_DOORS_WRONG = {"PORT": "abc", "BOT_ADMIN_IDS": "4242,42x", "WEBHOOK_SECRET": "has spaces",
                     "WEBHOOK_URL": "example.org/hook", "TELEGRAM_API_URL": "127.0.0.1:8081",
                     "BOT_STARTUP_WAIT": "soon", "BOT_INBOX_MAX_AGE": "-5", "BOT_RETENTION_DAYS": "abc"}


@pytest.mark.parametrize("door", [("chat",), ("run",)])
def test_the_console_chat_reads_only_its_own_settings(door: tuple[str, ...]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BOT_DB", "BOT_CONTEXT_MINUTES")}
    run = subprocess.run([sys.executable, "-m", "bot", *door], input="When did Yala join?\n", capture_output=True,
                         text=True, timeout=120, cwd=ROOT, env={**env, **OTHER_DOORS_WRONG})
    assert run.returncode == 0, run.stderr
    assert "2024" in run.stdout
    # Its own setting is still checked, one line naming it.
    bad = subprocess.run([sys.executable, "-m", "bot", *door], input="hi\n", capture_output=True, text=True,
                         timeout=120, cwd=ROOT, env={**env, "BOT_CONTEXT_MINUTES": "soon"})
    assert bad.returncode == 2 and bad.stderr.strip().startswith("BOT_CONTEXT_MINUTES: ")
