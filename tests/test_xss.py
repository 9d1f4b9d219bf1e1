"""A hostile corpus, built and opened in headless Chromium: no script of the author's runs.

Every payload tries to call `alert()` or to set `window.__xss`; an init script in every
frame traps both, and a dialog handler catches any dialog that slips through. Each page is
also checked structurally (no event-handler attribute, no javascript: URL, no script but
the theme's, no frame) and the payloads must be visible as text where they were written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from site_builder.cli import main

from .browser import serve_directory

# Jinja syntax whose evaluation would show: 7*191 = 1337, a loop would repeat "loop".
JINJA_EXPR = "{{ 7*191 }}"
JINJA_LOOP = "{% for x in range(3) %}loop{% endfor %}"
EVALUATED = ("1337", "looplooploop")

INDEX = f"""---
title: "<script>alert('site-title')</script>{JINJA_EXPR}"
description: "\\"><script>window.__xss='description'</script>"
author: "{JINJA_LOOP}"
base_url: https://example.org/digest/
---

# Hostile <img src=x onerror="window.__xss='index-h1'"> {JINJA_EXPR}

<script>window.__xss='index-script'</script>

<div onmouseover="window.__xss='index-div'">Prose in raw HTML</div>

Prose with [a js link](javascript:window.__xss='index-link'), [another](JaVaScRiPt:alert(1)),
[an entity one](&#106;avascript:alert(1)), <javascript:alert(2)>,
[data](data:text/html,<script>alert(3)</script>)
and {JINJA_LOOP} and {{{{ config }}}}.

[ref]: javascript:window.__xss='index-ref'

## Articles

- [<b onmouseover="window.__xss='card'">Script</b> {{{{ title }}}}](articles/script.txt)
  - source: <script>window.__xss='source'</script>
  - author: {JINJA_EXPR}
  - url: https://example.org/"onmouseover="window.__xss='url'"x="
  - summary: <img src=x onerror="window.__xss='summary'"> {JINJA_LOOP}
- [articles/raw.md](articles/raw.md)
- [File name](articles/x%22%3E%3Csvg%20onload=alert('file')%3E.txt)
  - source: </title><script>alert('source-title')</script>
"""

SCRIPT_TXT = f"""<script>window.__xss = 'text-script'</script> A DeepSeek lançou o modelo R1.

A NVIDIA <img src=x onerror="window.__xss='text-img'"> perdeu valor de mercado {JINJA_EXPR}.

<a href="javascript:window.__xss='text-a'">clique</a> e {JINJA_LOOP} — a DeepSeek e a NVIDIA.
"""

RAW_MD = f"""---
title: "<script>window.__xss='md-title'</script>{JINJA_EXPR}"
---

# Título <img src=x onerror="window.__xss='md-h1'">

<div onmouseover="window.__xss='md-div'">A DeepSeek publicou o modelo R1 com pesos abertos.</div>

<script>window.__xss = 'md-script'</script>

A introdução <svg onload="window.__xss='md-svg'"></svg> termina aqui.

<!--more-->

[clique aqui](javascript:window.__xss='md-link') e ![imagem](x" onerror="window.__xss='md-img')
e [dados](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).

<iframe src="javascript:window.__xss='md-iframe'"></iframe>

```html
<script>window.__xss = 'md-fence'</script>
```

A NVIDIA perdeu muito valor quando a DeepSeek lançou o modelo {JINJA_EXPR} {JINJA_LOOP}.
"""

FILE_NAME_TXT = "A DeepSeek e a NVIDIA: um artigo cujo nome de arquivo é hostil.\n"

TOPICS = f"""topics:
  - name: "<script>window.__xss='topic'</script>{JINJA_EXPR}"
    kind: organization
    aliases:
      "*": [DeepSeek]
  - name: "NVIDIA <img src=x onerror=window.__xss='topic-img'> {JINJA_LOOP}"
    kind: organization
    aliases:
      "*": [NVIDIA]
"""

# Strings that must be on some page as visible text (the payload shown, not run).
VISIBLE = {
    "index.html": [
        "<script>alert('site-title')</script>" + JINJA_EXPR,
        "<script>window.__xss='index-script'</script>",
        "<div onmouseover=\"window.__xss='index-div'\">",
        JINJA_LOOP,
    ],
    "articles": [
        "<script>window.__xss='source'</script>",
        "<script>window.__xss = 'text-script'</script>",
        "<img src=x onerror=\"window.__xss='text-img'\">",
        "<iframe src=\"javascript:window.__xss='md-iframe'\"></iframe>",
        "<script>window.__xss = 'md-fence'</script>",
        "</title><script>alert('source-title')</script>",
    ],
    "topics": ["<script>window.__xss='topic'</script>" + JINJA_EXPR],
}

# Runs first in every frame: records any attempt to set window.__xss or open a dialog.
TRAP = """
window.__xssHits = [];
Object.defineProperty(window, "__xss", {
  configurable: false,
  get() { return undefined; },
  set(value) { window.__xssHits.push(String(value)); },
});
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__xssHits.push(name + ":" + String(message)); };
}
"""

# Everything on the page that could run code or load a document: reported as strings.
AUDIT = """
() => {
  const problems = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) problems.push(`${element.tagName} ${name}`);
      if (["href", "src", "action", "formaction", "srcdoc", "xlink:href", "data"].includes(name)
          && /^(javascript|vbscript|data):/.test(value)) {
        problems.push(`${element.tagName} ${name}=${attribute.value}`);
      }
    }
  }
  for (const element of document.querySelectorAll("iframe, frame, object, embed, svg script")) {
    problems.push(element.tagName);
  }
  for (const script of document.querySelectorAll("script")) {
    const theme = /static\\/search\\.js$/.test(script.getAttribute("src") || "");
    const data = script.type === "application/ld+json" && !script.src;
    if (!theme && !data) problems.push(`script ${script.outerHTML.slice(0, 80)}`);
  }
  const text = document.body ? document.body.innerText : "";
  return { problems, hits: window.__xssHits || [], text };
}
"""


@dataclass(frozen=True)
class HostileSite:
    out: Path
    digest: dict[str, Any]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    root = tmp_path_factory.mktemp("xss")
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "INDEX.md").write_text(INDEX, "utf-8")
    (content / "topics.yaml").write_text(TOPICS, "utf-8")
    (content / "articles" / "script.txt").write_text(SCRIPT_TXT, "utf-8")
    (content / "articles" / "raw.md").write_text(RAW_MD, "utf-8")
    (content / "articles" / "x\"><svg onload=alert('file')>.txt").write_text(FILE_NAME_TXT, "utf-8")
    out = root / "out"
    result = CliRunner().invoke(
        main, ["build", str(content), "-o", str(out), "-j", "1", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    digest = json.loads((out / "digest.json").read_text("utf-8"))
    return HostileSite(out, digest)


def _pages(out: Path) -> list[str]:
    """Every HTML and XML file of the site, as paths relative to its root."""
    return sorted(
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.suffix in (".html", ".xml") and path.is_file()
    )


@pytest.fixture(scope="module")
def audits(hostile_site: HostileSite, chromium: Any) -> Iterator[dict[str, dict[str, Any]]]:
    """Each page of the hostile site loaded in Chromium: what ran, what the DOM holds."""
    results: dict[str, dict[str, Any]] = {}
    with serve_directory(hostile_site.out) as base:
        context = chromium.new_context(java_script_enabled=True)
        context.add_init_script(TRAP)
        dialogs: list[str] = []
        console: list[str] = []
        page = context.new_page()

        def on_dialog(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda message: console.append(message.text))
        page.on("pageerror", lambda error: console.append(str(error)))
        for path in _pages(hostile_site.out):
            dialogs.clear()
            console.clear()
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(50)  # let late handlers (onload of images) fire
            audit = (
                page.evaluate(AUDIT)
                if path.endswith(".html")
                else {"problems": [], "hits": page.evaluate("window.__xssHits || []"), "text": ""}
            )
            frame_hits = [
                hit for frame in page.frames[1:] for hit in frame.evaluate("window.__xssHits || []")
            ]
            results[path] = {
                **audit,
                "hits": audit["hits"] + frame_hits,
                "dialogs": list(dialogs),
                "console": list(console),
            }
        context.close()
    yield results


def test_the_corpus_reaches_every_kind_of_page(audits: dict[str, dict[str, Any]]) -> None:
    assert "index.html" in audits and "404.html" in audits
    assert sum(path.startswith("articles/") for path in audits) == 3
    assert sum(path.startswith("topics/") and path != "topics/index.html" for path in audits) >= 2


def test_no_script_ran_on_any_page(audits: dict[str, dict[str, Any]]) -> None:
    ran = {
        path: (audit["hits"], audit["dialogs"])
        for path, audit in audits.items()
        if audit["hits"] or audit["dialogs"]
    }
    assert ran == {}
    noisy = {
        path: [line for line in audit["console"] if "xss" in line.lower()]
        for path, audit in audits.items()
    }
    assert all(not lines for lines in noisy.values()), noisy


def test_no_handler_attribute_javascript_url_or_foreign_script(
    audits: dict[str, dict[str, Any]],
) -> None:
    problems = {path: audit["problems"] for path, audit in audits.items() if audit["problems"]}
    assert problems == {}


def test_payloads_are_visible_as_text(audits: dict[str, dict[str, Any]]) -> None:
    def text_of(prefix: str) -> str:
        return "\n".join(a["text"] for p, a in audits.items() if p.startswith(prefix))

    for prefix, needles in VISIBLE.items():
        text = text_of(prefix)
        for needle in needles:
            assert needle in text, (prefix, needle)


def test_template_syntax_is_never_evaluated(
    hostile_site: HostileSite, audits: dict[str, dict[str, Any]]
) -> None:
    for path, audit in audits.items():
        for evaluated in EVALUATED:
            assert evaluated not in audit["text"], (path, evaluated)
    raw = [p.read_text("utf-8") for p in hostile_site.out.rglob("*") if p.suffix in (".html",)]
    assert not any(re.search(r"<script>(?:window|alert)", html) for html in raw)


def test_metadata_urls_are_http_only(hostile_site: HostileSite) -> None:
    for article in hostile_site.digest["articles"]:
        original = article["original_url"]
        assert original is None or re.match(r"https?://", original), original
