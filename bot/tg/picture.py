"""/cities as a picture: Thailand's members on a timeline by year joined, drawn once as a PNG.

Thai labels need a font with Thai glyphs, which a bare system may not have: the Noto Sans Thai
font comes from a PyPI package (fontpkg-noto-sans-thai), so every install draws the same picture.
Without it Pillow's own font is used and Thai would come out as empty boxes ("tofu"), so `tofu()`
checks a font before the picture is trusted. The picture only repeats the text list of /cities,
which stays for screen readers and for anyone who cannot see images.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.knowledge import BE_OFFSET, KnowledgeBase, Lang

log = logging.getLogger(__name__)

FONT_FAMILY = "Noto Sans Thai"
WIDTH = 1080
MARGIN = 64
TITLE_SIZE, YEAR_SIZE, CITY_SIZE = 44, 40, 34
LINE = 52               # height of one line of city names
YEAR_GAP = 34           # space between two years
RAIL_X = 250            # where the timeline runs
BACKGROUND, INK, ACCENT = "#f6f8fb", "#1b2430", "#0a66c2"
#: A character no font draws: what a missing glyph (.notdef, "tofu") looks like in a given font.
_NO_GLYPH = "\U0010fffd"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class Year:
    label: str
    cities: tuple[str, ...]


def font_path() -> Path | None:
    """The packaged Thai font, or None when the package is not installed."""
    try:
        import fontpkg
        return Path(fontpkg.path(FONT_FAMILY))
    except Exception as exc:   # ImportError, or fontpkg's FamilyNotInstalled
        log.warning("no Thai font (%s): the /cities picture would show boxes for Thai", exc)
        return None


def load_font(path: Path | None, size: int, *, bold: bool = False) -> Font:
    """The font at `path` (its bold instance if asked), or Pillow's built-in font without one."""
    if path is None:
        return ImageFont.load_default(size)
    font = ImageFont.truetype(str(path), size)
    if bold:
        try:
            font.set_variation_by_name("Bold")
        except (OSError, ValueError):   # not a variable font: keep the regular weight
            pass
    return font


def tofu(font: Font, text: str) -> set[str]:
    """The characters of `text` that `font` cannot draw (each drawn as the .notdef box).

    >>> sorted(tofu(load_font(font_path(), 24), "ขอนแก่น Khon Kaen"))
    []
    """
    missing = _mask(font, _NO_GLYPH)
    return {ch for ch in set(text)
            if not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Me") and _mask(font, ch) == missing}


def _mask(font: Font, text: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(text)
    return mask.size, bytes(mask)


def years_of(kb: KnowledgeBase, lang: Lang) -> tuple[Year, ...]:
    """The members grouped by the year they joined, oldest first, in the reader's calendar."""
    years = sorted({c.joined for c in kb.cities})
    return tuple(Year(str(y + BE_OFFSET if lang == "th" else y),
                      tuple(c.short.get(lang) for c in sorted(kb.cities, key=lambda c: c.short.get(lang)) if c.joined == y))
                 for y in years)


def timeline(years: Sequence[Year], title: str, *, font: Path | None = None) -> bytes:
    """The timeline as PNG bytes: a title, then one dot per year with the cities that joined then."""
    title_font = load_font(font, TITLE_SIZE, bold=True)
    year_font = load_font(font, YEAR_SIZE, bold=True)
    city_font = load_font(font, CITY_SIZE)
    text_x = RAIL_X + 44
    rows = [(year, _wrap(year.cities, ", ", city_font, WIDTH - MARGIN - text_x)) for year in years]
    title_lines = _wrap(title.split(" "), " ", title_font, WIDTH - 2 * MARGIN)
    top = MARGIN + len(title_lines) * (TITLE_SIZE + 16) + 28
    dots = []
    y = top
    for _, lines in rows:
        dots.append(y + LINE // 2)
        y += max(1, len(lines)) * LINE + YEAR_GAP
    image = Image.new("RGB", (WIDTH, y + MARGIN - YEAR_GAP), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(title_lines):
        draw.text((MARGIN, MARGIN + n * (TITLE_SIZE + 16)), line, font=title_font, fill=INK)
    if dots:
        draw.line((RAIL_X, dots[0], RAIL_X, dots[-1]), fill=ACCENT, width=4)
    for (year, lines), dot in zip(rows, dots):
        draw.text((RAIL_X - 28, dot), year.label, font=year_font, fill=ACCENT, anchor="rm")
        draw.ellipse((RAIL_X - 12, dot - 12, RAIL_X + 12, dot + 12), fill=ACCENT, outline=BACKGROUND, width=3)
        for n, line in enumerate(lines):
            draw.text((text_x, dot + n * LINE), line, font=city_font, fill=INK, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wrap(words: Sequence[str], separator: str, font: Font, width: int) -> list[str]:
    """Join words with `separator` into lines that fit `width` pixels, never breaking inside one."""
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]}{separator}{word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines
