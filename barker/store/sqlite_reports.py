"""The SQLite store's reports part. A mixin of SqliteStore (barker/store/sqlite.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from barker.ids import MAX_ID
from barker.ports.reports import NewReport, ReportInfo
from barker.store.sqlite_sql import reports as sql

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


def _report(row: Any) -> ReportInfo:
    return ReportInfo(row[0], row[1], row[2], tuple(orjson.loads(row[3])), row[4], row[5], row[6], row[7], row[8])


class SqliteReports(_Base):
    """Mixed into SqliteStore; see the Reports protocol for each method's contract."""

    def create_report(self, report: NewReport) -> None:
        with self._tx() as c:
            c.execute(sql.INSERT_REPORT, (report.id, report.reporter, report.target,
                                          orjson.dumps(list(report.bark_ids)).decode(), report.reason, report.text))

    def report(self, report_id: int) -> ReportInfo | None:
        row = self._one(sql.REPORT, (report_id,))
        return _report(row) if row else None

    def reports_by(self, reporter: int, before: int | None, limit: int) -> list[ReportInfo]:
        rows = self._reader().execute(sql.REPORTS_BY, (reporter, before or MAX_ID + 1, limit))
        return [_report(row) for row in rows]

    def report_page(self, state: str | None, before: int | None, limit: int) -> list[ReportInfo]:
        if state is None:
            rows = self._reader().execute(sql.REPORTS_ALL, (before or MAX_ID + 1, limit))
        else:
            rows = self._reader().execute(sql.REPORTS_IN_STATE, (state, before or MAX_ID + 1, limit))
        return [_report(row) for row in rows]

    def close_report(self, report_id: int, state: str, note: str | None, resolved_by: str) -> bool:
        with self._tx() as c:
            return c.execute(sql.CLOSE_REPORT, (state, note, resolved_by, report_id)).rowcount == 1
