"""Hostile inputs: shapes of text that once hung a stage or blew its memory, at any size.

A :class:`Shape` is a format and a motif; :meth:`Shape.build` repeats the motif to a size
(or nests it that deep), so the same shape can be timed at n and 4n. The fuzz tests draw
shapes from these atoms; ``article-pipeline hostile`` runs the known bad ones (the issue's
table and any the fuzzer saved) through the whole local chain, one process each, and
prints time, outcome and peak memory.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

FORMATS = ("txt", "md", "html", "json")

#: Pieces a motif is made of: symbols the tokenizer strips one at a time, markup that
#: nests or never closes, and the words the rules look for (numbers, dates, names,
#: captions, boilerplate) in quantities no article has.
ATOMS = (
    "$", "[", "]", "*", "**", "_", "`", "(", ")", "'", "\"", "#", "-", "=", ">", "|", "\\", "!", ".", ",",
    "<div>", "</div>", "<p>", "<b>", "<!--", "{", "}", ":", "é", "\u00a0", "🙂",
    " ", "\n", "\n\n", "\t",
    "a", "1", "12,345", "3.5%", "$5m", "£950 million", "1/2", "10 to 20", "between 6 and 7",
    "On Monday, January 5, 2015", "last week", "2015", "1990s", "first",
    "Image by", "by", "Photo: Reuters", "(AP Photo/Jane Doe)", "[Image by Jane Doe]", "Image copyright",
    "John Smith", "New", "New York", "United States", "UNITED STATES", "Mr.", "LONDON (Reuters) -",
    "Share this", "More from BBC", "Advertisement", "By Jane Doe",
    "one hundred and", "twenty-five", "half", "billion", "per cent", "to", "and", "of",
)

#: Openers and closers for nesting, by format.
NESTS = {
    "txt": [("(", ")"), ("\"", "\""), ("[", "]")],
    "md": [("> ", ""), ("* ", ""), ("[", "](x)"), ("**", "**"), ("- ", "")],
    "html": [("<div>", "</div>"), ("<p><b>", "</b></p>"), ("<span>", "</span>"), ("<table><tr><td>", "</td></tr></table>")],
    "json": [("[", "]"), ('{"a":', "}"), ('{"body":', "}")],
}

TITLE = "Hostile Headline For A Test"


@dataclass(frozen=True)
class Shape:
    fmt: str
    motif: str
    #: when set, the motif is ``(opener, closer)`` nested ``size`` characters deep
    nested: tuple[str, str] | None = None

    @property
    def key(self) -> str:
        return f"incoming/hostile.{self.fmt}"

    def body(self, size: int) -> str:
        if self.nested:
            opener, closer = self.nested
            depth = max(1, size // max(1, len(opener) + len(closer)))
            return opener * depth + self.motif + closer * depth
        return (self.motif * math.ceil(size / max(1, len(self.motif))))[:size]

    def build(self, size: int) -> bytes:
        body = self.body(size)
        if self.fmt == "md":
            text = f"# {TITLE}\n\n{body}\n"
        elif self.fmt == "html":
            text = f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1><p>{body}</p></article></body></html>"
        elif self.fmt == "json":
            text = body if self.nested and body.startswith(("[", "{")) else json.dumps({"title": TITLE, "body": body})
        else:
            text = f"{TITLE}\n\n{body}\n"
        return text.encode("utf-8")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Shape":
        data = json.loads(text)
        nested = tuple(data["nested"]) if data.get("nested") else None
        return cls(fmt=data["fmt"], motif=data["motif"], nested=nested)  # type: ignore[arg-type]


#: The inputs of the issue that asked for budgets (each under 1 MB), as shapes and sizes.
KNOWN_BAD: tuple[tuple[str, Shape, int], ...] = (
    ("500,000 '$' then words", Shape("txt", "$" * 500_000 + " and then a few words about Paris."), 500_034),
    ("200,000 '[' then 200,000 '*' (md)", Shape("md", "[" * 200_000 + "*" * 200_000), 400_000),
    ("a date, again and again, no full stop", Shape("txt", "On Monday, January 5, 2015 and last week "), 820_000),
    ("300,000 tiny paragraphs", Shape("txt", "a\n\n"), 900_000),
    ("'Image ' then 300,000 'by '", Shape("txt", "Image " + "by " * 300_000), 900_006),
    ("50,000 nested JSON arrays", Shape("json", "", nested=("[", "]")), 100_000),
)

#: Where ``make fuzz`` saves the shapes it found slow or failing (each replayed by the tests).
REGRESSIONS = Path(__file__).resolve().parents[3] / "tests" / "fuzz" / "regressions"


def saved_shapes(folder: Path = REGRESSIONS) -> list[tuple[str, Shape]]:
    if not folder.is_dir():
        return []
    return [(path.stem, Shape.from_json(path.read_text())) for path in sorted(folder.glob("*.json"))]


def save_shape(shape: Shape, reason: str, folder: Path = REGRESSIONS) -> Path:
    import hashlib

    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(shape.to_json().encode()).hexdigest()[:12]
    path = folder / f"{shape.fmt}-{digest}.json"
    path.write_text(shape.to_json() + "\n")
    (folder / f"{shape.fmt}-{digest}.txt").write_text(reason + "\n")
    return path


# ------------------------------------------------------------------ the command


def add_arguments(parser) -> None:
    parser.add_argument("--size", type=int, default=400_000, help="characters for each saved shape (default 400,000)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size by this (2 makes the table's inputs up to 1.8 MB)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run counts as hung (default 120)")
    parser.add_argument("--keep", type=Path, help="write the inputs into this folder (default: a temporary one)")


#: The child runs the chain, then reports its own peak RSS (kB) on the last stderr line.
_CHILD = (
    "import resource, sys\n"
    "from article_pipeline_local.cli import main\n"
    "code = main(['run', sys.argv[1]])\n"
    "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_one(path: Path, timeout: float) -> tuple[float, str, float]:
    """(seconds, outcome, peak RSS in MB) of ``article-pipeline run PATH`` in its own process."""
    import subprocess
    import sys
    import time

    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.monotonic() - started, "HUNG (killed)", 0.0
    seconds = time.monotonic() - started
    peaks = [line.split()[1] for line in done.stderr.decode(errors="replace").splitlines() if line.startswith("PEAK ")]
    peak = int(peaks[-1]) / 1024 if peaks else 0.0
    records = [json.loads(line) for line in done.stdout.decode().splitlines() if line.startswith("{")]
    if not records:
        return seconds, f"NO RECORD (exit {done.returncode})", peak
    record = records[-1]
    error = record.get("error") or {}
    outcome = record["status"] + (f" ({error.get('stage')}: {error.get('kind')})" if error else "")
    warnings = record.get("warnings") or []
    if warnings:
        outcome += f"; {warnings[0][:80]}"
    return seconds, outcome, peak


def run(args) -> int:
    import tempfile

    folder = args.keep or Path(tempfile.mkdtemp(prefix="hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    cases = [(name, shape, int(size * args.scale)) for name, shape, size in KNOWN_BAD]
    cases += [(f"saved {name}", shape, int(args.size * args.scale)) for name, shape in saved_shapes()]
    print(f"{'input':40} {'bytes':>9} {'seconds':>8} {'peak MB':>8}  outcome")
    slowest, failures = 0.0, 0
    for number, (name, shape, size) in enumerate(cases):
        path = folder / f"{number:02d}-{Path(shape.key).name}"
        path.write_bytes(shape.build(size))
        seconds, outcome, peak = run_one(path, args.timeout)
        slowest = max(slowest, seconds)
        failures += outcome.startswith(("HUNG", "NO RECORD"))
        print(f"{name[:40]:40} {path.stat().st_size:9d} {seconds:8.1f} {peak:8.0f}  {outcome}", flush=True)
    print(f"slowest: {slowest:.1f} s end to end, each in a fresh process (spaCy's load included)")
    return 1 if failures else 0
