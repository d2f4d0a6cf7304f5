"""``python -m indo_russia_data``: the same command line as ``indo-russia-data``."""

import sys

from .cli import main

sys.exit(main())
