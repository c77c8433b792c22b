"""The data-access layer refuses roles itself and never leaks unpublished decisions."""

import pandas as pd
import pytest
from sqlalchemy import delete, or_, select, update

from dashboard.domain.overview import programme_headlines
from dashboard.domain.roles import AccessDenied, Role
from dashboard.store import queries
from data_loaders.db import transaction
from data_loaders.models import Decision
from geo.registry import NO_PARTS_TEXT, load_registry

INTERNAL = ["areas", "projects_by_status", "latest_decisions"]
PUBLIC = ["programmes", "published_lessons", "publishable_cases"]


@pytest.mark.parametrize("name", INTERNAL)
def test_internal_queries_refuse_anonymous_visitors(seeded_engine, name):
    with pytest.raises(AccessDenied):
        queries.QUERIES[name](seeded_engine, Role.PUBLIEK)


@pytest.mark.parametrize("name", INTERNAL + PUBLIC)
def test_every_query_answers_a_bestuurder(seeded_engine, name):
    assert len(queries.QUERIES[name](seeded_engine, Role.BESTUURDER)) > 0


def test_unpublished_decision_never_reaches_the_public(seeded_engine):
    lessons = queries.published_lessons(seeded_engine, Role.PUBLIEK)
    with transaction(seeded_engine) as s:
        published = s.scalars(select(Decision.id).where(Decision.published.is_(True))).all()
        unpublished = s.scalars(select(Decision.id).where(Decision.published.is_(False))).all()
    assert unpublished, "demo data should contain unpublished decisions"
    assert set(lessons["id"]) == set(published)
    # withdrawing a publication removes the lesson
    with transaction(seeded_engine) as s:
        s.execute(update(Decision).where(Decision.id == published[0]).values(published=False))
    assert published[0] not in set(queries.published_lessons(seeded_engine, Role.PUBLIEK)["id"])


def test_areas_lists_every_registry_area_with_their_residents(seeded_engine):
    registry = load_registry()
    df = queries.areas(seeded_engine, Role.BESTUURDER)
    assert sorted(df["key"]) == sorted(a.key for a in registry.areas)
    measured = df[df["has_parts"]]
    assert len(measured) == len([a for a in registry.areas if a.has_parts]) == 15
    assert measured["residents"].notna().all() and (measured["residents"] > 1000).all()
    assert df.loc[df["name"] == "Eijsden", "cbs_codes"].item() == "BU19030000, BU19030001, BU19030002"
    # an area whose CBS parts are not known yet: listed with its note, no figures
    douvenrade = df[df["key"] == "douvenrade"].iloc[0]
    assert douvenrade["cbs_codes"] == NO_PARTS_TEXT and "niet bevestigd" in douvenrade["note"]
    assert douvenrade["residents"] != douvenrade["residents"]  # NaN: not a made-up figure


def test_headline_rates_are_recomputed_from_counts_not_averaged(seeded_engine):
    areas = queries.areas(seeded_engine, Role.BESTUURDER)
    months = queries.QUERIES["coach_months"](seeded_engine, Role.BESTUURDER)
    quarters = queries.QUERIES["kernteam_quarters"](seeded_engine, Role.BESTUURDER)
    projects = queries.projects_by_status(seeded_engine, Role.BESTUURDER)
    rows = {h.programme: h for h in programme_headlines(areas, months, quarters, projects, 30.0)}
    pw = rows["PlusWIJken"]
    latest = quarters[quarters["quarter"] == quarters["quarter"].max()]
    assert pw.admissions_quarter == latest["quarter"].iloc[0]
    assert pw.admissions_per_1000 == pytest.approx(
        latest["admissions"].sum() / latest["frail_elderly"].sum() * 1000)
    mean_of_rates = (latest["admissions"] / latest["frail_elderly"]).mean() * 1000
    assert abs(pw.admissions_per_1000 - mean_of_rates) > 0.01
    assert pw.capacity == pytest.approx(30.0 * 30)  # 30 FTE x norm 30 households
    registry = load_registry()
    assert rows["Blauwe Zorg in de wijk"].areas == len(registry.areas_of("blauwe-zorg")) == 4
    assert pw.areas == len(registry.areas_of("pluswijken")) == 12
    assert rows["Blauwe Zorg in de wijk"].capacity is None  # no coaches in Blauwe Zorg
    assert rows["Blauwe Zorg in de wijk"].admissions_per_1000 is None  # nor kernteams


