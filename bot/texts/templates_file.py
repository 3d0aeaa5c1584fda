"""The owner's outreach templates (`TEMPLATES_FILE`, TOML or YAML) over the built-in ones.

The file maps a kind to its languages, e.g. (TOML)::

    [birthday]
    id = "Met ultah, kak {name}! 🎂 Dari {shop}"
    en = "Happy birthday, {name}! 🎂 From {shop}"

Any kind or language left out keeps the built-in text. An unknown kind, language or
placeholder raises TemplateError naming it; `bot.config` turns that into one start-up line.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.texts.outreach import PLACEHOLDERS, TEXTS

LANGS = ("id", "en")


class TemplateError(ValueError):
    """A templates file that cannot be used; `str()` is one line naming the problem."""


@dataclass(frozen=True)
class Templates:
    """Outreach templates by kind and language (built-ins, then the owner's file over them)."""

    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def template(self, kind: str, lang: str) -> str:
        variants = self.texts[kind]
        return variants.get(lang) or variants["en"]

    def render(self, kind: str, lang: str, **values: object) -> str:
        """The text of `kind` in `lang` with `values` filled in (an empty name reads well)."""
        text = self.template(kind, lang).format(**values)
        text = re.sub(r"[ \t]+([,!.?])", r"\1", text)
        return re.sub(r"[ \t]{2,}", " ", text).strip()


def builtin() -> Templates:
    return Templates({kind: dict(TEXTS[f"outreach_{kind}"]) for kind in PLACEHOLDERS})


def fields_of(template: str) -> set[str]:
    """The placeholder names in a format string; TemplateError when it is malformed."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"bad braces ({exc})") from None
    names = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(f"unknown placeholder {{{name}}}")
        names.add(name)
    return names


def validate(data: object, source: str) -> Templates:
    """Check a parsed templates mapping and lay it over the built-in templates."""
    if not isinstance(data, Mapping):
        raise TemplateError(f"{source}: expected a table of kinds (e.g. [birthday])")
    merged = {kind: dict(variants) for kind, variants in builtin().texts.items()}
    for kind, variants in data.items():
        if kind not in PLACEHOLDERS:
            raise TemplateError(
                f"{source}: unknown kind {kind!r} (valid: {', '.join(PLACEHOLDERS)})"
            )
        if not isinstance(variants, Mapping):
            raise TemplateError(f"{source}: {kind}: expected languages id and/or en")
        for lang, text in variants.items():
            if lang not in LANGS:
                raise TemplateError(f"{source}: {kind}: unknown language {lang!r} (id, en)")
            if not isinstance(text, str) or not text.strip():
                raise TemplateError(f"{source}: {kind}.{lang}: expected a non-empty text")
            try:
                unknown = sorted(fields_of(text) - PLACEHOLDERS[kind])
            except TemplateError as exc:
                raise TemplateError(f"{source}: {kind}.{lang}: {exc}") from None
            if unknown:
                allowed = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS[kind]))
                raise TemplateError(
                    f"{source}: {kind}.{lang}: unknown placeholder {{{unknown[0]}}}"
                    f" (allowed: {allowed})"
                )
            merged[kind][lang] = text
    return Templates(merged)


def parse(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        first = (str(exc).splitlines() or ["unreadable"])[0]
        raise TemplateError(f"{path.name}: not valid {path.suffix[1:].upper()}: {first}") from None


@lru_cache(maxsize=8)
def _load(path: Path) -> Templates:
    try:
        data = parse(path)
    except OSError as exc:
        raise TemplateError(f"cannot read {path}: {exc.strerror}") from None
    return validate(data, path.name)


def load(path: Path | None) -> Templates:
    """The templates in force: the built-ins, with the owner's file (if any) laid over them.
    The file is read once (at start-up, when the settings are checked); edits take effect at
    the next start, so a running bot never meets a broken file."""
    return builtin() if path is None else _load(path.resolve())
