"""Words and numbers in block letters as big as the widget's space allows, to be read
from a bench two metres away.

A small bitmap font (five pixels tall, most glyphs three wide) is scaled by the largest
whole factor that fits; each cell draws two pixel rows with full and half blocks, so
pixels are about square and a factor of 2 is five rows tall. Textual's `Digits` is fixed
at three rows and has no letters, and no maintained library scales a font to a box.
"""

from __future__ import annotations

from functools import lru_cache

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

FONT_HEIGHT = 5
"""Pixel rows of every glyph."""
_FONT_ROWS: dict[str, tuple[str, str, str, str, str]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
    " ": ("..", "..", "..", "..", ".."),
    ":": (".", "#", ".", "#", "."),
    ".": (".", ".", ".", ".", "#"),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    "-": ("...", "...", "###", "...", "..."),
    "?": ("##.", "..#", ".#.", "...", ".#."),
    "!": ("#", "#", "#", ".", "#"),
}
FONT: dict[str, tuple[tuple[bool, ...], ...]] = {
    char: tuple(tuple(pixel == "#" for pixel in row) for row in rows)
    for char, rows in _FONT_ROWS.items()
}
"""Each glyph's pixels, row by row."""
HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def drawn_width(text: str, scale: int) -> int:
    """Cells across `text` at `scale`, one scaled pixel between glyphs."""
    pixels = sum(len(FONT[char][0]) for char in text) + max(len(text) - 1, 0)
    return pixels * scale


def drawn_height(scale: int) -> int:
    """Rows down the font at `scale`: two pixel rows a cell."""
    return -(-FONT_HEIGHT * scale // 2)


def fitting_scale(text: str, width: int, height: int) -> int:
    """The largest whole factor at which `text` fits the box; 0 if none does (or the text
    has a character the font lacks)."""
    if not text or any(char not in FONT for char in text):
        return 0
    scale = 0
    while drawn_width(text, scale + 1) <= width and drawn_height(scale + 1) <= height:
        scale += 1
    return scale


@lru_cache(maxsize=256)
def block_lines(text: str, scale: int) -> tuple[str, ...]:
    """`text` in block letters at `scale` (which must be at least 1)."""
    pixel_rows: list[list[bool]] = [[] for _ in range(FONT_HEIGHT * scale)]
    for position, char in enumerate(text):
        for row_index, row in enumerate(FONT[char]):
            pixels = ([False] if position else []) + list(row)
            wide = [pixel for pixel in pixels for _ in range(scale)]
            for repeat in range(scale):
                pixel_rows[row_index * scale + repeat].extend(wide)
    if len(pixel_rows) % 2:
        pixel_rows.append([False] * len(pixel_rows[0]))
    return tuple(
        "".join(HALF_BLOCKS[pair] for pair in zip(top, bottom, strict=True))
        for top, bottom in zip(pixel_rows[::2], pixel_rows[1::2], strict=True)
    )


class BigText(Widget):
    """`value` as big as fits; as one bold line when even the smallest block letters do
    not fit (a long name of the lifter's own, a short terminal)."""

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        text-align: center;
    }
    """

    value: reactive[str] = reactive("")
    """What to draw; letters are drawn in capitals."""

    def render(self) -> Content:
        text = self.value.upper()
        width, height = self.content_size
        scale = fitting_scale(text, width, height)
        if scale == 0:
            return Content(self.value).stylize("bold")
        return Content("\n".join(block_lines(text, scale)))
