"""Every Python example in README.md and docs/ runs, as written.

Each page's ```python and ```py blocks run top to bottom in one fresh
namespace, offline: ``http://localhost:8000`` is replaced with the demo server
of tests/docs_server.py, a real HTTP server on 127.0.0.1. A page that names
the demo URL must really reach it. The MkDocs configuration is checked too:
every page under docs/ is in the navigation, and every page it names exists
(``mkdocs build --strict`` in CI checks the rest: links, anchors, the API
reference).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from .docs_server import DEMO_URL, DocsServer

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]

# A fenced block opened with ```python or ```py (any indentation, as inside a
# list item or an admonition), closed by ``` at the same indentation.
_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)```(?:python|py)[ \t]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.M | re.S,
)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The page's Python blocks: (line number of the fence, dedented code)."""
    blocks = []
    for match in _BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        blocks.append((line, textwrap.dedent(match.group("code"))))
    return blocks


def _page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def demo_server() -> Iterator[DocsServer]:
    with DocsServer() as server:
        yield server


def test_block_extraction_takes_python_and_py_fences_only() -> None:
    text = (
        "```python\na = 1\n```\n"
        "```py\nb = 2\n```\n"
        "```pycon\n>>> c\n```\n"
        "```\nnot python\n```\n"
        "- item\n\n    ```py\n    d = 4\n    ```\n"
    )
    assert python_blocks(text) == [(1, "a = 1\n"), (4, "b = 2\n"), (15, "d = 4\n")]


def test_every_page_is_collected() -> None:
    # The README and the docs site (a page without code has nothing to run).
    assert PAGES[0].name == "README.md"
    assert PAGES[0] in PAGES_WITH_CODE
    assert {page.name for page in PAGES} >= {
        "index.md",
        "getting-started.md",
        "security.md",
        "reference.md",
        "changelog.md",
    }


PAGES_WITH_CODE = [
    page for page in PAGES if python_blocks(page.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=_page_id)
def test_page_examples_run(page: Path, demo_server: DocsServer) -> None:
    blocks = python_blocks(page.read_text(encoding="utf-8"))
    requests_before = len(demo_server.requests)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for line, code in blocks:
        code = code.replace(DEMO_URL, demo_server.base_url)
        # Line numbers in a traceback point into the page itself.
        compiled = compile("\n" * line + code, str(page), "exec")
        exec(compiled, namespace)
    if any(DEMO_URL in code for _, code in blocks):
        assert len(demo_server.requests) > requests_before, (
            f"{_page_id(page)} names {DEMO_URL} but never reached the demo server"
        )


def test_demo_server_answers_as_documented(demo_server: DocsServer) -> None:
    import httpx

    from sse_core import iter_events

    with httpx.Client(base_url=demo_server.base_url) as client:
        response = client.post("/stream")
        assert [(e.id, e.data) for e in iter_events([response.content])] == [
            ("1", "hello"),
            ("2", "world"),
        ]
        assert client.get("/stream", headers={"Last-Event-ID": "2"}).status_code == 204
        assert client.get("/nowhere").status_code == 404
        for path in (
            "/v1/chat",
            "/v1/v1/completions",
            "/v1/applications/app-1",
            "/v1/graphs/question",
            "/v1/tools/web-search",
        ):
            response = client.post(path, json={})
            assert response.status_code == 200, path
            assert response.headers["content-type"] == "text/event-stream"
            assert list(iter_events([response.content])), path


def test_writer_sdk_streams_from_the_demo_server(demo_server: DocsServer) -> None:
    writerai = pytest.importorskip("writerai")
    for base_url in (demo_server.base_url, demo_server.base_url + "/v1"):
        client = writerai.Writer(base_url=base_url, api_key="x", max_retries=0)
        text = ""
        for chunk in client.chat.chat(
            model="palmyra-x5",
            messages=[{"role": "user", "content": "Hi"}],
            stream=True,
        ):
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
        assert text


def _nav_pages(nav: object) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)


def test_mkdocs_nav_lists_every_page() -> None:
    import yaml

    # mkdocs.yml may hold python tags (!!python/name:...) for Material's
    # extensions: read it with a loader that keeps them as plain strings.
    class _Loader(yaml.SafeLoader):
        pass

    def _as_text(loader: object, suffix: str, node: object) -> str:
        return suffix

    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", _as_text)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), _Loader)
    listed = [page for page in _nav_pages(config["nav"]) if page.endswith(".md")]
    on_disk = sorted(page.relative_to(DOCS).as_posix() for page in DOCS.rglob("*.md"))
    assert sorted(listed) == on_disk
    assert len(listed) == len(set(listed))
