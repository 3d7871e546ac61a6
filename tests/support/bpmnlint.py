"""Run bpmnlint (npm, pinned in package.json) on a BPMN file with the project's `.bpmnlintrc`.

`scripts/setup.sh --test` installs it with `npm ci`. The CLI exits non-zero when a file has
errors (warnings alone pass); `.bpmnlintrc` extends `bpmnlint:recommended` and raises the rules
the issue names — overlapping shapes, implicit joins — to errors.
Also usable by hand: `python -m tests.support.bpmnlint bpmn/*.bpmn`.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from workflows.core.config import PROJECT_ROOT

CLI = PROJECT_ROOT / "node_modules" / "bpmnlint" / "bin" / "bpmnlint.js"
CONFIG = PROJECT_ROOT / ".bpmnlintrc"
TIMEOUT = 60  # seconds for one file


class LinterMissing(RuntimeError):
    """node or the npm package is missing: run `bash scripts/setup.sh --test` (it runs `npm ci`)."""


@dataclass(frozen=True)
class LintResult:
    path: Path
    ok: bool
    output: str


def node_path() -> str | None:
    return shutil.which("node")


def lint(path: Path) -> LintResult:
    """bpmnlint's verdict on one file: ok when it reports no error."""
    node = node_path()
    if node is None:
        raise LinterMissing("node is not installed; run `bash scripts/setup.sh --test`")
    if not CLI.exists():
        raise LinterMissing(f"bpmnlint is not installed ({CLI} missing); run `npm ci` "
                            "(or `bash scripts/setup.sh --test`)")
    done = subprocess.run([node, str(CLI), "--config", str(CONFIG), str(path)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)
    return LintResult(Path(path), done.returncode == 0, (done.stdout + done.stderr).strip())


def main(paths: list[str]) -> int:
    failed = 0
    for name in paths:
        result = lint(Path(name))
        print(f"{'ok  ' if result.ok else 'FAIL'} {name}")
        if result.output:
            print(result.output)
        failed += not result.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or sorted(str(p) for p in (PROJECT_ROOT / "bpmn").glob("*.bpmn"))))
