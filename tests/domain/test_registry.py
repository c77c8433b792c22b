"""The area registry is data: ten default areas with CBS codes; bad entries are named."""

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
}


def test_registry_holds_the_ten_areas_of_spec_3():
    reg = load_registry()
    names = {p.key: p.name for p in reg.programmes}
    got = {a.name: (names[a.programme], a.municipality_code, a.cbs_codes) for a in reg.areas}
    assert got == SPEC_AREAS


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
    assert len(reg.areas) == 11
    assert reg.areas[-1].cbs_codes == ("BU09170100",)


def test_a_bad_cbs_code_is_reported_with_the_area_name(tmp_path: Path):
    text = Path("geo/areas.toml").read_text().replace('"BU09350404"', '"XX123"')
    (tmp_path / "areas.toml").write_text(text)
    with pytest.raises(RegistryError, match=r"gebied 4 \(Limmel\).*ongeldige CBS-code"):
        load_registry(tmp_path / "areas.toml")
