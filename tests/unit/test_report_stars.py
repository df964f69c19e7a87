"""The survey's stars in the service report PDF: five of one glyph drawn by one font at one
size, the given ones dark and the rest light (☆ was a thin outline, or a fallback font's
glyph, and looked smaller than ★). Read back with pypdfium2: the font of each star, and the
pixels of the rendered page."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from bot.documents.service_report import Fields, Rating, ReportPage, html_of, pdf


def stars_page(stars: int, words: str) -> bytes:
    block = Fields("满意度调查", [("评分", Rating(stars, words))])
    page = ReportPage("zh-CN", "售后服务报告", "", [block])
    return pdf(page)


def test_the_html_gives_the_stars_one_glyph_and_two_shades() -> None:
    page = ReportPage("en", "t", "", [Fields("s", [("Rating", Rating(2, " (2 / 5 <stars>)"))])])
    html = html_of(page)
    assert '<span class="star">★★</span><span class="star off">★★★</span>' in html
    assert " (2 / 5 &lt;stars&gt;)" in html and "☆" not in html


def test_every_star_is_drawn_by_one_font_at_one_size_dark_then_light() -> None:
    doc = pdfium.PdfDocument(stars_page(2, "（2 / 5 星）"))
    page = doc[0]
    tp = page.get_textpage()
    text = tp.get_text_range()
    first = text.index("★")
    assert text[first:].startswith("★★★★★（2 / 5 星）")
    fonts, boxes = set(), []
    for i in range(first, first + 5):
        name = ctypes.create_string_buffer(256)
        raw.FPDFText_GetFontInfo(tp.raw, i, name, 256, None)
        fonts.add((name.value, raw.FPDFText_GetFontSize(tp.raw, i)))
        boxes.append(tp.get_charbox(i))
    assert len(fonts) == 1, fonts
    heights = {round(top - bottom, 2) for _, bottom, _, top in boxes}
    assert len(heights) == 1, heights
    # The centre of each star on the rendered page: the two given ones dark, the rest light.
    scale = 4
    image = page.render(scale=scale).to_pil().convert("L")
    shades = []
    for left, bottom, right, top in boxes:
        x = (left + right) / 2 * scale
        y = (page.get_height() - (bottom + top) / 2) * scale
        shades.append(image.getpixel((int(x), int(y))))
    assert all(s < 90 for s in shades[:2]) and all(150 < s < 235 for s in shades[2:]), shades
