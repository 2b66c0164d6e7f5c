"""Benchmark harness: describe a benchmark, time it against a baseline, report the ratio.

The project's rule is that speed targets live here and never in tests. A benchmark times a
*candidate* (the platform's code) and a *baseline* (the simplest thing that does comparable work,
for example bare numpy or a trivial Django view) in the same process, interleaving their samples,
and states its goal as a ratio ``candidate / baseline``. Because both sides run on the same
machine at the same moment, the ratio is meaningful on a laptop, a CI runner or a server alike,
while absolute times are not.

A benchmark module ``bench/bench_<topic>.py`` exposes one function::

    def benchmarks(quick: bool) -> Iterator[Benchmark]: ...

It may do its setup before the first ``yield`` and clean up in a ``finally`` after the last;
``bench/run.py`` runs each benchmark as it is yielded. Names are ``<topic>.<what>``.

Only the standard library, numpy and Django are used (Django in ``setup_django`` and
``machine_info``).
"""

from __future__ import annotations

import atexit
import gc
import json
import math
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TextIO

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"

MemoryMode = Literal["tracemalloc", "rusage"]
RatioOf = Literal["time", "throughput"]


# --- describing a benchmark -------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """A target for the ratio candidate/baseline: at most or at least a value."""

    kind: Literal["max", "min"]
    ratio: float

    @classmethod
    def at_most(cls, ratio: float) -> Goal:
        """Return a goal the ratio must not exceed (for time: "at most N× slower")."""
        return cls("max", ratio)

    @classmethod
    def at_least(cls, ratio: float) -> Goal:
        """Return a goal the ratio must reach (for throughput: "at least N× as fast")."""
        return cls("min", ratio)

    def met_by(self, ratio: float) -> bool:
        """Return whether ``ratio`` satisfies the goal."""
        return ratio <= self.ratio if self.kind == "max" else ratio >= self.ratio

    def describe(self) -> str:
        """Return the goal as text, e.g. ``≤ 3.00×``."""
        return f"{'≤' if self.kind == 'max' else '≥'} {self.ratio:.2f}×"


@dataclass(frozen=True)
class Case:
    """One side of a comparison: a label and a callable doing one unit of work.

    ``setup``, when given, runs before every call of ``fn`` and is not timed: it puts the
    database back into the state the work starts from (for example an organisation that already
    holds a year of records).
    """

    label: str
    fn: Callable[[], object]
    setup: Callable[[], object] | None = None


@dataclass(frozen=True)
class Benchmark:
    """What is measured, how, and the goal for the ratio candidate/baseline.

    ``rows`` is how many items (dates, requests...) one call of a case handles, in ``unit``; it
    turns times into a rate and a per-item cost. ``number`` is how many calls make one timed
    sample (``None``, the default: calibrate so that a sample lasts at least the run's
    ``min_sample_time``). ``repeats`` overrides the run's default number of samples per side.
    ``ratio_of="time"`` compares median time per call, ``"throughput"`` compares items per
    second (the inverse), so that "at least N× as fast" reads as ``Goal.at_least(N)``.
    A benchmark without a baseline or without a goal only informs.
    """

    name: str
    measures: str
    candidate: Case
    baseline: Case | None = None
    goal: Goal | None = None
    rows: int | None = None
    unit: str = "rows"
    repeats: int | None = None
    warmup: int = 1
    number: int | None = None
    memory: MemoryMode | None = None
    ratio_of: RatioOf = "time"
    notes: str = ""


