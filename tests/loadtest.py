"""Updates per second through the real Application and the fake Bot API, nothing lost.

Run: `python tests/loadtest.py [--updates N]` (or `python -m bot bench`, which runs it). The fake Bot
API runs in a process of its own, as Telegram's servers would, with N private questions, Thai and
English, from N different users queued; the bot runs in this process by long polling with the rate
limiter off. The server times from the bot's first getUpdates to its N-th sendMessage. Prints updates
per second, whether each was answered exactly once, and the bot's peak memory. A figure, not a
pass/fail test: the target is at least 300 updates/s on one process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fake_bot_api import FakeBotApi, bypass_proxies  # noqa: E402

from bot import knowledge  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core.answer import make_brain  # noqa: E402
from bot.tg.app import build_application  # noqa: E402

TOKEN = "1:load-test"
QUESTIONS = ("When did Hat Yai join?", "ขอนแก่นเข้าร่วมเมื่อไหร่", "Which Thai cities joined in 2024?",
             "GNLC คืออะไร", "How often is the Learning City Award given?", "ไทยมีสมาชิกกี่เมือง",
             "What's the weather in Bangkok?", "hi", "Is Korat a member?", "ปี ๒๕๖๕ มีเมืองไหนบ้าง")


async def serve(updates: int) -> None:
    """The server side, in its own process: queue the updates, time the answers, report as JSON."""
    async with FakeBotApi(token=TOKEN) as api:
        for n in range(updates):
            api.push_update(api.private_text(QUESTIONS[n % len(QUESTIONS)], user_id=100_000 + n))
        print(api.root, flush=True)
        await api.wait_for("getUpdates", count=1, timeout=120)
        started = time.perf_counter()
        await api.wait_for("sendMessage", count=updates, timeout=max(60.0, updates / 20))
        elapsed = time.perf_counter() - started
        await asyncio.sleep(0.3)          # anything answered twice would show up now
        per_chat = Counter(int(c.params["chat_id"]) for c in api.sent("sendMessage"))
        once = sum(1 for n in range(updates) if per_chat.get(100_000 + n) == 1)
        print(json.dumps({"elapsed": elapsed, "once": once, "refused": len(api.errors)}), flush=True)
        # Keep serving (the bot's last getUpdates marks what it fetched) until the bot closes our stdin.
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


async def run(kb_dir: str | None, updates: int) -> tuple[float, int, int]:
    brain = make_brain(knowledge.load(kb_dir))
    server = await asyncio.create_subprocess_exec(sys.executable, __file__, "--serve", "--updates", str(updates),
                                                  stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert server.stdout is not None and server.stdin is not None
    try:
        root = (await asyncio.wait_for(server.stdout.readline(), 60)).decode().strip()
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": root})
        application = build_application(settings, brain, rate_limiter=False)
        async with application:
            assert application.updater is not None
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            result = json.loads(await asyncio.wait_for(server.stdout.readline(), max(120.0, updates / 10)))
            await application.updater.stop()
            await application.stop()
    finally:
        server.stdin.close()
        await asyncio.wait_for(server.wait(), 30)
    return result["elapsed"], result["once"], result["refused"]


def main(kb_dir: str | None = None, updates: int = 2000) -> int:
    bypass_proxies()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    elapsed, once, refused = asyncio.run(run(kb_dir, updates))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"telegram: {updates} updates answered in {elapsed:.2f} s = {updates / elapsed:.0f} updates/s "
          f"[target >= 300/s, one bot process, rate limiter off, fake Bot API in its own process]; "
          f"answered exactly once: {once}/{updates}; refused by the API: {refused}; bot peak memory {peak:.0f} MB")
    return 0 if once == updates and not refused else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--knowledge", metavar="DIR")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.updates))
        raise SystemExit(0)
    raise SystemExit(main(args.knowledge, args.updates))
