"""The Word annex: the dossier's clauses, ready to paste into the CCAP and the RC.

Layout: a cover block (buyer, title, reference, date) with a table of
contents field; one part per target document, starting on a new page, with
articles "Article 1 – …" in Word's own heading styles (so the buyer's
navigation pane and table of contents work); a closing table that traces
each article back to the library (clause id, version, legal basis), then the
eForms tags the chosen clauses bring to the contract notice. The
header carries the buyer and the reference; the footer "Page X sur Y" uses
real PAGE / NUMPAGES fields. With an organisation template, its styles,
margins, header and fonts are kept and only our content is added.
"""

from __future__ import annotations

import os
import re
from copy import deepcopy
from datetime import date
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt

from achatsdesk.documents import docx_xml as xml
from achatsdesk.documents.docx_package import clean_package, finish_package
from achatsdesk.documents.docx_styles import AnnexStyles
from achatsdesk.documents.model import (
    DOCUMENT_NAMES,
    PART_TITLES,
    SECTION_TITLES,
    AnnexInput,
    AnnexPart,
    RenderedClause,
)
from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.documents.typography import paragraphs, prepare
from achatsdesk.domain.eforms import notice_fields
from achatsdesk.domain.formatting import format_date_long, format_percent

DASH = "\u2013"  # en dash, as in "Article 1 – Objet"
_BULLETS = ("- ", "– ", "• ", "* ")


def write_annex(
    data: AnnexInput, destination: str | os.PathLike[str], *, template: str | os.PathLike[str] | None = None,
    dropped: list[str] | None = None,
) -> Path:
    """Build the annex and write it safely (temp file then rename).

    ``dropped`` hears what the organisation's model brought that the annex leaves out
    (macros, external links, embedded objects...), in French, for the buyer."""
    document = build_annex(data, template=template, dropped=dropped)
    return write_atomically(destination, lambda temp: document.save(str(temp)))


def build_annex(data: AnnexInput, *, template: str | os.PathLike[str] | None = None,
                dropped: list[str] | None = None) -> DocumentObject:
    if template:
        document = xml.open_template(template)
        xml.clear_body(document)
    else:
        document = Document()
    removed = clean_package(document)
    if dropped is not None and template:
        dropped.extend(removed)
    writer = _AnnexWriter(document, data, house_style=not template)
    writer.write()
    subject = _join(prepare(data.dossier_title), f"réf. {prepare(data.reference)}" if data.reference else "")
    finish_package(document, title=f"Clauses sociales et environnementales {DASH} {prepare(data.dossier_title)}",
                   subject=subject, update_fields=True)
    return document


