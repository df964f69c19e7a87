"""The sandbox page's pieces without a browser: safe message HTML, personas from the config,
and the whole sandbox in-process through the page's API (photos, message times, tickets)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.config import ConfigError
from bot.sandbox.chat_view import entities_to_html, message_view
from bot.sandbox.html_check import parse_html
from bot.sandbox.run import DEFAULT_CONFIG, Sandbox, SandboxOptions, load_sandbox
from bot.sandbox.web import DEMO_PHOTO
from bot.telegram.catalog import MESSAGES
from tests.sandbox.helpers import CUSTOMER, ENGINEER_A

ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "blockquote", "a", "span"}
ALLOWED_ATTRIBUTES = {"class", "href", "target", "rel", "data-command", "data-language"}


class Checker(HTMLParser):
    """Collects tags, attributes and text; fails on unbalanced or foreign markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES, name
            if name == "href":
                self.hrefs.append(value or "")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(markup: str) -> Checker:
    checker = Checker()
    checker.feed(markup)
    checker.close()
    assert checker.stack == [], f"unclosed {checker.stack}"
    return checker


def render(bot_html: str) -> str:
    text, entities = parse_html(bot_html)
    return entities_to_html(text, entities)


def test_user_text_is_escaped_never_markup() -> None:
    typed = '<script>alert(1)</script> <img src=x onerror="alert(2)"> & "quotes" \'x\''
    out = entities_to_html(typed, [])
    assert "<script" not in out and "<img" not in out
    assert "".join(check(out).text) == typed


def test_telegram_formatting_becomes_tags() -> None:
    out = render("🚨 <b>新故障 #1</b>（<i>demo</i>）\n<code>a&lt;b</code> <u>u</u> <s>s</s>")
    assert "<b>新故障 #1</b>" in out and "<i>demo</i>" in out
    assert "<code>a&lt;b</code>" in out and "<u>u</u>" in out and "<s>s</s>" in out


def test_offsets_are_utf16_like_the_bot_api() -> None:
    # Emoji outside the BMP take two UTF-16 units: the bold part must still be exact.
    out = render("🙂🙂 <b>粗体</b> 🙂 <i>x</i>")
    assert "<b>粗体</b>" in out and "<i>x</i>" in out


def test_nested_entities_and_blocks() -> None:
    out = render('<b>bold <i>both</i></b> <pre><code class="language-py">x = "1"</code></pre>')
    assert "<b>bold <i>both</i></b>" in out
    assert '<pre><code data-language="py">x = &quot;1&quot;</code></pre>' in out
    check(out)


def test_links_only_to_the_web() -> None:
    good = render('<a href="https://example.com/a?b=1&amp;c=2">site</a>')
    assert 'href="https://example.com/a?b=1&amp;c=2"' in good
    assert 'rel="noopener noreferrer"' in good
    evil = entities_to_html(
        "click", [{"type": "text_link", "offset": 0, "length": 5, "url": "javascript:alert(1)"}]
    )
    assert "href" not in evil and "click" in evil
    assert check(evil).hrefs == []


def test_commands_in_plain_text_are_clickable_but_not_inside_tags_text() -> None:
    out = entities_to_html("发送 /help 查看；</b> 不是命令；a/b 也不是", [])
    assert '<span class="tg-cmd" data-command="/help">/help</span>' in out
    assert out.count("tg-cmd") == 1


def test_crossing_entities_stay_well_formed() -> None:
    # Telegram never sends these, but a page must not break on them.
    entities = [
        {"type": "bold", "offset": 0, "length": 6},
        {"type": "italic", "offset": 3, "length": 6},
        {"type": "unknown_future_type", "offset": 1, "length": 2},
        {"type": "code", "offset": 50, "length": 9},  # outside the text
    ]
    out = entities_to_html("abcdefghij", entities)
    assert "".join(check(out).text) == "abcdefghij"


