"""The `portal` command: the only owner of exit codes and user-facing errors.

Exit codes: 0 success (findings are not failures), 2 a source could not be read
(one line naming the file and the reason), 1 a build in which some sources failed.
The maintainers' commands (add, check, summary, serve) keep to the same codes: 2 for
a file the portal cannot use (source, agencies.yaml, corrections file), 1 for a
refusal (`add` of a duplicate) or a check that found something to mend.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import records
from .errors import PortalError, RefusedError, ReportError
from .extract.bounded import extract_bounded

if TYPE_CHECKING:
    from .build import ExtractResult

EXIT_BAD_INPUT = 2
EXIT_REFUSED = 1
JOBS = os.cpu_count() or 1  # sources read at once, by default
_ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")  # `portal add` of an address, not a file


def _quoted(name: str) -> str:
    """A file name as one line: one holding a line break or other control character
    is shown quoted, with the character escaped."""
    return repr(name) if any(ord(ch) < 32 or ord(ch) == 127 for ch in name) else name


def _shown(path: Path) -> str:
    """A file name as printed: quoted with escapes when it holds a newline or another
    unprintable character, so that a message stays one line."""
    name = path.as_posix()
    return name if name.isprintable() else repr(name)


def _error(err: PortalError) -> int:
    """One line naming the file and the reason; the exit code its kind deserves."""
    label = "refused" if isinstance(err, RefusedError) else "error"
    print(f"{label}: {_quoted(err.where)}: {err.reason}", file=sys.stderr)
    return EXIT_REFUSED if isinstance(err, RefusedError) else EXIT_BAD_INPUT


def _cmd_add(args: argparse.Namespace) -> int:
    from .commands.add import add_source
    from .commands.fetch import add_url
    from .commands.summary import record_markdown

    code = 0
    for file in args.files:
        try:
            if _ADDRESS.match(file):
                added = add_url(Path(args.root), file, replace=args.replace, dry_run=args.dry_run)
            else:
                added = add_source(Path(args.root), Path(file), replace=args.replace, dry_run=args.dry_run)
        except PortalError as err:
            code = max(code, _error(err))
            continue
        verb = "would add" if args.dry_run else "added"
        print(f"{verb} {added.source}" + (f" (replacing {', '.join(added.replaced)})" if added.replaced else ""))
        print(record_markdown(added.record, added.agency))
        for warning in added.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return code


def _cmd_check(args: argparse.Namespace) -> int:
    from .commands.check import check
    from .commands.summary import check_markdown, check_text

    try:
        result = check(Path(args.root))
    except PortalError as err:
        return _error(err)
    sys.stdout.write(check_markdown(result) if args.format == "markdown" else check_text(result))
    return 1 if result.errors or (args.strict and result.failures) else 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from .commands.summary import changed_sources, changes_markdown, preview

    try:
        if args.since:
            changes = changed_sources(Path(args.root), args.since)
            sources, removed = changes.sources + list(args.files), changes.removed
        else:
            sources, removed = list(args.files), []
        items = preview(Path(args.root), sources)
    except PortalError as err:
        return _error(err)
    sys.stdout.write(changes_markdown(items, removed))
    failed = [item.failure for item in items if item.failure is not None]
    for where, reason in failed:
        print(f"error: {where}: {reason}", file=sys.stderr)
    return EXIT_BAD_INPUT if failed else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    """Build, then preview: a build that failed says why, and a half-built site is not served."""
    from .commands.serve import serve, site_config

    try:
        site_config(Path(args.root))
    except PortalError as err:
        return _error(err)
    built = _cmd_build(argparse.Namespace(root=args.root, strict=False, no_site=False, jobs=JOBS, shard=None))
    if built != 0:
        return built
    try:
        return serve(Path(args.root), args.dev_addr)
    except PortalError as err:
        return _error(err)


def _cmd_extract(args: argparse.Namespace) -> int:
    """One file: print its record. No file: bring data/reports up to date, for the
    sources of --part K/N only when given (a CI matrix job, or one of several machines)."""
    from .check import report_findings

    if args.file is None:
        return _extract_all(args)
    if args.part:
        print("error: --part splits data/sources; give it without a file", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        record = extract_bounded(Path(args.file))
    except ReportError as err:
        return _error(err)
    record["findings"] = report_findings(record)  # printed for the reader; never stored in a record
    out = records.to_json(record) if args.format == "json" else records.to_yaml(record)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def _part(text: str) -> tuple[int, int]:
    """'K/N' as (K, N), 1 <= K <= N."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N with 1 <= K <= N (e.g. 2/8)")
    return int(k), int(n)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of sources to read at once (1 or more)")
    return int(text)


