"""Deterministic demo data ("Voorbeelddata") for every table (SPEC §7).

``python -m data_loaders.seed`` migrates the database and, when it holds no areas yet,
fills it with demo data generated from a fixed random seed. It also syncs the area
registry (``geo/areas.toml``) so that an added area appears without code changes.

Built-in signals for the evidence features to find:
- kernteam ``SIGNAL_KERNTEAM``: hospital admissions drop sharply from ``SIGNAL_QUARTER``
  on, after a proactive-care intervention (a sustained shift);
- the Blauwe Zorg areas: GGZ costs per resident fall after the Blauwe GGZ team started;
- Hoensbroek: the welzijnscoach waiting list rises steadily.
No name of a real person appears: coaches are codes, cases are anonymous summaries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.store import audit
from dashboard.store.auth import hash_password
from data_loaders.area_sync import sync_areas
from data_loaders.cbs_geo import load_shipped
from data_loaders.db import DEFAULT_SQLITE_PATH, database_url, make_engine, transaction
from data_loaders.migrate import upgrade
from data_loaders.models import (
    BODIES,
    DOMAINS,
    POSITIVE_HEALTH_DIMENSIONS,
    Area,
    Budget,
    Case,
    Coach,
    CoachMonth,
    Decision,
    DecisionEvidence,
    DecisionOutcome,
    DecisionStatus,
    Indicator,
    IndicatorValue,
    Intervention,
    Kernteam,
    KernteamQuarter,
    Milestone,
    Polarity,
    Programme,
    Project,
    ProjectHealth,
    ProjectStatus,
    Role,
    Setting,
    Spending,
    SurveyScore,
    User,
    ValueStatus,
)
from geo.registry import REGISTRY_PATH, Registry, load_registry

RANDOM_SEED = 20161101
SIGNAL_KERNTEAM = "KT-07"
SIGNAL_QUARTER = "2024-Q1"
FIRST_KERNTEAM_QUARTER = dt.date(2021, 1, 1)  # 12 quarters before the planted intervention
FIRST_COACH_MONTH = dt.date(2025, 1, 1)
CASELOAD_NORM_PER_FTE = 30
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password (demo data only)
DEMO_ACCOUNTS = {"bestuurder": Role.BESTUURDER, "programmateam": Role.PROGRAMMATEAM,
                 "beheerder": Role.BEHEERDER}
CASE_THEMES = {1: "versnipperde hulp", 2: "tussen twee wetten", 3: "hulp die niet aansluit",
               4: "regels die verkokeren", 5: "een buurt zonder ontmoeting"}

# Plausible resident numbers for the default areas; other areas get a random size. An area
# without known CBS parts (Douvenrade) gets no figures at all: it is left out of aggregates.
RESIDENTS = {
    "wittevrouwenveld": 4_600, "wyckerpoort": 5_100, "nazareth": 3_300, "limmel": 2_200,
    "daalhof": 6_100, "baandert": 5_700, "lindenheuvel": 4_400, "eijsden": 6_900,
    "hoensbroek": 18_600, "kerkrade-centrum-bleijerheide": 9_800,
    "elsloo": 9_300, "nuth": 10_900, "obbicht": 2_300, "schaesberg": 16_500, "schinveld": 5_100,
}
KERNTEAMS = 35  # SPEC §7
# The smallest areas have few survey respondents: public pages must protect their small counts.
SMALL_SAMPLE_AREAS = ("limmel", "obbicht")
COACH_FTES = [1.0] * 18 + [0.8] * 12 + [0.4] * 6  # 36 coaches, 30,0 fte


# (key, label, definition, unit, polarity, source, period_type, is_rate, multiplier,
#  is_survey, is_public, base level, yearly drift)
INDICATORS = (
    ("inwoners", "Inwoners", "Aantal inwoners op 1 januari.", "aantal", Polarity.NEUTRAL,
     "CBS Kerncijfers wijken en buurten", "jaar", False, 1.0, False, True, None, 0.0),
    ("ggz_kosten", "GGZ-kosten per inwoner",
     "Zorgkosten geestelijke gezondheidszorg (Zvw) gedeeld door het aantal verzekerden.",
     "euro", Polarity.LOWER_IS_BETTER, "Vektis (declaratiedata zorgverzekeraars)", "jaar",
     True, 1.0, False, False, 310.0, 6.0),
    ("ervaren_gezondheid", "Ervaren gezondheid (goed/zeer goed)",
     "Percentage volwassenen dat de eigen gezondheid als goed of zeer goed ervaart.",
     "%", Polarity.HIGHER_IS_BETTER, "GGD Gezondheidsmonitor / bewonersenquête", "meting",
     True, 100.0, True, True, 0.66, 0.002),
    ("eenzaamheid", "Ernstig eenzaam",
     "Percentage volwassenen dat zich ernstig of zeer ernstig eenzaam voelt.",
     "%", Polarity.LOWER_IS_BETTER, "GGD Gezondheidsmonitor", "meting",
     True, 100.0, True, True, 0.12, 0.001),
    ("huisarts_psychosociaal", "Huisartscontacten psychosociaal per 1.000 inwoners",
     "Huisartscontacten met een psychosociale diagnose per 1.000 inwoners per jaar.",
     "per 1.000", Polarity.LOWER_IS_BETTER, "Vektis (declaratiedata zorgverzekeraars)", "jaar",
     True, 1000.0, False, False, 0.21, 0.002),
    ("wmo_maatwerk", "Wmo-maatwerkvoorzieningen per 1.000 inwoners",
     "Inwoners met een Wmo-maatwerkvoorziening per 1.000 inwoners.",
     "per 1.000", Polarity.LOWER_IS_BETTER, "Gemeentelijke Wmo-registratie", "jaar",
     True, 1000.0, False, False, 0.075, 0.001),
    ("jeugdzorg", "Jongeren met jeugdzorg",
     "Percentage jongeren tot 18 jaar met een vorm van jeugdzorg.",
     "%", Polarity.LOWER_IS_BETTER, "CBS Beleidsinformatie jeugd", "jaar",
     True, 100.0, False, True, 0.13, 0.001),
    ("laag_inkomen", "Huishoudens met laag inkomen",
     "Percentage particuliere huishoudens met een inkomen onder de lage-inkomensgrens.",
     "%", Polarity.LOWER_IS_BETTER, "CBS Kerncijfers wijken en buurten", "jaar",
     True, 100.0, False, True, 0.14, -0.001),
    ("seh_ouderen", "SEH-bezoeken 75-plussers per 1.000",
     "Bezoeken aan de spoedeisende hulp door 75-plussers per 1.000 75-plussers per jaar.",
     "per 1.000", Polarity.LOWER_IS_BETTER, "Vektis (declaratiedata zorgverzekeraars)", "jaar",
     True, 1000.0, False, False, 0.19, 0.002),
    ("bijstand", "Bijstandsuitkeringen per 1.000 inwoners",
     "Inwoners met een bijstandsuitkering (Participatiewet) per 1.000 inwoners.",
     "per 1.000", Polarity.LOWER_IS_BETTER, "CBS Kerncijfers wijken en buurten", "jaar",
     True, 1000.0, False, True, 0.045, -0.0005),
)
SURVEY_YEARS = (2016, 2018, 2020, 2022, 2024)
REFERENCE_REGIONS = {"ZL": 0.92, "NL": 0.80}  # relative level of deprivation-driven figures

BZ_PROJECTS = (
    ("BZ-1", "Positieve Gezondheid",
     "Training van professionals, inbedding in organisaties, trainers en coaches.",
     ("Zvw", "Wmo", "Wpg")),
    ("BZ-2", "POH Jeugd en Positieve Gezondheid",
     "Praktijkondersteuner jeugd bij de huisarts met Positieve Gezondheid als basis.",
     ("Jeugdwet", "Zvw")),
    ("BZ-3", "Gezamenlijke aanpak huishoudens met hoge domeinoverstijgende kosten",
     "Eén plan per huishouden met hoge kosten in meerdere domeinen.",
     ("Participatie", "Wmo", "Jeugdwet", "Zvw")),
    ("BZ-4", "Zorg sluit beter aan bij de burger: Wmo-spoedprocedures",
     "Snellere Wmo-beslissingen wanneer wachten tot duurdere zorg leidt.", ("Wmo", "Zvw")),
    ("BZ-5", "Burgers aan Zet en aan het Woord",
     "Jongeren, architect in de wijk en gezondheidsambassadeurs.", ("Participatie", "Wpg")),
    ("BZ-6", "Multidisciplinaire samenwerking: digitale overlegtafel",
     "Een digitale tafel waar huisarts, wijkteam en GGZ samen casussen bespreken.",
     ("Wmo", "Zvw", "Jeugdwet")),
    ("BZ-7", "Your coach next door",
     "Laagdrempelige coaching in de wijk door getrainde buurtbewoners.", ("Participatie", "Wpg")),
    ("BZ-8", "Blauwe GGZ",
     "GGZ-team in de wijk, Mijn Plan, ervaringsdeskundigen en netwerkbijeenkomsten.",
     ("Zvw", "Wmo")),
)
PW_LINES = (
    ("PW-1", "Welzijnscoaches",
     "30 fte welzijnscoaches begeleiden huishoudens met een onzeker bestaan.",
     ("Participatie", "Wmo", "Zvw")),
    ("PW-2", "Kernteams ouderen",
     "35 kernteams organiseren zorg dichtbij voor kwetsbare ouderen.", ("Zvw", "Wmo", "Wlz")),
    ("PW-3", "PlusPraktijken",
     "Elke huisartsenpraktijk wordt een PlusPraktijk met verbindingen naar het sociaal domein.",
     ("Zvw", "Wmo")),
    ("PW-4", "Lerend netwerk",
     "De gebieden leren van elkaar: wat werkt wordt opgeschaald, wat niet werkt gestopt.",
     ("Zvw", "Wmo", "Wpg")),
)


def quarter_label(d: dt.date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def quarter_starts(first: dt.date, as_of: dt.date) -> list[dt.date]:
    """Start dates of every complete quarter from ``first`` until ``as_of``."""
    out, d = [], first
    while True:
        nxt = dt.date(d.year + (d.month + 2) // 12, (d.month + 2) % 12 + 1, 1)
        if nxt > as_of:
            return out
        out.append(d)
        d = nxt


def month_starts(first: dt.date, as_of: dt.date) -> list[dt.date]:
    """Start dates of every complete month from ``first`` until ``as_of``."""
    out, d = [], first
    while True:
        nxt = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
        if nxt > as_of:
            return out
        out.append(d)
        d = nxt


# ---------------------------------------------------------------- the generator


class DemoGenerator:
    def __init__(self, session: Session, as_of: dt.date) -> None:
        self.s = session
        self.as_of = as_of
        self.rng = np.random.default_rng(RANDOM_SEED)
        self.areas = list(session.scalars(select(Area).where(Area.active.is_(True))
                                          .order_by(Area.id)))
        # Areas with CBS parts get figures; the others (parts not known yet) get none.
        self.measured = [a for a in self.areas if a.parts]
        self.programmes = {p.key: p for p in session.scalars(select(Programme))}
        self.bz = [a for a in self.areas if a.programme.key == "blauwe-zorg"]
        self.pw = [a for a in self.areas if a.programme.key == "pluswijken"]
        self.residents = {a.key: RESIDENTS.get(a.key, int(self.rng.integers(3_000, 12_000)))
                          for a in self.areas}
        self.deprivation = {a.key: (1.35 if a in self.bz else 1.15) * float(self.rng.uniform(0.9, 1.1))
                            for a in self.areas}

    def run(self) -> None:
        self.indicators()
        self.survey()
        projects = self.projects()
        kernteams = self.kernteams()
        self.coaches()
        self.budgets(projects)
        cases = self.cases()
        self.decisions(projects, kernteams, cases)
        self.accounts()
        self.s.add_all([
            Setting(key="demo_data", value=True),
            Setting(key="demo_as_of", value=self.as_of.isoformat()),
            Setting(key="caseload_norm_per_fte", value=CASELOAD_NORM_PER_FTE),
        ])

    # -- indicators
    def indicators(self) -> None:
        last_year = self.as_of.year - 1
        years = list(range(2016, last_year + 1))
        for (key, label, definition, unit, polarity, source, period_type, is_rate, mult,
             is_survey, is_public, base, drift) in INDICATORS:
            ind = Indicator(key=key, label=label, definition=definition, unit=unit,
                            polarity=polarity, source=source, period_type=period_type,
                            owner="Programmateam lerend netwerk",
                            last_update=dt.date(last_year + 1, 3, 1), is_rate=is_rate,
                            multiplier=mult, is_survey=is_survey, is_public=is_public)
            self.s.add(ind)
            self.s.flush()
            ind_years = [y for y in SURVEY_YEARS if y <= last_year] if is_survey else years
            for area in self.measured:
                for y in ind_years:
                    self.s.add(self._area_value(ind, area, y, base, drift, is_survey))
            if base is not None:
                munis = sorted({(a.municipality_code) for a in self.measured})
                for code in [*munis, *REFERENCE_REGIONS]:
                    level = REFERENCE_REGIONS.get(code, 1.0)
                    for y in ind_years:
                        rate = (base + drift * (y - 2016)) * level
                        self.s.add(IndicatorValue(indicator=ind, region_code=code, period=str(y),
                                                  period_start=dt.date(y, 1, 1),
                                                  value=round(rate * mult, 2)))

    def _area_value(self, ind: Indicator, area: Area, year: int, base: float | None,
                    drift: float, is_survey: bool) -> IndicatorValue:
        people = self.residents[area.key] * (1 + 0.004 * (year - 2016))
        common = dict(indicator_id=ind.id, area_id=area.id, period=str(year),
                      period_start=dt.date(year, 1, 1))
        if base is None:  # resident count
            n = int(round(people * float(self.rng.normal(1, 0.005))))
            return IndicatorValue(**common, value=n, numerator=n, denominator=None)
        level = (base + drift * (year - 2016)) * self.deprivation[area.key]
        if ind.polarity is Polarity.HIGHER_IS_BETTER:
            level = (base + drift * (year - 2016)) / self.deprivation[area.key] ** 0.5
        if ind.key == "ggz_kosten" and area in self.bz and year >= 2019:
            level *= 0.86  # Blauwe GGZ: the built-in improvement
        if is_survey and area.key in SMALL_SAMPLE_AREAS:
            denominator = float(self.rng.integers(30, 46))  # small counts for disclosure control
        elif is_survey:
            denominator = float(self.rng.integers(60, 260))
        elif ind.key == "seh_ouderen":
            denominator = round(people * 0.08)
        elif ind.key == "jeugdzorg":
            denominator = round(people * 0.18)
        else:
            denominator = round(people)
        if ind.multiplier == 1.0:  # euro per resident: numerator is total cost
            numerator = round(level * denominator * float(self.rng.normal(1, 0.03)))
        else:
            p = min(max(level, 0.0), 1.0)
            numerator = float(self.rng.binomial(int(denominator), p))
        value = numerator / denominator * ind.multiplier
        status = ValueStatus.OK
        if is_survey and area.key == "limmel" and year == 2018:
            status, value, numerator = ValueStatus.SUPPRESSED, None, None  # too few respondents
        return IndicatorValue(**common, value=None if value is None else round(value, 2),
                              numerator=numerator, denominator=denominator, status=status)

    # -- Positive Health
    def survey(self) -> None:
        waves: list[tuple[Area | None, str | None, int, int]] = []
        for area in self.bz:
            waves += [(area, None, w, y) for w, y in enumerate((2016, 2017, 2018, 2020), 1)]
        for area in self.pw:  # the first wave after the area joined, then yearly
            years = [y for y in (2025, 2026) if y > area.started_on.year
                     or (y == area.started_on.year and area.started_on.month <= 6)]
            waves += [(area, None, w, y) for w, y in enumerate(years, 1) if y < self.as_of.year
                      or (y == self.as_of.year and self.as_of.month > 6)]
        waves += [(None, "ZL", w, y) for w, y in enumerate((2016, 2017, 2018, 2020), 1)]
        for area, region, wave, year in waves:
            n = int(self.rng.integers(90, 320)) if area else 4_000
            for i, dim in enumerate(POSITIVE_HEALTH_DIMENSIONS):
                base = 7.1 - 0.15 * i if area is None else 6.3 - 0.1 * i + 0.18 * (wave - 1)
                score = float(np.clip(base + self.rng.normal(0, 0.15), 0, 10))
                self.s.add(SurveyScore(area_id=area.id if area else None, region_code=region,
                                       wave=wave, year=year, dimension=dim,
                                       mean_score=round(score, 2), n_respondents=n))

    # -- projects and milestones
    def projects(self) -> dict[str, Project]:
        out: dict[str, Project] = {}
        # as the demo decisions say: BZ-6 and BZ-7 were stopped, BZ-1 and BZ-4 are done
        statuses = [ProjectStatus.COMPLETED, ProjectStatus.EXECUTION, ProjectStatus.EXECUTION,
                    ProjectStatus.COMPLETED, ProjectStatus.EXECUTION, ProjectStatus.STOPPED,
                    ProjectStatus.STOPPED, ProjectStatus.EXECUTION]
        healths = list(ProjectHealth)
        specs = [(c, n, d, dom, "blauwe-zorg", "project", dt.date(2017, 3 + i, 1), statuses[i])
                 for i, (c, n, d, dom) in enumerate(BZ_PROJECTS)]
        specs += [(c, n, d, dom, "pluswijken", "programmalijn", dt.date(2025, 1 + 2 * i, 1),
                   ProjectStatus.EXECUTION if i < 3 else ProjectStatus.PREPARATION)
                  for i, (c, n, d, dom) in enumerate(PW_LINES)]
        for i, (code, name, desc, domains, prog, kind, start, status) in enumerate(specs):
            areas = self.bz if prog == "blauwe-zorg" else self.pw
            p = Project(
                programme=self.programmes[prog], code=code, name=name, kind=kind, status=status,
                health=healths[i % 3] if status is ProjectStatus.EXECUTION else ProjectHealth.ON_TRACK,
                domains=list(domains), goal=desc,
                approach=f"Start {start.year}; uitvoering in fasen met evaluatie per half jaar.",
                participants="Huisartsen, wijkteams, GGZ-aanbieders, welzijn en bewoners.",
                facilities="Ruimte in het wijkgezondheidscentrum; projectleider 0,5 fte.",
                expected_results="Minder onnodige zorg, betere ervaren gezondheid, tevreden bewoners.",
                resident_participation="Bewoners zitten in de klankbordgroep en toetsen het plan.",
                contact_role="Projectleider " + ("Blauwe Zorg" if prog == "blauwe-zorg" else "PlusWIJken"),
                budget_eur=float(self.rng.integers(8, 60) * 10_000), started_on=start,
                ends_on=dt.date(start.year + 3, 12, 31),
            )
            # a project still running was extended: its final evaluation lies ahead
            final_due = None
            if status is ProjectStatus.EXECUTION:
                final_due = max(self.as_of + dt.timedelta(days=90 + 45 * i),
                                start + dt.timedelta(days=120 + 330 * 3))
                p.ends_on = dt.date(final_due.year, 12, 31)
            p.areas = list(areas)
            self.s.add(p)
            for j, title in enumerate(("Projectplan vastgesteld", "Start uitvoering",
                                       "Tussenevaluatie", "Eindevaluatie")):
                due = start + dt.timedelta(days=120 + 330 * j)
                if j == 3 and final_due is not None:
                    due = final_due
                done = due + dt.timedelta(days=int(self.rng.integers(-20, 40)))
                if done > self.as_of or (status is ProjectStatus.EXECUTION and j == 3):
                    done = None
                if status is ProjectStatus.STOPPED and j >= 2:
                    continue
                self.s.add(Milestone(project=p, title=title, due_on=due, done_on=done))
            out[code] = p
        # The one overdue milestone of the demo, in the current PlusWIJken work, to be flagged.
        self.s.add(Milestone(project=out["PW-3"], title="Alle praktijken aangesloten",
                             due_on=self.as_of - dt.timedelta(days=45)))
        self.s.flush()
        return out

    # -- kernteams
    def kernteams(self) -> dict[str, Kernteam]:
        # 35 teams: most in the first six areas (largest first), one or two in each area of
        # the second group; an area without known residents comes last.
        start = self.programmes["pluswijken"].started_on
        first = sorted((a for a in self.pw if a.started_on <= start),
                       key=lambda a: -self.residents[a.key])
        later = sorted((a for a in self.pw if a.started_on > start),
                       key=lambda a: (a.key not in RESIDENTS, -self.residents[a.key]))
        order = first + later
        later_share = [2] + [1] * (len(later) - 1) if later else []
        first_share = [8, 6, 4, 4, 3, 3][:len(first)] + [2] * max(len(first) - 6, 0)
        per_area = first_share + later_share
        per_area[0] += KERNTEAMS - sum(per_area)
        quarters = quarter_starts(FIRST_KERNTEAM_QUARTER, self.as_of)
        disciplines = ("huisarts", "praktijkondersteuner", "wijkverpleging", "specialist ouderengeneeskunde",
                       "casemanager dementie", "welzijn", "fysiotherapie", "apotheker")
        out: dict[str, Kernteam] = {}
        number = 0
        for k, area in enumerate(order):
            for _ in range(per_area[k]):
                number += 1
                code = f"KT-{number:02d}"
                team = Kernteam(code=code, name=f"Kernteam {area.name} {number:02d}", area_id=area.id,
                                practice=f"PlusPraktijk {area.name} {chr(64 + (number % 9) + 1)}",
                                disciplines=list(self.rng.choice(disciplines, size=5, replace=False)),
                                started_on=FIRST_KERNTEAM_QUARTER)
                self.s.add(team)
                out[code] = team
                frail = int(self.rng.integers(90, 260)) if code != SIGNAL_KERNTEAM else 240
                # teams differ more than chance (case mix, practice style): a funnel of the
                # teams is over-dispersed, as real ones are
                own_rate = 0.05 * float(self.rng.lognormal(0.0, 0.15))
                for q in quarters:
                    ql = quarter_label(q)
                    after = code == SIGNAL_KERNTEAM and ql >= SIGNAL_QUARTER
                    n = max(frail + int(self.rng.integers(-6, 7)), 20)
                    adm_rate = (0.015 if after else 0.06) if code == SIGNAL_KERNTEAM else own_rate
                    plan_share = min(0.25 + 0.04 * quarters.index(q), 0.9) if not after else 0.92
                    admissions = int(self.rng.poisson(n * adm_rate))
                    self.s.add(KernteamQuarter(
                        kernteam=team, quarter=ql, quarter_start=q, frail_elderly=n,
                        with_care_plan=int(self.rng.binomial(n, plan_share)),
                        discussed_mdo=int(self.rng.binomial(n, 0.2)),
                        ed_visits=int(self.rng.poisson(n * (0.045 if after else 0.07))),
                        admissions=admissions,
                        readmissions=int(self.rng.binomial(admissions, 0.15)),
                        falls=int(self.rng.poisson(n * 0.03)),
                    ))
                if code == SIGNAL_KERNTEAM:
                    self.s.add(Intervention(label="Proactief zorgplan voor alle kwetsbare ouderen",
                                            started_on=dt.date(2024, 1, 1), kernteam=team))
        self.s.flush()
        return out

    # -- welzijnscoaches
    def coaches(self) -> None:
        for i, fte in enumerate(COACH_FTES):
            area = self.pw[i % len(self.pw)]
            # a coach starts in the first month after the area joined the programme
            joined = max(area.started_on or FIRST_COACH_MONTH, FIRST_COACH_MONTH)
            first_month = (joined if joined.day == 1 else
                           dt.date(joined.year + joined.month // 12, joined.month % 12 + 1, 1))
            months = month_starts(first_month, self.as_of)
            coach = Coach(code=f"WC-{i + 1:02d}", fte=fte, area_id=area.id, started_on=first_month)
            self.s.add(coach)
            load = float(self.rng.uniform(0.75, 1.25))
            active, waiting = 0, 0
            for m_idx, month in enumerate(months):
                target = CASELOAD_NORM_PER_FTE * fte * load * min(1.0, 0.25 + m_idx / 8)
                refs = self.rng.poisson(np.array([0.45, 0.25, 0.15, 0.15]) * max(target * 0.2, 1))
                new = int(refs.sum())
                # Closed trajectories never exceed this month's active households plus
                # registrations (the data-entry rule of dashboard.domain.datasets).
                closing = min(int(self.rng.poisson(max(active - target, 0) + target * 0.12)),
                              (active + 2 * new) // 2)
                goal = int(self.rng.binomial(closing, 0.6))
                referred = int(self.rng.binomial(closing - goal, 0.6))
                active = active + new - closing
                if area.key == "hoensbroek":
                    waiting = waiting + int(self.rng.poisson(0.8))
                else:
                    waiting = max(0, waiting + int(self.rng.integers(-1, 2)))
                self.s.add(CoachMonth(
                    coach=coach, month=month, active_households=active,
                    new_huisarts=int(refs[0]), new_wijkteam=int(refs[1]), new_zelf=int(refs[2]),
                    new_overig=int(refs[3]), closed_goal_reached=goal, closed_referred=referred,
                    closed_dropped_out=closing - goal - referred, waiting_list=waiting,
                    mean_duration_days=round(float(self.rng.normal(110 + m_idx, 12)), 1),
                ))

    # -- budgets and spending
    def budgets(self, projects: dict[str, Project]) -> None:
        bz, pw = self.programmes["blauwe-zorg"], self.programmes["pluswijken"]
        for y in range(2017, self.as_of.year + 1):
            shift = (y - 2017) * 0.035  # "geld volgt zorg": the insurer's share grows
            mix = {("gemeente", "Wmo"): 0.30 - shift / 2, ("gemeente", "Jeugdwet"): 0.18 - shift / 4,
                   ("gemeente", "Participatiewet"): 0.12, ("gemeente", "Wpg"): 0.05 - shift / 8,
                   ("VGZ", "Zvw"): 0.30 + shift, ("provincie", "Wpg"): 0.05 + shift / 8}
            total = 2_400_000 * (1 + 0.03 * (y - 2017))
            for (fin, law), share in mix.items():
                self.s.add(Budget(programme=bz, year=y, financier=fin, law=law,
                                  amount_eur=round(total * share, -3)))
        for y in (2025, 2026, 2027):
            for (fin, law), amount in {("CZ", "Zvw"): 5_000_000, ("VGZ", "Zvw"): 4_000_000,
                                       ("gemeente", "Wmo"): 900_000 + 150_000 * (y - 2025),
                                       ("gemeente", "Participatiewet"): 400_000}.items():
                self.s.add(Budget(programme=pw, year=y, financier=fin, law=law, amount_eur=amount))
        for p in projects.values():
            first = p.started_on.year if p.started_on else 2017
            for y in range(first, self.as_of.year + 1):
                for area in p.areas:
                    law = p.domains[int(self.rng.integers(0, len(p.domains)))]
                    law = "Participatiewet" if law == "Participatie" else law
                    self.s.add(Spending(year=y, area_id=area.id, project_id=p.id, law=law,
                                        amount_eur=round(float(self.rng.uniform(15, 90)) * 1_000, -2)))

    # -- casussenboek
    def cases(self) -> list[Case]:
        households = ("Een alleenstaande ouder met twee kinderen", "Een oudere man die alleen woont",
                      "Een gezin met drie kinderen", "Een jongvolwassene die net zelfstandig woont",
                      "Een echtpaar van boven de tachtig", "Een vrouw van middelbare leeftijd met schulden",
                      "Een statushouder met een gezin", "Een mantelzorger van een partner met dementie")
        problems = {
            1: "kreeg hulp van vijf instanties die elkaars plannen niet kenden",
            2: "viel tussen Wmo en Zvw omdat niemand de aanvraag als de zijne zag",
            3: "begreep de brieven en formulieren niet en meldde zich pas bij een crisis",
            4: "kon geen hulp krijgen omdat de regels per wet een andere indicatie vroegen",
            5: "woonde in een straat zonder ontmoetingsplek en raakte geïsoleerd",
        }
        solutions = {
            1: "Eén regisseur en één plan maakten de hulp overzichtelijk.",
            2: "De financiers spraken af dat het budget de zorg volgt, niet de wet.",
            3: "Een welzijnscoach ging mee naar afspraken en vertaalde de vragen.",
            4: "Het Financiersoverleg gaf ruimte om af te wijken van de standaardprocedure.",
            5: "Buurtbewoners openden samen een huiskamer in de wijk.",
        }
        out = []
        for i in range(56):
            k = i % 5 + 1
            year = 2017 + (i * 9) // 56
            recorded_on = dt.date(year, 1 + i % 12, 1 + i % 27)
            # a case comes from an area that had already joined its programme
            joined = [a for a in self.areas if (a.started_on or recorded_on) <= recorded_on]
            area = joined[int(self.rng.integers(0, len(joined)))]
            domains = sorted(self.rng.choice(DOMAINS, size=int(self.rng.integers(2, 4)), replace=False))
            case = Case(code=f"C-{i + 1:03d}", title=f"Casus {i + 1}: {CASE_THEMES[k]}",
                        summary=f"{households[i % len(households)]} {problems[k]}.",
                        knelpunt=k, domains=[str(d) for d in domains], area_id=area.id,
                        lessons=solutions[k], publishable=bool(i % 3 != 2),
                        recorded_on=recorded_on)
            self.s.add(case)
            out.append(case)
        self.s.flush()
        return out

    # -- decisions
    def decisions(self, projects: dict[str, Project], kernteams: dict[str, Kernteam],
                  cases: list[Case]) -> None:
        ggz = self.s.scalar(select(Indicator).where(Indicator.key == "ggz_kosten"))
        health = self.s.scalar(select(Indicator).where(Indicator.key == "ervaren_gezondheid"))
        seh = self.s.scalar(select(Indicator).where(Indicator.key == "seh_ouderen"))
        bz, pw = self.programmes["blauwe-zorg"], self.programmes["pluswijken"]
        daalhof = next((a for a in self.areas if a.key == "daalhof"), None)
        D, O, S = DecisionOutcome, DecisionStatus, self.as_of  # noqa: N806, E741 - a compact table below
        rows = [
            (bz, "BZ-1", D.SCALE_UP, dt.date(2018, 6, 12), BODIES[0], O.EVALUATED,
             "Training Positieve Gezondheid uitbreiden naar alle professionals in de vier wijken.",
             "Professionals die getraind zijn voeren het gesprek anders en verwijzen minder door.",
             True),
            (bz, "BZ-8", D.SCALE_UP, dt.date(2019, 3, 5), BODIES[2], O.EVALUATED,
             "GGZ-team in de wijk structureel financieren uit het gezamenlijke budget.",
             "De GGZ-kosten per inwoner dalen in de pilotwijken terwijl ze elders stijgen.", True),
            (bz, "BZ-6", D.STOP, dt.date(2019, 11, 20), BODIES[0], O.EVALUATED,
             "De digitale overlegtafel stoppen; professionals gebruikten hem nauwelijks.",
             "Overleg verloopt beter via vaste wijkoverleggen dan via een digitaal platform.", True),
            (bz, "BZ-4", D.CONTINUE, dt.date(2020, 2, 11), BODIES[3], O.EVALUATED,
             "Wmo-spoedprocedures voortzetten; doorlooptijd daalde van weken naar dagen.",
             "Snelle Wmo-hulp voorkomt dat mensen tussen wal en schip vallen.", True),
            (bz, "BZ-3", D.ADJUST, dt.date(2021, 4, 8), BODIES[2],
             O.IN_PROGRESS, "Aanpak huishoudens met hoge kosten aanpassen: één regisseur per huishouden.",
             "Minder gelijktijdige trajecten per huishouden.", False),
            (bz, "BZ-7", D.STOP, dt.date(2021, 9, 14), BODIES[1], O.EVALUATED,
             "Your coach next door stoppen; te weinig vrijwilligers in Limmel en Nazareth.",
             "", True),
            (bz, "BZ-5", D.CONTINUE, dt.date(2022, 5, 17), BODIES[1], O.IN_PROGRESS,
             "Gezondheidsambassadeurs blijven; bewoners bereiken buren die zorg mijden.",
             "Meer bewoners met een goede ervaren gezondheid.", True),
            (bz, "BZ-2", D.ADJUST, dt.date(2023, 10, 3), BODIES[0], O.IN_PROGRESS,
             "POH Jeugd koppelen aan het jeugdteam van de gemeente.",
             "Minder verwijzingen naar specialistische jeugdzorg.", False),
            (pw, "PW-2", D.SCALE_UP, dt.date(2025, 6, 24), BODIES[0], O.IN_PROGRESS,
             f"Proactieve zorgplannen van {SIGNAL_KERNTEAM} invoeren bij alle kernteams.",
             "Minder ziekenhuisopnames van kwetsbare ouderen.", True),
            (pw, "PW-1", D.CONTINUE, dt.date(2025, 9, 30), BODIES[3], O.OPEN,
             "Welzijnscoaches doorgaan; wachtlijst Hoensbroek bewaken.",
             "Minder onnodige huisartsbezoeken door huishoudens met een onzeker bestaan.", False),
            (pw, "PW-3", D.ADJUST, dt.date(2026, 2, 10), BODIES[2], O.OPEN,
             "PlusPraktijk-bekostiging aanpassen: vaste bijdrage per praktijk plus resultaat.",
             "Alle praktijken sluiten aan.", False),
            (pw, "PW-4", D.CONTINUE, dt.date(2026, 6, 16), BODIES[1], O.OPEN,
             "Lerend netwerk elk kwartaal bijeen, met de zes gebieden van de tweede groep.",
             "Snellere verspreiding van wat werkt.", True),
        ]
        for i, (prog, code, outcome, when, body, status, rationale, effect, published) in enumerate(rows):
            project = projects[code]
            review = when + dt.timedelta(days=365)
            d = Decision(programme=prog, subject_type="programmalijn" if code.startswith("PW") else "project",
                         subject=project.name, project_id=project.id, outcome=outcome, decided_on=when,
                         body=body, rationale=rationale, expected_effect=effect, review_on=review,
                         status=status,
                         public_summary=PUBLIC_SUMMARIES.get(code, rationale) if published else "",
                         published=published and when <= S,
                         published_on=when + dt.timedelta(days=14) if published else None)
            d.areas = list(project.areas)
            d.cases = [c for c in cases if c.knelpunt == (i % 5) + 1][:2]
            if code == "BZ-8":
                d.evidence = [DecisionEvidence(indicator_id=ggz.id, area_id=a.id) for a in self.bz]
                if daalhof is not None:
                    d.evidence.append(DecisionEvidence(indicator_id=ggz.id, area_id=daalhof.id,
                                                       is_comparison=True))
            elif code == "BZ-1" or code == "BZ-5":
                d.evidence = [DecisionEvidence(indicator_id=health.id, area_id=a.id) for a in self.bz]
            elif code == "PW-2":
                d.evidence = [DecisionEvidence(kernteam_id=kernteams[SIGNAL_KERNTEAM].id, metric="admissions")]
                d.evidence += [DecisionEvidence(kernteam_id=kernteams[c].id, metric="admissions",
                                                is_comparison=True) for c in ("KT-01", "KT-02")]
                d.evidence += [DecisionEvidence(indicator_id=seh.id, area_id=a.id)
                               for a in [a for a in self.pw if a.parts][:2]]
            self.s.add(d)
        for area in self.bz:
            self.s.add(Intervention(label="Start GGZ-team in de wijk (Blauwe GGZ)",
                                    started_on=dt.date(2019, 1, 1), area_id=area.id,
                                    project_id=projects["BZ-8"].id))

    def accounts(self) -> None:
        for username, role in DEMO_ACCOUNTS.items():
            self.s.add(User(username=username, password_hash=hash_password(DEMO_PASSWORD), role=role,
                            is_demo=True))


# What the public reads about a published demo decision: what was tried, what happened (one
# number, with a comparison) and what changes, as three paragraphs (domain.learning.
# lesson_parts), in plain words, without project codes or the names of internal bodies.
# Invented, like all demo data; where the demo holds the figure (GGZ costs, ervaren
# gezondheid, kernteam admissions) the lesson quotes the demo's own values.
PUBLIC_SUMMARIES = {
    "BZ-1": "Professionals in de vier wijken volgden een training in Positieve Gezondheid: "
            "praten met bewoners over wat die zelf willen, niet alleen over klachten.\n\n"
            "In 2024 voelde 62% van de bewoners zich gezond, tegen 56% in 2016 (Nederland: "
            "54%). Er zijn nog te weinig metingen om dat zeker aan de training toe te "
            "schrijven.\n\n"
            "Alle professionals in de vier wijken krijgen de training.",
    "BZ-8": "Een GGZ-team werkt sinds januari 2019 in de wijk, dicht bij huisarts en "
            "wijkteam.\n\n"
            "In het eerste jaar daalden de GGZ-kosten in de vier wijken van € 439 naar € 385 "
            "per inwoner; in een vergelijkbare wijk zonder team stegen ze van € 368 naar "
            "€ 380.\n\n"
            "Het team wordt vast betaald uit het gezamenlijke budget van gemeente en "
            "zorgverzekeraar.",
    "BZ-6": "Professionals konden elkaar op een digitale overlegtafel vragen stellen over "
            "bewoners die hulp van meer kanten nodig hebben.\n\n"
            "Na een half jaar gebruikten 6 van de 40 aangesloten professionals het platform; "
            "het vaste wijkoverleg trok er 30.\n\n"
            "Het platform is gestopt; het wijkoverleg blijft de plek om samen te werken.",
    "BZ-4": "Wie met spoed hulp thuis nodig heeft, kan die aanvragen met een snelle "
            "procedure.\n\n"
            "De wachttijd voor spoedhulp daalde van gemiddeld 6 weken naar 4 dagen; voor "
            "gewone aanvragen bleef hij 6 weken.\n\n"
            "De snelle procedure blijft.",
    "BZ-7": "Vrijwilligers uit de buurt zouden bewoners coachen die vastlopen.\n\n"
            "In een jaar meldden zich 3 vrijwilligers, terwijl er 20 nodig waren.\n\n"
            "Het project is gestopt; de wijkteams zoeken bewoners zelf op.",
    "BZ-5": "Bewoners spreken als gezondheidsambassadeur hun buren aan over gezondheid en "
            "hulp.\n\n"
            "De 12 ambassadeurs spraken in een jaar 180 buren; een op de drie had al lang "
            "geen hulp gezocht.\n\n"
            "De ambassadeurs blijven, en nieuwe bewoners kunnen zich aanmelden.",
    "PW-2": "Een kernteam maakte sinds eind 2023 voor elke kwetsbare oudere vooraf een "
            "zorgplan.\n\n"
            "Het aantal ziekenhuisopnames van de ongeveer 240 ouderen daalde van 45 in 2023 "
            "naar 14 in 2024; bij twee vergelijkbare kernteams bleef het tussen 27 en 46 "
            "per jaar.\n\n"
            "Alle kernteams gaan zo werken.",
    "PW-4": "De gebieden komen elk kwartaal samen om te delen wat werkt en wat niet.\n\n"
            "In 2026 namen 5 van de 6 gebieden een aanpak van een ander gebied over; in "
            "2024, zonder vaste bijeenkomsten, was dat 1 van de 6.\n\n"
            "Het netwerk blijft elk kwartaal bijeen; zes nieuwe gebieden sluiten aan.",
}


# ---------------------------------------------------------------- entry points


def is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Indicator))


def seed_demo(engine: Engine, as_of: dt.date | None = None, registry: Registry | None = None) -> bool:
    """Add new registry areas and, when the database has no data yet, fill it. Returns True if
    seeded."""
    sync_areas(engine, registry or load_registry())
    with transaction(engine) as session:
        if not is_empty(session):
            return False
        as_of = as_of or dt.date.today()
        DemoGenerator(session, as_of).run()
        audit.record(session, actor="systeem", role="beheerder", action="seed",
                     object_type="database", new={"demo_data": True, "as_of": as_of.isoformat()})
    return True


def prepare_database(url: str | None = None, as_of: dt.date | None = None,
                     demo: bool = True) -> Engine:
    """Migrate to head, add new registry areas, load the shipped boundaries while no official
    CBS file is loaded, and seed demo data when empty (``make run``)."""
    engine = make_engine(url)
    upgrade(str(engine.url.render_as_string(hide_password=False)))
    registry = load_registry()
    if demo:
        seed_demo(engine, as_of, registry)
    else:
        sync_areas(engine, registry)
    load_shipped(engine, registry)
    return engine


def wants_demo(url: str, *, no_demo: bool, demo: bool) -> bool:
    """Demo data goes only into the embedded SQLite database, unless asked for explicitly:
    ``make run`` against a production PostgreSQL must never fill it with invented figures."""
    return not no_demo and (demo or url == f"sqlite:///{DEFAULT_SQLITE_PATH}")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Migrate and seed the Lerend Netwerk database.")
    parser.add_argument("--no-demo", action="store_true",
                        help="only migrate and sync the area registry (production)")
    parser.add_argument("--demo", action="store_true",
                        help="seed demo data also into a database other than the embedded SQLite file")
    parser.add_argument("--sync-areas", action="store_true",
                        help="bring the areas in line with geo/areas.toml: add new ones, update "
                             "changed ones, deactivate removed ones (audited; figures are kept)")
    parser.add_argument("--registry", type=Path, default=REGISTRY_PATH, metavar="PAD",
                        help="the area registry to sync from (default geo/areas.toml)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    url = database_url()
    if args.sync_areas:
        try:
            registry = load_registry(args.registry)
        except (OSError, ValueError) as exc:
            print(f"Fout in het gebiedsregister: {exc} Er is niets gewijzigd.", file=sys.stderr)
            return 2
        engine = make_engine(url)
        upgrade(str(engine.url.render_as_string(hide_password=False)))
        print(sync_areas(engine, registry, full=True).summary())
        engine.dispose()
        return 0
    demo = wants_demo(url, no_demo=args.no_demo, demo=args.demo)
    engine = prepare_database(url, demo=demo)
    with transaction(engine) as session:
        n_areas = session.scalar(select(func.count()).select_from(Area))
    kind = "demo data" if demo else "no demo data"
    print(f"Database ready at {engine.url.render_as_string(hide_password=True)}: {n_areas} areas, {kind}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
