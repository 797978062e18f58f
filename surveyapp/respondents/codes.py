"""Pseudonymous respondent codes that a child can type on a tablet without mistakes going unnoticed.

A code is six random characters and a check character, shown as ``XXXX-XXX``. The alphabet leaves out
characters that are easy to confuse (0/O, 1/I/L); its size, 31, is prime, so the position-weighted check
character catches every single wrong character and every swap of two neighbours.
"""
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 6

# Cyrillic letters that look like Latin ones: children on a Kyrgyz or Russian keyboard type these.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


def check_character(body: str) -> str:
    total = sum((position + 1) * ALPHABET.index(char) for position, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    code = body + check_character(body)
    return f"{code[:4]}-{code[4:]}"


def normalise(typed: str) -> str:
    """Upper-case, Cyrillic look-alikes to Latin, spaces and dashes removed, then shown as ``XXXX-XXX``."""
    compact = "".join(typed.upper().translate(_LOOKALIKES).split()).replace("-", "")
    return f"{compact[:4]}-{compact[4:]}" if len(compact) > 4 else compact


def is_well_formed(code: str) -> bool:
    compact = code.replace("-", "")
    if len(compact) != RANDOM_LENGTH + 1 or any(char not in ALPHABET for char in compact):
        return False
    return check_character(compact[:-1]) == compact[-1]
