"""Keep the bot token (and the webhook secret) out of every log line and printed error.

The token is part of every Bot API URL (`/bot<token>/sendMessage`), and HTTP errors quote their URL:
aiohttp's "invalid URL", "cannot connect", a redirect, PTB's own tracebacks. Rather than hunting
each place that might quote a URL, one filter rewrites every record that reaches a handler of the
root logger, traceback text included, and the few errors printed directly go through `redact`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

#: What stands where a secret was.
MASK = "<redacted>"
#: A token inside a Bot API path, whichever token it is: `/bot123:ABC.../` or `/file/bot123:ABC...`.
_TOKEN_IN_PATH = re.compile(r"(bot)\d+(?::|%3[Aa])[A-Za-z0-9_-]+")


class Redactor(logging.Filter):
    """A logging filter (and a plain function, `redact`) that masks the given secrets wherever they appear."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            forms.update({secret, quote(secret, safe="")})
            # The part after the colon is the secret part of a token; it may also turn up on its own.
            _, colon, tail = secret.partition(":")
            if colon and len(tail) >= 8:
                forms.add(tail)
        # Longest first, so that the whole token goes before a part of it would leave the rest.
        self._forms = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text with every known secret, and any token in a Bot API path, masked.

        >>> Redactor(["123:secret-part-of-it"]).redact("GET http://x/bot123:secret-part-of-it/getMe failed")
        'GET http://x/bot<redacted>/getMe failed'
        >>> Redactor([]).redact("http://x/bot987:AnotherTokenAltogether/getMe")
        'http://x/bot<redacted>/getMe'
        """
        for form in self._forms:
            text = text.replace(form, MASK)
        return _TOKEN_IN_PATH.sub(rf"\1{MASK}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:   # a malformed log call: let the handler report it, with its own text masked
            message = str(record.msg)
        clean = self.redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            # Formatted here (as the handler's formatter would) so that the traceback text can be masked.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(redactor: Redactor, logger: logging.Logger | None = None) -> None:
    """Put the filter on the root logger and on each of its handlers.

    A logger's own filters see only records logged on that very logger; a handler's filters see every
    record that propagates to it, which is where the records of PTB, aiohttp and asyncio end up.
    """
    root = logger or logging.getLogger()
    for target in (root, *root.handlers):
        if not any(isinstance(f, Redactor) for f in target.filters):
            target.addFilter(redactor)
