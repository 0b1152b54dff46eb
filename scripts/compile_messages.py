"""Compile every locale/*/LC_MESSAGES/*.po into its .mo with Babel: pure Python, no GNU gettext needed.

Runs as part of `make install` (so `make run` and `make test` always have fresh catalogues); the
compiled .mo files are build output and not committed. Fuzzy entries are left out, as msgfmt does.
Catalogues live in locale/ (project templates, config, issuers) and in each app's own locale/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def catalogues(root: Path = ROOT) -> list[Path]:
    """Every .po file of the project: locale/ and <app>/locale/."""
    return sorted([*root.glob("locale/*/LC_MESSAGES/*.po"), *root.glob("*/locale/*/LC_MESSAGES/*.po")])


def compile_catalogues(root: Path = ROOT) -> list[Path]:
    written = []
    for po_path in catalogues(root):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parts[-3])
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"compiled {path.relative_to(ROOT)}")
    sys.exit(0)
