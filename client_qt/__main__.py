"""`python -m client_qt`: launch the desktop client."""

import sys

from client_qt.app import main

sys.exit(main())
