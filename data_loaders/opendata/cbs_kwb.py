"""CBS *Kerncijfers wijken en buurten* (StatLine 85618NED 2023, 85984NED 2024, 86165NED 2025).

One row per region (``NL00``, gemeenten, wijken, buurten); the period is the table's year.
Buurt and wijk rows are stored per CBS code, so that an area's figure is aggregated from its
parts at read time (``dashboard.domain.aggregation``); gemeente rows are the municipality
reference and ``NL00`` the Netherlands reference (``NL``). Rows of other municipalities are
skipped and counted.

Column keys (without their ordinal, which shifts between the yearly tables). Checked against
the tables' OData metadata (``https://opendata.cbs.nl/ODataApi/odata/<tabel>/DataProperties``)
as quoted by public projects that read these tables:

================================  =====================  =====================  ==========
key                               85318NED (2022)        85618NED (2023)        85984NED
================================  =====================  =====================  ==========
AantalInwoners                    _5                     _5                     _5
k_65JaarOfOuder                   _12                    _12                    _12
HuishoudensTotaal                 _28                    _29                    _29
HuishoudensMetEenLaagInkomen (%)  _78                    _87                    (gone)
PersonenInArmoede (%)             (not yet)              (not yet)              _81
PersonenPerSoortUitkeringBijstand _83                    _92                    _87
JongerenMetJeugdzorgInNatura      _87                    _96                    _91
PercentageJongerenMetJeugdzorg    _88                    _97                    _92
WmoClienten                       _89                    _98                    _93
WmoClientenRelatief (per 1.000)   _90                    _99                    _94
================================  =====================  =====================  ==========

86165NED (2025) keeps the 2024 ordinals for these keys; its income, benefit and care
columns stay empty (``.``) until CBS fills them, and are then stored as missing.
From 2024 CBS replaced "huishoudens met een laag inkomen" by "personen in armoede" (a new
poverty line): two indicators, never one series.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from data_loaders.models import Polarity
from data_loaders.opendata.common import (
    MISSING,
    OK,
    OTHER_REGIONS,
    OUT_OF_SCOPE,
    SUPPRESSED,
    Batch,
    Catalogue,
    Figure,
    OpenDataError,
    Source,
    StatlineTable,
    cell,
    check_year,
    dutch,
    in_scope,
    municipality_digits,
    read_statline,
    row_region,
    status_note,
    year_from_name,
)

KEY = "cbs-kwb"
TITLE = "CBS Kerncijfers wijken en buurten"
TABLES = {"84799NED": 2020, "85039NED": 2021, "85318NED": 2022, "85618NED": 2023,
          "85984NED": 2024, "86165NED": 2025}
LICENCE = ("CC BY 4.0. Bron: Centraal Bureau voor de Statistiek (CBS), Kerncijfers wijken en "
           "buurten (StatLine).")
WHO = "CBS"
NOT_ADDITIVE = "CBS-percentage zonder teller en noemer: niet op te tellen."
DERIVED = "Noemer afgeleid uit het CBS-aantal en het afgeronde CBS-percentage."


def _entry(key: str, label: str, definition: str, unit: str, polarity: Polarity,
           moment: str, is_rate: bool = False, multiplier: float = 1.0) -> Catalogue:
    return Catalogue(key=key, label=label, definition=definition, unit=unit, polarity=polarity,
                     source=TITLE, licence=LICENCE, reference_moment=moment, is_rate=is_rate,
                     multiplier=multiplier,
                     disclosure_rule="standaard; CBS rondt af, houdt geheim")


@dataclass(frozen=True)
class Recipe:
    """How one indicator is read from a row (column keys without ordinal)."""

    catalogue: Catalogue
    count: str | None = None  # the count: the value of a count, the numerator of a rate
    per: str | None = None  # the denominator column of a rate
    published: str | None = None  # CBS's own rate (percentage, per 1.000)
    derive_denominator: bool = False  # denominator = count / published rate


INWONERS = "AantalInwoners"
RECIPES = (
    Recipe(_entry("inwoners", "Inwoners", "Aantal inwoners op 1 januari.", "aantal",
                  Polarity.NEUTRAL, "1 januari"), count=INWONERS),
    Recipe(_entry("huishoudens", "Huishoudens", "Aantal particuliere huishoudens op 1 januari.",
                  "aantal", Polarity.NEUTRAL, "1 januari"), count="HuishoudensTotaal"),
    Recipe(_entry("ouderen_65plus", "Inwoners van 65 jaar en ouder",
                  "Percentage inwoners van 65 jaar of ouder op 1 januari (teller en noemer uit "
                  "de CBS-aantallen).", "%", Polarity.NEUTRAL, "1 januari", True, 100.0),
           count="k_65JaarOfOuder", per=INWONERS),
    Recipe(_entry("laag_inkomen", "Huishoudens met laag inkomen",
                  "Percentage particuliere huishoudens met een inkomen onder de "
                  "lage-inkomensgrens (CBS, tot en met de tabel van 2023). " + NOT_ADDITIVE,
                  "%", Polarity.LOWER_IS_BETTER, "inkomensjaar van de tabel", True, 100.0),
           published="HuishoudensMetEenLaagInkomen"),
    Recipe(_entry("personen_armoede", "Personen in armoede",
                  "Percentage personen in particuliere huishoudens met een inkomen onder de "
                  "armoedegrens (CBS, vanaf de tabel van 2024). " + NOT_ADDITIVE,
                  "%", Polarity.LOWER_IS_BETTER, "inkomensjaar van de tabel", True, 100.0),
           published="PersonenInArmoede"),
    Recipe(_entry("bijstand", "Bijstandsuitkeringen per 1.000 inwoners",
                  "Personen met een bijstandsuitkering (Participatiewet; CBS rondt af op "
                  "tientallen) per 1.000 inwoners.", "per 1.000", Polarity.LOWER_IS_BETTER,
                  "stand in het jaar van de tabel", True, 1000.0),
           count="PersonenPerSoortUitkeringBijstand", per=INWONERS),
    Recipe(_entry("wmo_maatwerk", "Wmo-cliënten per 1.000 inwoners",
                  "Personen met een maatwerkarrangement Wmo per 1.000 inwoners.", "per 1.000",
                  Polarity.LOWER_IS_BETTER, "jaar van de tabel", True, 1000.0),
           count="WmoClienten", per=INWONERS, published="WmoClientenRelatief"),
    Recipe(_entry("jeugdzorg", "Jongeren met jeugdzorg",
                  "Percentage jongeren tot 23 jaar met jeugdzorg in natura (jeugdhulp, "
                  "jeugdbescherming of jeugdreclassering). " + DERIVED, "%",
                  Polarity.LOWER_IS_BETTER, "jaar van de tabel", True, 100.0),
           count="JongerenMetJeugdzorgInNatura", published="PercentageJongerenMetJeugdzorg",
           derive_denominator=True),
)


def read(path: Path, *, year: int | None, municipalities: frozenset[str]) -> Batch:
    table = read_statline(path)
    found_year, table_id = year_from_name(path, TABLES)
    period = str(check_year(found_year, year, path))
    region_col = table.required("WijkenEnBuurten", "RegioS", what=TITLE)
    table.required(INWONERS, what=TITLE)
    recipes = [r for r in RECIPES if table.column(r.count or r.published or "")]
    columns = {key: table.column(key) for r in recipes
               for key in (r.count, r.per, r.published) if key}
    batch = Batch(KEY, TITLE, path.name, table_id, [r.catalogue for r in recipes])
    digits = municipality_digits(municipalities)
    seen: dict[str, int] = {}
    for i, row in enumerate(table.rows):
        code = row_region(table, i, row, region_col)
        if code is None:
            batch.skip(OTHER_REGIONS)
            continue
        if code in seen:
            raise OpenDataError(f"{table.where(i, region_col)}: regio {code} staat al in "
                                f"{table.row_label(seen[code])}.")
        seen[code] = i
        if not in_scope(code, digits):
            batch.skip(OUT_OF_SCOPE)
            continue
        cells = {key: cell(row.get(col), table.where(i, col))
                 for key, col in columns.items() if col}
        for recipe in recipes:
            batch.figures.append(_figure(recipe, cells, code, period, table, i, columns))
    return batch


def _figure(r: Recipe, cells: Mapping[str, tuple[float | None, str]], code: str, period: str,
            table: StatlineTable, i: int, columns: Mapping[str, str | None]) -> Figure:
    """One indicator of one row: a count, a rate from numerator and denominator, or CBS's own
    rate when the numbers behind it are not published."""
    c = r.catalogue

    def fig(value: float | None, num: float | None = None, den: float | None = None,
            status: str = OK, note: str = "") -> Figure:
        return Figure(c.key, code, period, value, num, den, status=status,
                      note=note if status == OK else status_note(status, WHO))

    def at(key: str | None) -> str:
        return table.where(i, columns.get(key or "") or key)

    count, count_status = cells.get(r.count, (None, MISSING)) if r.count else (None, MISSING)
    rate, rate_status = (cells.get(r.published, (None, MISSING)) if r.published
                         else (None, MISSING))
    for key, (v, _) in ((r.count, (count, count_status)), (r.published, (rate, rate_status))):
        if key and v is not None and v < 0:
            raise OpenDataError(f"{at(key)}: {dutch(v)} kan niet negatief zijn.")
    if r.published and rate is not None and c.multiplier == 100.0 and rate > 100:
        raise OpenDataError(f"{at(r.published)}: {dutch(rate)}% ligt boven 100%.")
    if not c.is_rate:
        return fig(count, count, None, count_status)
    if r.count is None or count_status != OK:
        if rate_status == OK:  # only CBS's rate is known: shown, never summed
            return fig(rate, note=NOT_ADDITIVE)
        return fig(None, status=SUPPRESSED if SUPPRESSED in (count_status, rate_status)
                   else MISSING)
    if r.derive_denominator:
        if rate_status == OK and rate and rate > 0:
            return fig(rate, count, count * c.multiplier / rate, note=DERIVED)
        return fig(rate, note=NOT_ADDITIVE) if rate_status == OK else fig(None, status=MISSING)
    den, den_status = cells.get(r.per or "", (None, MISSING))
    if den_status != OK or not den:
        return fig(rate, note=NOT_ADDITIVE) if rate_status == OK else fig(None, status=MISSING)
    if c.multiplier == 100.0 and count > den:
        raise OpenDataError(f"{at(r.count)}: {dutch(count)} is meer dan {columns[r.per or '']} "
                            f"({dutch(den)}); een aandeel kan niet boven 100% liggen.")
    value = rate if rate_status == OK else count / den * c.multiplier
    return fig(value, count, den)


SOURCE = Source(KEY, TITLE, read)
