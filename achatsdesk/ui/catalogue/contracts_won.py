"""The public contracts a supplier has won, for its detail pane (read from the DECP
files the buyer imported, matched by SIRET)."""

from __future__ import annotations

from html import escape

from achatsdesk.domain.formatting import format_date_short, format_money
from achatsdesk.domain.plural import count_of


def contracts_won_html(database, siret: str | None) -> str:
    from achatsdesk.services.decp_import import contracts_won

    won = contracts_won(database, siret)
    if not won:
        return ""
    items = "".join(
        f"<li>{format_date_short(w.notified_on) if w.notified_on else 'date inconnue'} : "
        f"{escape(w.buyer_name or 'acheteur non nommé')} — {escape(w.object)} — {format_money(w.amount_eur)} "
        f"<span style='color:#555'>({escape(w.procedure)}, {escape(w.source)})</span></li>" for w in won[:20])
    more = f"<p>… et {count_of(len(won) - 20, 'autre')}.</p>" if len(won) > 20 else ""
    return f"<h4>Marchés publics remportés ({len(won)})</h4><ul>{items}</ul>{more}"
