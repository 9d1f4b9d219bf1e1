"""Tests for site_builder.sources (and the boilerplate rules it applies)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteBuilderError
from site_builder.model import SourceDocument
from site_builder.sources import decode_bytes, normalise_text, read_source

CONTENT = Path(__file__).resolve().parent.parent / "content"
SAMPLES = sorted(p.name for p in (CONTENT / "articles").iterdir() if p.suffix == ".txt")


def _sample(prefix: str) -> SourceDocument:
    name = next(name for name in SAMPLES if name.startswith(prefix))
    return read_source(CONTENT, f"articles/{name}")


def _write(tmp_path: Path, name: str, data: bytes) -> SourceDocument:
    (tmp_path / name).write_bytes(data)
    return read_source(tmp_path, name)


def _all_text(doc: SourceDocument) -> str:
    return "\n".join(doc.paragraphs)


# --- golden outputs of the sample corpus ----------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_golden(name: str, data_regression: Any) -> None:
    doc = read_source(CONTENT, f"articles/{name}")
    data_regression.check(
        {
            "encoding": doc.encoding,
            "markup": doc.markup,
            "title_line": doc.title_line,
            "paragraphs": list(doc.paragraphs),
            "removed": [{"reason": r.reason, "text": r.text} for r in doc.removed],
        },
        basename=f"sample_{name.split('_')[0]}",
    )


def test_sample_004_tail_and_captions_are_removed() -> None:
    doc = _sample("004")
    text = _all_text(doc)
    for chrome in (
        "打赏",
        "微信扫一扫",
        "支付宝扫一扫",
        "上一篇",
        "下一篇",
        "发表回复",
        "您的邮箱地址不会被公开",
        "必填项",
        "关注微信",
        "转载请注明出处",
        "文章来源于网络",
        "责任编辑",
        "的头像",
        "相关推荐",
        "特朗普在俄乌冲突中的目标是什么",  # a related-post teaser title
        "游客王先生在一次旅行中",  # a related-post teaser body
        "16100",  # a view counter
        "2025年2月8日",  # a related-post date
    ):
        assert chrome not in text, chrome
    assert "(0)" not in doc.paragraphs
    # The headline is not body text, and its copies used as image captions are gone.
    assert doc.title_line == "通过思维链看懂DeepSeek为何强 低成本高效率的AI革新"
    assert not any(p.startswith("通过思维链看懂DeepSeek为何强") for p in doc.paragraphs)
    # The real last paragraph survives whole.
    assert doc.paragraphs[-1].startswith("DeepSeek R1代表了人工智能发展中的一个重要里程碑。")
    assert doc.paragraphs[-1].endswith("就是DeepSeek的最大意义之所在。")
    assert doc.paragraphs[0].startswith("中国人工智能实验室DeepSeek推出的人工智能语言模型R1")
    reasons = {r.reason for r in doc.removed}
    assert {"related links", "tip buttons", "previous/next links", "comment form"} <= reasons
    assert {"copyright notice", "editor credit", "repeated headline", "author avatar"} <= reasons


def test_sample_001_header_and_tail_are_removed() -> None:
    doc = _sample("001")
    text = _all_text(doc)
    for chrome in (
        "Gino News",
        "sexta-feira, 31 de janeiro de 2025",
        "Imagem gerada utilizando Dall-E 3",
        "inscreva-se em nossa newsletter",
        "FONTES:",
        "REDATOR",
        "Gino AI",
        "12:40:05",
        "PUBLICAÇÕES RELACIONADAS",
    ):
        assert chrome not in text, chrome
    assert doc.title_line == (
        "DeepSeek-R1: Um Olhar Crítico da Anthropic sobre o Novo Modelo de IA Chinesa"
    )
    assert doc.paragraphs[0].startswith("Dario Amodei, CEO da Anthropic, analisa o modelo")
    conclusion = [p for p in doc.paragraphs if p.startswith("Amodei conclui seu ensaio")]
    assert len(conclusion) == 1 and conclusion[0].endswith("vantagem competitiva.")
    # Only the call to action is cut from the closing paragraph.
    assert doc.paragraphs[-1] == (
        "A análise de Amodei sobre o DeepSeek-R1 e seu impacto no setor de IA levantou "
        "questões importantes sobre a competitividade global e a necessidade de regulamentação."
    )
    # The key points (short sentences) are body text, not furniture.
    assert "Custos de treinamento de R1 são baixos, mas não extraordinários." in doc.paragraphs
    removed = {r.text: r.reason for r in doc.removed}
    assert removed["sexta-feira, 31 de janeiro de 2025"] == "dateline"  # kept for date finding
    assert removed["Gino News"] == "site header"
    assert removed["Imagem gerada utilizando Dall-E 3"] == "image credit"
    assert removed["31 de janeiro de 2025 às 12:40:05"] == "timestamp"


def test_sample_002_credits_cut_from_running_text() -> None:
    doc = _sample("002")
    text = _all_text(doc)
    assert "攝影師" not in text
    assert "閲讀更多" not in text
    assert "17:26" not in doc.paragraphs
    assert doc.title_line is not None and doc.title_line.startswith("DeepSeek AI平台")
    opening = "上週,最大的人工智能公司負責人聚集在瑞士阿爾卑斯山"
    assert any(p.startswith(opening) for p in doc.paragraphs)
    assert {"reason": "byline", "text": "Shirin Ghaffary, Rachel Metz"} in [
        {"reason": r.reason, "text": r.text} for r in doc.removed
    ]
    assert doc.paragraphs[-1].endswith("但這終於在整個行業中得到了認可。”")


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_clean_samples_lose_nothing(prefix: str) -> None:
    doc = _sample(prefix)
    assert doc.removed == ()
    raw = (CONTENT / "articles").glob(f"{prefix}_*.txt")
    source = next(raw).read_text(encoding="utf-8")
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    assert list(doc.paragraphs) == lines


# --- rules generalise to other pages -------------------------------------------------

ENGLISH_BLOG = """\
The Daily Byte
March 3, 2024
Why Small Language Models Are Having a Moment
By Jane Doe and Omar Haddad

