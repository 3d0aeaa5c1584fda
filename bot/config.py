"""Settings read once from the environment and `.env`, validated, then passed down.

Every field is documented in `.env.example`; the README's configuration table lists them too.
How one setting's text is parsed and checked is `bot.config_values`.
"""

from __future__ import annotations

import zoneinfo
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.config_values import (
    check_timezone,
    http_url,
    parse_duration,
    parse_owner_ids,
    parse_pairs,
    parse_time_range,
    templates_path,
    webhook_secret,
)
from bot.texts import templates_file as outreach_templates
from scoring.ces_config import CesConfig, CesConfigError
from scoring.holiday_keys import parse_greetings

DEFAULT_DATABASE_URL = "sqlite:///akrab.db"


class Settings(BaseSettings):
    """Akrab's configuration; one instance is built at start-up by `load_settings`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    owner_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    database_url: str = DEFAULT_DATABASE_URL
    timezone: str = "Asia/Jakarta"
    default_language: Literal["id", "en"] = "id"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    ces_weights: str | None = None  # "frequency=0.25,recency=0.2,..." (see README)
    ces_settings: str | None = None  # "monetary_target=500000,advocate_min=75" (see README)
    score_retention_days: int = Field(default=365, ge=14)
    # The durable inbox (README, "Nothing lost").
    inbox_retention: timedelta = timedelta(days=7)
    inbox_lease: timedelta = timedelta(seconds=15)
    inbox_parallel: int = Field(default=16, ge=1, le=256)
    # Webhook mode (`akrab run --webhook`).
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # Scheduled outreach (README, "Scheduled messages").
    shop_name: str = Field(default="Toko Kami", min_length=1, max_length=64)
    csat_idle: timedelta = timedelta(hours=2)
    complaint_followup: timedelta = timedelta(days=1)
    # A message at or below this polarity (-1..1) is a complaint (README, "Complaints").
    complaint_polarity: float = Field(default=-0.5, ge=-1.0, le=0.0)
    greeting_holidays: str | None = None  # holiday keys, comma separated (README); None: default
    at_risk_cooldown: timedelta = timedelta(days=30)
    at_risk_daily_cap: int = Field(default=20, ge=0, le=100_000)
    at_risk_incentive: str | None = Field(default=None, max_length=500)
    quiet_hours: tuple[time, time] | None = (time(21, 0), time(8, 0))
    outreach_daily_cap: int = Field(default=1, ge=0, le=100)
    outreach_weekly_cap: int = Field(default=3, ge=0, le=100)
    outreach_rate: float = Field(default=25.0, gt=0, le=30)
    response_window: timedelta = timedelta(hours=72)
    templates_file: Path | None = None
    # The owner console.
    owner_chat_id: int | None = None  # a forum supergroup: one topic per customer
    unanswered_after: timedelta = timedelta(hours=2)
    opening_hours: tuple[time, time] = (time(8, 0), time(21, 0))

    @field_validator(
        "inbox_retention",
        "inbox_lease",
        "csat_idle",
        "complaint_followup",
        "at_risk_cooldown",
        "response_window",
        "unanswered_after",
        mode="before",
    )
    @classmethod
    def _parse_duration(cls, value: object) -> object:
        return parse_duration(value) if isinstance(value, str) else value

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _parse_quiet_hours(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().lower() in {"", "off", "none"}:
                return None
            return parse_time_range(value)
        return value

    @field_validator("opening_hours", mode="before")
    @classmethod
    def _parse_opening_hours(cls, value: object) -> object:
        return parse_time_range(value) if isinstance(value, str) else value

    @field_validator("at_risk_incentive", "greeting_holidays", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("templates_file", mode="before")
    @classmethod
    def _check_templates_file(cls, value: object) -> object:
        return templates_path(value)

    @field_validator("greeting_holidays")
    @classmethod
    def _check_greeting_holidays(cls, value: str | None) -> str | None:
        parse_greetings(value)  # UnknownHoliday (a ValueError) lists the valid keys
        return value

    @field_validator("templates_file")
    @classmethod
    def _load_templates(cls, value: Path | None) -> Path | None:
        outreach_templates.load(value)  # TemplateError names the bad kind, language or placeholder
        return value

    @field_validator("inbox_lease")
    @classmethod
    def _check_lease(cls, value: timedelta) -> timedelta:
        if value < timedelta(seconds=5):
            raise ValueError("must be at least 5s")
        return value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _check_webhook_url(cls, value: object) -> object:
        return http_url(value, "must be the public https URL Telegram posts updates to")

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _check_secret(cls, value: object) -> object:
        return webhook_secret(value)

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_base_url", mode="before")
    @classmethod
    def _check_base_url(cls, value: object) -> object:
        url = http_url(value, "must be an http(s) URL such as http://127.0.0.1:9000/bot")
        return url.rstrip("/") if url else None

    @field_validator("owner_ids", mode="before")
    @classmethod
    def _parse_owner_ids(cls, value: object) -> object:
        return parse_owner_ids(value) if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be a SQLAlchemy URL such as sqlite:///akrab.db")
        return value

    @field_validator("ces_weights", "ces_settings")
    @classmethod
    def _check_pairs(cls, value: str | None) -> str | None:
        if value is not None and value.strip():
            parse_pairs(value)
        return value or None

    @model_validator(mode="after")
    def _check_ces(self) -> Settings:
        self.ces_config  # noqa: B018  (raises CesConfigError for bad weights or thresholds)
        return self

    @property
    def ces_config(self) -> CesConfig:
        """The CES configuration from CES_WEIGHTS and CES_SETTINGS over the defaults."""
        data: dict[str, object] = dict(parse_pairs(self.ces_settings or ""))
        if self.ces_weights:
            data["weights"] = parse_pairs(self.ces_weights)
        try:
            return CesConfig.from_mapping(data)
        except CesConfigError as exc:
            raise ValueError(str(exc)) from None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def greetings(self) -> frozenset[str]:
        """The holiday keys that get a greeting (GREETING_HOLIDAYS, or the default)."""
        return parse_greetings(self.greeting_holidays)

    @property
    def templates(self) -> outreach_templates.Templates:
        """The outreach templates: built-in, with TEMPLATES_FILE laid over them."""
        return outreach_templates.load(self.templates_file)


class SettingsError(Exception):
    """A setting has a bad value; `str()` is one line naming the variable and the problem."""


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment and `.env`, turning validation errors into one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "CES_WEIGHTS/CES_SETTINGS"
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{name}: {message}")
        raise SettingsError("invalid setting " + "; ".join(problems)) from None
