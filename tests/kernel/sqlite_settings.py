"""config.settings as the embedded default (`make run`, nothing configured) sets it up, with the SQLite
database in a test's own directory (MIKROMERIT_TEST_SQLITE) instead of var/."""

import os

from config.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["MIKROMERIT_TEST_SQLITE"]  # noqa: F405
