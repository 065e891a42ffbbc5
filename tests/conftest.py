import sys
from pathlib import Path

# Make tests/helpers.py importable as `helpers` under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).parent))
