"""The kit's own tests: make tests/ importable (bugs/, gradcheck.py) and find the data."""
import os
import sys
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ["DLFS_LANG"] = "en"  # tests that assert English text must not follow the machine's locale

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

SHARED = HERE.parents[1] / "shared"
BOOK_WEIGHTS = SHARED / "data" / "book" / "sample_weight.npz"
if BOOK_WEIGHTS.is_file():
    os.environ.setdefault("DLFS_BOOK_WEIGHTS", str(BOOK_WEIGHTS))
if (SHARED / "data" / "mnist").is_dir():
    os.environ.setdefault("DLFS_DATA", str(SHARED / "data" / "mnist"))
