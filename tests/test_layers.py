"""The pure layers import alone (issue 17, item 1): scoring and the instrument definition language load no Flask,
no SQLAlchemy and no WTForms, so they can be read, run and tested without the web application."""

import subprocess
import sys
from pathlib import Path

import pytest

import surveyapp

PACKAGE = Path(surveyapp.__file__).parent
PURE_PACKAGES = ("scoring", "definitions")
PURE_MODULES = [
    f"surveyapp.{package}.{path.stem}"
    for package in PURE_PACKAGES
    for path in sorted((PACKAGE / package).glob("*.py"))
    if path.stem != "__init__"
]
WEB_PACKAGES = ("flask", "flask_babel", "flask_login", "flask_sqlalchemy", "flask_wtf", "sqlalchemy", "wtforms")


@pytest.mark.parametrize("module", PURE_MODULES)
def test_a_pure_module_imports_in_a_bare_interpreter_without_the_web_stack(module):
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted({name.split(".")[0] for name in loaded} & set(WEB_PACKAGES)) == []


def test_the_application_factory_is_still_reached_from_the_package():
    assert surveyapp.create_app.__module__ == "surveyapp.app"
