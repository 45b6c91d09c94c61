"""The solver's assignment routine is SciPy's, loaded without all of ``scipy.optimize``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment as public

from matching.lsap import linear_sum_assignment


def test_same_answers_as_scipy_optimize() -> None:
    rng = np.random.default_rng(3)
    for shape in [(1, 1), (5, 5), (7, 12), (30, 20)]:
        cost = rng.integers(0, 9, size=shape).astype(np.float64)
        for got, expected in zip(linear_sum_assignment(cost), public(cost), strict=True):
            assert np.array_equal(got, expected)


def test_the_command_line_does_not_import_scipy_optimize() -> None:
    code = "import sys, matching.__main__; print('scipy.optimize' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
