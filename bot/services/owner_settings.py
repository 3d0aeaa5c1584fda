"""/settings: what the shop has configured, in the owner's language.

Only behaviour is shown (weights, thresholds, quiet and opening hours, caps, greetings, where
the console lives, the timezone); never the bot token, the webhook secret or the database URL
(which may hold a password).
"""

from __future__ import annotations

from datetime import time, timedelta

from bot.config import Settings
from bot.services.customer_report import amount, number
from bot.texts import t

UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def duration(value: timedelta) -> str:
    """A timedelta as the settings write it: 90s, 30m, 2h, 1d (the largest whole unit)."""
    seconds = int(value.total_seconds())
    for unit, size in UNITS:
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{value.total_seconds():g}s"


def decimal(lang: str, value: float) -> str:
    """A weight as set (0.25, 0.2, 1), with the language's decimal mark."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "id" else text


def hours(span: tuple[time, time]) -> str:
    return f"{span[0]:%H:%M}–{span[1]:%H:%M}"


def settings_text(settings: Settings, lang: str) -> str:
    """Every line of /settings."""
    cfg = settings.ces_config
    default = t(lang, "console_default")
    weights = ", ".join(
        f"{name} {decimal(lang, weight)}" for name, weight in cfg.weights.as_dict().items()
    )
    if settings.ces_weights is None:
        weights += f" ({default})"
    if settings.owner_chat_id is None:
        owner_chat = t(lang, "console_private_chats")
    else:
        owner_chat = t(lang, "console_forum_group", chat=settings.owner_chat_id)
    quiet = hours(settings.quiet_hours) if settings.quiet_hours else t(lang, "console_off")
    values: list[tuple[str, dict[str, object]]] = [
        ("weights", {"value": weights}),
        (
            "thresholds",
            {
                "advocate": number(lang, cfg.advocate_min),
                "potential": number(lang, cfg.potential_min),
                "target": amount(lang, round(cfg.monetary_target)),
            },
        ),
        ("quiet", {"value": quiet}),
        ("opening", {"value": hours(settings.opening_hours)}),
        (
            "caps",
            {
                "daily": settings.outreach_daily_cap,
                "weekly": settings.outreach_weekly_cap,
                "at_risk": settings.at_risk_daily_cap,
                "cooldown": duration(settings.at_risk_cooldown),
            },
        ),
        (
            "timing",
            {
                "csat": duration(settings.csat_idle),
                "followup": duration(settings.complaint_followup),
                "unanswered": duration(settings.unanswered_after),
            },
        ),
        ("greetings", {"value": settings.greeting_holidays or default}),
        (
            "templates",
            {"value": settings.templates_file.name if settings.templates_file else default},
        ),
        ("owner_chat", {"value": owner_chat}),
        ("timezone", {"value": settings.timezone}),
        ("language", {"value": settings.default_language}),
        ("owners", {"value": ", ".join(str(i) for i in sorted(settings.owner_ids))}),
    ]
    lines = [t(lang, "console_settings_title", shop=settings.shop_name)]
    lines.extend(t(lang, f"console_settings_{key}", **fields) for key, fields in values)
    return "\n".join(lines)
