"""Server-side PDF: every page carries source, peildatum and its number; a user's text
prints as itself (no markup), Dutch characters survive, and charts are embedded."""

import datetime as dt
import io

from pypdf import PdfReader

from dashboard.domain import audit
from dashboard.domain.i18n import fmt_number
from dashboard.domain.roles import Role
from dashboard.store import meeting, writes
from dashboard.store.queries import QUERIES
from dashboard.ui import exports, pdf
from dashboard.ui.decision_entry import meeting_report
from dashboard.ui.profile import profile_document, trend_panels
from data_loaders.db import make_engine
from tests.helpers import AS_OF


def text_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def chart_png() -> bytes:
    spec = {"data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]}, "mark": "line",
            "encoding": {"x": {"field": "x", "type": "quantitative"},
                         "y": {"field": "y", "type": "quantitative"}}}
    return exports.chart_png(spec)


def test_a_long_document_numbers_its_pages_and_repeats_source_and_peildatum():
    rows = [[f"Buurt {i}", f"{i}.234,5", "ë é € – “x”"] for i in range(120)]
    doc = pdf.Document(
        title="Wijkprofiel Limmel", subtitle="Blauwe Zorg in de wijk · Maastricht",
        source="Bron: CBS, programmateam", as_of="23 nov 2026", demo=True,
        blocks=[pdf.Heading("Kerncijfers"), pdf.Text("<b>geen vet</b> & <script>x</script>"),
                pdf.Picture(chart_png(), caption="Lijn van 2 naar 3."),
                pdf.TableBlock(["Gebied", "Waarde", "Tekens"], rows)])
    pages = text_of(pdf.render(doc))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
        assert "Peildatum 23 nov 2026" in page and "Bron: CBS" in page
        assert "Voorbeelddata" in page
    everything = "\n".join(pages)
    assert "<b>geen vet</b> & <script>x</script>" in everything  # printed, not interpreted
    assert "ë é € – “x”" in everything and "119.234,5" in everything


def test_the_chart_is_embedded_as_an_image():
    data = pdf.render(pdf.Document(title="Grafiek", blocks=[pdf.Picture(chart_png())]))
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert len(page.images) == 1


def test_the_wijkprofiel_pdf_holds_the_area_every_trend_chart_and_the_work_in_the_area(
        demo_sqlite_url):
    engine = make_engine(demo_sqlite_url)

    def load(query: str, **params):
        return QUERIES[query](engine, Role.BESTUURDER, **params)

    area = load("areas").set_index("key").loc["limmel"]
    work = load("area_profile", area_key="limmel")
    panels = trend_panels(load, area_key="limmel")
    data = pdf.render(profile_document(area, work, panels, as_of="23 nov 2026", demo=True))
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Wijkprofiel Limmel" in text and "Peildatum 23 nov 2026" in text
    assert f"{fmt_number(area['residents'])} ({area['residents_year']})" in text
    assert sum(len(page.images) for page in reader.pages) == len(panels) > 3
    assert all(panel.caption.split(".")[0] in text for panel in panels)
    assert "Oordeel (" in text  # a long enough series gets its verdict in words
    assert not work["projects"].empty and all(
        name in text.replace("\n", " ") for name in work["projects"]["name"])
    assert "?" not in text  # every character the texts use exists in the PDF font
    engine.dispose()


def test_wijkprofiel_offers_its_pdf(app):
    at = app(Role.BESTUURDER)
    at.switch_page("pages/wijkprofiel.py").run()
    assert not at.exception
    assert "Download als pdf" in [b.label for b in at.get("download_button")]


def test_meeting_report_is_escaped_html_and_a_pdf_with_the_agenda_and_its_verdicts(
        seeded_engine):
    team = Role.PROGRAMMATEAM
    projects = writes.list_rows(seeded_engine, team, "project")
    projects.loc[0, "name"] = "<script>alert(1)</script>"
    signal = meeting.AgendaItem("Opnames KT-07", "Verschuiving: 8 punten boven de mediaan",
                                verdict="verslechtering")
    sections = [meeting.AgendaSection("signals", "Nieuwe signalen", "Geen nieuwe signalen.",
                                      [signal], note="Bij 35 teams geeft toeval er 2."),
                *meeting.agenda(seeded_engine, team, AS_OF)]
    assert writes.update(seeded_engine, "programmateam", team, "project", int(projects.loc[1, "id"]),
                         int(projects.loc[1, "version"]),
                         {**{k: projects.loc[1, k] for k in projects.columns
                             if k not in ("id", "version")}, "status": "afgerond"}).ok
    changes = audit.readable_changes(meeting.changes_since(
        seeded_engine, team, dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
    document = meeting_report(sections, projects, changes, AS_OF, AS_OF, "Verslag", demo=True)
    report = pdf.to_html(document)
    assert "<script>" not in report and "&lt;script&gt;" in report
    assert "<p>• Opnames KT-07: Verslechtering — Verschuiving: 8 punten boven de mediaan</p>" \
        in report and "Bij 35 teams geeft toeval er 2." in report
    assert "Mijlpalen over tijd" in report and "Voorbeelddata" in report
    assert "23 november 2026" in report
    printed = "\n".join(text_of(pdf.render(document)))
    assert "<script>alert(1)</script>" in printed.replace("\n", "")  # text, in a narrow cell
    assert "Opnames KT-07: Verslechtering" in printed and "pagina 1 van" in printed
    # what changed since the last meeting, in words: the project set to afgerond
    assert "Wat is er veranderd sinds 23 nov 2026" in report
    assert "Status: " in report and "→ afgerond" in report
