"""The size of a note box: big enough for its text, no bigger (pure arithmetic, any backend)."""

from __future__ import annotations

__all__ = ["note_box"]


NOTE_CHAR_PX = 6.5  # a half-width character of the note font (9 pt); a CJK character counts twice
NOTE_LINE_PX = 15
NOTE_MIN_WIDTH, NOTE_MAX_WIDTH = 160, 360


def note_box(text: str) -> tuple[int, int]:
    """(width, height) in pixels of a note box that shows ``text`` whole, wrapped at NOTE_MAX_WIDTH."""
    units = [sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.splitlines() or [""]]
    width = int(min(NOTE_MAX_WIDTH, max(NOTE_MIN_WIDTH, max(units) * NOTE_CHAR_PX + 16)))
    per_line = max(1, int((width - 16) / NOTE_CHAR_PX))
    lines = sum(max(1, -(-u // per_line)) for u in units)
    return width, lines * NOTE_LINE_PX + 12
