"""The audit trail as a beheerder reads it: Dutch local time, names, and what changed."""

import datetime as dt

import pandas as pd

from dashboard.domain import audit


def test_times_are_dutch_local_time_in_winter_and_summer():
    assert audit.fmt_timestamp(dt.datetime(2026, 11, 23, 13, 5, 9)) == "23 nov 2026 14:05:09"
    summer = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)
    assert audit.fmt_timestamp(summer) == "2 jul 2026 00:30:00"  # UTC+2: the next day


def test_a_local_day_starts_at_local_midnight():
    start, end = audit.local_day_bounds(dt.date(2026, 7, 2), dt.date(2026, 7, 2))
    assert start == dt.datetime(2026, 7, 1, 22, 0, tzinfo=dt.UTC)
    assert end - start == dt.timedelta(days=1)


def test_a_change_names_the_fields_that_changed_with_old_and_new_values():
    text = audit.describe_change(
        "project", {"id": 3, "version": 1, "status": "uitvoering", "name": "A", "budget_eur": 1500},
        {"id": 3, "version": 2, "status": "afgerond", "name": "A", "budget_eur": 12345.5})
    assert text == "Status: uitvoering → afgerond; Budget (euro): 1.500 → 12.345,50"


def test_a_new_row_lists_its_values_in_dutch():
    text = audit.describe_change("milestone", None, {"title": "Start", "due_on": "2023-10-03",
                                                     "done_on": None})
    assert text == "Mijlpaal: Start; Uiterste datum: 3 okt 2023; Gereed op: –"


def test_the_table_uses_names_not_keys():
    log = pd.DataFrame({"at": [dt.datetime(2026, 1, 5, 8, 0)], "actor": ["programmateam"],
                        "role": ["programmateam"], "action": ["wijzigen"],
                        "object_type": ["decision"], "object_id": [7], "result": ["ok"],
                        "old_values": [{"outcome": "doorgaan"}],
                        "new_values": [{"outcome": "opschalen"}]})
    row = audit.readable(log).iloc[0]
    assert row["Gegevens"] == "Besluiten" and row["Tijdstip"] == "5 jan 2026 09:00:00"
    assert row["Wijziging"] == "Besluit: doorgaan → opschalen"
    assert "{" not in row["Wijziging"]
