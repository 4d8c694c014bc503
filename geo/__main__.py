"""``python -m geo``: see :mod:`geo.cli`."""
import sys

from geo.cli import main

sys.exit(main())
