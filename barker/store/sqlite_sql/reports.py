"""The statements of the SQLite store's reports part."""

from __future__ import annotations

_COLUMNS = "id, reporter, target, bark_ids, reason, text, state, note, resolved_by"
INSERT_REPORT = "INSERT INTO reports (id, reporter, target, bark_ids, reason, text) VALUES (?, ?, ?, ?, ?, ?)"
REPORT = f"SELECT {_COLUMNS} FROM reports WHERE id = ?"
REPORTS_BY = f"SELECT {_COLUMNS} FROM reports WHERE reporter = ? AND id < ? ORDER BY id DESC LIMIT ?"
REPORTS_ALL = f"SELECT {_COLUMNS} FROM reports WHERE id < ? ORDER BY id DESC LIMIT ?"
REPORTS_IN_STATE = f"SELECT {_COLUMNS} FROM reports WHERE state = ? AND id < ? ORDER BY id DESC LIMIT ?"
# Only an open report closes: closing twice does not overwrite the first moderator's decision.
CLOSE_REPORT = "UPDATE reports SET state = ?, note = ?, resolved_by = ? WHERE id = ? AND state = 'open'"
