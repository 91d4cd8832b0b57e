"""Start gdviz: ``python main.py --help``."""

import sys

from gdviz.cli import main

if __name__ == "__main__":
    sys.exit(main())
