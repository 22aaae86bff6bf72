"""Reading the code for the names it looks up (strings, templates): the tests that hold the
knowledge base's declared names to what the code really asks for share this one reader."""

from __future__ import annotations

import ast


def assignments(tree: ast.AST) -> dict[str, list[ast.expr]]:
    """What each plain name is assigned anywhere below `tree`."""
    assigned: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    return assigned


def named_in(expr: ast.expr, assigned: dict[str, list[ast.expr]], *, strict: bool = False) -> set[str]:
    """The names an expression may evaluate to: a literal, either branch of `a if c else b`, or what
    a variable is assigned. With `strict`, an f-string counts as its literal prefix ("cmd_*") and
    anything else unreadable as "<its source>", so that a test can fail on it; without, as nothing."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return named_in(expr.body, assigned, strict=strict) | named_in(expr.orelse, assigned, strict=strict)
    if isinstance(expr, ast.Name):
        return {n for value in assigned.get(expr.id, []) for n in named_in(value, assigned, strict=strict)}
    if not strict:
        return set()
    if isinstance(expr, ast.JoinedStr) and expr.values and isinstance(expr.values[0], ast.Constant):
        return {f"{expr.values[0].value}*"}
    return {f"<{ast.unparse(expr)}>"}
