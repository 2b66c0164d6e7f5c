"""Run the project's benchmarks and print each one's ratio against its baseline.

Usage: ``.venv/bin/python bench/run.py [NAME ...] [--quick] [--strict]`` (what ``make bench``
calls). See ``--help`` and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib
import json
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

BENCH_DIR = Path(__file__).resolve().parent
SRC_DIR = BENCH_DIR.parent / "src"
for _directory in (BENCH_DIR, SRC_DIR):
    if str(_directory) not in sys.path:
        sys.path.insert(0, str(_directory))

from harness import (  # noqa: E402 - needs the paths above
    RESULTS_DIR,
    Benchmark,
    Result,
    RunOptions,
    print_result,
    print_summary,
    print_summary_rows,
    run_benchmark,
    summary_rows,
    write_json,
)

DESCRIPTION = """\
Run the benchmarks in bench/bench_*.py and report, per benchmark, the candidate's figures, the
baseline's figures (measured in the same run, samples interleaved), the ratio candidate/baseline
and whether the goal is met. Each result is also written to bench/results/<name>.json.

Every module bench/bench_<topic>.py defines benchmarks(quick) yielding harness.Benchmark
objects named <topic>.<what>. Benchmarks report; a missed goal only fails the run (exit 1) with
--strict. A benchmark that crashes always fails the run.
"""

EPILOG = """\
examples:
  bench/run.py                          every benchmark, full sizes
  bench/run.py --quick                  every benchmark, small sizes (CI smoke test, seconds)
  bench/run.py calendar                 one module
  bench/run.py calendar.term_end_v      one benchmark
  bench/run.py 'api.*' --strict         shell-style wildcards; exit 1 if a goal is missed

exit status: 0 done; 1 a benchmark failed to run, or --strict and a goal was missed;
2 bad arguments or a NAME that matches no benchmark.
"""


def discover(bench_dir: Path = BENCH_DIR) -> dict[str, Path]:
    """Return the benchmark modules by topic: ``{"calendar": bench/bench_calendar.py, ...}``."""
    return {path.stem.removeprefix("bench_"): path for path in sorted(bench_dir.glob("bench_*.py"))}


def module_selected(topic: str, patterns: Sequence[str]) -> bool:
    """Return whether a module may hold a benchmark that one of ``patterns`` selects."""
    return not patterns or any(
        fnmatch.fnmatchcase(topic, pattern.split(".", 1)[0]) for pattern in patterns
    )


def matching_patterns(name: str, patterns: Sequence[str]) -> list[str]:
    """Return the patterns that select benchmark ``name`` (its module, itself, or a wildcard)."""
    return [
        pattern
        for pattern in patterns
        if fnmatch.fnmatchcase(name, pattern) or name.startswith(f"{pattern}.")
    ]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="module (calendar), benchmark (calendar.term_end_v) or wildcard (api.*); default: all",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and 3 repeats: a smoke test that finishes in seconds",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a benchmark misses its goal"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        metavar="N",
        help="timed samples per side (default 7, or 3 with --quick)",
    )
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=RESULTS_DIR,
        metavar="DIR",
        help="where to write <name>.json (default: bench/results)",
    )
    parser.add_argument("--no-json", action="store_true", help="do not write JSON results")
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--list", action="store_true", help="list the benchmark modules and exit")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def _run_module(
    topic: str,
    module: ModuleType,
    patterns: Sequence[str],
    options: RunOptions,
    results: list[Result],
    errors: list[tuple[str, str]],
    used: set[str],
) -> None:
    factory = getattr(module, "benchmarks", None)
    if not callable(factory):
        errors.append((topic, "module defines no benchmarks(quick) function"))
        return
    current = topic
    produced = factory(options.quick)
    try:
        for bench in produced:
            if not isinstance(bench, Benchmark):
                raise TypeError(f"benchmarks() yielded {bench!r}, not a Benchmark")
            if not bench.name.startswith(f"{topic}."):
                raise ValueError(f"benchmark {bench.name!r} must be named {topic}.<what>")
            current = bench.name
            selected = matching_patterns(bench.name, patterns)
            if patterns and not selected:
                continue
            used.update(selected)
            result = run_benchmark(bench, options)
            print_result(result)
            if options.results_dir is not None:
                write_json(result, options.results_dir)
            results.append(result)
    except Exception as exc:  # one broken benchmark must not hide the others
        traceback.print_exc()
        errors.append((current, f"{type(exc).__name__}: {exc}"))
    finally:
        # Let a generator run its clean-up now, not at interpreter shutdown.
        close = getattr(produced, "close", None)
        if callable(close):
            close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected benchmarks and return the exit status."""
    args = parse_args(argv)
    modules = discover()
    if args.list:
        for topic, path in modules.items():
            print(f"{topic:<12} {path.relative_to(BENCH_DIR.parent)}")
        return 0
    patterns: list[str] = args.names
    unknown = [
        pattern for pattern in patterns if not any(module_selected(t, [pattern]) for t in modules)
    ]
    if unknown:
        print(
            f"error: no benchmark module matches {', '.join(unknown)} "
            f"(modules: {', '.join(modules)})",
            file=sys.stderr,
        )
        return 2
    selected = [topic for topic in modules if module_selected(topic, patterns)]
    if args.child is None and len(selected) > 1:
        return _run_isolated(selected, patterns, args)
    options = RunOptions.for_mode(
        quick=args.quick,
        repeats=args.repeats,
        results_dir=None if args.no_json else args.results_dir,
    )
    mode = "quick" if args.quick else "full"
    print(f"Burgerlink benchmarks ({mode} run, {options.repeats} repeats per side)")
    started = time.perf_counter()
    results: list[Result] = []
    errors: list[tuple[str, str]] = []
    used: set[str] = set()
    for topic, path in modules.items():
        if not module_selected(topic, patterns):
            continue
        try:
            module = importlib.import_module(path.stem)
        except Exception as exc:  # report it and go on with the other modules
            traceback.print_exc()
            errors.append((topic, f"import failed: {type(exc).__name__}: {exc}"))
            continue
        _run_module(topic, module, patterns, options, results, errors, used)
    unmatched = [pattern for pattern in patterns if pattern not in used]
    if args.child is not None:
        Path(args.child).write_text(
            json.dumps(
                {
                    "rows": summary_rows(results)[1:],
                    "errors": errors,
                    "missed": [r.benchmark.name for r in results if r.met is False],
                    "unmatched": unmatched,
                }
            )
        )
        return 1 if errors else 0
    if results or errors:
        print_summary(results, errors)
    print(f"\n{len(results)} benchmark(s) in {time.perf_counter() - started:.1f} s")
    if unmatched and not errors:
        print(f"error: no benchmark matches {', '.join(unmatched)}", file=sys.stderr)
        return 2
    if errors:
        return 1
    missed = [result.benchmark.name for result in results if result.met is False]
    if missed:
        print(f"goal missed: {', '.join(missed)}" + ("" if args.strict else " (not --strict)"))
        if args.strict:
            return 1
    return 0


