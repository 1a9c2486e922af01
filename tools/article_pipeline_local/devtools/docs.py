"""What keeps README.md and docs/ true to the code (run by ``tests/docs/test_docs.py``).

Each check is a plain function over text that returns its problems as strings, so a test can
feed it a wrong snippet and see the problem reported. The conventions they hold the pages to
are written down in docs/contributing.md:

- every fenced block names what it holds (```text, ```json, ```sh, ```console, ...);
- a ```console block is a shell session: each ``$ `` line runs, and must be cheap and safe;
  the lines after it are output that must appear in what the command prints;
- a ```sh or ```bash block is an example: never run, but like every inline code span its
  ``article-pipeline VERB --flag`` and ``make TARGET`` must exist.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROGRAM = "article-pipeline"
#: Shell words that end one command in a line (outside ``[...]``, where ``|`` means "or").
STOPS = {"|", "||", "&&", ";", ">", ">>", "2>", "&"}
#: make options that take the next word as their value.
MAKE_VALUED = {"-C", "-f", "-j", "-o", "-W", "-I"}
#: The only commands a ```console block may run inside `make test`: help texts and dry runs.
CHEAP = [
    re.compile(r"(\.venv/bin/)?article-pipeline( [a-z][a-z-]*)? (--help|-h)"),
    re.compile(r"make -n( [\w./%=-]+)+"),
]
#: Where a fence's language says "a shell command or a session": its lines are commands.
SHELL = {"sh", "bash", "shell", "console"}


@dataclass
class Fence:
    lang: str
    line: int  # 1-based line of the opening fence
    body: list[str]


@dataclass
class Snippet:
    line: int
    text: str


def doc_files(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def fences(text: str) -> tuple[list[Fence], list[str]]:
    """The fenced blocks of a page, and the problems of its fences (no language, unclosed)."""
    found: list[Fence] = []
    problems: list[str] = []
    current: Fence | None = None
    marker = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if current is None:
            match = re.match(r"(`{3,}|~{3,})\s*([^\s`]*)(.*)", stripped)
            # A backtick fence's info string holds no backtick: ```` ```sh ```` is inline code.
            if match and not (match.group(1)[0] == "`" and "`" in match.group(3)):
                marker, lang = match.group(1), match.group(2)
                if not lang:
                    problems.append(f"line {number}: a fence without a language (say ```text, ```sh, ```console, ...)")
                current = Fence(lang.lower(), number, [])
        elif stripped.startswith(marker) and not stripped.strip(marker[0]):
            found.append(current)
            current = None
        else:
            current.body.append(line)
    if current is not None:
        problems.append(f"line {current.line}: a fence that is never closed")
        found.append(current)
    return found, problems


def _prose(text: str) -> list[tuple[int, str]]:
    """The lines outside fences, numbered."""
    lines = text.splitlines()
    inside = {number for fence in fences(text)[0] for number in range(fence.line, fence.line + len(fence.body) + 2)}
    return [(number, line) for number, line in enumerate(lines, 1) if number not in inside]


def snippets(text: str) -> list[Snippet]:
    """What may name a command: each line of a shell fence (a session's ``$`` lines only,
    comments dropped) and each inline code span of the prose."""
    found: list[Snippet] = []
    for fence in fences(text)[0]:
        if fence.lang not in SHELL:
            continue
        for offset, line in enumerate(fence.body, 1):
            line = line.strip()
            if fence.lang == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            line = re.sub(r"(^|\s+)#(\s.*)?$", "", line).strip()
            if line:
                found.append(Snippet(fence.line + offset, line))
    for number, line in _prose(text):
        found += [Snippet(number, span) for span in re.findall(r"`([^`\n]+)`", line)]
    return found


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an apostrophe in prose: plain words will do
        return text.split()


def _arguments(words: list[str], start: int) -> list[str]:
    """The words after ``words[start]`` up to the end of that command."""
    found, depth = [], 0
    for word in words[start + 1:]:
        if depth == 0 and word in STOPS:
            break
        depth += word.count("[") - word.count("]")
        found.append(word)
    return found


def _flag(word: str) -> str | None:
    word = word.strip("[](),.;:")
    if re.fullmatch(r"--?[A-Za-z][\w-]*(=.*)?", word):
        return word.split("=", 1)[0]
    return None


@dataclass
class CliMention:
    line: int
    verb: str | None  # None: the program's own options (``article-pipeline --help``)
    flags: list[str]


def cli_mentions(text: str, verbs: set[str]) -> list[CliMention]:
    """Every ``article-pipeline VERB --flag`` a page names, and every inline ``VERB --flag``
    (as in "`run --concurrency template`") whose first word is one of ``verbs``."""
    found: list[CliMention] = []
    for snippet in snippets(text):
        words = _words(snippet.text)
        starts = [index for index, word in enumerate(words) if word == PROGRAM or word.endswith("/" + PROGRAM)]
        for start in starts:
            arguments = _arguments(words, start)
            if not arguments:
                continue
            if arguments[0].startswith("-"):
                found.append(CliMention(snippet.line, None, [f for f in map(_flag, arguments) if f]))
            elif re.fullmatch(r"[a-z][a-z-]*", arguments[0]):
                found.append(CliMention(snippet.line, arguments[0], [f for f in map(_flag, arguments[1:]) if f]))
        if not starts and words and words[0] in verbs:
            flags = [f for f in map(_flag, _arguments(words, 0)) if f]
            if flags:
                found.append(CliMention(snippet.line, words[0], flags))
    return found


def cli_options() -> tuple[set[str], dict[str, set[str]]]:
    """The program's own options, and each verb's, read from the real parser in this process."""
    from article_pipeline_local.cli import build_parser

    def options(parser: argparse.ArgumentParser) -> set[str]:
        return {option for action in parser._actions for option in action.option_strings}

    def verbs(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return action.choices

    top = build_parser()
    # build_parser(verb) adds only that verb's arguments (each verb imports its own module).
    return options(top), {verb: options(verbs(build_parser(verb))[verb]) for verb in verbs(top)}


def check_cli(mentions: list[CliMention], top: set[str], by_verb: dict[str, set[str]]) -> list[str]:
    problems = []
    for mention in mentions:
        if mention.verb is not None and mention.verb not in by_verb:
            problems.append(f"line {mention.line}: `{PROGRAM} {mention.verb}`: no such command")
            continue
        known = top if mention.verb is None else by_verb[mention.verb]
        command = PROGRAM if mention.verb is None else f"{PROGRAM} {mention.verb}"
        problems += [
            f"line {mention.line}: `{command}`: no option {flag}"
            for flag in mention.flags
            if flag not in known
        ]
    return problems


@dataclass
class MakeMention:
    line: int
    targets: list[str]


def make_mentions(text: str) -> list[MakeMention]:
    found = []
    for snippet in snippets(text):
        words = _words(snippet.text)
        for start in (index for index, word in enumerate(words) if word == "make"):
            targets, skip = [], False
            for word in _arguments(words, start):
                if skip:
                    skip = False
                elif word in MAKE_VALUED:
                    skip = True
                # TARGET, NAME: a placeholder in prose, not a target.
                elif not word.startswith("-") and "=" not in word and re.fullmatch(r"[\w./%-]+", word) and not word.isupper():
                    targets.append(word)
            if targets:
                found.append(MakeMention(snippet.line, targets))
    return found


def make_targets(directory: Path, makefile: str = "Makefile") -> set[str]:
    """The targets make knows in ``directory``, read from its database (``make -p``, with -q so
    no recipe runs); pattern rules keep their ``%``."""
    printed = subprocess.run(
        ["make", "-pRrq", "-f", makefile], cwd=directory, capture_output=True, text=True, timeout=60, check=False
    ).stdout
    targets: set[str] = set()
    not_a_target = False
    for line in printed.splitlines():
        if line.startswith("# Not a target"):
            not_a_target = True
            continue
        match = re.match(r"([^\s#:=][^:=]*):(?!=)", line)
        if match and not not_a_target:
            targets |= set(match.group(1).split())
        if line and not line.startswith("#"):
            not_a_target = False
    return targets


def target_exists(name: str, targets: set[str]) -> bool:
    return name in targets or any(
        "%" in target and re.fullmatch(re.escape(target).replace("%", ".+"), name) for target in targets
    )


def check_make(mentions: list[MakeMention], targets: set[str]) -> list[str]:
    return [
        f"line {mention.line}: `make {target}`: no such target in the Makefile"
        for mention in mentions
        for target in mention.targets
        if not target_exists(target, targets)
    ]


@dataclass
class Session:
    line: int
    command: str
    output: list[str]


def sessions(text: str) -> list[Session]:
    """The ``$`` lines of every ```console block, each with the output lines shown under it."""
    found: list[Session] = []
    for fence in fences(text)[0]:
        if fence.lang != "console":
            continue
        for offset, line in enumerate(fence.body, 1):
            if line.startswith("$ "):
                found.append(Session(fence.line + offset, line[2:].strip(), []))
            elif found and found[-1].line > fence.line and line.strip():
                found[-1].output.append(line.strip())
    return found


def check_sessions(found: list[Session], root: Path) -> list[str]:
    """Run each session's command in ``root``, ``.venv/bin`` first on PATH: it must be one of
    the cheap kinds, exit 0 and print every output line shown (spaces aside)."""
    problems = []
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "200"}
    for session in found:
        if not any(pattern.fullmatch(session.command) for pattern in CHEAP):
            problems.append(
                f"line {session.line}: `{session.command}` is not cheap and safe to run in make test: "
                "show it in a ```sh block (an example) instead"
            )
            continue
        done = subprocess.run(
            shlex.split(session.command), cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode:
            problems.append(f"line {session.line}: `{session.command}` exited {done.returncode}: {done.stderr.strip()[-300:]}")
            continue
        printed = " ".join(done.stdout.split())
        problems += [
            f"line {session.line}: `{session.command}` does not print: {line}"
            for line in session.output
            if line != "..." and " ".join(line.split()) not in printed  # "...": output left out
        ]
    return problems


def heading_anchors(text: str) -> set[str]:
    """The anchors of a page's headings, as mkdocs (Python-Markdown's toc) makes them."""
    from markdown.extensions.toc import slugify

    return {slugify(line.lstrip("#").strip(), "-") for _, line in _prose(text) if re.match(r"#{1,6} ", line)}


def check_links(text: str, page: Path, root: Path) -> list[str]:
    """Relative links of a page outside the site (README.md): the file exists, and so does
    the heading an anchor names in a Markdown file."""
    problems = []
    for number, line in _prose(text):
        for target in re.findall(r"\]\(([^)\s]+)\)", line):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists():
                problems.append(f"line {number}: link to {target}: no such file")
            elif anchor and linked.suffix == ".md" and anchor not in heading_anchors(linked.read_text()):
                problems.append(f"line {number}: link to {target}: no such heading in {linked.relative_to(root)}")
    return problems


def build_site(config: Path, site: Path) -> tuple[bool, str]:
    """``mkdocs build --strict``: a broken link or anchor, or a page left out of nav, fails."""
    done = subprocess.run(
        # No --quiet: it drops the warnings before --strict counts them, and a broken link passes.
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True, text=True, timeout=300, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return done.returncode == 0, done.stdout + done.stderr
