"""Printable documents (A4 PDF) rendered on the server with ReportLab: the Wijkprofiel and
the meeting report offer *Download als pdf*; ``to_html`` writes the same document as one
self-contained HTML file (the meeting report's other download).

A document is plain data (title, subtitle, blocks); ``render`` lays it out with a running
footer on every page: source, peildatum, "Voorbeelddata" when the figures are invented, and
"pagina X van Y". Every text is escaped for ReportLab's paragraph markup, so a name typed
by a user prints as itself. The standard PDF fonts use WinAnsi encoding, which holds every
character Dutch text needs (ë, é, €, –, “”); anything else prints as "?". No Streamlit.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

MARGIN = 18 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
INK = colors.HexColor("#0B1520")
RULE = colors.HexColor("#C8D0D8")
HEADER_FILL = colors.HexColor("#E8EEF4")


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Text:
    text: str
    small: bool = False


@dataclass(frozen=True)
class TableBlock:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]  # already formatted Dutch text
    caption: str = ""


@dataclass(frozen=True)
class Picture:
    png: bytes
    caption: str = ""  # what the picture shows, in words (also for readers of the text)
    width_mm: float = 170.0


Block = Heading | Text | TableBlock | Picture


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str = ""
    source: str = ""  # e.g. "Bron: CBS, Vektis, programmateam"
    as_of: str = ""  # peildatum, Dutch ("23 nov 2026")
    demo: bool = False
    blocks: Sequence[Block] = field(default_factory=tuple)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=9.5,
                          leading=12.5, textColor=INK)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName="Helvetica-Bold",
                                fontSize=17, leading=21, alignment=0, textColor=INK,
                                spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=10.5, leading=14,
                                   spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold",
                                  fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10,
                                textColor=colors.HexColor("#3A4654")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", fontSize=8.5,
                               leading=10.5),
    }


# Typography outside WinAnsi that the product's own texts use, as the nearest WinAnsi text.
_WINANSI = str.maketrans({"′": "'", "≤": "<=", "≥": ">=", "≈": "~", "−": "-"})


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text).translate(_WINANSI)).replace("\n", "<br/>"), style)


def _table(block: TableBlock, s: dict[str, ParagraphStyle]) -> Flowable:
    data = [[_p(c, s["head"]) for c in block.columns]]
    data += [[_p(v, s["cell"]) for v in row] for row in block.rows]
    table = Table(data, repeatRows=1, colWidths=[TEXT_WIDTH / max(len(block.columns), 1)]
                  * len(block.columns), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    parts: list[Flowable] = [table]
    if block.caption:
        parts.insert(0, _p(block.caption, s["small"]))
    return KeepTogether(parts) if len(block.rows) < 25 else table


def _picture(block: Picture, s: dict[str, ParagraphStyle]) -> Flowable:
    image = Image(io.BytesIO(block.png))
    width = min(block.width_mm * mm, TEXT_WIDTH)
    image.drawHeight = image.drawHeight * width / image.drawWidth
    image.drawWidth = width
    image.hAlign = "LEFT"
    parts: list[Flowable] = [image]
    if block.caption:
        parts.append(_p(block.caption, s["small"]))
    return KeepTogether(parts)


def _flowables(doc: Document) -> list[Flowable]:
    s = _styles()
    out: list[Flowable] = [_p(doc.title, s["title"])]
    if doc.subtitle:
        out.append(_p(doc.subtitle, s["subtitle"]))
    if doc.demo:
        out.append(_p("Voorbeelddata: verzonnen cijfers om het dashboard te laten zien, geen "
                      "echte gegevens over personen of wijken.", s["small"]))
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(_p(block.text, s["heading"]))
        elif isinstance(block, Text):
            out.append(_p(block.text, s["small" if block.small else "body"]))
        elif isinstance(block, TableBlock):
            out.append(_table(block, s))
        else:
            out.append(_picture(block, s))
        out.append(Spacer(1, 3 * mm))
    return out


def render(doc: Document) -> bytes:
    """The document as A4 PDF bytes, with the footer on every page."""
    buffer = io.BytesIO()
    footer = " · ".join(x for x in (doc.source, f"Peildatum {doc.as_of}" if doc.as_of else "",
                                    "Voorbeelddata" if doc.demo else "") if x)
    template = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm,
                                 title=doc.title, author="Lerend Netwerk Zuid-Limburg",
                                 subject=doc.subtitle)
    flowables = _flowables(doc)

    class NumberedCanvas(_NumberedCanvas):
        footer_text = footer

    template.build(flowables, canvasmaker=NumberedCanvas)
    return buffer.getvalue()



class _NumberedCanvas(Canvas):
    """Writes the footer with "pagina X van Y" once the number of pages is known."""

    footer_text = ""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 7.5)
            self.setFillColor(colors.HexColor("#3A4654"))
            self.drawString(MARGIN, MARGIN - 2 * mm, self.footer_text[:150])
            self.drawRightString(A4[0] - MARGIN, MARGIN - 2 * mm,
                                 f"pagina {self._pageNumber} van {total}")
            super().showPage()
        super().save()


def to_html(doc: Document) -> str:
    """The document as one self-contained HTML page (charts inline), every text escaped."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="nl"><head><meta charset="utf-8">',
           f"<title>{e(doc.title)}</title>",
           "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#0b1520}"
           "table{border-collapse:collapse;width:100%}td,th{border:1px solid #c8d0d8;"
           "padding:4px 6px;text-align:left;vertical-align:top}th{background:#e8eef4}"
           ".small{font-size:.85em;color:#3a4654}.demo{color:#a50}</style>",
           "</head><body>", f"<h1>{e(doc.title)}</h1>"]
    if doc.subtitle:
        out.append(f"<p>{e(doc.subtitle)}</p>")
    if doc.demo:
        out.append('<p class="demo"><strong>Voorbeelddata</strong>: verzonnen cijfers, geen '
                   "echte gegevens.</p>")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"<h2>{e(block.text)}</h2>")
        elif isinstance(block, Text):
            css = ' class="small"' if block.small else ""
            out.append(f"<p{css}>{e(block.text)}</p>")
        elif isinstance(block, TableBlock):
            if block.caption:
                out.append(f'<p class="small">{e(block.caption)}</p>')
            out.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in block.columns)
                       + "</tr>")
            out += ["<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>"
                    for row in block.rows]
            out.append("</table>")
        else:
            data = base64.b64encode(block.png).decode("ascii")
            out.append(f'<figure><img src="data:image/png;base64,{data}" alt="{e(block.caption)}"'
                       f' style="max-width:100%"><figcaption class="small">{e(block.caption)}'
                       "</figcaption></figure>")
    footer = " · ".join(x for x in (doc.source, f"Peildatum {doc.as_of}" if doc.as_of else "") if x)
    if footer:
        out.append(f'<p class="small">{e(footer)}</p>')
    out.append("</body></html>")
    return "\n".join(out)
