"""Application settings: one declared list with defaults and Dutch help texts.

Every setting the product reads is declared here (name, default, kind, limits, Dutch label
and help). The database stores only values that differ from the default; ``resolve`` turns
the stored values into typed ``Settings``. The README documents each setting (a test
checks it, as datasette does for its own settings). Pure: no database, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

Kind = Literal["float", "int", "bool", "date"]


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    kind: Kind
    label: str  # Dutch, for forms
    help: str  # Dutch, for forms and the README
    minimum: float | None = None
    maximum: float | None = None
    editable: bool = True  # False: set by the seed, never by a user


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("caseload_norm_per_fte", 30.0, "float", "Norm huishoudens per fte",
                "Hoeveel actieve huishoudens één fte welzijnscoach begeleidt. Een coach of gebied "
                "boven fte × norm (100% van de capaciteit) heet overbelast.", 1, 500),
    SettingSpec("coach_fte_plan", 30.0, "float", "Geplande fte welzijnscoaches",
                "Het aantal fte welzijnscoaches dat PlusWIJken wil inzetten; Welzijnscoaches zet "
                "de werkelijke fte ertegenover.", 0, 10_000),
    SettingSpec("min_baseline_points", 12, "int", "Minimale basislijn (punten)",
                "Een bevroren basislijn in een run- of controlekaart heeft minstens zoveel punten "
                "nodig. Met minder punten toont de kaart de fase zonder bevroren grenzen en zegt "
                "het bewijs 'te weinig gegevens'.", 6, 60),
    SettingSpec("review_horizon_days", 30, "int", "Vooruitkijken bij evaluaties (dagen)",
                "Vergadermodus zet een besluit op de agenda als de evaluatiedatum binnen zoveel "
                "dagen valt of al voorbij is.", 0, 365),
    SettingSpec("stale_periods", 2, "int", "Achterstand in perioden",
                "Vergadermodus meldt coach- of kernteamcijfers die zoveel maanden of kwartalen "
                "niet zijn aangeleverd.", 1, 12),
    SettingSpec("demo_data", False, "bool", "Voorbeelddata",
                "Aan wanneer de database verzonnen voorbeelddata bevat; het dashboard toont dan "
                "overal het label Voorbeelddata. Alleen de seed zet dit.", editable=False),
    SettingSpec("demo_as_of", None, "date", "Peildatum voorbeelddata",
                "De datum waarop de voorbeelddata 'vandaag' is, zodat termijnen stabiel blijven. "
                "Alleen de seed zet dit.", editable=False),
)
SPECS: dict[str, SettingSpec] = {s.key: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The resolved settings (stored value or default), typed."""

    caseload_norm_per_fte: float = SPECS["caseload_norm_per_fte"].default
    coach_fte_plan: float = SPECS["coach_fte_plan"].default
    min_baseline_points: int = SPECS["min_baseline_points"].default
    review_horizon_days: int = SPECS["review_horizon_days"].default
    stale_periods: int = SPECS["stale_periods"].default
    demo_data: bool = SPECS["demo_data"].default
    demo_as_of: dt.date | None = SPECS["demo_as_of"].default


def _typed(spec: SettingSpec, raw: Any) -> Any:
    if raw is None:
        return spec.default
    if spec.kind == "bool":
        return bool(raw)
    if spec.kind == "date":
        return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
    value = int(raw) if spec.kind == "int" else float(raw)
    if (spec.minimum is not None and value < spec.minimum) or (
            spec.maximum is not None and value > spec.maximum):
        return spec.default  # an out-of-range stored value never reaches a rule
    return value


def resolve(stored: Mapping[str, Any]) -> Settings:
    """Typed settings from the stored key/value pairs; unknown keys are ignored."""
    return Settings(**{f.name: _typed(SPECS[f.name], stored.get(f.name)) for f in fields(Settings)})


def today(settings: Settings, clock: Callable[[], dt.date] = dt.date.today) -> dt.date:
    """The one "today" of the product: the demo data's as-of date when the database holds
    demo data (so deadlines and signals in the demo stay stable), else the real date."""
    if settings.demo_data and settings.demo_as_of is not None:
        return settings.demo_as_of
    return clock()
