"""The sandbox page's pieces without a browser: safe message HTML, personas from the config."""

from __future__ import annotations

import random
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.sandbox.chat_view import entities_to_html, message_view
from bot.sandbox.html_check import parse_html
from bot.sandbox.run import DEFAULT_CONFIG, load_sandbox

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
