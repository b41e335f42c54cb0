"""The spool keeps what the database could not take, in order, per database."""
from bot.store.spool import Spool, spool_path


def test_rows_come_back_in_the_order_spooled_and_go_once_removed(tmp_path):
    spool = Spool(tmp_path / "spool.db")
    spool.add("event", "a", [{"n": 1}, {"n": 2}])
    spool.add("event", "b", [{"n": 3}])
    spool.add("handoff", "a", [{"n": 4}])
    assert [item["n"] for _, _, item in spool.pending("event")] == [1, 2, 3]
    assert [item["n"] for _, _, item in spool.pending("event", "a")] == [1, 2]
    spool.remove(row_id for row_id, _, _ in spool.pending("event", "a"))
    assert [item["n"] for _, _, item in Spool(tmp_path / "spool.db").pending("event")] == [3]
    assert (tmp_path / "spool.db").stat().st_mode & 0o077 == 0


def test_each_database_has_its_own_spool(tmp_path, monkeypatch):
    monkeypatch.delenv("SPOOL_PATH", raising=False)
    assert spool_path(f"sqlite:///{tmp_path}/a.db") == tmp_path / "a.db.spool"
    one, two = spool_path("postgresql://u:secret@h/one"), spool_path("postgresql://u:secret@h/two")
    assert one != two and "secret" not in str(one)  # the file name holds no password


def test_a_claimed_row_goes_to_one_claimant_until_released(tmp_path):
    first, second = Spool(tmp_path / "s.db"), Spool(tmp_path / "s.db")  # two processes
    first.add("handoff", "a", [{"n": 1}])
    claimed = first.claim("handoff")
    assert [item for _, _, item in claimed] == [{"n": 1}]
    assert second.claim("handoff") == [] and len(second.pending("handoff")) == 1
    first.release(row_id for row_id, _, _ in claimed)
    again = second.claim("handoff")
    assert [item for _, _, item in again] == [{"n": 1}]
    second.remove(row_id for row_id, _, _ in again)
    assert first.pending("handoff") == [] == second.claim("handoff")
