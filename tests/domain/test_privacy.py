"""The "geen namen" check before a lesson is published: what looks personal is named, the
product's own names and ordinary sentences pass."""

from dashboard.domain.privacy import personal_data_hints

AREAS = ["Limmel", "Kerkrade Centrum-Bleijerheide", "Heerlen", "Blauwe Zorg in de wijk"]


def test_a_plain_lesson_with_the_products_own_names_passes():
    text = ("Welzijnscoaches in Limmel en Kerkrade Centrum-Bleijerheide halveerden de "
            "wachtlijst. De aanpak gaat in maart 2027 naar Heerlen, met steun van de GGD en "
            "de Wmo. Blauwe Zorg in de wijk schaalt op.")
    assert personal_data_hints(text, AREAS) == []


def test_names_contacts_and_identifiers_are_each_named_with_what_was_found():
    text = ("Mevrouw Jansen (82-jarige, geboren in Limmel) belde met coach Pieter via "
            "06-12345678 of p.devries@example.nl; haar BSN 123456782 stond in het dossier.")
    hints = personal_data_hints(text, AREAS)
    assert "aanspreekvorm met naam 'Mevrouw Jansen'" in hints
    assert "mogelijk een naam: 'Pieter'" in hints
    assert "telefoonnummer '06-12345678'" in hints
    assert "e-mailadres 'p.devries@example.nl'" in hints
    assert "negen cijfers op een rij (een BSN?) '123456782'" in hints
    assert any(h.startswith("leeftijd of geboortedatum '82-jarige") for h in hints)
    assert not any("Limmel" in h for h in hints)


def test_a_thousands_figure_is_not_a_bsn_and_a_sentence_start_is_not_a_name():
    assert personal_data_hints("Opnames daalden. Daarna bleef het aantal 123.456.789 ruim "
                               "onder 1.000.") == []


def test_a_surname_with_a_tussenvoegsel_is_named_whole():
    for text, name in (("Meneer De Vries belde.", "Meneer De Vries"),
                       ("Toen kwam mevrouw van der Berg langs.", "mevrouw van der Berg"),
                       ("Volgens de heer 't Hart werkt het.", "de heer 't Hart")):
        assert f"aanspreekvorm met naam '{name}'" in personal_data_hints(text), text
    assert "aanspreekvorm met naam 'Meneer Dekker'" in personal_data_hints("Meneer Dekker.")
