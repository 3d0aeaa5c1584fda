"""The `akrab demo` driver: simulated customers through the real Application, hour by hour.

Every customer message, command and button press is a Telegram update handed to the real inbox
worker (`InboxWorker.receive`, then `drain`), so recording, sentiment, replies and the journal
run exactly as under `akrab run`; only Telegram's network (`OfflineTelegram`) and the clock are
simulated. Each simulated hour's updates go in as one batch, as a polling receiver hands them
over. What customers do in answer to the bot (press a rating button, answer an outreach message)
is decided after each batch from what the bot actually sent. The pieces that other parts of the
console provide (outreach, the owner's inbox, campaigns, the report) are called through
bot/cli/demo_hooks.py.
"""

from __future__ import annotations

import heapq
import itertools
import random
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from tqdm import tqdm

from bot.adapter import db
from bot.adapter.offline import OfflineTelegram, buttons, user
from bot.app import build_application, post_init
from bot.cli import demo_hooks
from bot.cli.demo_people import Customer, Event, choose_button, make_customers
from bot.cli.demo_texts import classify, owner_reply, say
from bot.cli.demo_world import DemoStats, SimClock, World, sticker
from bot.config import Settings
from bot.services import ces_runs
from bot.services.dispatch import rules_from
from scoring.outreach_rules import in_quiet_hours

OWNER = -1  # the owner's "customer index" in the event queue
INVITE_CODE = re.compile(r"start=ref_([A-Za-z0-9]+)")
CAMPAIGN_DAYS_BEFORE_END = 10
# How often the owner answers a relayed message, by what it looks like (see demo_texts.classify).
OWNER_ANSWERS = {"complaint": 0.6, "question": 0.2, "positive": 0.0}


