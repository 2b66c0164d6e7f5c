"""The ``burgerlink`` command: Django's manage.py for this project."""

from __future__ import annotations

import os
import sys

from burgerlink.envconfig import default_metrics_dir

# Commands whose processes count requests and tasks for /metrics.
METRICS_COMMANDS = frozenset({"serve", "db_worker"})


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``burgerlink --help`` lists them)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "burgerlink.settings")
    args = argv if argv is not None else sys.argv
    if len(args) > 1 and args[1] in METRICS_COMMANDS:
        # Before anything imports prometheus-client: the processes of a machine share one
        # directory of metrics, which /metrics adds up (prometheus-client's multiprocess mode).
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(default_metrics_dir()))
        os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as error:
        # A setting that cannot be read: say which, without a traceback, and do not start.
        sys.exit(f"Burgerlink start niet: {error}")


if __name__ == "__main__":
    main()
