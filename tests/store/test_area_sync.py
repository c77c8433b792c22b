"""Syncing the area registry: add, update, deactivate (audited), never losing figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.domain.roles import Role
from dashboard.store import queries, writes
from data_loaders import seed
from data_loaders.db import transaction
from data_loaders.models import Area, AuditLog, Coach, IndicatorValue
from geo.registry import REGISTRY_PATH, load_registry

NEW_AREA = '''
[[area]]
key = "voorbeeldwijk"
name = "Voorbeeldwijk"
programme = "pluswijken"
municipality_code = "GM0917"
municipality_name = "Heerlen"
started_on = 2026-10-01
cbs_codes = ["BU09171000"]
centroid = [5.93, 50.92]
'''


def _limmel_block(text: str) -> str:
    start = text.index('[[area]]\nkey = "limmel"')
    return text[start:text.index("[[area]]", start + 1)]


def _changed_registry(tmp_path: Path) -> Path:
    """Baandert renamed and given a second buurt, Limmel removed, one area added."""
    text = REGISTRY_PATH.read_text()
    text = text.replace('name = "Baandert"', 'name = "Baandert-Oost"')
    text = text.replace('cbs_codes = ["BU18830201"]', 'cbs_codes = ["BU18830201", "BU18830202"]')
    text = text.replace(_limmel_block(text), "") + NEW_AREA
    path = tmp_path / "areas.toml"
    path.write_text(text)
    return path


def _sync(engine, monkeypatch, capsys, registry: Path) -> str:
    monkeypatch.setenv("LN_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert seed.main(["--sync-areas", "--registry", str(registry)]) == 0
    return capsys.readouterr().out


def _audit(engine) -> list[tuple[str, str, str, str]]:
    """(actor, action, area key, result) of every audit row about an area."""
    with transaction(engine) as s:
        return [(r.actor, r.action, (r.new_values or {}).get("key"), r.result)
                for r in s.scalars(select(AuditLog).where(AuditLog.object_type == "area")
                                   .order_by(AuditLog.id))]


def _figures(engine, key: str) -> tuple[int, int]:
    with transaction(engine) as s:
        area_id = s.scalar(select(Area.id).where(Area.key == key))
        values = s.scalar(select(func.count()).select_from(IndicatorValue)
                          .where(IndicatorValue.area_id == area_id))
        coaches = s.scalar(select(func.count()).select_from(Coach).where(Coach.area_id == area_id))
    return values, coaches


def test_sync_adds_updates_and_deactivates_with_audit_rows_and_keeps_figures(
        seeded_engine, monkeypatch, capsys, tmp_path):
    before = _audit(seeded_engine)
    limmel_figures = _figures(seeded_engine, "limmel")
    assert limmel_figures[0] > 0

    out = _sync(seeded_engine, monkeypatch, capsys, _changed_registry(tmp_path))
    assert "1 toegevoegd (voorbeeldwijk), 1 gewijzigd (baandert), 1 gedeactiveerd (limmel)" in out
    rows = _audit(seeded_engine)[len(before):]
    assert rows == [("opdrachtregel", "wijzigen", "baandert", "ok"),
                    ("opdrachtregel", "aanmaken", "voorbeeldwijk", "ok"),
                    ("opdrachtregel", "deactiveren", "limmel", "ok")]
    with transaction(seeded_engine) as s:
        baandert = s.scalar(select(Area).where(Area.key == "baandert"))
        assert baandert.name == "Baandert-Oost" and baandert.version == 2
        assert [p.cbs_code for p in baandert.parts] == ["BU18830201", "BU18830202"]
        change = s.scalar(select(AuditLog).where(AuditLog.object_id == str(baandert.id),
                                                 AuditLog.action == "wijzigen"))
        assert change.old_values["name"] == "Baandert" and change.new_values["name"] == "Baandert-Oost"
        assert s.scalar(select(Area.active).where(Area.key == "limmel")) is False
    # Limmel's figures stay; it is no longer offered as a choice, but can still be listed
    assert _figures(seeded_engine, "limmel") == limmel_figures
    shown = queries.areas(seeded_engine, Role.BESTUURDER)
    assert "limmel" not in set(shown["key"]) and "voorbeeldwijk" in set(shown["key"])
    assert len(shown) == len(load_registry().areas)  # one removed, one added
    every = queries.areas(seeded_engine, Role.BESTUURDER, include_inactive=True)
    assert not every.set_index("key").at["limmel", "active"]
    layers = queries.QUERIES["map_layers"](seeded_engine, Role.BESTUURDER)
    assert "limmel" not in layers["areas"] and "limmel" not in layers["without_polygon"]
    filters = queries.QUERIES["area_choices"](seeded_engine, Role.BESTUURDER)
    assert "limmel" not in set(filters["key"]) and "voorbeeldwijk" in set(filters["key"])
    form_choices = writes.reference_keys(seeded_engine, Role.PROGRAMMATEAM, "indicator_value")
    assert "limmel" not in form_choices["area"] and "daalhof" in form_choices["area"]
    blauwe_zorg = queries.programmes(seeded_engine, Role.PUBLIEK).set_index("key")
    assert blauwe_zorg.at["blauwe-zorg", "areas"] == 3

    # syncing the same registry again changes nothing and writes no audit row
    out = _sync(seeded_engine, monkeypatch, capsys, tmp_path / "areas.toml")
    assert "0 toegevoegd, 0 gewijzigd, 0 gedeactiveerd" in out
    assert len(_audit(seeded_engine)) == len(before) + 3

    # back to the shipped registry: Limmel returns with its figures, Voorbeeldwijk goes
    _sync(seeded_engine, monkeypatch, capsys, REGISTRY_PATH)
    assert _audit(seeded_engine)[-3:] == [("opdrachtregel", "heractiveren", "limmel", "ok"),
                                          ("opdrachtregel", "wijzigen", "baandert", "ok"),
                                          ("opdrachtregel", "deactiveren", "voorbeeldwijk", "ok")]
    shown = queries.areas(seeded_engine, Role.BESTUURDER)
    assert sorted(shown["key"]) == sorted(a.key for a in load_registry().areas)
    assert _figures(seeded_engine, "limmel") == limmel_figures


def test_a_restart_only_adds_areas_and_keeps_changes_made_since(seeded_engine, tmp_path):
    with transaction(seeded_engine) as s:
        s.scalar(select(Area).where(Area.key == "nuth")).name = "Nuth (gewijzigd in beheer)"
    registry = load_registry(_changed_registry(tmp_path))
    report = seed.sync_areas(seeded_engine, registry)
    assert report.added == ["voorbeeldwijk"] and not report.updated and not report.deactivated
    with transaction(seeded_engine) as s:
        assert s.scalar(select(Area.name).where(Area.key == "nuth")) == "Nuth (gewijzigd in beheer)"
        assert s.scalar(select(Area.active).where(Area.key == "limmel")) is True


def test_a_broken_registry_changes_nothing(seeded_engine, monkeypatch, capsys, tmp_path):
    bad = tmp_path / "areas.toml"
    bad.write_text(REGISTRY_PATH.read_text().replace('"BU09350404"', '"XX123"'))
    before = _audit(seeded_engine)
    monkeypatch.setenv("LN_DATABASE_URL", seeded_engine.url.render_as_string(hide_password=False))
    assert seed.main(["--sync-areas", "--registry", str(bad)]) == 2
    assert "(Limmel)" in capsys.readouterr().err
    assert _audit(seeded_engine) == before


@pytest.mark.parametrize("key", ["elsloo", "schaesberg", "douvenrade"])
def test_demo_data_covers_the_second_pluswijken_group(seeded_engine, key):
    values, coaches = _figures(seeded_engine, key)
    assert coaches == 3  # 36 coaches over twelve areas
    with transaction(seeded_engine) as s:
        started = s.scalar(select(func.min(Coach.started_on)).join(Area)
                           .where(Area.key == key))
    assert started.isoformat() == "2025-10-01"  # the month after the area joined
    if key == "douvenrade":
        assert values == 0  # no CBS parts known: no figures made up for it
    else:
        assert values > 0
