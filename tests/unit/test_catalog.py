"""The message catalog: every entry in both languages, asking for the same parameters."""

from __future__ import annotations

import string

import pytest

from bot.sandbox.html_check import parse_html
from bot.telegram.catalog import LANGUAGES, MESSAGES, Markup, markup, pick_language, text


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_entry_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert set(entry) == set(LANGUAGES), key
    assert all(entry[lang].strip() for lang in LANGUAGES), key
    assert placeholders(entry["zh"]) == placeholders(entry["en"]), key


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_entry_is_html_telegram_accepts(key: str) -> None:
    for lang in LANGUAGES:
        names = placeholders(MESSAGES[key][lang])
        assert all(name.isidentifier() for name in names), (key, names)  # no {0}, {a.b}, {}
        parse_html(text(lang, key, **dict.fromkeys(names, "x")))


def test_parameters_are_escaped_unless_markup() -> None:
    assert text("en", "start.joined", project="<b>&") == (
        "You have joined the project <b>&lt;b&gt;&amp;</b>."
    )
    assert text("en", "start.joined", project=Markup("<i>x</i>")) == (
        "You have joined the project <b><i>x</i></b>."
    )
    assert isinstance(markup("zh", "list.empty"), Markup)
    with pytest.raises(KeyError):
        text("en", "no.such.key")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "en"), ("en-GB", "en"), ("ZH-hans", "zh"), ("zh", "zh"), ("de", "zh"), (None, "zh")],
)
def test_the_users_language_wins_when_supported(code: str | None, expected: str) -> None:
    assert pick_language(code, "zh") == expected
