"""Codes people type on a tablet without mistakes going unnoticed: pseudonymous respondent codes and the secret
join codes of sessions.

A respondent code is six random characters and a check character, shown as ``XXXX-XXX``. A join code is eleven
random characters and a check character, shown as ``XXXX-XXXX-XXXX``: 31^11 (about 2^54) codes, so a session
cannot be found by guessing (issue 15). The alphabet leaves out characters that are easy to confuse (0/O, 1/I/L);
its size, 31, is prime, so the position-weighted check character catches every single wrong character and every
swap of two neighbours - a typo is told apart from an unknown code without looking anything up.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 6
JOIN_CODE_RANDOM_LENGTH = 11

# Cyrillic letters that look like Latin ones: children on a Kyrgyz or Russian keyboard type these.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


def check_character(body: str) -> str:
    total = sum((position + 1) * ALPHABET.index(char) for position, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def _random_with_check(length: int) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return body + check_character(body)


def _has_valid_check(compact: str, random_length: int) -> bool:
    if len(compact) != random_length + 1 or any(char not in ALPHABET for char in compact):
        return False
    return check_character(compact[:-1]) == compact[-1]


def compact(typed: str) -> str:
    """Upper-case, Cyrillic look-alikes to Latin, spaces and dashes removed."""
    return "".join(typed.upper().translate(_LOOKALIKES).split()).replace("-", "")


def new_code() -> str:
    code = _random_with_check(RANDOM_LENGTH)
    return f"{code[:4]}-{code[4:]}"


def normalise(typed: str) -> str:
    """A respondent code as typed, shown as ``XXXX-XXX``."""
    code = compact(typed)
    return f"{code[:4]}-{code[4:]}" if len(code) > 4 else code


def is_well_formed(code: str) -> bool:
    return _has_valid_check(code.replace("-", ""), RANDOM_LENGTH)


def new_join_code() -> str:
    """A session's join code, stored compact (12 characters)."""
    return _random_with_check(JOIN_CODE_RANDOM_LENGTH)


def is_well_formed_join_code(code: str) -> bool:
    return _has_valid_check(code, JOIN_CODE_RANDOM_LENGTH)


def join_code_shown(code: str) -> str:
    """``XXXX-XXXX-XXXX``: easier to read out and type than twelve characters in a row."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))
