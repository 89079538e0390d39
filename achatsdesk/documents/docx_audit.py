"""Read a buyer's draft (CCAP, RC) and find the library's clauses in it.

A clause is recognised in two ways: by the hidden bookmark achatsdesk writes at
each article it inserts (``_achatsdesk_<id>``, kept by Word when the text is
edited), or by its wording: the fixed passages of its template (the text
between the variables) found in one paragraph, whatever values were filled in.
An award criterion counts only inside the criteria article of an RC (a heading
about criteria, "jugement des offres" or award above it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from achatsdesk.documents.docx_annex import CLAUSE_BOOKMARK_PREFIX, clause_bookmark

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_ARTICLE_LINE = re.compile(r"^\s*(?:article|art\.)\s*\d*\s*[-–—:.]?\s*", re.IGNORECASE)
_CRITERIA_HEADING = re.compile(r"crit[eè]re|jugement des offres|attribution|s[ée]lection des offres", re.IGNORECASE)
MIN_PASSAGE = 24  # shorter fixed passages ("Le titulaire ") say nothing about a clause
MAX_PASSAGES = 3


def normalise(text: str) -> str:
    """Text compared whatever Word did to it: spaces, no-break marks, quotes, case."""
    text = text.replace("\u2011", "-").replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class PieceParagraph:
    index: int  # 1-based, in reading order (tables and content controls included)
    text: str
    normal: str
    headings: tuple[str, ...]  # the headings above it, nearest last
    bookmarks: tuple[str, ...]


@dataclass(frozen=True)
class ClausePattern:
    clause_id: str
    passages: tuple[str, ...]  # normalised fixed passages of the template, longest first
    award_criterion: bool = False


@dataclass(frozen=True)
class Finding:
    clause_id: str
    paragraph: PieceParagraph
    by: str  # "marqueur" | "texte"


def clause_pattern(clause_id: str, template_body: str, rendered_body: str, *,
                   award_criterion: bool = False) -> ClausePattern:
    """The passages a piece must hold for the clause to be there: the template's fixed text
    (cut at every variable and tag, so whatever values the buyer wrote) that the dossier's
    own rendering uses (one branch of an "if"), its "Article - …" heading line left out."""
    lines = [line for line in template_body.splitlines() if line.strip()]
    if lines and _ARTICLE_LINE.match(lines[0]) and "{{" not in lines[0] and len(lines) > 1:
        lines = lines[1:]
    rendered = normalise(rendered_body)
    pieces = []
    for line in lines:
        for fragment in _JINJA.split(line):
            fragment = normalise(fragment.strip(" ,;:.«»\"'()"))
            if len(fragment) >= MIN_PASSAGE and fragment in rendered and fragment not in pieces:
                pieces.append(fragment)
    pieces.sort(key=len, reverse=True)
    return ClausePattern(clause_id, tuple(pieces[:MAX_PASSAGES]), award_criterion)


def read_piece(document: DocumentObject) -> list[PieceParagraph]:
    out: list[PieceParagraph] = []
    headings: list[tuple[int, str]] = []  # (level, text)
    heading_styles = _heading_levels(document)
    for element in document.element.body.iter(qn("w:p")):
        text = "".join(
            node.text or "" if node.tag == qn("w:t") else "-"
            for node in element.iter(qn("w:t"), qn("w:noBreakHyphen"))
        )
        marks = tuple(b.get(qn("w:name")) or "" for b in element.iter(qn("w:bookmarkStart")))
        style = element.find(qn("w:pPr") + "/" + qn("w:pStyle"))
        level = heading_styles.get(style.get(qn("w:val")) if style is not None else "")
        if level is None and _ARTICLE_LINE.match(text) and re.match(r"^\s*(?:article|art\.)\s*\d+", text, re.I) and len(text) < 200:
            level = 8  # "Article 5 – …" typed in body text: still the article's heading
        if level is not None and text.strip():
            headings = [h for h in headings if h[0] < level] + [(level, text.strip())]
        out.append(PieceParagraph(len(out) + 1, text, normalise(text), tuple(h[1] for h in headings), marks))
    return out


def find_clauses(paragraphs: list[PieceParagraph], patterns: list[ClausePattern]) -> dict[str, Finding]:
    """clause id -> where it was found (the first place that fits)."""
    found: dict[str, Finding] = {}
    by_bookmark = {clause_bookmark(p.clause_id): p for p in patterns}
    for paragraph in paragraphs:
        for mark in paragraph.bookmarks:
            pattern = by_bookmark.get(mark) if mark.startswith(CLAUSE_BOOKMARK_PREFIX) else None
            if pattern and pattern.clause_id not in found and _in_place(pattern, paragraph):
                found[pattern.clause_id] = Finding(pattern.clause_id, paragraph, "marqueur")
    for pattern in patterns:
        if pattern.clause_id in found or not pattern.passages:
            continue
        needed = pattern.passages if len(pattern.passages) < 2 else pattern.passages[:2]
        for paragraph in paragraphs:
            if needed[0] in paragraph.normal and _in_place(pattern, paragraph) and all(
                    passage in paragraph.normal or _near(paragraphs, paragraph, passage) for passage in needed[1:]):
                found[pattern.clause_id] = Finding(pattern.clause_id, paragraph, "texte")
                break
    return found


def _near(paragraphs: list[PieceParagraph], paragraph: PieceParagraph, passage: str) -> bool:
    """A clause's second passage may sit in a neighbouring paragraph of the same article."""
    for other in paragraphs[max(0, paragraph.index - 7): paragraph.index + 6]:
        if passage in other.normal:
            return True
    return False


def _in_place(pattern: ClausePattern, paragraph: PieceParagraph) -> bool:
    if not pattern.award_criterion:
        return True
    return any(_CRITERIA_HEADING.search(h) for h in paragraph.headings)


def _heading_levels(document: DocumentObject) -> dict[str, int]:
    """Style id -> outline level for the styles that are headings (by outline level or name)."""
    levels: dict[str, int] = {}
    for style in document.styles.element.style_lst:
        style_id = style.styleId or ""
        outline = style.find(qn("w:pPr") + "/" + qn("w:outlineLvl"))
        name = (style.name_val or "").lower()
        if outline is not None and (outline.get(qn("w:val")) or "").isdigit():
            levels[style_id] = int(outline.get(qn("w:val")))
        elif re.fullmatch(r"heading \d", name):
            levels[style_id] = int(name[-1]) - 1
        elif name == "title":
            levels[style_id] = 0
    return levels
