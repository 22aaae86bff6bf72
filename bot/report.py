"""The curator's report: what people ask, what the bot could not answer, and what to write next.

Unanswered questions are grouped into clusters of near-identical wording with rapidfuzz, each with
the entry it came closest to: a cluster is either a new FAQ entry to write or a phrasing to add.
"""

from __future__ import annotations

import csv
import html
import io
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

#: Two questions whose token-sorted wording is this similar belong to one cluster.
DEFAULT_CLUSTER_CUTOFF = 80.0
#: At most this many distinct unanswered wordings (the most asked) are clustered: anyone can fill the
#: table with distinct junk, and clustering compares every pair. 2,000 wordings: a 4 MB matrix, about a second.
MAX_CLUSTERED = 2000


@dataclass(frozen=True)
class Cluster:
    example: str
    count: int
    questions: tuple[str, ...]
    closest: str | None


@dataclass(frozen=True)
class Report:
    days: int
    total: int
    most_asked: tuple[tuple[str, int], ...]
    clusters: tuple[Cluster, ...]
    thumbs_down: tuple[tuple[str, int], ...]
    by_lang: dict[str, tuple[int, int]]          # lang -> (answered, total)
    by_day: tuple[tuple[str, int, int], ...]     # day -> answered, total
    why_down: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)   # entry -> (reason, n)
    unclustered: int = 0        # distinct unanswered wordings asked too rarely to be clustered


def cluster(questions: list[str], *, cutoff: float = DEFAULT_CLUSTER_CUTOFF,
            limit: int = MAX_CLUSTERED) -> list[list[str]]:
    """Group near-identical wordings (each repeated as often as it was asked), largest group first."""
    return [[q for q, n in group for _ in range(n)]
            for group in cluster_counts(Counter(questions).most_common(limit), cutoff=cutoff)]


def cluster_counts(counted: list[tuple[str, int]], *, cutoff: float = DEFAULT_CLUSTER_CUTOFF) -> list[list[tuple[str, int]]]:
    """Greedy single-pass clustering of (wording, count), most frequent first, on one similarity matrix.

    The caller bounds the input (`MAX_CLUSTERED` wordings, most asked first): the matrix is n x n bytes,
    so time and memory stay flat however many distinct questions the table holds.
    """
    if not counted:
        return []
    wordings = [q for q, _ in counted]
    matrix = process.cdist(wordings, wordings, scorer=fuzz.token_sort_ratio, processor=None,
                           score_cutoff=cutoff, dtype=np.uint8, workers=1)
    free = np.ones(len(wordings), dtype=bool)
    groups: list[list[tuple[str, int]]] = []
    for i in range(len(wordings)):
        if not free[i]:
            continue
        members = np.flatnonzero(free & (matrix[i] >= cutoff))
        free[members] = False
        groups.append([counted[j] for j in members])
    return sorted(groups, key=lambda g: sum(n for _, n in g), reverse=True)


def build(conn: sqlite3.Connection, days: int, closest: Callable[[str], str | None], *, now: float | None = None) -> Report:
    """The report over the last `days`, counted in SQL: memory stays flat with the table's size, and
    only the `MAX_CLUSTERED` most asked unanswered wordings are clustered (the rest are counted)."""
    since = (now if now is not None else time.time()) - days * 86400
    asked = conn.execute("SELECT question, COUNT(*) AS n FROM questions WHERE ts >= ? AND kind != 'none_of_these' "
                         "AND question != '' GROUP BY question ORDER BY n DESC, MAX(ts) DESC LIMIT 10", (since,)).fetchall()
    unanswered = conn.execute("SELECT question, COUNT(*) AS n FROM questions WHERE ts >= ? AND kind IN ('fallback', "
                              "'none_of_these') AND question != '' GROUP BY question ORDER BY n DESC, MAX(ts) DESC LIMIT ?",
                              (since, MAX_CLUSTERED)).fetchall()
    distinct = conn.execute("SELECT COUNT(DISTINCT question) FROM questions WHERE ts >= ? AND kind IN ('fallback', "
                            "'none_of_these') AND question != ''", (since,)).fetchone()[0]
    clusters = tuple(Cluster(g[0][0], sum(n for _, n in g), tuple(q for q, _ in g)[:5], closest(g[0][0]))
                     for g in cluster_counts(unanswered)[:20])
    why: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for entry, reason, n in conn.execute("SELECT entry, reason, COUNT(*) FROM feedback WHERE reason IS NOT NULL AND ts >= ? "
                                         "AND entry IS NOT NULL GROUP BY entry, reason ORDER BY COUNT(*) DESC", (since,)):
        why[entry].append((reason, n))
    down = conn.execute("SELECT entry, COUNT(*) FROM feedback WHERE vote < 0 AND reason IS NULL AND ts >= ? AND entry IS NOT NULL "
                        "GROUP BY entry ORDER BY COUNT(*) DESC LIMIT 10", (since,)).fetchall()
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for lang, day, answered, total in conn.execute(
            "SELECT lang, strftime('%Y-%m-%d', ts, 'unixepoch'), SUM(kind = 'answer'), COUNT(*) FROM questions "
            "WHERE ts >= ? AND kind != 'none_of_these' GROUP BY 1, 2", (since,)):
        for bucket in (by_lang[lang], by_day[day]):
            bucket[0] += answered
            bucket[1] += total
    return Report(days, sum(by_lang[k][1] for k in by_lang), tuple((q, n) for q, n in asked), clusters,
                  tuple((e, n) for e, n in down), {k: (v[0], v[1]) for k, v in sorted(by_lang.items())},
                  tuple((d, v[0], v[1]) for d, v in sorted(by_day.items())),
                  {e: tuple(r) for e, r in why.items()}, unclustered=max(0, distinct - len(unanswered)))