def test_each_programme_is_an_area_of_its_own_built_from_its_areas_by_the_one_rule(
        seeded_engine):
    from dashboard.store.queries_geo import area_values

    role = Role.BESTUURDER
    totals = queries.programme_totals(seeded_engine, role).set_index("key")
    registry = load_registry()
    assert list(totals.index) == [f"totaal-{p.key}" for p in registry.programmes]
    plus = totals.loc["totaal-pluswijken"]
    # Douvenrade has no CBS parts yet: left out of the total, and the note says so
    assert plus["areas"] == 11 and "Niet meegeteld" in plus["note"] and "Douvenrade" in plus[
        "note"]
    assert totals.loc["totaal-blauwe-zorg", "municipality_code"] == "GM0935"  # one municipality
    assert plus["municipality_code"] == ""  # several: no single municipal reference

    counts = area_values(seeded_engine, role, "inwoners")
    members = [a.key for a in registry.areas_of("pluswijken") if a.has_parts]
    for period, rows in counts[counts["area_key"].isin(members)].groupby("period"):
        total = counts[(counts["area_key"] == "totaal-pluswijken") & (counts["period"] == period)]
        assert total["value"].item() == rows["value"].sum()  # counts are summed
    assert plus["residents"] == counts[counts["area_key"] == "totaal-pluswijken"].sort_values(
        "period")["value"].iloc[-1]

    # one total alone (Wijkprofiel) gives the same figures as the total among all areas
    rates = area_values(seeded_engine, role, "laag_inkomen")
    alone = area_values(seeded_engine, role, "laag_inkomen", area_key="totaal-blauwe-zorg")
    among = rates[rates["area_key"] == "totaal-blauwe-zorg"].reset_index(drop=True)
    assert alone.equals(among) and len(alone) > 5
    # one programme (Overzicht): its areas with parts and its total, the same figures again
    programme = area_values(seeded_engine, role, "laag_inkomen", programme_key="blauwe-zorg")
    bz = [a.key for a in registry.areas_of("blauwe-zorg") if a.has_parts]
    assert set(programme["area_key"]) == {*bz, "totaal-blauwe-zorg"}
    assert programme.equals(rates[rates["area_key"].isin(programme["area_key"])]
                            .reset_index(drop=True))
    last = among.iloc[-1]
    assert last["value"] == pytest.approx(last["numerator"] / last["denominator"] * 100)

    profile = queries.QUERIES["area_profile"](seeded_engine, role, area_key="totaal-pluswijken")
    assert len(profile["kernteams"]) > len(queries.QUERIES["area_profile"](
        seeded_engine, role, area_key="hoensbroek")["kernteams"])  # every area's kernteams
    with pytest.raises(AccessDenied):
        queries.programme_totals(seeded_engine, Role.PUBLIEK)


def test_a_programme_total_is_unknown_in_a_period_where_one_of_its_areas_has_no_figure(
        seeded_engine):
    from dashboard.store.queries_geo import area_values
    from data_loaders.models import Area, AreaPart, IndicatorValue

    role = Role.BESTUURDER
    before = area_values(seeded_engine, role, "laag_inkomen", area_key="totaal-blauwe-zorg")
    newest = before["period"].max()
    assert (before["status"] == "ok").all()
    with transaction(seeded_engine) as s:  # Limmel's figure for the newest period is gone
        limmel = s.scalar(select(Area.id).where(Area.key == "limmel"))
        parts = s.scalars(select(AreaPart.cbs_code).where(AreaPart.area_id == limmel)).all()
        gone = s.execute(delete(IndicatorValue).where(
            IndicatorValue.period == newest,
            or_(IndicatorValue.area_id == limmel, IndicatorValue.region_code.in_(parts))))
        assert gone.rowcount > 0
    after = area_values(seeded_engine, role, "laag_inkomen", area_key="totaal-blauwe-zorg")
    row = after[after["period"] == newest].iloc[0]
    # never a total of the three areas left, presented as the programme's
    assert row["status"] == "ontbreekt" and pd.isna(row["value"])
    assert "1 van 4" in row["note"]
    assert after[after["period"] != newest].equals(before[before["period"] != newest])


def test_programme_totals_before_any_figure_is_loaded(engine):
    """A production database with the area registry and no figures yet: each programme
    has its total, without residents or values, and nothing fails."""
    from dashboard.store.queries_geo import area_values

    totals = queries.programme_totals(engine, Role.BESTUURDER)
    assert list(totals["key"]) == [f"totaal-{p.key}" for p in load_registry().programmes]
    assert totals["residents"].isna().all()
    with pytest.raises(KeyError, match="Onbekende indicator"):
        area_values(engine, Role.BESTUURDER, "inwoners", area_key="totaal-pluswijken")
