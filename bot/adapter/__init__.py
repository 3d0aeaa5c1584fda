"""Telegram plumbing that is not a handler: the bot object, updates to plain values, callback
data, the command table, polling and webhook into the inbox, the offline request layer."""
