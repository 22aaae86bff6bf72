"""The python-telegram-bot layer (named tg so that it never shadows the `telegram` package)."""
