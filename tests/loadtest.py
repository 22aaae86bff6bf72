"""Updates per second through the real Application and the fake Bot API, nothing lost.

Run: `python tests/loadtest.py [--updates N]` (or `python -m bot bench`, which runs it). Pushes N
private questions, Thai and English, from N different users into the fake server at once, runs the
bot by long polling with the rate limiter off, and measures until every update has been answered.
Prints updates per second, whether each was answered exactly once, and peak memory. A figure,
not a pass/fail test: the target is at least 300 updates/s on one process.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fake_bot_api import FakeBotApi  # noqa: E402

from bot import knowledge  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core.answer import make_brain  # noqa: E402
from bot.tg.app import build_application  # noqa: E402

TOKEN = "1:load-test"
QUESTIONS = ("When did Hat Yai join?", "ขอนแก่นเข้าร่วมเมื่อไหร่", "Which Thai cities joined in 2024?",
             "GNLC คืออะไร", "How often is the Learning City Award given?", "ไทยมีสมาชิกกี่เมือง",
             "What's the weather in Bangkok?", "hi", "Is Korat a member?", "ปี ๒๕๖๕ มีเมืองไหนบ้าง")


async def run(kb_dir: str | None, updates: int) -> tuple[float, int, int, int]:
    brain = make_brain(knowledge.load(kb_dir))
    async with FakeBotApi(token=TOKEN) as api:
        settings = replace(Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root}))
        application = build_application(settings, brain, rate_limiter=False)
        async with application:
            assert application.updater is not None
            await application.start()
            for n in range(updates):
                api.push_update(api.private_text(QUESTIONS[n % len(QUESTIONS)], user_id=100_000 + n))
            started = time.perf_counter()
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            await api.wait_for("sendMessage", count=updates, timeout=max(60.0, updates / 20))
            elapsed = time.perf_counter() - started
            await asyncio.sleep(0.2)          # anything answered twice would show up now
            await application.updater.stop()
            await application.stop()
        per_chat = Counter(int(c.params["chat_id"]) for c in api.sent("sendMessage"))
        once = sum(1 for n in range(updates) if per_chat.get(100_000 + n) == 1)
        return elapsed, once, len(per_chat), len(api.errors)


def main(kb_dir: str | None = None, updates: int = 2000) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    elapsed, once, chats, refused = asyncio.run(run(kb_dir, updates))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"telegram: {updates} updates answered in {elapsed:.2f} s = {updates / elapsed:.0f} updates/s "
          f"[target >= 300/s, rate limiter off, fake Bot API in the same process]; "
          f"answered exactly once: {once}/{updates}; refused by the API: {refused}; peak memory {peak:.0f} MB")
    return 0 if once == updates and not refused else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--knowledge", metavar="DIR")
    args = parser.parse_args()
    raise SystemExit(main(args.knowledge, args.updates))
