"""``python -m maestro_taas run SCOPE``: see ``maestro_taas.cli``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
