"""Every shell example in docs/api.md, run with real curl against the live server.

The format is written at the top of docs/api.md ("Writing examples on this page"): each `## ` section runs
in one bash shell, its ```sh / ```bash blocks in order; MIKROMERIT, TOKEN and ISSUER are set; by default
a block's last curl call must answer 2xx or 304 and its earlier calls below 400; `# expect: NNN` names
another status for the last call; a ```json block right after says which keys its JSON body holds.

curl is the system's own, reached through a small wrapper first on PATH that only adds `-D <file>` (so
the test knows every call's status) and keeps a copy of what curl writes to its output.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
FENCE = re.compile(r"^```\s*([\w+-]*)\s*$")
EXPECT = re.compile(r"^\s*#\s*expect:\s*(\d{3})\s*$", re.MULTILINE)
RUNNABLE = {"sh", "bash"}
SECTION_TIMEOUT_SECONDS = 120
CURL_WRAPPER = """\
#!/usr/bin/env bash
# Real curl, with the status of each call recorded for the docs test (tests/api_contract/test_docs_examples.py).
set -o pipefail
block=$(cat "$DOCS_CALLS/block")
n=1
while ! (set -o noclobber; : > "$DOCS_CALLS/$block.$n.headers") 2>/dev/null; do n=$((n + 1)); done
"$DOCS_REAL_CURL" -D "$DOCS_CALLS/$block.$n.headers" "$@" | tee "$DOCS_CALLS/$block.$n.body"
"""


@dataclass
class Block:
    line: int  # where it starts in docs/api.md
    code: str
    expect_status: int | None = None
    expect_json: Any = None


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


def doc_sections(text: str) -> list[Section]:
    """The runnable blocks of a Markdown text, by `## ` section, with what each expects."""
    sections = [Section("(before the first section)")]
    lines = text.splitlines()
    index = 0
    last_block: Block | None = None  # the sh block a ```json block may follow, with only blank lines between
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        if line.startswith("## "):
            sections.append(Section(line[3:].strip()))
            last_block = None
        elif fence:
            language, start = fence.group(1).lower(), index + 1
            index += 1
            while index < len(lines) and not lines[index].startswith("```"):
                index += 1
            body = "\n".join(lines[start:index])
            if language in RUNNABLE:
                expected = EXPECT.findall(body)
                last_block = Block(start, body, int(expected[-1]) if expected else None)
                sections[-1].blocks.append(last_block)
            elif language == "json" and last_block is not None:
                last_block.expect_json = json.loads(body)
                last_block = None
            else:
                last_block = None
        elif line.strip():
            last_block = None
        index += 1
    return [section for section in sections if section.blocks]


def section_script(section: Section) -> str:
    parts = []
    for number, block in enumerate(section.blocks):
        parts.append(
            f'printf {number} > "$DOCS_CALLS/block"; echo "@@@begin {number}"; echo "@@@begin {number}" >&2\n'
            f"{block.code}\n"
            # A newline first: an answer without one would otherwise carry the marker on its last line.
            f'__status=$?; printf "\\n@@@end {number} %s\\n" $__status; printf "\\n@@@end {number}\\n" >&2\n'
        )
    return "\n".join(parts)


def _between(output: str, number: int) -> str:
    match = re.search(rf"@@@begin {number}\n(.*?)(?:\n@@@end {number}|\Z)", output, re.DOTALL)
    return match.group(1) if match else ""


def _calls(calls_dir: Path, number: int) -> list[tuple[int, bytes]]:
    """(status, output) of each curl call the block made, in order."""
    found = []
    n = 1
    while (calls_dir / f"{number}.{n}.headers").exists():
        headers = (calls_dir / f"{number}.{n}.headers").read_text("latin-1")
        statuses = re.findall(r"^HTTP/[\d.]+ (\d{3})", headers, re.MULTILINE)
        body = calls_dir / f"{number}.{n}.body"
        found.append((int(statuses[-1]) if statuses else 0, body.read_bytes() if body.exists() else b""))
        n += 1
    return found


def _without_headers(output: bytes) -> bytes:
    """What `curl -i` wrote, without the header blocks before the body."""
    while output.startswith(b"HTTP/"):
        head, _blank, output = output.replace(b"\r\n", b"\n").partition(b"\n\n")
    return output


def missing_keys(expected: Any, actual: Any, path: str = "") -> list[str]:
    """The keys (as paths) the expected JSON names that the actual answer lacks; values are not compared."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '(body)'} is not an object"]
        found = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{path}.{key}" if path else key)
            else:
                found += missing_keys(value, actual[key], f"{path}.{key}" if path else key)
        return found
    if isinstance(expected, list) and expected:
        if not isinstance(actual, list) or not actual:
            return [f"{path or '(body)'} is not a non-empty list"]
        return missing_keys(expected[0], actual[0], f"{path}[0]")
    return []


