"""`akrab run` as a real subprocess against the Bot API emulator: one way for every e2e test.

The bot is configured only through its environment (TELEGRAM_BOT_TOKEN, TELEGRAM_BASE_URL,
DATABASE_URL, OWNER_IDS, LOG_LEVEL, plus whatever a test adds, e.g. the WEBHOOK_* settings);
stdout and stderr go to one log file in the test's tmp_path, each start appending to it.

AKRAB_E2E_COMMAND (e.g. "coverage run -m bot.cli", or an installed "akrab") replaces the
default `python -m bot.cli`; the arguments (`run`, `--webhook`) are appended to it.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Engine, text

from storage.db import make_engine
from tests.emulator import BotApiEmulator

# A token shaped like a real one, so that a leak is unmistakable. The emulator accepts any
# `<digits>:<letters>`; the bot id is 123456.
TOKEN = "123456:AAHe2eSecretPart-DoNotLog_x9Q7"
TOKEN_SECRET = TOKEN.split(":", 1)[1]
OWNER_ID = 9999
STOP_TIMEOUT = 20.0  # seconds a SIGTERM gets before the bot is SIGKILLed
REPO_ROOT = Path(__file__).resolve().parents[2]


class BotDied(AssertionError):
    """The bot process exited while a test waited for it."""


class WaitTimeout(AssertionError):
    """A bounded wait ran out."""


class BotProcess:
    """`akrab run` (or `akrab <args>`) in a subprocess; a context manager that always ends it."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        database_url: str,
        workdir: Path,
        *,
        token: str = TOKEN,
        args: Sequence[str] = ("run",),
        env: dict[str, str] | None = None,
        log_level: str = "INFO",
        log_name: str = "bot.log",
    ) -> None:
        self.emulator = emulator
        self.token = token
        self.args = list(args)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_BASE_URL": emulator.base_url,
            "DATABASE_URL": database_url,
            "OWNER_IDS": str(OWNER_ID),
            "LOG_LEVEL": log_level,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.workdir = workdir
        self.log = workdir / log_name
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.started_at = 0.0  # time.monotonic() of the latest start
        self.kills = 0

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        if self.running:
            raise RuntimeError("the bot is already running")
        self.reap()
        self.starts += 1
        with self.log.open("ab") as log:  # the child keeps its own copy of the descriptor
            log.write(f"\n===== test: start #{self.starts} =====\n".encode())
            log.flush()
            self.started_at = time.monotonic()
            self.process = subprocess.Popen(
                [*bot_command(), *self.args],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut or the OOM killer."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.kills += 1
        self.process.wait()
        self.process = None

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after STOP_TIMEOUT; returns the exit code (None if not running)."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def reap(self) -> None:
        """Forget a process that has already exited."""
        if self.process is not None and self.process.poll() is not None:
            self.process = None

    def run_to_exit(self, timeout: float = 60.0) -> tuple[int, str]:
        """Start and wait for the bot to exit by itself; (exit code, what it printed)."""
        before = self.log.stat().st_size if self.log.exists() else 0
        self.start()
        assert self.process is not None
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"the bot did not exit within {timeout}s; output:\n{self.log_tail()}"
            ) from None
        self.process = None
        output = self.log.read_bytes()[before:].decode("utf-8", "replace")
        # Drop the marker line written by start().
        return code, output.split("=====\n", 1)[-1]

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---------------------------------------------------------------- waiting and reading

    def ensure_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            code = self.process.returncode
            self.process = None
            raise BotDied(f"the bot exited with code {code}; log tail:\n{self.log_tail()}")

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until the bot of the latest start polls (getUpdates) or sets its webhook."""
        since = self.started_at

        def ready() -> bool:
            return any(
                (self.emulator.last_arrival(method) or 0.0) >= since
                for method in ("getUpdates", "setWebhook")
            )

        self.wait_until(ready, "the bot to start polling or set its webhook", timeout)

    def wait_until(self, check: Callable[[], bool], what: str, timeout: float) -> None:
        """Poll `check` until true; fail after `timeout` s, or at once if the bot died."""
        wait_until(check, what, timeout, alive=self.ensure_alive)

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace") if self.log.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def assert_token_not_logged(self) -> None:
        """Neither the token nor its secret half is anywhere in the bot's output."""
        secret = self.token.split(":", 1)[-1]
        leaks = [n for n, line in enumerate(self.log_text().splitlines(), 1) if secret in line]
        assert leaks == [], f"the bot token is in line(s) {leaks[:10]} of {self.log}"


def bot_command() -> list[str]:
    """How to start the bot: AKRAB_E2E_COMMAND, else this Python with `-m bot.cli`."""
    override = os.environ.get("AKRAB_E2E_COMMAND", "").strip()
    return shlex.split(override) if override else [sys.executable, "-m", "bot.cli"]


def wait_until(
    check: Callable[[], bool],
    what: str,
    timeout: float,
    *,
    alive: Callable[[], None] | None = None,
    interval: float = 0.05,
) -> float:
    """Poll until `check()`; returns the seconds it took. Raises AssertionError on timeout."""
    started = time.monotonic()
    deadline = started + timeout
    while not check():
        if alive is not None:
            alive()
        if time.monotonic() > deadline:
            raise WaitTimeout(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def database(url: str) -> Iterator[Engine]:
    """An engine on the bot's database for the test's own (raw SQL) checks."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def query(engine: Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def inbound_keys(engine: Engine) -> dict[tuple[int, int], int]:
    """(chat_id, telegram_message_id) of every inbound message row, with how often it is there."""
    rows = query(
        engine,
        "SELECT chat_id, telegram_message_id, COUNT(*) FROM message WHERE direction = 'in' "
        "GROUP BY chat_id, telegram_message_id",
    )
    return {(int(chat), int(mid)): int(n) for chat, mid, n in rows if mid is not None}
