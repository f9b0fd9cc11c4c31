"""Write docs/cli.md from the real `--help` of every command (run by `make docs`)."""

from __future__ import annotations

import click

from coeval.cli.main import main

HEADER = """\
# Command reference

This page is generated from `coeval --help` by `make docs`; a test fails if it falls out of
step. Every command takes the global options `--workbook DIR` (or `COEVAL_WORKBOOK`) and
`--db URL` (or `COEVAL_DB`) before the command name. Errors are printed as one line starting
`coeval:` that names the file, row, column or option and the fix, and the exit status is 1
(2 for a mistyped command or option).
"""


def _walk(command: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name in command.list_commands(click.Context(command)):
            sub = command.get_command(click.Context(command), name)
            if sub is not None:
                found += _walk(sub, [*path, name])
    return found


def render() -> str:
    parts = [HEADER]
    for path, command in _walk(main, ["coeval"]):
        with click.Context(
            command,
            info_name=" ".join(path),
            help_option_names=["-h", "--help"],
            terminal_width=88,
        ) as ctx:
            text = command.get_help(ctx)
        level = "##" if len(path) <= 2 else "###"
        parts.append(f"{level} `{' '.join(path)}`\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
