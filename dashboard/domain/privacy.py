"""The "geen namen" check of a text about to be published (a lesson's public summary).

The public page must never carry anything that identifies a person (SPEC: no personal
data). No check can prove a text clean, so this one lists what *looks* personal, for the
programme team to look at before they confirm: e-mail addresses, telephone numbers, nine
digits in a row (a BSN), ages and birth dates, a form of address followed by a name
("mevrouw Jansen"), and capitalised words inside a sentence that are not among the names
the product itself uses (areas, municipalities, programmes, institutions). Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\d-])(\+31[\s-]?|0)\d(?:[\s-]?\d){8}(?!\d)")
NINE_DIGITS = re.compile(r"(?<![\d.,])\d{9}(?![\d.,])")
AGE_OR_BIRTH = re.compile(r"\b(\d{1,3}[- ]?jarige?|geboren|geb\.)", re.IGNORECASE)
# A Dutch surname may start with a tussenvoegsel ("De Vries", "van der Berg", "'t Hart").
_PREFIXES = r"(?:(?i:van|de|der|den|het|ter|ten|te|in|op|'t|d')\s+)*"
ADDRESS_FORM = re.compile(
    r"\b(?i:mevrouw|meneer|mevr\.|mw\.|dhr\.|de heer|familie|dokter|dr\.)\s+"
    + _PREFIXES + r"[A-Z][\w'-]+")
WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*")
# Capitalised words a lesson may use that are not anyone's name.
COMMON = frozenset("""
Blauwe Zorg PlusWIJken PlusPraktijk PlusPraktijken Positieve Gezondheid CBS RIVM GGD Vektis
Wmo Zvw Wlz Jeugdwet Wpg Participatiewet SEH MDO NHS Nederland Zuid-Limburg Limburg
Januari Februari Maart April Mei Juni Juli Augustus September Oktober November December
Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Kwartaal Totaal
""".split())


def _candidates(text: str) -> list[str]:
    """Capitalised words that do not start a sentence (or a line)."""
    found = []
    for sentence in re.split(r"(?<=[.!?:;])\s+|\n+", text):
        words = WORD.findall(sentence)
        found += [w for w in words[1:] if w[0].isupper() and not w.isupper()]
    return found


def personal_data_hints(text: str, known_names: Iterable[str] = ()) -> list[str]:
    """What in ``text`` may identify a person, in Dutch, each with the text it found;
    ``known_names``: names the product uses (areas, municipalities, programmes...)."""
    hints = [f"e-mailadres '{m.group(0)}'" for m in EMAIL.finditer(text)]
    hints += [f"telefoonnummer '{m.group(0)}'" for m in PHONE.finditer(text)]
    hints += [f"negen cijfers op een rij (een BSN?) '{m.group(0)}'"
              for m in NINE_DIGITS.finditer(text)]
    hints += [f"leeftijd of geboortedatum '{m.group(0)}'" for m in AGE_OR_BIRTH.finditer(text)]
    hints += [f"aanspreekvorm met naam '{m.group(0)}'" for m in ADDRESS_FORM.finditer(text)]
    allowed = COMMON | {w for name in known_names for w in WORD.findall(name)}
    named = dict.fromkeys(w for w in _candidates(text) if w not in allowed
                          and w.capitalize() not in allowed)
    hints += [f"mogelijk een naam: '{w}'" for w in named]
    return hints
