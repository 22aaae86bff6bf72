"""Command line: the doors other than Telegram, and the tools around the brain.

`main(argv) -> int` never lets a traceback reach a user for an expected failure: a broken knowledge
base, a missing file or a rejected token end with one readable line and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot import knowledge
from bot.core.answer import Brain, answer, make_brain
from bot.core.reply import Reply

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The GNLC bot: answers about UNESCO learning cities in Thailand.")
    sub = parser.add_subparsers(dest="command")

    def with_kb(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--knowledge", metavar="DIR", help="knowledge base folder (default: the shipped one)")
        return p

    ask = with_kb(sub.add_parser("ask", help="answer questions given as arguments or one per line on stdin"))
    ask.add_argument("--json", action="store_true", help="one JSON object per reply, one per line")
    ask.add_argument("question", nargs="*")
    with_kb(sub.add_parser("chat", help="interactive console chat with the same brain"))
    with_kb(sub.add_parser("check", help="validate the knowledge base"))
    ev = with_kb(sub.add_parser("eval", help="score a case file in the format of shared/eval/dev.yaml"))
    ev.add_argument("file")
    ev.add_argument("--show-fails", action="store_true")
    bench = with_kb(sub.add_parser("bench", help="measure cold start, latency and memory"))
    bench.add_argument("--entries", type=int, default=10_000, help="size of the synthetic knowledge base")
    bench.add_argument("--updates", type=int, default=2_000, help="updates pushed through the fake Bot API (0: skip)")
    tune = with_kb(sub.add_parser("tune", help="derive the matcher's thresholds from the knowledge base and a set of out-of-scope questions"))
    tune.add_argument("--out-of-scope", metavar="FILE", required=True)
    with_kb(sub.add_parser("run", help="run on Telegram (long polling) when TELEGRAM_BOT_TOKEN is set, else the console chat"))
    with_kb(sub.add_parser("webhook", help="run on Telegram behind a webhook (WEBHOOK_URL, WEBHOOK_SECRET, PORT)"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "check":
            kb = knowledge.load(args.knowledge)
            print(f"ok: {len(kb.entries)} entries, {len(kb.cities)} cities, {len(kb.sources)} sources in {kb.root}")
            return 0
        kb_dir = getattr(args, "knowledge", None)
        if command == "bench":
            from bot import bench
            return bench.main(kb_dir, entries=args.entries, updates=args.updates)
        brain = make_brain(knowledge.load(kb_dir))
        if command == "ask":
            return _ask(brain, args.question, as_json=args.json)
        if command == "eval":
            return _eval(brain, args.file, show_fails=args.show_fails)
        if command == "tune":
            from bot import tune
            print(tune.report(brain, args.out_of_scope))
            return 0
        if command in ("run", "webhook"):
            from bot.config import Settings
            settings = Settings.from_env()
            if command == "run" and not settings.token:
                return _chat(brain)
            from bot.tg import app as tg_app
            return tg_app.run(settings, brain, kb_dir, webhook=command == "webhook")
        return _chat(brain)
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
    for line in sys.stdin:
        yield line.rstrip("\n")


def _ask(brain: Brain, questions: Sequence[str], *, as_json: bool) -> int:
    for question in _lines(questions):
        reply = answer(question, brain)
        if as_json:
            print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
        else:
            print(_console(reply) + "\n", flush=True)
    return 0


def _console(reply: Reply) -> str:
    return reply.text


def _chat(brain: Brain) -> int:
    interactive = sys.stdin.isatty()
    if interactive:
        print(answer("", brain).text.replace("\n\n", "\n", 1) + "\n(Ctrl-D to quit)\n")
    while True:
        try:
            question = input("> " if interactive else "")
        except EOFError:
            if interactive:
                print()
            return 0
        print(_console(answer(question, brain)) + "\n", flush=True)


def _eval(brain: Brain, path: str, *, show_fails: bool) -> int:
    from bot import evaluate
    try:
        cases = evaluate.load_cases(path)
    except evaluate.CaseFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    outcomes = evaluate.run(cases, lambda q: answer(q, brain))
    print(evaluate.report(outcomes, show_fails=show_fails))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