def block_problems(block: Block, calls: list[tuple[int, bytes]], ended: str | None) -> list[str]:
    if ended is None:
        return ["the shell stopped in this block (a syntax error, or `exit`)"]
    problems = [] if ended == "0" else [f"the block's last command exited {ended}"]
    if not calls:
        if block.expect_status or block.expect_json is not None:
            return [*problems, "it expects an answer but made no curl call"]
        return problems
    statuses = [status for status, _output in calls]
    problems += [f"an earlier call answered {status}" for status in statuses[:-1] if not 0 < status < 400]
    last_status, last_output = calls[-1]
    if block.expect_status is not None:
        if last_status != block.expect_status:
            problems.append(f"the last call answered {last_status}, the block expects {block.expect_status}")
    elif not (200 <= last_status < 300 or last_status == 304):
        problems.append(f"the last call answered {last_status} (write `# expect: {last_status}` if that is meant)")
    if block.expect_json is not None:
        try:
            answer = json.loads(_without_headers(last_output))
        except ValueError:
            return [*problems, "the json block after it expects a JSON body; curl's output is not JSON"]
        problems += [f"the answer lacks `{key}`" for key in missing_keys(block.expect_json, answer)]
    return problems


def run_section(section: Section, env: dict[str, str], workdir: Path) -> list[str]:
    """Run a section's blocks in one bash shell; one failure report per failing block."""
    calls_dir = workdir / "calls"
    calls_dir.mkdir()
    process = subprocess.run(
        ["bash", "--noprofile", "--norc"], input=section_script(section), capture_output=True, text=True,
        env={**env, "DOCS_CALLS": str(calls_dir)}, cwd=workdir, timeout=SECTION_TIMEOUT_SECONDS, check=False,
    )
    failures = []
    for number, block in enumerate(section.blocks):
        ended = re.search(rf"^@@@end {number} (\d+)$", process.stdout, re.MULTILINE)
        calls = _calls(calls_dir, number)
        problems = block_problems(block, calls, ended.group(1) if ended else None)
        if problems:
            failures.append(
                f"docs/api.md line {block.line}, section “{section.title}”:\n"
                + "".join(f"  - {problem}\n" for problem in problems)
                + f"  statuses: {[status for status, _ in calls]}\n"
                + "  block:\n" + "".join(f"    | {line}\n" for line in block.code.splitlines())
                + f"  output:\n{_between(process.stdout, number)[-3000:]}"
                + f"  errors:\n{_between(process.stderr, number)[-3000:]}"
            )
        if ended is None:
            break  # the shell stopped here: later blocks never ran
    return failures


@pytest.fixture
def shell_env(platform, tmp_path) -> dict[str, str]:
    real_curl = shutil.which("curl")
    if real_curl is None:
        pytest.fail("the docs' examples need curl (apt-get install curl)", pytrace=False)
    wrapper_dir = tmp_path / "bin"
    wrapper_dir.mkdir()
    wrapper = wrapper_dir / "curl"
    wrapper.write_text(CURL_WRAPPER, "utf-8")
    wrapper.chmod(0o755)
    return {
        "PATH": f"{wrapper_dir}:/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
        "DOCS_REAL_CURL": real_curl, "MIKROMERIT": platform.url, "TOKEN": platform.token,
        "ISSUER": platform.issuer_slug,
    }


SECTIONS = doc_sections(DOC.read_text("utf-8"))


@pytest.mark.parametrize("section", SECTIONS, ids=[section.title for section in SECTIONS])
def test_the_examples_of_each_section_run(section, shell_env, tmp_path):
    failures = run_section(section, shell_env, tmp_path)
    assert not failures, "\n".join(failures)


def test_every_example_answers_as_written_and_a_wrong_expectation_fails(shell_env, tmp_path):
    """The harness itself: the page has examples, and a block whose answer differs from what it says fails."""
    assert sum(len(section.blocks) for section in SECTIONS) >= 10
    wrong = doc_sections(
        "## Wrong\n```sh\n# expect: 404\n"
        'curl -s "$MIKROMERIT/api/v1/issuers/$ISSUER/" -H "Authorization: Bearer $TOKEN"\n```\n\n'
        '```json\n{"no_such_key": 1, "slug": "x"}\n```\n'
        '```sh\ncurl -s "$MIKROMERIT/api/v1/issuers/$ISSUER/members/"\n```\n'
    )
    failures = run_section(wrong[0], shell_env, tmp_path)
    assert len(failures) == 2
    assert "the last call answered 200, the block expects 404" in failures[0]
    assert "the answer lacks `no_such_key`" in failures[0] and "lacks `slug`" not in failures[0]
    assert "the last call answered 401" in failures[1]