def _extract_all(args: argparse.Namespace) -> int:
    from .build import extract_phase

    start = time.perf_counter()
    root = Path(args.root)
    ex = extract_phase(root, part=args.part, jobs=args.jobs)
    _print_extracted(ex, time.perf_counter() - start, args.part)
    if args.out:
        _hand_on(root, ex, Path(args.out), args.part)
    return 1 if ex.broken else 0


def _hand_on(root: Path, ex: ExtractResult, out: Path, part: tuple[int, int] | None) -> None:
    """Copy the records this run wrote into `out`, with a list of the sources it covered:
    what a CI job uploads for the job that builds the site (the other records are the
    committed ones, already up to date)."""
    out.mkdir(parents=True, exist_ok=True)
    for rel in ex.parsed:
        name = f"{Path(rel).stem}.yaml"
        (out / name).write_bytes((root / "data" / "reports" / name).read_bytes())
    label = f"part-{part[0]}-of-{part[1]}" if part else "all"
    lines = [f"{rel}\t{'parsed' if rel in ex.parsed else 'unchanged'}" for rel in ex.records]
    lines += [f"{rel}\tfailed: {why}" for rel, why in ex.failures.items()]
    (out / f"{label}.txt").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def _print_extracted(ex: ExtractResult, seconds: float, part: tuple[int, int] | None = None) -> None:
    which = f"part {part[0]}/{part[1]}: " if part else ""
    print(f"extract: {which}{len(ex.records)} records ({len(ex.parsed)} parsed, {len(ex.records) - len(ex.parsed)} "
          f"unchanged), {len(ex.failures)} failed, {len(ex.broken)} broken ({seconds:.1f} s)")
    for name, reason in {**ex.broken, **ex.failures}.items():
        print(f"error: {_quoted(name)}: {reason}", file=sys.stderr)


