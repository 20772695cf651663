"""`python -m bench` from the project folder (see bench/run.py)."""

from .run import main

raise SystemExit(main())
