import dataclasses
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services_catalog.amounts import (
    CFA_PARITY,
    EURO_RATES,
    MAX_EUR,
    RATES_AS_OF,
    Amount,
    InvalidAmountError,
    parse_amount,
)

NBSP, NARROW_NBSP = "\u00a0", "\u202f"


def euros(quantity: int | str, rate: Decimal) -> int:
    """What the converter should give, computed the long way."""
    return int((Decimal(quantity) / rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(
    ("written", "eur"),
    [
        ("30000", 30_000),
        ("30 000 €", 30_000),
        (f"30{NBSP}000{NBSP}€", 30_000),
        (f"30{NARROW_NBSP}000 €", 30_000),
        ("30.000 €", 30_000),
        ("30.000,50 €", 30_001),
        ("30.000,49 €", 30_000),
        ("30 000,50 €", 30_001),
        ("1,500,000", 1_500_000),
        ("1,500,000.49", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1'000'000", 1_000_000),
        ("1\u2019000", 1_000),
        ("1,500", 1_500),
        ("1.500", 1_500),
        ("1,5", 2),
        ("1.5", 2),
        ("1.49", 1),
        ("0,5", 1),
        ("0,500", 1),
        ("12345,500", 12_346),
        ("30k", 30_000),
        ("30 k€", 30_000),
        ("30k€", 30_000),
        ("30K EUR", 30_000),
        ("€1.5m", 1_500_000),
        ("€ 1.5 M", 1_500_000),
        ("1,5 M€", 1_500_000),
        ("2 millions d'euros", 2_000_000),
        ("2 millions d\u2019euros", 2_000_000),
        ("1.2 million", 1_200_000),
        ("1bn", 1_000_000_000),
        ("1 milliard", 1_000_000_000),
        ("30000 EUR", 30_000),
        ("EUR 30,000", 30_000),
        ("30 000 euros", 30_000),
        ("30000 Euro", 30_000),
        ("0", 0),
        ("0 €", 0),
    ],
)
def test_euro_amounts_as_people_write_them(written, eur):
    amount = parse_amount(written)
    assert amount.eur == eur
    assert amount.currency == "EUR"
    assert amount.rate == 1
    assert amount.conversion_note() is None


@pytest.mark.parametrize(
    ("written", "quantity"),
    [
        ("1,500", Decimal(1500)),
        ("1.500", Decimal(1500)),
        ("1,5", Decimal("1.5")),
        ("1.5", Decimal("1.5")),
        ("1.50", Decimal("1.5")),
        ("1,5000", Decimal("1.5")),
        ("0,500", Decimal("0.5")),
        ("30.000,50", Decimal("30000.5")),
        ("1,500,000.25", Decimal("1500000.25")),
        ("€1.5m", Decimal(1_500_000)),
        ("1,500 k", Decimal(1_500_000)),
    ],
)
def test_comma_and_dot_follow_the_documented_rule(written, quantity):
    assert parse_amount(written).original == quantity


@pytest.mark.parametrize(
    ("written", "currency", "quantity"),
    [
        ("25 000 000 FCFA", "FCFA", 25_000_000),
        ("25 000 000 F CFA", "FCFA", 25_000_000),
        ("25 000 000 francs CFA", "FCFA", 25_000_000),
        ("2 mds FCFA", "FCFA", 2_000_000_000),
        ("2,5 milliards de FCFA", "FCFA", 2_500_000_000),
        ("XOF 25,000,000", "XOF", 25_000_000),
        ("25000000 xof", "XOF", 25_000_000),
        ("15 000 000 XAF", "XAF", 15_000_000),
    ],
)
def test_cfa_francs_convert_at_the_fixed_parity(written, currency, quantity):
    amount = parse_amount(written)
    assert amount.currency == currency
    assert amount.original == quantity
    assert amount.rate == CFA_PARITY == Decimal("655.957")
    assert amount.eur == euros(quantity, CFA_PARITY)


def test_cfa_parity_is_exact():
    assert parse_amount("655 957 FCFA").eur == 1_000
    assert parse_amount("25 000 000 XOF").eur == 38_112


@pytest.mark.parametrize(
    ("written", "currency", "quantity"),
    [
        ("100 000 MAD", "MAD", 100_000),
        ("100 000 DH", "MAD", 100_000),
        ("100 000 dhs", "MAD", 100_000),
        ("100 000 dirhams", "MAD", 100_000),
        ("5 000 TND", "TND", 5_000),
        ("5 000 DT", "TND", 5_000),
        ("5 000 dinars", "TND", 5_000),
        ("5 000 dinars algériens", "DZD", 5_000),
        ("$50,000", "USD", 50_000),
        ("US$ 50,000", "USD", 50_000),
        ("USD 50000", "USD", 50_000),
        ("50 000 dollars", "USD", 50_000),
        ("$1.2bn", "USD", 1_200_000_000),
        ("£20,000", "GBP", 20_000),
        ("GBP 20 000", "GBP", 20_000),
        ("20 000 livres sterling", "GBP", 20_000),
        ("10 000 CHF", "CHF", 10_000),
        ("C$ 10,000", "CAD", 10_000),
        ("10 000 dollars canadiens", "CAD", 10_000),
    ],
)
def test_other_currencies_convert_at_the_dated_rate(written, currency, quantity):
    amount = parse_amount(written)
    assert amount.currency == currency
    assert amount.original == quantity
    assert amount.rate == EURO_RATES[currency]
    assert amount.eur == euros(quantity, EURO_RATES[currency])


@pytest.mark.parametrize("currency", sorted(EURO_RATES))
def test_one_euro_worth_of_each_currency_is_one_euro(currency):
    assert parse_amount(f"{EURO_RATES[currency]} {currency}").eur == 1


def test_rate_table_is_dated_and_covers_the_contract():
    assert isinstance(RATES_AS_OF, date)
    assert {"MAD", "TND", "USD", "GBP"} <= EURO_RATES.keys()
    assert all(rate > 0 for rate in EURO_RATES.values())


def test_conversion_notes_name_the_rate():
    assert (
        str(parse_amount("25 000 000 FCFA").conversion_note())
        == "25,000,000 FCFA converted at 655.957 FCFA = 1 EUR (fixed parity)"
    )
    assert (
        str(parse_amount("XOF 25,000,000").conversion_note())
        == "25,000,000 XOF converted at 655.957 XOF = 1 EUR (fixed parity)"
    )
    assert str(parse_amount("100 000 MAD").conversion_note()) == (
        f"100,000 MAD converted at {EURO_RATES['MAD']} MAD = 1 EUR (rate of {RATES_AS_OF})"
    )
    assert str(parse_amount("$1.5m").conversion_note()).startswith("1,500,000 USD converted at ")
    assert parse_amount("30 000 €").conversion_note() is None


@pytest.mark.parametrize(
    ("value", "eur"),
    [
        (30_000, 30_000),
        (0, 0),
        (2.5, 3),
        (0.1, 0),
        (1499.5, 1500),
        (Decimal("12.5"), 13),
        (Decimal("12.49"), 12),
    ],
)
def test_numbers_are_euros(value, eur):
    amount = parse_amount(value)
    assert (amount.eur, amount.currency) == (eur, "EUR")


def test_amount_is_frozen():
    amount = parse_amount("30k")
    assert amount == Amount(eur=30_000, currency="EUR", original=Decimal(30_000), rate=Decimal(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        amount.eur = 1


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12abc", "unrecognised word “abc”"),
        ("5 yen", "unrecognised word “yen”"),
        ("lots", "no number"),
        ("€", "no number"),
        ("", "empty"),
        ("   ", "empty"),
        (NBSP, "empty"),
        ("-500", "negative"),
        ("- 500 €", "negative"),
        ("€-500", "negative"),
        ("\u22125 000 €", "negative"),
        (-1, "negative"),
        (Decimal("-0.5"), "negative"),
        (-2.5, "negative"),
        ("10 000 - 50 000 €", "more than one number"),
        ("1e6", "more than one number"),
        ("1,50,000", "grouped by three"),
        ("1 5", "grouped by three"),
        ("1.000.000,000,00", "mixed"),
        (".5m", "before the number"),
        ("5 € $", "several currencies"),
        ("5 k m", "several multipliers"),
        ("50 000 ~", "unexpected"),
        ("1 000 000 000 001", "10^12"),
        ("2000 milliards", "10^12"),
        ("700 000 000 000 000 FCFA", "10^12"),
        (10**13, "10^12"),
        (float("inf"), "finite"),
        (float("nan"), "finite"),
        (Decimal("NaN"), "finite"),
        (True, "not an amount"),
        (None, "not an amount"),
        ([30_000], "not an amount"),
    ],
)
def test_invalid_amounts_name_the_value_and_why(value, reason):
    with pytest.raises(InvalidAmountError) as caught:
        parse_amount(value)
    message = str(caught.value)
    assert message.endswith(f": {value!r}")
    assert reason in message
    assert caught.value.value is value
    assert isinstance(caught.value, ValueError)


def test_invalid_amount_message_names_the_reason_then_the_value():
    with pytest.raises(ValueError, match=r"^unrecognised word “abc”: '12abc'$"):
        parse_amount("12abc")


def test_unknown_currency_is_named():
    with pytest.raises(InvalidAmountError) as caught:
        parse_amount("5 ZZZ")
    assert str(caught.value) == "unknown currency ZZZ: '5 ZZZ'"
    assert caught.value.value == "5 ZZZ"


def test_real_currency_without_a_rate_is_named():
    expected = r"unsupported currency NGN \(we convert EUR, .*\): '5 000 NGN'"
    with pytest.raises(InvalidAmountError, match=expected):
        parse_amount("5 000 NGN")


def test_the_ceiling_itself_is_accepted():
    assert parse_amount(MAX_EUR).eur == MAX_EUR
    assert parse_amount("1 000 000 000 000 €").eur == MAX_EUR


SEPARATORS = ["", " ", NBSP, NARROW_NBSP, ".", ",", "'", "\u2019"]
EURO_LAYOUTS = ["{}", "{} €", "{}€", "€{}", "€ {}", "EUR {}", "{} EUR", "{} euros", "{} eur"]
CFA_LAYOUTS = ["{} FCFA", "{} F CFA", "XOF {}", "{} XAF", "{} francs CFA"]


def grouped(number: int, separator: str) -> str:
    return f"{number:,}".replace(",", separator)


@given(
    number=st.integers(min_value=0, max_value=MAX_EUR),
    separator=st.sampled_from(SEPARATORS),
    layout=st.sampled_from(EURO_LAYOUTS),
)
def test_grouped_euro_integers_parse_back(number, separator, layout):
    amount = parse_amount(layout.format(grouped(number, separator)))
    assert (amount.eur, amount.currency) == (number, "EUR")


@given(
    number=st.integers(min_value=0, max_value=10**14),
    separator=st.sampled_from(SEPARATORS),
    layout=st.sampled_from(CFA_LAYOUTS),
)
def test_grouped_cfa_integers_convert_exactly(number, separator, layout):
    amount = parse_amount(layout.format(grouped(number, separator)))
    assert amount.original == number
    assert amount.eur == euros(number, CFA_PARITY)


@given(
    number=st.integers(min_value=0, max_value=10**9),
    cents=st.integers(min_value=0, max_value=99),
    marks=st.sampled_from([(" ", ","), (".", ","), (",", "."), (NBSP, ","), ("'", ".")]),
)
def test_grouped_amounts_with_cents_round_half_up(number, cents, marks):
    separator, decimal_mark = marks
    written = f"{grouped(number, separator)}{decimal_mark}{cents:02d} €"
    assert parse_amount(written).eur == number + (cents >= 50)
