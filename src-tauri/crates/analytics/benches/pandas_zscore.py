#!/usr/bin/env python3
"""The baseline a Python user would write: a pandas rolling z-score of the log return over
the same file. Prints rows/s for the vectorised whole-file pass and for a streaming loop
(one new row at a time, recomputing the window), the fair comparison for live data.
Usage: pandas_zscore.py FILE.csv [WINDOW]  (Binance kline CSV with a header row)"""
import sys
import time

import numpy as np
import pandas as pd

path = sys.argv[1]
window = int(sys.argv[2]) if len(sys.argv) > 2 else 60
df = pd.read_csv(path)
close = df["close"].astype(float)

t0 = time.perf_counter()
r = np.log(close).diff()
z = (r - r.rolling(window).mean()) / r.rolling(window).std()
vec_s = time.perf_counter() - t0

# Streaming: what a script polling live bars does, window recomputed per new bar.
n = min(len(r), 5000)
t0 = time.perf_counter()
buf = r.iloc[:window].tolist()
for x in r.iloc[window:n]:
    s = pd.Series(buf[-window:])
    _ = (x - s.mean()) / s.std()
    buf.append(x)
stream_s = time.perf_counter() - t0

print(f"pandas vectorised rolling z-score: {len(r) / vec_s:,.0f} rows/s ({len(r)} rows, {vec_s * 1000:.1f} ms); flagged |z|>2.5: {(z.abs() > 2.5).sum()}")
print(f"pandas streaming (per new bar): {(n - window) / stream_s:,.0f} rows/s")
