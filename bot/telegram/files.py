"""Files users send the bot: where the Bot API serves them, and fetching one.

A file is fetched in two steps: `getFile` names its path, then the path is read from the file
URL beside the API: `https://api.telegram.org/file/bot<token>/<path>`, or, with
TELEGRAM_API_BASE_URL set (a self-hosted Bot API server, the emulator), the same server's
`…/file/bot<token>/<path>`.
"""

from __future__ import annotations

from telegram import Bot, Document
from telegram.error import TelegramError

# The Bot API lets a bot download files up to 20 MB; a register is far smaller.
MAX_FILE_BYTES = 10 * 1024 * 1024


def file_url_of(base_url: str) -> str:
    """The file URL of a Bot API base URL (`…/bot` → `…/file/bot`)."""
    head, found, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if found else base_url


async def download(bot: Bot, document: Document) -> bytes | None:
    """The document's bytes, or None when Telegram would not give them (said to the user)."""
    try:
        file = await bot.get_file(document.file_id)
        return bytes(await file.download_as_bytearray())
    except (TelegramError, OSError, RuntimeError):
        return None
