"""The sandbox's page and files: the one HTML page (same-origin scripts and styles only), its
static assets, and a message's photo or document as the browser gets it."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.sandbox.chat_view import attachment, demo_photo_svg, media_type
from bot.sandbox.emulator import ChatMessage

STATIC = Path(__file__).with_name("static")
# The picture the photo button sends: real bytes, so the engineer gets the very same file.
DEMO_PHOTO = STATIC / "demo-photo.png"
# Same-origin scripts and styles only: nothing is loaded from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def index_page() -> web.Response:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    return web.Response(
        text=page,
        content_type="text/html",
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
    )


def media_response(message: ChatMessage) -> web.Response:
    """A message's file; a photo sent without bytes (the emulator's own) as a drawn SVG."""
    data = message.file_data
    if not data:
        svg = demo_photo_svg(message.message_id)
        return web.Response(body=svg, content_type="image/svg+xml")
    name = message.file_name or f"file-{message.message_id}"
    mime = media_type(data, name)
    headers = {}
    if message.kind == "document" or not mime.startswith("image/"):
        headers["Content-Disposition"] = attachment(name)
    return web.Response(body=data, content_type=mime, headers=headers)
