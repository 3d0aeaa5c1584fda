"""Message entities for the Bot API emulator: UTF-16 lengths and ``parse_mode="HTML"``.

Telegram measures entity offsets and lengths in UTF-16 code units and, for ``parse_mode="HTML"``,
strips the tags from the text and reports them as entities.  This module does the same for the
tag subset the Bot API documents, and fails with Telegram's wording ("can't parse entities: ...")
on anything else, so that a bot which forgets to escape ``<`` or uses ``<br>`` fails in tests
the way it would fail in production.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

__all__ = ["EntityParseError", "command_entities", "parse_html", "utf16_len"]

_SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_SUPPORTED_TAGS = {*_SIMPLE_TAGS, "a", "span", "blockquote", "tg-emoji"}


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's description."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """A ``bot_command`` entity for a text starting with ``/`` (up to the first whitespace)."""
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0] if text.strip() else text
    if len(command) < 2:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


class _TelegramHtml(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self._line_starts.append(index + 1)
        self.parts: list[str] = []
        self.length = 0  # UTF-16 units emitted so far
        self.stack: list[tuple[str, dict[str, Any] | None, int]] = []
        self.entities: list[dict[str, Any]] = []

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        index = self._line_starts[line - 1] + column
        return len(self._source[:index].encode("utf-8"))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += utf16_len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag not in _SUPPORTED_TAGS:
            raise EntityParseError(
                f"Bad Request: can't parse entities: Unsupported start tag "
                f'"{tag}" at byte offset {self._byte_offset()}'
            )
        entity: dict[str, Any] | None
        if tag in _SIMPLE_TAGS:
            entity = {"type": _SIMPLE_TAGS[tag]}
        elif tag == "a":
            href = attributes.get("href", "")
            entity = {"type": "text_link", "url": href} if href else None
        elif tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise EntityParseError(
                    'Bad Request: can\'t parse entities: Tag "span" must have class '
                    f'"tg-spoiler" at byte offset {self._byte_offset()}'
                )
            entity = {"type": "spoiler"}
        elif tag == "blockquote":
            expandable = "expandable" in attributes
            entity = {"type": "expandable_blockquote" if expandable else "blockquote"}
        else:  # tg-emoji
            entity = {"type": "custom_emoji", "custom_emoji_id": attributes.get("emoji-id", "")}
        if tag == "code" and self.stack and self.stack[-1][0] == "pre":
            language = attributes.get("class", "")
            parent = self.stack[-1][1]
            if parent is not None and language.startswith("language-"):
                parent["language"] = language.removeprefix("language-")
            entity = None
        self.stack.append((tag, entity, self.length))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            raise EntityParseError(
                "Bad Request: can't parse entities: Unexpected end tag at byte offset "
                f"{self._byte_offset()}"
            )
        open_tag, entity, start = self.stack.pop()
        if open_tag != tag:
            raise EntityParseError(
                "Bad Request: can't parse entities: Unmatched end tag at byte offset "
                f'{self._byte_offset()}, expected "</{open_tag}>", found "</{tag}>"'
            )
        if entity is not None and self.length > start:
            self.entities.append({**entity, "offset": start, "length": self.length - start})

    def finish(self) -> tuple[str, list[dict[str, Any]]]:
        self.close()
        if self.stack:
            raise EntityParseError(
                "Bad Request: can't parse entities: Can't find end tag corresponding to start "
                f'tag "{self.stack[-1][0]}"'
            )
        self.entities.sort(key=lambda item: (item["offset"], -item["length"]))
        return "".join(self.parts), self.entities


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Strip Telegram HTML from ``text``; return the plain text and its entities.

    Raises :class:`EntityParseError` with Telegram's description for unsupported or unbalanced
    tags.
    """
    if "<" not in text and "&" not in text:
        return text, []
    if "<" not in text:
        return html.unescape(text), []
    parser = _TelegramHtml(text)
    parser.feed(text)
    return parser.finish()
