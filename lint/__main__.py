"""``python -m lint`` is ``filinglint``."""

import sys

from .cli import main

sys.exit(main())
