"""A small local Telegram Bot API emulator for end-to-end tests (stdlib only).

:class:`BotApiEmulator` is an HTTP server on 127.0.0.1 that answers the Bot API methods a
python-telegram-bot 22 bot uses (``/bot<token>/<method>``), and at the same time a Python API for
the *user* side: tests send texts, press inline buttons and edit messages as customers would,
then read what the bot answered.  Everything runs in-process and is thread-safe, so a test can
start the bot as a separate process (or as an ``Application`` in the same event loop) and drive
it from the test body.

Run it standalone for trying a bot by hand::

    python -m tests.emulator.server --port 9000

See ``tests/emulator/README.md`` for what is emulated and what is not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import hashlib
import http.client
import json
import math
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.emulator._entities import EntityParseError, command_entities, parse_html, utf16_len

__all__ = ["ApiError", "BotApiEmulator", "Fault", "FloodError"]

HOST = "127.0.0.1"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLS = 100_000  # the call log keeps the newest entries
# Flood control applies to the methods that post or change messages, as on Telegram.
_FLOODED_PREFIXES = ("send", "copy", "forward", "edit")
WEBHOOK_MIN_BACKOFF = 0.2  # seconds before the first retry of a failed webhook delivery
WEBHOOK_MAX_BACKOFF = 2.0  # the backoff doubles up to this
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
_TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
# Form fields that are plain strings even when they look like JSON (``text="123"``).
_TEXT_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "description",
        "short_description",
        "name",
        "language_code",
        "url",
        "emoji",
        "action",
        "inline_message_id",
        "file_id",
        "title",
    }
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_BLOCKED = "Forbidden: bot was blocked by the user"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
# sendX method -> (message field, parameter name, default mime type)
_MEDIA_METHODS: dict[str, tuple[str, str]] = {
    "sendphoto": ("photo", "image/jpeg"),
    "senddocument": ("document", "application/octet-stream"),
    "sendaudio": ("audio", "audio/mpeg"),
    "sendvoice": ("voice", "audio/ogg"),
    "sendvideo": ("video", "video/mp4"),
    "sendanimation": ("animation", "video/mp4"),
    "sendsticker": ("sticker", "image/webp"),
}


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None):
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class FloodError(ApiError):
    """A 429 answered by the emulator's own flood control (see ``set_limits``)."""


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _flood_window(rate: float) -> tuple[float, int]:
    """A limit of ``rate`` calls per second as (window seconds, calls allowed in the window)."""
    window = max(1.0, 1.0 / rate)
    return window, max(1, math.floor(rate * window + 1e-9))


@dataclass
class Fault:
    """An injected failure; see :meth:`BotApiEmulator.inject_fault`."""

    method: str | None
    chat_id: int | None
    error_code: int | None
    description: str | None
    retry_after: int | None
    delay: float
    remaining: int
    process_first: bool = False
    hits: int = 0

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.remaining <= 0:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        if self.chat_id is None:
            return True
        try:
            return int(params.get("chat_id")) == self.chat_id  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False

    def error(self) -> ApiError | None:
        if self.error_code is None:
            return None
        description = self.description or _DEFAULT_DESCRIPTIONS.get(self.error_code, "Error")
        return ApiError(
            self.error_code,
            description.format(retry_after=self.retry_after),
            retry_after=self.retry_after,
        )


@dataclass
class _Upload:
    name: str
    mime_type: str
    content: bytes


@dataclass
class _StoredMessage:
    message: dict[str, Any]
    from_bot: bool
    markup: dict[str, Any] | None = None  # any reply_markup the bot sent (inline or reply kb)
    deleted: bool = False


