"""``scipy.optimize.linear_sum_assignment`` without importing all of ``scipy.optimize``.

The solver needs one compiled routine of ``scipy.optimize``, but importing that package
imports its every solver (linear programming, global optimisation, ``scipy.fft``,
``scipy.special``, ...): about two thirds of the command line's start-up. The routine's
extension module (``scipy/optimize/_lsap``) only needs numpy, so it is loaded on its own;
should a SciPy release move it, the public import is used instead (same function).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import scipy


def _load() -> Callable[..., Any]:
    folder = Path(scipy.__file__).parent / "optimize"
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"_lsap{suffix}"
        if not path.exists():
            continue
        spec = importlib.util.spec_from_file_location("scipy.optimize._lsap", path)
        if spec is None or spec.loader is None:
            break
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except ImportError:
            break
        function = getattr(module, "linear_sum_assignment", None)
        if callable(function):
            return function  # type: ignore[no-any-return]
        break
    from scipy.optimize import linear_sum_assignment

    return linear_sum_assignment  # type: ignore[no-any-return]


linear_sum_assignment = _load()
