"""Widgets of the facilitator console."""
