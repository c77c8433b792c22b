"""Direction-aware verdicts on analysed series: the one owner of what an SPC result *means*.

Pure functions without Streamlit. ``dashboard.domain.spc`` finds signals; this module says whether
a signal is an improvement or a deterioration for the indicator at hand (its polarity),
gives the NHS "Making Data Count" variation and assurance categories (as NHSRplotthedots
computes them), plain-Dutch labels, explanations and text-first icons, the sentence per
chart type and the *Begrippen* glossary, and the arithmetic of chance signals among many
series.

Variation category (NHSRplotthedots ``ptd_calculate_point_type`` / ``ptd_get_icons``): the
icon describes the *latest* point. A latest point that is part of a signal (outside the
limits or in a run longer than the Anhøj limit; our rules, as qicharts2) above the centre
line is "high", below it "low"; with a polarity that is an improvement or a concern, for a
neutral indicator "neutral high/low"; any other latest point is common cause.
Assurance (``ptd_calculate_assurance_type``): with a target and control limits at the
latest point, and a polarity: a target outside the limits is always met (consistently
passes) or never met (consistently fails); a target between the limits is hit and miss.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from dashboard.domain import spc

Direction = Literal["omhoog", "omlaag"]
HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL = "hoger is beter", "lager is beter", "neutraal"

IMPROVEMENT = "verbetering"
DETERIORATION = "verslechtering"
NO_CHANGE = "geen aantoonbare verandering"
TOO_LITTLE = "te weinig gegevens"
CHANGE = "verandering"  # a signal on a neutral indicator, or a signal without a side

EXPLANATIONS: dict[str, str] = {
    IMPROVEMENT: "De cijfers zijn meer veranderd dan toeval verklaart, en in de gewenste "
                 "richting: hier is echt iets verbeterd.",
    DETERIORATION: "De cijfers zijn meer veranderd dan toeval verklaart, in de ongewenste "
                   "richting: hier is echt iets verslechterd en het loont de oorzaak te zoeken.",
    NO_CHANGE: "De schommelingen passen bij toeval: een echte verandering is (nog) niet te zien.",
    TOO_LITTLE: f"Er zijn minder dan {spc.MIN_POINTS} punten; dan valt nog niet te zeggen of "
                "een verandering echt is of toeval.",
    CHANGE: "De cijfers zijn meer veranderd dan toeval verklaart; of dat goed of slecht is, "
            "hangt af van wat de bedoeling was.",
}


def polarity_value(polarity: object) -> str:
    """The polarity as its Dutch value; accepts ``models.Polarity`` or its string value."""
    value = str(getattr(polarity, "value", polarity) or NEUTRAL)
    if value not in (HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL):
        raise ValueError(f"Onbekende richting '{value}'; kies uit '{HIGHER_IS_BETTER}', "
                         f"'{LOWER_IS_BETTER}' of '{NEUTRAL}'.")
    return value


def expected_direction(polarity: object) -> Direction | None:
    """The direction an improvement goes: omhoog (higher is better), omlaag, or None."""
    return {HIGHER_IS_BETTER: "omhoog", LOWER_IS_BETTER: "omlaag"}.get(polarity_value(polarity))  # type: ignore[return-value]


# ---------------------------------------------------------------- icons (text first)


@dataclass(frozen=True)
class Icon:
    """A text-first icon: a Material icon name, a Streamlit colour name and the text that
    says the same (the icon never carries meaning on its own)."""

    name: str
    colour: str
    text: str

    @property
    def markdown(self) -> str:
        """Streamlit markdown, e.g. ``:blue[:material/trending_down: Verbetering (laag)]``."""
        return f":{self.colour}[:material/{self.name}: {self.text}]"


VARIATION: dict[str, Icon] = {
    "common_cause": Icon("horizontal_rule", "gray", "Gewone variatie"),
    "improvement_high": Icon("trending_up", "blue", "Verbetering (hoog)"),
    "improvement_low": Icon("trending_down", "blue", "Verbetering (laag)"),
    "concern_high": Icon("trending_up", "orange", "Zorg (hoog)"),
    "concern_low": Icon("trending_down", "orange", "Zorg (laag)"),
    "neutral_high": Icon("trending_up", "violet", "Bijzondere variatie (hoog)"),
    "neutral_low": Icon("trending_down", "violet", "Bijzondere variatie (laag)"),
}
ASSURANCE: dict[str, Icon] = {
    "consistent_pass": Icon("check_circle", "blue", "Haalt het doel steeds"),
    "hit_and_miss": Icon("help", "gray", "Haalt het doel soms"),
    "consistent_fail": Icon("cancel", "orange", "Haalt het doel niet zonder verandering"),
}
VERDICT_ICONS: dict[str, Icon] = {
    IMPROVEMENT: Icon("thumb_up", "blue", "Verbetering"),
    DETERIORATION: Icon("warning", "orange", "Verslechtering"),
    NO_CHANGE: Icon("horizontal_rule", "gray", "Geen aantoonbare verandering"),
    TOO_LITTLE: Icon("hourglass_empty", "gray", "Te weinig gegevens"),
    CHANGE: Icon("swap_vert", "violet", "Verandering"),
}


# ---------------------------------------------------------------- per-series verdict


@dataclass(frozen=True)
class SeriesVerdict:
    """What one analysed series says, for an indicator with a polarity."""

    key: str  # verbetering / verslechtering / geen aantoonbare verandering / ... / verandering
    side: Literal["hoog", "laag"] | None  # where the latest signal lies
    variation: str | None  # Making Data Count category (None: too few points)
    assurance: str | None  # consistent_pass / hit_and_miss / consistent_fail (with a target)

    @property
    def label(self) -> str:
        return self.key.capitalize()

    @property
    def explanation(self) -> str:
        return EXPLANATIONS[self.key]

    @property
    def icon(self) -> Icon:
        return VERDICT_ICONS[self.key]

    @property
    def variation_icon(self) -> Icon | None:
        return VARIATION.get(self.variation or "")

    @property
    def assurance_icon(self) -> Icon | None:
        return ASSURANCE.get(self.assurance or "")


def _side(value: float, centre: float) -> Literal["hoog", "laag"] | None:
    return "hoog" if value > centre else "laag" if value < centre else None


def signal_side(analysis: spc.SeriesAnalysis, start: int | None = None
                ) -> Literal["hoog", "laag"] | None:
    """The side of the centre line of the most recent highlighted point from ``start`` on
    (default: the latest phase); None when no point is highlighted (e.g. a signal of too
    few crossings only, which has no side)."""
    first = start if start is not None else (analysis.phases[-1].start if analysis.phases else 0)
    for i in range(analysis.n - 1, first - 1, -1):
        value = analysis.values[i]
        if analysis.signal_points[i] and value is not None:
            return _side(value, analysis.centre[i])
    return None


def _improves(side: str, direction: Direction) -> bool:
    return (side == "laag") == (direction == "omlaag")


def variation_category(analysis: spc.SeriesAnalysis, polarity: object) -> str | None:
    """NHS Making Data Count variation category of the latest point (see module docstring)."""
    if analysis.verdict == spc.TOO_FEW:
        return None
    last = max((i for i, v in enumerate(analysis.values) if v is not None), default=None)
    if last is None or not analysis.signal_points[last]:
        return "common_cause"
    side = _side(analysis.values[last] or 0.0, analysis.centre[last])
    if side is None:
        return "common_cause"
    high = "high" if side == "hoog" else "low"
    direction = expected_direction(polarity)
    if direction is None:
        return f"neutral_{high}"
    return f"{'improvement' if _improves(side, direction) else 'concern'}_{high}"


def assurance_category(analysis: spc.SeriesAnalysis, polarity: object,
                       target: float | None) -> str | None:
    """NHSRplotthedots' assurance at the latest point: needs a target, control limits and
    a polarity; None otherwise."""
    direction = expected_direction(polarity)
    if target is None or direction is None or math.isnan(target):
        return None
    last = max((i for i, v in enumerate(analysis.values) if v is not None), default=None)
    if last is None or analysis.lower[last] is None or analysis.upper[last] is None:
        return None
    lower, upper = analysis.lower[last], analysis.upper[last]
    increasing = direction == "omhoog"
    if target > upper:  # type: ignore[operator]
        return "consistent_fail" if increasing else "consistent_pass"
    if target < lower:  # type: ignore[operator]
        return "consistent_pass" if increasing else "consistent_fail"
    return "hit_and_miss"


def series_verdict(analysis: spc.SeriesAnalysis, polarity: object,
                   target: float | None = None) -> SeriesVerdict:
    """The verdict of the latest phase in the indicator's own terms."""
    variation = variation_category(analysis, polarity)
    assurance = assurance_category(analysis, polarity, target)
    if analysis.verdict == spc.TOO_FEW:
        return SeriesVerdict(TOO_LITTLE, None, None, assurance)
    if analysis.verdict == spc.NO_SIGNAL:
        return SeriesVerdict(NO_CHANGE, None, variation, assurance)
    side = signal_side(analysis)
    direction = expected_direction(polarity)
    if side is None or direction is None:
        return SeriesVerdict(CHANGE, side, variation, assurance)
    key = IMPROVEMENT if _improves(side, direction) else DETERIORATION
    return SeriesVerdict(key, side, variation, assurance)


