"""Command line: the doors other than Telegram, and the tools around the brain.

`main(argv) -> int` never lets a traceback reach a user for an expected failure: a broken knowledge
base, a missing file or a rejected token end with one readable line and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from bot import knowledge
from bot.config import ConfigError
from bot.core.answer import Brain, answer, make_brain
from bot.core.match import rank
from bot.core.reply import Reply
from bot.core.understand import Query
from bot.recording import Journal, open_journal

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The GNLC bot: answers about UNESCO learning cities in Thailand.")
    sub = parser.add_subparsers(dest="command")

    def with_kb(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--knowledge", metavar="DIR", help="knowledge base folder (default: the shipped one)")
        return p

    ask = with_kb(sub.add_parser("ask", help="answer questions given as arguments or one per line on stdin"))
    ask.add_argument("--json", action="store_true", help="one JSON object per reply, one per line")
    ask.add_argument("--conversation", action="store_true",
                     help="stdin is one conversation: each line may follow up the lines before it; an empty line starts a new one")
    ask.add_argument("question", nargs="*")
    with_kb(sub.add_parser("chat", help="interactive console chat with the same brain"))
    with_kb(sub.add_parser("check", help="validate the knowledge base"))
    ev = with_kb(sub.add_parser("eval", help="score a case file in the format of shared/eval/dev.yaml"))
    ev.add_argument("file")
    ev.add_argument("--show-fails", action="store_true")
    bench = with_kb(sub.add_parser("bench", help="measure cold start, latency and memory"))
    bench.add_argument("--entries", type=int, default=10_000, help="size of the synthetic knowledge base")
    bench.add_argument("--updates", type=int, default=2_000, help="updates pushed through the fake Bot API (0: skip)")
    bench.add_argument("--crash-updates", type=int, default=1_500,
                       help="backlog for the SIGKILL-mid-backlog run (0: skip)")
    tune = with_kb(sub.add_parser("tune", help="derive the matcher's thresholds from the knowledge base and a set of out-of-scope questions"))
    tune.add_argument("--out-of-scope", metavar="FILE", required=True)
    tune.add_argument("--cases", metavar="FILE", action="append", default=[],
                      help="a case file in the eval format, judged like eval (repeatable); never the set you report on")
    rep = with_kb(sub.add_parser("report", help="what people asked and what the bot could not answer (reads BOT_DB)"))
    rep.add_argument("--days", type=int, default=30, help="look back this many days (default 30)")
    rep.add_argument("--format", choices=("text", "csv", "html"), default="text")
    rep.add_argument("--db", metavar="PATH", help="the database (default: BOT_DB)")
    with_kb(sub.add_parser("run", help="run on Telegram (long polling) when TELEGRAM_BOT_TOKEN is set, else the console chat"))
    with_kb(sub.add_parser("webhook", help="run on Telegram behind a webhook (WEBHOOK_URL, WEBHOOK_SECRET, PORT)"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command in ("run", "webhook") and hasattr(signal, "SIGHUP"):
        # SIGHUP means "reload" once the bot is up; until then it must not end the process (its default).
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        if command == "check":
            from bot.rehearse import rehearse
            kb = knowledge.load(args.knowledge)
            problems = rehearse(make_brain(kb))
            if problems:
                raise knowledge.KnowledgeError(problems)
            print(f"ok: {len(kb.entries)} entries, {len(kb.cities)} cities, {len(kb.sources)} sources in {kb.root}")
            return 0
        kb_dir = getattr(args, "knowledge", None)
        if command == "bench":
            from bot import bench
            return bench.main(kb_dir, entries=args.entries, updates=args.updates, crash_updates=args.crash_updates)
        if command in ("run", "webhook"):       # the bot refuses a knowledge base that fails a rehearsal
            from bot.rehearse import checked_brain
            brain = checked_brain(kb_dir)
        else:
            brain = make_brain(knowledge.load(kb_dir))
        if command == "report":
            return _report(brain, args.db, days=args.days, fmt=args.format)
        if command == "ask":
            with _cli_journal(brain) as journal:
                return _ask(brain, args.question, as_json=args.json, journal=journal, conversation=args.conversation)
        if command == "eval":
            return _eval(brain, args.file, show_fails=args.show_fails)
        if command == "tune":
            from bot import tune
            print(tune.report(brain, args.out_of_scope, args.cases))
            return 0
        if command in ("run", "webhook"):
            from bot.config import Settings, telegram_token
            if command == "run" and not telegram_token():
                with _cli_journal(brain) as journal:
                    return _chat(brain, journal)
            settings = Settings.from_env(webhook=command == "webhook")
            from bot.tg import app as tg_app
            return tg_app.run(settings, brain, kb_dir, webhook=command == "webhook")
        with _cli_journal(brain) as journal:
            return _chat(brain, journal)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except knowledge.KnowledgeError as exc:
        if command == "check":
            print(str(exc), file=sys.stderr)
            print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        else:
            print(exc.one_line(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _lines(questions: Sequence[str]) -> Iterator[str]:
    if questions:
        yield from questions
        return
    # Bytes, decoded here: one invalid byte in a pasted file must not end the run (it reads as U+FFFD).
    source = getattr(sys.stdin, "buffer", None)
    if source is None:          # a text-only stdin (tests' StringIO)
        for line in sys.stdin:
            yield line.rstrip("\n")
        return
    for raw in source:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


@contextmanager
def _cli_journal(brain: Brain) -> Iterator[Journal]:
    """Console doors record only when BOT_DB is set, so a curator can replay real questions."""
    from bot.config import record_settings
    configured, _, retention_days = record_settings()
    journal = open_journal(configured, lambda: brain, retention_days=retention_days)
    try:
        yield journal
    finally:
        journal.close()


def _ask(brain: Brain, questions: Sequence[str], *, as_json: bool, journal: Journal, conversation: bool = False) -> int:
    context: Query | None = None
    for question in _lines(questions):
        if conversation and not question.strip():
            context = None          # an empty line starts a new conversation and gets no reply
            continue
        reply = answer(question, brain, context)
        if conversation:
            context = reply.context
        journal.question("cli", question, reply)
        if as_json:
            print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
        else:
            print(_console(reply) + "\n", flush=True)
    return 0


def _console(reply: Reply) -> str:
    return reply.text


#: What ends a console chat, besides the end of input.
QUIT = frozenset({"/quit", "/exit", "quit", "exit"})


def _chat(brain: Brain, journal: Journal) -> int:
    from bot.config import context_minutes
    from bot.conversations import Conversations
    memory = Conversations(ttl=context_minutes() * 60)      # the only setting it reads: others cannot stop it
    interactive = sys.stdin.isatty()
    if interactive:
        hint = " / ".join(brain.kb.string("console_hint", lang) for lang in ("th", "en"))
        print(answer("", brain).text.replace("\n\n", "\n", 1) + f"\n({hint})\n")
    while True:
        try:
            question = input("> " if interactive else "")
        except (EOFError, KeyboardInterrupt):
            if interactive:
                print()
            return 0
        if question.strip().casefold() in QUIT:
            return 0
        reply = answer(question, brain, memory.get("console"))
        memory.keep("console", reply.context)
        journal.question("cli", question, reply)
        print(_console(reply) + "\n", flush=True)


def _report(brain: Brain, db: str | None, *, days: int, fmt: str) -> int:
    from bot import report, store
    from bot.config import db_path
    path = db or db_path()
    if path != ":memory:" and not Path(path).exists():
        print(f"no question records at {path} (set BOT_DB or pass --db)", file=sys.stderr)
        return 1
    try:
        conn = store.snapshot(path)
        with closing(conn):
            built = report.build(conn, days, lambda q: closest_entry(brain, q))
    except sqlite3.Error as exc:
        print(f"cannot read the question records at {path}: {exc}", file=sys.stderr)
        return 1
    print(report.FORMATS[fmt](built))
    return 0


def closest_entry(brain: Brain, question: str) -> str | None:
    """The entry a question came closest to, however weakly: where a curator adds a phrasing."""
    ranked = rank(brain.index.reader.read(question), brain.index, limit=1)
    return f"{ranked[0].entry.id} ({ranked[0].score:.2f})" if ranked else None


def _eval(brain: Brain, path: str, *, show_fails: bool) -> int:
    from bot import evaluate
    try:
        cases = evaluate.load_cases(path)
    except evaluate.CaseFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    outcomes = evaluate.run(cases, lambda q, context: answer(q, brain, context))
    print(evaluate.report(outcomes, show_fails=show_fails))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
