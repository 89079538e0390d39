"""The buyer's own Word piece (RC, CCAP, CCTP model), filled in place.

The model holds markers, of two kinds (both documented in the F1 guide):

- a placeholder typed in the text, ``{{ achatsdesk.objet }}``;
- a Word content control (Développeur > Contrôle de contenu) whose tag is
  ``achatsdesk.objet`` (or ``achatsdesk:objet``).

A field marker (objet, acheteur, montant...) is replaced by the dossier's value,
in the formatting of the marker's first run. A group marker (``clauses_ccap``...)
standing alone in its paragraph, or a block content control, is replaced by the
group's clauses, written as articles: in the style of the model's article
headings found above the marker, numbered on from them (the following articles
of the model are renumbered), the body in the marker paragraph's own style.
When the model numbers its headings automatically (Word list numbering), the
style alone carries the number. A marker achatsdesk does not know is left as it
is and reported; a group with clauses but no marker is reported too.

Why not docxtpl: it renders the whole document as Jinja, so an organisation's
text that looks like a marker would be lost or raise, it knows no content
controls, and its sub-documents bring their own styles instead of the model's.
python-docx has no content-control API either; what is here is the little
XML both lack.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from achatsdesk.documents import docx_xml as xml
from achatsdesk.documents.docx_annex import body_paragraphs, check_points, clause_bookmark
from achatsdesk.documents.docx_package import clean_package, finish_package
from achatsdesk.documents.docx_styles import find_style
from achatsdesk.documents.model import RenderedClause
from achatsdesk.documents.typography import prepare
from achatsdesk.domain.plural import count_of

PLACEHOLDER = re.compile(r"\{\{\s*achatsdesk\.([A-Za-z0-9_]+)\s*\}\}")
TAG = re.compile(r"^\s*achatsdesk[.:]([A-Za-z0-9_]+)\s*$")
# "Article 5 – Pénalités", "ARTICLE 5 : ...", "Art. 5 - ..."
ARTICLE = re.compile(r"^(\s*(?:Article|ARTICLE|Art\.)[\s\u00a0]+)(\d+)(\b.*)$", re.S)

FIELDS = {
    "objet": "l'objet du marché (intitulé du dossier)",
    "acheteur": "le nom de l'acheteur",
    "reference": "la référence de la consultation",
    "montant": "le montant estimé",
    "lots": "la liste des lots",
    "duree": "la durée",
    "lieu": "le lieu d'exécution",
    "date": "la date d'édition",
}
GROUPS = {
    "clauses_ccap_social": "les conditions d'exécution sociales et les réservations (CCAP)",
    "clauses_ccap_environnement": "les conditions d'exécution environnementales (CCAP)",
    "clauses_ccap": "toutes les clauses du CCAP (celles qu'un marqueur plus précis ne reçoit pas)",
    "criteres_rc": "les critères d'attribution (RC)",
    "clauses_rc": "les autres mentions du règlement de la consultation",
    "specifications_cctp": "les spécifications techniques (CCTP)",
    "mentions_avis": "les mentions à reprendre dans l'avis de marché",
}
# Where each group's clauses go when its own marker is missing.
FALLBACK = {"clauses_ccap_social": "clauses_ccap", "clauses_ccap_environnement": "clauses_ccap"}
_SOCIAL = {"condition-sociale", "critere-social", "reservation"}
_ENVIRONMENTAL = {"condition-environnementale", "critere-environnemental", "specification-environnementale"}


def clause_group(clause: RenderedClause) -> str:
    """The group marker a clause is written at."""
    if clause.is_award_criterion:
        return "criteres_rc"
    target = clause.target
    if target == "RC":
        return "clauses_rc"
    if target == "CCTP":
        return "specifications_cctp"
    if target == "AAPC":
        return "mentions_avis"
    if clause.family_id in _SOCIAL:
        return "clauses_ccap_social"
    if clause.family_id in _ENVIRONMENTAL:
        return "clauses_ccap_environnement"
    return "clauses_ccap"


@dataclass
class PieceInput:
    title: str  # the piece's title in its properties
    subject: str
    fields: dict[str, str]
    clauses: list[RenderedClause]


@dataclass
class FillReport:
    filled: list[str] = field(default_factory=list)  # markers replaced, in order
    missing: list[str] = field(default_factory=list)  # group markers the model lacks although clauses need them
    unknown: list[str] = field(default_factory=list)  # markers achatsdesk does not know, left untouched
    unplaced: list[str] = field(default_factory=list)  # titles of clauses no marker received
    dropped: list[str] = field(default_factory=list)  # what the model brought that the piece leaves out
    articles: list[tuple[str, str]] = field(default_factory=list)  # (article label, clause id) as inserted

    def messages(self) -> list[str]:
        """What the buyer is told, in French."""
        out = []
        for name in self.missing:
            out.append(f"Le modèle n'a pas de marqueur {{{{ achatsdesk.{name} }}}} ({GROUPS[name]}) : "
                       "ces clauses ne sont pas insérées.")
        if self.unplaced:
            out.append(f"{count_of(len(self.unplaced), 'clause non insérée', 'clauses non insérées')} : "
                       + " ; ".join(self.unplaced) + ".")
        for name in self.unknown:
            out.append(f"Marqueur inconnu « achatsdesk.{name} » laissé tel quel dans le document.")
        return out


def fill_model(document: DocumentObject, data: PieceInput) -> FillReport:
    """Fill ``document`` (the model, opened) in place; returns what was done and what was not."""
    report = FillReport(dropped=clean_package(document))
    by_group: dict[str, list[RenderedClause]] = {}
    for clause in data.clauses:
        by_group.setdefault(clause_group(clause), []).append(clause)
    anchors = _find_group_anchors(document, report)
    present = {name for name, _ in anchors}
    for name, clauses in list(by_group.items()):
        if name in present:
            continue
        fallback = FALLBACK.get(name)
        if fallback and fallback in present:
            by_group.setdefault(fallback, []).extend(clauses)
        else:
            report.missing.append(name)
            report.unplaced.extend(prepare(c.title) for c in clauses)
        del by_group[name]
    writer = _ArticleWriter(document)
    for name, anchor in anchors:
        writer.insert(anchor, by_group.pop(name, []), report)
        report.filled.append(name)
    _fill_fields(document, data.fields, report)
    # The model's own table of contents (or cross-references) must catch up with the new articles.
    fields = " ".join(t.text or "" for t in document.element.body.iter(qn("w:instrText")))
    finish_package(document, title=data.title, subject=data.subject,
                   update_fields=any(code in fields for code in ("TOC", "PAGEREF", "REF ")))
    return report


# --- finding markers ------------------------------------------------------------------------
def _tag_of(sdt) -> str | None:
    tag = sdt.find(qn("w:sdtPr") + "/" + qn("w:tag"))
    if tag is None:
        return None
    found = TAG.match(tag.get(qn("w:val")) or "")
    return found.group(1) if found else None


def _find_group_anchors(document: DocumentObject, report: FillReport) -> list[tuple[str, object]]:
    """(group, element) in document order: a body paragraph holding only the placeholder, or a
    block content control. Unknown names are reported, known fields are left for later."""
    anchors = []
    for element in list(document.element.body.iter(qn("w:p"), qn("w:sdt"))):
        if element.tag == qn("w:sdt"):
            name = _tag_of(element)
            if name is None:
                continue
            if name in GROUPS and element.find(qn("w:sdtContent") + "/" + qn("w:p")) is not None:
                anchors.append((name, element))
            elif name not in GROUPS and name not in FIELDS and name not in report.unknown:
                report.unknown.append(name)
            continue
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        for found in PLACEHOLDER.finditer(text):
            name = found.group(1)
            if name in GROUPS and text.strip() == found.group(0) and _in_body(element):
                anchors.append((name, element))
            elif name not in GROUPS and name not in FIELDS and name not in report.unknown:
                report.unknown.append(name)
    return anchors


def _in_body(paragraph) -> bool:
    """A group marker must stand at body level (or in a content control), not in a table cell."""
    parent = paragraph.getparent()
    while parent is not None and parent.tag != qn("w:body"):
        if parent.tag == qn("w:tc"):
            return False
        parent = parent.getparent()
    return parent is not None


# --- articles at a group marker ---------------------------------------------------------------
class _ArticleWriter:
    def __init__(self, document: DocumentObject) -> None:
        self.document = document
        self.body = document.element.body
        bullet = find_style(document, "List Bullet")
        self.bullet_id = bullet.style_id if bullet is not None else None
        ids = [int(b.get(qn("w:id"))) for b in self.body.iter(qn("w:bookmarkStart")) if (b.get(qn("w:id")) or "").isdigit()]
        self._bookmark_id = max(ids, default=0) + 1000  # never the id of one of the model's bookmarks

    def insert(self, anchor, clauses: list[RenderedClause], report: FillReport) -> None:
        if anchor.tag == qn("w:sdt"):
            content = anchor.find(qn("w:sdtContent"))
            first = content.find(qn("w:p"))
            body_style = _style_id(first)
            _drop_placeholder_flag(anchor)
            where = first
        else:
            body_style = _style_id(anchor)
            where = anchor
        heading = self._article_above(anchor)
        style, number, prefix, separator, auto = heading
        new: list = []
        for clause in clauses:
            number += 1
            title = prepare(clause.title)
            text = title if auto else f"{prefix}{number}{separator}{title}"
            head = _paragraph(text, style)
            self._bookmark_id += 1
            xml.bookmark(Paragraph(head, None), self._bookmark_id, clause_bookmark(clause.id))
            new.append(head)
            report.articles.append((text if not auto else f"{number}. {title}", clause.id))
            if clause.scope:
                new.append(_paragraph(prepare(f"Applicable au {clause.scope[:1].lower()}{clause.scope[1:]}."), body_style, italic=True))
            for paragraph in body_paragraphs(clause):
                if paragraph.startswith(("- ", "– ", "• ", "* ")):
                    new.append(_paragraph(paragraph[2:].strip() if self.bullet_id else "– " + paragraph[2:].strip(),
                                          self.bullet_id or body_style))
                else:
                    new.append(_paragraph(paragraph, body_style))
            for label, point in check_points(clause):
                new.append(_paragraph(f"{label}\u00a0: {prepare(point)}", body_style, italic=True, highlight=True))
        if not new and anchor.tag == qn("w:sdt"):
            new = [_paragraph("", body_style)]  # a control never stays empty: Word would repair it
        for element in new:
            where.addprevious(element)
        if anchor.tag == qn("w:sdt"):
            for extra in where.getparent().findall(qn("w:p"))[len(new):]:
                extra.getparent().remove(extra)  # the control's placeholder paragraphs
        else:
            where.getparent().remove(where)
        if not auto and clauses:
            self._renumber_after(anchor if anchor.tag == qn("w:sdt") else new[-1], style, len(clauses))

    def _article_above(self, anchor) -> tuple[str | None, int, str, str, bool]:
        """(style id, number, "Article ", " – ", auto-numbered) of the model's article before the marker."""
        for paragraph in _preceding_paragraphs(anchor):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            found = ARTICLE.match(text)
            style = _style_id(paragraph)
            if found and style is not None:
                rest = found.group(3)
                separator = re.match(r"^[\s\u00a0]*[-–—:.]?[\s\u00a0]*", rest).group(0) or " – "
                return style, int(found.group(2)), found.group(1), separator, False
            if style is not None and _is_heading(self.document, style) and _numbered(self.document, paragraph, style):
                return style, _count_same_style_before(paragraph, style), "", "", True
        fallback = find_style(self.document, "Heading 2") or find_style(self.document, "Heading 1")
        return (fallback.style_id if fallback is not None else None), 0, "Article ", " – ", False

    def _renumber_after(self, last, style: str | None, shift: int) -> None:
        """The model's own articles after the insertion move on by ``shift``."""
        element = last.getnext()
        while element is not None:
            if element.tag == qn("w:p") and _style_id(element) == style:
                runs = [t for t in element.iter(qn("w:t"))]
                text = "".join(t.text or "" for t in runs)
                found = ARTICLE.match(text)
                if found:
                    _replace_number(runs, found.start(2), found.end(2), str(int(found.group(2)) + shift))
            element = element.getnext()


