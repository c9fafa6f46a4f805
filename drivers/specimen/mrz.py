"""Issuer-side TD3 MRZ composition for UTO specimens (ICAO Doc 9303 part 4).

Deliberately independent of the engine's parser: the renderer is the issuer here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

_WEIGHTS = (7, 3, 1)
SURNAMES = ("ERIKSSON", "MORENO", "OKAFOR", "NAKAMURA", "LINDQVIST", "DUBOIS", "KOWALSKA",
            "HALVORSEN", "MARCHETTI", "VAN DER BERG", "ABERNATHY", "SOLBERG-HAAS", "QUINTANA")
GIVEN_NAMES = ("ANNA MARIA", "JONAS", "LEILA", "TOMASZ", "INGRID", "KOFI", "MEI", "RAFAEL",
               "SAOIRSE", "ELENA", "HUGO", "AMARA JOY", "NIKOLAI", "YUKI")
PLACES = ("AMAUROTUM", "ANYDER", "ABRAXA", "MACARIA", "NOVA ATLANTIS", "UTOPOS")
AUTHORITIES = ("UTO PASSPORT OFFICE", "AMAUROTUM", "UTO INTERIOR MINISTRY")


def char_value(char: str) -> int:
    """Value of an MRZ character for check digits: digits, A-Z = 10..35, '<' = 0."""
    if char == "<":
        return 0
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(field: str) -> str:
    """ICAO 9303 check digit (weights 7-3-1, modulus 10) of `field`."""
    total = sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field))
    return str(total % 10)


def mrz_name(text: str) -> str:
    """A name as MRZ characters: spaces and hyphens become '<'."""
    return "".join(c if "A" <= c <= "Z" else "<" for c in text.upper())


def yymmdd(day: date) -> str:
    """A date as YYMMDD."""
    return day.strftime("%y%m%d")


@dataclass(frozen=True)
class Holder:
    """The personal data of one UTO passport, as the issuer records it."""

    surname: str
    given_names: str
    sex: str
    birth: date
    document_number: str
    issue: date
    expiry: date
    optional: str
    place_of_birth: str
    authority: str
    empty_optional_check: str = "<"

    def replace(self, **changes: object) -> Holder:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def td3_lines(holder: Holder) -> tuple[str, str]:
    """The two 44-character TD3 lines with all check digits computed."""
    names = (mrz_name(holder.surname) + "<<" + mrz_name(holder.given_names))[:39]
    line1 = ("P<UTO" + names).ljust(44, "<")
    number = holder.document_number.ljust(9, "<")
    optional = holder.optional.ljust(14, "<")
    opt_check = (holder.empty_optional_check if optional == "<" * 14
                 else check_digit(optional))
    part_a = number + check_digit(number)
    part_b = yymmdd(holder.birth) + check_digit(yymmdd(holder.birth))
    part_c = yymmdd(holder.expiry) + check_digit(yymmdd(holder.expiry)) + optional + opt_check
    composite = check_digit(part_a + part_b + part_c)
    line2 = part_a + "UTO" + part_b + holder.sex + part_c + composite
    assert len(line1) == 44 and len(line2) == 44
    return line1, line2


def random_document_number(rng: np.random.Generator) -> str:
    """A 9-character UTO document number: letters then digits, sometimes a letter inside."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    lead = int(rng.integers(1, 3))
    chars = [letters[int(rng.integers(len(letters)))] for _ in range(lead)]
    chars += [str(int(rng.integers(10))) for _ in range(9 - lead)]
    if rng.random() < 0.3:
        chars[int(rng.integers(lead + 1, 9))] = letters[int(rng.integers(len(letters)))]
    return "".join(chars)


def random_holder(rng: np.random.Generator, at: date) -> Holder:
    """A fictional UTO citizen whose passport is valid on `at`."""
    expiry = at + timedelta(days=int(rng.integers(20, 365 * 9)))
    issue = _years_before(expiry, 10) + timedelta(days=1)
    birth = at - timedelta(days=int(rng.integers(18 * 365, 80 * 365)))
    optional = ""
    if rng.random() < 0.6:
        optional = "".join(str(int(rng.integers(10))) for _ in range(int(rng.integers(8, 15))))
    return Holder(
        surname=SURNAMES[int(rng.integers(len(SURNAMES)))],
        given_names=GIVEN_NAMES[int(rng.integers(len(GIVEN_NAMES)))],
        sex="FM<"[int(rng.choice(3, p=[0.49, 0.49, 0.02]))], birth=birth,
        document_number=random_document_number(rng), issue=issue, expiry=expiry,
        optional=optional, place_of_birth=PLACES[int(rng.integers(len(PLACES)))],
        authority=AUTHORITIES[int(rng.integers(len(AUTHORITIES)))],
        empty_optional_check="<0"[int(rng.integers(2))])


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def validate_td3(lines: tuple[str, str] | list[str]) -> bool:
    """True when every check digit of a TD3 MRZ holds (issuer-side self-check for tests)."""
    line2 = lines[1]
    fields = ((line2[0:9], line2[9]), (line2[13:19], line2[19]), (line2[21:27], line2[27]))
    ok = all(check_digit(f) == c for f, c in fields)
    opt, opt_c = line2[28:42], line2[42]
    ok = ok and (check_digit(opt) == opt_c or (opt == "<" * 14 and opt_c in "<0"))
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    return ok and check_digit(composite) == line2[43]
