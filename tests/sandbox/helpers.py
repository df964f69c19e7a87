"""Start `run_bot.py --sandbox` as a process and talk to its page's JSON API."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CUSTOMER = 3001  # Demo Customer 1 (zh), project demo-village
ENGINEER_A = 2001  # Demo Engineer A (zh), on duty for demo-village
ENGINEER_B = 2002  # Demo Engineer B (en), on duty for demo-village
CUSTOMER_MANAGER = 2011

Json = dict[str, Any]


class SandboxProcess:
    """`python run_bot.py --sandbox --port 0 ...` with its output in a log file."""

    def __init__(self, log: Path, *args: str) -> None:
        self.log = log
        self.args = args
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self, timeout: float = 30.0) -> str:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # A real token in the environment must not matter: the sandbox never reads it.
        env["TELEGRAM_BOT_TOKEN"] = "999999:MUST-NOT-BE-USED"
        env.pop("TELEGRAM_API_BASE_URL", None)
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            # No demo history: these tests count tickets from #1.
            [sys.executable, str(ROOT / "run_bot.py"), "--sandbox", "--port", "0",
             "--no-demo-history", *self.args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"sandbox is running: (http://127\.0\.0\.1:\d+)", self.output())
            if found:
                self.url = found.group(1)
                return self.url
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"the sandbox did not start; output:\n{self.output()}")

    def output(self) -> str:
        if not self.log.exists():
            return ""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def interrupt(self, timeout: float = 15.0) -> int:
        """Ctrl-C (SIGINT); the exit code (-9 if it had to be killed)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                # Before killing it, ask it what it was waiting for (bot/sandbox/run.py).
                self.proc.send_signal(signal.SIGUSR1)
                time.sleep(1)
                self.proc.kill()
                self.proc.wait()
                print(f"the sandbox did not stop; its output:\n{self.output()[-30000:]}")
                return -9
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    # ---- the page's JSON API

    def get(self, path: str) -> Json:
        with urllib.request.urlopen(self.url + path, timeout=20) as response:
            data: Json = json.load(response)
            return data

    def post(self, path: str, body: Json, headers: dict[str, str] | None = None) -> Json:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            data: Json = json.load(response)
            return data

    def status_of_post(self, path: str, data: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def chat(self, user_id: int) -> list[Json]:
        messages: list[Json] = self.get(f"/api/chat/{user_id}")["messages"]
        return messages

    def wait_for(self, user_id: int, needle: str, timeout: float = 15.0, after: int = 0) -> Json:
        """The first bot message (id > after) whose HTML contains `needle`."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.chat(user_id):
                if message["from_bot"] and message["id"] > after and needle in message["html"]:
                    return message
            if time.monotonic() > deadline:
                texts = "\n".join(m["html"] for m in self.chat(user_id))
                raise AssertionError(f"no {needle!r} for {user_id} in {timeout}s:\n{texts}")
            time.sleep(0.1)

    def last_id(self, user_id: int) -> int:
        return max((m["id"] for m in self.chat(user_id)), default=0)

    def press(self, user_id: int, message: Json, label: str) -> None:
        data = [b["data"] for row in message["keyboard"] for b in row if label in b["text"]]
        assert len(data) == 1, f"button {label!r} in {message['keyboard']}"
        self.post("/api/press", {"user_id": user_id, "message_id": message["id"], "data": data[0]})


def browser_missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None