@dataclass(frozen=True)
class RunOptions:
    """Settings of one harness run that apply to every benchmark.

    ``repeats`` is the number of samples per side; a benchmark's own ``repeats`` wins over it
    unless ``force_repeats`` (the command line's ``--repeats``) is set.
    """

    quick: bool = False
    repeats: int = 7
    force_repeats: bool = False
    min_sample_time: float = 0.2
    results_dir: Path | None = RESULTS_DIR

    @classmethod
    def for_mode(
        cls, *, quick: bool, repeats: int | None = None, results_dir: Path | None = RESULTS_DIR
    ) -> RunOptions:
        """Return the defaults of a full or a quick run, with an optional repeat override."""
        default_repeats, sample_time = (3, 0.02) if quick else (7, 0.2)
        return cls(
            quick=quick,
            repeats=repeats or default_repeats,
            force_repeats=repeats is not None,
            min_sample_time=sample_time,
            results_dir=results_dir,
        )

    def repeats_for(self, bench: Benchmark) -> int:
        """Return how many samples per side ``bench`` gets in this run."""
        if self.force_repeats or bench.repeats is None:
            return self.repeats
        return bench.repeats


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Measurement:
    """The timings of one case: seconds per call of every sample, plus optional peak memory."""

    label: str
    samples: list[float]
    number: int
    rows: int | None = None
    unit: str = "rows"
    peak_memory: int | None = None
    memory_mode: MemoryMode | None = None

    @property
    def median(self) -> float:
        """Median wall time of one call, in seconds."""
        return statistics.median(self.samples)

    @property
    def minimum(self) -> float:
        """Fastest wall time of one call, in seconds."""
        return min(self.samples)

    @property
    def rate(self) -> float | None:
        """Items per second at the median time, when ``rows`` is known."""
        if self.rows is None or self.median <= 0:
            return None
        return self.rows / self.median

    @property
    def per_row(self) -> float | None:
        """Median seconds per item, when ``rows`` is known."""
        return self.median / self.rows if self.rows else None

    def as_dict(self) -> dict[str, Any]:
        """Return the measurement as JSON-ready data."""
        return {
            "label": self.label,
            "median_s": self.median,
            "min_s": self.minimum,
            "samples_s": self.samples,
            "calls_per_sample": self.number,
            "rows": self.rows,
            "unit": self.unit,
            "rows_per_second": self.rate,
            "seconds_per_row": self.per_row,
            "peak_memory_bytes": self.peak_memory,
            "memory_mode": self.memory_mode,
        }


def _time_calls(
    fn: Callable[[], object], number: int, setup: Callable[[], object] | None = None
) -> float:
    """Return the wall time of ``number`` calls of ``fn`` with the garbage collector paused.

    ``setup`` runs before each call, outside the timed part.
    """
    elapsed = 0.0
    for _ in range(number if setup is not None else 1):
        if setup is not None:
            setup()
        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            start = time.perf_counter()
            for _ in range(1 if setup is not None else number):
                fn()
            elapsed += time.perf_counter() - start
        finally:
            if was_enabled:
                gc.enable()
    return elapsed


