"""Input that once stalled coeval, measured against floors from the same run.

- **Redaction** of hostile text (one long word, dotted runs, names and digits), 50,000 and
  500,000 characters. Floor: one linear pass of a simple regular expression (``\\w+``) over the
  same text. ``redact_growth`` is the time for ten times the text over the time for the text:
  about 10 means redaction is linear (it was quadratic: 50,000 characters took 47 s).
- **A 10,000-item framework** read by ``load_frameworks`` (parse, check against the schema,
  build). Floor: libyaml alone parsing the same file into Python objects (``yaml.load`` with
  ``CSafeLoader``), the least any reading must do. It took about 30 s when each file was
  parsed twice in pure Python.

The last line is ``name=value`` figures.

Run: python benchmarks/safety.py [--repeat R]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import yaml
from timing import best_of  # benchmarks/timing.py, beside this script

from coeval.disclosure import redact
from coeval.frameworks import load_frameworks

NAMES = ["Jean Bloggs", "Raj Patel", "Ann-Marie Okafor"]
REDACT_TARGET = 50.0  # time / floor: five kinds of detail, each within 10 trivial passes
FRAMEWORK_TARGET = 10.0


def hostile(length: int) -> str:
    """Text built to make a careless pattern backtrack: runs of letters without an @, dotted
    runs, hyphenated runs, digits with spaces, and listed first names without surnames."""
    pieces = ["a" * 2000, "a." * 1000, "a-" * 1000, "0 " * 1000, "Jean " * 400, "x@" * 500]
    text = " ".join(pieces)
    return (text * (length // len(text) + 1))[:length]


def framework_file(folder: Path, items: int) -> Path:
    lines = [
        "id: big-framework",
        "title: A very large framework",
        'version: "1"',
        "source: https://example.org/big",
        "sections:",
    ]
    per_section = 100
    for s in range(items // per_section):
        lines += [f"  - id: section-{s}", f"    title: Section {s}", "    items:"]
        for i in range(per_section):
            lines += [
                f"      - id: item-{s}-{i}",
                "        kind: principle",
                f"        title: Item {s}-{i}",
                f"        question: How well do we do item {s}-{i}?",
                "        help: A plain-language help text for this item, one sentence long.",
                "        status: confirmed",
            ]
    path = folder / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # as coeval.cli.main.run
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chars", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    word = re.compile(r"\w+")

    small, large = hostile(args.chars), hostile(args.chars * 10)
    floor = best_of(args.repeat, lambda: word.findall(small))
    took = best_of(args.repeat, lambda: redact(small, NAMES))
    took_large = best_of(args.repeat, lambda: redact(large, NAMES))
    growth = took_large / took
    print(f"redaction of {len(small):,} hostile characters: {took:.3f} s (floor {floor:.4f} s)")
    print(f"redaction of {len(large):,} hostile characters: {took_large:.3f} s")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = framework_file(folder, args.items)
        text = path.read_text(encoding="utf-8")
        parse_floor = best_of(args.repeat, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
        load_frameworks(None)  # the shipped frameworks and the schema checker, as any command
        loaded = best_of(1, lambda: load_frameworks(folder))  # once: later loads are cached
        again = best_of(args.repeat, lambda: load_frameworks(folder))
    print(
        f"framework of {args.items:,} items ({len(text) / 1e6:.1f} MB): read and checked in "
        f"{loaded:.2f} s (floor, libyaml alone: {parse_floor:.2f} s); again in the same "
        f"process {again * 1000:.1f} ms"
    )
    print(
        f"redact_s={took:.3f} redact_ratio={took / floor:.1f} redact_growth={growth:.1f} "
        f"redact_target={REDACT_TARGET:.0f} framework_s={loaded:.2f} "
        f"framework_ratio={loaded / parse_floor:.2f} framework_target={FRAMEWORK_TARGET:.0f}"
    )


if __name__ == "__main__":
    main()
