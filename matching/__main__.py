"""Command line: ``python -m matching solve INPUT.json [-o OUTPUT.json]``.

Exit status 0 on success, 2 on invalid input (message on stderr naming the record; no
output file is created).
"""

from __future__ import annotations

import gc

if __name__ == "__main__":
    # One solve, then the process ends: the parsed document and the arrays are hundreds of
    # thousands of small objects without reference cycles, which the cyclic collector would
    # walk again and again for nothing (about 0.1 s of a 10,000 x 10,000 solve).
    gc.disable()

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Sequence  # noqa: E402

import orjson  # noqa: E402

from matching.api import solve_encoded  # noqa: E402
from matching.engine import DEFAULT_TOLERANCE  # noqa: E402
from matching.io import InputError, parse_encoded  # noqa: E402


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching",
                                     description="Hulppunt request/volunteer matching.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("solve", help="match requests to volunteers (JSON in, JSON out)")
    run.add_argument("input", help="input JSON file ('-' = stdin)")
    run.add_argument("-o", "--output", help="output JSON file (default: stdout)")
    run.add_argument("--exact", action="store_true",
                     help="repair until the cost is certified optimal (default: certified "
                          "within 0.1%% of the optimum; see stats.gap_bound)")
    return parser


def _write_atomic(path: str, data: bytes) -> None:
    # Write next to the target and rename, so a reader never sees a half-written file.
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".matching-", suffix=".json")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.input == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.input, "rb") as fh:
                data = fh.read()
        encoded = parse_encoded(data)
        tolerance = 0.0 if args.exact else DEFAULT_TOLERANCE
        result = solve_encoded(encoded, tolerance=tolerance)
    except (OSError, InputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    if args.output:
        _write_atomic(args.output, out)
    else:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
