"""Forms show names next to codes: a reference is picked as "PW-2 · Kernteams ouderen",
never as a bare key; the stored value stays the key."""

from dashboard.domain.roles import Role
from dashboard.store import writes

PT = Role.PROGRAMMATEAM


def test_reference_choices_carry_the_name_next_to_the_key(seeded_engine):
    project = writes.reference_keys(seeded_engine, PT, "project")
    assert project["programme"]["pluswijken"] == "pluswijken · PlusWIJken"
    quarters = writes.reference_keys(seeded_engine, PT, "kernteam_quarter")
    shown = quarters["kernteam"]
    assert shown and all(v.startswith(f"{k} · ") and len(v) > len(k) + 3 for k, v in shown.items())
    decision = writes.reference_keys(seeded_engine, PT, "decision")
    assert any(v.startswith("PW-2 · ") for v in decision["project"].values())


def test_the_keys_stay_what_the_form_stores(seeded_engine):
    refs = writes.reference_keys(seeded_engine, PT, "coach_month")
    assert all(isinstance(k, str) and " · " not in k for k in refs["coach"])