# ---------------------------------------------------------------- plain Dutch explanations

CHART_EXPLANATIONS: dict[str, str] = {
    "run": "Runchart: de punten met de mediaan als middenlijn. Een echte verandering is een "
           "lange reeks punten aan één kant van de middenlijn, of opvallend weinig wisselingen "
           "van kant (regels van Anhøj); één uitschieter is dat nog niet.",
    "i": "I-kaart (regelkaart voor losse waarden): middenlijn is het gemiddelde, de stippellijnen "
         "zijn de grenzen waarbinnen toeval de waarden houdt (3 sigma, uit de gewone verschillen "
         "tussen opeenvolgende punten). Een punt buiten de grenzen of een lange reeks aan één "
         "kant van de middenlijn is een echte verandering.",
    "p": "P-kaart (regelkaart voor percentages): middenlijn is het percentage over alle punten; "
         "de grenzen zijn breder bij kleine aantallen, omdat toeval daar meer doet. Een punt "
         "buiten de grenzen of een lange reeks aan één kant is een echte verandering.",
    "u": "U-kaart (regelkaart voor aantallen per zoveel mensen): middenlijn is het gemiddelde "
         "tempo; de grenzen zijn breder bij kleine aantallen. Een punt buiten de grenzen of een "
         "lange reeks aan één kant is een echte verandering.",
    "p'": "P′-kaart (Laney): een P-kaart waarvan de grenzen ook de gewone schommeling van periode "
          "tot periode meenemen; nodig bij grote aantallen, waar een gewone P-kaart te smalle "
          "grenzen en vals alarm geeft. Een punt buiten de grenzen of een lange reeks aan één kant "
          "is een echte verandering.",
    "u'": "U′-kaart (Laney): een U-kaart waarvan de grenzen ook de gewone schommeling van periode "
          "tot periode meenemen; nodig bij grote aantallen, waar een gewone U-kaart te smalle "
          "grenzen en vals alarm geeft. Een punt buiten de grenzen of een lange reeks aan één kant "
          "is een echte verandering.",
    "funnel": "Trechterdiagram: elk punt is een team of gebied, links de kleine, rechts de grote. "
              "De trechter toont hoe ver toeval een klein of groot team van het gemiddelde kan "
              "brengen (binnen de binnenste lijnen 95%, de buitenste 99,8%); alleen een punt "
              "buiten de buitenste lijnen wijkt echt af.",
}

