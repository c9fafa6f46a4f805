"""`python -m ui`: start the desk."""

import sys

from ui.app import main

sys.exit(main())
