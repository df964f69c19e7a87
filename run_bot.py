"""Hotline Bot command line.

    python run_bot.py --config config/hotline.toml     the bot, on Telegram (needs the token)
    python run_bot.py --sandbox [--port 8080] [--speed N] [--db PATH]
                                                       the bot and a web chat on this machine
    python run_bot.py export --config PATH --project KEY --from YYYY-MM-DD --to YYYY-MM-DD
                             --out FILE.xlsx           the auditor's export, from the database
    python run_bot.py check-config --config PATH        validate the config, print what it says
    python run_bot.py backup --config PATH [--to FILE]   the database and documents, online
    python run_bot.py restore --config PATH --from FILE  a backup back (the bot stopped)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from bot.config import ConfigError, EnvSettings, load_settings
from bot.startup import HOW_TO_GET_A_TOKEN, StartupError, configure_logging

HERE = Path(__file__).resolve().parent
SANDBOX_CONFIG = "config/sandbox.toml"
DEFAULT_CONFIG = "config/hotline.toml"
EXAMPLE_CONFIG = HERE / "config/hotline.example.toml"

log = logging.getLogger("hotline")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["export"]:
        from bot.export_cli import main as export

        return export(argv[1:])
    if argv[:1] == ["check-config"]:
        from bot.check_config_cli import main as check_config

        return check_config(argv[1:])
    if argv[:1] in (["backup"], ["restore"]):
        from bot.backup_cli import backup_main, restore_main

        return (backup_main if argv[0] == "backup" else restore_main)(argv[1:])
    parser = argparse.ArgumentParser(description="Hotline Bot (7×24 热线值班机器人)")
    parser.add_argument(
        "--config",
        default=None,
        help="path of the TOML file (default: config/hotline.toml; with --sandbox: "
        "the demo config/sandbox.toml)",
    )
    parser.add_argument(
        "--log-level",
        default=None,
        type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="default INFO (sandbox: WARNING)",
    )
    parser.add_argument(
        "--log-format",
        default="text",
        choices=("text", "json"),
        help="text: one readable line per record (default); json: one JSON object per line "
        "(time, level, logger, message, ticket, user) for log shippers",
    )
    sandbox = parser.add_argument_group(
        "sandbox", "the whole bot on this machine, with a web chat instead of Telegram"
    )
    sandbox.add_argument(
        "--sandbox",
        action="store_true",
        help="run the bot against the built-in Bot API emulator and serve a web chat page "
        "with personas (no Telegram token, no network)",
    )
    sandbox.add_argument(
        "--port", type=int, default=None, help="port of the web page on 127.0.0.1 (default 8080)"
    )
    sandbox.add_argument(
        "--speed",
        type=float,
        default=None,
        help="run the bot's clock N times faster, e.g. 60: a 15-minute deadline passes in 15 s",
    )
    sandbox.add_argument(
        "--db", default=None, help="keep the sandbox's state in this SQLite file across runs"
    )
    sandbox.add_argument(
        "--no-demo-history",
        action="store_true",
        help="start from an empty database (default: last month's demo tickets, so that "
        "/monthly shows a real summary at once)",
    )
    args = parser.parse_args(argv)
    if not args.sandbox:
        given = [name for name in ("port", "speed", "db") if getattr(args, name) is not None]
        if given:
            parser.error(f"--{', --'.join(given)} only with --sandbox")
    else:
        if args.speed is not None and not 0 < args.speed <= 100_000:
            parser.error("--speed must be a positive number (at most 100000)")
        if args.port is not None and not 0 <= args.port <= 65535:
            parser.error("--port must be 0..65535 (0: any free port)")
    level = args.log_level or ("WARNING" if args.sandbox else "INFO")
    env = EnvSettings()
    token = env.telegram_bot_token.get_secret_value() if env.telegram_bot_token else None
    # The webhook's secret is masked like the token wherever it might appear.
    secret = env.telegram_webhook_secret
    configure_logging(
        level,
        token,
        log_format=args.log_format,
        secrets=[secret.get_secret_value()] if secret else [],
    )
    if args.sandbox:
        return run_sandbox(args)
    config = Path(args.config or DEFAULT_CONFIG)
    if not config.exists():
        print(
            f"{config}: config file not found; copy {shown(EXAMPLE_CONFIG)} to {config} and "
            "edit it (people, projects, deadlines), or give another file with --config PATH",
            file=sys.stderr,
        )
        return 2
    try:
        settings = load_settings(config)
    except ConfigError as e:
        print(f"configuration error:\n{e}", file=sys.stderr)
        return 2
    if token is None:
        print(f"TELEGRAM_BOT_TOKEN is not set: {HOW_TO_GET_A_TOKEN}", file=sys.stderr)
        return 2
    from bot.app import run

    try:
        run(settings, env)
    except StartupError as e:
        print(e, file=sys.stderr)
        return 2
    except Exception:
        # A defect, not an operator's mistake: the traceback helps, with the token hidden.
        log.exception("the bot stopped on an unexpected error")
        return 1
    return 0


def shown(path: Path) -> str:
    """A path as the operator would type it from here."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative


def run_sandbox(args: argparse.Namespace) -> int:
    """The emulator, the bot and the web page in this process until Ctrl-C."""
    from bot.sandbox.run import SandboxOptions, main

    options = SandboxOptions(
        # The demo config next to this file, wherever the command is run from.
        config=Path(args.config) if args.config else Path(__file__).parent / SANDBOX_CONFIG,
        port=8080 if args.port is None else args.port,
        speed=1.0 if args.speed is None else args.speed,
        db=Path(args.db).expanduser().resolve() if args.db else None,
        demo_history=not args.no_demo_history,
    )
    return main(options)


if __name__ == "__main__":
    sys.exit(main())
