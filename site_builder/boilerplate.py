"""Boilerplate removal: drop the furniture that web pages wrap around an article.

Articles copied from the web carry a site name and dateline above the headline, photo
credits and captions inside the text, and a tail of share/tip buttons, previous/next links,
related-article teasers, comment forms and copyright notices. None of that is prose.

The rules work on *units* (paragraph candidates) and look at shape (short, no sentence
punctuation, indented, bulleted, a date, a counter, a URL, ALL CAPS) combined with small
per-language vocabularies of web chrome (pt, en, es, fr, de, zh, ja). A vocabulary word
alone never removes a long paragraph: signals are only trusted in the leading or trailing
zone of the page, on short lines, or when several independent signals agree. Every removed
piece is returned as a RemovedBlock whose reason names the rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .model import RemovedBlock

UnitKind = Literal["paragraph", "heading", "item", "quote"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One paragraph candidate and where it came from."""

    text: str
    block: int  # index of the blank-line separated block (text) or block token (Markdown)
    indent: int = 0  # leading spaces of its first source line
    bullet: bool = False  # a list item ("•", "-", "*" … in text files)
    lines: tuple[int, int] | None = None  # source line span [start, end), 0-based
    kind: UnitKind = "paragraph"
    offset: int = 0  # character offset inside the source unit, when a unit was split


@dataclass(frozen=True, slots=True)
class CleanResult:
    units: tuple[Unit, ...]  # what is left, in order
    removed: tuple[RemovedBlock, ...]  # what was dropped, in document order
    title_line: str | None  # the page's own headline, when the first lines carry one
    dropped: tuple[Unit, ...]  # units removed whole (for mapping back to Markdown lines)
    trimmed: tuple[tuple[Unit, str], ...]  # (original unit, text cut out of it)


# --- text measures -------------------------------------------------------------------


