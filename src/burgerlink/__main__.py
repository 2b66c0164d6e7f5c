"""Allow ``python -m burgerlink``."""

from burgerlink.cli import main

main()