def _replace_number(runs, start: int, end: int, value: str) -> None:
    """Replace characters start:end of the runs' joined text (a number may sit in its own run)."""
    position = 0
    for node in runs:
        text = node.text or ""
        low, high = position, position + len(text)
        if high > start and low < end:
            a, b = max(start, low) - low, min(end, high) - low
            node.text = text[:a] + (value if low <= start < high else "") + text[b:]
        position = high


def _preceding_paragraphs(anchor):
    element = anchor.getprevious()
    while element is not None:
        if element.tag == qn("w:p"):
            yield element
        elif element.tag == qn("w:sdt"):
            yield from reversed(element.findall(".//" + qn("w:p")))
        element = element.getprevious()


def _style_id(paragraph) -> str | None:
    style = paragraph.find(qn("w:pPr") + "/" + qn("w:pStyle")) if paragraph is not None else None
    return style.get(qn("w:val")) if style is not None else None


def _is_heading(document: DocumentObject, style_id: str) -> bool:
    element = document.styles.element.get_by_id(style_id)
    if element is None:
        return False
    return element.find(qn("w:pPr") + "/" + qn("w:outlineLvl")) is not None or (element.name_val or "").lower().startswith("heading")


def _numbered(document: DocumentObject, paragraph, style_id: str) -> bool:
    if paragraph.find(qn("w:pPr") + "/" + qn("w:numPr")) is not None:
        return True
    element = document.styles.element.get_by_id(style_id)
    return element is not None and element.find(qn("w:pPr") + "/" + qn("w:numPr")) is not None


