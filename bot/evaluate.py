"""Score a case file in the format of shared/eval/dev.yaml, by the rules in its header.

The rules are read literally: `must` groups are case-insensitive substrings and Thai digits count
as Arabic ones; `negative` passes with a fallback or an answer that clearly says "not a member".
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
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or item.get("expect") not in EXPECTS:
            raise CaseFileError(f"{path}: case {n}: needs a text 'q' and 'expect' one of {', '.join(EXPECTS)}")
        must = tuple(tuple(str(a) for a in group) for group in item.get("must") or [])
        cases.append(Case(item["q"], str(item.get("lang", "any")), item["expect"], must, tuple(item.get("tags") or ())))
    return cases


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


def run(cases: Iterable[Case], ask: Callable[[str], Reply]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        reply = ask(case.q)
        passed, why = judge(case, reply)
        outcomes.append(Outcome(case, reply, passed, why))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    by_tag: dict[str, list[bool]] = defaultdict(list)
    for o in outcomes:
        for tag in o.case.tags or ("untagged",):
            by_tag[tag].append(o.passed)
    passed = sum(o.passed for o in outcomes)
    return {
        "passed": passed,
        "total": len(outcomes),
        "score": passed / len(outcomes) if outcomes else 0.0,
        "tags": {t: (sum(v), len(v)) for t, v in sorted(by_tag.items())},
    }


def report(outcomes: list[Outcome], *, show_fails: bool) -> str:
    s = summary(outcomes)
    lines = []
    if show_fails:
        for o in outcomes:
            if not o.passed:
                first = o.reply.text.splitlines()[0][:140] if o.reply.text else ""
                lines.append(f"FAIL [{', '.join(o.case.tags)}] {o.case.q!r}: {o.why}\n"
                             f"     -> {o.reply.kind}/{o.reply.lang} entry={o.reply.entry} score={o.reply.score:.3f}: {first}")
        if lines:
            lines.append("")
    width = max((len(t) for t in s["tags"]), default=4)
    for tag, (ok, n) in s["tags"].items():
        lines.append(f"{tag:<{width}}  {ok:>3}/{n:<3}  {100 * ok / n:5.1f}%")
    lines.append(f"overall: {s['passed']}/{s['total']} = {100 * s['score']:.1f}%")
    lines.append(f"eval: {s['passed']} passed, {s['total'] - s['passed']} failed")
    return "\n".join(lines)
