"""The data-access layer refuses roles itself and never leaks unpublished decisions."""

import pytest
from sqlalchemy import select, update

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
