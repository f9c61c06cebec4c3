"""Reports of abuse: what a user files about another user (and some of their barks), and how moderators
close them. The reporter sees their own reports' state and note, never who closed them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class NewReport:
    id: int  # time-ordered: "filed at", and the page cursor
    reporter: int
    target: int
    bark_ids: tuple[int, ...]
    reason: str
    text: str | None


@dataclass(frozen=True)
class ReportInfo:
    id: int
    reporter: int
    target: int
    bark_ids: tuple[int, ...]
    reason: str
    text: str | None
    state: str  # 'open' | 'resolved' | 'dismissed'
    note: str | None  # the moderator's resolution note, shown to the reporter
    resolved_by: str | None  # a handle, or 'operator'; for moderators only


class Reports(Protocol):
    def create_report(self, report: NewReport) -> None: ...

    def report(self, report_id: int) -> ReportInfo | None: ...

    def reports_by(self, reporter: int, before: int | None, limit: int) -> list[ReportInfo]:
        """The reporter's reports newest first, with ids below `before`."""

    def report_page(self, state: str | None, before: int | None, limit: int) -> list[ReportInfo]:
        """Every report (or those in `state`) newest first, with ids below `before`."""

    def close_report(self, report_id: int, state: str, note: str | None, resolved_by: str) -> bool:
        """Close an open report as 'resolved' or 'dismissed'; False if there is no open report of that id."""
