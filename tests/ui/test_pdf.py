"""Server-side PDF: every page carries source, peildatum and its number; a user's text
prints as itself (no markup), Dutch characters survive, and charts are embedded."""

import io

from pypdf import PdfReader

from dashboard.ui import exports, pdf


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
