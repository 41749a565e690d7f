import sys

from reflow.cli import main

sys.exit(main())