def _nice_at_least(value: float) -> int:
    """Return the smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``value``."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def calibrate(
    fn: Callable[[], object],
    min_time: float,
    limit: int = 10_000_000,
    setup: Callable[[], object] | None = None,
) -> int:
    """Return the calls per sample (1, 2, 5, 10, 20, ...) for a sample of at least ``min_time``.

    Each attempt extrapolates from the last one (with a 10 % margin, growing at most 100× a step),
    so calibration costs about two samples rather than a whole 1-2-5 ladder.
    """
    number = 1
    while True:
        elapsed = _time_calls(fn, number, setup)
        if elapsed >= min_time or number >= limit:
            return number
        wanted = number * min_time / elapsed * 1.1 if elapsed > 0 else number * 100
        number = min(limit, _nice_at_least(min(max(wanted, number + 1), number * 100)))


def peak_memory(
    fn: Callable[[], object], mode: MemoryMode, setup: Callable[[], object] | None = None
) -> int:
    """Return peak memory in bytes of one call of ``fn``.

    ``tracemalloc`` gives the peak of memory allocated during the call (Python objects and numpy
    buffers); ``rusage`` gives the process's peak resident set size after the call, a high-water
    mark for the whole process rather than for this call alone.
    """
    if setup is not None:
        setup()
    gc.collect()
    if mode == "tracemalloc":
        started_here = not tracemalloc.is_tracing()
        if started_here:
            tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            fn()
            return max(0, tracemalloc.get_traced_memory()[1] - before)
        finally:
            if started_here:
                tracemalloc.stop()
    fn()
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return usage if sys.platform == "darwin" else usage * 1024


def measure(
    fn: Callable[[], object],
    *,
    label: str = "",
    repeats: int = 7,
    warmup: int = 1,
    number: int | None = None,
    min_sample_time: float = 0.2,
    rows: int | None = None,
    unit: str = "rows",
    memory: MemoryMode | None = None,
) -> Measurement:
    """Time ``fn`` alone: warm up, then ``repeats`` samples of ``number`` calls each."""
    return measure_interleaved(
        [Case(label, fn)],
        repeats=repeats,
        warmup=warmup,
        number=number,
        min_sample_time=min_sample_time,
        rows=rows,
        unit=unit,
        memory=memory,
    )[0]


def measure_interleaved(
    cases: Sequence[Case],
    *,
    repeats: int = 7,
    warmup: int = 1,
    number: int | None = None,
    min_sample_time: float = 0.2,
    rows: int | None = None,
    unit: str = "rows",
    memory: MemoryMode | None = None,
) -> list[Measurement]:
    """Time several cases in turns (A B A B ...) so that drift in the machine hits all alike.

    Every case is warmed up first (calibration counts as warm-up); peak memory, when asked, is
    taken in one extra untimed call per case so that tracing never slows down a timed sample.
    """
    numbers: list[int] = []
    for case in cases:
        for _ in range(warmup):
            if case.setup is not None:
                case.setup()
            case.fn()
        numbers.append(
            number if number is not None else calibrate(case.fn, min_sample_time, setup=case.setup)
        )
    samples: list[list[float]] = [[] for _ in cases]
    for _ in range(repeats):
        for index, case in enumerate(cases):
            elapsed = _time_calls(case.fn, numbers[index], case.setup)
            samples[index].append(elapsed / numbers[index])
    results = []
    for index, case in enumerate(cases):
        results.append(
            Measurement(
                label=case.label,
                samples=samples[index],
                number=numbers[index],
                rows=rows,
                unit=unit,
                peak_memory=peak_memory(case.fn, memory, case.setup) if memory else None,
                memory_mode=memory,
            )
        )
    return results


# --- results ----------------------------------------------------------------------------------


@dataclass
class Result:
    """The outcome of one benchmark: both measurements, the ratio and whether the goal is met."""

    benchmark: Benchmark
    candidate: Measurement
    baseline: Measurement | None
    quick: bool
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ratio(self) -> float | None:
        """Candidate/baseline, of median time or of throughput (see ``Benchmark.ratio_of``)."""
        if self.baseline is None or self.baseline.median <= 0 or self.candidate.median <= 0:
            return None
        if self.benchmark.ratio_of == "throughput":
            return self.baseline.median / self.candidate.median
        return self.candidate.median / self.baseline.median

    @property
    def ratio_of_minimums(self) -> float | None:
        """The same ratio from the fastest samples: a check on noise, not the goal's measure."""
        if self.baseline is None or self.baseline.minimum <= 0 or self.candidate.minimum <= 0:
            return None
        if self.benchmark.ratio_of == "throughput":
            return self.baseline.minimum / self.candidate.minimum
        return self.candidate.minimum / self.baseline.minimum

    @property
    def met(self) -> bool | None:
        """Whether the goal is met; None when the benchmark has no goal or no ratio."""
        if self.benchmark.goal is None or self.ratio is None:
            return None
        return self.benchmark.goal.met_by(self.ratio)

    @property
    def status(self) -> str:
        """``met``, ``MISSED`` or ``info``."""
        return {True: "met", False: "MISSED", None: "info"}[self.met]

    def as_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data, with the machine it ran on."""
        bench = self.benchmark
        goal = bench.goal
        return {
            "name": bench.name,
            "measures": bench.measures,
            "notes": bench.notes,
            "quick": self.quick,
            "finished_at": self.finished_at.isoformat(),
            "ratio_of": bench.ratio_of,
            "ratio": self.ratio,
            "ratio_of_minimums": self.ratio_of_minimums,
            "goal": None if goal is None else {"kind": goal.kind, "ratio": goal.ratio},
            "met": self.met,
            "candidate": self.candidate.as_dict(),
            "baseline": None if self.baseline is None else self.baseline.as_dict(),
            "machine": machine_info(),
        }


def machine_info() -> dict[str, Any]:
    """Return what identifies the machine and software a result was measured with."""
    import django

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "django": django.get_version(),
    }


def run_benchmark(bench: Benchmark, options: RunOptions) -> Result:
    """Measure a benchmark's candidate and baseline (interleaved) and return the result."""
    cases = [bench.candidate] if bench.baseline is None else [bench.candidate, bench.baseline]
    measurements = measure_interleaved(
        cases,
        repeats=options.repeats_for(bench),
        warmup=bench.warmup,
        number=bench.number,
        min_sample_time=options.min_sample_time,
        rows=bench.rows,
        unit=bench.unit,
        memory=bench.memory,
    )
    return Result(
        benchmark=bench,
        candidate=measurements[0],
        baseline=measurements[1] if len(measurements) > 1 else None,
        quick=options.quick,
    )


