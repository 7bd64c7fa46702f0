//! The metric names that rules use, and a snapshot of their values.

use std::fmt;

/// A metric a rule can name. The text form is the vocabulary of ARCHITECTURE.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricKey {
    Price,
    ChangePct,
    Volume,
    QuoteVolume,
    VolumeZ,
}

impl MetricKey {
    pub const ALL: [MetricKey; 5] = [
        MetricKey::Price,
        MetricKey::ChangePct,
        MetricKey::Volume,
        MetricKey::QuoteVolume,
        MetricKey::VolumeZ,
    ];
    pub const COUNT: usize = Self::ALL.len();

    pub fn name(self) -> &'static str {
        match self {
            MetricKey::Price => "price",
            MetricKey::ChangePct => "change_pct",
            MetricKey::Volume => "volume",
            MetricKey::QuoteVolume => "quote_volume",
            MetricKey::VolumeZ => "volume_z",
        }
    }

    pub fn parse(s: &str) -> Option<MetricKey> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }

    pub fn known_names() -> String {
        Self::ALL.map(|k| k.name()).join(", ")
    }
}

impl fmt::Display for MetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Values of every metric at one update; `None` while a metric is still warming up.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Metrics([Option<f64>; MetricKey::COUNT]);

impl Metrics {
    pub fn get(&self, k: MetricKey) -> Option<f64> {
        self.0[k as usize]
    }
    pub fn set(&mut self, k: MetricKey, v: Option<f64>) {
        self.0[k as usize] = v.filter(|x| x.is_finite());
    }
    pub fn iter(&self) -> impl Iterator<Item = (MetricKey, f64)> + '_ {
        MetricKey::ALL
            .into_iter()
            .filter_map(|k| self.get(k).map(|v| (k, v)))
    }
}
