"""[webhook] and shutdown_grace in the config, the webhook's secret from the environment, and
the secret kept out of every log line."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import ConfigError, EnvSettings, load_settings
from bot.serving import Polling, Webhook, intake
from bot.startup import StartupError, configure_logging
from tests.support.configs import hotline_config

SECRET = "0123456789abcdef-SECRET_x"


def loaded(tmp_path: Path, extra: str = "", head: str = ""):  # type: ignore[no-untyped-def]
    text = hotline_config(extra=extra).replace(
        'database = "hotline.db"\n', f'database = "hotline.db"\n{head}'
    )
    path = tmp_path / "hotline.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def problems(tmp_path: Path, extra: str) -> str:
    with pytest.raises(ConfigError) as info:
        loaded(tmp_path, extra)
    return str(info.value)


def env(secret: str | None) -> EnvSettings:
    return EnvSettings(
        telegram_bot_token=SecretStr("123456:ABC"),
        telegram_webhook_secret=SecretStr(secret) if secret is not None else None,
    )


def test_polling_and_a_grace_of_10_s_by_default(tmp_path: Path) -> None:
    settings = loaded(tmp_path)
    assert settings.webhook is None
    assert settings.shutdown_grace == timedelta(seconds=10)
    assert intake(settings, env(None)) == Polling()
    assert loaded(tmp_path, head='shutdown_grace = "45s"\n').shutdown_grace == timedelta(
        seconds=45
    )


def test_a_webhook_listens_where_the_proxy_sends_it(tmp_path: Path) -> None:
    settings = loaded(
        tmp_path, '\n[webhook]\nurl = "https://example.org/hotline"\nlisten = "127.0.0.1:8443"\n'
    )
    how = intake(settings, env(SECRET))
    assert how == Webhook("https://example.org/hotline", "127.0.0.1", 8443, "hotline", SECRET)
    assert SECRET not in repr(how) and SECRET not in str(how)
    # A proxy that rewrites the path: the bot serves its own.
    other = loaded(
        tmp_path,
        '\n[webhook]\nurl = "https://example.org/tg/abc"\nlisten = "[::1]:9000"\npath = "/in"\n',
    )
    assert isinstance(w := intake(other, env(SECRET)), Webhook)
    assert (w.host, w.port, w.path) == ("::1", 9000, "in")


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('url = "http://example.org/h"', "webhook.url: 'http://example.org/h' must start"),
        ('url = "https://example.org/h?x=1"', "no '?' or '#'"),
        ('url = "https://example.org/h"\nlisten = "8443"', "webhook.listen"),
        ('url = "https://example.org/h"\nlisten = "127.0.0.1:99999"', "webhook.listen"),
        ('url = "https://example.org/h"\npath = "hotline"', "webhook.path"),
        ('url = "https://example.org/h"\nsecret = "x"', "webhook.secret"),  # never in the file
    ],
)
def test_a_wrong_webhook_table_names_its_key(tmp_path: Path, table: str, says: str) -> None:
    assert says in problems(tmp_path, f"\n[webhook]\n{table}\n")


@pytest.mark.parametrize(
    ("secret", "says"),
    [
        (None, "TELEGRAM_WEBHOOK_SECRET is not set"),
        ("has spaces in it", "letters, digits, '_' and '-'"),
        ("x" * 257, "1-256 characters"),
    ],
)
def test_webhook_mode_needs_a_secret_telegram_accepts(
    tmp_path: Path, secret: str | None, says: str
) -> None:
    settings = loaded(tmp_path, '\n[webhook]\nurl = "https://example.org/hotline"\n')
    with pytest.raises(StartupError, match=says) as info:
        intake(settings, env(secret))
    assert secret is None or secret not in str(info.value)


def test_the_secret_is_hidden_in_every_log_line() -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    out = io.StringIO()
    root.handlers = [logging.StreamHandler(out)]
    try:
        configure_logging("DEBUG", "123456:TOKEN-abcdefgh", secrets=[SECRET])
        logging.getLogger("hotline.test").warning("setWebhook {'secret_token': '%s'}", SECRET)
    finally:
        root.handlers, root.level = handlers, level
    line = out.getvalue()
    assert "setWebhook" in line and SECRET not in line and "<secret>" in line
