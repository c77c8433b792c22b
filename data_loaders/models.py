"""The schema: one SQLAlchemy 2.x typed ORM model per concept of SPEC §3-4.

This module is the single owner of the schema. Alembic migrations in
``data_loaders/migrations`` are generated from it and reviewed by hand.
Editable rows carry a ``version`` column used as SQLAlchemy ``version_id_col`` so
that a stale save is refused instead of silently overwriting someone else's edit.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
    true,
)
from sqlalchemy import true as sa_true
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def unique_key(table: str, *columns: str, nullable: tuple[str, ...] = ()) -> Index:
    """A unique index on a natural key that holds when key columns are NULL.

    A plain UNIQUE constraint treats NULLs as distinct (SQL standard), so two rows that
    differ only by a NULL ``region_code`` would both be accepted. Here each nullable
    column is indexed as ``COALESCE(column, sentinel)`` — 0 for ids (ids start at 1), ''
    for codes — so a missing value counts as one value: the same rule on SQLite and
    PostgreSQL (there equivalent to NULLS NOT DISTINCT), from one definition.
    """
    parts = [text(f"coalesce({c}, {0 if c.endswith('_id') else repr('')})") if c in nullable
             else c for c in columns]
    return Index(f"uq_{table}_key", *parts, unique=True)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """Store enums as their (Dutch) values in a VARCHAR with a CHECK constraint."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Versioned:
    """Mixin for editable rows: optimistic locking through ``version``."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.version}


# The domain's vocabularies live in dashboard.domain.vocab; the schema stores them.
from dashboard.domain.vocab import (  # noqa: E402,F401 - re-exported for the loaders
    BODIES,
    DOMAINS,
    KNELPUNTEN,
    POSITIVE_HEALTH_DIMENSIONS,
    DecisionOutcome,
    DecisionStatus,
    Polarity,
    ProjectHealth,
    ProjectStatus,
    ValueStatus,
)


class Role(enum.Enum):
    """Mirror of ``dashboard.domain.roles.Role`` for storage; the rules live there."""

    BESTUURDER = "bestuurder"
    PROGRAMMATEAM = "programmateam"
    BEHEERDER = "beheerder"


# ---------------------------------------------------------------- areas


class Programme(Base):
    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[dt.date | None] = mapped_column(Date)


class Area(Versioned, Base):
    """A programme area: a named set of CBS codes (SPEC §3)."""

    __tablename__ = "area"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    municipality_code: Mapped[str] = mapped_column(String(6))
    municipality_name: Mapped[str] = mapped_column(String(80))
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    centroid_lon: Mapped[float] = mapped_column(Float)
    centroid_lat: Mapped[float] = mapped_column(Float)
    # An inactive area (removed from the registry) keeps its figures but is no longer offered
    # as a choice; areas are deactivated, never deleted from under their figures.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    note: Mapped[str] = mapped_column(String(400), default="", server_default="")

    programme: Mapped[Programme] = relationship()
    parts: Mapped[list[AreaPart]] = relationship(
        back_populates="area", cascade="all, delete-orphan", order_by="AreaPart.cbs_code"
    )


class AreaPart(Base):
    __tablename__ = "area_part"
    __table_args__ = (
        UniqueConstraint("area_id", "cbs_code"),
        CheckConstraint("level IN ('buurt', 'wijk')", name="level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    cbs_code: Mapped[str] = mapped_column(String(12), index=True)
    level: Mapped[str] = mapped_column(String(8))
    area: Mapped[Area] = relationship(back_populates="parts")


class CbsGeometry(Base):
    """Imported official CBS boundaries (WGS84 GeoJSON), one row per buurt/wijk."""

    __tablename__ = "cbs_geometry"
    id: Mapped[int] = mapped_column(primary_key=True)
    cbs_code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(12))
    municipality_code: Mapped[str] = mapped_column(String(6), index=True)
    year: Mapped[int] = mapped_column(Integer)
    geojson: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))


# ---------------------------------------------------------------- indicators


class Indicator(Versioned, Base):
    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(160))
    definition: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(40))
    polarity: Mapped[Polarity] = mapped_column(_enum(Polarity, "polarity"))
    source: Mapped[str] = mapped_column(String(160))
    period_type: Mapped[str] = mapped_column(String(20))  # jaar, kwartaal, maand, meting
    owner: Mapped[str] = mapped_column(String(120))
    last_update: Mapped[dt.date | None] = mapped_column(Date)
    disclosure_rule: Mapped[str] = mapped_column(String(40), default="standaard")
    # Licence and attribution line of the source, shown wherever its figures are shown.
    licence: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Peildatum: the moment or period the figures describe, e.g. "1 januari van het jaar".
    reference_moment: Mapped[str] = mapped_column(String(120), default="", server_default="")
    is_rate: Mapped[bool] = mapped_column(Boolean, default=False)
    multiplier: Mapped[float] = mapped_column(Float, default=1.0)  # rate = num/den*multiplier
    is_survey: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    # Master data that figures depend on is deactivated, never deleted from under them.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class IndicatorValue(Versioned, Base):
    """A value per programme area *or* per CBS/reference region and period."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        unique_key("indicator_value", "indicator_id", "area_id", "region_code", "period",
                   nullable=("area_id", "region_code")),
        CheckConstraint(
            "(area_id IS NULL) <> (region_code IS NULL)", name="area_xor_region"
        ),
        # an area's CBS parts for one indicator (migration 0008 says why)
        Index("ix_indicator_value_region_indicator", "region_code", "indicator_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    # CBS code (BU…, WK…, GM…) or a reference level: "ZL" (Zuid-Limburg), "NL".
    region_code: Mapped[str | None] = mapped_column(String(12))
    period: Mapped[str] = mapped_column(String(10))  # "2023", "2023-Q2", "2023-05"
    period_start: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    # 95% interval of a model estimate without numerator (e.g. RIVM per buurt), in the unit
    # of ``value``. Such estimates are never summed (dashboard.domain.aggregation).
    lower: Mapped[float | None] = mapped_column(Float)
    upper: Mapped[float | None] = mapped_column(Float)
    status: Mapped[ValueStatus] = mapped_column(
        _enum(ValueStatus, "value_status"), default=ValueStatus.OK
    )
    note: Mapped[str] = mapped_column(String(200), default="")

    indicator: Mapped[Indicator] = relationship()
    area: Mapped[Area | None] = relationship()


class SurveyScore(Versioned, Base):
    """Positive Health survey: mean score (0-10) per dimension, area and wave."""

    __tablename__ = "survey_score"
    __table_args__ = (
        unique_key("survey_score", "area_id", "region_code", "wave", "dimension",
                   nullable=("area_id", "region_code")),
        CheckConstraint("mean_score >= 0 AND mean_score <= 10", name="score_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    region_code: Mapped[str | None] = mapped_column(String(12))
    wave: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(40))
    mean_score: Mapped[float] = mapped_column(Float)
    n_respondents: Mapped[int] = mapped_column(Integer)


class Intervention(Versioned, Base):
    """A dated intervention: marks phases in run charts and on trend lines."""

    __tablename__ = "intervention"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(160))
    started_on: Mapped[dt.date] = mapped_column(Date)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"))
    kernteam_id: Mapped[int | None] = mapped_column(ForeignKey("kernteam.id"))
    # "basislijn": freeze the baseline before it; "nieuwe fase": start a new phase.
    method: Mapped[str] = mapped_column(String(20), default="basislijn",
                                        server_default="basislijn")

    kernteam: Mapped[Kernteam | None] = relationship()


# ---------------------------------------------------------------- projects


class Project(Versioned, Base):
    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # project | programmalijn
    status: Mapped[ProjectStatus] = mapped_column(_enum(ProjectStatus, "project_status"))
    health: Mapped[ProjectHealth] = mapped_column(_enum(ProjectHealth, "project_health"))
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    goal: Mapped[str] = mapped_column(Text, default="")
    approach: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[str] = mapped_column(Text, default="")
    facilities: Mapped[str] = mapped_column(Text, default="")
    expected_results: Mapped[str] = mapped_column(Text, default="")
    resident_participation: Mapped[str] = mapped_column(Text, default="")
    contact_role: Mapped[str] = mapped_column(String(120), default="")
    budget_eur: Mapped[float | None] = mapped_column(Float)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    programme: Mapped[Programme] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary="project_area")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", order_by="Milestone.due_on"
    )


