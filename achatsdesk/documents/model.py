"""Plain input shapes of the document writers.

The writers never read the dossier, clause or catalogue objects themselves:
``services/exports.py`` maps those onto these shapes. That keeps the writers
testable on their own and stable while the other areas evolve.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from achatsdesk.domain.obligations import Obligation


class AnnexPart(StrEnum):
    CCAP = "ccap"  # execution conditions, reservations, specifications
    RC = "rc"  # award criteria with their weights


PART_TITLES = {
    AnnexPart.CCAP: "Annexe au CCAP : clauses sociales et environnementales",
    AnnexPart.RC: "Extrait du règlement de la consultation : critères d'attribution",
}
# Inside the CCAP part, one section per target document, each with its own
# article numbering (an article of the CCTP is not an article of the CCAP).
DOCUMENT_ORDER = ("CCAP", "CCTP", "AAPC", "RC")
SECTION_TITLES = {
    "CCAP": PART_TITLES[AnnexPart.CCAP],
    "CCTP": "Annexe au CCTP : spécifications techniques sociales et environnementales",
    "AAPC": "À reprendre dans l'avis d'appel public à la concurrence",
}
DOCUMENT_NAMES = {
    "CCAP": "le cahier des clauses administratives particulières (CCAP)",
    "CCTP": "le cahier des clauses techniques particulières (CCTP)",
    "AAPC": "l'avis d'appel public à la concurrence (AAPC) et le règlement de la consultation",
    "RC": "le règlement de la consultation (RC)",
}


@dataclass(frozen=True)
class RenderedClause:
    """A library clause with its variables already rendered into ``body``."""

    id: str
    version: str
    title: str
    body: str
    family: str = ""
    kind: str = ""  # "condition d'exécution", "critère d'attribution", ...
    document: str = ""  # RC, CCAP, CCTP, AAPC
    legal_basis: str = ""
    weight_percent: float | None = None  # award criteria only
    applies_from: date | None = None
    scope: str = ""  # "Lot 2 : Collèges de l'est" when chosen for one lot; empty for the whole contract
    eforms: dict = field(default_factory=dict)  # the template's notice tags (domain/eforms.py)
    to_confirm: tuple[str, ...] = ()  # the template's facts "à vérifier": flagged in every document
    to_write: tuple[str, ...] = ()  # texts the buyer has still to write (labels): flagged likewise
    family_id: str = ""  # the library family ("condition-sociale"...): where a filled model puts it

    @property
    def is_award_criterion(self) -> bool:
        kind = self.kind.casefold()
        return self.weight_percent is not None or "critère" in kind or "critere" in kind

    @property
    def target(self) -> str:
        """The document the clause is written for (CCAP when the template did not say)."""
        return self.document if self.document in DOCUMENT_ORDER else "CCAP"

    @property
    def part(self) -> AnnexPart:
        """Award criteria and the other RC mentions go to the RC extract; everything else
        (CCAP, CCTP, AAPC) to the annex, in one section per document."""
        return AnnexPart.RC if self.is_award_criterion or self.target == "RC" else AnnexPart.CCAP


@dataclass
class AnnexInput:
    buyer_name: str
    dossier_title: str
    reference: str = ""
    clauses: list[RenderedClause] = field(default_factory=list)
    parts: tuple[AnnexPart, ...] = (AnnexPart.CCAP, AnnexPart.RC)
    issued_on: date | None = None
    publishes_notice: bool = True  # False for a purchase without publicity (dispense): no notice section
    warnings: list[str] = field(default_factory=list)  # consistency warnings for the buyer (not printed)
    numbering: str = "part"  # "part": articles from 1 in each target document; "document": across the annex

    @property
    def fingerprint(self) -> str:
        """Short fingerprint of the clause set, printed in the annex footer and in the review."""
        return clause_set_fingerprint(self.clauses)

    def articles(self) -> list[tuple[str, RenderedClause]]:
        """("CCAP, art. 3", clause) in the annex's order, for the chosen parts."""
        return [(label, clause) for label, clause in numbered_articles(self.clauses, self.numbering, self.parts)]

    def clauses_of(self, part: AnnexPart) -> list[RenderedClause]:
        """The part's clauses; in the RC extract the award criteria come first, then the other mentions."""
        found = [c for c in self.clauses if c.part == part]
        if part == AnnexPart.RC:
            found.sort(key=lambda c: not c.is_award_criterion)
        return found

    def sections_of(self, part: AnnexPart) -> list[tuple[str, list[RenderedClause]]]:
        """(target document, clauses) in document order: CCAP, CCTP, AAPC for the CCAP part; RC for the other."""
        clauses = self.clauses_of(part)
        if part == AnnexPart.RC:
            return [("RC", clauses)] if clauses else []
        return [(doc, [c for c in clauses if c.target == doc]) for doc in DOCUMENT_ORDER
                if any(c.target == doc for c in clauses)]

    @property
    def is_empty(self) -> bool:
        """No clause in any of the chosen parts: the annex would hold no article."""
        return not any(c.part in self.parts for c in self.clauses)


