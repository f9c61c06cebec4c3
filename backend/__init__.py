"""Barker's HTTP + websocket service: the only database client."""