def write_json(result: Result, directory: Path = RESULTS_DIR) -> Path:
    """Write ``<directory>/<name>.json`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{result.benchmark.name}.json"
    path.write_text(json.dumps(result.as_dict(), indent=2) + "\n", encoding="utf-8")
    return path


# --- formatting and reporting -----------------------------------------------------------------


def format_seconds(seconds: float) -> str:
    """Return a duration with a readable unit: ``1.23 s``, ``45.6 ms``, ``7.89 µs``, ``120 ns``."""
    if math.isnan(seconds):
        return "–"
    seconds = float(f"{seconds:.3g}")  # round first so 0.9996 s reads "1 s", not "1e+03 ms"
    if seconds >= 100:
        return f"{seconds:.0f} s"
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_rate(rate: float, unit: str) -> str:
    """Return a rate such as ``24.3 M dates/s``."""
    rate = float(f"{rate:.3g}")
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if rate >= scale:
            return f"{rate / scale:.3g} {prefix} {unit}/s"
    return f"{rate:.3g} {unit}/s"


def format_bytes(size: int) -> str:
    """Return a size such as ``56.1 MiB``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB"):
        if value < 1024:
            return f"{value:.3g} {unit}" if unit != "B" else f"{int(value)} B"
        value /= 1024
    return f"{value:.3g} GiB"


def describe_measurement(measurement: Measurement) -> str:
    """Return one line of figures: median, min, rate, per-item cost and peak memory."""
    parts = [
        f"median {format_seconds(measurement.median)}",
        f"min {format_seconds(measurement.minimum)}",
    ]
    if measurement.rate is not None and measurement.per_row is not None:
        singular = measurement.unit.removesuffix("s")
        parts.append(format_rate(measurement.rate, measurement.unit))
        parts.append(f"{format_seconds(measurement.per_row)}/{singular}")
    if measurement.peak_memory is not None:
        kind = "peak alloc" if measurement.memory_mode == "tracemalloc" else "peak RSS"
        parts.append(f"{kind} {format_bytes(measurement.peak_memory)}")
    samples = len(measurement.samples)
    parts.append(f"[{samples}×{measurement.number} calls]")
    return "  ".join(parts)


def print_result(result: Result, stream: TextIO = sys.stdout) -> None:
    """Print one benchmark: what it measures, both sides' figures, the ratio and the goal."""
    bench = result.benchmark
    print(f"\n{bench.name}: {bench.measures}", file=stream)
    width = max(len(result.candidate.label), len(result.baseline.label) if result.baseline else 0)
    print(
        f"  candidate  {result.candidate.label:<{width}}  {describe_measurement(result.candidate)}",
        file=stream,
    )
    if result.baseline is not None:
        print(
            f"  baseline   {result.baseline.label:<{width}}  "
            f"{describe_measurement(result.baseline)}",
            file=stream,
        )
    if result.ratio is not None:
        what = "median time" if bench.ratio_of == "time" else "throughput"
        goal = f"goal {bench.goal.describe()}" if bench.goal else "no goal"
        of_minimums = result.ratio_of_minimums or math.nan
        print(
            f"  ratio      {result.ratio:.2f}× ({what}, candidate/baseline; "
            f"{of_minimums:.2f}× from minimums)  {goal}  -> {result.status}",
            file=stream,
        )
    if bench.notes:
        print(f"  note       {bench.notes}", file=stream)
    stream.flush()


