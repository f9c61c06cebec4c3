"""The ArangoDB store's reports part. A base of ArangoStore (barker/store/arango.py); semantics are the
SQLite store's (barker/store/sqlite_reports.py). Reports are keyed by their id."""

from __future__ import annotations

from typing import Any

from barker.ids import MAX_ID
from barker.ports.reports import NewReport, ReportInfo
from barker.store.arango_base import ArangoBase, transactional
from barker.store.arango_support import key


def _report(row: dict[str, Any]) -> ReportInfo:
    return ReportInfo(int(row["id"]), int(row["reporter"]), int(row["target"]),
                      tuple(int(b) for b in row["bark_ids"]), row["reason"], row["text"], row["state"],
                      row["note"], row["resolved_by"])


class ArangoReports(ArangoBase):
    @transactional
    def create_report(self, report: NewReport) -> None:
        self._insert("reports", {"_key": key(report.id), "id": report.id, "reporter": report.reporter,
                                 "target": report.target, "bark_ids": list(report.bark_ids),
                                 "reason": report.reason, "text": report.text, "state": "open", "note": None,
                                 "resolved_by": None})

    def report(self, report_id: int) -> ReportInfo | None:
        doc = self._get("reports", key(report_id))
        return _report(doc) if doc else None

    def reports_by(self, reporter: int, before: int | None, limit: int) -> list[ReportInfo]:
        rows = self._aql("reports_by", reporter=reporter, before=before or MAX_ID + 1, limit=limit)
        return [_report(row) for row in rows]

    def report_page(self, state: str | None, before: int | None, limit: int) -> list[ReportInfo]:
        if state is None:
            rows = self._aql("reports_all", before=before or MAX_ID + 1, limit=limit)
        else:
            rows = self._aql("reports_in_state", state=state, before=before or MAX_ID + 1, limit=limit)
        return [_report(row) for row in rows]

    @transactional
    def close_report(self, report_id: int, state: str, note: str | None, resolved_by: str) -> bool:
        doc = self._get("reports", key(report_id))
        if doc is None or doc["state"] != "open":
            return False
        self._update("reports", {"_key": doc["_key"], "state": state, "note": note, "resolved_by": resolved_by})
        return True