class _AnnexWriter:
    def __init__(self, document: DocumentObject, data: AnnexInput, *, house_style: bool) -> None:
        self.document = document
        self.data = data
        self.styles = AnnexStyles(document, house_style=house_style)
        self.headings: list[tuple[int, str, str]] = []  # (level, anchor, text) for the TOC
        self.trace: list[tuple[str, RenderedClause]] = []  # (article label, clause)
        self._bookmark_id = 100
        self._number, self._number_part = 0, ""  # the last article number and its document
        self.parts = [part for part in AnnexPart if part in data.parts]

    # --- the whole document ---------------------------------------------
    def write(self) -> None:
        self._header_and_footer()
        self._cover()
        toc_anchor = self.document.add_paragraph()  # the TOC is filled once headings are known
        if self.data.is_empty:
            self._no_clause()
        for part in self.parts if not self.data.is_empty else ():
            self._part(part)
        self._traceability()
        if self.data.publishes_notice:
            self._notice_tags()  # a purchase without publicity has no notice to fill
        self._to_check()
        self._table_of_contents(toc_anchor)

    def _heading(self, text: str, level: int, *, page_break: bool = False):
        style = self.styles.heading1 if level == 1 else self.styles.heading2
        text = prepare(text)
        paragraph = self._para(text, style)
        if page_break:
            paragraph.paragraph_format.page_break_before = True
        self._bookmark_id += 1
        anchor = f"_Toc{self._bookmark_id}"
        xml.bookmark(paragraph, self._bookmark_id, anchor)
        self.headings.append((level, anchor, text))
        return paragraph

    # --- header, footer -----------------------------------------------------
    def _header_and_footer(self) -> None:
        buyer = prepare(self.data.buyer_name)
        reference = prepare(self.data.reference)
        title = prepare(self.data.dossier_title)
        for section in self.document.sections:
            header = section.header
            header.is_linked_to_previous = False
            if xml.has_visible_content(header._element):
                # The organisation's own header (logo, address) stays; the dossier goes under it.
                line = header.add_paragraph(_join(title, f"Réf. {reference}" if reference else ""), self.styles.header)
            else:
                line = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
                line.style = self.styles.header
                width = section.page_width - section.left_margin - section.right_margin
                line.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
                line.add_run(buyer or title).bold = True
                line.add_run("\t" + (f"Consultation réf. {reference}" if reference else title))
                xml.paragraph_border(line, "bottom")
            footer = section.footer
            footer.is_linked_to_previous = False
            if xml.has_page_field(footer._element):
                stamp = footer.add_paragraph(style=self.styles.footer)
                stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
                stamp.add_run(f"Jeu de clauses {self.data.fingerprint}")
                continue
            page = footer.add_paragraph(style=self.styles.footer) if xml.has_visible_content(footer._element) else (
                footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            )
            page.style = self.styles.footer
            page.alignment = WD_ALIGN_PARAGRAPH.CENTER
            page.add_run("Page ")
            xml.add_field(page, "PAGE", "1")
            page.add_run(" sur ")
            xml.add_field(page, "NUMPAGES", "1")
            page.add_run(f" {DASH} jeu de clauses {self.data.fingerprint}")

    # --- first page ---------------------------------------------------------
    def _cover(self) -> None:
        data, doc = self.data, self.document
        if data.buyer_name:
            buyer = doc.add_paragraph(prepare(data.buyer_name).upper(), self.styles.normal)
            buyer.runs[0].bold = True
            buyer.alignment = WD_ALIGN_PARAGRAPH.LEFT
            buyer.paragraph_format.space_after = Pt(24)
        doc.add_paragraph(prepare(data.dossier_title), self.styles.title)
        subtitle = " et ".join(_short_part_name(p) for p in self.parts) or "Clauses"
        doc.add_paragraph(prepare(f"Clauses sociales et environnementales {DASH} {subtitle}"), self.styles.subtitle)
        facts = [
            ("Acheteur", data.buyer_name),
            ("Référence de la consultation", data.reference or "à compléter"),
            ("Document édité le", format_date_long(data.issued_on or date.today())),
            ("Nombre de clauses", str(len([c for c in data.clauses if c.part in self.parts]))),
        ]
        table = doc.add_table(rows=0, cols=2)
        xml.table_borders(table, color="BFBFBF")
        for label, value in facts:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = prepare(label), prepare(value)
            cells[0].paragraphs[0].runs[0].bold = True
            xml.shade_cell(cells[0], "F2F2F2")
        _widths(table, (Cm(6), Cm(10)))
        note = doc.add_paragraph(
            prepare(
                "Ce document rassemble les clauses retenues pour le dossier, à reprendre dans les pièces "
                "de la consultation. Relisez-les et adaptez-les au besoin avant publication ; le tableau "
                "de traçabilité en fin de document indique la source et le fondement juridique de chacune."
            ),
            self.styles.normal,
        )
        note.paragraph_format.space_before = Pt(12)
        note.runs[0].italic = True

    def _table_of_contents(self, anchor_paragraph) -> None:
        """A real TOC field with page numbers: each cached entry links to its heading and ends
        with a PAGEREF field; the document asks Word to update fields on opening
        (w:updateFields), so the numbers are right as soon as Word has laid out the pages."""
        heading = anchor_paragraph
        heading.style = self.styles.toc_heading
        heading.add_run("Sommaire")
        previous = heading
        entries = []
        section = self.document.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        for level, anchor, text in self.headings:
            entry = self._insert_after(previous, self.styles.toc1 if level == 1 else self.styles.toc2)
            entry.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # a justified TOC line stretches its words
            entry.paragraph_format.space_after = Pt(2)
            # Right-aligned, without a dotted leader: until Word updates the field (it is asked to on
            # opening), the cached page number is empty and a row of dots would lead nowhere.
            entry.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.SPACES)
            entries.append((entry, anchor, text))
            previous = entry
        if not entries:
            return
        first, last = entries[0][0], entries[-1][0]
        xml.begin_field(first, 'TOC \\o "1-2" \\h \\z')
        for entry, anchor, text in entries:
            xml.add_internal_link(entry, anchor, text, page_field=True)
        xml.end_field(last)

    def _insert_after(self, paragraph, style):
        new = self._para("", style)  # appended at the end, then moved
        paragraph._p.addnext(new._p)
        return new

    def _para(self, text: str = "", style=None):
        """add_paragraph with the style set by id: python-docx's own lookup scans every style
        of the document for each paragraph, which made the annex several times slower."""
        paragraph = self.document.add_paragraph(text)
        if style is not None and style is not self.styles.normal:
            paragraph._p.style = style.style_id
        return paragraph

    # --- parts and articles ---------------------------------------------------
    def _no_clause(self) -> None:
        """One clear statement, not an empty part after another."""
        self._heading("Clauses retenues", 1, page_break=True)
        self._para(prepare(
            "Aucune clause n'a été retenue pour ce dossier : cette annexe ne contient aucun article. "
            "Ajoutez des clauses au dossier dans achatsdesk (étapes sociales et environnementales), "
            "puis exportez de nouveau l'annexe."
        ))

    def _part(self, part: AnnexPart) -> None:
        sections = self.data.sections_of(part)
        if not sections:
            self._heading(PART_TITLES[part], 1, page_break=True)
            self._para("Aucune clause de cette nature n'a été retenue pour ce dossier.")
            return
        for document, clauses in sections:
            self._section(part, document, clauses)

    def _section(self, part: AnnexPart, document: str, clauses: list[RenderedClause]) -> None:
        """One target document: its heading, where to insert it, its articles numbered from 1."""
        title = PART_TITLES[part] if part == AnnexPart.RC else SECTION_TITLES[document]
        if part == AnnexPart.RC and not all(c.is_award_criterion for c in clauses):
            title += " et autres mentions"
        self._heading(title, 1, page_break=True)
        if document != "CCAP":
            where = self._para()
            where.add_run(prepare(f"À insérer dans {DOCUMENT_NAMES[document]}.")).italic = True
        criteria = [c for c in clauses if c.is_award_criterion]
        if part == AnnexPart.RC and criteria:
            self._criteria_table(criteria)
        for clause in clauses:
            self._number = self._number + 1 if self.data.numbering == "document" or self._number_part == document else 1
            self._number_part = document
            number = self._number
            label = f"Article {number}"
            self.trace.append((f"{document}, art. {number}", clause))
            article = self._heading(f"{label} {DASH} {prepare(clause.title)}", 2)
            self._bookmark_id += 1
            xml.bookmark(article, self._bookmark_id, clause_bookmark(clause.id))  # what audit-docx recognises
            if clause.scope:
                scope = self._para()
                scope.add_run(prepare(f"Applicable au {clause.scope[:1].lower()}{clause.scope[1:]}.")).italic = True
            if clause.weight_percent is not None:
                weight = self._para()
                weight.add_run("Pondération").bold = True
                weight.add_run(prepare(f" : {format_percent(clause.weight_percent / 100)} de la note globale."))
            for text in body_paragraphs(clause):
                self._body_paragraph(text)
            self._check_marks(clause)

    def _check_marks(self, clause: RenderedClause) -> None:
        """What the buyer must confirm or write before publishing, under the article itself."""
        for label, text in check_points(clause):
            mark = self._para()
            flag = mark.add_run(f"{label}\u00a0:")
            flag.bold = True
            xml.highlight(flag, "yellow")
            mark.add_run(" " + prepare(text)).italic = True

    def _to_check(self) -> None:
        """The closing list: every point to confirm, article by article, so none is missed."""
        points = [(article, clause, label, text) for article, clause in self.trace for label, text in check_points(clause)]
        if not points:
            return
        self._heading("Points à vérifier avant publication", 1, page_break=True)
        self._para(prepare(
            "Les articles ci-dessous contiennent des éléments que la bibliothèque n'a pas pu confirmer dans un "
            "texte officiel, ou un texte que vous seul pouvez rédiger. Vérifiez-les ou complétez-les, puis "
            "retirez les marques « À vérifier » et « À rédiger » du document."
        ))
        for article, clause, label, text in points:
            item = self._para("", self.styles.bullet)
            item.add_run(prepare(f"{article} {DASH} {clause.title}")).bold = True
            item.add_run(prepare(f" ({label.lower()}) : {text}"))

    def _body_paragraph(self, text: str) -> None:
        if text.startswith(_BULLETS):
            self._para(text[2:].strip(), self.styles.bullet)
        else:
            self._para(text)

    def _criteria_table(self, clauses: list[RenderedClause]) -> None:
        intro = self.document.add_paragraph(
            prepare(
                "Les offres sont notamment appréciées au regard des critères suivants, détaillés dans les "
                "articles ci-dessous. Les autres critères (prix, valeur technique) et leur pondération sont "
                "fixés par l'acheteur ; la somme des pondérations est de 100 %."
            ),
            self.styles.normal,
        )
        intro.paragraph_format.keep_with_next = True
        rows = [(prepare(c.title), format_percent(c.weight_percent / 100) if c.weight_percent is not None else "à fixer") for c in clauses]
        self._table(("Critère", "Pondération"), rows, (Cm(12.5), Cm(3.5)))
        self._para()

    # --- traceability -----------------------------------------------------------
    def _traceability(self) -> None:
        if not self.trace:
            return
        self._heading("Traçabilité des clauses", 1, page_break=True)
        self.document.add_paragraph(
            prepare(
                "Chaque article provient de la bibliothèque de clauses d'achatsdesk : l'identifiant et la "
                "version permettent de retrouver le modèle exact ; le fondement juridique est celui du modèle. "
                "« (à vérifier) » signale un fondement dont un élément n'est pas confirmé par un texte officiel : "
                f"voir les points à vérifier. Jeu de clauses {self.data.fingerprint}."
            ),
            self.styles.normal,
        )
        rows = [
            (article, clause.id, clause.version or "—",
             (prepare(clause.legal_basis) or "—") + (" (à vérifier)" if clause.to_confirm else ""))
            for article, clause in self.trace
        ]
        self._table(("Article", "Clause", "Version", "Fondement juridique"), rows, (Cm(2.8), Cm(5.2), Cm(1.9), Cm(6.1)))

    def _notice_tags(self) -> None:
        """What to declare in the notice: the strategic-procurement fields of the chosen clauses."""
        fields = notice_fields(clause.eforms for _, clause in self.trace if clause.eforms)
        if not fields:
            return  # no strategic clause: nothing to declare
        rows = [  # the field named once, on its first code
            (field.label if index == 0 else "", code, prepare(meaning))
            for field in fields
            for index, (code, meaning) in enumerate(field.codes)
        ]
        self._para()  # air between the traceability table and this heading
        self._heading("Avis de marché : achats stratégiques (eForms)", 1)
        self.document.add_paragraph(
            prepare(
                "Les clauses retenues font de ce marché un achat stratégique : à déclarer dans l'avis, pour "
                "chaque lot concerné, avec les codes des listes eForms ci-dessous (significations rédigées par "
                "achatsdesk)."
            ),
            self.styles.normal,
        )
        self._table(("Champ de l'avis", "Code", "Signification"), rows, (Cm(5.6), Cm(2.4), Cm(8.0)))

    def _table(self, headers, rows, widths) -> None:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        xml.table_borders(table)
        _widths(table, widths)  # before the rows: add_row copies the grid widths into each cell
        head = table.rows[0]
        xml.repeat_header_row(head)
        for cell, text in zip(head.cells, headers, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
            xml.shade_cell(cell, "DCE3EE")
        if not rows:
            return
        # One body row through python-docx, the others cloned from it: building each cell
        # through the API cost more than the rest of the annex put together.
        first = table.add_row()
        for cell in first.cells:
            cell.text = "-"
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
        xml.keep_row_whole(first)
        pattern = deepcopy(first._tr)
        xml.fill_row(first._tr, rows[0])
        for values in rows[1:]:
            row = deepcopy(pattern)
            xml.fill_row(row, values)
            table._tbl.append(row)


CLAUSE_BOOKMARK_PREFIX = "_achatsdesk_"


def clause_bookmark(clause_id: str) -> str:
    """The hidden bookmark (a leading "_" hides it in Word) that marks where a library clause
    was written: the traceability marker audit-docx recognises. Word allows 40 characters."""
    name = CLAUSE_BOOKMARK_PREFIX + clause_id.replace("-", "_")
    if len(name) > 40:
        import hashlib

        name = name[:33] + hashlib.sha1(clause_id.encode()).hexdigest()[:7]
    return name


TO_CONFIRM_LABEL = "À vérifier"
TO_WRITE_LABEL = "À rédiger"


def check_points(clause: RenderedClause) -> list[tuple[str, str]]:
    """(label, text) of what to confirm or write in a clause, as every document shows it."""
    return [(TO_CONFIRM_LABEL, text) for text in clause.to_confirm] + [
        (TO_WRITE_LABEL, f"{label}, à rédiger par l'acheteur") for label in clause.to_write
    ]


_OWN_HEADING = re.compile(r"^(Article|Critère|Clause)\s*[-–—:]\s", re.IGNORECASE)


def body_paragraphs(clause: RenderedClause) -> list[str]:
    """The clause's paragraphs without the heading line a template may start with
    ("Article - Horaires des prestations"): the annex numbers and titles articles itself."""
    found = paragraphs(clause.body)
    if len(found) > 1:
        first = found[0]
        looks_like_heading = len(first) <= 160 and not first.rstrip().endswith((".", ":", ";"))
        if _OWN_HEADING.match(first) or (looks_like_heading and clause.title.casefold().startswith(first.casefold())):
            return found[1:]
    return found


def _widths(table, widths) -> None:
    """Column widths, row by row (python-docx's column.cells rebuilds the whole grid each call)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _short_part_name(part: AnnexPart) -> str:
    return "CCAP" if part == AnnexPart.CCAP else "RC"


def _join(*values: str) -> str:
    return f" {DASH} ".join(v for v in values if v)