def _share(answered: int, total: int) -> str:
    return f"{100 * answered / total:.0f}%" if total else "-"


def _why(r: Report, entry: str) -> str:
    """Why people gave an entry 👎, as they said in one tap: " (wrong 2, out_of_date 1)"."""
    reasons = r.why_down.get(entry, ())
    return " (" + ", ".join(f"{reason} {n}" for reason, n in reasons) + ")" if reasons else ""


def as_text(r: Report) -> str:
    lines = [f"Questions in the last {r.days} days: {r.total}"]
    lines += ["", "Answered share by language:"] + [f"  {lang}: {_share(a, t)} of {t}" for lang, (a, t) in r.by_lang.items()]
    lines += ["", "Most asked:"] + [f"  {n:>4}  {q}" for q, n in r.most_asked]
    lines += ["", "Unanswered, grouped (write an entry or add a phrasing):"]
    lines += [f"  {c.count:>4}  {c.example}   [closest: {c.closest or '-'}]" for c in r.clusters]
    if r.unclustered:
        lines.append(f"  (and {r.unclustered} rarer distinct wordings, not grouped)")
    lines += ["", "Entries with the most 👎:"] + [f"  {n:>4}  {e}{_why(r, e)}" for e, n in r.thumbs_down]
    lines += ["", "Answered share by day:"] + [f"  {d}: {_share(a, t)} of {t}" for d, a, t in r.by_day]
    return "\n".join(lines)


def as_csv(r: Report) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "key", "count", "answered", "detail"])
    for q, n in r.most_asked:
        w.writerow(["most_asked", q, n, "", ""])
    for c in r.clusters:
        w.writerow(["unanswered_cluster", c.example, c.count, "", f"closest={c.closest or ''}; " + " | ".join(c.questions)])
    for e, n in r.thumbs_down:
        w.writerow(["thumbs_down", e, n, "", _why(r, e).strip(" ()")])
    for lang, (a, t) in r.by_lang.items():
        w.writerow(["by_lang", lang, t, a, ""])
    for d, a, t in r.by_day:
        w.writerow(["by_day", d, t, a, ""])
    return out.getvalue()


def _chart(by_day: tuple[tuple[str, int, int], ...]) -> str:
    """An inline SVG line of answered share per day, so the page needs nothing from outside."""
    if not by_day:
        return "<p>No data yet.</p>"
    width, height, pad = 600, 160, 24
    step = (width - 2 * pad) / max(1, len(by_day) - 1)
    points = [(pad + i * step, height - pad - (height - 2 * pad) * (a / t if t else 0)) for i, (_, a, t) in enumerate(by_day)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{html.escape(d)}: {_share(a, t)}</title></circle>'
                   for (x, y), (d, a, t) in zip(points, by_day))
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="answered share by day">'
            f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>'
            f'<text x="2" y="{pad}" font-size="10">100%</text><text x="2" y="{height - pad}" font-size="10">0%</text>'
            f'<polyline fill="none" stroke="#1b6ec2" stroke-width="2" points="{path}"/>{dots}</svg>')


def as_html(r: Report) -> str:
    e = html.escape

    def table(head: list[str], rows: list[list[object]]) -> str:
        h = "".join(f"<th>{e(x)}</th>" for x in head)
        b = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><tr>{h}</tr>{b}</table>"

    return "\n".join([
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GNLC bot report</title>",
        "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>",
        f"<h1>GNLC bot: the last {r.days} days</h1><p>{r.total} questions.</p>",
        "<h2>Answered share over time</h2>", _chart(r.by_day),
        "<h2>By language</h2>", table(["language", "answered", "questions"], [[k, _share(a, t), t] for k, (a, t) in r.by_lang.items()]),
        "<h2>Unanswered questions, grouped</h2>",
        table(["count", "question", "closest entry", "wordings"], [[c.count, c.example, c.closest or "-", " | ".join(c.questions)] for c in r.clusters]),
        "<h2>Most asked</h2>", table(["count", "question"], [[n, q] for q, n in r.most_asked]),
        "<h2>Entries with the most 👎</h2>", table(["entry", "👎", "why"], [[en, n, _why(r, en).strip(" ()")] for en, n in r.thumbs_down]),
        "</body></html>",
    ])


FORMATS = {"text": as_text, "csv": as_csv, "html": as_html}


def headline(r: Report) -> str:
    """The figures an admin wants at a glance (/stats): volume, answered share, top gaps."""
    answered = sum(a for a, _ in r.by_lang.values())
    lines = [f"Last {r.days} days: {r.total} questions, {_share(answered, r.total)} answered"]
    lines += [f"  {lang}: {_share(a, t)} of {t}" for lang, (a, t) in r.by_lang.items()]
    if r.clusters:
        lines.append("Most asked without an answer:")
        lines += [f"  {c.count} × {c.example}" for c in r.clusters[:3]]
    if r.thumbs_down:
        lines.append("Most 👎: " + ", ".join(f"{e} ({n}{_why(r, e).replace(' (', ': ').rstrip(')')})"
                                             for e, n in r.thumbs_down[:3]))
    return "\n".join(lines)
