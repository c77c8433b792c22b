"""The Vergadermodus agenda's signals (issue 13): new signals ranked, deteriorations first
whatever their size, each with its direction-aware verdict, and the sentence how many new
signals chance alone gives among the series."""

from __future__ import annotations

import pytest

from dashboard.domain import verdicts
from dashboard.domain.roles import Role
from dashboard.store import meeting
from dashboard.store import queries_monitoring as qm
from data_loaders.db import make_engine
from tests.helpers import AS_OF

PT = Role.PROGRAMMATEAM


@pytest.fixture(scope="module")
def frames(demo_sqlite_url):
    engine = make_engine(demo_sqlite_url)
    yield qm.kernteam_quarters(engine, PT), qm.kernteam_interventions(engine, PT)
    engine.dispose()


def test_new_signals_are_ranked_deteriorations_first_with_their_verdict(frames):
    quarters, interventions = frames
    quarters = quarters.copy()
    latest = quarters["quarter"].max()

    def plant(team: str, column: str, share: float) -> None:
        row = quarters.index[(quarters["team"] == team) & (quarters["quarter"] == latest)][0]
        quarters.loc[row, column] = round(quarters.loc[row, "frail_elderly"] * share)

    plant("KT-12", "discussed_mdo", 1.0)  # every frail elderly person discussed: better
    plant("KT-05", "admissions", 0.5)  # half of them admitted: far worse, far from the centre
    found = meeting.new_kernteam_signals(quarters, interventions)
    keys = [i.verdict for i in found.items]
    titles = [i.title for i in found.items]
    assert keys[0] == verdicts.DETERIORATION and titles[0].startswith("Ziekenhuisopnames") \
        and "KT-05" in titles[0]  # the largest deterioration first
    assert keys[-1] == verdicts.IMPROVEMENT and "KT-12" in titles[-1]  # improvements last
    assert keys.count(verdicts.DETERIORATION) == len(keys) - 1
    assert all(i.detail.startswith(f"nieuw signaal met {latest}") for i in found.items)
    # the chance sentence counts every series looked at: 35 teams × 6 metrics
    assert found.series == 210
    assert found.chance.startswith("Bij 210 reeksen zonder echte verandering zijn ongeveer ")
    assert "nieuwe signalen per kwartaal toeval" in found.chance
    assert found.note.startswith(f"{len(found.items)} nieuwe signalen bij 210 reeksen")


def test_the_agenda_carries_the_signals_with_their_verdicts_and_the_chance_sentence(
        frames, demo_sqlite_url):
    engine = make_engine(demo_sqlite_url)
    found = meeting.new_kernteam_signals(*frames)
    sections = meeting.agenda(engine, PT, AS_OF, signals=found)
    engine.dispose()
    assert sections[0].key == "signals" and sections[0].note == found.note
    assert found.chance in found.note
    assert sections[0].items[0] == found.items[0] and found.items[0].verdict == "verslechtering"
