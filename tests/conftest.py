import os
import sys
from pathlib import Path

# Make tests/helpers.py importable as `helpers` under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).parent))

# Child Pythons never put the current folder first on their path, so that the
# checkout (whose rules/ is not auditor/rules) cannot shadow the installed package.
os.environ["PYTHONSAFEPATH"] = "1"

# The real PDS on loopback for the Bluesky tests (started once per session, on first use).
from pds_fixture import local_pds, pds_env  # noqa: E402,F401
