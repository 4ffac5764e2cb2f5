"""`python -m loa` runs the `loa` command (used by `loa up` to start its own processes)."""

import sys

from loa.cli import main

sys.exit(main())