BEGRIPPEN: list[tuple[str, str]] = [
    ("Runchart", "Een lijn van de cijfers in de tijd met de mediaan als middenlijn. Laat zien of "
                 "er een echte verschuiving is, zonder aannames over de verdeling van de cijfers."),
    ("Regelkaart", "Een runchart met grenzen erbij: tussen de grenzen schommelen de cijfers door "
                   "toeval; daarbuiten is er iets aan de hand. Ook wel controlekaart of "
                   "SPC-kaart."),
    ("Trechterdiagram", "Vergelijkt teams of gebieden van verschillende grootte. Kleine teams "
                        "schommelen meer door toeval, dus de grenzen lopen als een trechter."),
    ("Bewijskracht", "Hoe sterk de cijfers laten zien dat een maatregel werkte: een blijvende "
                     "verandering in de goede richting na de start, die de vergelijkingsgebieden "
                     "niet laten zien. Sterk, matig, zwak, of tegen als het slechter werd."),
    ("Middenlijn", "De mediaan (runchart) of het gemiddelde (regelkaart) van de punten: het "
                   "gewone niveau."),
    ("Grenzen", "De lijnen waarbinnen toeval de cijfers houdt (3 sigma: drie keer de gewone "
                "spreiding van de middenlijn). Ook wel controlegrenzen."),
    ("Basislijn", f"De punten vóór een maatregel. Middenlijn en grenzen worden daarop "
                  f"vastgezet, zodat een verandering daarna opvalt; daarvoor zijn minstens "
                  f"{spc.MIN_BASELINE} punten nodig."),
    ("Signaal", "Een patroon dat toeval niet goed verklaart: een punt buiten de grenzen, een "
                "lange reeks punten aan één kant van de middenlijn, of opvallend weinig "
                "wisselingen van kant. Een signaal zegt dat er iets veranderd is, niet waardoor."),
    ("P′-kaart en U′-kaart", "Een regelkaart voor percentages (P) of aantallen per zoveel "
                             "mensen (U) bij grote groepen. Daar schommelen de cijfers van "
                             "periode tot periode meer dan het toeval bij zulke aantallen; de "
                             "′-kaart (volgens Laney) neemt die gewone schommeling mee in de "
                             "grenzen, zodat niet elke kleine beweging als signaal telt."),
    ("95%-interval", "De marge rond een geschatte verandering waarbinnen de echte verandering "
                     "vrijwel zeker ligt (in 95 van de 100 gevallen). Ligt 'geen verandering' "
                     "(0 of 0%) buiten de marge, dan is de verandering groter dan toeval. Ook "
                     "wel betrouwbaarheidsinterval (BI)."),
    ("Verschil-in-verschillen", "De verandering in het pilotgebied min de verandering in een "
                                "vergelijkingsgebied over dezelfde periode. Zo telt wat overal "
                                "veranderde (een griepgolf, een nieuwe regel) niet als effect "
                                "van de maatregel."),
]