class ProjectArea(Base):
    __tablename__ = "project_area"
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), primary_key=True)


class Milestone(Versioned, Base):
    __tablename__ = "milestone"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    project: Mapped[Project] = relationship(back_populates="milestones")


# ---------------------------------------------------------------- welzijnscoaches


class Coach(Versioned, Base):
    """A welfare coach, known only by a pseudonymous code."""

    __tablename__ = "coach"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    fte: Mapped[float] = mapped_column(Float)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class CoachMonth(Versioned, Base):
    """Monthly caseload figures of one coach: counts only, no client records."""

    __tablename__ = "coach_month"
    __table_args__ = (UniqueConstraint("coach_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coach.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)  # first day of the month
    active_households: Mapped[int] = mapped_column(Integer)
    new_huisarts: Mapped[int] = mapped_column(Integer)
    new_wijkteam: Mapped[int] = mapped_column(Integer)
    new_zelf: Mapped[int] = mapped_column(Integer)
    new_overig: Mapped[int] = mapped_column(Integer)
    closed_goal_reached: Mapped[int] = mapped_column(Integer)
    closed_referred: Mapped[int] = mapped_column(Integer)
    closed_dropped_out: Mapped[int] = mapped_column(Integer)
    waiting_list: Mapped[int] = mapped_column(Integer)
    mean_duration_days: Mapped[float | None] = mapped_column(Float)

    coach: Mapped[Coach] = relationship()


# ---------------------------------------------------------------- kernteams


class Kernteam(Versioned, Base):
    __tablename__ = "kernteam"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    practice: Mapped[str] = mapped_column(String(120))  # the PlusPraktijk
    disciplines: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_on: Mapped[dt.date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class KernteamQuarter(Versioned, Base):
    """Quarterly results of a kernteam: counts with their denominator."""

    __tablename__ = "kernteam_quarter"
    __table_args__ = (UniqueConstraint("kernteam_id", "quarter"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kernteam_id: Mapped[int] = mapped_column(ForeignKey("kernteam.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))  # "2025-Q3"
    quarter_start: Mapped[dt.date] = mapped_column(Date)
    frail_elderly: Mapped[int] = mapped_column(Integer)
    with_care_plan: Mapped[int] = mapped_column(Integer)
    discussed_mdo: Mapped[int] = mapped_column(Integer)
    ed_visits: Mapped[int] = mapped_column(Integer)
    admissions: Mapped[int] = mapped_column(Integer)
    readmissions: Mapped[int] = mapped_column(Integer)
    falls: Mapped[int] = mapped_column(Integer)

    kernteam: Mapped[Kernteam] = relationship()


# ---------------------------------------------------------------- budgets


class Budget(Versioned, Base):
    """Pooled budget ("ontschotting") per year, programme, financier and law."""

    __tablename__ = "budget"
    __table_args__ = (UniqueConstraint("programme_id", "year", "financier", "law"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    year: Mapped[int] = mapped_column(Integer)
    financier: Mapped[str] = mapped_column(String(40))  # gemeente, VGZ, CZ, provincie
    law: Mapped[str] = mapped_column(String(40))  # Zvw, Wmo, Jeugdwet, Participatiewet, Wpg, Wlz
    amount_eur: Mapped[float] = mapped_column(Float)

    programme: Mapped[Programme] = relationship()


class Spending(Versioned, Base):
    __tablename__ = "spending"
    __table_args__ = (unique_key("spending", "year", "area_id", "project_id", "law",
                                 nullable=("area_id", "project_id")),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"))
    law: Mapped[str] = mapped_column(String(40))
    amount_eur: Mapped[float] = mapped_column(Float)


# ---------------------------------------------------------------- learning network


class Case(Versioned, Base):
    """An anonymised case of the casussenboek."""

    __tablename__ = "casus"
    __table_args__ = (CheckConstraint("knelpunt BETWEEN 1 AND 5", name="knelpunt"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    knelpunt: Mapped[int] = mapped_column(Integer)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    lessons: Mapped[str] = mapped_column(Text, default="")
    publishable: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Decision(Versioned, Base):
    """A decision of the learning network with its evidence links."""

    __tablename__ = "decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    subject_type: Mapped[str] = mapped_column(String(20))  # project, interventie, programmalijn
    subject: Mapped[str] = mapped_column(String(200))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"))
    outcome: Mapped[DecisionOutcome] = mapped_column(_enum(DecisionOutcome, "decision_outcome"))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(60))  # DB, Ambassadeursgroep, Financiersoverleg, …
    rationale: Mapped[str] = mapped_column(Text)
    expected_effect: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[DecisionStatus] = mapped_column(_enum(DecisionStatus, "decision_status"))
    public_summary: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    programme: Mapped[Programme] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary="decision_area")
    cases: Mapped[list[Case]] = relationship(secondary="decision_case")
    evidence: Mapped[list[DecisionEvidence]] = relationship(cascade="all, delete-orphan")


class DecisionArea(Base):
    __tablename__ = "decision_area"
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), primary_key=True)


class DecisionCase(Base):
    __tablename__ = "decision_case"
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("casus.id"), primary_key=True)


class DecisionEvidence(Versioned, Base):
    """A series that supports a decision: an indicator in an area, or a kernteam metric."""

    __tablename__ = "decision_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    kernteam_id: Mapped[int | None] = mapped_column(ForeignKey("kernteam.id"))
    metric: Mapped[str | None] = mapped_column(String(40))  # kernteam column, e.g. admissions
    is_comparison: Mapped[bool] = mapped_column(Boolean, default=False)
    # omlaag / omhoog; None: the indicator's (or metric's) polarity decides.
    expected_direction: Mapped[str | None] = mapped_column(String(10))


# ---------------------------------------------------------------- accounts, audit, settings


class User(Versioned, Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Raised on a password change or reset and on deactivation: every sign-in session
    # made with an older value is void (dashboard.store.sessions).
    credential_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AuthSession(Base):
    """A signed-in browser (dashboard.store.sessions): only SHA-256 digests of its cookie token
    and of the one-time hand-off code are stored. Not ``Versioned``: sign-in bookkeeping
    never fights the optimistic lock of account edits."""

    __tablename__ = "auth_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # set on hand-off
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    subject: Mapped[str] = mapped_column(String(80), index=True)  # user name or SSO identity
    kind: Mapped[str] = mapped_column(String(10))  # "lokaal" or "oidc"
    role: Mapped[str | None] = mapped_column(String(20))  # single sign-on only (from claims)
    credential_version: Mapped[int] = mapped_column(Integer, default=1)
    client: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoke_reason: Mapped[str | None] = mapped_column(String(20))


class LoginFailure(Base):
    """One failed sign-in, per (user name, client): the throttle counts recent rows
    (dashboard.store.auth). Insert-only, so simultaneous attempts never conflict."""

    __tablename__ = "login_failure"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class AuditLog(Base):
    """Append-only audit trail; the application never updates or deletes rows."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(60), default="")
    old_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result: Mapped[str] = mapped_column(String(20))


class Setting(Versioned, Base):
    """Named settings, e.g. the caseload norm per FTE and whether this is demo data."""

    __tablename__ = "setting"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[Any] = mapped_column(JSON)


class DataVersion(Base):
    """One counter per dataset, raised in the transaction that changes the dataset
    (``data_loaders.versions``). The caches put it in their keys, so a save on any
    replica shows on every replica's next rerun without emptying unrelated caches."""

    __tablename__ = "data_version"
    dataset: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
