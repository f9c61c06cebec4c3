"""Barker's desktop client (PySide6/QML). It talks only to the REST API and the websocket stream."""
