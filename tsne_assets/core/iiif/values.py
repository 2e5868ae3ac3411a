"""IIIF Presentation values as plain text: language maps (v3), language-tagged values (v2).

Version 3 writes text as a language map, ``{"en": ["Vase"], "none": ["..."]}``; version 2 as a
string, a ``{"@value": ..., "@language": ...}`` object or a list of either. Both may hold a
little HTML (``<b>``, ``<a>``...), which the viewer would show as text: tags are dropped and
entities decoded, so visitors read the words.
"""

from __future__ import annotations

import html
import re
from typing import Any

#: Tags of the small HTML subset IIIF allows in values, and comments.
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
#: The language that is preferred after the configured one.
FALLBACK_LANGUAGE = "en"


def plain(text: str) -> str:
    """``text`` without HTML tags, with entities decoded and runs of white space as one space."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    return " ".join(html.unescape(text).split())


def _matches(tag: str | None, language: str) -> bool:
    """Whether the language tag ``tag`` (``en-GB``) is ``language`` (``en``) or a variant of it."""
    return bool(tag) and (tag.lower() == language or tag.lower().startswith(language + "-"))


def _choose(by_language: list[tuple[str | None, str]], language: str | None) -> list[str]:
    """The texts in the configured ``language``, else in English, else those of the first tag."""
    for wanted in (language, FALLBACK_LANGUAGE):
        if wanted:
            chosen = [text for tag, text in by_language if _matches(tag, wanted.lower())]
            if chosen:
                return chosen
    first = by_language[0][0] if by_language else None
    return [text for tag, text in by_language if tag == first]


def _pairs(value: Any) -> list[tuple[str | None, str]]:
    """``(language tag, text)`` pairs of a v2 or v3 value; ``None`` tags a text without one."""
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [(None, str(value))]
    if isinstance(value, list):
        return [pair for item in value for pair in _pairs(item)]
    if isinstance(value, dict):
        if "@value" in value:
            return [(value.get("@language"), str(value["@value"]))]
        return [
            (None if tag == "none" else tag, str(text))
            for tag, texts in value.items()
            for text in (texts if isinstance(texts, list) else [texts])
            if isinstance(text, (str, int, float))
        ]
    return []


def text_of(value: Any, language: str | None = None, separator: str = "; ") -> str:
    """A v2 or v3 value as plain text in one language: ``language``, else English, else the
    first language given (texts without a language count as one). Several texts are joined by
    ``separator``; an absent or unreadable value is ``""``."""
    texts = [plain(text) for text in _choose(_pairs(value), language)]
    return separator.join(text for text in texts if text)