def _cmd_shards(args: argparse.Namespace) -> int:
    from .commands.shards import github_output, shard_list

    try:
        if args.format == "github":
            print(github_output(Path(args.root)))
        else:
            for shard in shard_list(Path(args.root)):
                print("\t".join(shard.values()))
    except PortalError as err:
        return _error(err)
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    from .commands.shards import national_index

    try:
        page, placed = national_index(Path(args.root), Path(args.out), Path(args.gather) if args.gather else None)
    except PortalError as err:
        return _error(err)
    print(f"index: {page.as_posix()}" + (f"; shards placed: {', '.join(placed)}" if placed else ""))
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    """Exit 0 when the site was built from every source; 1 when a committed record is
    broken or mkdocs failed (the site is built from the rest all the same, and the
    publish workflow keeps the last good site), or with --strict when a source
    could not be read."""
    from .build import build

    try:
        done = build(Path(args.root), site=not args.no_site, jobs=args.jobs, shard=args.shard)
    except PortalError as err:  # a shard of a region no agency is in
        return _error(err)
    ex = done.extracted
    _print_extracted(ex, done.seconds["extract"])
    if done.collection is not None:
        for problem in done.collection.problems:
            print(f"warning: {problem}", file=sys.stderr)
        with_findings = sum(1 for r in done.collection.reports if r.findings)
        print(f"check: {done.findings} findings in {with_findings} of {len(done.collection.reports)} reports")
    for note in done.site_notes:
        print(f"site: {note}", file=sys.stderr)
    if done.site_error:
        print(f"error: {done.site_error}", file=sys.stderr)
        return 1
    if done.collection is not None:
        times = ", ".join(f"{k} {v:.1f} s" for k, v in done.seconds.items())
        print(f"site: {done.pages} pages in {(Path(args.root) / 'site').as_posix()} ({times})")
    if ex.broken:
        return 1
    return 1 if args.strict and ex.failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal", description="政府信息公开工作年度报告 portal")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="print the record of one report; without a file, bring data/reports "
                                          "up to date (no pages, no site)")
    p.add_argument("file", nargs="?")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml")
    p.add_argument("--part", type=_part, metavar="K/N", help="only the K-th of N parts of data/sources (split by "
                                                              "a hash of each file name)")
    p.add_argument("--jobs", type=_jobs, default=JOBS, help=f"sources read at once (default {JOBS}: every core)")
    p.add_argument("--out", metavar="DIR", help="also copy the records written into DIR, with a list of the "
                                                 "sources covered (for a CI job to hand on)")
    p.add_argument("--root", default=".", help="project root (holds data/sources)")
    p.set_defaults(func=_cmd_extract)
    p = sub.add_parser("build", help="build the portal: extract changed sources, check, write pages, mkdocs → site/")
    p.add_argument("--root", default=".", help="project root (holds data/sources and mkdocs.yml)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any source failed")
    p.add_argument("--no-site", action="store_true", help="only bring data/reports up to date (no pages, no mkdocs)")
    p.add_argument("--jobs", type=_jobs, default=JOBS, help=f"sources read at once (default {JOBS}: every core)")
    p.add_argument("--shard", metavar="REGION", help="build the site of one region of data/agencies.yaml only")
    p.set_defaults(func=_cmd_build)
    p = sub.add_parser("shards", help="list the shards mkdocs.yml names (extra.shards)")
    p.add_argument("--format", choices=("text", "github"), default="text",
                   help="github: one line for $GITHUB_OUTPUT, shards=[regions as JSON]")
    p.add_argument("--root", default=".", help="project root (holds mkdocs.yml)")
    p.set_defaults(func=_cmd_shards)
    p = sub.add_parser("index", help="write the national index of the shards (and gather built shard sites)")
    p.add_argument("--out", default="site", metavar="DIR", help="where index.html goes (default site)")
    p.add_argument("--gather", metavar="DIR", help="shard sites built apart (each holds shard.json), moved into DIR")
    p.add_argument("--root", default=".", help="project root (holds data/ and mkdocs.yml)")
    p.set_defaults(func=_cmd_index)
    p = sub.add_parser("add", help="add reports (files, or http(s) addresses of report pages) to data/sources "
                                   "under stable names and print their records")
    p.add_argument("files", nargs="+", metavar="FILE|URL")
    p.add_argument("--replace", action="store_true", help="replace this agency's report of the same year")
    p.add_argument("--dry-run", action="store_true", help="check and print, write nothing")
    p.add_argument("--root", default=".", help="project root (holds data/sources)")
    p.set_defaults(func=_cmd_add)
    p = sub.add_parser("check", help="check every record, correction and agency, and continuity across years")
    p.add_argument("--strict", action="store_true", help="exit 1 when any source failed")
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.add_argument("--root", default=".", help="project root (holds data/sources)")
    p.set_defaults(func=_cmd_check)
    p = sub.add_parser("summary", help="Markdown of what changed sources will publish (for a review)")
    p.add_argument("files", nargs="*", metavar="FILE", help="committed sources, relative to the root")
    p.add_argument("--since", metavar="REF", help="the sources changed between REF and HEAD (git)")
    p.add_argument("--root", default=".", help="project root (holds data/sources)")
    p.set_defaults(func=_cmd_summary)
    p = sub.add_parser("serve", help="build, then preview the built site as published")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    p.add_argument("--root", default=".", help="project root (holds data/sources and mkdocs.yml)")
    p.set_defaults(func=_cmd_serve)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
