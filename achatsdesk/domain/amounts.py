"""Amounts in euros HT as the dossier holds them: Decimal with two decimals (cents).

Exact comparison matters: 215 999,99 € is below a 216 000 € threshold, and the
explanation must say 215 999,99 € rather than round it up to the threshold.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from achatsdesk.domain.formatting import format_money
from achatsdesk.errors import ValidationError

CENT = Decimal("0.01")


def to_amount(value: int | float | str | Decimal) -> Decimal:
    """An amount in euros as Decimal with exactly two decimals (code-side values: ints, Decimals)."""
    if isinstance(value, Decimal):  # the same digits as Decimal(str(value)), without the text round trip
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: int | Decimal, *, ht: bool = True) -> str:
    """ "1 200 000 € HT", or "215 999,99 € HT" when there are cents: never rounded up to a threshold."""
    amount = Decimal(str(value))
    return format_money(amount, ht=ht)


def amount_json(value: Decimal | None) -> int | float | None:
    """An amount as a JSON number: an integer when whole (files written before cents keep their form)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_AMOUNT_TEXT = re.compile(r"^(\d+)(?:[.,](\d+))?$")


def parse_amount_text(text: str) -> Decimal | None:
    """An amount as a buyer types or pastes it: "1 200 000,50 €", "215999.99", "216 000 € HT".

    Spaces of any kind, "€" and "HT" are ignored and "," or "." marks the cents. Signs,
    letters, thousands written with dots or more than two decimals are refused with a
    French message rather than read as another amount. Empty text: None.
    """
    compact = _SPACES.sub("", text)
    compact = re.sub(r"(?i)ht$", "", compact).removesuffix("€").removesuffix("EUR")
    if not compact:
        return None
    example = "Saisissez par exemple 1 200 000 ou 215 999,99."
    if compact.startswith("-"):
        raise ValidationError(f"Le montant ne peut pas être négatif (« {text.strip()} »). {example}")
    if compact.startswith("+"):
        raise ValidationError(f"Saisissez le montant sans signe (« {text.strip()} »). {example}")
    match = _AMOUNT_TEXT.match(compact)
    if not match:
        raise ValidationError(
            f"Le montant « {text.strip()} » n'est pas compris : seuls des chiffres, une virgule avant les centimes, "
            f"« € » et « HT » sont acceptés. {example}"
        )
    if match.group(2) is not None and len(match.group(2)) > 2:
        raise ValidationError(
            f"Le montant « {text.strip()} » a plus de deux décimales : indiquez-le au centime près "
            f"(les milliers s'écrivent avec des espaces, pas des points). {example}"
        )
    return to_amount(Decimal(compact.replace(",", ".")))


def optional_amount(value, name) -> Decimal | None:
    """Euros HT with at most two decimals ("2500,25" accepted); refused rather than rounded."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValidationError(f"Le champ « {name} » doit être un montant en euros (reçu « {value} »).")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(f"Le champ « {name} » doit être un montant en euros, par exemple 1200000 ou 215999.99 "
                              f"(reçu « {value} »).") from None
    if not number.is_finite():
        raise ValidationError(f"Le champ « {name} » doit être un montant fini (reçu « {value} »).")
    if number < 0:
        raise ValidationError(f"Le champ « {name} » ne peut pas être négatif (reçu « {value} »).")
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError(f"Le champ « {name} » a plus de deux décimales (reçu « {value} ») : "
                              "indiquez le montant au centime près.")
    return number.quantize(CENT)
