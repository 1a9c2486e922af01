"""README.md and docs/ name only what exists, and the site builds strictly.

The conventions are in docs/contributing.md; the checks are the plain functions of
``article_pipeline_local.devtools.docs``. Each check is also fed a deliberately wrong snippet,
so a check that stops reporting fails here instead of passing everything.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from article_pipeline_local.devtools import docs
from support import ROOT

PAGES = docs.doc_files(ROOT)


def _where(page) -> str:
    return str(page.relative_to(ROOT))


@pytest.fixture(scope="module")
def cli():
    return docs.cli_options()


def test_the_readme_is_a_guide_that_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    assert len(text.splitlines()) <= 200, "README.md: at most 200 lines; move the rest into docs/"
    first_block = docs.fences(text)[0][0]
    assert [line.split("#")[0].strip() for line in first_block.body][:2] == ["make run", "make test"]


def test_the_site_builds_strictly(tmp_path):
    built, log = docs.build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    assert built, log
    assert (tmp_path / "site" / "entities" / "index.html").exists()
    # theme.font false: no page asks a font service (or anything else) for a file.
    assert "fonts.googleapis" not in (tmp_path / "site" / "index.html").read_text()


def _tmp_project(tmp_path, pages: dict[str, str]):
    """A one-off site with the repository's own settings (theme, validation), other pages."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config["nav"] = list(pages)
    config["docs_dir"] = str(tmp_path / "docs")
    (tmp_path / "docs").mkdir()
    for name, text in pages.items():
        (tmp_path / "docs" / name).write_text(text)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return tmp_path / "mkdocs.yml"


@pytest.mark.parametrize("link", ["missing.md", "other.md#no-such-heading"])
def test_a_broken_link_fails_the_build(tmp_path, link):
    config = _tmp_project(tmp_path, {"index.md": f"# Home\n\n[there]({link})\n", "other.md": "# Other\n\n## A heading\n"})
    built, log = docs.build_site(config, tmp_path / "site")
    assert not built and link.split("#")[-1] in log, log


def test_the_readmes_links_reach_a_page_and_a_heading():
    assert docs.check_links((ROOT / "README.md").read_text(), ROOT / "README.md", ROOT) == []


def test_a_broken_readme_link_is_reported(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# Page\n\n## Deploying it\n")
    text = "[ok](docs/page.md#deploying-it) [gone](docs/gone.md) [anchor](docs/page.md#nowhere) [web](https://example.org/x)\n"
    problems = docs.check_links(text, tmp_path / "README.md", tmp_path)
    assert len(problems) == 2 and "gone.md" in problems[0] and "nowhere" in problems[1], problems


@pytest.mark.parametrize("page", PAGES, ids=_where)
def test_every_fence_says_what_it_holds(page):
    assert docs.fences(page.read_text())[1] == []


def test_a_bare_or_unclosed_fence_is_reported():
    problems = docs.fences("```\nplain\n```\n\n```sh\nmake run\n")[1]
    assert len(problems) == 2 and "language" in problems[0] and "never closed" in problems[1], problems


@pytest.mark.parametrize("page", PAGES, ids=_where)
def test_every_command_and_flag_named_exists(page, cli):
    top, by_verb = cli
    mentions = docs.cli_mentions(page.read_text(), set(by_verb))
    assert docs.check_cli(mentions, top, by_verb) == []


def test_the_pages_name_commands_at_all(cli):
    """The checks above pass vacuously if the parsing finds nothing: it finds the lot."""
    top, by_verb = cli
    named = {m.verb for page in PAGES for m in docs.cli_mentions(page.read_text(), set(by_verb))}
    assert set(by_verb) <= named


def test_a_made_up_command_or_flag_is_reported(cli):
    top, by_verb = cli
    text = (
        "```sh\n"
        ".venv/bin/article-pipeline run --colour red FILE   # a made-up flag\n"
        "article-pipeline frobnicate --now\n"
        "article-pipeline replay [--mode all] [--since T | --within D] | head\n"
        "```\n\n"
        "Then `serve --hots 0.0.0.0` and `article-pipeline --verbose`; `run --concurrency 4` is fine.\n"
    )
    problems = docs.check_cli(docs.cli_mentions(text, set(by_verb)), top, by_verb)
    assert problems == [
        "line 2: `article-pipeline run`: no option --colour",
        "line 3: `article-pipeline frobnicate`: no such command",
        "line 7: `article-pipeline serve`: no option --hots",
        "line 7: `article-pipeline`: no option --verbose",
    ], problems


@pytest.fixture(scope="module")
def targets():
    return docs.make_targets(ROOT)


@pytest.mark.parametrize("page", PAGES, ids=_where)
def test_every_make_target_named_exists(page, targets):
    assert docs.check_make(docs.make_mentions(page.read_text()), targets) == []


def test_a_missing_make_target_is_reported(tmp_path):
    (tmp_path / "Makefile").write_text("build:\n\ttrue\n\nlock/%.txt:\n\ttrue\n")
    known = docs.make_targets(tmp_path)
    text = "```sh\nmake build lock/requirements/dev.txt UPGRADE=1\nmake -n deploy   # no such target\n```\n\nRun `make clean`.\n"
    assert docs.check_make(docs.make_mentions(text), known) == [
        "line 3: `make deploy`: no such target in the Makefile",
        "line 6: `make clean`: no such target in the Makefile",
    ]


def test_every_shell_session_runs():
    found = [(page, session) for page in PAGES for session in docs.sessions(page.read_text())]
    assert found, "no ```console session left to run: the convention's check would be empty"
    problems = [f"{_where(page)}: {problem}" for page, session in found for problem in docs.check_sessions([session], ROOT)]
    assert problems == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_a_costly_failing_or_wrong_session_is_reported():
    text = (
        "```console\n"
        "$ make test\n"
        "$ make -n no-such-target\n"
        "$ article-pipeline --help\n"
        "serve a local S3/SQS/DynamoDB endpoint running the pipeline\n"
        "frobnicate             not a command\n"
        "```\n"
    )
    problems = docs.check_sessions(docs.sessions(text), ROOT)
    assert len(problems) == 3, problems
    assert "not cheap" in problems[0] and "exited" in problems[1] and "frobnicate" in problems[2], problems
