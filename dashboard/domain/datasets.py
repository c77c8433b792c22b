"""The editable datasets: their fields, Dutch labels, natural keys and validation rules.

One owner of "what a valid row is": the write layer (``dashboard.store.writes``), the importer
(``dashboard.store.importers``), the Excel templates and the edit forms all read these specs.
Values travel in their *external* form: references by their code or key (coach ``WC-01``,
area ``hoensbroek``), dates as ``datetime.date``, choices as their Dutch text. No database
access and no Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard.domain.i18n import NumberFormatError, fmt_number, parse_number
from dashboard.domain.kernteams import METRICS as KERNTEAM_METRICS
from dashboard.domain.roles import Permission, Role, can
from dashboard.domain.settings import SETTINGS as SETTING_SPECS
from dashboard.domain.vocab import (
    BODIES,
    DIRECTIONS,
    DISCIPLINES,
    DOMAINS,
    FINANCIERS,
    INTERVENTION_METHODS,
    LAWS,
    PERIOD_TYPES,
    POSITIVE_HEALTH_DIMENSIONS,
    DecisionOutcome,
    DecisionStatus,
    Polarity,
    ProjectHealth,
    ProjectStatus,
    ValueStatus,
)
from geo.registry import CBS_CODE_RE, MAX_NOTE

SUBJECT_TYPES = ("project", "interventie", "programmalijn")
PROJECT_KINDS = ("project", "programmalijn")
TRUE_WORDS = {"ja", "j", "waar", "true", "1", "x", "yes"}
FALSE_WORDS = {"nee", "n", "onwaar", "false", "0", "no"}


@dataclass(frozen=True)
class Problem:
    """One validation problem, in Dutch, tied to a field (column) and optionally a row."""

    field: str  # the external field name ("" for the row as a whole)
    label: str  # the Dutch column label
    message: str
    row: int | None = None  # spreadsheet row number (imports only)


@dataclass(frozen=True)
class Field:
    name: str  # external name (also the key in value dicts)
    label: str  # Dutch column header
    # text, longtext, int, float, date, month, quarter, period, bool, choice, list, ref, refs,
    # codes ("refs": several references, stored as a many-to-many relationship named
    # ``attr``; "codes": several free codes in capitals, stored as child rows ``attr`` of the
    # table ``ref[0]`` whose column ``ref[1]`` holds the code, e.g. an area's CBS parts)
    kind: str
    required: bool = True
    attr: str | None = None  # model attribute when it differs from ``name`` (refs: the *_id)
    min: float | None = None
    max: float | None = None
    max_len: int | None = None
    choices: tuple[Any, ...] = ()
    enum: type | None = None  # store choice as this enum (by value)
    # (table, key) for kinds "ref"/"refs": the referenced table and the attribute (or a
    # computed key the store knows, such as a decision's "besluit") users type
    ref: tuple[str, str] | None = None
    help: str = ""
    default: Any = None  # the value of a blank optional cell (e.g. Actief: ja)

    @property
    def model_attr(self) -> str:
        return self.attr or self.name


Check = Callable[[dict[str, Any]], list[Problem]]


@dataclass(frozen=True)
class Dependent:
    """Rows elsewhere that refer to a row of a dataset: while any exist, it is not deleted."""

    table: str
    column: str  # the referring column, e.g. coach_id
    label: str  # Dutch, plural: "maandcijfers"


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str  # Dutch, plural
    model: str  # the table the store saves into (resolved to its model by the store)
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # natural key: external field names, used by imports
    soft_delete: bool = False
    permission: Permission = Permission.EDIT_DATA  # who may write (roles.py owns who has it)
    # Master data: a row that figures refer to is refused deletion with a Dutch reason and
    # deactivated instead (``active`` field).
    dependents: tuple[Dependent, ...] = ()
    noun: str = ""  # Dutch, singular, for messages ("coach")
    scope: str = ""  # a named subset of the table the store filters on ("" = all rows)
    checks: tuple[Check, ...] = ()
    derived: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda v: {})
    description: str = ""
    title_fields: tuple[str, ...] = ()  # shown after the key when a row is listed

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def describe(self, values: Mapping[str, Any]) -> str:
        """A short Dutch description of a row by its natural key, for lists and messages."""
        return " · ".join(text for k in (*self.key, *self.title_fields)
                          if (text := display(values.get(k))))


# ---------------------------------------------------------------- parsing of single values


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:  # pandas NaT / NA
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, set)) else False
    except (TypeError, ValueError):
        return False


_DATE_PATTERNS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%y")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", text):
        text = text[:10]
    for pattern in _DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _month(value: Any) -> dt.date:
    if not isinstance(value, (dt.date, dt.datetime)) and re.fullmatch(r"\s*\d{4}-\d{1,2}\s*",
                                                                       str(value)):
        year, month = str(value).strip().split("-")
        return dt.date(int(year), int(month), 1)
    d = _date(value)
    return d.replace(day=1)


QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
PERIOD_RE = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


def quarter_start(quarter: str) -> dt.date:
    m = QUARTER_RE.match(quarter)
    if not m:
        raise ValueError(quarter)
    return dt.date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1)


def period_start(period: str) -> dt.date:
    m = PERIOD_RE.match(period)
    if not m:
        raise ValueError(period)
    year, quarter, month = m.groups()
    if quarter:
        return dt.date(int(year), 3 * int(quarter) - 2, 1)
    return dt.date(int(year), int(month) if month else 1, 1)


def parse_value(f: Field, raw: Any) -> tuple[Any, str | None]:
    """Turn a raw form/CSV/Excel value into the external value; or return a Dutch problem."""
    listed = f.kind in ("list", "refs", "codes")
    if is_blank(raw) or (listed and isinstance(raw, (list, tuple)) and not raw):
        if f.default is not None and not f.required:
            return f.default, None
        return (([] if listed else None),
                f"{f.label} is verplicht." if f.required else None)
    try:
        if f.kind in ("text", "longtext"):
            value: Any = str(raw).strip()
            if f.max_len and len(value) > f.max_len:
                return None, f"{f.label} mag hoogstens {f.max_len} tekens lang zijn."
            return value, None
        if f.kind == "int":
            number = parse_number(raw)
            if number != int(number):
                return None, f"{f.label} moet een geheel getal zijn, niet '{raw}'."
            value = int(number)
        elif f.kind == "float":
            value = float(parse_number(raw))
        elif f.kind == "date":
            return _date(raw), None
        elif f.kind == "month":
            return _month(raw), None
        elif f.kind == "quarter":
            text = str(raw).strip().upper()
            quarter_start(text)
            return text, None
        elif f.kind == "period":
            text = str(raw).strip().upper()
            period_start(text)
            return text, None
        elif f.kind == "bool":
            if isinstance(raw, bool):
                return raw, None
            word = str(raw).strip().lower()
            if word in TRUE_WORDS:
                return True, None
            if word in FALSE_WORDS:
                return False, None
            return None, f"{f.label} moet 'ja' of 'nee' zijn."
        elif f.kind == "choice":
            text = raw.value if hasattr(raw, "value") else raw
            match = next((c for c in f.choices if str(c).lower() == str(text).strip().lower()), None)
            if match is None:
                return None, f"{f.label} moet een van deze waarden zijn: {', '.join(map(str, f.choices))}."
            return match, None
        elif f.kind == "list":
            items = raw if isinstance(raw, (list, tuple)) else re.split(r"[;,]", str(raw))
            out = []
            for item in (str(i).strip() for i in items):
                if not item:
                    continue
                match = next((c for c in f.choices if c.lower() == item.lower()), None)
                if match is None:
                    return None, (f"{f.label}: '{item}' is onbekend; kies uit "
                                  f"{', '.join(f.choices)}.")
                if match not in out:
                    out.append(match)
            if f.min is not None and len(out) < f.min:
                return None, f"{f.label}: kies er minstens {int(f.min)}."
            return out, None
        elif f.kind == "ref":
            return str(raw).strip(), None
        elif f.kind == "codes":
            items = raw if isinstance(raw, (list, tuple)) else re.split(r"[;,\s]+", str(raw))
            return sorted({str(i).strip().upper() for i in items if str(i).strip()}), None
        elif f.kind == "refs":
            items = raw if isinstance(raw, (list, tuple)) else re.split(r"[;,]", str(raw))
            keys: list[str] = []
            for item in (str(i).strip() for i in items):
                if item and item.lower() not in {k.lower() for k in keys}:
                    keys.append(item)
            return sorted(keys, key=str.lower), None
        else:  # pragma: no cover - a spec error
            raise AssertionError(f.kind)
    except (ValueError, TypeError, OverflowError) as error:
        hint = error.hint if isinstance(error, NumberFormatError) and error.hint else ""
        kind = {"int": "een geheel getal", "float": "een getal", "date": "een datum (jjjj-mm-dd)",
                "month": "een maand (jjjj-mm)", "quarter": "een kwartaal (jjjj-Qn, bv. 2025-Q3)",
                "period": "een periode (jjjj, jjjj-Qn of jjjj-mm)"}.get(f.kind, "geldig")
        return None, f"{f.label} moet {kind} zijn, niet '{raw}'" + (f": {hint}." if hint else ".")
    if f.min is not None and value < f.min:
        return None, f"{f.label} mag niet kleiner zijn dan {display(f.min)}."
    if f.max is not None and value > f.max:
        return None, f"{f.label} mag niet groter zijn dan {display(f.max)}."
    return value, None


def display(value: Any) -> str:
    """External value as Dutch text (numbers 1.234,5; dates 23-11-2026; lists comma separated)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return fmt_number(value, 0 if value == int(value) else 2)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def clean(ds: Dataset, raw: Mapping[str, Any], row: int | None = None
          ) -> tuple[dict[str, Any], list[Problem]]:
    """Parse and check one row: every field, then the cross-field rules of the dataset."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for f in ds.fields:
        value, message = parse_value(f, raw.get(f.name))
        values[f.name] = value
        if message:
            problems.append(Problem(f.name, f.label, message, row))
    if not problems:
        for check in ds.checks:
            problems += [Problem(p.field, p.label, p.message, row) for p in check(values)]
    return values, problems


# ---------------------------------------------------------------- cross-field rules


def _rule(ds_fields: tuple[Field, ...], name: str, message: str) -> Problem:
    label = next((f.label for f in ds_fields if f.name == name), name)
    return Problem(name, label, message)


def _not_more(part: str, whole: str | tuple[str, ...], message: str) -> Check:
    wholes = (whole,) if isinstance(whole, str) else whole

    def check(v: dict[str, Any]) -> list[Problem]:
        total = sum(v.get(w) or 0 for w in wholes)
        return [Problem(part, LABELS[part], message)] if (v.get(part) or 0) > total else []

    return check


def _not_before(later: str, earlier: str, message: str) -> Check:
    def check(v: dict[str, Any]) -> list[Problem]:
        a, b = v.get(later), v.get(earlier)
        return [Problem(later, LABELS[later], message)] if a and b and a < b else []

    return check


def _area_xor_region(v: dict[str, Any]) -> list[Problem]:
    if bool(v.get("area")) == bool(v.get("region_code")):
        return [Problem("area", LABELS["area"],
                        "Vul precies één van Gebied en Regiocode in (niet allebei, niet geen).")]
    return []


def _coach_closed(v: dict[str, Any]) -> list[Problem]:
    closed = sum(v.get(k) or 0 for k in ("closed_goal_reached", "closed_referred",
                                         "closed_dropped_out"))
    available = (v.get("active_households") or 0) + sum(
        v.get(k) or 0 for k in ("new_huisarts", "new_wijkteam", "new_zelf", "new_overig"))
    if closed > available:
        return [Problem("closed_goal_reached", "Afgesloten trajecten",
                        "Afgesloten trajecten kan niet groter zijn dan actieve huishoudens plus "
                        f"aanmeldingen ({closed} > {available}).")]
    return []


def _value_matches_status(v: dict[str, Any]) -> list[Problem]:
    status = v.get("status")
    if status == ValueStatus.OK.value and v.get("value") is None:
        return [Problem("value", LABELS["value"], "Waarde is verplicht als de status 'ok' is.")]
    if status != ValueStatus.OK.value and v.get("value") is not None:
        return [Problem("value", LABELS["value"],
                        f"Waarde moet leeg blijven als de status '{status}' is.")]
    if v.get("denominator") == 0:
        return [Problem("denominator", LABELS["denominator"], "Noemer mag niet 0 zijn.")]
    return []


# ---------------------------------------------------------------- the datasets

LABELS: dict[str, str] = {}  # field name -> Dutch label, filled below (shared names agree)


def _f(name: str, label: str, kind: str, **kw: Any) -> Field:
    LABELS.setdefault(name, label)
    return Field(name, label, kind, **kw)


def _count(name: str, label: str) -> Field:
    return _f(name, label, "int", min=0, max=1_000_000)


def _enum_choice(name: str, label: str, enum_cls: type[enum.Enum], **kw: Any) -> Field:
    return _f(name, label, "choice", choices=tuple(m.value for m in enum_cls), enum=enum_cls, **kw)


PROGRAMME = _f("programme", "Programma", "ref", attr="programme_id", ref=("programme", "key"),
               help="Sleutel van het programma: blauwe-zorg of pluswijken.")
AREA_OPTIONAL = _f("area", "Gebied", "ref", attr="area_id", ref=("area", "key"), required=False,
                   help="Sleutel van het gebied, bv. hoensbroek.")
REGION = _f("region_code", "Regiocode", "text", required=False, max_len=12,
            help="CBS-code (BU…, WK…, GM…) of ZL/NL; alleen als er geen gebied is ingevuld.")

PROJECTS = Dataset(
    "project", "Projecten en programmalijnen", "project",
    fields=(
        _f("code", "Code", "text", max_len=20, help="Unieke code, bv. BZ-9."),
        PROGRAMME,
        _f("name", "Naam", "text", max_len=200),
        _f("kind", "Soort", "choice", choices=PROJECT_KINDS),
        _enum_choice("status", "Status", ProjectStatus),
        _enum_choice("health", "Voortgang", ProjectHealth),
        _f("domains", "Domeinen", "list", choices=DOMAINS, min=2,
           help="Minstens twee domeinen, gescheiden door komma's."),
        _f("goal", "Doel", "longtext", required=False),
        _f("approach", "Aanpak en planning", "longtext", required=False),
        _f("participants", "Deelnemers", "longtext", required=False),
        _f("facilities", "Faciliteiten", "longtext", required=False),
        _f("expected_results", "Verwachte resultaten", "longtext", required=False),
        _f("resident_participation", "Participatie van bewoners", "longtext", required=False),
        _f("contact_role", "Contactpersoon (rol)", "text", required=False, max_len=120),
        _f("budget_eur", "Budget (euro)", "float", required=False, min=0, max=1e9),
        _f("started_on", "Startdatum", "date", required=False),
        _f("ends_on", "Einddatum", "date", required=False),
        _f("areas", "Gebieden", "refs", attr="areas", ref=("area", "key"), required=False,
           help="Sleutels van de gebieden waar het project loopt, gescheiden door komma's, "
                "bv. hoensbroek, mheer."),
    ),
    key=("code",), soft_delete=True, title_fields=("name",),
    checks=(_not_before("ends_on", "started_on", "Einddatum mag niet voor de startdatum liggen."),),
    description="Een project moet minstens twee domeinen overstijgen.",
)

MILESTONES = Dataset(
    "milestone", "Mijlpalen", "milestone",
    fields=(
        _f("project", "Project", "ref", attr="project_id", ref=("project", "code"),
           help="Code van het project, bv. PW-3."),
        _f("title", "Mijlpaal", "text", max_len=200),
        _f("due_on", "Uiterste datum", "date"),
        _f("done_on", "Gereed op", "date", required=False),
    ),
    key=("project", "title"), soft_delete=True,
)

COACH_MONTHS = Dataset(
    "coach_month", "Maandcijfers welzijnscoaches", "coach_month",
    fields=(
        _f("coach", "Coach", "ref", attr="coach_id", ref=("coach", "code"),
           help="Code van de coach, bv. WC-01 (nooit een naam)."),
        _f("month", "Maand", "month", help="Eerste dag van de maand of jjjj-mm."),
        _count("active_households", "Actieve huishoudens"),
        _count("new_huisarts", "Aanmeldingen via huisarts"),
        _count("new_wijkteam", "Aanmeldingen via wijkteam"),
        _count("new_zelf", "Aanmeldingen zelf"),
        _count("new_overig", "Aanmeldingen overig"),
        _count("closed_goal_reached", "Afgesloten: doel bereikt"),
        _count("closed_referred", "Afgesloten: doorverwezen"),
        _count("closed_dropped_out", "Afgesloten: uitgevallen"),
        _count("waiting_list", "Wachtlijst"),
        _f("mean_duration_days", "Gemiddelde duur (dagen)", "float", required=False, min=0,
           max=3650),
    ),
    key=("coach", "month"), checks=(_coach_closed,),
)

KERNTEAM_QUARTERS = Dataset(
    "kernteam_quarter", "Kwartaalcijfers kernteams", "kernteam_quarter",
    fields=(
        _f("kernteam", "Kernteam", "ref", attr="kernteam_id", ref=("kernteam", "code"),
           help="Code van het kernteam, bv. KT-07."),
        _f("quarter", "Kwartaal", "quarter", help="Bv. 2025-Q3."),
        _count("frail_elderly", "Kwetsbare ouderen in beeld"),
        _count("with_care_plan", "Met proactief zorgplan"),
        _count("discussed_mdo", "Besproken in MDO"),
        _count("ed_visits", "SEH-bezoeken"),
        _count("admissions", "Ziekenhuisopnames"),
        _count("readmissions", "Heropnames"),
        _count("falls", "Valincidenten"),
    ),
    key=("kernteam", "quarter"),
    checks=(
        _not_more("with_care_plan", "frail_elderly",
                  "Met proactief zorgplan kan niet groter zijn dan kwetsbare ouderen in beeld."),
        _not_more("discussed_mdo", "frail_elderly",
                  "Besproken in MDO kan niet groter zijn dan kwetsbare ouderen in beeld."),
        _not_more("readmissions", "admissions",
                  "Heropnames kan niet groter zijn dan ziekenhuisopnames."),
    ),
    derived=lambda v: {"quarter_start": quarter_start(v["quarter"])},
)

INDICATOR_VALUES = Dataset(
    "indicator_value", "Indicatorwaarden", "indicator_value",
    fields=(
        _f("indicator", "Indicator", "ref", attr="indicator_id", ref=("indicator", "key"),
           help="Sleutel van de indicator, bv. ggz_kosten."),
        AREA_OPTIONAL,
        REGION,
        _f("period", "Periode", "period", help="jjjj, jjjj-Qn of jjjj-mm."),
        _f("value", "Waarde", "float", required=False),
        _f("numerator", "Teller", "float", required=False, min=0),
        _f("denominator", "Noemer", "float", required=False, min=0),
        _enum_choice("status", "Status", ValueStatus),
        _f("note", "Toelichting", "text", required=False, max_len=200),
    ),
    key=("indicator", "area", "region_code", "period"),
    checks=(_area_xor_region, _value_matches_status),
    derived=lambda v: {"period_start": period_start(v["period"])},
)

SURVEY_SCORES = Dataset(
    "survey_score", "Scores Positieve Gezondheid", "survey_score",
    fields=(
        AREA_OPTIONAL,
        REGION,
        _f("wave", "Meting", "int", min=1, max=50),
        _f("year", "Jaar", "int", min=2000, max=2100),
        _f("dimension", "Dimensie", "choice", choices=POSITIVE_HEALTH_DIMENSIONS),
        _f("mean_score", "Gemiddelde score", "float", min=0, max=10),
        _f("n_respondents", "Aantal respondenten", "int", min=0, max=1_000_000),
    ),
    key=("area", "region_code", "wave", "dimension"), checks=(_area_xor_region,),
)

BUDGETS = Dataset(
    "budget", "Budgetten (ontschotting)", "budget",
    fields=(
        PROGRAMME,
        _f("year", "Jaar", "int", min=2000, max=2100),
        _f("financier", "Financier", "choice", choices=FINANCIERS),
        _f("law", "Wet", "choice", choices=LAWS),
        _f("amount_eur", "Bedrag (euro)", "float", min=0, max=1e10),
    ),
    key=("programme", "year", "financier", "law"),
)

DECISIONS = Dataset(
    "decision", "Besluiten", "decision",
    fields=(
        PROGRAMME,
        _f("subject_type", "Soort onderwerp", "choice", choices=SUBJECT_TYPES),
        _f("subject", "Onderwerp", "text", max_len=200),
        _f("project", "Project", "ref", attr="project_id", ref=("project", "code"), required=False,
           help="Code van het project waarover besloten is (optioneel)."),
        _enum_choice("outcome", "Besluit", DecisionOutcome),
        _f("decided_on", "Datum besluit", "date"),
        _f("body", "Besloten door", "choice", choices=BODIES),
        _f("rationale", "Onderbouwing", "longtext"),
        _f("expected_effect", "Verwacht effect", "longtext", required=False),
        _f("review_on", "Evaluatie op", "date", required=False),
        _enum_choice("status", "Status", DecisionStatus),
        _f("areas", "Gebieden", "refs", attr="areas", ref=("area", "key"), required=False,
           help="Sleutels van de gebieden waarover het besluit gaat, gescheiden door komma's."),
        _f("cases", "Casussen", "refs", attr="cases", ref=("casus", "code"), required=False,
           help="Codes van de casussen die het besluit onderbouwen, bv. C-012, C-031."),
    ),
    key=("programme", "subject", "decided_on"), soft_delete=True,
    checks=(_not_before("review_on", "decided_on",
                        "Evaluatie op mag niet voor de datum van het besluit liggen."),),
    description="De openbare samenvatting publiceer je apart (knop Publiceren).",
)

CASES = Dataset(
    "case", "Casussen", "casus",
    fields=(
        _f("code", "Code", "text", max_len=20, help="Unieke code, bv. C-057."),
        _f("title", "Titel", "text", max_len=200),
        _f("summary", "Geanonimiseerde samenvatting", "longtext",
           help="Geen namen of andere gegevens die een persoon herkenbaar maken."),
        _f("knelpunt", "Knelpunt", "int", min=1, max=5, help="1 tot en met 5 (casussenboek)."),
        _f("domains", "Domeinen", "list", choices=DOMAINS, min=1),
        AREA_OPTIONAL,
        _f("lessons", "Lessen", "longtext", required=False),
        _f("publishable", "Publiceerbaar", "bool"),
        _f("recorded_on", "Vastgelegd op", "date"),
    ),
    key=("code",), soft_delete=True, title_fields=("title",),
)

# ---------------------------------------------------------------- master data and links

# A pseudonymous code: letters and digits in parts joined by hyphens, with at least one digit
# (WC-01, KT-07, WC-HRL-3); a name has spaces or no digits and is refused.
CODE_RE = re.compile(r"^(?=.*\d)[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
REFERENCE_RE = re.compile(r"^(GM\d{4}|ZL|NL)$")
REFERENCE_CODES = {"ZL": "Zuid-Limburg", "NL": "Nederland"}  # and every GM code


def decision_ref(decided_on: dt.date, subject: str) -> str:
    """How a decision is referred to in files and forms: its date and subject."""
    return f"{decided_on.isoformat()} {subject}"


def _pseudonymous_code(v: dict[str, Any]) -> list[Problem]:
    if v.get("code") and not CODE_RE.match(v["code"]):
        return [Problem("code", LABELS["code"],
                        f"Code '{v['code']}' is geen code zoals WC-01 (letters en cijfers, "
                        "met streepjes, zonder spaties); vul nooit een naam in.")]
    return []


def _one_of(names: tuple[str, ...], message: str) -> Check:
    def check(v: dict[str, Any]) -> list[Problem]:
        filled = [n for n in names if v.get(n)]
        return [Problem(names[0], LABELS[names[0]], message)] if len(filled) != 1 else []

    return check


def _at_least_one(names: tuple[str, ...], message: str) -> Check:
    def check(v: dict[str, Any]) -> list[Problem]:
        return [] if any(v.get(n) for n in names) else [Problem(names[0], LABELS[names[0]],
                                                                 message)]

    return check


def _reference_region(v: dict[str, Any]) -> list[Problem]:
    code = (v.get("region_code") or "").upper()
    if not REFERENCE_RE.match(code):
        return [Problem("region_code", "Referentie",
                        f"Referentie '{v.get('region_code')}' is geen gemeentecode (GM gevolgd "
                        "door vier cijfers, bv. GM0917), ZL (Zuid-Limburg) of NL (Nederland).")]
    return []


def _interval(v: dict[str, Any]) -> list[Problem]:
    lower, upper = v.get("lower"), v.get("upper")
    if lower is not None and upper is not None and lower > upper:
        return [Problem("lower", LABELS["lower"],
                        "Ondergrens mag niet groter zijn dan de bovengrens.")]
    return []


def _evidence_series(v: dict[str, Any]) -> list[Problem]:
    indicator = bool(v.get("indicator")) and bool(v.get("area"))
    team = bool(v.get("kernteam")) and bool(v.get("metric"))
    extra = (indicator and (v.get("kernteam") or v.get("metric"))) or (
        team and (v.get("indicator") or v.get("area")))
    if indicator == team or extra:
        return [Problem("indicator", LABELS["indicator"],
                        "Vul óf Indicator en Gebied in, óf Kernteam en Maat (niet allebei, "
                        "niet half).")]
    return []


SETTABLE = {s.key: s for s in SETTING_SPECS if s.editable}


def _setting_value(v: dict[str, Any]) -> list[Problem]:
    spec, value = SETTABLE.get(v.get("key") or ""), v.get("value")
    if spec is None or value is None:
        return []
    if spec.kind == "int" and value != int(value):
        return [Problem("value", "Waarde", f"{spec.label} moet een geheel getal zijn.")]
    low, high = spec.minimum, spec.maximum
    if low is not None and value < low or (high is not None and value > high):
        if low is not None and high is not None:
            bounds = f"tussen {display(float(low))} en {display(float(high))} liggen"
        elif low is not None:
            bounds = f"minstens {display(float(low))} zijn"
        else:
            bounds = f"hoogstens {display(float(high))} zijn"  # type: ignore[arg-type]
        return [Problem("value", "Waarde", f"{spec.label} moet {bounds}.")]
    return []


def _active() -> Field:
    return _f("active", "Actief", "bool", required=False, default=True,
              help="nee: niet meer in gebruik; de cijfers blijven bewaard en zichtbaar.")


INDICATORS = Dataset(
    "indicator", "Indicatorcatalogus", "indicator",
    fields=(
        _f("key", "Sleutel", "text", max_len=60, help="Unieke sleutel, bv. ggz_kosten."),
        _f("label", "Naam", "text", max_len=160),
        _f("definition", "Definitie", "longtext"),
        _f("unit", "Eenheid", "text", max_len=40, help="Bv. %, per 1.000 inwoners, euro."),
        _enum_choice("polarity", "Polariteit", Polarity),
        _f("source", "Bron", "text", max_len=160, help="Bv. CBS Kerncijfers wijken en buurten."),
        _f("licence", "Licentie en bronvermelding", "text", required=False, max_len=200,
           help="Wordt getoond waar de cijfers staan, bv. 'CBS, CC BY 4.0'."),
        _f("period_type", "Soort periode", "choice", choices=PERIOD_TYPES),
        _f("reference_moment", "Peildatum", "text", required=False, max_len=120,
           help="Het moment dat de cijfers beschrijven, bv. '1 januari van het jaar'."),
        _f("owner", "Eigenaar", "text", max_len=120, help="De organisatie of rol die de cijfers "
                                                          "aanlevert."),
        _f("last_update", "Laatst bijgewerkt", "date", required=False),
        _f("disclosure_rule", "Onthullingsregel", "text", required=False, max_len=40,
           default="standaard", help="Leeg of 'standaard': aantallen 1 tot en met 9 worden "
                                     "verborgen en getoonde aantallen afgerond op 5."),
        _f("is_rate", "Verhoudingsgetal", "bool", required=False, default=False,
           help="ja: de waarde is teller / noemer × vermenigvuldiger."),
        _f("multiplier", "Vermenigvuldiger", "float", required=False, default=1.0, min=1e-9,
           max=1e9, help="1 voor een gewoon getal, 100 voor een percentage, 1.000 voor per "
                         "1.000."),
        _f("is_survey", "Uit enquête", "bool", required=False, default=False),
        _f("is_public", "Openbaar", "bool", required=False, default=False,
           help="ja: na onthullingscontrole zichtbaar op de openbare pagina's."),
        _active(),
    ),
    key=("key",), title_fields=("label",), permission=Permission.ADMINISTER,
    dependents=(Dependent("indicator_value", "indicator_id", "waarden"),
                Dependent("decision_evidence", "indicator_id", "bewijsreeksen van besluiten")),
    noun="de indicator",
    description="Een indicator met waarden wordt niet verwijderd maar op Actief: nee gezet.",
)

REFERENCE_VALUES = Dataset(
    "reference_value", "Referentiewaarden (gemeente, Zuid-Limburg, Nederland)", "indicator_value",
    fields=(
        _f("indicator", "Indicator", "ref", attr="indicator_id", ref=("indicator", "key"),
           help="Sleutel van de indicator, bv. ggz_kosten."),
        _f("region_code", "Referentie", "text", max_len=12,
           help="GM-code van de gemeente (bv. GM0917), ZL (Zuid-Limburg) of NL (Nederland)."),
        _f("period", "Periode", "period", help="jjjj, jjjj-Qn of jjjj-mm."),
        _f("value", "Waarde", "float", required=False),
        _f("numerator", "Teller", "float", required=False, min=0),
        _f("denominator", "Noemer", "float", required=False, min=0),
        _f("lower", "Ondergrens (95%)", "float", required=False,
           help="Alleen bij een schatting met onzekerheidsmarge."),
        _f("upper", "Bovengrens (95%)", "float", required=False),
        _enum_choice("status", "Status", ValueStatus),
        _f("note", "Toelichting", "text", required=False, max_len=200),
    ),
    key=("indicator", "region_code", "period"), scope="referentie",
    checks=(_reference_region, _value_matches_status, _interval),
    derived=lambda v: {"period_start": period_start(v["period"]),
                       "region_code": v["region_code"].upper()},
    description="Referentiewaarden zijn de vergelijkingsniveaus naast de gebieden: een "
                "gemeente (GM-code), Zuid-Limburg (ZL) en Nederland (NL).",
)

COACHES = Dataset(
    "coach", "Welzijnscoaches", "coach",
    fields=(
        _f("code", "Code", "text", max_len=20,
           help="Pseudoniem, bv. WC-01: nooit een naam."),
        _f("fte", "Fte", "float", min=0, max=2),
        _f("area", "Gebied", "ref", attr="area_id", ref=("area", "key"),
           help="Sleutel van het gebied, bv. hoensbroek."),
        _f("started_on", "Startdatum", "date"),
        _f("ended_on", "Einddatum", "date", required=False),
        _active(),
    ),
    key=("code",), title_fields=("area",),
    checks=(_pseudonymous_code,
            _not_before("ended_on", "started_on", "Einddatum mag niet voor de startdatum "
                                                  "liggen.")),
    dependents=(Dependent("coach_month", "coach_id", "maandcijfers"),),
    noun="de coach",
    description="Een coach met maandcijfers wordt niet verwijderd maar op Actief: nee gezet.",
)

KERNTEAMS = Dataset(
    "kernteam", "Kernteams", "kernteam",
    fields=(
        _f("code", "Code", "text", max_len=20, help="Unieke code, bv. KT-07."),
        _f("name", "Naam", "text", max_len=120),
        _f("area", "Gebied", "ref", attr="area_id", ref=("area", "key"),
           help="Sleutel van het gebied, bv. hoensbroek."),
        _f("practice", "PlusPraktijk", "text", max_len=120),
        _f("disciplines", "Disciplines", "list", choices=DISCIPLINES, min=1,
           help="Een of meer disciplines, gescheiden door komma's."),
        _f("started_on", "Startdatum", "date"),
        _active(),
    ),
    key=("code",), title_fields=("name",),
    checks=(_pseudonymous_code,),
    dependents=(Dependent("kernteam_quarter", "kernteam_id", "kwartaalcijfers"),
                Dependent("intervention", "kernteam_id", "interventies"),
                Dependent("decision_evidence", "kernteam_id", "bewijsreeksen van besluiten")),
    noun="het kernteam",
    description="Een kernteam met cijfers wordt niet verwijderd maar op Actief: nee gezet.",
)

INTERVENTIONS = Dataset(
    "intervention", "Interventies", "intervention",
    fields=(
        _f("label", "Interventie", "text", max_len=160, help="Wat er veranderde, kort."),
        _f("started_on", "Startdatum", "date"),
        _f("kernteam", "Kernteam", "ref", attr="kernteam_id", ref=("kernteam", "code"),
           required=False, help="Code van het kernteam, bv. KT-07; of vul een gebied in."),
        AREA_OPTIONAL,
        _f("project", "Project", "ref", attr="project_id", ref=("project", "code"),
           required=False, help="Code van het project waar de interventie bij hoort (optioneel)."),
        _f("method", "In de run chart", "choice", choices=INTERVENTION_METHODS, required=False,
           default="basislijn",
           help="basislijn: middenlijn en grenzen van de periode ervoor worden bevroren; "
                "nieuwe fase: vanaf hier een nieuwe middenlijn."),
    ),
    key=("label", "started_on", "kernteam", "area"), title_fields=("project",),
    checks=(_one_of(("kernteam", "area"),
                    "Vul precies één van Kernteam en Gebied in (niet allebei, niet geen)."),),
)

SPENDING = Dataset(
    "spending", "Uitgaven per gebied en project", "spending",
    fields=(
        _f("year", "Jaar", "int", min=2000, max=2100),
        AREA_OPTIONAL,
        _f("project", "Project", "ref", attr="project_id", ref=("project", "code"),
           required=False, help="Code van het project, bv. BZ-3."),
        _f("law", "Wet", "choice", choices=LAWS),
        _f("amount_eur", "Bedrag (euro)", "float", min=0, max=1e10),
    ),
    key=("year", "area", "project", "law"),
    checks=(_at_least_one(("area", "project"), "Vul een gebied, een project of allebei in."),),
)

DECISION_EVIDENCE = Dataset(
    "decision_evidence", "Bewijsreeksen van besluiten", "decision_evidence",
    fields=(
        _f("decision", "Besluit", "ref", attr="decision_id", ref=("decision", "besluit"),
           help="Datum en onderwerp van het besluit, bv. '2025-03-12 Opschalen welzijnscoaches'."),
        _f("indicator", "Indicator", "ref", attr="indicator_id", ref=("indicator", "key"),
           required=False, help="Sleutel van de indicator; samen met een gebied."),
        AREA_OPTIONAL,
        _f("kernteam", "Kernteam", "ref", attr="kernteam_id", ref=("kernteam", "code"),
           required=False, help="Code van het kernteam; samen met een maat."),
        _f("metric", "Maat", "choice", choices=tuple(KERNTEAM_METRICS), required=False,
           help="De kernteammaat: " + "; ".join(f"{k} ({m.label})"
                                                 for k, m in KERNTEAM_METRICS.items()) + "."),
        _f("is_comparison", "Vergelijkingsreeks", "bool", required=False, default=False,
           help="nee: een pilotreeks; ja: een vergelijkingsreeks zonder de interventie."),
        _f("expected_direction", "Verwachte richting", "choice", choices=DIRECTIONS,
           required=False,
           help="omlaag of omhoog; leeg: de polariteit van de indicator of maat beslist."),
    ),
    key=("decision", "indicator", "area", "kernteam", "metric"), checks=(_evidence_series,),
    description="Een reeks is óf een indicator in een gebied, óf een maat van een kernteam.",
)

GM_RE = re.compile(r"^GM\d{4}$")


def _municipality_and_parts(v: dict[str, Any]) -> list[Problem]:
    """An area lies in one municipality: a GM code, and CBS codes (buurt BU…, wijk WK…) of
    that municipality; an area without known CBS parts says why in its note (SPEC §3)."""
    gm = (v.get("municipality_code") or "").upper()
    if not GM_RE.match(gm):
        return [Problem("municipality_code", LABELS["municipality_code"],
                        f"Gemeentecode '{v.get('municipality_code')}' is geen gemeentecode "
                        "(GM gevolgd door vier cijfers, bv. GM0917).")]
    codes = v.get("cbs_codes") or []
    bad = [c for c in codes if not CBS_CODE_RE.match(c)]
    if bad:
        return [Problem("cbs_codes", LABELS["cbs_codes"],
                        f"CBS-code '{bad[0]}' is geen buurtcode (BU gevolgd door acht cijfers, "
                        "bv. BU09170101) of wijkcode (WK gevolgd door zes cijfers, bv. "
                        "WK091701).")]
    elsewhere = [c for c in codes if c[2:6] != gm[2:]]
    if elsewhere:
        return [Problem("cbs_codes", LABELS["cbs_codes"],
                        f"CBS-code '{elsewhere[0]}' ligt niet in gemeente {gm} (de cijfers na "
                        f"BU of WK beginnen met {gm[2:]}).")]
    if not codes and not v.get("note"):
        return [Problem("note", LABELS["note"],
                        "Zonder CBS-codes is een toelichting verplicht (bv. 'indeling nog niet "
                        "bevestigd'): het gebied staat dan in de lijsten, zonder kaartvlak en "
                        "buiten de totalen.")]
    return []


AREAS = Dataset(
    "area", "Gebieden", "area",
    fields=(
        _f("key", "Sleutel", "text", max_len=60, help="Unieke sleutel, bv. hoensbroek."),
        _f("name", "Naam", "text", max_len=120),
        PROGRAMME,
        _f("municipality_code", "Gemeentecode", "text", max_len=6, help="Bv. GM0917 (Heerlen)."),
        _f("municipality_name", "Gemeente", "text", max_len=80),
        _f("cbs_codes", "CBS-codes", "codes", attr="parts", ref=("area_part", "cbs_code"),
           required=False,
           help="De buurten (BU…) en wijken (WK…) van het gebied, gescheiden door komma's; "
                "leeg zolang de indeling niet bekend is."),
        _f("started_on", "Startdatum", "date"),
        _f("centroid_lon", "Lengtegraad", "float", min=3.3, max=7.3,
           help="Middelpunt voor de kaart (WGS84), bv. 5,93."),
        _f("centroid_lat", "Breedtegraad", "float", min=50.7, max=53.6,
           help="Middelpunt voor de kaart (WGS84), bv. 50,91."),
        _f("note", "Toelichting", "text", required=False, max_len=MAX_NOTE,
           help="Verplicht zonder CBS-codes: waarom de indeling nog ontbreekt."),
        _active(),
    ),
    key=("key",), title_fields=("name",), permission=Permission.ADMINISTER,
    checks=(_municipality_and_parts,),
    derived=lambda v: {"municipality_code": v["municipality_code"].upper()},
    dependents=(Dependent("indicator_value", "area_id", "indicatorwaarden"),
                Dependent("survey_score", "area_id", "enquêtescores"),
                Dependent("coach", "area_id", "welzijnscoaches"),
                Dependent("kernteam", "area_id", "kernteams"),
                Dependent("intervention", "area_id", "interventies"),
                Dependent("spending", "area_id", "uitgaven"),
                Dependent("casus", "area_id", "casussen"),
                Dependent("project_area", "area_id", "projecten"),
                Dependent("decision_area", "area_id", "besluiten"),
                Dependent("decision_evidence", "area_id", "bewijsreeksen van besluiten")),
    noun="het gebied",
    description="Een gebied met cijfers of koppelingen wordt niet verwijderd maar op Actief: "
                "nee gezet; het blijft dan met zijn cijfers bewaard. Een gebied zonder "
                "CBS-codes staat in de lijsten, zonder kaartvlak en buiten de totalen. Let op: "
                "python -m data_loaders.seed --sync-areas zet de gebieden weer gelijk aan "
                "geo/areas.toml.",
)

SETTINGS = Dataset(
    "setting", "Instellingen", "setting",
    fields=(
        _f("key", "Instelling", "choice", choices=tuple(SETTABLE),
           help="; ".join(f"{k}: {s.label}" for k, s in SETTABLE.items()) + "."),
        _f("value", "Waarde", "float"),
    ),
    key=("key",), title_fields=("value",), permission=Permission.ADMINISTER, scope="instelbaar",
    checks=(_setting_value,),
    description="Alleen waarden die afwijken van de standaard worden bewaard; verwijder een "
                "instelling om de standaardwaarde te gebruiken. "
                + " ".join(f"{s.label} (standaard {display(s.default)}): {s.help}"
                           for s in SETTABLE.values()),
)

DATASETS: dict[str, Dataset] = {
    ds.name: ds
    for ds in (PROJECTS, MILESTONES, COACH_MONTHS, KERNTEAM_QUARTERS, INDICATOR_VALUES,
               SURVEY_SCORES, BUDGETS, DECISIONS, CASES, INDICATORS, REFERENCE_VALUES, COACHES,
               KERNTEAMS, INTERVENTIONS, SPENDING, DECISION_EVIDENCE, SETTINGS, AREAS)
}


def datasets_for(role: Role) -> list[str]:
    """The datasets ``role`` may write, in menu order (the write layer checks it again)."""
    return [name for name, ds in DATASETS.items() if can(role, ds.permission)]

