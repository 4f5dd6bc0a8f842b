"""Draw the icons of the self-declaration app as PNG files, without an imaging library.

A white house with a red door on the red of the navigation bar. `python -m fupin.monitoring.icons`
writes them to fupin/monitoring/static/monitoring/icons/ (they are committed; run it after a change).
"""

import struct
import zlib
from pathlib import Path

RED = (0xB7, 0x1C, 0x1C)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # per axis: 16 samples a pixel smooth the edges
FOLDER = Path(__file__).parent / "static" / "monitoring" / "icons"


def _in_triangle(x: float, y: float, a, b, c) -> bool:
    def side(p, q):
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])

    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def _shape(x: float, y: float, *, maskable: bool) -> tuple[int, int, int] | None:
    """Return the colour at a point of the unit square, None where the icon is transparent."""
    if not maskable:
        # A rounded square; the corners stay transparent.
        r = 0.18
        cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
        if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
            return None
    # The glyph sits in the central 80% circle that a maskable icon keeps whatever the mask.
    scale = 0.72 if maskable else 0.9
    gx, gy = 0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale
    roof = _in_triangle(gx, gy, (0.5, 0.14), (0.1, 0.5), (0.9, 0.5))
    body = 0.22 <= gx <= 0.78 and 0.46 <= gy <= 0.86
    door = 0.42 <= gx <= 0.58 and 0.62 <= gy <= 0.86
    if (roof or body) and not door:
        return WHITE
    return RED


def icon_png(size: int, *, maskable: bool = False) -> bytes:
    """Return the icon as an RGBA PNG of size × size pixels."""
    rows = []
    step = 1 / (size * SAMPLES)
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    colour = _shape(
                        (px * SAMPLES + sx + 0.5) * step,
                        (py * SAMPLES + sy + 0.5) * step,
                        maskable=maskable,
                    )
                    if colour is not None:
                        r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            if a:
                row += bytes((r // a, g // a, b // a, a * 255 // SAMPLES**2))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "maskable-512.png": (512, True),
}


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in ICONS.items():
        (FOLDER / name).write_bytes(icon_png(size, maskable=maskable))
        print(FOLDER / name)


if __name__ == "__main__":
    main()