class Simulation:
    def __init__(self, world: World, *, start: datetime, days: int, seed: int) -> None:
        self.world, self.start, self.days = world, start, days
        self.rng = random.Random(seed + 1)  # reactions; the plans use their own generator
        self.queue: list[tuple[datetime, int, int, Event]] = []
        self.order = itertools.count()
        self.seen: dict[int, int] = {}  # chat -> bot messages already looked at
        self.purchases: list[tuple[int, dict[str, str]]] = []
        self.rules = rules_from(world.settings)
        for customer in world.customers:
            for event in customer.events:
                self.push(event.at, customer.index, event)

    def push(self, at: datetime, who: int, event: Event) -> None:
        heapq.heappush(self.queue, (at, next(self.order), who, event))

    # -- one simulated hour ---------------------------------------------------------------------
    async def hour(self, end: datetime) -> None:
        world, telegram = self.world, self.world.telegram
        updates: list[dict[str, Any]] = []
        chats: set[int] = set()
        while self.queue and self.queue[0][0] < end:
            at, _, who, event = heapq.heappop(self.queue)
            world.clock.now = max(world.clock.now, at)
            update = self.update_for(who, event)
            if update is not None:
                updates.append(update)
                chats.add(world.owner["id"] if who == OWNER else world.customers[who].telegram_id)
        await world.feed(updates)
        world.clock.now = end
        self.react(sorted(chats), prompted=True)
        # Outreach runs in the hours it may send (nothing goes out in QUIET_HOURS, and what the
        # planners would plan then is planned at the first allowed hour just the same).
        if not in_quiet_hours(end, self.rules) and await demo_hooks.run_outreach(world, end):
            world.stats.outreach_hours += 1
        self.react(sorted(telegram.sent), prompted=False)

    def update_for(self, who: int, event: Event) -> dict[str, Any] | None:
        telegram, stats = self.world.telegram, self.world.stats
        if who == OWNER:
            message_id, _, text = event.value.partition("|")
            message = telegram.sent[self.world.owner["id"]][int(message_id)]
            stats.owner_replies += 1
            return telegram.message_update(self.world.owner, text=text, reply_to_message=message)
        customer = self.world.customers[who]
        person = self.person(customer)
        if event.kind == "buy":
            line = len(self.purchases) + 1
            amount = f"{int(event.value):,}".replace(",", ".")  # 150.000, as shops write it
            row = {
                "customer": str(customer.telegram_id),
                "amount": amount,
                "time": event.at.isoformat(),
            }
            self.purchases.append((line, row))
            return None
        if event.kind == "press":
            message_id, _, data = event.value.partition("|")
            stored = telegram.sent.get(customer.telegram_id, {}).get(int(message_id))
            if stored is None:
                return None
            stats.presses += 1
            return telegram.callback_update(person, stored, data)
        if event.kind == "sticker":
            return telegram.message_update(person, sticker=sticker(event.value))
        if event.kind == "photo":
            photo = [{"file_id": "demo", "file_unique_id": "demo", "width": 640, "height": 480}]
            return telegram.message_update(person, photo=photo, caption=event.value)
        text = event.value
        if text == "/start" and customer.referrer is not None:
            code = self.invite_code(self.world.customers[customer.referrer])
            text = f"/start ref_{code}" if code else text
        return telegram.message_update(person, text=text)

    def person(self, customer: Customer) -> dict[str, Any]:
        return user(
            customer.telegram_id,
            customer.first_name,
            language_code=customer.lang,
            username=customer.username,
        )

    def invite_code(self, inviter: Customer) -> str | None:
        """The referral code from the link the bot sent the inviter (their /invite answer)."""
        for message in self.world.telegram.bot_messages(inviter.telegram_id):
            found = INVITE_CODE.search(message.get("text") or "")
            if found:
                return found[1]
        return None

    # -- answering what the bot sent ------------------------------------------------------------
    def react(self, chats: list[int], *, prompted: bool) -> None:
        """Look at the bot's new messages in `chats`: customers press rating buttons and answer
        unprompted messages (outreach, the owner's replies); the owner answers relayed messages."""
        telegram, now = self.world.telegram, self.world.clock.now
        by_chat = {c.telegram_id: c for c in self.world.customers}
        for chat in chats:
            stored, seen = telegram.sent.get(chat, {}), self.seen.get(chat, 0)
            if len(stored) == seen:
                continue
            self.seen[chat] = len(stored)
            for message in list(stored.values())[seen:]:
                if chat == self.world.owner["id"]:
                    self.owner_answers(message, now)
                elif chat in by_chat:
                    self.customer_answers(by_chat[chat], message, now, prompted=prompted)

    def customer_answers(
        self, customer: Customer, message: dict[str, Any], now: datetime, *, prompted: bool
    ) -> None:
        rng, persona = self.rng, customer.persona
        data = choose_button(buttons(message), customer, now, rng)
        later = now + timedelta(minutes=rng.randint(2, 50))
        if data is not None:
            if rng.random() < (0.95 if prompted else persona.answers):
                self.push(
                    later, customer.index, Event(later, "press", f"{message['message_id']}|{data}")
                )
        elif not prompted and rng.random() < persona.answers:
            mood = "cold" if persona.drift and rng.random() < 0.6 else "reply"
            self.push(later, customer.index, Event(later, "text", say(customer.lang, mood, rng)))
            self.world.stats.answers += 1

    def owner_answers(self, message: dict[str, Any], now: datetime) -> None:
        if not demo_hooks.is_relayed_message(self.world, message):
            return
        kind = classify(message.get("text") or message.get("caption") or "")
        if self.rng.random() > OWNER_ANSWERS[kind]:
            return
        later = now + timedelta(minutes=self.rng.randint(5, 110))
        text = owner_reply(kind, self.rng)
        self.push(later, OWNER, Event(later, "owner_reply", f"{message['message_id']}|{text}"))

    # -- the day's end: purchases and scoring ---------------------------------------------------
    async def end_of_day(self, now: datetime) -> None:
        world = self.world
        rows, self.purchases = self.purchases, []
        if rows:
            added, errors = await demo_hooks.record_purchases(world, rows, now)
            world.stats.purchases += added
            world.stats.purchase_errors += errors
        settings = world.settings
        await db.run(
            world.engine,
            ces_runs.score_all,
            world.engine,
            settings.ces_config,
            now=now,
            timezone=settings.timezone,
            retention_days=settings.score_retention_days,
        )
        world.app.bot_data.pending_refresh.clear()  # just scored, every one of them
        world.stats.score_runs += 1

    async def run(self, progress: bool) -> None:
        world, zone = self.world, self.world.settings.tz
        hours = self.days * 24
        campaign_day = max(0, self.days - CAMPAIGN_DAYS_BEFORE_END)
        with tqdm(total=hours, unit="h", desc="akrab demo", disable=not progress) as bar:
            for h in range(hours):
                end = self.start + timedelta(hours=h + 1)
                await self.hour(end)
                local = end.astimezone(zone)
                if h // 24 == campaign_day and local.hour == 10 and world.stats.campaign is None:
                    world.stats.campaign = await demo_hooks.start_campaign(world, end) or "-"
                if local.hour == 0 or h == hours - 1:
                    await self.end_of_day(end)
                    bar.set_postfix(updates=world.stats.updates, refresh=False)
                bar.update(1)


async def simulate(
    settings: Settings,
    engine: Engine,
    *,
    customers: int,
    days: int,
    seed: int,
    end: datetime,
    owner_id: int,
    progress: bool = False,
    on_world: Callable[[World], Any] | None = None,
) -> World:
    """Run the whole simulation on `engine` (a fresh, migrated database); returns the world."""
    start = end - timedelta(days=days)
    clock = SimClock(start)
    telegram = OfflineTelegram(clock=lambda: clock.now.timestamp())
    app = build_application(
        settings, engine=engine, request=telegram, clock=clock, rate_limit=False
    )
    people = make_customers(
        customers, start=start, days=days, zone=settings.tz, rng=random.Random(seed)
    )
    stats = DemoStats(customers=len(people))
    for person in people:
        stats.personas[person.persona.name] = stats.personas.get(person.persona.name, 0) + 1
    owner = user(owner_id, "Pemilik", language_code="id", username="pemilik_toko")
    world = World(app, telegram, engine, settings, clock, owner, people, stats)
    async with app:
        await post_init(app)
        telegram.calls.clear()
        await Simulation(world, start=start, days=days, seed=seed).run(progress)
        if on_world is not None:
            await on_world(world)
    return world
