"""The most common passwords, refused at sign-up and on a password change.

Why a list and not a strength estimator: the rule users are told is simple and testable ("not one of the
10,000 most common passwords"), the check is one set lookup (no CPU on the event loop, none for an
attacker to spend), and it adds no dependency. zxcvbn's estimator (PyPI `zxcvbn`, whose ranked list this
is) scores every password by patterns as well; its run time grows with the password length (it walks
every substring), and a score threshold would refuse passphrases people consider fine with reasons
they cannot predict. Length (barker/validation.py: at least 8) plus this list is what NIST SP 800-63B asks
for: a minimum length and a check against passwords known from breaches.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("barker").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    """Case-insensitively: "Password1" is no safer than "password1"."""
    return password.lower() in common_passwords()