def _run_isolated(topics: list[str], patterns: list[str], args: argparse.Namespace) -> int:
    """Run each module in its own process and print one summary of all of them.

    Each module may set Django up its own way (SQLite or PostgreSQL), and one module's memory
    or caches cannot colour another's figures.
    """
    flags = [
        flag
        for flag, on in (
            ("--quick", args.quick),
            ("--strict", args.strict),
            ("--no-json", args.no_json),
        )
        if on
    ]
    if args.repeats is not None:
        flags += ["--repeats", str(args.repeats)]
    if args.results_dir != RESULTS_DIR:
        flags += ["--results-dir", str(args.results_dir)]
    started = time.perf_counter()
    rows: list[list[str]] = []
    errors: list[tuple[str, str]] = []
    missed: list[str] = []
    used_patterns: set[str] = set()
    for topic in topics:
        mine = [p for p in patterns if module_selected(topic, [p])] or [topic]
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            summary = Path(handle.name)
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            *mine,
            *flags,
            "--child",
            str(summary),
        ]
        completed = subprocess.run(command, check=False)  # noqa: S603 - our own script
        try:
            data = json.loads(summary.read_text() or "{}")
        except json.JSONDecodeError:
            data = {}
        summary.unlink(missing_ok=True)
        if not data:
            errors.append((topic, f"benchmark process failed (exit {completed.returncode})"))
            continue
        rows += data["rows"]
        errors += [tuple(error) for error in data["errors"]]
        missed += data["missed"]
        used_patterns.update(p for p in mine if p not in data["unmatched"])
    print_summary_rows(rows, errors)
    print(f"\n{len(rows)} benchmark(s) in {time.perf_counter() - started:.1f} s")
    unmatched = [p for p in patterns if p not in used_patterns]
    if unmatched and not errors:
        print(f"error: no benchmark matches {', '.join(unmatched)}", file=sys.stderr)
        return 2
    if errors:
        return 1
    if missed:
        print(f"goal missed: {', '.join(missed)}" + ("" if args.strict else " (not --strict)"))
        if args.strict:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
