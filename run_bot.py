"""Hotline Bot command line: `python run_bot.py --config config/hotline.toml`."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.config import ConfigError, EnvSettings, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Hotline Bot (7×24 热线值班机器人)")
    parser.add_argument("--config", default="config/hotline.toml", help="path of the TOML file")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and the URL contains the token: keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings(args.config)
    except ConfigError as e:
        print(f"configuration error:\n{e}", file=sys.stderr)
        return 2
    env = EnvSettings()
    if env.telegram_bot_token is None:
        print(
            "TELEGRAM_BOT_TOKEN is not set: the bot needs its token from @BotFather.",
            file=sys.stderr,
        )
        return 2
    from bot.app import run

    run(settings, env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
