"""A folder of real XLSForms through pyxform and through surveyapp's importer: which import, which are refused and
why, and that none crashes (issue 16).

Run on demand: `.venv/bin/python bench/xlsform_corpus.py DIR`, e.g. with DIR holding the .xlsx/.xls workbooks of
pyxform's own test suite (`tests/example_xls`, `tests/bug_example_xls` of XLSForm/pyxform; nothing of theirs is
kept here). Prints one line per workbook, then the counts.
"""

import argparse
import sys
from pathlib import Path

from pyxform.xls2json import parse_file_to_json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from surveyapp import create_app  # noqa: E402
from surveyapp.instruments.services import InvalidDefinition, draft_from_xlsform  # noqa: E402


def pyxform_accepts(path: Path) -> bool:
    try:
        parse_file_to_json(str(path))
    except Exception:  # noqa: BLE001 - any refusal of pyxform's counts as one
        return False
    return True


def surveyapp_answer(path: Path) -> str:
    try:
        draft_from_xlsform(path.read_bytes())
    except InvalidDefinition as error:
        return "refused: " + " | ".join(str(problem) for problem in error.problems[:3])
    except Exception as error:  # noqa: BLE001 - a crash is what this measures
        return f"CRASH {error!r}"
    return "imported"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    workbooks = sorted(path for path in parser.parse_args().folder.iterdir() if path.suffix in (".xlsx", ".xls"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench-" * 8, "TESTING": True})
    counts = {"pyxform accepts": 0, "imported": 0, "refused": 0, "CRASH": 0}
    with app.test_request_context():
        for path in workbooks:
            accepted, answer = pyxform_accepts(path), surveyapp_answer(path)
            counts["pyxform accepts"] += accepted
            counts[answer.split(":")[0].split(" ")[0]] += 1
            print(f"{'pyxform accepts' if accepted else 'pyxform refuses'} {path.name}: {answer[:300]}")
    print(f"\n{len(workbooks)} workbooks: " + ", ".join(f"{name} {count}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
