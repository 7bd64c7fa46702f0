"""Draws the Tickwarden icon (a watchful candle chart on a dark tile) as a 1024px PNG.

Pure standard library so that it runs anywhere; `npx tauri icon icons/src/icon-1024.png -o icons`
derives every platform size from it.
"""
import struct, zlib, math, sys

N = 1024
px = bytearray(N * N * 4)

def blend(x, y, r, g, b, a):
    if not (0 <= x < N and 0 <= y < N) or a <= 0:
        return
    i = (y * N + x) * 4
    ia = px[i + 3] / 255.0
    fa = a / 255.0
    out_a = fa + ia * (1 - fa)
    for k, c in enumerate((r, g, b)):
        px[i + k] = int((c * fa + px[i + k] * ia * (1 - fa)) / out_a) if out_a else 0
    px[i + 3] = int(out_a * 255)

def rounded_tile(m, rad, col):
    for y in range(m, N - m):
        for x in range(m, N - m):
            dx = max(m + rad - x, 0, x - (N - m - rad - 1))
            dy = max(m + rad - y, 0, y - (N - m - rad - 1))
            d = math.hypot(dx, dy)
            if d <= rad:
                a = 255 if d < rad - 1 else int(255 * (rad - d))
                # subtle vertical gradient
                t = (y - m) / (N - 2 * m)
                blend(x, y, int(col[0] + 10 * t), int(col[1] + 14 * t), int(col[2] + 24 * t), a)

def rect(x0, y0, x1, y1, col):
    for y in range(int(y0), int(y1)):
        for x in range(int(x0), int(x1)):
            blend(x, y, *col, 255)

rounded_tile(64, 180, (17, 24, 39))
green, red, amber = (34, 197, 94), (239, 68, 68), (250, 204, 21)
# candles: (x centre, wick low, wick high, body low, body high, colour)
candles = [
    (270, 250, 420, 280, 380, red),
    (400, 270, 450, 300, 420, green),
    (530, 320, 500, 350, 470, green),
    (660, 420, 800, 450, 770, green),  # the unusual move
    (790, 560, 740, 600, 700, red),
]
for cx, wl, wh, bl, bh, col in candles:
    rect(cx - 6, N - wh, cx + 6, N - wl, col)
    rect(cx - 42, N - bh, cx + 42, N - bl, col)
# alert dot above the burst candle
for y in range(100, 240):
    for x in range(590, 730):
        d = math.hypot(x - 660, y - 170)
        if d < 52:
            blend(x, y, *amber, 255 if d < 51 else int(255 * (52 - d)))

def png(path, w, h, data):
    raw = b"".join(b"\x00" + bytes(data[y * w * 4:(y + 1) * w * 4]) for y in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

png(sys.argv[1] if len(sys.argv) > 1 else "icon-1024.png", N, N, px)
