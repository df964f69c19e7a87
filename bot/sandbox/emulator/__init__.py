"""A strict, in-process Telegram Bot API emulator over HTTP (aiohttp).

The real bot (python-telegram-bot with its default ``HTTPXRequest``) talks to it exactly as to
``api.telegram.org`` by using ``base_url=emulator.base_url``; tests act as the users through the
Python API (``send_text``, ``press``, ...) and observe the chats (``chat``, ``wait_for_message``).

The emulator refuses what Telegram refuses, with Telegram's error JSON
(``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}``), so bot bugs show
up as failures: bad HTML, over-long texts, invalid keyboards, "message is not modified", users
who never started the bot or blocked it, flood limits, double-answered callback queries,
concurrent ``getUpdates``.  Every call is recorded in ``calls`` and every refusal in
``refusals``.

State (users, chats, messages) is plain data with an event hook (``add_listener``) so that a web
"sandbox" chat page can be built on top; ``/_emu/...`` HTTP endpoints expose the same actions
out of process, including a server-sent-events stream of the listener events.

The parts, each read top to bottom:

* ``core.py``: ``BotApiEmulator``, put together, started and stopped; what tests observe;
* ``users.py``: what users do (the Python API);
* ``state.py``: users, chats, messages, files, the update queue, events; ``model.py``: the
  dataclasses and their Telegram JSON shapes;
* ``strict.py``: what Telegram refuses in a message; ``flood.py``: 429s and injected 5xxs;
  ``errors.py``: ``ApiError`` and Telegram's wording;
* ``messages.py``, ``updates.py``, ``bot_methods.py``: the Bot API methods by area;
* ``params.py``: a request's parameters; ``server.py``: the HTTP server and control API.

The webhook's delivery loop is ``bot/sandbox/webhook_delivery.py``; the HTML/Markdown parser
``bot/sandbox/html_check.py``.
"""

from bot.sandbox.emulator.core import BotApiEmulator
from bot.sandbox.emulator.errors import NOT_MODIFIED, QUERY_INVALID, ApiError
from bot.sandbox.emulator.flood import FloodLimits
from bot.sandbox.emulator.model import ChatMessage

__all__ = [
    "NOT_MODIFIED",
    "QUERY_INVALID",
    "ApiError",
    "BotApiEmulator",
    "ChatMessage",
    "FloodLimits",
]
