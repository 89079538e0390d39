"""The PDF review report the department head reads and signs (reportlab platypus).

Sections in the order a head reviews: summary, procedure and thresholds,
obligations, checklist, selected clauses, shortlist, review history, then the
sign-off block. Every piece of user text goes through ``_t`` (clean, French
typography, XML-escaped) before it reaches reportlab's paragraph markup.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from achatsdesk.documents.docx_annex import body_paragraphs, check_points
from achatsdesk.documents.model import (
    ITEM_STATUS_LABELS,
    ItemStatus,
    ReviewReportInput,
    numbered_articles,
)
from achatsdesk.documents.pdf_fonts import register_fonts
from achatsdesk.documents.pdf_layout import (
    FRAME_WIDTH,
    GREY,
    HEAD_FILL,
    INK,
    LABEL_FILL,
    MARGIN,
    RULE,
    STATUS_COLOURS,
    Styles,
    numbered_canvas,
)
from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.documents.typography import NB_HYPHEN, prepare
from achatsdesk.domain.eforms import notice_fields
from achatsdesk.domain.formatting import (
    NARROW_NBSP,
    NBSP,
    format_date_field,
    format_date_short,
    format_number,
)
from achatsdesk.domain.obligations import STATUS_LABELS as OBLIGATION_LABELS
from achatsdesk.domain.plural import count_of, word_for

BOX_EMPTY, BOX_CHECKED, BOX_CROSSED = "\u2610", "\u2611", "\u2612"
ITEM_BOXES = {ItemStatus.FAIT: BOX_CHECKED, ItemStatus.SANS_OBJET: BOX_CROSSED, ItemStatus.A_FAIRE: BOX_EMPTY}
DECISIONS = (("valide", "Validé"), ("a_reprendre", "À reprendre"))


def _t(text: object) -> str:
    """User text made safe for reportlab markup: clean, French spacing, escaped, newlines kept.

    reportlab breaks lines at U+202F (and then prints a plain space): the narrow
    no-break spaces become U+00A0, which it keeps unbroken."""
    return escape(prepare(text)).replace(NARROW_NBSP, NBSP).replace(NB_HYPHEN, "-").replace("\n", "<br/>")


def write_review(data: ReviewReportInput, destination: str | os.PathLike[str]) -> Path:
    return write_atomically(destination, lambda temp: build_review(data, temp))


def build_review(data: ReviewReportInput, path: str | os.PathLike[str]) -> None:
    family = register_fonts()
    styles = Styles(family)
    issued = data.generated_on or date.today()
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 0.3 * cm, bottomMargin=MARGIN,
        title=f"Rapport de relecture – {_short(prepare(data.dossier_title), 200)}",
        author=_short(prepare(data.buyer_name), 200) or "achatsdesk",
        subject=f"Rapport de relecture du dossier de consultation – jeu de clauses {data.fingerprint}",
        creator="achatsdesk",
        lang="fr-FR",
    )
    story = _Report(data, styles).story()
    reference = f"Réf. {prepare(data.reference)}" if data.reference else prepare(data.buyer_name)
    canvasmaker = numbered_canvas(
        family,
        header_left=f"Rapport de relecture – {_short(prepare(data.dossier_title), 300)}",
        header_right=_short(reference, 300),
        footer_left=f"Édité le {format_date_field(issued)} avec achatsdesk",
    )
    document.build(story, canvasmaker=canvasmaker)


class _Report:
    def __init__(self, data: ReviewReportInput, styles: Styles) -> None:
        self.data, self.s = data, styles

    def story(self) -> list:
        out: list = []
        for section in (
            self._cover, self._summary, self._procedure, self._obligations, self._checklist,
            self._clauses, self._shortlist, self._history, self._sign_off,
        ):
            out.extend(section())
        return out

    # --- helpers -----------------------------------------------------------------
    def _p(self, markup: str, style=None) -> Paragraph:
        return Paragraph(markup, style or self.s.cell)

    def _table(self, header: list[str], rows: list[list], widths: list[float], *, zebra: bool = False) -> Table:
        head = [self._p(f"<b>{escape(h)}</b>") for h in header]
        table = Table([head, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if zebra:
            commands += [("BACKGROUND", (0, r), (-1, r), LABEL_FILL) for r in range(2, len(rows) + 1, 2)]
        table.setStyle(self._style(commands))
        return table

    def _style(self, commands: list) -> TableStyle:
        """Table commands in our font: a table's default cell font is Helvetica, a base-14
        font that is never embedded (it would show in pdffonts even with Paragraph cells)."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.s.body.fontName), *commands])

    def _empty(self, text: str) -> list:
        return [self._p(f"<i>{escape(text)}</i>", self.s.small)]

    # --- sections ----------------------------------------------------------------------
    def _cover(self) -> list:
        d = self.data
        title = _short(prepare(d.dossier_title), TITLE_CHARS)
        out = [self._p("RAPPORT DE RELECTURE DU DOSSIER", self.s.kicker), self._p(_t(title), self.s.title)]
        if title != prepare(d.dossier_title):
            out.append(self._p(_t("Intitulé abrégé : le texte complet figure dans la synthèse."), self.s.small))
        line = " · ".join(x for x in (_t(_short(d.buyer_name, 300)), f"Réf. {_t(_short(d.reference, 300))}" if d.reference else "") if x)
        out.append(self._p(line or "&nbsp;", self.s.subtitle))
        return out

    def _summary(self) -> list:
        out = [self._p("1. Synthèse du dossier", self.s.h1)]
        if not self.data.summary:
            return out + self._empty("Aucune information de synthèse.")
        return out + [self._label_table([(prepare(label), _t(value)) for label, value in self.data.summary])]

    def _procedure(self) -> list:
        out = [self._p("2. Procédure et seuils", self.s.h1)]
        procedure = self.data.procedure
        if procedure is None:
            return out + self._empty("Procédure non déterminée : complétez le montant, la nature et la date de lancement.")
        rows = [("Procédure", f"<b>{_t(procedure.label)}</b>")]
        if procedure.threshold:
            rows.append(("Seuil comparé", _t(procedure.threshold)))
        if procedure.explanation:
            rows.append(("Explication", _t(procedure.explanation)))
        return out + [self._label_table(rows)]

    def _label_table(self, rows: list[tuple[str, str]]) -> Table:
        """Two columns, labels shaded on the left: the summary and the procedure."""
        cells = [[self._p(escape(label), self.s.cell_bold), self._p(markup)] for label, markup in rows]
        table = Table(cells, colWidths=[5.2 * cm, FRAME_WIDTH - 5.2 * cm], hAlign="LEFT", splitInRow=1)
        table.setStyle(self._style([
            ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return table

    def _obligations(self) -> list:
        out = [self._p("3. Obligations et recommandations", self.s.h1)]
        if not self.data.obligations:
            return out + self._empty("Aucune obligation calculée pour ce dossier.") + self._warnings()
        rows = []
        for o in self.data.obligations:
            status = str(getattr(o.status, "value", o.status))
            label = OBLIGATION_LABELS.get(o.status, status)
            colour = STATUS_COLOURS.get(status, GREY).hexval()[2:]
            basis = _t(o.legal_basis)
            if o.applies_from:
                basis += f"<br/><font size=7.5 color='#595959'>depuis le {format_date_short(o.applies_from)}</font>"
            if o.to_confirm:
                basis += "<br/><font size=7.5 color='#8A5A00'>à vérifier</font>"
            rows.append([
                self._p(f"<font color='#{colour}'><b>{escape(label)}</b></font>"),
                self._p(f"<b>{_t(o.title)}</b><br/><font size=8 color='#404040'>{_t(o.explanation)}</font>"),
                self._p(basis),
            ])
        return out + [self._table(["Statut", "Obligation et explication", "Fondement juridique"], rows, [2.9 * cm, FRAME_WIDTH - 7.7 * cm, 4.8 * cm])] + self._warnings()

    def _checklist(self) -> list:
        out = [self._p("4. Check-list du dossier", self.s.h1)]
        if not self.data.checklist:
            return out + self._empty("La check-list n'a pas encore été remplie.")
        out.append(self._p(f"{BOX_CHECKED} fait · {BOX_CROSSED} sans objet (avec justification) · {BOX_EMPTY} à faire", self.s.small))
        for step in self.data.checklist:
            done = sum(1 for item in step.items if item.status != ItemStatus.A_FAIRE)
            out.append(self._p(f"{_t(step.title)} <font color='#595959' size=8.5>({done}/{len(step.items)})</font>", self.s.h2))
            rows = []
            for item in step.items:
                status = ItemStatus(item.status) if item.status in ItemStatus._value2member_map_ else ItemStatus.A_FAIRE
                title = f"<b>{_t(item.title)}</b>" + (" <font size=7.5 color='#A61B1B'>obligatoire</font>" if item.mandatory else "")
                notes = []
                if item.justification:
                    notes.append(f"Justification : {_t(item.justification)}")
                if item.comment:
                    notes.append(f"<font color='#1F3864'>Commentaire du relecteur : {_t(item.comment)}</font>")
                rows.append([
                    self._p(f"<font size=11>{ITEM_BOXES[status]}</font> {escape(ITEM_STATUS_LABELS[status])}"),
                    self._p(title),
                    self._p("<br/>".join(notes) or "<font color='#595959'>—</font>"),
                ])
            if rows:
                out.append(self._table(["Statut", "Point de contrôle", "Justification et commentaires"], rows, [2.6 * cm, 7 * cm, FRAME_WIDTH - 9.6 * cm]))
        return out

    def _clauses(self) -> list:
        """Every clause as the annex prints it: its article number, its full text with the
        values, its legal basis and what is still to confirm; the annex it goes with named."""
        d = self.data
        out = [self._p("5. Clauses retenues", self.s.h1)]
        if not d.clauses:
            return out + self._empty("Aucune clause n'a été retenue.")
        annex = _t(d.annex_name) if d.annex_name else "annexe des clauses exportée par achatsdesk"
        when = f", éditée le {format_date_field(d.annex_date)}" if d.annex_date else ""
        out.append(self._label_table([
            ("Annexe relue", f"{annex}{when}"),
            ("Jeu de clauses", f"<b>{d.fingerprint}</b> (imprimé en pied de page de l'annexe : il doit être identique)"),
            ("Articles", _t(f"{format_number(len(d.clauses))} articles, dans l'ordre et avec la numérotation de l'annexe")),
        ]))
        for article, clause in numbered_articles(d.clauses, d.numbering):
            out.extend(self._article(article, clause))
        out.extend(self._check_points())
        return out + self._notice_tags()

    def _article(self, article: str, clause) -> list:
        heading = self._p(f"{_t(article)} – {_t(clause.title)}", self.s.h2)
        kind = _t(clause.kind or "—") + (f" ({_t(format_number(clause.weight_percent))} %)" if clause.weight_percent is not None else "")
        basis = _t(clause.legal_basis or "—") + (" <font color='#8A5A00'><b>(à vérifier)</b></font>" if clause.to_confirm else "")
        meta = [f"{kind} · {_t(clause.id)} v{_t(clause.version)}", f"Fondement juridique : {basis}"]
        if clause.scope:
            meta.insert(0, f"<i>{_t(clause.scope)}</i>")
        out = [heading, self._p("<br/>".join(meta), self.s.small), Spacer(1, 3)]
        for text in body_paragraphs(clause):
            bullet = text.startswith(("- ", "– ", "• ", "* "))
            out.append(self._p(("• " if bullet else "") + _t(text[2:] if bullet else text), self.s.clause_body))
        for label, text in check_points(clause):
            out.append(self._p(f"<font color='#8A5A00'><b>{escape(label)} :</b></font> {_t(text)}", self.s.cell))
        return out

    def _check_points(self) -> list:
        points = [(a, c, label, text) for a, c in numbered_articles(self.data.clauses, self.data.numbering) for label, text in check_points(c)]
        if not points:
            return []
        rows = [[self._p(_t(a)), self._p(f"<b>{_t(c.title)}</b><br/>{escape(label)} : {_t(text)}")] for a, c, label, text in points]
        return [self._p("Points à vérifier avant publication", self.s.h2),
                self._table(["Article", "Point à vérifier"], rows, [3 * cm, FRAME_WIDTH - 3 * cm])]

    def _warnings(self) -> list:
        """The consistency warnings still open (an empty list says so: nothing was hidden)."""
        out = [self._p("Alertes de cohérence encore ouvertes", self.s.h2)]
        if not self.data.warnings:
            return out + self._empty("Aucune alerte de cohérence ouverte pour ce dossier.")
        return out + [self._p(f"<font color='#A61B1B'>⚠</font> {_t(w)}", self.s.cell) for w in self.data.warnings]

    def _notice_tags(self) -> list:
        """What the notice must declare because of these clauses (eForms strategic procurement)."""
        fields = notice_fields(c.eforms for c in self.data.clauses if c.eforms) if self.data.publishes_notice else []
        if not fields:
            return []
        rows = [
            (field.label, "<br/>".join(f"<b>{escape(code)}</b> : {_t(meaning)}" for code, meaning in field.codes))
            for field in fields
        ]
        intro = self._p(_t("À déclarer dans l'avis de marché (codes eForms), pour chaque lot concerné :"), self.s.small)
        return [Spacer(1, 6), KeepTogether([intro, Spacer(1, 3), self._label_table(rows)])]

    def _shortlist(self) -> list:
        out = [self._p("6. Fournisseurs présélectionnés", self.s.h1)]
        if not self.data.shortlist:
            return out + self._empty("Aucun fournisseur présélectionné pour ce dossier.")
        rows = [[
            self._p(f"<b>{_t(r.name)}</b><br/><font size=7.5 color='#595959'>SIRET {_t(r.siret or '—')}</font>"),
            self._p(_t(r.kind)),
            self._p(_t(r.commune)),
            self._p("—" if r.distance_km is None else _t(f"{format_number(r.distance_km, 1)} km")),
            self._p(_t(r.source) + (f"<br/><font size=7.5 color='#595959'>{_t(_date_text(r.source_date))}</font>" if r.source_date else "")),
        ] for r in self.data.shortlist]
        return out + [self._table(["Structure", "Type", "Commune", "Distance", "Source"], rows, [5.9 * cm, 1.6 * cm, 3.6 * cm, 2.1 * cm, FRAME_WIDTH - 13.2 * cm], zebra=True)]

    def _history(self) -> list:
        out = [self._p("7. Historique de la relecture", self.s.h1)]
        if not self.data.history:
            return out + self._empty("Aucune relecture enregistrée à ce jour.")
        rows = [[self._p(_date_text(e.when)), self._p(_t(e.reviewer)), self._p(f"<b>{_t(e.decision)}</b>"), self._p(_t(e.comment) or "—")] for e in self.data.history]
        return out + [self._table(["Date", "Relecteur", "Décision", "Commentaire"], rows, [2.6 * cm, 4 * cm, 2.8 * cm, FRAME_WIDTH - 9.4 * cm])]

    def _sign_off(self) -> list:
        sign = self.data.sign_off
        boxes = "    ".join(f"<font size=12>{BOX_CHECKED if sign.decision == key else BOX_EMPTY}</font> {label}" for key, label in DECISIONS)
        blank = "<font color='#7F7F7F'>" + "_" * 38 + "</font>"
        rows = [
            [self._p("<b>Nom du responsable</b>"), self._p(_t(sign.name) if sign.name else blank)],
            [self._p("<b>Date</b>"), self._p(format_date_field(sign.when) if sign.when else "____ / ____ / ________")],
            [self._p("<b>Décision</b>"), self._p(boxes)],
            [self._p("<b>Commentaire</b>"), self._p(_t(sign.comment) if sign.comment else "&nbsp;<br/>&nbsp;")],
            [self._p("<b>Signature</b>"), self._p("&nbsp;<br/>&nbsp;<br/>&nbsp;")],
        ]
        table = Table(rows, colWidths=[4.5 * cm, FRAME_WIDTH - 4.5 * cm], hAlign="LEFT")
        table.setStyle(self._style([
            ("BOX", (0, 0), (-1, -1), 1, INK), ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
            ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        return [KeepTogether([self._p("8. Visa du responsable", self.s.h1), table, Spacer(1, 4),
                              self._p(_t(self._attestation()), self.s.small)])]

    def _attestation(self) -> str:
        d = self.data
        text = (f"En signant, le responsable atteste avoir relu la check-list et les {format_number(len(d.clauses))} "
                f"articles reproduits ci-dessus, qui forment le jeu de clauses {d.fingerprint}.")
        open_items = sum(1 for step in d.checklist for item in step.items if item.mandatory and item.status == ItemStatus.A_FAIRE)
        if open_items:
            text += (f" {count_of(open_items, 'point obligatoire', 'points obligatoires')} "
                     f"{word_for(open_items, 'reste', 'restent')} « à faire » : la validation suppose "
                     "d'en consigner le motif dans le commentaire.")
        return text


TITLE_CHARS = 300  # on the cover; the summary holds the whole title


def _short(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _date_text(value: object) -> str:
    if isinstance(value, datetime):
        return f"{format_date_short(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return format_date_short(value)
    return prepare(value)

