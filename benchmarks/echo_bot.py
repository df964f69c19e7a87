"""Baseline for the benchmarks: a bare python-telegram-bot 22 echo bot.

One ``Application``, one ``MessageHandler`` that replies with the same text, long polling;
nothing else (no database, no outbox, no rate limiting, updates handled one at a time, PTB's
default). Reads the same environment as ``run_bot.py``::

    TELEGRAM_BOT_TOKEN=123456:ABC TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot \\
        python benchmarks/echo_bot.py
"""

from __future__ import annotations

import logging
import os
import sys

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


def main() -> int:
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
        return 2
    base_url = os.environ.get("TELEGRAM_API_BASE_URL") or "https://api.telegram.org/bot"
    # The same logging set-up as run_bot.py, so that both pay the same for it.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = Application.builder().token(token).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling(allowed_updates=[Update.MESSAGE])
    return 0


if __name__ == "__main__":
    sys.exit(main())
