"""``python -m indo_russia_data.cli``: the command line."""

import sys

from . import main

sys.exit(main())
