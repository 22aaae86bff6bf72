"""The pure core: no Telegram, no database, no environment variables."""
