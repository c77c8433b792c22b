"""The area registry is data: the sixteen areas of SPEC §3 with CBS codes; bad entries are named."""

import datetime as dt
from pathlib import Path

import pytest

from geo.registry import RegistryError, load_registry

SPEC_AREAS = {
    "Wittevrouwenveld": ("Blauwe Zorg in de wijk", "GM0935", ("BU09350402",)),
    "Wyckerpoort": ("Blauwe Zorg in de wijk", "GM0935", ("BU09350400",)),
    "Nazareth": ("Blauwe Zorg in de wijk", "GM0935", ("BU09350403",)),
    "Limmel": ("Blauwe Zorg in de wijk", "GM0935", ("BU09350404",)),
    "Daalhof": ("PlusWIJken", "GM0935", ("BU09350209",)),
    "Baandert": ("PlusWIJken", "GM1883", ("BU18830201",)),
    "Lindenheuvel": ("PlusWIJken", "GM1883", ("BU18830503",)),
    "Eijsden": ("PlusWIJken", "GM1903", ("BU19030000", "BU19030001", "BU19030002")),
    "Hoensbroek": ("PlusWIJken", "GM0917",
                   ("WK091710", "WK091711", "WK091712", "WK091713", "WK091714")),
    "Kerkrade Centrum-Bleijerheide": ("PlusWIJken", "GM0928", ("BU09280100", "BU09280105")),
    # the second PlusWIJken group (24-09-2025)
    "Elsloo": ("PlusWIJken", "GM0971", ("WK097101",)),
    "Nuth": ("PlusWIJken", "GM1954", ("WK195401",)),
    "Obbicht": ("PlusWIJken", "GM1883", ("BU18830700",)),
    "Schaesberg": ("PlusWIJken", "GM0882", ("WK088200",)),
    "Schinveld": ("PlusWIJken", "GM1954", ("BU19540000",)),
    "Douvenrade": ("PlusWIJken", "GM0917", ()),  # not confirmed: no CBS parts yet
}
SECOND_GROUP = {"Elsloo", "Nuth", "Obbicht", "Schaesberg", "Schinveld", "Douvenrade"}


def test_registry_holds_the_sixteen_areas_of_spec_3():
    reg = load_registry()
    names = {p.key: p.name for p in reg.programmes}
    got = {a.name: (names[a.programme], a.municipality_code, a.cbs_codes) for a in reg.areas}
    assert got == SPEC_AREAS
    assert [len(reg.areas_of(p.key)) for p in reg.programmes] == [4, 12]
    started = {a.name: a.started_on for a in reg.areas if a.programme == "pluswijken"}
    assert {n for n, d in started.items() if d == dt.date(2025, 9, 24)} == SECOND_GROUP
    assert {d for n, d in started.items() if n not in SECOND_GROUP} == {dt.date(2025, 1, 1)}


def test_an_area_without_cbs_parts_is_listed_with_a_note(tmp_path: Path):
    douvenrade = next(a for a in load_registry().areas if a.key == "douvenrade")
    assert not douvenrade.has_parts and "niet bevestigd" in douvenrade.note
    # without a note an empty code list is refused: it must say why
    text = Path("geo/areas.toml").read_text().replace('cbs_codes = ["BU18830700"]',
                                                      "cbs_codes = []")
    (tmp_path / "areas.toml").write_text(text)
    with pytest.raises(RegistryError, match=r"\(Obbicht\).*geen CBS-codes.*note"):
        load_registry(tmp_path / "areas.toml")


def test_adding_an_area_is_a_data_change(tmp_path: Path):
    text = Path("geo/areas.toml").read_text()
    text += """
[[area]]
key = "voorbeeldwijk"
name = "Voorbeeldwijk"
programme = "pluswijken"
municipality_code = "GM0917"
municipality_name = "Heerlen"
cbs_codes = ["BU09170100"]
centroid = [5.98, 50.88]
"""
    (tmp_path / "areas.toml").write_text(text)
    reg = load_registry(tmp_path / "areas.toml")
    assert len(reg.areas) == len(load_registry().areas) + 1
    assert reg.areas[-1].cbs_codes == ("BU09170100",)


def test_a_bad_cbs_code_is_reported_with_the_area_name(tmp_path: Path):
    text = Path("geo/areas.toml").read_text().replace('"BU09350404"', '"XX123"')
    (tmp_path / "areas.toml").write_text(text)
    with pytest.raises(RegistryError, match=r"gebied 4 \(Limmel\).*ongeldige CBS-code"):
        load_registry(tmp_path / "areas.toml")