Photo: Kim Lee/Reuters
Small language models have gone from curiosity to production in a year. Teams that once \
reached for the largest model now start with one that fits on a laptop, and they share \
the results in comments on forums and in their own newsletter.

The reasons are mundane: cost, latency and privacy. A model that runs on the device never \
sends a customer's words to a server.

Not every task fits. Long documents and multi-step reasoning still favour the big models, \
which is why most teams route requests between the two. If you liked this, subscribe to \
our newsletter for a weekly digest.

Share this:
Twitter
Facebook
LinkedIn
Like this:
Related posts
  • Ten tips for prompt design
    Prompting is less magic than it looks. Here is what we learned after a year of…
    February 12, 2024
  • What is quantisation?
    A plain-language guide to making models smaller…
    January 30, 2024
Leave a comment
Your email address will not be published. Required fields are marked *
© 2024 The Daily Byte. All rights reserved.
"""

JAPANESE_PAGE = """\
テックニュース
2024年5月10日(金) 12:30
小型言語モデルが注目される理由

写真:ロイター
小型の言語モデルが、この一年で実験段階から実用段階へと移った。以前は最大のモデルを選んでいた開発チームも、今ではノートパソコンで動くモデルから始めている。

理由は地味だが重要だ。費用、応答速度、そしてプライバシーである。端末の上で動くモデルなら、利用者の言葉がサーバーに送られることはない。

シェアする
ツイート
前の記事
次の記事
関連記事
  ・大規模モデルの学習費用はどこまで下がるか
  ・オープンモデルと著作権の論点
