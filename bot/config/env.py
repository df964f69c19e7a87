"""Secrets from the environment: the bot token never lives in the TOML file."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class EnvSettings(BaseSettings):
    """Secrets and endpoints from the environment (never from the TOML file)."""

    model_config = SettingsConfigDict(env_prefix="", env_ignore_empty=True, extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    # Webhook mode only: Telegram sends it with every update (X-Telegram-Bot-Api-Secret-Token).
    telegram_webhook_secret: SecretStr | None = None
