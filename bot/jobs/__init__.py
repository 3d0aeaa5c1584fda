"""Scheduled callbacks: thin, each calling a service off the event loop."""
