"""Every handler, registered in one explicit order by `register`."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.adapter.commands import CUSTOMER_COMMANDS, OWNER_COMMANDS
from bot.context import AkrabContext
from bot.handlers import (
    buttons,
    direct,
    fallback,
    feedback,
    forget,
    membership,
    profile,
    recording,
)
from bot.handlers.owner import OWNER_CALLBACKS
from bot.handlers.owner import campaign as owner_campaign
from bot.handlers.owner import help as owner_help
from bot.handlers.owner import relay as owner_relay
from bot.handlers.owner import replies as owner_replies

shortcut = recording.shortcut  # the inbox worker's way past the handlers (most messages)
AtReceipt = recording.AtReceipt  # ... and in the inbox commit itself (bot/adapter/receipt.py)
answer = direct.answer  # the answer to a message recorded either way

Callback = Callable[[Update, AkrabContext], Coroutine[Any, Any, None]]

# Which function answers each customer command of the table in bot/adapter/commands.py.
CUSTOMER_CALLBACKS: dict[str, Callback] = {
    "start": profile.start,
    "help": profile.help_command,
    "feedback": feedback.feedback_command,
    "rate": feedback.ask_csat,
    "nps": feedback.ask_nps,
    "invite": profile.invite,
    "birthday": profile.birthday,
    "lang": profile.set_language,
    "stop": profile.stop,
    "forget": forget.forget,
}


def register(application: Application[Any, AkrabContext, Any, Any, Any, Any]) -> None:
    """Add every handler in order; the first matching handler of a group wins."""
    # Group -1: record every private-chat update once; duplicates and edits stop here.
    application.add_handler(TypeHandler(Update, recording.record_update), group=-1)

    # Group 0, owner commands first, behind the owner gate: to anyone not in OWNER_IDS they
    # do not match, so they fall through to the unknown-command answer below.
    new_messages = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    owners = filters.User(user_id=application.bot_data.settings.owner_ids)
    # Group -2, before recording: an owner's message that a campaign draft waits for (its
    # variant text) is taken there and stops; any other owner message goes on.
    application.add_handler(
        MessageHandler(
            new_messages & private & owners & ~filters.COMMAND, owner_campaign.owner_text
        ),
        group=-2,
    )
    for command in OWNER_COMMANDS:
        callback = OWNER_CALLBACKS[command.name]
        application.add_handler(
            CommandHandler(command.name, callback, filters=new_messages & owners)
        )
    # An owner's other commands (customers' ones included) are not theirs: say so. In the
    # owners' group (OWNER_CHAT_ID), an owner's message may answer a customer (forum topics).
    owner_chat_id = application.bot_data.settings.owner_chat_id
    console = private | filters.Chat(owner_chat_id) if owner_chat_id is not None else private
    application.add_handler(
        MessageHandler(
            new_messages & owners & console & filters.COMMAND, owner_help.owner_unknown_command
        )
    )
    if owner_chat_id is not None:
        application.add_handler(
            MessageHandler(
                new_messages & owners & filters.Chat(owner_chat_id) & ~filters.COMMAND,
                owner_replies.owner_message,
            )
        )

    # Group 0, customer commands from the command table. Edits are recorded, never answered.
    for command in CUSTOMER_COMMANDS:
        # /start also answers in groups (to point to the private chat); the rest are private.
        where = new_messages if command.name == "start" else new_messages & private
        callback = CUSTOMER_CALLBACKS[command.name]
        application.add_handler(CommandHandler(command.name, callback, filters=where))

    # Group 0, buttons: one handler per action; anything else is refused.
    for action, pressed in buttons.ACTION_HANDLERS.items():
        application.add_handler(
            CallbackQueryHandler(buttons.guarded(pressed), pattern=buttons.pattern(action))
        )
    application.add_handler(CallbackQueryHandler(buttons.refuse))

    # Group 0, the rest: membership changes, unknown commands, any other message.
    application.add_handler(
        ChatMemberHandler(membership.membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(
        MessageHandler(new_messages & private & filters.COMMAND, fallback.unknown_command)
    )
    application.add_handler(
        MessageHandler(new_messages & private & ~filters.COMMAND, fallback.any_message)
    )

    # Group 1, after the customer's own answer: the live inbox relays the message to the owners.
    application.add_handler(
        MessageHandler(new_messages & private & ~owners, owner_relay.relay_message), group=1
    )
