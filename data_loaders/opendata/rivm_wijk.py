"""RIVM *Gezondheid per wijk en buurt* (StatLine 50120NED up to 2022, 50150NED up to 2024).

Model estimates (small-area estimation from the GGD Gezondheidsmonitor Volwassenen en
Ouderen) per gemeente, wijk and buurt, for adults (Leeftijd ``20300`` = 18 jaar of ouder).
The table is long in its Marges dimension: ``MW00000`` is the estimate, ``MOG0095`` and
``MBG0095`` the lower and upper bound of its 95% interval. An estimate has no numerator or
denominator: it is stored with its interval and never summed, so an area of several parts
gets no aggregate ("modelschatting: niet op te tellen"); an area of one part shows it as is.

The dimensions are ``WijkenEnBuurten`` in both tables' OData feeds (``RegioS`` is accepted
too), ``Perioden`` (``2022JJ00``) and ``Leeftijd``; the Netherlands is ``NL01``. The measure
keys differ between the tables (found in the tables' DataProperties as quoted by public
projects that read them; ordinals shown for reference, they are not matched):

=========================  ====================================  ==================================
indicator                  50120NED                              50150NED
=========================  ====================================  ==================================
ervaren gezondheid         ErvarenGezondheidGoedZeerGoed_4       GoedErvarenGezondheid_4
eenzaam                    Eenzaam_27                            Eenzaam_25
sterk/ernstig eenzaam      ErnstigZeerErnstigEenzaam_28          SterkEenzaam_26
angst of depressie         HoogRisicoOpAngstOfDepressie_25       HoogRisicoAngststoornisOfDepressie_14
overgewicht                Overgewicht_9                         Overgewicht_33
roken                      Roker_11                              RooktTabak_35
=========================  ====================================  ==================================
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from data_loaders.models import Polarity
from data_loaders.opendata.common import (
    OK,
    OTHER_REGIONS,
    OUT_OF_SCOPE,
    Batch,
    Catalogue,
    Figure,
    OpenDataError,
    Source,
    StatlineTable,
    cell,
    dutch,
    in_scope,
    municipality_digits,
    read_statline,
    row_region,
    status_note,
)

KEY = "rivm-wijk"
TITLE = "RIVM Gezondheid per wijk en buurt"
TABLES = ("50120NED", "50150NED")
LICENCE = ("CC BY 4.0. Bron: RIVM, Gezondheid per wijk en buurt (modelschattingen op basis "
           "van de Gezondheidsmonitor Volwassenen en Ouderen van GGD'en, CBS en RIVM).")
WHO = "RIVM"
ADULTS = ("20300", "18 jaar of ouder")
MARGINS = {"MW00000": "value", "Waarde": "value",
           "MOG0095": "lower", "Ondergrens 95%-interval": "lower",
           "MBG0095": "upper", "Bovengrens 95%-interval": "upper"}
NOT_ADDITIVE = "Modelschatting (RIVM): niet op te tellen."


def _entry(key: str, label: str, definition: str, polarity: Polarity) -> Catalogue:
    return Catalogue(key=key, label=f"{label} (modelschatting)",
                     definition=f"{definition} Modelschatting per buurt en wijk met 95%-interval; "
                                "niet op te tellen over buurten.",
                     unit="%", polarity=polarity, source=TITLE, licence=LICENCE,
                     reference_moment="meetjaar van de Gezondheidsmonitor (najaar)",
                     period_type="meting", is_rate=True, multiplier=100.0,
                     disclosure_rule="modelschatting, geen aantallen")


INDICATORS = (
    (_entry("rivm_ervaren_gezondheid", "Ervaren gezondheid goed of zeer goed",
            "Percentage volwassenen (18+) dat de eigen gezondheid als goed of zeer goed ervaart.",
            Polarity.HIGHER_IS_BETTER),
     ("GoedErvarenGezondheid", "ErvarenGezondheidGoedZeerGoed")),
    (_entry("rivm_eenzaam", "Eenzaam",
            "Percentage volwassenen (18+) dat zich eenzaam voelt.", Polarity.LOWER_IS_BETTER),
     ("Eenzaam",)),
    (_entry("rivm_sterk_eenzaam", "Sterk (ernstig) eenzaam",
            "Percentage volwassenen (18+) dat zich sterk of (zeer) ernstig eenzaam voelt.",
            Polarity.LOWER_IS_BETTER),
     ("SterkEenzaam", "ErnstigZeerErnstigEenzaam")),
    (_entry("rivm_angst_depressie", "Hoog risico op angststoornis of depressie",
            "Percentage volwassenen (18+) met een hoog risico op een angststoornis of depressie.",
            Polarity.LOWER_IS_BETTER),
     ("HoogRisicoAngststoornisOfDepressie", "HoogRisicoOpAngstOfDepressie")),
    (_entry("rivm_overgewicht", "Overgewicht",
            "Percentage volwassenen (18+) met overgewicht (BMI 25 of hoger).",
            Polarity.LOWER_IS_BETTER),
     ("Overgewicht",)),
    (_entry("rivm_roken", "Rookt",
            "Percentage volwassenen (18+) dat rookt.", Polarity.LOWER_IS_BETTER),
     ("RooktTabak", "Roker")),
)


def _key(raw: Any) -> str:
    return str(raw if raw is not None else "").strip()


def read(path: Path, *, year: int | None, municipalities: frozenset[str]) -> Batch:
    table = read_statline(path)
    region_col = table.required("WijkenEnBuurten", "RegioS", what=TITLE)
    period_col = table.required("Perioden", what=TITLE)
    age_col = table.required("Leeftijd", what=TITLE)
    margin_col = table.required("Marges", what=TITLE)
    measures = [(c, col) for c, keys in INDICATORS if (col := table.column(*keys))]
    if not measures:
        raise OpenDataError(f"{path.name}: geen van de bekende indicatoren gevonden (verwacht "
                            "bijvoorbeeld GoedErvarenGezondheid of ErvarenGezondheidGoedZeerGoed).")
    table_id = next((t for t in TABLES if t in path.name.upper() or t in path.parent.name.upper()),
                    "")
    batch = Batch(KEY, TITLE, path.name, table_id, [c for c, _ in measures])
    digits = municipality_digits(municipalities)
    # (region, period) -> margin -> row index
    groups: dict[tuple[str, str], dict[str, int]] = {}
    years: set[int] = set()
    for i, row in enumerate(table.rows):
        if _key(row.get(age_col)) not in ADULTS:
            batch.skip("rijen van andere leeftijdsgroepen dan 18 jaar of ouder")
            continue
        margin = MARGINS.get(_key(row.get(margin_col)))
        if margin is None:
            raise OpenDataError(f"{table.where(i, margin_col)}: onbekende marge "
                                f"'{_key(row.get(margin_col))}' (verwacht MW00000, MOG0095 of "
                                "MBG0095).")
        period = _period(row.get(period_col), table.where(i, period_col))
        years.add(int(period))
        if year is not None and int(period) != year:
            batch.skip(f"rijen van andere jaren dan --jaar {year}")
            continue
        code = row_region(table, i, row, region_col)
        if code is None:
            batch.skip(OTHER_REGIONS)
            continue
        if not in_scope(code, digits):
            batch.skip(OUT_OF_SCOPE)
            continue
        group = groups.setdefault((code, period), {})
        if margin in group:
            raise OpenDataError(f"{table.where(i, margin_col)}: {code} {period} staat al in "
                                f"{table.row_label(group[margin])}.")
        group[margin] = i
    if year is not None and year not in years:
        raise OpenDataError(f"{path.name}: geen cijfers voor {year} (het bestand heeft "
                            f"{', '.join(str(y) for y in sorted(years)) or 'geen jaren'}).")
    for (code, period), group in sorted(groups.items()):
        if "value" not in group:
            first = min(group.values())
            raise OpenDataError(f"{table.where(first, margin_col)}: {code} {period} heeft een "
                                "interval maar geen waarde (MW00000).")
        for catalogue, col in measures:
            batch.figures.append(_estimate(catalogue, col, code, period, group, table))
    return batch


def _period(raw: Any, where: str) -> str:
    found = re.fullmatch(r"(\d{4})(JJ00)?", _key(raw))
    if not found:
        raise OpenDataError(f"{where}: '{_key(raw)}' is geen jaar (verwacht bijvoorbeeld 2022JJ00).")
    return found.group(1)


def _estimate(c: Catalogue, col: str, code: str, period: str, group: dict[str, int],
              table: StatlineTable) -> Figure:
    """The estimate with its interval; an interval that does not hold the estimate is refused."""
    numbers: dict[str, float | None] = {}
    status = OK
    for margin, i in group.items():
        v, s = cell(table.rows[i].get(col), table.where(i, col))
        if v is not None and not 0 <= v <= 100:
            raise OpenDataError(f"{table.where(i, col)}: {dutch(v)}% ligt niet tussen 0 en 100.")
        numbers[margin] = v
        if margin == "value":
            status = s
    value = numbers.get("value")
    if status != OK or value is None:
        return Figure(c.key, code, period, None, status=status, note=status_note(status, WHO))
    lower, upper = numbers.get("lower"), numbers.get("upper")
    if lower is None or upper is None:  # half an interval is no interval
        lower = upper = None
    elif not lower <= value <= upper:
        raise OpenDataError(f"{table.where(group['value'], col)}: de waarde {dutch(value)} ligt "
                            f"niet binnen het 95%-interval {dutch(lower)}–{dutch(upper)} ("
                            f"{table.row_label(group['lower'])} en "
                            f"{table.row_label(group['upper'])}).")
    return Figure(c.key, code, period, value, lower=lower, upper=upper, note=NOT_ADDITIVE)


SOURCE = Source(KEY, TITLE, read)
