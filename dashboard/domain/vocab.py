"""The domain's vocabularies (SPEC §1, §4): the one owner of every status word and choice list.

The schema stores these enums by their (Dutch) values; forms, imports, filters and pages
read the same tuples, so a status is spelled in one place only. Pure: no SQLAlchemy.
"""

from __future__ import annotations

import enum

POSITIVE_HEALTH_DIMENSIONS = (
    "lichaamsfuncties", "mentaal welbevinden", "zingeving",
    "kwaliteit van leven", "meedoen", "dagelijks functioneren",
)
KNELPUNTEN = {  # casussenboek bottleneck categories (SPEC §1)
    1: "Onvoldoende afstemming en samenwerking tussen beroepskrachten",
    2: "Domeindenken",
    3: "Organisatie van zorg sluit niet aan op behoefte en vaardigheden van (kwetsbare) mensen",
    4: "Wet- en regelgeving zorgen voor verkokering en fragmentatie",
    5: "Kenmerken van de buurt",
}
DOMAINS = ("Participatie", "Wmo", "Jeugdwet", "Wlz", "Zvw", "Wpg")
BODIES = ("Dagelijks Bestuur", "Ambassadeursgroep", "Financiersoverleg", "Programmateam")
FINANCIERS = ("gemeente", "VGZ", "CZ", "provincie")
LAWS = ("Zvw", "Wmo", "Jeugdwet", "Participatiewet", "Wpg", "Wlz")
DISCIPLINES = ("huisarts", "praktijkondersteuner", "wijkverpleging", "specialist ouderengeneeskunde",
               "casemanager dementie", "welzijn", "fysiotherapie", "apotheker", "ergotherapie",
               "diëtetiek", "geriater", "overig")
PERIOD_TYPES = ("jaar", "kwartaal", "maand", "meting")
# How a run chart treats an intervention: freeze the baseline before it, or start a new phase.
INTERVENTION_METHODS = ("basislijn", "nieuwe fase")
DIRECTIONS = ("omlaag", "omhoog")  # the expected direction of an evidence series


# ---------------------------------------------------------------- enumerations


class Polarity(enum.Enum):
    HIGHER_IS_BETTER = "hoger is beter"
    LOWER_IS_BETTER = "lager is beter"
    NEUTRAL = "neutraal"


class ValueStatus(enum.Enum):
    OK = "ok"
    SUPPRESSED = "onderdrukt"
    MISSING = "ontbreekt"


class ProjectStatus(enum.Enum):
    IDEA = "idee"
    PREPARATION = "voorbereiding"
    EXECUTION = "uitvoering"
    COMPLETED = "afgerond"
    STOPPED = "gestopt"


class ProjectHealth(enum.Enum):
    ON_TRACK = "op koers"
    ATTENTION = "aandacht nodig"
    RISK = "risico"


class DecisionOutcome(enum.Enum):
    SCALE_UP = "opschalen"
    CONTINUE = "doorgaan"
    ADJUST = "aanpassen"
    STOP = "stoppen"


class DecisionStatus(enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in uitvoering"
    EVALUATED = "geëvalueerd"


def values(cls: type[enum.Enum]) -> tuple[str, ...]:
    """The stored (Dutch) values of an enum, in declaration order."""
    return tuple(str(m.value) for m in cls)
