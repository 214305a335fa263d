"""The bundle's entry point: exactly what the ``newsdesk`` console script runs."""

import sys

from newsdesk.app import main

if __name__ == "__main__":
    sys.exit(main())