# ---------------------------------------------------------------- many series


def _stable_series(rng: np.random.Generator, chart: str, n: int
                   ) -> tuple[np.ndarray, np.ndarray | None]:
    """A series without any real change: normal values (I, run), binomial (P) or Poisson
    (U) counts with denominators of a few hundred to a thousand."""
    if chart in ("run", "i"):
        return rng.normal(100, 10, n), None
    if chart in ("p", "p'"):
        den = rng.integers(150, 250, n)
        return rng.binomial(den, 0.3).astype(float), den
    den = rng.integers(800, 1200, n)
    return rng.poisson(den * 0.05).astype(float), den


def simulate_false_alarms(chart: spc.ChartType, n: int, reps: int = 2000,
                          seed: int = 1) -> tuple[float, float]:
    """Share of stable series of ``n`` points with a signal, and with a signal that is new
    with the ``n``-th point (absent with the first ``n - 1``): the chance rates behind
    ``FALSE_ALARM_RATES``."""
    rng = np.random.default_rng(seed)
    now = new = 0
    for _ in range(reps):
        values, den = _stable_series(rng, chart, n)
        signal = spc.analyse(values, chart=chart, denominators=den).verdict == spc.SIGNAL
        if signal:
            now += 1
            before = spc.analyse(values[:-1], chart=chart,
                                 denominators=None if den is None else den[:-1])
            new += before.verdict != spc.SIGNAL
    return now / reps, new / reps


