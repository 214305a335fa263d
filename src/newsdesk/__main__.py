"""Run Newsdesk with ``python -m newsdesk``."""

from newsdesk.app import main

raise SystemExit(main())
