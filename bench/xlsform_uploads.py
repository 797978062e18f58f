"""Time, peak memory and answer of every hostile workbook of issue 15 through the XLSForm importer's door.

Run on demand: `.venv/bin/python bench/xlsform_uploads.py [--tree DIR]`. Each file (built by code in
tests/instruments/hostile_workbooks.py, nothing binary kept) goes through `draft_from_xlsform` in a process of its
own, whose peak resident set size (`ru_maxrss`) includes the interpreter with the app imported. `--tree` measures
another checkout (e.g. `git archive <commit> | tar -x -C DIR`, run with OPENPYXL_DEFUSEDXML=False to reproduce a
tree from before defusedxml). Prints one Markdown table row per file.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.instruments import hostile_workbooks  # noqa: E402

MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from surveyapp.instruments.services import draft_from_xlsform
content = open(sys.argv[2], "rb").read()
start = time.perf_counter()
try:
    draft_from_xlsform(content)
    answer = "draft (200)"
except Exception as error:
    problems = getattr(error, "problems", None)
    answer = (f"{getattr(error, 'status', 422)}, {len(problems)} problem(s)" if problems is not None
              else f"500 ({type(error).__name__})")
print(json.dumps({"seconds": time.perf_counter() - start, "answer": answer,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    tree = parser.parse_args().tree
    files = {**hostile_workbooks.HOSTILE, "the valid mood XLSForm": hostile_workbooks.valid_workbook}
    print("| file | bytes | seconds | peak MB | answer |\n|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for number, (name, build) in enumerate(files.items()):
            path = Path(folder) / f"{number:02d}.xlsx"
            path.write_bytes(build())
            result = json.loads(
                subprocess.run(
                    [sys.executable, "-c", MEASURE, str(tree), str(path)], capture_output=True, text=True, check=True
                ).stdout
            )
            print(
                f"| {name} | {path.stat().st_size:,} | {result['seconds']:.2f} | {result['peak_mb']:.0f} "
                f"| {result['answer']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
