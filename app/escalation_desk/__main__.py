"""Entry point for ``python -m escalation_desk``."""

import sys

from escalation_desk.cli import main

sys.exit(main())