def clause_set_fingerprint(clauses: list[RenderedClause]) -> str:
    """"1A2B-3C4D": the same clauses (id, version, rendered text, scope, weight) give the same
    fingerprint, any change of wording or value another; the annex and the review both print it,
    so that a signed review is tied to one annex."""
    digest = hashlib.sha256()
    for clause in clauses:
        for value in (clause.id, clause.version, clause.body, clause.scope, str(clause.weight_percent), clause.target):
            digest.update(value.encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")
        digest.update(b"\x1e")
    text = digest.hexdigest()[:8].upper()
    return f"{text[:4]}-{text[4:]}"


NUMBERINGS = ("part", "document")


def numbered_articles(clauses: list[RenderedClause], numbering: str = "part",
                      parts: tuple[AnnexPart, ...] = tuple(AnnexPart)) -> list[tuple[str, RenderedClause]]:
    """Every clause of the parts with its article label as the annex numbers it, in part then
    document order (the RC's award criteria first): from 1 in each target document, or on
    across the whole annex with ``numbering="document"``."""
    data = AnnexInput("", "", clauses=list(clauses))
    out: list[tuple[str, RenderedClause]] = []
    number = 0
    for part in AnnexPart:
        if part not in parts:
            continue
        for document, found in data.sections_of(part):
            if numbering != "document":
                number = 0
            for clause in found:
                number += 1
                out.append((f"{document}, art. {number}", clause))
    return out


@dataclass(frozen=True)
class ShortlistRow:
    name: str
    siret: str = ""
    kind: str = ""  # ESAT, EI, GEIQ, ...
    address: str = ""
    commune: str = ""
    distance_km: float | None = None
    sectors: tuple[str, ...] = ()
    source: str = ""
    source_date: date | str | None = None
    website: str = ""  # contact columns appear in the workbook only when some row has one
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ProcedureInfo:
    label: str  # "Procédure formalisée"
    threshold: str = ""  # "216 000 € HT (seuil européen, services, collectivité)"
    explanation: str = ""


class ItemStatus(StrEnum):
    A_FAIRE = "a_faire"
    FAIT = "fait"
    SANS_OBJET = "sans_objet"


ITEM_STATUS_LABELS = {
    ItemStatus.A_FAIRE: "À faire",
    ItemStatus.FAIT: "Fait",
    ItemStatus.SANS_OBJET: "Sans objet",
}


@dataclass(frozen=True)
class ChecklistItemRow:
    title: str
    status: str = ItemStatus.A_FAIRE  # an ItemStatus value
    justification: str = ""
    comment: str = ""  # the reviewer's comment on this item
    mandatory: bool = False


@dataclass(frozen=True)
class ChecklistStepRow:
    title: str
    items: tuple[ChecklistItemRow, ...] = ()


@dataclass(frozen=True)
class ReviewEvent:
    when: date | datetime
    reviewer: str
    decision: str  # "Validé", "À reprendre", "Envoyé en relecture", ...
    comment: str = ""


@dataclass(frozen=True)
class SignOff:
    """The block the department head signs; empty fields are left to fill by hand."""

    name: str = ""
    when: date | None = None
    decision: str | None = None  # "valide" | "a_reprendre" | None (not decided yet)
    comment: str = ""


@dataclass
class ReviewReportInput:
    dossier_title: str
    buyer_name: str = ""
    reference: str = ""
    summary: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    procedure: ProcedureInfo | None = None
    obligations: list[Obligation] = field(default_factory=list)
    checklist: list[ChecklistStepRow] = field(default_factory=list)
    clauses: list[RenderedClause] = field(default_factory=list)
    shortlist: list[ShortlistRow] = field(default_factory=list)
    history: list[ReviewEvent] = field(default_factory=list)
    sign_off: SignOff = field(default_factory=SignOff)
    generated_on: date | None = None
    publishes_notice: bool = True  # False for a purchase without publicity: no notice codes
    numbering: str = "part"  # as the annex numbers its articles (see numbered_articles)
    annex_name: str = ""  # the annex file this review goes with (its fingerprint ties them)
    annex_date: date | None = None
    warnings: list[str] = field(default_factory=list)  # consistency warnings still open

    @property
    def fingerprint(self) -> str:
        return clause_set_fingerprint(self.clauses)