def _count_same_style_before(paragraph, style_id: str) -> int:
    count, element = 0, paragraph
    while element is not None:
        if element.tag == qn("w:p") and _style_id(element) == style_id:
            count += 1
        element = element.getprevious()
    return count


def _paragraph(text: str, style_id: str | None, *, italic: bool = False, highlight: bool = False):
    p = OxmlElement("w:p")
    if style_id:
        p_pr = OxmlElement("w:pPr")
        p_style = OxmlElement("w:pStyle")
        p_style.set(qn("w:val"), style_id)
        p_pr.append(p_style)
        p.append(p_pr)
    run = OxmlElement("w:r")
    if italic or highlight:
        r_pr = OxmlElement("w:rPr")
        if italic:
            r_pr.append(OxmlElement("w:i"))
        if highlight:
            mark = OxmlElement("w:highlight")
            mark.set(qn("w:val"), "yellow")
            r_pr.append(mark)
        run.append(r_pr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    p.append(run)
    return p


def _drop_placeholder_flag(sdt) -> None:
    flag = sdt.find(qn("w:sdtPr") + "/" + qn("w:showingPlcHdr"))
    if flag is not None:
        flag.getparent().remove(flag)


# --- fields ----------------------------------------------------------------------------------------
def _fill_fields(document: DocumentObject, values: dict[str, str], report: FillReport) -> None:
    parts = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                parts.append(part._element)
    for root in parts:
        for sdt in list(root.iter(qn("w:sdt"))):
            name = _tag_of(sdt)
            if name in FIELDS:
                _fill_control(sdt, prepare(values.get(name, "")))
                report.filled.append(name)
        for paragraph in list(root.iter(qn("w:p"))):
            runs = [r for r in paragraph.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
            text = "".join(_run_text(r) for r in runs)
            if "achatsdesk" not in text:
                continue
            for found in reversed(list(PLACEHOLDER.finditer(text))):
                name = found.group(1)
                if name in FIELDS:
                    _replace_span(runs, found.start(), found.end(), prepare(values.get(name, "")))
                    report.filled.append(name)


def _run_text(run) -> str:
    return "".join(t.text or "" for t in run.findall(qn("w:t")))


def _replace_span(runs, start: int, end: int, value: str) -> None:
    """Replace text start:end that may span several runs: the first run keeps its formatting."""
    position = 0
    placed = False
    for run in runs:
        texts = run.findall(qn("w:t"))
        text = "".join(t.text or "" for t in texts)
        low, high = position, position + len(text)
        position = high
        if high <= start or low >= end:
            continue
        a, b = max(start, low) - low, min(end, high) - low
        new = text[:a] + ("" if placed else value) + text[b:]
        placed = True
        for extra in texts[1:]:
            run.remove(extra)
        texts[0].text = new
        texts[0].set(qn("xml:space"), "preserve")


def _fill_control(sdt, value: str) -> None:
    """The control keeps its tag (it can be filled again); its content becomes the value."""
    _drop_placeholder_flag(sdt)
    content = sdt.find(qn("w:sdtContent"))
    if content is None:
        return
    runs = [r for r in content.iter(qn("w:r"))]
    template = copy.deepcopy(runs[0]) if runs else OxmlElement("w:r")
    for t in template.findall(qn("w:t")):
        template.remove(t)
    r_pr = template.find(qn("w:rPr"))
    if r_pr is not None:
        style = r_pr.find(qn("w:rStyle"))
        if style is not None and "Placeholder" in (style.get(qn("w:val")) or ""):
            r_pr.remove(style)  # the grey "Cliquez ici" look goes with the placeholder
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = value
    template.append(t)
    paragraphs = content.findall(qn("w:p"))
    if paragraphs:  # a block control: one paragraph with the value
        first = paragraphs[0]
        for extra in paragraphs[1:]:
            content.remove(extra)
        for child in list(first):
            if child.tag != qn("w:pPr"):
                first.remove(child)
        first.append(template)
    else:
        for child in list(content):
            content.remove(child)
        content.append(template)
