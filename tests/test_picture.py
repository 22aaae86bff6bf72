"""The /cities picture: drawn from the city table, of a size Telegram takes, Thai drawn as Thai."""

from __future__ import annotations

import io

from PIL import Image, ImageChops

from bot.knowledge import KnowledgeBase
from bot.tg import picture

THAI_TITLE = "เมืองแห่งการเรียนรู้ของยูเนสโกในไทย"


def test_the_thai_font_draws_every_thai_label_and_the_builtin_font_would_not(kb: KnowledgeBase) -> None:
    labels = THAI_TITLE + "".join(name for year in picture.years_of(kb, "th") for name in year.cities)
    assert picture.font_path() is not None, "fontpkg-noto-sans-thai is a dependency"
    assert picture.tofu(picture.load_font(picture.font_path(), 34), labels) == set()
    # The check can fail: without the font, Thai letters come out as the .notdef box.
    missing = picture.tofu(picture.load_font(None, 34), labels)
    assert {"ข", "อ", "น", "ก"} <= missing


def test_the_timeline_is_a_png_telegram_accepts_with_a_row_per_year(kb: KnowledgeBase) -> None:
    years = picture.years_of(kb, "en")
    assert [y.label for y in years] == [str(y) for y in sorted({c.joined for c in kb.cities})]
    assert sum(len(y.cities) for y in years) == len(kb.cities)
    png = picture.timeline(years, "Thailand's UNESCO learning cities", font=picture.font_path())
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = image.size
    assert width == picture.WIDTH and 400 <= height <= 2000          # one screen, not a strip
    assert width + height <= 10000 and len(png) < 300_000             # Telegram's limits; a light upload


def test_thai_glyphs_were_drawn_not_tofu(kb: KnowledgeBase) -> None:
    """The same Thai picture drawn without the font (boxes for every Thai letter) is another picture."""
    years = picture.years_of(kb, "th")
    assert years[0].label == str(min(c.joined for c in kb.cities) + 543)       # Buddhist-era years
    with_font = Image.open(io.BytesIO(picture.timeline(years, THAI_TITLE, font=picture.font_path()))).convert("L")
    without = Image.open(io.BytesIO(picture.timeline(years, THAI_TITLE, font=None))).convert("L")
    assert ImageChops.difference(with_font.crop((0, 0, *without.size)), without).getbbox() is not None
