import sys

from iepimp.cli import main

sys.exit(main())