def is_cjk_char(char: str) -> bool:
    """Han, kana, Hangul and CJK punctuation: scripts written without spaces."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


# Every wide or full-width character lies at or above U+1100 (Hangul Jamo).
_MAYBE_WIDE = re.compile("[\u1100-\U0010ffff]")


def display_width(text: str) -> int:
    """Columns on screen: a CJK character carries about two Latin letters of content."""
    # Only characters that may be wide are looked up: a long Latin paragraph costs one scan.
    wide = sum(
        1 for char in _MAYBE_WIDE.findall(text) if unicodedata.east_asian_width(char) in "WF"
    )
    return len(text) + wide


_SENTENCE_END = re.compile(r"[.!?。！？…;；][\"'”’»)）」』\]]*$")
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)[\"'”’»)）」』]*$")
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

SHORT_WIDTH = 40  # a "short line": about five words, or twenty CJK characters
KEYWORD_WIDTH = 60  # a line this short is chrome when it carries a chrome word
NOTICE_WIDTH = 200  # a notice with two kinds of chrome words may be this long
HEADLINE_WIDTH = 160  # headlines and headers are shorter than this


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def latin_words(text: str) -> list[str]:
    return [w for w in _LATIN_WORD.findall(text) if not any(is_cjk_char(c) for c in w)]


def cjk_count(text: str) -> int:
    return sum(1 for char in text if is_cjk_char(char) and char.isalpha())


def _comparable(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


# --- vocabularies --------------------------------------------------------------------


def _vocabulary(latin: str, cjk: str = "") -> re.Pattern[str]:
    """One regex for "|"-separated terms: Latin terms as whole words, CJK ones as substrings."""
    latin_terms = sorted(filter(None, latin.split("|")), key=len, reverse=True)
    cjk_terms = sorted(filter(None, cjk.split("|")), key=len, reverse=True)
    parts = []
    if latin_terms:
        words = "|".join(re.escape(term).replace(r"\ ", r"\s+") for term in latin_terms)
        parts.append(rf"(?<![^\W\d_])(?:{words})(?![^\W\d_])")
    if cjk_terms:
        parts.append("|".join(re.escape(term) for term in cjk_terms))
    return re.compile("|".join(parts), re.IGNORECASE)


# Chrome vocabularies; the key is the reason recorded for a removal. Order matters only
# for which reason is reported when a line matches several.
_CHROME: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "related links",
        _vocabulary(
            (
                "related|related posts|related articles|you may also like"
                "|you might also like|recommended|more from|more stories|see also"
                "|read more|read also|also read|relacionadas|relacionados|leia também"
                "|leia mais|veja também|saiba mais|recomendados|te puede interesar"
                "|lee también|artículos relacionados|à lire aussi|lire aussi"
                "|articles similaires|sur le même sujet|verwandte artikel"
                "|das könnte sie auch interessieren"
            ),
            (
                "相关推荐|相關推薦|相关文章|相關文章|相关阅读|相關閱讀|延伸阅读|延伸閱讀"
                "|延伸閲讀|推荐阅读|推薦閱讀|猜你喜欢|猜你喜歡|热门文章"
                "|熱門文章|相关新闻|相關新聞|関連記事|関連ニュース|おすすめ記事"
                "|あわせて読みたい|人気記事"
            ),
        ),
    ),
    (
        "tip buttons",
        _vocabulary(
            (
                "donate|donation|tip jar|buy me a coffee|support us|doação|doe|apoie"
                "|donar|donación|faire un don|spenden"
            ),
            ("打赏|打賞|赞赏|讚賞|支付宝|支付寶|微信支付|赞助|贊助|投げ銭"),
        ),
    ),
    (
        "share buttons",
        _vocabulary(
            (
                "share|shares|share this|tweet|facebook|twitter|linkedin|whatsapp"
                "|telegram|pinterest|reddit|print|compartilhe|compartilhar|partilhar"
                "|partilhe|imprimir|compartir|comparte|partager|partagez|imprimer"
                "|teilen|drucken"
            ),
            ("分享|转发|轉發|扫一扫|掃一掃|朋友圈|微博|シェア|ツイート|はてブ|ブックマーク"),
        ),
    ),
    (
        "comment form",
        _vocabulary(
            (
                "comment|comments|leave a reply|leave a comment|reply|replies"
                "|required fields|will not be published|comentário|comentários|comente"
                "|comentar|deixe um comentário|responder|campos obrigatórios"
                "|não será publicado|comentario|comentarios|deja un comentario"
                "|commentaire|commentaires|laisser un commentaire|répondre|kommentar"
                "|kommentare"
            ),
            (
                "评论|評論|发表回复|發表回覆|回复|回覆|留言|邮箱地址|郵箱地址|电子邮件地址"
                "|電子郵件地址|不会被公开|不會被公開|必填|コメント"
                "|返信|メールアドレス|必須項目"
            ),
        ),
    ),
    (
        "newsletter",
        _vocabulary(
            (
                "newsletter|subscribe|sign up|inscreva-se|assine|cadastre-se|suscríbete"
                "|suscribete|suscribirse|abonnez-vous|inscrivez-vous|abonnieren"
            ),
            ("订阅|訂閱|购读|購読|メルマガ|ニュースレター"),
        ),
    ),
    (
        "previous/next links",
        _vocabulary(
            (
                "previous|next|prev|older post|newer post|previous post|next post"
                "|anterior|próximo|próxima|seguinte|siguiente|précédent|précédente"
                "|suivant|suivante|zurück|weiter"
            ),
            (
                "上一篇|下一篇|上一页|下一页|上一頁|下一頁|上一条|下一条|上一條|下一條|前の記事"
                "|次の記事|前へ|次へ"
            ),
        ),
    ),
    (
        "copyright notice",
        _vocabulary(
            (
                "copyright|all rights reserved|direitos reservados|derechos reservados"
                "|droits réservés|reprodução|republish|alle rechte vorbehalten"
            ),
            ("©|版权|版權|转载|轉載|来源于网络|來源於網絡|來源於網路|侵权|侵權|無断転載|著作権"),
        ),
    ),
    (
        "editor credit",
        _vocabulary(
            (
                "editor|editora|edited by|redator|redatora|redação|redacción|redactor"
                "|rédaction|rédacteur|reporter|repórter|author|autor|autora|auteur"
                "|written by|escrito por|posted by|publicado por|published by"
            ),
            ("责任编辑|責任編輯|责编|責編|编辑|編輯|作者|记者|記者|发布者|發布者|撰稿|編集|執筆"),
        ),
    ),
    (
        "follow us",
        _vocabulary(
            ("follow us|follow|siga-nos|siga|síguenos|suivez-nous|folgen sie"),
            ("关注|關注|公众号|公眾號|二维码|二維碼|フォロー"),
        ),
    ),
    (
        "author avatar",
        _vocabulary(("avatar|gravatar"), ("头像|頭像|アバター")),
    ),
    (
        "sources label",
        _vocabulary(
            (
                "sources|source|fontes|fonte|fuentes|fuente|references|referências"
                "|références|quellen"
            ),
            ("来源|來源|出典|参考资料|參考資料|参考文献"),
        ),
    ),
)
_RELATED = _CHROME[0][1]

_CALL_TO_ACTION = _vocabulary(
    (
        "newsletter|subscribe|sign up|follow us|inscreva-se|assine|cadastre-se"
        "|siga-nos|suscríbete|suscribete|síguenos|abonnez-vous|inscrivez-vous"
        "|suivez-nous|abonnieren"
    ),
    ("订阅|訂閱|关注我们|關注我們|关注公众号|關注公眾號|購読|メルマガ|フォローして"),
)

_MONTHS = (
    "janeiro fevereiro março marco abril maio junho julho agosto setembro outubro novembro "
    "dezembro jan fev abr mai jun jul ago set out dez january february march april may june "
    "july august september october november december feb mar apr aug sep sept oct nov dec "
    "enero febrero marzo mayo junio julio septiembre setiembre octubre noviembre diciembre ene "
    "dic janvier février fevrier mars avril juin juillet août aout septembre octobre novembre "
    "décembre decembre déc januar jänner februar märz juni juli oktober dezember"
)
_WEEKDAYS = (
    "segunda terça terca quarta quinta sexta sábado sabado domingo feira monday tuesday "
    "wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "lunes martes miércoles miercoles jueves viernes lundi mardi mercredi jeudi vendredi samedi "
    "dimanche montag dienstag mittwoch donnerstag freitag samstag sonntag"
)
_DATE_FILLERS = (
    "de del of the às as at à a le el em on um h hs am pm utc gmt cet cest bst est edt pst pdt "
    "brt jst updated update atualizado atualizada actualizado publicado publicada published "
    "posted mis jour publié le am um uhr"
)
_DATE_WORDS = frozenset((_MONTHS + " " + _WEEKDAYS + " " + _DATE_FILLERS).split())
_MONTH_WORDS = frozenset(_MONTHS.split())
_CJK_WEEKDAY = re.compile(
    r"(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]"
    r"|[（(][月火水木金土日](?:曜日?)?[）)]|[月火水木金土日]曜日?"
)
_CJK_DATE_CHARS = re.compile(r"[年月日号號时時分秒点點上下午前後后（）()]")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:：h]\d{2}(?::\d{2})?(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?!\d)")
_TIME_ONLY = re.compile(r"^\d{1,2}[:：]\d{2}(?::\d{2})?$")
_COUNTER = re.compile(
    r"^(?:[(\[（]\s*[\d.,]+\s*[kKmM万萬]?\s*[)\]）]|[\d.,]+\s*[kKmM万萬]?)$"
    r"|^[\d.,]+\s*[kKmM万萬]?\s*(?:views?|comments?|likes?|shares?|visualizações|comentários"
    r"|curtidas|vistas|visitas|comentarios|vues|commentaires|阅读|閱讀|浏览|瀏覽|评论|評論"
    r"|赞|讚|次|人|件)$"
    r"|^(?:views?|阅读|閱讀|浏览|瀏覽|评论|評論|点赞|點讚)\s*[:：]?\s*[\d.,]+\s*[kKmM万萬]?$",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"^(?:[^\s:：]{1,20}\s*[:：]\s*)?(?:https?://|www\.)\S+$", re.IGNORECASE)

_PERSON = (
    r"[A-ZÀ-Þ][\w'’.-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.-]+|de|da|do|dos|das|van|von|der|del|la|le|di))*"
)
_BYLINE_LATIN = re.compile(
    rf"^(?:(?:by|por|par|von|text|texto|reportagem|reporting)\s*:?\s+{_PERSON}"
    rf"(?:\s*(?:,|&|\band\b|\be\b|\by\b|\bet\b|\bund\b)\s*{_PERSON})*"
    rf"|{_PERSON}(?:\s*(?:,|&|\band\b|\be\b|\by\b|\bet\b|\bund\b)\s*{_PERSON})+)$"
)
_BYLINE_CJK = re.compile(
    r"^(?:文|作者|记者|記者|撰文|撰稿|编辑|編輯|责编|責編|文・写真|取材・文)\s*[/:：|｜・]\s*\S"
)

_CREDIT_START = re.compile(
    r"^(?:(?:photo|image|picture|illustration|graphic|foto|fotografia|imagem|imagen|ilustração"
    r"|ilustracao|ilustración|gráfico|crédito|credito|credit|crédit)s?\s*(?:[:：©(]|by\b|por\b"
    r"|par\b|de\b|credits?\b|créditos?\b|gerad[ao]s?\b|generated\b|generad[ao]\b|générée?s?\b"
    r"|courtesy\b|cortesia\b|cortesía\b|via\b)"
    r"|(?:source|fonte|fuente|quelle)s?\s*[:：]"
    r"|(?:摄影师|攝影師|摄影|攝影|图片来源|圖片來源|图源|圖源|图片|圖片|题图|題圖|配图|配圖|资料来源|資料來源"
    r"|来源|來源|写真|画像|撮影|出典|出所|図版)\s*[:：/／=＝]"
    r"|[（(](?:写真|撮影|画像|图|圖)\s*[:：=＝]?)",
    re.IGNORECASE,
)
_CREDIT_SOURCES = (
    "getty images",
    "shutterstock",
    "unsplash",
    "reuters",
    "associated press",
    "afp",
    "epa",
    "dall-e",
    "dall·e",
    "midjourney",
    "stable diffusion",
    "adobe stock",
    "istock",
    "bloomberg",
    "xinhua",
    "kyodo",
)
_CREDIT_ANYWHERE = _vocabulary("|".join(_CREDIT_SOURCES))
_AGENCIES_CJK = (
    "彭博社",
    "路透社",
    "美联社",
    "美聯社",
    "法新社",
    "新华社",
    "新華社",
    "中新社",
    "共同社",
    "欧新社",
    "歐新社",
    "盖蒂图片社",
    "蓋蒂圖片社",
    "视觉中国",
    "視覺中國",
    "东方IC",
    "東方IC",
    "共同通信",
    "時事通信",
    "ロイター",
    "ゲッティ",
)
# "攝影師:安德烈·魯達科夫/彭博社上週…": a credit glued into running text by a scraper. The
# agency after the slash ends it: a known agency, or a Latin word run that meets CJK text.
_INLINE_CREDIT = re.compile(
    r"(?:摄影师|攝影師|摄影|攝影|图片来源|圖片來源|图源|圖源|写真|撮影|photo|foto|image|imagem|imagen)"
    r"\s*[:：]\s*[^:：。.!?！？/\n]{1,40}?\s*[/／]\s*"
    r"(?:"
    + "|".join(re.escape(agency) for agency in _AGENCIES_CJK + _CREDIT_SOURCES)
    + r"|[A-Za-z][A-Za-z&. -]*[A-Za-z.](?=[\u3040-\u30ff\u3400-\u9fff]))",
    re.IGNORECASE,
)
_READ_MORE = re.compile(
    r"(?:^|(?<=[。.!?！？\s]))(?:read more|read also|also read|see also|leia mais|leia também"
    r"|veja também|saiba mais|lee también|lea también|lire aussi|à lire aussi|阅读更多|閱讀更多"
    r"|閲讀更多|延伸阅读|延伸閱讀|延伸閲讀|相关阅读|相關閱讀|推荐阅读|推薦閱讀|関連記事|あわせて読みたい"
    r"|続きを読む)\s*[:：]\s*[^。!?！？]*$",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"'”’»)]*\s+(?=\S)|(?<=[。！？])[」』”）)]*")


# --- line classifiers ----------------------------------------------------------------


def chrome_reasons(text: str) -> list[str]:
    """Names of the chrome vocabularies a line uses, in the fixed order of _CHROME."""
    return [reason for reason, pattern in _CHROME if pattern.search(text)]


def chrome_word_count(text: str) -> int:
    """How many chrome words a line uses, over all vocabularies."""
    return sum(len(pattern.findall(text)) for _, pattern in _CHROME)


def is_date_line(text: str) -> bool:
    """A dateline or timestamp, in words or digits, with nothing else on the line."""
    text = text.strip()
    if not text or display_width(text) > 60 or not any(c.isdigit() for c in text):
        return False
    has_date = bool(
        _YEAR.search(text)
        or _CLOCK.search(text)
        or _NUMERIC_DATE.search(text)
        or re.search(r"\d\s*[年月]", text)
    )
    rest = _CJK_WEEKDAY.sub(" ", text.casefold())
    rest = _CJK_DATE_CHARS.sub(" ", rest)
    words = re.findall(r"[^\W\d_]+", rest)
    if any(word not in _DATE_WORDS for word in words):
        return False
    if any(is_cjk_char(c) and c.isalpha() for c in rest):
        return False
    return has_date or any(word in _MONTH_WORDS for word in words)


def is_counter(text: str) -> bool:
    return bool(_COUNTER.match(text.strip()))


def is_caps_label(text: str) -> bool:
    """ "FONTES:", "REDATOR", "RELATED STORIES": a short Latin label in capitals."""
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 3
        and all(not is_cjk_char(c) for c in letters)
        and text.upper() == text
        and len(text.split()) <= 4
        and display_width(text) <= SHORT_WIDTH
    )


def is_headline_like(unit: Unit) -> bool:
    """A line that reads like a headline, header or label rather than prose."""
    return (
        not unit.bullet
        and unit.kind in ("paragraph", "heading")
        and not ends_sentence(unit.text)
        and display_width(unit.text) <= HEADLINE_WIDTH
    )


def is_related_heading(text: str) -> bool:
    return display_width(text) <= 50 and not ends_sentence(text) and bool(_RELATED.search(text))


def is_image_credit(text: str) -> bool:
    """A stand-alone photo/image credit or caption source."""
    if display_width(text) > 120:
        return False
    start = _CREDIT_START.match(text)
    if start:
        if not text[start.end() :].strip(" :："):
            return False  # a bare "Source:" label introduces a list, it credits nothing
        return not ends_sentence(text) or display_width(text) <= 60
    if _CREDIT_ANYWHERE.search(text) and display_width(text) <= 60 and not ends_sentence(text):
        return "/" in text or "©" in text or len(text.split()) <= 5
    return False


def is_byline(text: str, after_title: bool) -> bool:
    """Author names under a headline ("By Ana Lima", "Shirin Ghaffary, Rachel Metz", "文/…")."""
    if display_width(text) > 80:
        return False
    if _BYLINE_CJK.match(text):
        return True
    match = _BYLINE_LATIN.match(text)
    if match is None:
        return False
    prefixed = bool(re.match(r"(?i)(?:by|por|par|von|text|texto|reportagem|reporting)\b", text))
    return prefixed or after_title


def _trailing_reason(unit: Unit) -> str | None:
    """Why a unit in the tail of a page is furniture; "short line" is a weak reason."""
    text = unit.text
    width = display_width(text)
    if is_related_heading(text):
        return "related links"
    if is_date_line(text) or _TIME_ONLY.match(text):
        return "timestamp"
    if is_counter(text):
        return "counter"
    if _URL_ONLY.match(text):
        return "link"
    reasons = chrome_reasons(text)
    if reasons and (
        width <= KEYWORD_WIDTH
        or _URL.search(text)
        or (chrome_word_count(text) >= 2 and width <= NOTICE_WIDTH)
    ):
        return reasons[0]
    if is_caps_label(text):
        return "label"
    if is_image_credit(text):
        return "image credit"
    if _ELLIPSIS_END.search(text) and (unit.bullet or unit.indent >= 2):
        return "related links"  # a teaser cut off with "…" in an indented list
    if width < SHORT_WIDTH and not ends_sentence(text):
        return _WEAK
    return None


_WEAK = "short line"


# --- the cleaner ---------------------------------------------------------------------


class _Collector:
    """Removed pieces, kept in document order."""

    def __init__(self) -> None:
        self.records: list[tuple[tuple[int, int, int], RemovedBlock]] = []
        self.dropped: list[Unit] = []
        self.trimmed: list[tuple[Unit, str]] = []

    def drop(self, unit: Unit, reason: str) -> None:
        self._record(unit, unit.offset, unit.text, reason)
        self.dropped.append(unit)

    def trim(self, unit: Unit, offset: int, text: str, reason: str) -> None:
        self._record(unit, offset, text, reason)
        self.trimmed.append((unit, text))

    def _record(self, unit: Unit, offset: int, text: str, reason: str) -> None:
        start = unit.lines[0] if unit.lines is not None else unit.block
        self.records.append(((start, offset, len(self.records)), RemovedBlock(text, reason)))

    def removed(self) -> tuple[RemovedBlock, ...]:
        return tuple(block for _, block in sorted(self.records, key=lambda item: item[0]))


def clean_units(units: Sequence[Unit]) -> CleanResult:
    """Apply every rule, in order: inline furniture, leading zone, stand-alone credits and
    repeats, related-links zone, trailing zone, closing call to action."""
    out = _Collector()
    kept = _split_inline_furniture(list(units), out)
    kept, title = _leading_zone(kept, out)
    kept = _standalone_furniture(kept, title, out)
    kept = _related_zone(kept, out)
    kept = _trailing_zone(kept, out)
    kept = _closing_call_to_action(kept, out)
    return CleanResult(
        units=tuple(kept),
        removed=out.removed(),
        title_line=title,
        dropped=tuple(out.dropped),
        trimmed=tuple(out.trimmed),
    )


def _split_inline_furniture(units: list[Unit], out: _Collector) -> list[Unit]:
    """Cut photo credits (with the caption before them) and "read more: …" links out of text."""
    result: list[Unit] = []
    for unit in units:
        pieces = _cut_inline_credits(unit, out)
        for piece in pieces:
            result.extend(_cut_read_more(piece, unit, out))
    return result


def _cut_inline_credits(unit: Unit, out: _Collector) -> list[Unit]:
    text = unit.text
    match = _INLINE_CREDIT.search(text)
    if match is None or is_image_credit(text):
        return [unit]
    pieces: list[Unit] = []
    prefix = text[: match.start()]
    if prefix.strip():
        sentences = split_sentences(prefix)
        caption = sentences[-1]
        body = prefix[: len(prefix) - len(caption)].strip()
        if display_width(caption) <= 80:
            out.trim(unit, unit.offset + len(body), caption.strip(), "image caption")
        else:
            body = prefix.strip()
        if body:
            pieces.append(replace(unit, text=body))
    out.trim(unit, unit.offset + match.start(), match.group(0).strip(), "image credit")
    suffix = text[match.end() :].strip()
    if suffix:
        rest = replace(unit, text=suffix, offset=unit.offset + match.end())
        pieces.extend(_cut_inline_credits(rest, out))
    return pieces


def _cut_read_more(piece: Unit, original: Unit, out: _Collector) -> list[Unit]:
    match = _READ_MORE.search(piece.text)
    if match is None:
        return [piece]
    if not piece.text[: match.start()].strip():
        out.drop(piece, "read-more link")
        return []
    out.trim(original, piece.offset + match.start(), match.group(0).strip(), "read-more link")
    return [replace(piece, text=piece.text[: match.start()].rstrip())]


def _leading_zone(units: list[Unit], out: _Collector) -> tuple[list[Unit], str | None]:
    """Site name, dateline, headline and byline lines above the first real paragraph."""
    lead: list[int] = []
    for index, unit in enumerate(units[:8]):
        if is_date_line(unit.text) or is_headline_like(unit):
            lead.append(index)
        else:
            break
    if len(lead) == len(units):
        lead = lead[:-1]  # keep at least one unit of text
    # The headline is the widest candidate: site names and section labels are shorter.
    title_index: int | None = None
    for index in lead:
        text = units[index].text
        if is_date_line(text) or is_byline(text, after_title=False):
            continue
        substantial = len(latin_words(text)) >= 3 or cjk_count(text) >= 6
        if substantial and (
            title_index is None or display_width(text) > display_width(units[title_index].text)
        ):
            title_index = index
    reasons: dict[int, str] = {}
    for index in lead:
        text = units[index].text
        after_title = title_index is not None and index > title_index
        if is_date_line(text):
            reasons[index] = "dateline"
        elif is_byline(text, after_title):
            reasons[index] = "byline"
        elif index == title_index:
            reasons[index] = "title line"
        elif (
            title_index is not None
            and index < title_index
            and len(latin_words(text)) <= 4
            and display_width(text) <= 30
        ):
            reasons[index] = "site header"
    kept: list[Unit] = []
    for index, unit in enumerate(units):
        if index in reasons:
            out.drop(unit, reasons[index])
        else:
            kept.append(unit)
    title = units[title_index].text if title_index is not None else None
    return kept, title


def _standalone_furniture(units: list[Unit], title: str | None, out: _Collector) -> list[Unit]:
    """Image credits, stray timestamps/counters and repeated headlines anywhere in the text."""
    title_key = _comparable(title) if title else ""
    seen = {title_key} if title_key else set()
    kept: list[Unit] = []
    for unit in units:
        text = unit.text
        reason: str | None = None
        if is_image_credit(text):
            reason = "image credit"
        elif _TIME_ONLY.match(text) or (is_counter(text) and text[:1] in "([（"):
            reason = "stray timestamp or counter"
        elif is_headline_like(unit) and display_width(text) <= NOTICE_WIDTH:
            key = _comparable(text)
            if key and (
                key in seen
                or (
                    title_key
                    and len(key) >= max(6, len(title_key) // 2)
                    and title_key.startswith(key)
                )
            ):
                reason = "repeated headline"
            elif key:
                seen.add(key)
        if reason is None:
            kept.append(unit)
        else:
            out.drop(unit, reason)
    return kept


def _is_list_like(unit: Unit) -> bool:
    return (
        unit.bullet
        or unit.indent >= 2
        or _trailing_reason(unit) is not None
        or bool(_ELLIPSIS_END.search(unit.text))
    )


def _related_zone(units: list[Unit], out: _Collector) -> list[Unit]:
    """ "Related posts" heading followed only by teasers, links, dates and counters."""
    for start in range(1, len(units)):
        if is_related_heading(units[start].text) and all(
            _is_list_like(unit) for unit in units[start + 1 :]
        ):
            for unit in units[start:]:
                reason = _trailing_reason(unit)
                out.drop(unit, "related links" if reason in (None, _WEAK) else str(reason))
            return units[:start]
    return units


def _trailing_zone(units: list[Unit], out: _Collector) -> list[Unit]:
    """From the end, while lines are furniture; weak (merely short) lines go only when a
    stronger signal sits at or above them, so a short last line of prose survives."""
    top_strong: int | None = None
    reasons: dict[int, str] = {}
    index = len(units) - 1
    while index > 0:
        reason = _trailing_reason(units[index])
        if reason is None:
            break
        reasons[index] = reason
        if reason != _WEAK:
            top_strong = index
        index -= 1
    if top_strong is None:
        return units
    for unit_index in range(top_strong, len(units)):
        reason = reasons[unit_index]
        out.drop(units[unit_index], "trailing short line" if reason == _WEAK else reason)
    return units[:top_strong]


def _closing_call_to_action(units: list[Unit], out: _Collector) -> list[Unit]:
    """ "Subscribe to our newsletter …" sentences at the very end of the article."""
    units = list(units)
    for _ in range(3):
        if len(units) < 2:
            break
        last = units[-1]
        sentences = split_sentences(last.text)
        if not _CALL_TO_ACTION.search(sentences[-1]):
            break
        if len(sentences) == 1:
            out.drop(last, "call to action")
            units.pop()
            continue
        cta = sentences[-1]
        out.trim(last, last.offset + len(last.text) - len(cta), cta.strip(), "call to action")
        units[-1] = replace(last, text=last.text[: len(last.text) - len(cta)].rstrip())
        break
    return units


def split_sentences(text: str) -> list[str]:
    """Rough sentence split, enough to find a closing sentence: pieces keep their text so
    that "".join(pieces) == text."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_SPLIT.finditer(text):
        end = match.end()
        if end > start and text[start:end].strip():
            pieces.append(text[start:end])
            start = end
    if text[start:].strip() or not pieces:
        pieces.append(text[start:])
    else:
        pieces[-1] += text[start:]
    return pieces
