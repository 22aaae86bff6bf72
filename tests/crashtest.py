"""SIGKILL in the middle of a backlog: how many questions are never answered after a restart.

A backlog of questions (one per chat) is queued at the fake Bot API; the bot is started, killed with
SIGKILL as soon as it has confirmed the first batch to the fake (some of whose answers are held up by
hung sends, so they are surely unanswered at that moment), then started again on the same database.
Every wait is on what the fake has seen, never on a clock. Used by tests/test_inbox.py (small) and
`python -m bot bench` (large): `python tests/crashtest.py --updates 1500`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_bot_api import FakeBotApi, Fault, bypass_proxies  # noqa: E402

TOKEN = "4242:crash-test-token_0123456789"
ROOT = Path(__file__).resolve().parents[1]
FIRST_CHAT = 300_000


@dataclass(frozen=True)
class Outcome:
    updates: int
    at_risk: int        # confirmed to the fake but not answered when the bot was killed
    lost: int           # never answered, even after the restart
    twice: int          # answered more than once


def _answered(api: FakeBotApi) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in api.sent("sendMessage"))


async def _start(api: FakeBotApi, db: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root, "BOT_DB": db,
           "BOT_STARTUP_WAIT": "30"}
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=ROOT, env=env,
                                                stderr=None if os.environ.get("CRASHTEST_LOG") else asyncio.subprocess.DEVNULL)


async def _until(condition: object, proc: asyncio.subprocess.Process, timeout: float) -> bool:
    """Wait until `condition()` holds (checked as the fake's state changes) or the bot exits."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        if proc.returncode is not None or loop.time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def scenario(updates: int, db: str, *, hung: int = 10, timeout: float = 300) -> Outcome:
    bypass_proxies()
    async with FakeBotApi(token=TOKEN) as api:
        chats = [FIRST_CHAT + n for n in range(updates)]
        api.inject("sendMessage", *[Fault(hang=True, chat_id=c) for c in chats[:hung]])
        for chat in chats:
            api.push_update(api.private_text("When did Yala join?", user_id=chat))
        first_batch = min(updates, 100)

        proc = await _start(api, db)
        try:
            if not await _until(lambda: api.confirmed >= first_batch, proc, timeout):
                raise RuntimeError("the bot never confirmed its first batch of updates")
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        before = _answered(api)
        at_risk = sum(1 for c in chats[:api.confirmed] if c not in before)

        proc = await _start(api, db)
        try:
            await _until(lambda: len(_answered(api)) >= updates, proc, timeout)
        finally:
            proc.kill()
            await proc.wait()
        answered = _answered(api)
        return Outcome(updates, at_risk, sum(1 for c in chats if c not in answered),
                       sum(1 for c in chats if answered[c] > 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=1500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outcome = asyncio.run(scenario(args.updates, str(Path(tmp) / "bot.sqlite3")))
    print(f"SIGKILL mid-backlog: {outcome.lost} of {outcome.updates} updates never answered  [target 0] "
          f"({outcome.at_risk} confirmed but unanswered at the kill; {outcome.twice} answered twice)")
    return 0 if outcome.lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
