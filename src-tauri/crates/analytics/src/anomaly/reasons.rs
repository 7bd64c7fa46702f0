//! Anomaly reasons in words, e.g. "volume 6.2σ above its 60-day norm".

const DAY_MS: i64 = 86_400_000;

pub(super) struct Label {
    /// "5m", "1h", "1d", …
    bar: String,
    /// "60-day" / "60-bar".
    norm: String,
}

impl Label {
    pub fn new(interval_ms: i64, window: usize) -> Self {
        let bar = match interval_ms {
            ms if ms >= DAY_MS && ms % DAY_MS == 0 => format!("{}d", ms / DAY_MS),
            ms if ms >= 3_600_000 && ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
            ms if ms % 60_000 == 0 => format!("{}m", ms / 60_000),
            ms => format!("{}s", ms / 1000),
        };
        let norm = if interval_ms == DAY_MS {
            format!("{window}-day")
        } else {
            format!("{window}-bar")
        };
        Label { bar, norm }
    }
    pub fn volume(&self, z: f64) -> String {
        format!("volume {z:.1}σ above its {} norm", self.norm)
    }
    pub fn price(&self, log_ret: f64, z: f64) -> String {
        format!(
            "price {:+.1}% in {} ({:.1}σ)",
            (log_ret.exp() - 1.0) * 100.0,
            self.bar,
            z.abs()
        )
    }
    pub fn range(&self, z: f64) -> String {
        format!("range {z:.1}σ above its {} norm", self.norm)
    }
    pub fn drift(&self, log_move: f64, bars: u32) -> String {
        format!(
            "steady {} of {:+.1}% over {bars} bars (CUSUM)",
            if log_move < 0.0 { "fall" } else { "rise" },
            (log_move.exp() - 1.0) * 100.0
        )
    }
}

pub(super) fn split(ratio: f64) -> String {
    if ratio >= 1.0 {
        format!("price rebased {ratio}:1 (likely a stock split): not scored")
    } else {
        format!(
            "price rebased 1:{} (likely a reverse split): not scored",
            1.0 / ratio
        )
    }
}
