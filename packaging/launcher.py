"""Entry script for the frozen app: the same start-up as ``python -m escalation_desk``."""

import sys

from escalation_desk.cli import main

# A file outside the package, so that PyInstaller does not put app/escalation_desk itself on
# the module search path (where paths.py or cli.py would also import as top-level modules).
if __name__ == "__main__":
    sys.exit(main())