def summary_rows(results: Sequence[Result]) -> list[list[str]]:
    """Return the summary table (header first) as rows of text cells."""
    rows = [["benchmark", "candidate", "baseline", "ratio", "goal", "status"]]
    for result in results:
        candidate = _headline(result.candidate)
        baseline = _headline(result.baseline) if result.baseline else "–"
        ratio = f"{result.ratio:.2f}×" if result.ratio is not None else "–"
        goal = result.benchmark.goal.describe() if result.benchmark.goal else "–"
        rows.append([result.benchmark.name, candidate, baseline, ratio, goal, result.status])
    return rows


def _headline(measurement: Measurement) -> str:
    text = format_seconds(measurement.median)
    if measurement.rate is not None:
        text += f" ({format_rate(measurement.rate, measurement.unit)})"
    return text


def print_summary(
    results: Sequence[Result], errors: Sequence[tuple[str, str]] = (), stream: TextIO = sys.stdout
) -> None:
    """Print a table of every result, then any benchmark that failed to run."""
    print_summary_rows(summary_rows(results)[1:], errors, stream)


def print_summary_rows(
    body: Sequence[Sequence[str]],
    errors: Sequence[tuple[str, str]] = (),
    stream: TextIO = sys.stdout,
) -> None:
    """Print the summary table from ready rows (results of several processes)."""
    rows = [["benchmark", "candidate", "baseline", "ratio", "goal", "status"], *map(list, body)]
    rows.extend([name, "ERROR", "", "", "", "error"] for name, _ in errors)
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    rule = "  ".join("-" * width for width in widths)
    print("\nSummary (median per call; ratio = candidate/baseline)", file=stream)
    print(rule, file=stream)
    for index, row in enumerate(rows):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)),
            file=stream,
        )
        if index == 0:
            print(rule, file=stream)
    print(rule, file=stream)
    for name, message in errors:
        print(f"{name}: {message}", file=stream)
    stream.flush()


# --- Django -----------------------------------------------------------------------------------

_django_data_dir: Path | None = None


def setup_django() -> Path:
    """Set up Django once for benchmarks: SQLite in a temporary data dir, migrated.

    Sets ``BURGERLINK_DATA_DIR`` (and ``DJANGO_SETTINGS_MODULE=burgerlink.settings``) before
    ``django.setup()``, runs ``migrate`` and removes the directory when the process exits. Calling
    it again returns the same directory. Must run before anything imports the settings.
    """
    global _django_data_dir
    if _django_data_dir is not None:
        return _django_data_dir
    data_dir = Path(tempfile.mkdtemp(prefix="burgerlink-bench-"))
    os.environ["BURGERLINK_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "burgerlink.settings"
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if Path(settings.DATABASES["default"]["NAME"]).parent != data_dir:
        raise RuntimeError(
            "Django settings were loaded before setup_django(), or DATABASE_URL is set: "
            "benchmarks only run against SQLite in their own temporary directory."
        )
    call_command("migrate", verbosity=0, interactive=False)
    atexit.register(_remove_data_dir, data_dir)
    _django_data_dir = data_dir
    return data_dir


def setup_django_postgres() -> str:
    """Set up Django once for benchmarks against PostgreSQL, in a fresh database.

    The server comes from ``BENCH_DATABASE_URL`` (default: the local server, database
    ``burgerlink_bench``); the database is dropped and created, then migrated. Must run before
    anything imports the settings, so it needs its own process (``bench/run.py`` gives every
    module one).
    """
    import psycopg

    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/burgerlink_bench"
    )
    server, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "burgerlink.settings"
    os.environ.setdefault("BURGERLINK_DATA_DIR", tempfile.mkdtemp(prefix="burgerlink-bench-"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return url


def _remove_data_dir(data_dir: Path) -> None:
    from django.db import connections

    connections.close_all()
    shutil.rmtree(data_dir, ignore_errors=True)


__all__ = [
    "print_summary_rows",
    "setup_django_postgres",
    "Benchmark",
    "Case",
    "Goal",
    "Measurement",
    "Result",
    "RunOptions",
    "calibrate",
    "measure",
    "measure_interleaved",
    "peak_memory",
    "print_result",
    "print_summary",
    "run_benchmark",
    "setup_django",
    "write_json",
]
