"""The shape of the package: one-way layers, no import cycles, one `pharmadeals` namespace, a clean wheel."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import grimp
import pytest

TOP = Path(__file__).resolve().parent.parent
PACKAGES = ("pharmadeals.pipeline", "pharmadeals.scrapers", "pharmadeals.extractors", "pharmadeals.models")
BARE_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:pipeline|models|scrapers|extractors)(?:[\s.]|$)", re.MULTILINE)
BARE_MODULE_RUN = re.compile(r"""["'](?:pipeline|models|scrapers|extractors)\.[a-z_]+["']|-m (?:pipeline|models)\.""")


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, include_external_packages=False)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_layers_contract_is_kept() -> None:
    """import-linter: pipeline -> {scrapers | extractors} -> models, scrapers and extractors independent."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(TOP / "pyproject.toml")], cwd=TOP, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_no_import_cycles_even_through_function_local_imports() -> None:
    """grimp sees imports inside functions too, so a lazy import cannot hide a circle."""
    assert _cycles(_graph()) == []


def test_cycle_finder_finds_a_planted_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    assert _cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("lower, upper", [("pharmadeals.models", "pharmadeals.pipeline"),
                                          ("pharmadeals.models", "pharmadeals.extractors"),
                                          ("pharmadeals.models", "pharmadeals.scrapers"),
                                          ("pharmadeals.extractors", "pharmadeals.scrapers"),
                                          ("pharmadeals.scrapers", "pharmadeals.extractors"),
                                          ("pharmadeals.extractors", "pharmadeals.pipeline"),
                                          ("pharmadeals.scrapers", "pharmadeals.pipeline")])
def test_lower_layer_never_reaches_upper(lower: str, upper: str) -> None:
    """The same rule as the contract, checked directly on the graph, so either check alone would catch it."""
    graph = _graph()
    assert not graph.chain_exists(importer=lower, imported=upper, as_packages=True)


def test_no_bare_top_level_imports_remain() -> None:
    """Code, tests, benchmarks and scripts import `pharmadeals.<layer>`, never the bare folder names."""
    offenders = []
    for path in TOP.rglob("*.py"):
        if any(part in {".venv", ".typecheck", "build", ".git"} for part in path.relative_to(TOP).parts):
            continue
        text = path.read_text(encoding="utf-8")
        if BARE_IMPORT.search(text) or BARE_MODULE_RUN.search(text):
            offenders.append(str(path.relative_to(TOP)))
    assert offenders == []


def test_wheel_installs_only_the_pharmadeals_namespace_and_runs_from_anywhere(tmp_path: Path) -> None:
    """`pip install .` gives one top-level name; the CLI, migrations and packaged data work from another folder."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path / "dist"), str(TOP)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("pharmadeals-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")} == {"pharmadeals"}
    assert "pharmadeals/extractors/data/companies.yaml" in names
    assert any(name.startswith("pharmadeals/models/migrations/versions/0001") for name in names)

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "config.yaml").write_text(f"database:\n  url: sqlite:///{work}/pd.db\nlogging:\n  file: null\n",
                                      encoding="utf-8")
    (work / "deal.txt").write_text(
        "Shanghai, June 2, 2025 -- Hengrui Pharma granted GSK an exclusive licence to HRS-9821 outside "
        "Greater China. GSK will pay an upfront fee of US$500 million.\n", encoding="utf-8")
    runner = (f"import sys; sys.path.insert(0, {str(target)!r}); import pharmadeals.pipeline.cli as c; "
              "assert c.__file__.startswith(" + repr(str(target)) + "), c.__file__; sys.argv[0] = 'pharmadeals'; "
              "c.main()")
    upgraded = subprocess.run([sys.executable, "-c", runner, "db", "upgrade", "--config", "config.yaml"], cwd=work,
                              capture_output=True, text=True, check=False)
    assert upgraded.returncode == 0, upgraded.stderr
    assert (work / "pd.db").is_file()
    extracted = subprocess.run([sys.executable, "-c", runner, "extract", "deal.txt"], cwd=work,
                               capture_output=True, text=True, check=False)
    assert extracted.returncode == 0, extracted.stderr
    assert "GSK" in extracted.stdout and "500000000" in extracted.stdout
