import sys

from ob3.cli import main

sys.exit(main())
