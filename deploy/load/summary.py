"""Summarise a Locust run (its ``_stats.csv``) per kind of request: rate and percentiles.

python deploy/load/summary.py var/cluster/load/<run>_stats.csv SECONDS
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict


def main() -> None:
    """Print one line per request and per kind, and the whole mix."""
    path, seconds = sys.argv[1], float(sys.argv[2])
    with open(path, newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]
    kinds: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        kinds[row["Name"].split(" ", 1)[0]].append(row)
    print(f"{'request':<34}{'count':>8}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")  # noqa: T201

    def line(name: str, group: list[dict[str, str]]) -> None:
        count = sum(int(r["Request Count"]) for r in group)
        fails = sum(int(r["Failure Count"]) for r in group)

        # Percentiles of a group: the worst member's (an upper bound; exact per request).
        def pct(column: str) -> str:
            values = [float(r[column]) for r in group if r[column] not in ("", "N/A")]
            return f"{max(values):.0f}" if values else "-"

        print(  # noqa: T201
            f"{name:<34}{count:>8}{fails:>6}{count / seconds:>8.1f}"
            f"{pct('50%'):>7}{pct('95%'):>7}{pct('99%'):>7}"
        )

    for row in sorted(rows, key=lambda r: r["Name"]):
        line(row["Name"], [row])
    print("-- per kind (percentiles: the slowest request of the kind)")  # noqa: T201
    for kind, group in sorted(kinds.items()):
        line(kind, group)
    with open(path, newline="") as handle:
        total = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    print(  # noqa: T201
        f"{'ALL (mixed)':<34}{int(total['Request Count']):>8}{int(total['Failure Count']):>6}"
        f"{int(total['Request Count']) / seconds:>8.1f}{float(total['50%']):>7.0f}"
        f"{float(total['95%']):>7.0f}{float(total['99%']):>7.0f}"
    )


if __name__ == "__main__":
    main()
