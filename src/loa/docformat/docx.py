"""A `PartyDocument` laid out as DOCX in the format of Hướng dẫn 36-HD/VPTW, with python-docx.

The heading area is a borderless two-column table, as the party's own templates have it: issuing
body, "*" and number on the left; "ĐẢNG CỘNG SẢN VIỆT NAM", underlined, and the italic
place and date line on the right. Times New Roman throughout (LibreOffice maps it to the
metric-compatible Liberation Serif where Microsoft's font is absent).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from loa.docformat.layout import (
    PARTY_HEADER,
    Block,
    Bullet,
    Heading,
    Image,
    Item,
    Paragraph,
    PartyDocument,
    Table,
    recipient_lines,
)

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 15
TYPE_PT = 16
SMALL_PT = 12
NEGATIVE_RED = RGBColor(0xB0, 0x1E, 0x1E)


def render_docx(document: PartyDocument) -> bytes:
    doc = Document()
    _page_setup(doc, document)
    _base_style(doc)
    _heading_area(doc, document)
    _type_and_summary(doc, document)
    for block in document.blocks:
        _block(doc, block)
    _closing(doc, document)
    props = doc.core_properties
    props.title = document.title or " ".join(part for part in (document.doc_type, document.summary) if part)
    props.author = document.letterhead.issuer
    props.language = "vi-VN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: DocxDocument, document: PartyDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    margins = document.margins
    section.top_margin = Mm(margins.top)
    section.bottom_margin = Mm(margins.bottom)
    section.left_margin = Mm(margins.left)
    section.right_margin = Mm(margins.right)
    # Page numbers from the second page on, centred at the top (36-HD), none on the first.
    section.different_first_page_header_footer = True
    header_paragraph = section.header.paragraphs[0]
    header_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header_paragraph)


def _base_style(doc: DocxDocument) -> None:
    style = doc.styles["Normal"]
    font = style.font
    font.name = FONT
    font.size = Pt(BODY_PT)
    # East Asian and complex-script slots too, or Word falls back for some Vietnamese letters.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    paragraph_format = style.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(6)
    paragraph_format.line_spacing = 1.1
    doc.core_properties.language = "vi-VN"


def _heading_area(doc: DocxDocument, document: PartyDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    usable = 210 - document.margins.left - document.margins.right
    widths = (usable * 0.5, usable * 0.5)
    _widths(table, widths)
    left, right = table.rows[0].cells
    letterhead = document.letterhead
    first = True
    if letterhead.superior:
        _cell_line(left, letterhead.superior.upper(), first=first)
        first = False
    _cell_line(left, letterhead.issuer.upper(), bold=True, first=first)
    _cell_line(left, "*")
    if document.number_line:
        _cell_line(left, document.number_line)
    # The rule under the header spans the header's own width: an underline does exactly that.
    _cell_line(right, PARTY_HEADER, bold=True, underline=True, size=HEADER_PT, first=True)
    date_paragraph = _cell_line(right, document.date_line, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date_paragraph.paragraph_format.space_before = Pt(6)


def _type_and_summary(doc: DocxDocument, document: PartyDocument) -> None:
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(0)
    _run(title, document.doc_type.upper(), bold=True, size=TYPE_PT)
    if document.summary:
        summary = doc.add_paragraph()
        summary.alignment = WD_ALIGN_PARAGRAPH.CENTER
        summary.paragraph_format.space_after = Pt(0)
        _run(summary, document.summary, bold=True)
    dashes = doc.add_paragraph()
    dashes.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(dashes, "-----")


def _block(doc: DocxDocument, block: Block) -> None:
    if isinstance(block, Heading):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.first_line_indent = Mm(10)
        _run(paragraph, block.text, bold=True, italic=block.level > 1)
    elif isinstance(block, Paragraph):
        paragraph = _body_paragraph(doc)
        _run(paragraph, block.text, bold=block.bold, italic=block.italic)
    elif isinstance(block, Bullet):
        paragraph = _body_paragraph(doc)
        _run(paragraph, f"- {block.text}")
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Image):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = bool(block.caption)
        paragraph.add_run().add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
        if block.caption:
            caption = doc.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(caption, block.caption, italic=True, size=SMALL_PT)
    elif isinstance(block, Item):
        _item(doc, block)
    else:  # pragma: no cover - the union is closed; a new block kind must be laid out here
        raise TypeError(f"no layout for {type(block).__name__}")


def _item(doc: DocxDocument, item: Item) -> None:
    heading = doc.add_paragraph()
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(0)
    heading.paragraph_format.keep_with_next = True
    _run(heading, f"{item.number}. ", bold=True)
    _hyperlink(heading, item.url, item.title, color=NEGATIVE_RED if item.negative else None)
    meta = doc.add_paragraph()
    meta.paragraph_format.space_after = Pt(2)
    _run(meta, item.meta, italic=True, size=SMALL_PT)
    if item.lead:
        _run(_body_paragraph(doc), item.lead)
    if item.comment:
        comment = _body_paragraph(doc)
        _run(comment, "Ghi chú: ", bold=True, italic=True)
        _run(comment, item.comment, italic=True)


def _table(doc: DocxDocument, block: Table) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        _cell_line(cell, text, bold=True, size=SMALL_PT, first=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in block.rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_line(cell, text, size=SMALL_PT, first=True, align=align)
    if block.widths_mm:
        _widths(table, block.widths_mm)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _closing(doc: DocxDocument, document: PartyDocument) -> None:
    if document.signature is None and not document.recipients:
        return
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    usable = 210 - document.margins.left - document.margins.right
    _widths(table, (usable * 0.5, usable * 0.5))
    left, right = table.rows[0].cells
    if document.recipients:
        _cell_line(left, "Nơi nhận:", underline=True, bold=True, first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in recipient_lines(document.recipients):
            _cell_line(left, line, size=SMALL_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    signature = document.signature
    if signature is not None:
        first = True
        for line in signature.lines:
            _cell_line(right, line, bold=True, first=first)
            first = False
        for _ in range(3):
            _cell_line(right, "", first=first)
            first = False
        if signature.name:
            _cell_line(right, signature.name, bold=True)


def _widths(table: DocxTable, widths_mm: Sequence[float]) -> None:
    """Column widths in the grid as well as on each cell: LibreOffice reads the grid, Word the cells."""
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _body_paragraph(doc: DocxDocument) -> DocxParagraph:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    return paragraph


def _cell_line(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: int = BODY_PT,
    first: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> DocxParagraph:
    """A line in a table cell; the cell's own empty first paragraph is used for the first line."""
    paragraph: DocxParagraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Mm(0)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)
    return paragraph


def _run(
    paragraph: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    underline: bool = False,
) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size is not None:
        run.font.size = Pt(size)


def _hyperlink(paragraph: DocxParagraph, url: str, text: str, *, color: RGBColor | None = None) -> None:
    """python-docx has no hyperlink API; this writes the `w:hyperlink` element Word itself writes."""
    if not url.startswith(("http://", "https://")):
        _run(paragraph, text, bold=True)
        return
    relation = paragraph.part.relate_to(
        url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    bold = OxmlElement("w:b")
    properties.append(bold)
    if color is not None:
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), str(color))
        properties.append(colour)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def _page_field(paragraph: DocxParagraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(BODY_PT)
