"""Headless Chromium for the HTML report tests (Debian's ``chromium``; scripts/bootstrap.sh
installs it).  The page is loaded from a file with networking off; ``--dump-dom`` gives
the DOM after the page's scripts ran, and ``--enable-logging=stderr`` prints every
console message (errors included) as an ``INFO:CONSOLE`` line, which the tests require
to be absent."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("chromium is not installed: scripts/bootstrap.sh installs it (apt-get install chromium)")


def _run(page: Path, profile: Path, *extra: str, fragment: str = "") -> subprocess.CompletedProcess:
    profile.mkdir(parents=True, exist_ok=True)
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, url],
                          capture_output=True, text=True, timeout=180, errors="replace")


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def load(page: Path, profile: Path, fragment: str = "") -> tuple["Node", list[str]]:
    """The DOM after the page's scripts ran, and the console messages it printed."""
    done = _run(page, profile, "--dump-dom", fragment=fragment)
    assert done.returncode == 0, done.stderr[-2000:]
    return parse(done.stdout), console_lines(done.stderr)


def screenshot(page: Path, png: Path, profile: Path, size: str = "1280,2000") -> list[str]:
    done = _run(page, profile, f"--screenshot={png}", f"--window-size={size}")
    assert done.returncode == 0, done.stderr[-2000:]
    return console_lines(done.stderr)


# --------------------------------------------------------------------------- a small DOM


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list["Node"]:
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.classes:
                continue
            if any(n.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append(n)
        return out

    def by_id(self, id_: str) -> "Node | None":
        return next((n for n in self.iter() if n.attrs.get("id") == id_), None)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in _VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html: str) -> Node:
    b = _Builder()
    b.feed(html)
    b.close()
    return b.root
