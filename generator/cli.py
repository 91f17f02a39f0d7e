"""The `portal` command: the only owner of exit codes and user-facing errors.

Exit codes: 0 success (findings are not failures), 2 a source could not be read
(one line naming the file and the reason), 1 a build in which some sources failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import records
from .errors import ReportError
from .extract import extract

EXIT_BAD_INPUT = 2


def _cmd_extract(args: argparse.Namespace) -> int:
    try:
        record = extract(Path(args.file))
    except ReportError as err:
        print(f"error: {err.path}: {err.reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = records.to_json(record) if args.format == "json" else records.to_yaml(record)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    return build(Path(args.root), strict=args.strict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal", description="政府信息公开工作年度报告 portal")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="print the record of one report")
    p.add_argument("file")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml")
    p.set_defaults(func=_cmd_extract)
    p = sub.add_parser("build", help="extract every committed source into data/reports")
    p.add_argument("--root", default=".", help="project root (holds data/sources)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any source failed")
    p.set_defaults(func=_cmd_build)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
