"""`barker admin report list` and `barker admin account delete` as the operator meets them: the real command
in a subprocess on a data directory under tmp_path (as tests/unit/test_cli_admin.py), with the reports and
accounts made through the API and the result read back from the store."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from backend.app import create_app
from tests.conftest import make_settings
from tests.unit.test_cli_admin import admin, failed_in_one_line, ok, store_of

PASSWORD = "correct horse"


def seed(tmp_path: Path) -> dict[str, int]:
    """alice reports bob and one of his barks (its text with a control character); carol reports alice."""
    with TestClient(create_app(make_settings(tmp_path))) as client:
        tokens = {}
        for handle in ("alice", "bob", "carol"):
            resp = client.post("/v1/accounts", json={"handle": handle, "password": PASSWORD})
            assert resp.status_code == 201, resp.text
            tokens[handle] = {"Authorization": f"Bearer {resp.json()['token']}"}
        bark = client.post("/v1/barks", json={"text": "buy now"}, headers=tokens["bob"]).json()
        filed = client.post("/v1/reports", headers=tokens["alice"], json={
            "handle": "bob", "reason": "spam", "bark_ids": [bark["id"]], "text": "ads\x1b[2J\teverywhere"})
        assert filed.status_code == 201, filed.text
        other = client.post("/v1/reports", headers=tokens["carol"], json={"handle": "alice", "reason": "other"})
        assert other.status_code == 201, other.text
        return {"bark": bark["id"], "report": filed.json()["id"], "other": other.json()["id"]}


def test_report_list_shows_each_report_on_one_line(tmp_path: Path) -> None:
    made = seed(tmp_path)
    newer, older = ok(admin(tmp_path, "report", "list", "--state", "open"))
    assert newer.startswith(f"{made['other']}\topen\t") and "by @carol\tabout @alice\tother\tbarks -" in newer
    assert older.startswith(f"{made['report']}\topen\t")
    assert f"by @alice\tabout @bob\tspam\tbarks {made['bark']}\tads [2J everywhere" in older
    assert ok(admin(tmp_path, "report", "list", "--limit", "1")) == [newer]
    assert ok(admin(tmp_path, "report", "list", "--state", "resolved")) == []
    line = failed_in_one_line(admin(tmp_path, "report", "list", "--state", "closed"), status=2)
    assert "invalid choice" in line


def test_account_delete_asks_first_then_removes_everything_and_retires_the_handle(tmp_path: Path) -> None:
    made = seed(tmp_path)
    refused = admin(tmp_path, "account", "delete", "bob", stdin="n\n")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.endswith("barker admin: not deleted\n") and "[y/N]" in refused.stderr
    assert admin(tmp_path, "account", "delete", "bob").returncode == 1  # no answer is a no
    store = store_of(tmp_path)
    try:
        assert store.user_id_by_handle("bob") is not None and store.report(made["report"]) is not None
    finally:
        store.close()
    done = admin(tmp_path, "account", "delete", "bob", stdin="y\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "deleted @bob; the handle stays retired\n"
    store = store_of(tmp_path)
    try:
        assert store.user_id_by_handle("bob") is None
        assert store.bark_author(made["bark"]) is None and store.report(made["report"]) is None
        assert store.report(made["other"]) is not None
        [entry] = [a for a in store.audit_page(None, 10) if a.action == "account.delete"]
        assert (entry.actor, entry.target) == ("operator", "bob")
    finally:
        store.close()
    with TestClient(create_app(make_settings(tmp_path))) as client:
        again = client.post("/v1/accounts", json={"handle": "bob", "password": PASSWORD})
        assert again.status_code == 409 and again.json()["error"]["code"] == "handle_taken"
    assert ok(admin(tmp_path, "account", "delete", "carol", "--yes")) == ["deleted @carol; the handle stays retired"]
    assert ok(admin(tmp_path, "report", "list")) == []


def test_account_delete_of_nobody_is_one_line(tmp_path: Path) -> None:
    seed(tmp_path)
    assert failed_in_one_line(admin(tmp_path, "account", "delete", "nobody", "--yes")) == "barker admin: no such user"
