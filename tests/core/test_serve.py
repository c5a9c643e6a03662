"""`manage.py serve` runs the web server and the task worker and stops both, whatever happens."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings as django_settings

MANAGE = str(django_settings.BASE_DIR / "manage.py")


@pytest.fixture(scope="module")
def serve_env(tmp_path_factory):
    """A migrated SQLite data folder of its own, in demo and debug mode (as `make run` sets)."""
    data_dir = tmp_path_factory.mktemp("serve-data")
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "PORT"}}
    env.update(
        TUMAINI_DATA_DIR=str(data_dir),
        TUMAINI_DEMO="1",
        TUMAINI_DEBUG="1",
        PYTHONUNBUFFERED="1",
    )
    subprocess.run(
        [sys.executable, MANAGE, "migrate", "--no-input", "-v0"],
        env=env,
        check=True,
        timeout=180,
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes() -> dict[int, tuple[int, str]]:
    """Every process's parent and state, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid ...": the command may hold spaces and parentheses.
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        found[int(entry.name)] = (int(ppid), state)
    return found


def _descendants(pid: int) -> set[int]:
    processes = _processes()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, (ppid, _) in processes.items() if ppid in frontier}
        found |= frontier
    return found


def _still_running(pids: set[int]) -> set[int]:
    processes = _processes()
    return {pid for pid in pids if pid in processes and processes[pid][1] != "Z"}


class Served:
    def __init__(self, env, tmp_path):
        self.port = _free_port()
        self.log = tmp_path / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, MANAGE, "serve", "--port", str(self.port)],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log.read_text()

    def wait_until_healthy(self, timeout=90) -> httpx.Response:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                response = httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                if response.status_code == 200 and "pid" in self.output():
                    return response
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"serve did not become healthy:\n{self.output()}")

    def child_pids(self) -> dict[str, int]:
        match = re.search(
            r"web server pid (\d+), task worker pid (\d+), scheduler pid (\d+)", self.output()
        )
        assert match, self.output()
        return {
            "web server": int(match[1]),
            "task worker": int(match[2]),
            "scheduler": int(match[3]),
        }

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@pytest.fixture
def served(serve_env, tmp_path):
    running = Served(serve_env, tmp_path)
    yield running
    running.stop()


def test_serve_answers_and_stops_everything_on_ctrl_c(served):
    response = served.wait_until_healthy()
    assert response.json()["database"]["ok"] is True
    page = httpx.get(f"http://127.0.0.1:{served.port}/", timeout=5).text
    assert "+254 725 624489" in page
    pids = served.child_pids()
    # Debug mode: each child runs a reloader around the real process, so 4 processes in all.
    started_processes = _descendants(served.process.pid)
    assert set(pids.values()) < started_processes
    assert f"http://127.0.0.1:{served.port}/" in served.output()

    started = time.monotonic()
    served.process.send_signal(signal.SIGINT)
    code = served.process.wait(timeout=15)

    assert code == 0, served.output()
    assert time.monotonic() - started < 15
    assert "Stopped the web server, the task worker and the scheduler" in served.output()
    assert _still_running(started_processes) == set()


def test_serve_stops_everything_on_sigterm(served):
    served.wait_until_healthy()
    started_processes = _descendants(served.process.pid)
    assert len(started_processes) >= 2

    served.process.send_signal(signal.SIGTERM)
    code = served.process.wait(timeout=15)

    assert code == 0, served.output()
    assert _still_running(started_processes) == set()


def test_serve_when_a_child_dies_stops_the_other_and_fails(served):
    served.wait_until_healthy()
    pids = served.child_pids()
    others = _descendants(served.process.pid) - {pids["task worker"]}

    os.kill(pids["task worker"], signal.SIGKILL)
    code = served.process.wait(timeout=15)

    assert code != 0
    assert "The task worker stopped unexpectedly" in served.output()
    # Also the worker's own child, orphaned by the kill.
    assert _still_running(others) == set()
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{served.port}/healthz", timeout=2)
