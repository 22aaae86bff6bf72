"""Score a case file in the format of shared/eval/dev.yaml, by the rules in its header.

The rules are read literally: `must` groups are case-insensitive substrings and Thai digits count
as Arabic ones; `negative` passes with a fallback or an answer that clearly says "not a member".

A file may also hold conversations (shared/eval/dev-conversations.yaml): items with `turns`, each
turn a case judged on its own reply, asked in order with the context the previous replies left.
The score counts the follow-up turns (the second on); first turns are reported apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pythainlp.util import thai_digit_to_arabic_digit

from bot.core.reply import Reply
from bot.core.understand import Query

EXPECTS = ("answer", "fallback", "smalltalk", "negative")
# What a reply about a non-member must say for the case to count as handled.
NEGATION_MARKERS = ("not a member", "is not", "isn't", "ยังไม่ได้เป็นสมาชิก", "ไม่ได้เป็นสมาชิก", "ไม่ใช่")


@dataclass(frozen=True)
class Case:
    q: str
    lang: str
    expect: str
    must: tuple[tuple[str, ...], ...]
    tags: tuple[str, ...]
    conversation: int | None = None    # which conversation of the file it belongs to, if any
    turn: int = 0                      # its place in that conversation (0: the opening message)

    @property
    def scored(self) -> bool:
        """Whether it counts in the score: a single case, or a follow-up turn."""
        return self.conversation is None or self.turn > 0


@dataclass(frozen=True)
class Outcome:
    case: Case
    reply: Reply
    passed: bool
    why: str


class CaseFileError(ValueError):
    pass


def load_cases(path: str | Path) -> list[Case]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CaseFileError(f"{path}: cannot read cases: {exc}") from exc
    if not isinstance(data, list):
        raise CaseFileError(f"{path}: expected a list of cases")
    cases = []
    for n, item in enumerate(data, 1):
        if isinstance(item, dict) and "turns" in item:
            turns = item["turns"]
            if not isinstance(turns, list) or not turns:
                raise CaseFileError(f"{path}: conversation {n}: 'turns' must be a list of cases")
            tags = tuple(str(t) for t in item.get("tags") or ())
            for turn, case in enumerate(turns):
                parsed = _case(path, f"conversation {n}, turn {turn + 1}", case)
                cases.append(Case(parsed.q, parsed.lang, parsed.expect, parsed.must,
                                  tuple(dict.fromkeys((*parsed.tags, *tags))), n, turn))
            continue
        cases.append(_case(path, f"case {n}", item))
    return cases


def _case(path: str | Path, where: str, item: object) -> Case:
    if not isinstance(item, dict) or not isinstance(item.get("q"), str) or item.get("expect") not in EXPECTS:
        raise CaseFileError(f"{path}: {where}: needs a text 'q' and 'expect' one of {', '.join(EXPECTS)}")
    must = tuple(tuple(str(a) for a in group) for group in item.get("must") or [])
    return Case(item["q"], str(item.get("lang", "any")), item["expect"], must, tuple(str(t) for t in item.get("tags") or ()))


def _fold(text: str) -> str:
    return thai_digit_to_arabic_digit(text).casefold()


def judge(case: Case, reply: Reply) -> tuple[bool, str]:
    if case.lang in ("th", "en") and reply.lang != case.lang:
        return False, f"replied in {reply.lang}, expected {case.lang}"
    if case.expect == "negative":
        if reply.kind == "fallback":
            return True, ""
        said = _fold(reply.text)
        if reply.kind == "answer" and any(m in said for m in NEGATION_MARKERS):
            return True, ""
        return False, f"{reply.kind} that does not say 'not a member'"
    if reply.kind != case.expect:
        return False, f"got {reply.kind}, expected {case.expect}"
    text = _fold(reply.text)
    for group in case.must:
        if not any(_fold(alt) in text for alt in group):
            return False, f"missing one of {list(group)}"
    return True, ""


def run(cases: Iterable[Case], ask: Callable[[str, Query | None], Reply]) -> list[Outcome]:
    """Ask every case; a conversation's turns are asked with the context its last reply left."""
    outcomes = []
    context: Query | None = None
    for case in cases:
        if case.conversation is None or case.turn == 0:
            context = None
        reply = ask(case.q, context)
        context = reply.context
        passed, why = judge(case, reply)
        outcomes.append(Outcome(case, reply, passed, why))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    by_tag: dict[str, list[bool]] = defaultdict(list)
    scored = [o for o in outcomes if o.case.scored]
    for o in scored:
        for tag in o.case.tags or ("untagged",):
            by_tag[tag].append(o.passed)
    passed = sum(o.passed for o in scored)
    openers = [o.passed for o in outcomes if not o.case.scored]
    return {
        "passed": passed,
        "total": len(scored),
        "score": passed / len(scored) if scored else 0.0,
        "tags": {t: (sum(v), len(v)) for t, v in sorted(by_tag.items())},
        "first_turns": (sum(openers), len(openers)),
    }


def report(outcomes: list[Outcome], *, show_fails: bool) -> str:
    s = summary(outcomes)
    lines = []
    if show_fails:
        for o in outcomes:
            if not o.passed:
                first = o.reply.text.splitlines()[0][:140] if o.reply.text else ""
                where = f"conversation {o.case.conversation}, turn {o.case.turn + 1}: " if o.case.conversation else ""
                lines.append(f"FAIL [{', '.join(o.case.tags)}] {where}{o.case.q!r}: {o.why}\n"
                             f"     -> {o.reply.kind}/{o.reply.lang} entry={o.reply.entry} score={o.reply.score:.3f}: {first}")
        if lines:
            lines.append("")
    width = max((len(t) for t in s["tags"]), default=4)
    for tag, (ok, n) in s["tags"].items():
        lines.append(f"{tag:<{width}}  {ok:>3}/{n:<3}  {100 * ok / n:5.1f}%")
    opened, openers = s["first_turns"]
    if openers:
        lines.append(f"first turns (not scored): {opened}/{openers}")
        lines.append(f"follow-up turns: {s['passed']}/{s['total']} = {100 * s['score']:.1f}%")
    lines.append(f"overall: {s['passed']}/{s['total']} = {100 * s['score']:.1f}%")
    lines.append(f"eval: {s['passed']} passed, {s['total'] - s['passed']} failed")
    return "\n".join(lines)
