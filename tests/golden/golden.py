"""Shared machinery for polc's golden and end-to-end test scripts (python3, stdlib only).

A golden test runs polc, compares what it printed with a committed expected file, and shows a
unified diff when they differ. Expected files change only when the environment variable
POLC_BLESS=1 is set: a run without it never writes anything, so a changed message cannot slip
into the goldens unreviewed.

New suites (IR dumps, generated outputs, ...) build on `Suite`, `run` and `Golden` here; see
run_diagnostics.py for the pattern.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# tests/golden/golden.py -> the source root. Cases name files relative to it, so outputs hold
# the same repo-relative paths on every machine.
REPO_ROOT = Path(__file__).resolve().parent.parent.parent

# Environment variables that would change polc's output if a developer happened to export them.
_SCRUBBED_ENV_PREFIXES = ("POLC_",)
# The locale picks the language of polc's diagnostics (docs/diagnostics.md, "Languages"): without
# it, a checkout on a Japanese desktop would read English goldens in Japanese.
_SCRUBBED_ENV = {"NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "LC_ALL", "LC_MESSAGES", "LANG"}


def bless_requested() -> bool:
    """True only when the caller asked, explicitly, for expected files to be rewritten."""
    return os.environ.get("POLC_BLESS") == "1"


def clean_env(**overrides: str) -> dict[str, str]:
    """The environment polc runs in: the caller's, minus variables that steer polc's output."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _SCRUBBED_ENV and not k.startswith(_SCRUBBED_ENV_PREFIXES)
    }
    env.update(overrides)
    return env


@dataclass
class Result:
    args: list[str]
    returncode: int
    stdout: bytes
    stderr: bytes

    def crashed(self) -> bool:
        """A signal (negative code) or a shell-style 128+N code means polc died, not failed."""
        return self.returncode < 0 or self.returncode >= 128

    def internal_error(self) -> bool:
        return b"internal error" in self.stderr or b"fatal error: out of memory" in self.stderr


def run(args: list[str], *, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None,
        timeout: float = 120, stdin: bytes | None = None) -> Result:
    proc = subprocess.run(args, cwd=cwd, env=env if env is not None else clean_env(),
                          input=stdin if stdin is not None else b"", capture_output=True,
                          timeout=timeout)
    return Result(args, proc.returncode, proc.stdout, proc.stderr)


def show(data: bytes) -> str:
    """Bytes as text for messages and diffs; invalid UTF-8 stays visible as escapes."""
    return data.decode("utf-8", errors="backslashreplace")


def unified_diff(expected: bytes, actual: bytes, path: Path) -> str:
    diff = difflib.unified_diff(
        show(expected).splitlines(keepends=True),
        show(actual).splitlines(keepends=True),
        fromfile=f"{path} (expected)",
        tofile=f"{path} (actual)",
    )
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in diff)
    return text or "(the files differ only in bytes that do not show in a line diff)\n"


class Golden:
    """Compares output with one expected file, or (when blessing) rewrites that file."""

    def __init__(self, path: Path, bless: bool):
        self.path = path
        self.bless = bless

    def check(self, actual: bytes) -> str | None:
        """None when the output matches (or was blessed); otherwise a message with a diff."""
        rel = self.path.relative_to(REPO_ROOT) if self.path.is_relative_to(REPO_ROOT) else self.path
        if self.bless:
            if not self.path.exists() or self.path.read_bytes() != actual:
                self.path.write_bytes(actual)
                print(f"  blessed {rel}")
            return None
        if not self.path.exists():
            return f"missing expected file {rel} (run with POLC_BLESS=1 to create it)\n"
        expected = self.path.read_bytes()
        if expected == actual:
            return None
        return f"{rel} differs:\n" + unified_diff(expected, actual, rel)


class Suite:
    """Counts named checks and prints the `N passed, M failed` line the CI log is read for."""

    def __init__(self, name: str):
        self.name = name
        self.passed = 0
        self.failed: list[str] = []

    def record(self, test: str, problems: list[str]) -> None:
        if problems:
            self.failed.append(test)
            print(f"FAIL {test}")
            for p in problems:
                for line in p.rstrip("\n").splitlines():
                    print(f"    {line}")
        else:
            self.passed += 1
            print(f"ok   {test}")
        sys.stdout.flush()

    def finish(self) -> int:
        if self.failed:
            print(f"\n{self.name}: failed: " + ", ".join(self.failed))
        print(f"{self.passed} passed, {len(self.failed)} failed")
        return 1 if self.failed else 0


def polc_binary(argv: list[str], usage: str) -> Path:
    if len(argv) < 2:
        sys.exit(f"usage: {usage}")
    polc = Path(argv[1]).resolve()
    if not polc.is_file() or not os.access(polc, os.X_OK):
        sys.exit(f"error: '{argv[1]}' is not an executable polc binary")
    return polc