@dataclass
class _File:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    name: str | None = None
    mime_type: str | None = None
    source: str | None = None  # URL, when the bot sent one instead of an upload
    extra: dict[str, Any] = field(default_factory=dict)

    def info(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.source is None:
            data["file_size"] = len(self.content)
        return data


def _to_int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(f"invalid {name} specified") from None


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse JSON object: {value[:40]!r}") from None
    return value


def _normalise_markup(markup: Any) -> dict[str, Any] | None:
    markup = _maybe_json(markup)
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise _bad("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
    return markup


def _inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    return markup if markup is not None and "inline_keyboard" in markup else None


def _callback_data(markup: dict[str, Any] | None) -> list[str]:
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        button["callback_data"]
        for row in markup["inline_keyboard"]
        for button in row
        if "callback_data" in button
    ]


def _truthy(value: Any) -> bool:
    return value in (True, "true", "True", 1, "1")


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    block_on_close = True

    def __init__(self, address: tuple[str, int], emulator: BotApiEmulator) -> None:
        self.emulator = emulator
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away (e.g. a bot killed mid-request): not our problem
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else Nagle + delayed ACK cost ~40 ms per answer
    timeout = 120  # idle keep-alive connections are closed after this many seconds
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.emulator.verbose:
            sys.stderr.write(f"[tg-emulator] {self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        body = self._read_body()
        url = urlsplit(self.path)
        parts = [unquote(part) for part in url.path.split("/")]
        emulator = self.server.emulator
        if len(parts) >= 4 and parts[1] == "file" and parts[2].startswith("bot"):
            self._serve_file(parts[2][3:], "/".join(parts[3:]))
            return
        if len(parts) != 3 or not parts[1].startswith("bot"):
            self._send_json(404, ApiError(404, "Not Found").payload())
            return
        token, method = parts[1][3:], parts[2]
        try:
            params, files = _parse_params(self.headers.get("Content-Type", ""), body, url.query)
        except ApiError as error:
            self._send_json(error.error_code, error.payload())
            return
        status, payload = emulator._handle_api(token, method, params, files)
        self._send_json(status, payload)

    def _serve_file(self, token: str, file_path: str) -> None:
        content = self.server.emulator._file_content(token, file_path)
        if content is None:
            self._send_json(404, ApiError(404, "Not Found").payload())
            return
        self._send_bytes(200, content, "application/octet-stream")

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send_bytes(status, body, "application/json")

    def _send_bytes(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client went away (e.g. a cancelled long poll)
            self.close_connection = True


def _coerce_form(params: dict[str, Any]) -> dict[str, Any]:
    """Form fields arrive as strings; PTB JSON-encodes every non-string value."""
    result: dict[str, Any] = {}
    for key, value in params.items():
        if key in _TEXT_FIELDS or not isinstance(value, str):
            result[key] = value
            continue
        try:
            result[key] = json.loads(value)
        except ValueError:
            result[key] = value
    return result


def _parse_params(
    content_type: str, body: bytes, query: str
) -> tuple[dict[str, Any], dict[str, _Upload]]:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, _Upload] = {}
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return _coerce_form(params), files
    if kind == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            raise _bad("can't parse JSON request body") from None
        if not isinstance(data, dict):
            raise _bad("request body must be a JSON object")
        return {**_coerce_form(params), **data}, files
    if kind == "multipart/form-data":
        header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
        message = BytesParser(policy=HTTP).parsebytes(header + body)
        if not message.is_multipart():
            raise _bad("can't parse multipart/form-data body")
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            content = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                files[str(name)] = _Upload(
                    filename, part.get_content_type() or "application/octet-stream", content
                )
            else:
                params[str(name)] = content.decode(part.get_content_charset() or "utf-8")
        return _coerce_form(params), files
    # application/x-www-form-urlencoded (PTB's default for calls without files)
    params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return _coerce_form(params), files


class BotApiEmulator:
    """A local Telegram Bot API server plus a user-side API for driving a bot in tests.

    Use as a context manager (or call :meth:`start` / :meth:`stop`)::

        with BotApiEmulator() as emu:
            app = Application.builder().token("123456:TEST").base_url(emu.base_url).build()
            ...
            emu.send_text(1001, "/start")
            [reply] = emu.wait_for_bot_messages(1001, 1)

    Every token of the form ``<digits>:<letters>`` is accepted; all tokens share one state.
    """

    def __init__(
        self,
        port: int = 0,
        *,
        bot_username: str = "akrab_test_bot",
        bot_first_name: str = "Akrab Test Bot",
        max_poll_timeout: float = 50.0,
        webhook_timeout: float = 10.0,
        verbose: bool = False,
    ) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.max_poll_timeout = max_poll_timeout
        self.webhook_timeout = webhook_timeout
        self.verbose = verbose
        self._requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._deliverer: threading.Thread | None = None
        self._webhook_connection: http.client.HTTPConnection | None = None
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stopped = threading.Event()
        self._reset_state()

    # ------------------------------------------------------------------ lifecycle

    def _reset_state(self) -> None:
        # update ids never go down (a running bot's offset would swallow new updates), and the
        # long-poll generation must survive so a waiting getUpdates is not mistaken for stale.
        self._next_update_id: int = getattr(self, "_next_update_id", 1)
        self._poll_generation: int = getattr(self, "_poll_generation", 0)
        self._bot_id: int = getattr(self, "_bot_id", 0)
        self._updates: list[dict[str, Any]] = []
        self._allowed_updates: list[str] | None = None
        self._messages: dict[int, dict[int, _StoredMessage]] = {}
        self._topics: dict[int, set[int]] = {}  # forum chat -> open topic ids
        self._next_message_id: dict[int, int] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._blocked: set[int] = set()
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._callback_answers: dict[str, dict[str, Any]] = {}
        self._next_callback_id = 1
        self._files: dict[str, _File] = {}
        self._faults: list[Fault] = []
        self._calls: list[dict[str, Any]] = []
        self._limits: tuple[float, float] = (0.0, 0.0)  # (global_per_s, chat_per_s); 0 = off
        self._flood_windows: dict[tuple[int, ...], deque[float]] = {}
        self._flood_count = 0
        self._arrivals: dict[str, float] = {}  # method (lower case) -> last arrival, monotonic
        self._webhook: dict[str, Any] | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._deliveries: list[dict[str, Any]] = []

    def start(self) -> Self:
        """Bind 127.0.0.1 and serve in a background thread; returns ``self``."""
        if self._server is not None:
            raise RuntimeError("emulator already started")
        self._stopped.clear()
        self._server = _Server((HOST, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"tg-emulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._deliverer = threading.Thread(
            target=self._deliver_webhooks, name=f"tg-emulator-webhook:{self.port}", daemon=True
        )
        self._deliverer.start()
        return self

    def stop(self) -> None:
        """Answer pending long polls, close every connection and join all threads."""
        server, thread = self._server, self._thread
        if server is None:
            return
        with self._cond:
            self._stopped.set()
            self._cond.notify_all()
            webhook_connection = self._webhook_connection
        if webhook_connection is not None and webhook_connection.sock is not None:
            with contextlib.suppress(OSError):  # ends a delivery that waits for its answer
                webhook_connection.sock.shutdown(socket.SHUT_RDWR)
        if self._deliverer is not None:
            self._deliverer.join(timeout=self.webhook_timeout + 5)
            self._deliverer = None
        server.shutdown()
        with server.connections_lock:
            connections = list(server.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()  # joins the handler threads
        if thread is not None:
            thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget all updates, messages, users, commands, faults, calls, limits and the webhook."""
        with self._cond:
            self._reset_state()
            self._cond.notify_all()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("emulator not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder.base_url``; PTB appends the token."""
        return f"http://{HOST}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder.base_file_url`` (file downloads after ``getFile``)."""
        return f"http://{HOST}:{self.port}/file/bot"

    # ------------------------------------------------------------------ fault injection and log

    def inject_fault(
        self,
        method: str | None = None,
        *,
        chat_id: int | None = None,
        error_code: int | None = None,
        description: str | None = None,
        count: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
        process_first: bool = False,
    ) -> Fault:
        """Make the next ``count`` matching calls fail (or be delayed by ``delay`` seconds).

        ``method=None`` matches every method; ``chat_id`` matches the call's ``chat_id``.
        ``retry_after`` without ``error_code`` means 429.  A delayed call without an
        ``error_code`` is then processed normally (the "timed out but delivered" case).

        ``process_first=True`` carries the call out at once (a message is stored and visible to
        the user) and only then waits ``delay`` and answers, with the error if one is given: a
        client whose read timeout is shorter than ``delay``, or that gets the error, cannot
        tell that the message went out.  Its log entry has ``"processed": True``.
        """
        if error_code is None and retry_after is not None:
            error_code = 429
        if error_code is None and delay <= 0:
            raise ValueError("inject_fault needs error_code, retry_after or delay")
        if error_code == 429 and retry_after is None:
            retry_after = 1
        fault = Fault(
            method, chat_id, error_code, description, retry_after, delay, count, process_first
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def set_limits(self, global_per_s: float = 0, chat_per_s: float = 0) -> None:
        """Flood control for send*/copy*/forward*/edit* calls; 0 turns a limit off.

        Over a sliding one-second window, at most ``global_per_s`` such calls per bot and
        ``chat_per_s`` per chat are carried out (a rate below 1 widens the window: 0.5 is one
        call in any two seconds).  A call over a limit is answered 429 with ``retry_after``
        (whole seconds until the window has room) and does not count against the window.
        Read the count with :meth:`flood_count`; those calls are logged with ``"flood": True``.
        """
        if global_per_s < 0 or chat_per_s < 0:
            raise ValueError("limits are calls per second, 0 or more")
        with self._lock:
            self._limits = (float(global_per_s), float(chat_per_s))
            self._flood_windows.clear()

    def flood_count(self) -> int:
        """How many calls the flood control answered with 429 (injected faults not counted)."""
        with self._lock:
            return self._flood_count

    def webhook(self) -> dict[str, Any] | None:
        """The webhook as the bot set it (``url``, ``secret_token``, ...), or None."""
        with self._lock:
            return copy.deepcopy(self._webhook)

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Every webhook POST, oldest first.

        Each is ``{update_id, url, status, error, secret_sent, time, monotonic}``; ``status`` is
        the HTTP status (None when the connection failed or timed out, then ``error`` says why).
        """
        with self._lock:
            return copy.deepcopy(self._deliveries)

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """The bot's API calls, oldest first: ``{method, params, time, ok, ...}``.

        ``time`` is the wall clock when the call came in; ``monotonic`` and ``answered`` are
        ``time.monotonic()`` when it came in and when its answer was ready (the emulator runs in
        the test's process, so they compare with the test's own ``time.monotonic()``).
        Failed calls also have ``error_code`` and ``description``; uploads appear in ``params``
        as ``{"file_name", "mime_type", "file_size", "sha256"}``.
        """
        with self._lock:
            calls = [
                call
                for call in self._calls
                if method is None or call["method"].lower() == method.lower()
            ]
            return copy.deepcopy(calls)

    def last_arrival(self, method: str) -> float | None:
        """``time.monotonic()`` when the latest ``method`` call came in (answered or not yet).

        ``calls()`` logs a call once it is answered, so a long poll shows there only when it
        ends; this shows it at once.
        """
        with self._lock:
            return self._arrivals.get(method.lower())

    def calls_since(self, monotonic: float, method: str | None = None) -> list[dict[str, Any]]:
        """Like :meth:`calls`, only the calls that came in at ``time.monotonic()`` >= the given."""
        with self._lock:
            calls = [
                call
                for call in self._calls
                if call["monotonic"] >= monotonic
                and (method is None or call["method"].lower() == method.lower())
            ]
            return copy.deepcopy(calls)

    def wait_for_calls(
        self, method: str, count: int = 1, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Block until the bot made at least ``count`` calls of ``method``."""
        self._wait(
            lambda: len([c for c in self._calls if c["method"].lower() == method.lower()]) >= count,
            timeout,
            lambda: (
                f"expected {count} {method} call(s) within {timeout}s; "
                f"calls so far: {self._describe_calls()}"
            ),
        )
        return self.calls(method)

    # ------------------------------------------------------------------ user side

    def send_text(
        self,
        user: int,
        text: str,
        *,
        chat_id: int | None = None,
        language_code: str | None = None,
        first_name: str | None = None,
        username: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_to: int | None = None,
    ) -> int:
        """The user sends ``text``; returns its message_id.

        A text starting with ``/`` gets a ``bot_command`` entity.  ``chat_id`` defaults to the
        user's private chat; a negative id is a group (``-10**12`` and below: a supergroup).
        Profile fields are remembered from the first call (defaults: language ``"id"``).
        """
        fields: dict[str, Any] = {"text": text}
        found = command_entities(text) if entities is None else entities
        if found:
            fields["entities"] = found
        return self.send_update(
            user,
            chat_id=chat_id,
            language_code=language_code,
            first_name=first_name,
            username=username,
            reply_to=reply_to,
            **fields,
        )

    def send_sticker(
        self, user: int, *, emoji: str = "👍", chat_id: int | None = None, **profile: Any
    ) -> int:
        """The user sends a sticker; returns its message_id."""
        file = self._new_file("stickers", b"RIFF\x00\x00\x00\x00WEBP", "sticker.webp")
        sticker = {
            **file.info(),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self.send_update(user, chat_id=chat_id, sticker=sticker, **profile)

    def send_photo(
        self,
        user: int,
        *,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        chat_id: int | None = None,
        **profile: Any,
    ) -> int:
        """The user sends a photo (downloadable via getFile); returns its message_id."""
        file = self._new_file("photos", content, "photo.jpg")
        fields: dict[str, Any] = {"photo": [{**file.info(), "width": 800, "height": 600}]}
        if caption is not None:
            fields["caption"] = caption
        return self.send_update(user, chat_id=chat_id, **profile, **fields)

    def send_update(
        self,
        user: int,
        *,
        chat_id: int | None = None,
        language_code: str | None = None,
        first_name: str | None = None,
        username: str | None = None,
        reply_to: int | None = None,
        **message_fields: Any,
    ) -> int:
        """The user sends a message with arbitrary fields (voice, location, contact, ...).

        ``message_id``, ``date``, ``from`` and ``chat`` are filled in; returns the message_id.
        """
        with self._cond:
            if user in self._blocked and (chat_id is None or chat_id == user):
                self._membership(user, blocked=False)  # writing to the bot unblocks it
            sender = self._profile(user, language_code, first_name, username)
            chat = self._user_chat(user, chat_id)
            message_id = self._next_id(chat["id"])
            message: dict[str, Any] = {
                "message_id": message_id,
                "from": copy.deepcopy(sender),
                "chat": copy.deepcopy(chat),
                "date": int(time.time()),
            }
            if reply_to is not None:
                message["reply_to_message"] = self._reply_copy(chat["id"], reply_to)
            message.update(copy.deepcopy(message_fields))
            self._messages.setdefault(chat["id"], {})[message_id] = _StoredMessage(
                message, from_bot=False
            )
            self._push_update_locked({"message": message})
            return message_id

    def edit_text(
        self, user: int, message_id: int, new_text: str, *, chat_id: int | None = None
    ) -> int:
        """The user edits their own text message; queues ``edited_message``, returns update_id."""
        with self._cond:
            target_chat = user if chat_id is None else chat_id
            stored = self._messages.get(target_chat, {}).get(message_id)
            if stored is None or stored.from_bot or stored.message["from"]["id"] != user:
                raise LookupError(f"user {user} has no message {message_id} in chat {target_chat}")
            message = stored.message
            message["text"] = new_text
            message["edit_date"] = int(time.time())
            message.pop("entities", None)
            if found := command_entities(new_text):
                message["entities"] = found
            return self._push_update_locked({"edited_message": message})

    def press_button(
        self,
        user: int,
        data: str,
        *,
        message_id: int | None = None,
        chat_id: int | None = None,
    ) -> str:
        """The user presses the inline button with ``callback_data == data``.

        Uses the newest bot message in the chat (default: the user's private chat) that has such
        a button, or ``message_id`` if given.  Returns the callback_query id.
        """
        target_chat = user if chat_id is None else chat_id
        with self._cond:
            candidates = [
                stored
                for mid, stored in sorted(self._messages.get(target_chat, {}).items())
                if stored.from_bot
                and not stored.deleted
                and (message_id is None or mid == message_id)
            ]
            for stored in reversed(candidates):
                if data in _callback_data(stored.markup):
                    return self._callback_locked(user, stored, data)
            available = {
                stored.message["message_id"]: _callback_data(stored.markup)
                for stored in candidates
                if _callback_data(stored.markup)
            }
        where = f"message {message_id}" if message_id is not None else f"chat {target_chat}"
        raise LookupError(
            f"no inline button with callback_data {data!r} in {where}; "
            f"buttons by message_id: {available}"
        )

    def forge_callback(
        self, user: int, message_id: int, data: str, *, chat_id: int | None = None
    ) -> str:
        """A callback_query for a bot message with ``data`` that need not be on its keyboard."""
        target_chat = user if chat_id is None else chat_id
        with self._cond:
            stored = self._messages.get(target_chat, {}).get(message_id)
            if stored is None or not stored.from_bot:
                raise LookupError(f"no bot message {message_id} in chat {target_chat}")
            return self._callback_locked(user, stored, data)

    def block_bot(self, user: int) -> int:
        """The user blocks the bot: a ``my_chat_member`` update, then sends answer 403."""
        return self._membership(user, blocked=True)

    def unblock_bot(self, user: int) -> int:
        """The user unblocks (restarts) the bot: a ``my_chat_member`` update back to member."""
        return self._membership(user, blocked=False)

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue any raw update (``update_id`` is assigned); returns the update_id."""
        with self._cond:
            return self._push_update_locked(copy.deepcopy(update))

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Bot messages in the chat, oldest first, with edits applied; deleted ones left out.

        Unlike the Bot API result, ``reply_markup`` is whatever the bot sent last, reply
        keyboards included.
        """
        with self._lock:
            return [
                self._bot_view(stored)
                for _, stored in sorted(self._messages.get(chat_id, {}).items())
                if stored.from_bot and not stored.deleted
            ]

    def wait_for_bot_messages(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Block until the chat has at least ``count`` bot messages; return them all.

        Raises :class:`TimeoutError` listing what did arrive and the failed calls.
        """
        self._wait(
            lambda: self._bot_count(chat_id) >= count,
            timeout,
            lambda: self._timeout_message(chat_id, count, timeout),
        )
        return self.bot_messages(chat_id)

    async def wait_for_bot_messages_async(
        self,
        chat_id: int,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - mirrors wait_for_bot_messages
    ) -> list[dict[str, Any]]:
        """Like :meth:`wait_for_bot_messages`, without blocking the running event loop."""
        deadline = time.monotonic() + timeout
        while self._bot_count(chat_id) < count:
            if time.monotonic() >= deadline:
                with self._lock:
                    raise TimeoutError(self._timeout_message(chat_id, count, timeout))
            await asyncio.sleep(0.02)
        return self.bot_messages(chat_id)

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        """The bot's answerCallbackQuery parameters for that query, or None if unanswered."""
        with self._lock:
            answer = self._callback_answers.get(callback_query_id)
            return copy.deepcopy(answer)

    def commands(
        self, language_code: str | None = None, *, scope: dict[str, Any] | None = None
    ) -> list[dict[str, str]]:
        """The command menu a user with ``language_code`` sees (falls back to the default list)."""
        key = self._scope_key(scope)
        with self._lock:
            if language_code and (key, language_code) in self._commands:
                return copy.deepcopy(self._commands[(key, language_code)])
            return copy.deepcopy(self._commands.get((key, ""), []))

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset or a 2xx webhook answer."""
        with self._lock:
            return copy.deepcopy(self._updates)

    def pending_count(self) -> int:
        """``len(pending_updates())`` without copying them."""
        with self._lock:
            return len(self._updates)

    def user(self, user: int) -> dict[str, Any] | None:
        """The remembered profile (a Telegram User dict) of ``user``."""
        with self._lock:
            return copy.deepcopy(self._users.get(user))

    def make_forum(self, chat_id: int, title: str = "Owners") -> None:
        """Make ``chat_id`` (a supergroup id, ``-10**12`` and below) a forum the bot is in."""
        with self._lock:
            self._chats[chat_id] = {
                "id": chat_id,
                "type": "supergroup",
                "title": title,
                "is_forum": True,
            }
            self._topics.setdefault(chat_id, set())

    def topics(self, chat_id: int) -> set[int]:
        """The open topics (message_thread_id) of a forum."""
        with self._lock:
            return set(self._topics.get(chat_id, set()))

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """A user deletes a forum topic: sends to it fail with "message thread not found"."""
        with self._lock:
            self._topics.get(chat_id, set()).discard(thread_id)

    # ------------------------------------------------------------------ internals: user side

    def _profile(
        self,
        user: int,
        language_code: str | None,
        first_name: str | None,
        username: str | None,
    ) -> dict[str, Any]:
        profile = self._users.get(user)
        if profile is None:
            profile = {
                "id": user,
                "is_bot": False,
                "first_name": first_name or f"User {user}",
                "username": f"user{user}" if username is None else username,
                "language_code": language_code or "id",
            }
            self._users[user] = profile
        else:
            if first_name is not None:
                profile["first_name"] = first_name
            if username is not None:
                profile["username"] = username
            if language_code is not None:
                profile["language_code"] = language_code
        if not profile.get("username"):
            profile.pop("username", None)
        return profile

    def _user_chat(self, user: int, chat_id: int | None) -> dict[str, Any]:
        cid = user if chat_id is None else chat_id
        if cid > 0 and cid != user:
            raise ValueError("a private chat's id is the user's id; use a negative id for groups")
        chat = self._chat(cid)
        self._chats[cid] = chat
        return chat

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            profile = self._users.get(chat_id, {})
            chat: dict[str, Any] = {
                "id": chat_id,
                "type": "private",
                "first_name": profile.get("first_name", f"User {chat_id}"),
            }
            if profile.get("username"):
                chat["username"] = profile["username"]
            return chat
        if chat_id in self._chats:
            return self._chats[chat_id]
        kind = "supergroup" if chat_id <= -(10**12) else "group"
        return {"id": chat_id, "type": kind, "title": f"Test {kind} {chat_id}"}

    def _next_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _push_update_locked(self, payload: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **copy.deepcopy(payload)})
        self._cond.notify_all()
        return update_id

    def _callback_locked(self, user: int, stored: _StoredMessage, data: str) -> str:
        sender = self._profile(user, None, None, None)
        query_id = str(4_000_000_000 + self._next_callback_id)
        self._next_callback_id += 1
        chat_id = stored.message["chat"]["id"]
        query = {
            "id": query_id,
            "from": copy.deepcopy(sender),
            "message": self._api_view(stored),
            "chat_instance": str((chat_id * 7_919 + 104_729) % 10**12),
            "data": data,
        }
        self._callback_queries[query_id] = query
        self._push_update_locked({"callback_query": query})
        return query_id

    def _membership(self, user: int, *, blocked: bool) -> int:
        with self._cond:
            if blocked:
                self._blocked.add(user)
            else:
                self._blocked.discard(user)
            sender = self._profile(user, None, None, None)
            bot = self._bot_user()
            member = {"status": "member", "user": bot}
            kicked = {"status": "kicked", "user": bot, "until_date": 0}
            return self._push_update_locked(
                {
                    "my_chat_member": {
                        "chat": self._user_chat(user, None),
                        "from": copy.deepcopy(sender),
                        "date": int(time.time()),
                        "old_chat_member": member if blocked else kicked,
                        "new_chat_member": kicked if blocked else member,
                    }
                }
            )

    def _reply_copy(self, chat_id: int, message_id: int) -> dict[str, Any]:
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or stored.deleted:
            raise LookupError(f"no message {message_id} in chat {chat_id} to reply to")
        reply = self._api_view(stored)
        reply.pop("reply_to_message", None)
        return reply

    def _api_view(self, stored: _StoredMessage) -> dict[str, Any]:
        message = copy.deepcopy(stored.message)
        if stored.from_bot and (markup := _inline_only(stored.markup)) is not None:
            message["reply_markup"] = copy.deepcopy(markup)
        return message

    def _bot_view(self, stored: _StoredMessage) -> dict[str, Any]:
        message = copy.deepcopy(stored.message)
        if stored.markup is not None:
            message["reply_markup"] = copy.deepcopy(stored.markup)
        return message

    def _bot_count(self, chat_id: int) -> int:
        with self._lock:
            return sum(
                1
                for stored in self._messages.get(chat_id, {}).values()
                if stored.from_bot and not stored.deleted
            )

    def _wait(self, done: Callable[[], bool], timeout: float, why: Callable[[], str]) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not done():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(why())
                self._cond.wait(min(remaining, 0.5))

    def _describe_calls(self, limit: int = 8) -> str:
        recent = [c for c in self._calls if c["method"].lower() != "getupdates"][-limit:]
        if not recent:
            return "none (is the bot running and pointed at this emulator?)"
        return "; ".join(
            f"{c['method']} chat={c['params'].get('chat_id')} "
            + ("ok" if c["ok"] else f"FAILED {c['error_code']} {c['description']}")
            for c in recent
        )

    def _timeout_message(self, chat_id: int, count: int, timeout: float) -> str:
        arrived = [
            f"#{stored.message['message_id']} "
            f"{(stored.message.get('text') or stored.message.get('caption') or '')[:60]!r}"
            for _, stored in sorted(self._messages.get(chat_id, {}).items())
            if stored.from_bot and not stored.deleted
        ]
        polls = sum(1 for c in self._calls if c["method"].lower() == "getupdates")
        return (
            f"expected {count} bot message(s) in chat {chat_id} within {timeout}s, "
            f"got {len(arrived)}: {arrived or 'none'}; pending updates: {len(self._updates)}; "
            f"getUpdates calls: {polls}; recent calls: {self._describe_calls()}"
        )

    def _new_file(self, folder: str, content: bytes, name: str | None, **extra: Any) -> _File:
        with self._lock:
            number = len(self._files) + 1
            suffix = name.rsplit(".", 1)[-1] if name and "." in name else "bin"
            file = _File(
                file_id=f"EMU{folder[:3].upper()}{number:06d}",
                file_unique_id=f"U{number:06d}",
                file_path=f"{folder}/file_{number}.{suffix}",
                content=content,
                name=name,
                extra=extra,
            )
            self._files[file.file_id] = file
            return file

    def _file_content(self, token: str, file_path: str) -> bytes | None:
        if not _TOKEN_RE.match(token):
            return None
        with self._lock:
            for file in self._files.values():
                if file.file_path == file_path and file.source is None:
                    return file.content
        return None

    # ------------------------------------------------------------------ internals: Bot API

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self._bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _handle_api(
        self, token: str, method: str, params: dict[str, Any], files: dict[str, _Upload]
    ) -> tuple[int, dict[str, Any]]:
        started = (time.time(), time.monotonic())
        with self._lock:
            self._arrivals[method.lower()] = started[1]
        match = _TOKEN_RE.match(token)
        if match is None:
            error = ApiError(401, "Unauthorized")
            self._log(method, params, files, started, error=error)
            return 401, error.payload()
        handler = getattr(self, f"_api_{method.lower()}", None)
        media = _MEDIA_METHODS.get(method.lower())
        fault = self._take_fault(method, params)
        processed = False
        result: Any = None
        try:
            if fault is not None and not fault.process_first:
                if fault.delay > 0 and self._stopped.wait(fault.delay):
                    raise ApiError(502, "Bad Gateway")
                if (error := fault.error()) is not None:
                    raise error
            if handler is None and media is None:
                raise ApiError(404, "Not Found: method not found")
            bot_id = int(match.group(1))
            self._check_flood(bot_id, method, params)
            with self._lock:
                self._bot_id = bot_id
            if media is not None:
                result = self._send_media(media, params, files)
            else:
                result = handler(params, files)  # type: ignore[misc]
            if fault is not None and fault.process_first:
                processed = True
                if fault.delay > 0:
                    self._stopped.wait(fault.delay)
                if (error := fault.error()) is not None:
                    raise error
        except ApiError as error:
            self._log(
                method, params, files, started, error=error, result=result, processed=processed
            )
            return error.error_code, error.payload()
        except Exception as error:  # a bug here must not kill the thread
            failure = ApiError(500, f"Internal Server Error: emulator bug: {error!r}")
            self._log(method, params, files, started, error=failure)
            return 500, failure.payload()
        self._log(method, params, files, started, result=result, processed=processed)
        return 200, {"ok": True, "result": result}

    def _check_flood(self, bot_id: int, method: str, params: dict[str, Any]) -> None:
        """Raise a 429 :class:`FloodError` for a send/edit over a limit; else count the call."""
        global_per_s, chat_per_s = self._limits
        if not (global_per_s or chat_per_s) or not method.lower().startswith(_FLOODED_PREFIXES):
            return
        try:
            chat: int | None = int(params.get("chat_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            chat = None  # an inline message, or a bad chat_id (the method answers 400)
        limits: list[tuple[tuple[int, ...], float]] = []
        if global_per_s > 0:
            limits.append(((bot_id,), global_per_s))
        if chat_per_s > 0 and chat is not None:
            limits.append(((bot_id, chat), chat_per_s))
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, rate in limits:
                window, allowed = _flood_window(rate)
                stamps = self._flood_windows.setdefault(key, deque())
                while stamps and stamps[0] <= now - window:
                    stamps.popleft()
                if len(stamps) >= allowed:
                    waits.append(stamps[0] + window - now)
            if waits:
                self._flood_count += 1
                retry_after = max(1, math.ceil(max(waits)))
                raise FloodError(
                    429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
                )
            for key, _ in limits:
                self._flood_windows[key].append(now)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, params):
                    fault.remaining -= 1
                    fault.hits += 1
                    return fault
        return None

    def _log(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, _Upload],
        started: tuple[float, float],
        *,
        result: Any = None,
        error: ApiError | None = None,
        processed: bool = False,
    ) -> None:
        logged = copy.deepcopy(params)
        for name, upload in files.items():
            logged[name] = {
                "file_name": upload.name,
                "mime_type": upload.mime_type,
                "file_size": len(upload.content),
                "sha256": hashlib.sha256(upload.content).hexdigest(),
            }
        entry: dict[str, Any] = {
            "method": method,
            "params": logged,
            "time": started[0],
            "monotonic": started[1],
            "answered": time.monotonic(),
            "ok": error is None,
        }
        if error is None or processed:
            entry["result"] = copy.deepcopy(result)
        if error is not None:
            entry["error_code"] = error.error_code
            entry["description"] = error.description
            if isinstance(error, FloodError):
                entry["flood"] = True
        if processed:
            entry["processed"] = True
        with self._cond:
            self._calls.append(entry)
            if len(self._calls) > MAX_CALLS:
                del self._calls[: len(self._calls) - MAX_CALLS]
            self._cond.notify_all()

    @staticmethod
    def _scope_key(scope: Any) -> str:
        scope = _maybe_json(scope) if scope is not None else {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise _bad("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True)

    def _target_chat(self, params: dict[str, Any]) -> int:
        if params.get("chat_id") in (None, ""):
            raise _bad("chat_id is empty")
        raw = params["chat_id"]
        if isinstance(raw, str) and raw.startswith("@"):
            raise _bad("chat not found")
        chat_id = _to_int(raw, "chat_id")
        if chat_id in self._blocked:
            raise ApiError(403, _BLOCKED)
        return chat_id

    def _stored(self, params: dict[str, Any], missing: str) -> _StoredMessage:
        if params.get("inline_message_id"):
            raise _bad("inline messages are not supported by the emulator")
        chat_id = self._target_chat(params)
        if params.get("message_id") in (None, ""):
            raise _bad("message identifier is not specified")
        message_id = _to_int(params["message_id"], "message_id")
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or stored.deleted:
            raise _bad(missing)
        return stored

    def _formatted(
        self, params: dict[str, Any], key: str, entities_key: str, limit: int, what: str
    ) -> tuple[str, list[dict[str, Any]]]:
        raw = params.get(key)
        text = "" if raw is None else str(raw)
        entities = _maybe_json(params.get(entities_key)) or []
        parse_mode = str(params.get("parse_mode") or "")
        if parse_mode.lower() == "html" and not entities:
            try:
                text, entities = parse_html(text)
            except EntityParseError as error:
                raise ApiError(400, str(error)) from None
        if not text.strip():
            if what == "caption":
                return "", []
            raise _bad("message text is empty")
        if utf16_len(text) > limit:
            raise _bad("message is too long" if what == "text" else "message caption is too long")
        return text, entities

    def _new_bot_message(
        self, chat_id: int, params: dict[str, Any], fields: dict[str, Any]
    ) -> dict[str, Any]:
        markup = _normalise_markup(params.get("reply_markup"))
        message_id = self._next_id(chat_id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self._bot_user(),
            "chat": copy.deepcopy(self._chat(chat_id)),
            "date": int(time.time()),
        }
        reply_to = self._reply_target(chat_id, params)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        thread = params.get("message_thread_id")
        if thread not in (None, "") and chat_id in self._topics:
            thread = _to_int(thread, "message_thread_id")
            if thread not in self._topics[chat_id]:
                raise _bad("message thread not found")
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        message.update(fields)
        stored = _StoredMessage(message, from_bot=True, markup=markup)
        self._messages.setdefault(chat_id, {})[message_id] = stored
        self._cond.notify_all()
        return self._api_view(stored)

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = _maybe_json(params.get("reply_parameters"))
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            target = reply.get("message_id")
            allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
        else:
            target = params.get("reply_to_message_id")
        if target in (None, ""):
            return None
        try:
            return self._reply_copy(chat_id, _to_int(target, "reply_to_message_id"))
        except LookupError:
            if allow_missing:
                return None
            raise _bad("message to be replied not found") from None

    # Each _api_<method> runs with parsed params and returns the JSON "result".

    def _api_getme(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_getupdates(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        offset = _to_int(params.get("offset") or 0, "offset")
        limit = min(max(_to_int(params.get("limit") or 100, "limit"), 1), 100)
        try:
            timeout = float(params.get("timeout") or 0)
        except (TypeError, ValueError):
            raise _bad("invalid timeout specified") from None
        timeout = min(max(timeout, 0.0), self.max_poll_timeout)
        allowed = _maybe_json(params.get("allowed_updates"))
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._webhook is not None:
                raise ApiError(409, _WEBHOOK_ACTIVE)
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()  # an older long poll ends with 409, as on Telegram
            if isinstance(allowed, list):
                self._allowed_updates = allowed or None
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            while True:
                if self._allowed_updates is not None:
                    self._updates = [
                        u for u in self._updates if _update_type(u) in self._allowed_updates
                    ]
                if self._updates or self._stopped.is_set():
                    return copy.deepcopy(self._updates[:limit])
                if self._webhook is not None:
                    raise ApiError(409, _WEBHOOK_ACTIVE)
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that "
                        "only one bot instance is running",
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(remaining)

    def _api_setwebhook(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        url = str(params.get("url") or "").strip()
        if not url:  # Telegram: an empty url removes the webhook
            return self._api_deletewebhook(params, files)
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise _bad("bad webhook: invalid webhook URL specified")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.match(str(secret)):
            raise _bad("secret token contains unallowed characters")
        allowed = _maybe_json(params.get("allowed_updates"))
        if allowed is not None and not isinstance(allowed, list):
            raise _bad("can't parse allowed_updates JSON array")
        max_connections = _to_int(params.get("max_connections") or 40, "max_connections")
        if not 1 <= max_connections <= 100:
            raise _bad("bad webhook: max_connections must be between 1 and 100")
        with self._cond:
            if _truthy(params.get("drop_pending_updates")):
                self._updates.clear()
            if isinstance(allowed, list):
                self._allowed_updates = allowed or None
            if self._webhook is None or self._webhook["url"] != url:
                self._webhook_error = None
            self._webhook = {
                "url": url,
                "secret_token": None if secret is None else str(secret),
                "allowed_updates": allowed,
                "max_connections": max_connections,
                "ip_address": params.get("ip_address"),
            }
            self._cond.notify_all()  # a waiting getUpdates ends with 409, deliveries start
        return True

    def _api_deletewebhook(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            if _truthy(params.get("drop_pending_updates")):
                self._updates.clear()
            self._webhook = None
            self._webhook_error = None
            self._cond.notify_all()
        return True

    def _api_getwebhookinfo(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._lock:
            info: dict[str, Any] = {
                "url": self._webhook["url"] if self._webhook else "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self._webhook is not None:
                info["max_connections"] = self._webhook["max_connections"]
                if self._webhook["allowed_updates"] is not None:
                    info["allowed_updates"] = list(self._webhook["allowed_updates"])
                if self._webhook["ip_address"]:
                    info["ip_address"] = self._webhook["ip_address"]
            if self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    # ------------------------------------------------------------------ internals: webhook

    def _next_delivery(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Wait for a webhook and a pending update; None once the emulator stops."""
        with self._cond:
            while not self._stopped.is_set():
                if self._webhook is not None:
                    if self._allowed_updates is not None:
                        self._updates = [
                            u for u in self._updates if _update_type(u) in self._allowed_updates
                        ]
                    if self._updates:
                        return dict(self._webhook), copy.deepcopy(self._updates[0])
                self._cond.wait(0.5)
        return None

    def _deliver_webhooks(self) -> None:
        """POST pending updates to the webhook one at a time, in order, until each gets a 2xx."""
        backoff = WEBHOOK_MIN_BACKOFF
        while (job := self._next_delivery()) is not None:
            hook, update = job
            status, error = self._post_update(hook, update)
            delivered = status is not None and 200 <= status < 300
            with self._cond:
                self._deliveries.append(
                    {
                        "update_id": update["update_id"],
                        "url": hook["url"],
                        "status": status,
                        "error": error,
                        "secret_sent": hook["secret_token"] is not None,
                        "time": time.time(),
                        "monotonic": time.monotonic(),
                    }
                )
                if len(self._deliveries) > MAX_CALLS:
                    del self._deliveries[: len(self._deliveries) - MAX_CALLS]
                if delivered:  # only a 2xx confirms an update
                    self._updates = [
                        u for u in self._updates if u["update_id"] != update["update_id"]
                    ]
                elif self._webhook is not None and self._webhook["url"] == hook["url"]:
                    message = error or f"Wrong response from the webhook: {status}"
                    self._webhook_error = (int(time.time()), message)
                self._cond.notify_all()
            if delivered:
                backoff = WEBHOOK_MIN_BACKOFF
                continue
            if self._stopped.wait(backoff):
                return
            backoff = min(backoff * 2, WEBHOOK_MAX_BACKOFF)

    def _post_update(
        self, hook: dict[str, Any], update: dict[str, Any]
    ) -> tuple[int | None, str | None]:
        parts = urlsplit(hook["url"])
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(
            parts.hostname or HOST, parts.port, timeout=self.webhook_timeout
        )
        headers = {"Content-Type": "application/json"}
        if hook["secret_token"] is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        body = json.dumps(update, ensure_ascii=False).encode("utf-8")
        with self._lock:
            self._webhook_connection = connection
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, None
        except (OSError, http.client.HTTPException) as error:
            return None, f"Connection failed: {error!r}"
        except Exception as error:  # a bug here must not end the deliveries
            return None, f"Emulator error: {error!r}"
        finally:
            with self._lock:
                self._webhook_connection = None
            connection.close()

    def _api_setmycommands(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        commands = _maybe_json(params.get("commands"))
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("commands must be an array of at most 100 BotCommand")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.match(
                str(command.get("command", ""))
            ):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        with self._lock:
            self._commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        return True

    def _api_getmycommands(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        with self._lock:
            return copy.deepcopy(self._commands.get(key, []))

    def _api_deletemycommands(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        with self._lock:
            self._commands.pop(key, None)
        return True

    def _set_bot_text(self, kind: str, params: dict[str, Any], limit: int) -> Any:
        value = str(params.get(kind) or "")
        if len(value) > limit:
            raise _bad(f"{kind} is too long")
        with self._lock:
            self._bot_texts[(kind, str(params.get("language_code") or ""))] = value
        return True

    def _get_bot_text(self, kind: str, params: dict[str, Any]) -> Any:
        with self._lock:
            value = self._bot_texts.get((kind, str(params.get("language_code") or "")), "")
        return {kind: value}

    def _api_setmydescription(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        return self._set_bot_text("description", params, 512)

    def _api_getmydescription(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        return self._get_bot_text("description", params)

    def _api_setmyshortdescription(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        return self._set_bot_text("short_description", params, 120)

    def _api_getmyshortdescription(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        return self._get_bot_text("short_description", params)

    def _api_setmyname(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        return self._set_bot_text("name", params, 64)

    def _api_setchatmenubutton(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        return True

    def _api_getchat(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._lock:
            chat_id = self._target_chat(params)
            chat = copy.deepcopy(self._chat(chat_id))
        chat.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        return chat

    def _api_sendmessage(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            chat_id = self._target_chat(params)
            text, entities = self._formatted(params, "text", "entities", MAX_TEXT, "text")
            fields: dict[str, Any] = {"text": text}
            if entities:
                fields["entities"] = entities
            return self._new_bot_message(chat_id, params, fields)

    def _send_media(
        self, media: tuple[str, str], params: dict[str, Any], files: dict[str, _Upload]
    ) -> Any:
        kind, default_mime = media
        with self._cond:
            chat_id = self._target_chat(params)
            caption, entities = self._formatted(
                params, "caption", "caption_entities", MAX_CAPTION, "caption"
            )
            file = self._media_file(kind, default_mime, params, files)
            info = file.info()
            if kind == "photo":
                value: Any = [{**info, "width": 320, "height": 320}]
            elif kind == "sticker":
                value = {
                    **info,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            else:
                value = {**info, "mime_type": file.mime_type or default_mime}
                if file.name:
                    value["file_name"] = file.name
                if kind in {"audio", "voice", "video", "animation"}:
                    value["duration"] = _to_int(params.get("duration") or 1, "duration")
                if kind in {"video", "animation"}:
                    value["width"] = _to_int(params.get("width") or 320, "width")
                    value["height"] = _to_int(params.get("height") or 240, "height")
            fields: dict[str, Any] = {kind: value}
            if caption and kind != "sticker":
                fields["caption"] = caption
                if entities:
                    fields["caption_entities"] = entities
            return self._new_bot_message(chat_id, params, fields)

    def _media_file(
        self, kind: str, default_mime: str, params: dict[str, Any], files: dict[str, _Upload]
    ) -> _File:
        value = params.get(kind)
        upload = files.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is not None:
            file = self._new_file(f"{kind}s", upload.content, upload.name)
            file.mime_type = upload.mime_type or default_mime
            return file
        if not value:
            raise _bad(f"there is no {kind} in the request")
        value = str(value)
        if value in self._files:
            return self._files[value]
        if value.startswith(("http://", "https://")):
            file = self._new_file(f"{kind}s", b"", value.rsplit("/", 1)[-1] or None)
            file.source = value
            return file
        raise _bad("wrong file identifier/HTTP URL specified")

    def _api_getfile(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        file_id = str(params.get("file_id") or "")
        with self._lock:
            file = self._files.get(file_id)
            if file is None:
                raise _bad("invalid file_id")
            return {**file.info(), "file_path": file.file_path}

    def _api_editmessagetext(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            stored = self._stored(params, "message to edit not found")
            text, entities = self._formatted(params, "text", "entities", MAX_TEXT, "text")
            if "text" not in stored.message:
                raise _bad("there is no text in the message to edit")
            return self._edit(stored, params, {"text": text, "entities": entities})

    def _api_editmessagecaption(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            stored = self._stored(params, "message to edit not found")
            caption, entities = self._formatted(
                params, "caption", "caption_entities", MAX_CAPTION, "caption"
            )
            if "text" in stored.message:
                raise _bad("there is no caption in the message to edit")
            return self._edit(stored, params, {"caption": caption, "caption_entities": entities})

    def _api_editmessagereplymarkup(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            stored = self._stored(params, "message to edit not found")
            return self._edit(stored, params, {})

    def _edit(self, stored: _StoredMessage, params: dict[str, Any], content: dict[str, Any]) -> Any:
        if not stored.from_bot:
            raise _bad("message can't be edited")
        markup = _inline_only(_normalise_markup(params.get("reply_markup")))
        old_markup = _inline_only(stored.markup)
        message = stored.message
        unchanged = all(message.get(key) == (value or None) for key, value in content.items())
        if unchanged and markup == old_markup:
            raise _bad(_NOT_MODIFIED[len("Bad Request: ") :])
        for key, value in content.items():
            if value:
                message[key] = value
            else:
                message.pop(key, None)
        if markup is not None or old_markup is not None:  # a left-out inline keyboard goes
            stored.markup = markup
        message["edit_date"] = int(time.time())
        self._cond.notify_all()
        return self._api_view(stored)

    def _api_deletemessage(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            stored = self._stored(params, "message to delete not found")
            stored.deleted = True
            self._cond.notify_all()
        return True

    def _api_answercallbackquery(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        text = params.get("text")
        with self._lock:
            if query_id not in self._callback_queries or query_id in self._callback_answers:
                raise _bad("query is too old and response timeout expired or query ID is invalid")
            if text is not None and len(str(text)) > 200:
                raise _bad("MESSAGE_TOO_LONG")
            self._callback_answers[query_id] = {
                "text": text,
                "show_alert": bool(params.get("show_alert", False)),
                "url": params.get("url"),
                "cache_time": params.get("cache_time"),
            }
        return True

    def _api_createforumtopic(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            chat_id = self._target_chat(params)
            if chat_id not in self._topics:
                raise _bad("the chat is not a forum")
            name = str(params.get("name") or "")
            if not 1 <= len(name) <= 128:
                raise _bad("TOPIC_NAME_INVALID")
            thread = self._next_id(chat_id)  # the topic's id is its creation message's
            self._topics[chat_id].add(thread)
            return {"message_thread_id": thread, "name": name, "icon_color": 7322096}

    def _api_copymessage(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            chat_id = self._target_chat(params)
            source_chat = _to_int(params.get("from_chat_id"), "from_chat_id")
            source = self._messages.get(source_chat, {}).get(
                _to_int(params.get("message_id"), "message_id")
            )
            if source is None or source.deleted:
                raise _bad("message to copy not found")
            content = {
                key: copy.deepcopy(value)
                for key, value in source.message.items()
                if key
                not in {"message_id", "from", "chat", "date", "reply_to_message", "edit_date"}
                and key not in {"message_thread_id", "is_topic_message", "reply_markup"}
            }
            if params.get("caption") is not None:
                caption, entities = self._formatted(
                    params, "caption", "caption_entities", MAX_CAPTION, "caption"
                )
                if "text" in content:
                    raise _bad("a text message has no caption")
                content["caption"] = caption
                content.pop("caption_entities", None)
                if entities:
                    content["caption_entities"] = entities
            message = self._new_bot_message(chat_id, params, content)
            return {"message_id": message["message_id"]}

    def _api_sendlocation(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._cond:
            chat_id = self._target_chat(params)
            try:
                location = {
                    "latitude": float(params["latitude"]),
                    "longitude": float(params["longitude"]),
                }
            except (KeyError, TypeError, ValueError):
                raise _bad("wrong latitude or longitude") from None
            return self._new_bot_message(chat_id, params, {"location": location})

    def _api_sendchataction(self, params: dict[str, Any], files: dict[str, _Upload]) -> Any:
        with self._lock:
            self._target_chat(params)
        if not params.get("action"):
            raise _bad("wrong parameter action in request")
        return True


def _iter_lines(emulator: BotApiEmulator) -> Iterator[str]:
    yield f"Telegram Bot API emulator on {emulator.base_url}<token>/<method>"
    yield f"  PTB: Application.builder().token('123456:TEST').base_url('{emulator.base_url}')"
    yield "  user side: type 'USER_ID text' (e.g. '1001 /start'), 'press USER_ID DATA', 'quit'"


def main(argv: list[str] | None = None) -> int:
    """Run the emulator in the foreground with a tiny line-based user console on stdin."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--username", default="akrab_test_bot")
    parser.add_argument("--verbose", action="store_true", help="log every HTTP request")
    args = parser.parse_args(argv)
    emulator = BotApiEmulator(args.port, bot_username=args.username, verbose=args.verbose)
    with emulator:
        for line in _iter_lines(emulator):
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
        seen: dict[int, int] = {}
        watcher_stop = threading.Event()

        def watch() -> None:
            while not watcher_stop.wait(0.2):
                with emulator._lock:
                    chats = list(emulator._messages)
                for chat_id in chats:
                    messages = emulator.bot_messages(chat_id)
                    for message in messages[seen.get(chat_id, 0) :]:
                        buttons = _callback_data(message.get("reply_markup"))
                        text = message.get("text") or message.get("caption") or ""
                        extra = f"  [buttons: {', '.join(buttons)}]" if buttons else ""
                        sys.stdout.write(f"bot -> {chat_id}: {text}{extra}\n")
                    seen[chat_id] = len(messages)
                sys.stdout.flush()

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            for line in sys.stdin:
                command = line.strip()
                if command in {"quit", "exit"}:
                    break
                try:
                    if command.startswith("press "):
                        _, user, data = command.split(maxsplit=2)
                        emulator.press_button(int(user), data)
                    elif command:
                        user, text = command.split(maxsplit=1)
                        emulator.send_text(int(user), text)
                except (ValueError, LookupError) as error:
                    sys.stdout.write(f"error: {error}\n")
            else:
                while True:  # stdin closed (e.g. run in the background): serve until Ctrl-C
                    time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            watcher_stop.set()
            watcher.join()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