def test_random_entities_keep_text_and_balance() -> None:
    rng = random.Random(7)
    kinds = ["bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre",
             "blockquote", "text_link", "url", "bot_command", "mention", "email"]
    alphabet = "ab <>&\"'/\n中文🙂"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        # Entity bounds fall between characters (never inside a surrogate pair).
        bounds = [len(text[:i].encode("utf-16-le")) // 2 for i in range(len(text) + 1)]
        entities = []
        for _ in range(rng.randint(0, 6)):
            start, end = sorted(rng.sample(bounds, 2)) if len(bounds) > 1 else (0, 0)
            entity = {"type": rng.choice(kinds), "offset": start, "length": end - start}
            if entity["type"] == "text_link":
                entity["url"] = rng.choice(["https://ok.example", "javascript:x", "tg://user"])
            entities.append(entity)
        checker = check(entities_to_html(text, entities))
        assert "".join(checker.text) == text
        assert all(h.startswith(("http://", "https://", "mailto:")) for h in checker.hrefs)


def test_message_view_keeps_buttons_and_drops_raw_html() -> None:
    message = {
        "chat_id": 3001, "message_id": 5, "from_bot": True, "kind": "text",
        "text": "<b>x</b>", "html": "&lt;b&gt;x&lt;/b&gt;", "entities": [], "edits": 1,
        "date": 100,
        "reply_markup": {"inline_keyboard": [[{"text": "接单", "callback_data": "tk:acc:1"},
                                              {"text": "web", "url": "javascript:alert(1)"}]]},
    }
    view = message_view(message, lambda seconds: seconds * 2)
    assert view["html"] == "&lt;b&gt;x&lt;/b&gt;"
    assert view["keyboard"] == [[{"text": "接单", "data": "tk:acc:1"}, {"text": "web"}]]
    assert view["date"] == 200 and view["edits"] == 1


def test_the_demo_config_has_the_personas_the_demo_needs(tmp_path: Path) -> None:
    settings, personas = load_sandbox(DEFAULT_CONFIG, tmp_path / "x.db")
    assert settings.database == tmp_path / "x.db"
    roles = {role for p in personas for role in p.roles}
    assert {"engineer", "customer_manager", "project_manager", "project_lead"} <= roles
    customers = [p for p in personas if p.kind == "customer"]
    assert len(customers) >= 2 and all(p.invite and p.phone for p in customers)
    village = settings.project("demo-village")
    assert village.policy == "unicom-abc" and len(village.on_duty) >= 2
    assert all("Demo" in p.name for p in personas)  # obviously fake people
    assert len({p.user_id for p in personas}) == len(personas)


def test_a_bad_sandbox_table_names_the_key(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
        'project = "demo-rollout"', 'project = "nope"'
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_sandbox(bad, tmp_path / "x.db")
    assert "sandbox.customers[2]" in str(raised.value) and "nope" in str(raised.value)


# ------------------------------------------------------------------ the sandbox, in-process


class LiveSandbox:
    """The whole sandbox (emulator, bot, page) in this event loop, driven through its API."""

    def __init__(self, sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self.session = session
        self.url = sandbox.url

    async def get(self, path: str) -> dict[str, Any]:
        async with self.session.get(self.url + path) as response:
            data: dict[str, Any] = await response.json()
            return data

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        async with self.session.post(self.url + path, json=body) as response:
            data: dict[str, Any] = await response.json()
            assert data["ok"], data
            return data

    async def chat(self, user_id: int) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = (await self.get(f"/api/chat/{user_id}"))["messages"]
        return messages

    async def wait_for(
        self, user_id: int, needle: str, after: int = 0, kind: str = "text"
    ) -> dict[str, Any]:
        """The first bot message (id > after, of this kind) whose HTML contains `needle`."""
        for _ in range(300):
            for m in await self.chat(user_id):
                if m["from_bot"] and m["id"] > after and m["kind"] == kind:
                    if needle in m["html"]:
                        return m
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {needle!r} for {user_id}: {await self.chat(user_id)}")

    async def last_id(self, user_id: int) -> int:
        return max((m["id"] for m in await self.chat(user_id)), default=0)

    async def press(self, user_id: int, message: dict[str, Any], label: str) -> None:
        data = [b["data"] for row in message["keyboard"] for b in row if label in b["text"]]
        assert data, f"button {label!r} in {message['keyboard']}"
        body = {"user_id": user_id, "message_id": message["id"], "data": data[0]}
        await self.post("/api/press", body)

    async def media(self, user_id: int, message: dict[str, Any]) -> bytes:
        async with self.session.get(f"{self.url}/api/media/{user_id}/{message['id']}") as r:
            assert r.status == 200
            return await r.read()

    async def report_a_fault(self) -> None:
        """Demo Customer 1 joins and reports an A-level fault with a location."""
        assert (await self.post("/api/join", {"user_id": CUSTOMER}))["result"]["profile"]
        mark = await self.last_id(CUSTOMER)
        await self.post("/api/send", {"user_id": CUSTOMER, "text": "/report"})
        question = await self.wait_for(CUSTOMER, "整个系统", after=mark)
        await self.press(CUSTOMER, question, "是")
        await self.wait_for(CUSTOMER, "故障地点", after=question["id"])
        await self.post("/api/location", {"user_id": CUSTOMER})
        await self.wait_for(ENGINEER_A, "新故障 #1")


@pytest.fixture
async def live(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[LiveSandbox]:
    speed = getattr(request, "param", 1.0)
    sandbox = Sandbox(SandboxOptions(port=0, speed=speed, db=tmp_path / "sandbox.db",
                                     demo_history=False))
    try:
        await sandbox.start()
        async with aiohttp.ClientSession() as session:
            yield LiveSandbox(sandbox, session)
    finally:
        await sandbox.stop()


async def test_the_engineer_sees_the_very_photo_the_customer_sent(live: LiveSandbox) -> None:
    await live.report_a_fault()
    await live.wait_for(CUSTOMER, "故障现象")
    await live.post("/api/send", {"user_id": CUSTOMER, "text": "机柜告警灯红色"})
    await live.wait_for(CUSTOMER, "如有照片")
    sent = (await live.post("/api/photo", {"user_id": CUSTOMER}))["result"]
    await live.press(CUSTOMER, await live.wait_for(CUSTOMER, "已收到 1 张照片"), "完成")
    received = await live.wait_for(ENGINEER_A, "#1", kind="photo")
    photo = DEMO_PHOTO.read_bytes()
    assert photo.startswith(b"\x89PNG")
    assert await live.media(CUSTOMER, sent) == photo
    assert await live.media(ENGINEER_A, received) == photo


@pytest.mark.parametrize("live", [600.0], indirect=True)
async def test_message_times_under_speed_are_not_earlier_than_the_event(
    live: LiveSandbox,
) -> None:
    await live.post("/api/join", {"user_id": CUSTOMER})
    await live.wait_for(CUSTOMER, "已保存")
    for _ in range(3):
        before = (await live.get("/api/state"))["bot_now"]
        mark = await live.last_id(CUSTOMER)
        await live.post("/api/send", {"user_id": CUSTOMER, "text": "/whoami"})
        answer = await live.wait_for(CUSTOMER, "ID", after=mark)
        asked = next(m for m in await live.chat(CUSTOMER) if m["id"] == mark + 1)
        assert asked["date"] >= before and answer["date"] >= asked["date"]
        after = (await live.get("/api/state"))["bot_now"]
        assert answer["date"] <= after
        await asyncio.sleep(0.3)


async def test_the_tickets_panel_speaks_the_personas_language_and_keeps_closed_apart(
    live: LiveSandbox,
) -> None:
    await live.report_a_fault()
    opened = await live.get("/api/tickets?lang=en")
    assert [t["id"] for t in opened["tickets"]] == [1] and opened["closed"] == []
    assert opened["tickets"][0]["level_label"] == MESSAGES["level.A"]["en"]
    assert opened["tickets"][0]["status_label"] == MESSAGES["status.new"]["en"]
    zh = await live.get("/api/tickets?lang=zh")
    assert zh["tickets"][0]["status_label"] == MESSAGES["status.new"]["zh"]
    mark = await live.last_id(ENGINEER_A)
    await live.post("/api/send", {"user_id": ENGINEER_A, "text": "/take 1"})
    await live.post("/api/send", {"user_id": ENGINEER_A, "text": "/resolve 1 更换电源"})
    cause = await live.wait_for(ENGINEER_A, "故障原因", after=mark)
    await live.press(ENGINEER_A, cause, cause["keyboard"][0][0]["text"])
    await live.wait_for(CUSTOMER, "已修复")
    resolved = await live.get("/api/tickets?lang=en")
    assert resolved["tickets"] == []
    assert [t["id"] for t in resolved["closed"]] == [1]
    assert resolved["closed"][0]["status_label"] == MESSAGES["status.resolved"]["en"]
