"""What an import did, row by row: the report shown at the end of every import."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

MAX_LISTED_REJECTIONS = 1000  # a 300 000-row file of bad rows must not fill the memory


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass
class ImportReport:
    file: str
    format_code: str
    format_label: str
    encoding: str = ""
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    invalid_siret: int = 0  # kept, flagged
    rejections: list[Rejection] = field(default_factory=list)
    elapsed_s: float = 0.0

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.rejections) < MAX_LISTED_REJECTIONS:
            self.rejections.append(Rejection(line, reason))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rejections"] = [{"line": r.line, "reason": r.reason} for r in self.rejections]
        return data

    def summary(self) -> str:
        from achatsdesk.domain.formatting import format_number as n

        text = (
            f"{n(self.rows_read)} lignes lues : {n(self.added)} ajoutées, {n(self.updated)} mises à jour, "
            f"{n(self.unchanged)} inchangées, {n(self.rejected)} rejetées."
        )
        if self.invalid_siret:
            text += f" {n(self.invalid_siret)} SIRET invalides conservés et signalés."
        return text