# Chance rates per chart and length: (share with a signal, share with a *new* signal), from
# ``simulate_false_alarms(chart, n, reps=4000, seed=1)`` with this engine (qicharts2 rules,
# screened moving ranges, no frozen baseline). P′/U′ behave as P/U on such data.
FALSE_ALARM_RATES: dict[str, dict[int, tuple[float, float]]] = {
    "run": {10: (0.0073, 0.0073), 12: (0.0107, 0.008), 16: (0.008, 0.0),
        20: (0.0192, 0.0115), 24: (0.0262, 0.012), 30: (0.0213, 0.0077),
        40: (0.035, 0.0055)},
    "i": {10: (0.052, 0.052), 12: (0.0643, 0.0275), 16: (0.077, 0.0145),
        20: (0.0925, 0.019), 24: (0.1163, 0.0285), 30: (0.1285, 0.018),
        40: (0.1718, 0.0152)},
    "p": {10: (0.026, 0.026), 12: (0.036, 0.0152), 16: (0.0465, 0.0073),
        20: (0.0732, 0.0075), 24: (0.084, 0.0203), 30: (0.1075, 0.0105),
        40: (0.1412, 0.008)},
    "u": {10: (0.026, 0.026), 12: (0.04, 0.0158), 16: (0.054, 0.0107),
        20: (0.0788, 0.0125), 24: (0.091, 0.0238), 30: (0.11, 0.0132),
        40: (0.141, 0.0123)},
}


def chance_rate(chart: str, n: int, *, new: bool = False) -> float:
    """The chance rate for a series of ``n`` points (nearest tabulated length at or below
    ``n``; 0 below ``spc.MIN_POINTS``, where no verdict is given)."""
    if n < spc.MIN_POINTS:
        return 0.0
    table = FALSE_ALARM_RATES[{"p'": "p", "u'": "u"}.get(chart, chart)]
    length = max(k for k in table if k <= n) if any(k <= n for k in table) else min(table)
    return table[length][1 if new else 0]


def expected_chance_signals(series: Iterable[tuple[str, int]], *, new: bool = False) -> float:
    """Expected number of signals among series without any real change: the sum of the
    chance rates of each (chart, number of points). ``new``: signals that appear with the
    latest point (what a meeting agenda shows as news)."""
    return float(sum(chance_rate(chart, n, new=new) for chart, n in series))


def chance_signals_sentence(n_series: int, expected: float, period: str = "kwartaal") -> str:
    """E.g. 'Bij 210 reeksen zijn ongeveer 2 nieuwe signalen per kwartaal toeval.'"""
    rounded = round(expected)
    if rounded < 1:
        amount = "minder dan 1 nieuw signaal"
    else:
        amount = f"ongeveer {rounded} {'nieuw signaal' if rounded == 1 else 'nieuwe signalen'}"
    reeks = "reeks" if n_series == 1 else "reeksen"
    return (f"Bij {n_series} {reeks} zonder echte verandering {'is' if rounded == 1 else 'zijn'} "
            f"{amount} per {period} toeval; een enkel nieuw signaal is dus nog geen nieuws.")


def signal_size(analysis: spc.SeriesAnalysis) -> float:
    """How far the latest highlighted point lies from the centre line in sigmas (|z|); for
    a run chart, in units of the median absolute deviation of the phase. 0 without one."""
    if not analysis.phases:
        return 0.0
    first = analysis.phases[-1].start
    for i in range(analysis.n - 1, first - 1, -1):
        value = analysis.values[i]
        if value is None or not analysis.signal_points[i]:
            continue
        centre, upper = analysis.centre[i], analysis.upper[i]
        if upper is not None and upper > centre:
            return abs(value - centre) / ((upper - centre) / 3)
        present = [v for v in analysis.values[first:] if v is not None]
        mad = float(np.median(np.abs(np.asarray(present) - centre))) or 1.0
        return abs(value - centre) / mad
    return 0.0


def signal_rank_key(analysis: spc.SeriesAnalysis, polarity: object) -> tuple[int, float]:
    """Sort key for signals (ascending): deteriorations first, then changes without a
    direction, then improvements; within each, the largest |z| of the latest signal first."""
    verdict = series_verdict(analysis, polarity)
    order = {DETERIORATION: 0, CHANGE: 1, IMPROVEMENT: 2}.get(verdict.key, 3)
    return order, -signal_size(analysis)


