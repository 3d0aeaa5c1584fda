"""The owner report: every figure against a hand-built shop (real database, fixed clock), its
text in both languages, the chart, the empty shop, and /report behind the owner gate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.config import Settings
from bot.services.report import build_report
from bot.services.report_format import integer, pct, signed
from bot.services.report_text import TELEGRAM_LIMIT, render_report
from bot.services.report_types import PeriodError, parse_period
from bot.texts import t
from storage.db import session_scope
from tests.auxil.harness import BotHarness
from tests.auxil.shop import Shop

NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)  # 12:00 in Jakarta
D, H = timedelta(days=1), timedelta(hours=1)


def build_shop(engine: Engine) -> None:
    """Five customers (and one erased) over two 7-day periods; see the expected figures below."""
    shop = Shop(engine)
    ani = shop.customer("Ani", NOW - 21 * D, segment="advocate", ces=80.0)
    ani.birthday_day, ani.birthday_month = 22, 11
    budi = shop.customer("Budi", NOW - 4 * D, segment="at_risk", ces=30.0, declining=True)
    citra = shop.customer("Citra", NOW - 12 * D, segment="potential", ces=50.0)
    citra.birthday_day, citra.birthday_month = 21, 11
    shop.customer("Dedi", NOW - 6 * D, erased_at=NOW - D, telegram_id=None, username=None)
    eko = shop.customer("Eko", NOW - 50 * D, segment="at_risk", ces=20.0, blocked=True)
    fani = shop.customer("Fani", NOW - 2 * D)  # never scored
    # Messages: this period (from NOW - 7d) and the previous one.
    shop.message(ani, NOW - D, "makasih kak, barangnya bagus", polarity=0.8)
    shop.message(ani, NOW - 23 * H, "Sama-sama kak", direction="out", sent_by=99)
    shop.message(ani, NOW - 10 * D, "ok", polarity=0.0)
    shop.message(budi, NOW - 3 * H, "pesanan saya belum sampai", polarity=-0.6)
    shop.message(citra, NOW - 9 * D, "kecewa", polarity=-0.4)
    shop.message(eko, NOW - 5 * H, "halo min", polarity=0.0)
    shop.message(eko, NOW - 4 * H, "halo kak", direction="out", sent_by=99)
    shop.message(fani, NOW - 2 * D, "/start", kind="command")
    shop.message(fani, NOW - 2 * D, "Halo!", direction="out")  # the bot's own answer
    # Ratings: CSAT 5 (answering a rating request) and 2 now, 4 before; NPS 10, 9, 8, 3.
    shop.outreach(ani, "rating", NOW - 2 * D, telegram_message_id=500, responded=NOW - 2 * D)
    shop.outreach(eko, "rating", NOW - 3 * D, telegram_message_id=600)
    shop.rating(ani, "csat", 5, NOW - 2 * D + H, prompt=500)
    shop.rating(budi, "csat", 2, NOW - D, prompt=77)
    shop.rating(citra, "csat", 4, NOW - 9 * D, prompt=78)
    for who, score in ((ani, 10), (eko, 9), (fani, 8), (budi, 3)):
        shop.rating(who, "nps", score, NOW - D, prompt=90)
    # Outreach: birthdays 1 of 4 answered, a campaign 1 of 2; not counted: planned, too old.
    for i, who in enumerate((ani, citra, eko, fani)):
        shop.outreach(who, "birthday", NOW - 3 * D, responded=NOW - 2 * D if i == 0 else None)
    shop.outreach(citra, "birthday", None, status="planned")
    shop.outreach(citra, "birthday", NOW - 10 * D, responded=NOW - 10 * D)
    campaign = shop.campaign("at_risk", NOW - 2 * D)
    shop.outreach(budi, "campaign", NOW - D, campaign=campaign, variant="A", responded=NOW - H)
    shop.outreach(eko, "campaign", NOW - D, campaign=campaign, variant="B")
    # Two scoring runs: 8 days ago (before the period) and yesterday.
    for at, values in (
        (NOW - 8 * D, ((ani, 75, "advocate"), (budi, 60, "potential"), (citra, 50, "potential"),
                       (eko, 25, "at_risk"))),
        (NOW - D, ((ani, 80, "advocate"), (budi, 30, "at_risk"), (citra, 50, "potential"),
                   (eko, 20, "at_risk"))),
    ):  # fmt: skip
        for who, ces, segment in values:
            shop.snapshot(who, at, ces, segment)
    shop.commit()


@pytest.fixture
def shop_engine(engine: Engine) -> Engine:
    build_shop(engine)
    return engine


def report_of(engine: Engine, settings: Settings, period: str = "7d", now: datetime = NOW):
    with session_scope(engine) as session:
        return build_report(session, settings, period=period, now=now)


def test_report_counts_customers_activity_and_ces(shop_engine: Engine, settings: Settings) -> None:
    r = report_of(shop_engine, settings)
    assert (r.customers, r.days, r.start, r.end) == (5, 7, NOW - 7 * D, NOW)
    assert (r.active.now, r.active.before, r.active.delta) == (4, 2, 2)
    assert (r.new.now, r.new.before) == (2, 1)
    assert r.segments == {"advocate": 1, "at_risk": 2, "potential": 1}
    assert r.declining == 1
    assert r.ces.now == pytest.approx(45.0)
    assert r.ces.before == pytest.approx(52.5)
    assert r.moves_since == NOW - 8 * D
    assert [(m.before, m.after, m.customers) for m in r.moves] == [("potential", "at_risk", 1)]


def test_report_sentiment_ratings_and_nps(shop_engine: Engine, settings: Settings) -> None:
    r = report_of(shop_engine, settings)
    assert r.sentiment == {"positive": 1, "neutral": 1, "negative": 1}
    assert r.sentiment_before == {"positive": 0, "neutral": 1, "negative": 1}
    assert r.polarity.now == pytest.approx(0.2 / 3)
    assert r.polarity.before == pytest.approx(-0.2)
    g = r.ratings
    assert (g.csat.now, g.csat.before, g.csat_answers) == (3.5, 4.0, 2)
    assert (g.requests, g.answered, g.response_rate) == (2, 1, 50.0)
    assert (g.nps_answers, g.promoters, g.detractors, g.nps) == (4, 2, 1, 25.0)


def test_report_engagement_by_kind_and_campaign(shop_engine: Engine, settings: Settings) -> None:
    r = report_of(shop_engine, settings)
    rates = {e.kind: (e.sent, e.responded, e.rate) for e in r.engagement}
    assert rates == {
        "birthday": (4, 1, 25.0),
        "campaign": (2, 1, 50.0),
        "rating": (2, 1, 50.0),
    }
    [campaign] = r.campaigns
    assert (campaign.kind, campaign.sent, campaign.responded, campaign.rate) == (
        "at_risk",
        2,
        1,
        50.0,
    )


def test_report_contact_today_lists(shop_engine: Engine, settings: Settings) -> None:
    r = report_of(shop_engine, settings)
    # Eko is at risk too, but blocked the bot: nobody can reach him.
    assert [c.who.name for c in r.contact] == ["Budi"]
    assert r.contact_total == 1
    budi = r.contact[0]
    assert (budi.declining, budi.drop) == (True, pytest.approx(30.0))
    assert budi.reasons  # what drives his score, as `akrab customer` explains it
    # Budi's complaint has waited 3 hours; Ani and Eko were answered by an owner, Fani only
    # sent a command, Citra's message is older than the week.
    assert [(w.who.name, w.since, w.text) for w in r.unanswered] == [
        ("Budi", NOW - 3 * H, "pesanan saya belum sampai")
    ]
    assert r.unanswered_total == 1
    assert [b.name for b in r.birthdays] == ["Ani"]
    assert r.birthdays_total == 1


def test_birthdays_follow_the_shop_time_zone(shop_engine: Engine, settings: Settings) -> None:
    # 21 Nov 18:00 UTC is already 22 Nov 01:00 in Jakarta: Ani's day, not Citra's.
    r = report_of(shop_engine, settings, now=datetime(2026, 11, 21, 18, 0, tzinfo=UTC))
    assert [b.name for b in r.birthdays] == ["Ani"]
    r = report_of(shop_engine, settings, now=datetime(2026, 11, 21, 16, 0, tzinfo=UTC))
    assert [b.name for b in r.birthdays] == ["Citra"]


def test_report_chart_series(shop_engine: Engine, settings: Settings) -> None:
    r = report_of(shop_engine, settings)
    assert r.histogram == {
        "advocate": [0] * 8 + [1, 0],
        "potential": [0] * 5 + [1] + [0] * 4,
        "at_risk": [0, 0, 1, 1] + [0] * 6,
    }
    assert r.segment_history == [
        (NOW - 8 * D, {"advocate": 1, "potential": 2, "at_risk": 1}),
        (NOW - D, {"advocate": 1, "potential": 1, "at_risk": 2}),
    ]
    assert r.sentiment_weeks == [
        {"positive": 0, "neutral": 0, "negative": 0},
        {"positive": 0, "neutral": 0, "negative": 0},
        {"positive": 0, "neutral": 1, "negative": 1},
        {"positive": 1, "neutral": 1, "negative": 1},
    ]


def test_report_30d_reaches_the_older_messages(shop_engine: Engine, settings: Settings) -> None:
    r = report_of(shop_engine, settings, "30d")
    assert (r.days, r.active.now, r.active.before, r.new.now) == (30, 5, 0, 4)
    assert r.sentiment == {"positive": 1, "neutral": 2, "negative": 2}
    assert r.moves_since == NOW - 8 * D  # no run before the period: its first run
    assert len(r.sentiment_weeks) == 5


EXPECTED = {
    "id": [
        "📊 Laporan 7 hari terakhir, Toko Kami\n15 Nov 2026 – 22 Nov 2026",
        "👥 Pelanggan: 5\n• aktif: 4 (+2 dari periode sebelumnya)\n"
        "• baru: 2 (+1 dari periode sebelumnya)",
        "⭐ CES rata-rata: 45,0 (−7,5 sejak 14 Nov 2026)\n"
        "• pendukung setia 1 · potensial 1 · berisiko pergi 2\n• menurun: 1\n"
        "• pindah segmen sejak 14 Nov 2026: potensial → berisiko pergi 1",
        "💬 Sentimen (3 pesan): 😊 33,3% · 😐 33,3% · 😞 33,3%\n"
        "• tren: membaik 📈 (−0,20 → +0,07)\n🌟 CSAT: 3,5/5 dari 2 rating (−0,5)\n"
        "• dijawab 50,0% (1 dari 2 permintaan rating)\n"
        "📣 NPS: +25 (4 jawaban: 2 promotor, 1 detraktor)",
        "📬 Respons pesan otomatis:\n• ucapan ulang tahun: 25,0% (1/4)\n"
        "• kampanye: 50,0% (1/2)\n• permintaan rating: 50,0% (1/2)\n"
        "• kampanye #1 (berisiko pergi): 50,0% (1/2)",
        "📞 Hubungi hari ini:\n• Budi (@budi): CES turun 30,0 poin jadi 30,0; ",
        "⏳ Belum dibalas (1):\n• Budi, 3 jam: “pesanan saya belum sampai”",
        "🎂 Ulang tahun hari ini: Ani",
    ],
    "en": [
        "📊 The last 7 days at Toko Kami\n15 Nov 2026 – 22 Nov 2026",
        "👥 Customers: 5\n• active: 4 (+2 vs the period before)\n"
        "• new: 2 (+1 vs the period before)",
        "⭐ Average CES: 45.0 (−7.5 since 14 Nov 2026)\n"
        "• advocate 1 · potential 1 · at risk 2\n• declining: 1\n"
        "• moved since 14 Nov 2026: potential → at risk 1",
        "💬 Sentiment (3 messages): 😊 33.3% · 😐 33.3% · 😞 33.3%\n"
        "• trend: improving 📈 (−0.20 → +0.07)\n🌟 CSAT: 3.5/5 from 2 rating(s) (−0.5)\n"
        "• response rate 50.0% (1 of 2 rating requests)\n"
        "📣 NPS: +25 (4 answer(s): 2 promoter(s), 1 detractor(s))",
        "📬 Responses to automated messages:\n• birthday greetings: 25.0% (1/4)\n"
        "• campaigns: 50.0% (1/2)\n• rating requests: 50.0% (1/2)\n"
        "• campaign #1 (at risk): 50.0% (1/2)",
        "📞 Contact today:\n• Budi (@budi): CES down 30.0 points to 30.0; ",
        "⏳ Waiting for a reply (1):\n• Budi, 3 h: “pesanan saya belum sampai”",
        "🎂 Birthdays today: Ani",
    ],
}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_text_shows_every_figure(shop_engine: Engine, settings: Settings, lang: str) -> None:
    text = render_report(
        report_of(shop_engine, settings), lang=lang, shop="Toko Kami", timezone=settings.tz
    )
    for part in EXPECTED[lang]:
        assert part in text, part
    assert "Dedi" not in text
    assert "Eko" not in text.split(t(lang, "rep_contact"))[1]


@pytest.mark.parametrize(
    ("lang", "n", "rate", "delta", "expected"),
    [
        ("id", 1234567, 12.5, -3, ("1.234.567", "12,5%", "−3")),
        ("en", 1234567, 12.5, 3, ("1,234,567", "12.5%", "+3")),
        ("id", 0, None, 0, ("0", "–", "±0")),
    ],
)
def test_numbers_are_written_the_languages_way(lang, n, rate, delta, expected) -> None:
    assert (integer(lang, n), pct(lang, rate), signed(lang, delta)) == expected


def test_report_text_fits_one_telegram_message(settings: Settings, sqlite_engine: Engine) -> None:
    shop = Shop(sqlite_engine)
    for i in range(60):  # many long names in every list
        who = shop.customer(f"Pelanggan-{'x' * 40}-{i}", NOW - 30 * D, segment="at_risk", ces=10.0)
        who.birthday_day, who.birthday_month = 22, 11
        shop.message(who, NOW - 5 * H, "tolong dibalas ya kak " * 10, polarity=0.0)
    shop.commit()
    report = report_of(sqlite_engine, settings)
    assert report.contact_total == report.unanswered_total == report.birthdays_total == 60
    text = render_report(report, lang="id", shop="Toko Kami", timezone=settings.tz)
    assert len(text.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT
    assert "…dan 5" in text  # the lists were cut, and say how many more there are


def test_empty_shop_gets_a_friendly_report(sqlite_engine: Engine, settings: Settings) -> None:
    r = report_of(sqlite_engine, settings)
    assert r.empty
    assert (r.customers, r.ratings.nps, r.ratings.response_rate, r.ces.now) == (0, None, None, None)
    for lang in ("id", "en"):
        text = render_report(r, lang=lang, shop="Toko Kami", timezone=settings.tz)
        assert text.endswith(t(lang, "rep_empty"))


@pytest.mark.parametrize(
    ("text", "expected"), [(None, "7d"), ("30d", "30d"), ("90D", "90d"), (" 7d ", "7d")]
)
def test_parse_period(text: str | None, expected: str) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["14d", "7", "week", ""])
def test_parse_period_refuses_anything_else(text: str) -> None:
    if text == "":
        assert parse_period(text) == "7d"
        return
    with pytest.raises(PeriodError):
        parse_period(text)


OWNER, STRANGER = 99, 501


@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        harness.user(OWNER, language_code="en")
        yield harness


async def test_owner_report_sends_the_text_and_one_photo(bot: BotHarness) -> None:
    await bot.send(STRANGER, "/start")
    await bot.send(STRANGER, "barangnya bagus banget")
    bot.clock.advance(hours=1)
    await bot.send(OWNER, "/report")
    [text] = [  # the live inbox relays the customer's words too: the report is the rest
        c["text"]
        for c in bot.calls("sendMessage")
        if c["chat_id"] == OWNER and c["text"].startswith("📊")
    ]
    assert "👥 Customers: 1" in text
    assert "• active: 1" in text
    [photo] = bot.calls("sendPhoto")
    assert photo["chat_id"] == OWNER
    assert photo["caption"] == t("en", "rep_chart_caption", days=28)


async def test_owner_report_with_a_bad_period_answers_usage(bot: BotHarness) -> None:
    await bot.send(OWNER, "/report 14d")
    assert bot.last_text(OWNER) == t("en", "rep_usage")
    await bot.send(OWNER, "/report 7d 30d")
    assert bot.last_text(OWNER) == t("en", "rep_usage")
    assert bot.calls("sendPhoto") == []


async def test_empty_shop_report_has_no_chart(bot: BotHarness) -> None:
    await bot.send(OWNER, "/report 30d")
    assert bot.last_text(OWNER).endswith(t("en", "rep_empty"))
    assert bot.calls("sendPhoto") == []


async def test_non_owner_report_is_an_unknown_command(bot: BotHarness) -> None:
    await bot.send(STRANGER, "/start")
    await bot.send(STRANGER, "/report")
    assert bot.last_text(STRANGER) == t("id", "unknown_command", command="/report")
    assert bot.calls("sendPhoto") == []


def test_29_february_birthdays_are_on_the_28th_in_other_years(
    sqlite_engine: Engine, settings: Settings
) -> None:
    shop = Shop(sqlite_engine)
    leap = shop.customer("Lia", datetime(2026, 1, 1, tzinfo=UTC))
    leap.birthday_day, leap.birthday_month = 29, 2
    shop.commit()

    def listed(day: datetime) -> list[str]:
        return [b.name for b in report_of(sqlite_engine, settings, now=day).birthdays]

    assert listed(datetime(2027, 2, 28, 5, tzinfo=UTC)) == ["Lia"]
    assert listed(datetime(2028, 2, 28, 5, tzinfo=UTC)) == []  # 2028 has a 29th
    assert listed(datetime(2028, 2, 29, 5, tzinfo=UTC)) == ["Lia"]