無断転載を禁じます。
"""


def test_rules_generalise_to_an_english_blog(tmp_path: Path) -> None:
    doc = _write(tmp_path, "blog.txt", ENGLISH_BLOG.encode("utf-8"))
    assert doc.title_line == "Why Small Language Models Are Having a Moment"
    assert len(doc.paragraphs) == 3
    assert doc.paragraphs[0].startswith("Small language models have gone from curiosity")
    assert doc.paragraphs[0].endswith("and in their own newsletter.")  # chrome words, real text
    assert doc.paragraphs[1].startswith("The reasons are mundane")
    assert doc.paragraphs[2].endswith("route requests between the two.")
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons["The Daily Byte"] == "site header"
    assert reasons["March 3, 2024"] == "dateline"
    assert reasons["By Jane Doe and Omar Haddad"] == "byline"
    assert reasons["Photo: Kim Lee/Reuters"] == "image credit"
    assert reasons["If you liked this, subscribe to our newsletter for a weekly digest."] == (
        "call to action"
    )
    assert reasons["Share this:"] == "share buttons"
    assert reasons["Leave a comment"] == "comment form"
    assert reasons["© 2024 The Daily Byte. All rights reserved."] == "copyright notice"
    assert "Ten tips for prompt design" in reasons


def test_rules_generalise_to_a_japanese_page(tmp_path: Path) -> None:
    doc = _write(tmp_path, "ja.txt", JAPANESE_PAGE.encode("utf-8"))
    assert doc.title_line == "小型言語モデルが注目される理由"
    assert len(doc.paragraphs) == 2
    assert doc.paragraphs[0].startswith("小型の言語モデルが、この一年で")
    assert doc.paragraphs[1].endswith("送られることはない。")
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons["2024年5月10日(金) 12:30"] == "dateline"
    assert reasons["写真:ロイター"] == "image credit"
    assert reasons["テックニュース"] == "site header"
    assert "無断転載を禁じます。" in reasons


def test_long_paragraph_with_chrome_words_in_the_middle_survives(tmp_path: Path) -> None:
    middle = (
        "Readers often ask us to share the newsletter, to follow the comments and to print "
        "the related posts. We answer every email. This paragraph talks about chrome, but it "
        "is prose, and it sits in the middle of the article."
    )
    text = (
        "The first paragraph is an ordinary sentence about the topic of the day.\n\n"
        f"{middle}\n\nThe closing paragraph ends the article with a full sentence.\n"
    )
    doc = _write(tmp_path, "mid.txt", text.encode("utf-8"))
    assert doc.paragraphs[1] == middle
    assert len(doc.paragraphs) == 3 and doc.removed == ()


def test_short_last_line_of_prose_is_kept(tmp_path: Path) -> None:
    text = "A long enough opening paragraph, which ends with a full stop.\n\nThank you all\n"
    doc = _write(tmp_path, "short.txt", text.encode("utf-8"))
    assert doc.paragraphs[-1] == "Thank you all"


# --- paragraphs ------------------------------------------------------------------------


def test_hard_wrapped_prose_is_joined(tmp_path: Path) -> None:
    text = (
        "Small language models have gone from curiosity to production in a\n"
        "year, and teams that once reached for the largest model now start\n"
        "with one that fits on a laptop.\n"
        "\n"
        "Gino News\n"
        "sexta-feira, 31 de janeiro de 2025\n"
        "\n"
        "天空是蓝色的，\n"
        "因为瑞利散射。\n"
    )
    doc = _write(tmp_path, "wrap.txt", text.encode("utf-8"))
    assert doc.paragraphs[0] == (
        "Small language models have gone from curiosity to production in a year, and teams "
        "that once reached for the largest model now start with one that fits on a laptop."
    )
    # Short lines are not wrapped prose even when the next starts in lower case.
    assert "Gino News sexta-feira" not in _all_text(doc)
    # CJK lines are never joined with a space.
    assert "天空是蓝色的，" in doc.paragraphs and "因为瑞利散射。" in doc.paragraphs


def test_newlines_are_normalised(tmp_path: Path) -> None:
    data = "First line.\r\nSecond line.\rThird line.\u2028Fourth line.\u2029Fifth line.\r\n"
    doc = _write(tmp_path, "nl.txt", data.encode("utf-8"))
    assert doc.paragraphs == (
        "First line.",
        "Second line.",
        "Third line.",
        "Fourth line.",
        "Fifth line.",
    )


def test_invisible_and_control_characters_are_dropped(tmp_path: Path) -> None:
    data = (
        "\ufeffDeep\u200bSeek\u00ad R1\u2060 is \u200cout.\x07\n"
        "Caf\u0065\u0301 \t  au   lait\u00a0 and\u200d tea.   \n"
        "Coder: \U0001f469\u200d\U0001f4bb works.\n"
    )
    doc = _write(tmp_path, "zw.txt", data.encode("utf-8"))
    assert doc.paragraphs[0] == "DeepSeek R1 is out."
    assert doc.paragraphs[1] == "Café au lait and tea."
    assert unicodedata.is_normalized("NFC", doc.paragraphs[1])
    assert doc.paragraphs[2] == "Coder: \U0001f469\u200d\U0001f4bb works."  # emoji ZWJ kept


def test_normalise_text_keeps_indentation_for_the_splitter() -> None:
    assert normalise_text("  • item  one \r\n\tnext") == "  • item one\n    next"


# --- encodings -------------------------------------------------------------------------


def _without_unencodable(text: str, encoding: str) -> str:
    return "".join(c for c in text if c.encode(encoding, errors="ignore") or c in "\n")


def _article(prefix: str) -> str:
    return next((CONTENT / "articles").glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


SHORT_TEXTS = {
    "utf-8": "DeepSeek-R1 é um modelo chinês; 英伟达股价暴跌17%。",
    "utf-8-sig": "Amodei conclui seu ensaio com uma defesa do controle de exportações.",
    "gb18030": "中国人工智能实验室推出的语言模型引起了巨大反响。",
    "big5": "我們在模型上可能領先一年以上，美國是否能保持其優勢尚未確定。",
    "shift_jis": "一週間ほど前、中国のディープシーク社が新しいモデルを公開した。",
    "euc-jp": "オープンな重みのモデルは、開発者に多くの選択肢を提供する。",
    "cp1252": "A análise revela uma realidade mais complexa: o custo não é extraordinário.",
    "utf-16": "ディープシークは次の点を強調していると思う。",
}
LONG_SOURCES = {
    "utf-8": "003",
    "utf-8-sig": "000",
    "gb18030": "004",
    "big5": "002",
    "shift_jis": "003",
    "euc-jp": "003",
    "cp1252": "000",
    "utf-16": "002",
}


@pytest.mark.parametrize("encoding", sorted(SHORT_TEXTS))
def test_short_text_round_trip(tmp_path: Path, encoding: str) -> None:
    text = SHORT_TEXTS[encoding]
    doc = _write(tmp_path, "short.txt", text.encode(encoding))
    assert doc.encoding == encoding
    assert doc.paragraphs == (text,)


@pytest.mark.parametrize("encoding", sorted(LONG_SOURCES))
def test_long_text_round_trip(tmp_path: Path, encoding: str) -> None:
    text = _without_unencodable(_article(LONG_SOURCES[encoding]), encoding)
    decoded, found = decode_bytes(text.encode(encoding), "long.txt")
    assert found == encoding
    assert decoded == text
    doc = _write(tmp_path, "long.txt", text.encode(encoding))
    reference = _write(tmp_path, "reference.txt", text.encode("utf-8"))
    assert doc.paragraphs == reference.paragraphs


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("英伟达股价暴跌百分之十七", "gb18030"),
        ("美國科技股幾乎蒸發了市值", "big5"),
        ("今はまだ絶好の時期なのだ", "shift_jis"),
        ("今はまだ絶好の時期なのだ", "euc-jp"),
        ("Não é extraordinário", "cp1252"),
    ],
)
def test_headline_sized_legacy_texts(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "h.txt") == (text, encoding)


def test_bomless_utf16_with_latin_text() -> None:
    text = "A plain English note saved by an old editor."
    assert decode_bytes(text.encode("utf-16-le"), "n.txt") == (text, "utf-16-le")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"text\x00with\x00nul\x01bytes\x02",
        bytes(range(256)) * 4,
    ],
)
def test_binary_file_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(SiteBuilderError, match="binary") as info:
        _write(tmp_path, "image.txt", data)
    assert info.value.path == "image.txt"


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n ", "\ufeff\u200b\n".encode()])
def test_empty_file_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(SiteBuilderError, match="is empty") as info:
        _write(tmp_path, "empty.txt", data)
    assert info.value.path == "empty.txt"


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(SiteBuilderError, match="cannot read") as info:
        read_source(tmp_path, "articles/missing.txt")
    assert info.value.path == "articles/missing.txt"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_decode_bytes_raises_only_site_builder_errors(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "any.txt")
    except SiteBuilderError as error:
        assert error.path == "any.txt"
    else:
        assert text.strip() and encoding == encoding.lower()


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
    | st.sampled_from("\n\t"),
    min_size=1,
    max_size=200,
).filter(lambda s: normalise_text(s).strip() != "")


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_any_utf8_text_decodes_back(text: str) -> None:
    decoded, encoding = decode_bytes(text.encode("utf-8"), "any.txt")
    assert encoding == "utf-8"
    assert decoded == text
    assert normalise_text(decoded) == normalise_text(text)


_PAGE_LINES = st.sampled_from(
    [
        "",
        "Gino News",
        "31 de janeiro de 2025 às 12:40:05",
        "A real sentence of body text that ends properly.",
        "  • Related teaser title",
        "    A teaser that was cut off…",
        "(0)",
        "17:26",
        "相关推荐",
        "上一篇 2025年2月13日 下午7:25",
        "攝影師:安德烈·魯達科夫/彭博社上週,最大的人工智能公司負責人聚集。",
        "閲讀更多: 一個連結",
        "Subscribe to our newsletter.",
        "# Heading",
        "<!--more-->",
        "---",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PAGE_LINES | st.text(max_size=30), min_size=1, max_size=25), st.booleans())
def test_cleaning_never_crashes_and_loses_nothing(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], markdown: bool
) -> None:
    folder = tmp_path_factory.mktemp("page")
    name = "page.md" if markdown else "page.txt"
    (folder / name).write_bytes("\n".join(lines).encode("utf-8"))
    try:
        doc = read_source(folder, name)
    except SiteBuilderError as error:
        assert error.path == name
        return
    assert all(p.strip() == p and p for p in doc.paragraphs)
    assert all(r.text.strip() and r.reason for r in doc.removed)
    if not markdown:
        # Every character of the page is either kept or recorded as removed (list markers
        # and heading hashes aside).
        markers = set("•●▪◦‣∙・-*+#") | {" ", "\n"}
        kept = Counter(_all_text(doc) + "".join(r.text for r in doc.removed))
        page = Counter(normalise_text("\n".join(lines)))
        assert all(kept[char] >= count for char, count in page.items() if char not in markers)


# --- Markdown --------------------------------------------------------------------------

MARKDOWN = """\
---
title: "Why the sky is blue"
date: 2025-01-31
tags: [physics, light]
draft: false
views: 12
---

