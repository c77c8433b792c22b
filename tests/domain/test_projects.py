"""Project health as shown: the team's word, but never 'op koers' with a milestone over tijd;
open milestones of completed or stopped projects are lapsed, not late."""

import datetime as dt

import pandas as pd

from dashboard.domain import monitoring

AS_OF = dt.date(2026, 11, 23)


def projects() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["A", "B", "C"], "name": ["a", "b", "c"], "programme": ["p"] * 3,
        "status": ["uitvoering", "afgerond", "uitvoering"],
        "health": ["op koers", "op koers", "risico"],
        "domains": [["zorg", "welzijn"]] * 3, "areas": [["x"]] * 3,
    })


def milestones() -> pd.DataFrame:
    return pd.DataFrame({
        "project_code": ["A", "B", "C", "A"],
        "title": ["late", "never done", "late too", "later"],
        "due_on": [dt.date(2020, 3, 1), dt.date(2019, 1, 1), dt.date(2026, 1, 1),
                   dt.date(2027, 1, 1)],
        "done_on": [None, None, None, None],
    })


def test_a_project_with_a_late_milestone_is_not_shown_on_track():
    overview = monitoring.project_overview(projects(), milestones(), AS_OF).set_index("code")
    assert overview.loc["A", "overdue"] == 1
    assert overview.loc["A", "health"] == "aandacht nodig"
    assert overview.loc["A", "health_reported"] == "op koers"
    assert overview.loc["C", "health"] == "risico"  # worse than attention stays as reported


def test_open_milestones_of_a_completed_project_are_lapsed_not_late():
    overview = monitoring.project_overview(projects(), milestones(), AS_OF).set_index("code")
    assert overview.loc["B", "overdue"] == 0 and overview.loc["B", "health"] == "op koers"
    assert pd.isna(overview.loc["B", "next_due"])
    states = monitoring.overview_milestones(milestones(), overview.reset_index(), AS_OF)
    assert dict(zip(states["title"], states["state"], strict=True)) == {
        "late": "over tijd", "never done": "vervallen", "late too": "over tijd",
        "later": "gepland"}


def test_the_health_filter_uses_the_health_shown():
    overview = monitoring.project_overview(projects(), milestones(), AS_OF)
    overview["programme_key"], overview["area_keys"] = "p", [["x"]] * 3
    chosen = monitoring.select_projects(overview, monitoring.Filters(None, ()), health="op koers")
    assert chosen["code"].tolist() == ["B"]
