"""`run_bot.py --sandbox` as a process: no token, fast clock, clean Ctrl-C, local only."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sandbox.helpers import (
    CUSTOMER,
    CUSTOMER_MANAGER,
    ENGINEER_A,
    ROOT,
    SandboxProcess,
)

pytestmark = pytest.mark.e2e

StartSandbox = Callable[..., SandboxProcess]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[StartSandbox]:
    started: list[SandboxProcess] = []

    def make(*args: str) -> SandboxProcess:
        process = SandboxProcess(tmp_path / f"sandbox{len(started)}.log", *args)
        started.append(process)
        process.start()
        return process

    yield make
    for process in started:
        process.kill()
        output = process.output()
        assert "Traceback" not in output, output[-4000:]
        assert "MUST-NOT-BE-USED" not in output


def report_a_fault(sb: SandboxProcess) -> None:
    """Demo Customer 1 joins and reports an A-level fault with a location."""
    result = sb.post("/api/join", {"user_id": CUSTOMER})["result"]
    assert result == {"joined": True, "profile": True}
    sb.wait_for(CUSTOMER, "已保存")
    mark = sb.last_id(CUSTOMER)
    sb.post("/api/send", {"user_id": CUSTOMER, "text": "/report"})
    question = sb.wait_for(CUSTOMER, "整个系统", after=mark)
    sb.press(CUSTOMER, question, "是")
    sb.wait_for(CUSTOMER, "故障地点", after=question["id"])
    sb.post("/api/location", {"user_id": CUSTOMER})


def test_speed_runs_the_bots_clock_faster(sandbox: StartSandbox) -> None:
    sb = sandbox("--speed", "120")
    state = sb.get("/api/state")
    assert state["speed"] == 120
    report_a_fault(sb)
    page = sb.wait_for(ENGINEER_A, "新故障 #1")
    reported = time.monotonic()
    # Nobody accepts. The respond deadline is 15 min: the 50% reminder comes after 7.5 min of
    # the bot's time, 3.75 s at 120×; in real time it would take 7.5 minutes.
    reminder = sb.wait_for(ENGINEER_A, "⏰", timeout=20, after=page["id"])
    assert "#1" in reminder["html"]
    # At 15 min (7.5 s) the deadline is missed: the customer manager (escalation level 1)
    # is told.
    missed = sb.wait_for(CUSTOMER_MANAGER, "🔴", timeout=25)
    assert "#1" in missed["html"]
    assert time.monotonic() - reported < 30
    tickets = sb.get("/api/tickets")["tickets"]
    respond = next(c for c in tickets[0]["clocks"] if c["name"] == "respond")
    assert respond["breached"] and respond["remaining"] < 0
    assert sb.interrupt() == 0


def test_ctrl_c_stops_everything_cleanly(sandbox: StartSandbox) -> None:
    sb = sandbox()
    # An open live-event stream (a browser tab) must not hold up the stop.
    host, port = sb.url.removeprefix("http://").split(":")
    stream = socket.create_connection((host, int(port)), timeout=5)
    stream.sendall(f"GET /api/events HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    assert b"text/event-stream" in stream.recv(4096)
    started = time.monotonic()
    assert sb.interrupt(timeout=10) == 0
    assert time.monotonic() - started < 8
    stream.close()
    assert "stopping the sandbox" in sb.output()
    # Everything is gone: the page's port is free again.
    with socket.socket() as probe:
        probe.bind((host, int(port)))


def test_everything_listens_on_loopback_only_and_refuses_other_sites(
    sandbox: StartSandbox,
) -> None:
    sb = sandbox()
    assert sb.url.startswith("http://127.0.0.1:")
    # Another web site open in the same browser cannot act as a persona...
    evil = {"Content-Type": "application/json", "Origin": "http://evil.example"}
    body = b'{"user_id": 3001, "text": "/report"}'
    assert sb.status_of_post("/api/send", body, evil) == 403
    # ...nor post a form (a "simple" cross-site request needs no permission).
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert sb.status_of_post("/api/send", b"user_id=3001&text=hi", form) == 415
    # A page reached under another host name (DNS rebinding) is refused.
    assert sb.status_of_post("/api/send", body, {**evil, "Host": "evil.example"}) == 403
    assert [m for m in sb.chat(CUSTOMER) if not m["from_bot"]] == []
    assert sb.interrupt() == 0


def test_db_keeps_state_across_runs(sandbox: StartSandbox, tmp_path: Path) -> None:
    db = tmp_path / "keep.db"
    first = sandbox("--db", str(db))
    report_a_fault(first)
    first.wait_for(ENGINEER_A, "新故障 #1")
    assert first.interrupt() == 0
    second = sandbox("--db", str(db))
    tickets = second.get("/api/tickets")["tickets"]
    assert [t["id"] for t in tickets] == [1] and tickets[0]["level"] == "A"
    # The customer who joined in the first run is back without joining again: the bot
    # answers (here: the report's details are still being asked for, as in the first run).
    # What the first run had queued but not sent yet (each chat is paced to about a message a
    # second) arrives first: nothing queued is lost.
    for _ in range(150):
        texts = [m["html"] for m in second.chat(CUSTOMER) if m["from_bot"]]
        if any("欢迎回来" in t or "请先完成当前的填写" in t for t in texts):
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"the returning customer got no answer: {texts}")
    assert second.interrupt() == 0


def test_busy_port_and_sandbox_only_options(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, str(ROOT / "run_bot.py"), "--sandbox", "--port", str(port)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )
    assert done.returncode == 1
    assert f"port {port}" in done.stderr and "--port" in done.stderr
    for args in (["--port", "9000"], ["--speed", "60"], ["--db", "x.db"]):
        done = subprocess.run(
            [sys.executable, str(ROOT / "run_bot.py"), *args],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 2 and "only with --sandbox" in done.stderr
    done = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "--sandbox", "--speed", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2 and "--speed" in done.stderr