# Why the sky is blue

Rayleigh scattering makes **short** wavelengths scatter
more, so the sky looks [blue](https://example.org/blue) to us.

<!--more-->

## Details

- Blue light scatters about five times more than red light.
- Sunsets are red because the light path is long.

> A quoted remark about the sky, which is blue.

```python
print("code is not prose")
```

天空是蓝色的，
因为瑞利散射。

Share this: Twitter Facebook

Related posts

- [Why grass is green](https://example.org/green)
- [Why the sea is blue](https://example.org/sea)
"""


def test_markdown_document(tmp_path: Path) -> None:
    doc = _write(tmp_path, "sky.md", MARKDOWN.encode("utf-8"))
    assert doc.markup == "markdown"
    assert doc.front_matter == (
        ("date", "2025-01-31"),
        ("draft", "false"),
        ("title", "Why the sky is blue"),
        ("views", "12"),
    )
    assert doc.title_line == "Why the sky is blue"
    assert doc.more_summary == (
        "Rayleigh scattering makes short wavelengths scatter more, so the sky looks blue to us."
    )
    assert doc.paragraphs == (
        "Rayleigh scattering makes short wavelengths scatter more, so the sky looks blue to us.",
        "Details",
        "Blue light scatters about five times more than red light.",
        "Sunsets are red because the light path is long.",
        "A quoted remark about the sky, which is blue.",
        "天空是蓝色的，因为瑞利散射。",
    )
    assert doc.markdown is not None
    assert "<!--more-->" not in doc.markdown and "title:" not in doc.markdown
    assert 'print("code is not prose")' in doc.markdown  # code stays in the Markdown …
    assert all("code is not prose" not in p for p in doc.paragraphs)  # … not in the prose
    for furniture in ("Share this", "Related posts", "Why grass is green", "# Why the sky"):
        assert furniture not in doc.markdown
    assert "**short**" in doc.markdown


def test_markdown_without_front_matter_or_marker(tmp_path: Path) -> None:
    doc = _write(tmp_path, "plain.md", b"Just one paragraph of text here.\n")
    assert doc.front_matter == () and doc.more_summary is None
    assert doc.paragraphs == ("Just one paragraph of text here.",)


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("---\nauthor: Ana\ntitle: [unclosed\n---\nBody text.\n", 3),
        ("---\n- a list\n---\nBody text.\n", 2),
        ("---\ntitle: never closed\nBody text.\n", 1),
    ],
)
def test_bad_front_matter_names_file_and_line(tmp_path: Path, source: str, line: int) -> None:
    with pytest.raises(SiteBuilderError, match="front matter") as info:
        _write(tmp_path, "bad.md", source.encode("utf-8"))
    assert info.value.path == "bad.md"
    assert info.value.line == line


def _normalise_text_reference(text: str) -> str:
    """normalise_text as first written: every character looked at one by one."""
    from site_builder.sources import _DROPPED_INVISIBLES, _NEWLINES, _SPACE_RUN, _ZWJ
    from site_builder.sources import _is_emoji_part as emoji_part

    text = _NEWLINES.sub("\n", text.replace("\u2029", "\n\n"))
    text = unicodedata.normalize("NFC", text)
    chars: list[str] = []
    for index, char in enumerate(text):
        if char in _DROPPED_INVISIBLES:
            continue
        if char == _ZWJ:
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if emoji_part(before) and emoji_part(after):
                chars.append(char)
        elif char == "\t":
            chars.append("    ")
        elif char == "\n":
            chars.append(char)
        elif unicodedata.category(char) == "Zs":
            chars.append(" ")
        elif unicodedata.category(char) != "Cc":
            chars.append(char)
    lines = []
    for line in "".join(chars).split("\n"):
        stripped = line.lstrip(" ")
        indent = line[: len(line) - len(stripped)]
        lines.append(indent + _SPACE_RUN.sub(" ", stripped.rstrip(" ")))
    return "\n".join(lines).strip("\n")


# Letters, spaces of every kind, controls, invisibles, the zero-width joiner between
# emoji and not, line breaks of every kind, combining marks (NFC), Hangul filler.
_NORMALISE_ALPHABET = (
    "ab  \t\n\r\x0b\x0c\x85\u2028\u2029\x00\x07\x1f\x7f\x9f\u00a0\u2003\u3000\u202f"
    "\ufeff\u200b\u200c\u200d\u2060\u180e\u00ad\u200e\u202e\u2066"
    "\U0001f468\U0001f469\u2764\ufe0f\u0301e\u3164\u4e2d"
)


@given(st.text(alphabet=_NORMALISE_ALPHABET, max_size=40))
@settings(max_examples=2000, deadline=None)
def test_normalise_text_answers_as_first_written(text: str) -> None:
    assert normalise_text(text) == _normalise_text_reference(text)


def test_normalise_text_answers_as_first_written_for_every_character() -> None:
    # Each character that is not printable (the shortcut's test), and one in 97 of the
    # rest, between letters and beside an emoji and a joiner.
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        if category in ("Cs", "Cn", "Co") or (char.isprintable() and code % 97):
            continue
        for text in (f"a{char}b", f"\U0001f468\u200d{char}", f"{char}\u200d\U0001f469 x"):
            assert normalise_text(text) == _normalise_text_reference(text), hex(code)
