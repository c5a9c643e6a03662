"""Run the web server and the task worker together, for a laptop or a demo (not for production).

Each child runs in its own process group so that stopping it also stops the processes it starts
itself (Django's auto-reloader runs the real server in a grandchild).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT_SECONDS = 10
POLL_SECONDS = 0.2
STARTUP_TIMEOUT_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Start the web server (runserver), the task worker (db_worker) and the scheduler of "
        "periodic jobs on 127.0.0.1; Ctrl-C stops them all. For a laptop or a demo, not for "
        "production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="Port to listen on (default: the PORT environment variable, else 8000).",
        )

    def handle(self, *args, **options):
        port = options["port"] or _port_from_env()
        stop_requested: list[int] = []

        def request_stop(signum, frame):
            stop_requested.append(signum)

        # Installed before the children start: a handled signal is reset to the default in a child,
        # whereas an ignored one (serve started in the background by a shell) would stay ignored.
        previous = {
            signum: signal.signal(signum, request_stop)
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        manage = str(settings.BASE_DIR / "manage.py")
        # --insecure: serve our static files even with debug off (demo mode on a laptop).
        web_command = [sys.executable, manage, "runserver", f"127.0.0.1:{port}", "--insecure"]
        worker_command = [sys.executable, manage, "db_worker"]
        scheduler_command = [sys.executable, manage, "scheduler"]
        children: dict[str, subprocess.Popen] = {}
        failed = None
        try:
            children["web server"] = _start(web_command)
            # The worker starts once the site answers: processes starting at the same instant
            # race each other while preparing the data folder.
            failed = _wait_until_listening(port, children, stop_requested)
            if not failed and not stop_requested:
                children["task worker"] = _start(worker_command)
                children["scheduler"] = _start(scheduler_command)
                pids = ", ".join(f"{name} pid {child.pid}" for name, child in children.items())
                self.stdout.write(f"Started {pids}.")
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Tumaini is running: open http://127.0.0.1:{port}/ "
                        f"(staff sign-in: http://127.0.0.1:{port}/accounts/login/). "
                        "Press Ctrl-C to stop."
                    )
                )
                self.stdout.flush()
                failed = _wait_for_stop_or_exit(children, stop_requested)
        finally:
            _stop(children, stop_requested[0] if stop_requested else signal.SIGTERM)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

        if failed:
            name, code = failed
            raise CommandError(f"The {name} stopped unexpectedly (exit code {code}); stopped all.")
        self.stdout.write("Stopped the web server, the task worker and the scheduler.")


def _start(command: list[str]) -> subprocess.Popen:
    # Own process group: the signal reaches the child and anything it starts, and a Ctrl-C in the
    # terminal reaches only serve, which decides the order of shutdown.
    return subprocess.Popen(command, env=os.environ.copy(), process_group=0)


def _port_from_env() -> int:
    value = os.environ.get("PORT", "").strip() or "8000"
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"PORT must be a number, not {value!r}.") from None


def _wait_until_listening(port, children, stop_requested) -> tuple[str, int] | None:
    """Wait until something accepts connections on the port (None) or a child exits."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not stop_requested and time.monotonic() < deadline:
        exited = _exited_child(children)
        if exited:
            return exited
        with socket.socket() as probe:
            probe.settimeout(POLL_SECONDS)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return None
        time.sleep(POLL_SECONDS)
    return None


def _exited_child(children) -> tuple[str, int] | None:
    for name, child in children.items():
        code = child.poll()
        if code is not None:
            return name, code
    return None


def _wait_for_stop_or_exit(children, stop_requested) -> tuple[str, int] | None:
    """Wait until a stop signal arrives (None) or a child exits (its name and exit code)."""
    while not stop_requested:
        exited = _exited_child(children)
        if exited:
            return exited
        time.sleep(POLL_SECONDS)
    return None


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)


def _stop(children: dict[str, subprocess.Popen], signum: int) -> None:
    """Forward the signal to every child's process group; kill what is left after the timeout."""
    for child in children.values():
        _signal_group(child, signum)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in children.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
    # The group may outlive its leader (a reloader's server process): kill whatever remains.
    for child in children.values():
        _signal_group(child, signal.SIGKILL)
        child.wait()
