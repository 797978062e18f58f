"""Layers that only point down (issue 17, item 1), read from the source: every import of every module (at the top,
inside functions, relative or absolute) is checked against one declared order, so a new upward import fails here
before it becomes a cycle.

Two tiers. The *domain* modules of a package (models, services, queries, labels, ...) import only the domain modules
of packages in lower layers. The *web* modules (views, forms, command-line commands, the JSON intake and the kiosk:
the modules that read a request or a command line) sit above every domain: a page may show what any feature holds,
so they import any domain module, and web modules of their own package or of lower layers only.

Imports under ``if TYPE_CHECKING:`` are left out: they name a type for mypy and load nothing (the ORM resolves a
relationship's class by name when the mappers are configured); import-linter's ``exclude_type_checking_imports``
makes the same choice.
"""

import ast
import graphlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import surveyapp

SOURCE = Path(surveyapp.__file__).parent

LAYERS: tuple[tuple[str, ...], ...] = (
    ("definitions",),
    ("scoring",),
    ("config", "errors"),
    ("db",),
    ("extensions",),
    ("transactions", "pagination", "workers", "security", "i18n", "notifications"),
    ("audit",),
    ("respondents",),
    ("auth", "throttling"),
    ("instruments",),
    ("sessions",),
    ("responses",),
    ("alerts",),
    ("reports",),
    ("activities",),
    ("trainings",),
    ("erasure", "audit_trail", "demo", "backup"),
    ("demo_programme",),
    ("web",),
    ("app",),
    ("__init__",),
)
"""Bottom first. A package (or top-level module) imports only those of lower rows; the ones in a row do not import
each other. The pure definition language and scoring are at the bottom (tests/test_layers.py: no Flask)."""

WEB_MODULE_NAMES = frozenset({"views", "forms", "cli", "api", "kiosk"})
"""Modules that read a request or a command line (with ``*_views``); top-level web.py and app.py are web too."""

RANK = {package: rank for rank, row in enumerate(LAYERS) for package in row}


@dataclass(frozen=True)
class Module:
    name: str
    """Dotted, e.g. surveyapp.sessions.models."""

    @property
    def package(self) -> str:
        """The feature package or top-level module it belongs to; ``__init__`` for surveyapp itself."""
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else "__init__"

    @property
    def is_web(self) -> bool:
        last = self.name.split(".")[-1]
        return self.package in ("web", "app", "__init__") or last in WEB_MODULE_NAMES or last.endswith("_views")


@dataclass(frozen=True)
class Import:
    importer: Module
    imported: Module
    where: str

    def __str__(self) -> str:
        return f"{self.where}: {self.importer.name} imports {self.imported.name}"


def module_of(path: Path) -> Module:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    return Module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))


def is_module(dotted: str) -> bool:
    path = SOURCE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_names(node: ast.Import | ast.ImportFrom, importer: Module, is_package: bool) -> list[str]:
    """The dotted modules an import statement loads: ``from surveyapp.x import y`` is module x.y when y is one."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = importer.name.split(".")
        parts = parts if is_package else parts[:-1]
        base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
    return [f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base for alias in node.names]


def type_checking_blocks(tree: ast.Module) -> set[int]:
    """Ids of the import nodes under ``if TYPE_CHECKING:``."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    importer, skipped = module_of(path), type_checking_blocks(tree)
    found = [
        Import(importer, Module(name), f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped
        for name in imported_names(node, importer, path.name == "__init__.py")
        if name == "surveyapp" or name.startswith("surveyapp.")
    ]
    return list(dict.fromkeys(found))


def all_imports() -> list[Import]:
    return [found for path in sorted(SOURCE.rglob("*.py")) for found in imports_of(path)]


def breaks_the_order(found: Import) -> bool:
    importer, imported = found.importer, found.imported
    if importer.package == imported.package:
        return imported.is_web and not importer.is_web
    if imported.is_web:
        return not importer.is_web or RANK[imported.package] >= RANK[importer.package]
    return not importer.is_web and RANK[imported.package] >= RANK[importer.package]


def test_every_package_has_a_place_in_the_order():
    packages = {module_of(path).package for path in SOURCE.rglob("*.py")}
    assert sorted(packages - set(RANK)) == []


def test_no_module_imports_a_layer_above_its_own():
    assert [str(found) for found in all_imports() if breaks_the_order(found)] == []


def test_no_modules_import_each_other_even_around_a_loop():
    """Within a package too (scoring's breakdowns and indicators once did): TopologicalSorter names a cycle."""
    graph: dict[str, set[str]] = {}
    for found in all_imports():
        if found.importer != found.imported:
            graph.setdefault(found.importer.name, set()).add(found.imported.name)
    graphlib.TopologicalSorter(graph).prepare()


def modules_of(package: str) -> list[str]:
    module = SOURCE / f"{package}.py"
    paths = [module] if module.is_file() else sorted((SOURCE / package).rglob("*.py"))
    return [module_of(path).name for path in paths]


@pytest.mark.parametrize("package", sorted(set(RANK) - {"__init__", "definitions", "scoring"}))
def test_a_package_imports_alone_in_a_fresh_interpreter(package):
    """Every module of one package, before any other is loaded: nothing may depend on an import made elsewhere
    first, e.g. a statement built at import that configures the ORM before the other packages' models exist (the
    pure packages: tests/test_layers.py)."""
    modules = ", ".join(modules_of(package))
    imported = subprocess.run([sys.executable, "-c", f"import {modules}"], capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr


def test_the_check_sees_imports_inside_functions_relative_ones_and_skips_type_checking(tmp_path, monkeypatch):
    """The reader itself, on a hand-made package: a function-level import and a relative one are found, an import
    under TYPE_CHECKING is not."""
    package = tmp_path / "surveyapp" / "feature"
    package.mkdir(parents=True)
    (tmp_path / "surveyapp" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "other.py").write_text("")
    module = package / "models.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import other\n"
        "if TYPE_CHECKING:\n"
        "    from surveyapp.hidden import Name\n"
        "def late():\n"
        "    import surveyapp.alerts.models\n"
    )
    monkeypatch.setattr(f"{__name__}.SOURCE", tmp_path / "surveyapp")
    assert [found.imported.name for found in imports_of(module)] == [
        "surveyapp.feature.other",
        "surveyapp.alerts.models",
    ]


def test_the_rule_refuses_an_upward_domain_import_and_a_domain_import_of_a_page():
    upward = Import(Module("surveyapp.responses.services"), Module("surveyapp.alerts.services"), "here")
    downward = Import(Module("surveyapp.alerts.services"), Module("surveyapp.responses.models"), "here")
    page_reads_above = Import(Module("surveyapp.sessions.views"), Module("surveyapp.alerts.queries"), "here")
    domain_reads_a_form = Import(Module("surveyapp.reports.formatting"), Module("surveyapp.sessions.forms"), "here")
    page_uses_a_page_above = Import(Module("surveyapp.sessions.views"), Module("surveyapp.alerts.views"), "here")
    assert [breaks_the_order(found) for found in (upward, downward, page_reads_above)] == [True, False, False]
    assert [breaks_the_order(found) for found in (domain_reads_a_form, page_uses_a_page_above)] == [True, True]
