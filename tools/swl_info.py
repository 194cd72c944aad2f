#!/usr/bin/env python3
"""Print a summary of a .swl file and check its layout (swiftlet_tools/swl/info.py).

  python tools/swl_info.py FILE.swl [--json] [--nodes] [--tensors]
"""
import sys

from swiftlet_tools.swl.info import main

sys.exit(main())
