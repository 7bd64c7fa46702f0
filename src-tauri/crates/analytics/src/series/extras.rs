//! Per-symbol figures that do not come from candles: a source's daily fundamentals (Tushare
//! `daily_basic`/`moneyflow`) and derivatives open interest (Binance futures). Every series of
//! the symbol carries the latest of them as metrics, so a rule can read them on any interval.

use crate::metric::{MetricKey, Metrics};
use std::collections::VecDeque;
use tw_core::{Fundamentals, Interval};

/// The latest values, copied into each series of the symbol when they change.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Extras {
    /// Open time of the 1d bar the fundamentals describe.
    pub day_ms: Option<i64>,
    pub turnover_rate: Option<f64>,
    /// The source's own volume ratio (量比) of `day_ms`.
    pub volume_ratio: Option<f64>,
    pub pe: Option<f64>,
    pub pb: Option<f64>,
    pub net_inflow: Option<f64>,
    pub open_interest: Option<f64>,
    pub oi_change_pct: Option<f64>,
}

impl Extras {
    /// Takes a day's fundamentals; an older day than the one held is ignored (history that
    /// arrives late must not replace today's figures). A field the source left out keeps no
    /// stale value from another day.
    pub fn apply_fundamentals(&mut self, f: &Fundamentals) -> bool {
        if self.day_ms.is_some_and(|d| f.day_ms < d) {
            return false;
        }
        let get = |name: &str| {
            f.values
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| *v)
                .filter(|v| v.is_finite())
        };
        let same_day = self.day_ms == Some(f.day_ms);
        // daily_basic and moneyflow arrive as separate events for the same day: each fills
        // its own fields and leaves the other's alone.
        let set = |slot: &mut Option<f64>, v: Option<f64>, this_table: bool| {
            if this_table || !same_day {
                *slot = v;
            }
        };
        let basic = ["turnover_rate", "volume_ratio", "pe", "pb"]
            .iter()
            .any(|k| get(k).is_some());
        let flow = get("main_net_inflow").is_some() || get("net_mf_amount").is_some();
        set(&mut self.turnover_rate, get("turnover_rate"), basic);
        set(&mut self.volume_ratio, get("volume_ratio"), basic);
        set(&mut self.pe, get("pe"), basic);
        set(&mut self.pb, get("pb"), basic);
        set(
            &mut self.net_inflow,
            get("main_net_inflow").or_else(|| get("net_mf_amount")),
            flow,
        );
        self.day_ms = Some(f.day_ms);
        true
    }

    /// Writes the values into a snapshot of a bar of `interval` that opened at `open_time`.
    pub fn write(&self, interval: Interval, open_time: i64, m: &mut Metrics) {
        m.set(MetricKey::TurnoverRate, self.turnover_rate);
        m.set(MetricKey::Pe, self.pe);
        m.set(MetricKey::Pb, self.pb);
        m.set(MetricKey::NetInflow, self.net_inflow);
        m.set(MetricKey::OpenInterest, self.open_interest);
        m.set(MetricKey::OiChangePct, self.oi_change_pct);
        // The source's 量比 describes its own day: it replaces the computed volume ratio on
        // that day's 1d bar only.
        if interval == Interval::D1 && self.day_ms == Some(open_time) && self.volume_ratio.is_some()
        {
            m.set(MetricKey::VolumeRatio, self.volume_ratio);
        }
    }
}

/// Open interest readings over the change look-back.
#[derive(Clone, Debug, Default)]
pub(crate) struct OpenInterest {
    /// (time, open interest), oldest first, within the look-back of the newest.
    readings: VecDeque<(i64, f64)>,
}

impl OpenInterest {
    /// Adds a reading; returns (open interest, % change against the oldest reading within
    /// `window_ms`). A reading older than the newest held is ignored. The change is `None`
    /// until a reading at least half the window old is held, so a first minute of data does
    /// not pose as a 24 h change.
    pub fn push(&mut self, ts_ms: i64, value: f64, window_ms: i64) -> Option<(f64, Option<f64>)> {
        if !value.is_finite() || value < 0.0 {
            return None;
        }
        if self.readings.back().is_some_and(|(t, _)| *t > ts_ms) {
            return None;
        }
        if self.readings.back().is_some_and(|(t, _)| *t == ts_ms) {
            self.readings.pop_back();
        }
        self.readings.push_back((ts_ms, value));
        while self
            .readings
            .front()
            .is_some_and(|(t, _)| *t < ts_ms - window_ms)
        {
            self.readings.pop_front();
        }
        let &(t0, v0) = self.readings.front()?;
        let change = (ts_ms - t0 >= window_ms / 2 && v0 > 0.0).then(|| (value / v0 - 1.0) * 100.0);
        Some((value, change))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tw_core::Symbol;

    const DAY: i64 = 86_400_000;

    fn fundamentals(day: i64, values: &[(&str, f64)]) -> Fundamentals {
        Fundamentals {
            symbol: Symbol::new("tushare", "600519.SH"),
            day_ms: day * DAY,
            values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            backfill: false,
        }
    }

    #[test]
    fn daily_basic_and_moneyflow_of_one_day_merge_and_a_new_day_replaces() {
        let mut x = Extras::default();
        assert!(x.apply_fundamentals(&fundamentals(
            10,
            &[
                ("turnover_rate", 0.41),
                ("volume_ratio", 1.3),
                ("pe", 28.5),
                ("pb", 9.1)
            ]
        )));
        assert!(x.apply_fundamentals(&fundamentals(10, &[("main_net_inflow", -2.5e8)])));
        assert_eq!(x.turnover_rate, Some(0.41));
        assert_eq!(x.pe, Some(28.5));
        assert_eq!(
            x.net_inflow,
            Some(-2.5e8),
            "moneyflow kept daily_basic's fields"
        );
        // A loss-making day: no PE published, and the day before's PE must not linger.
        assert!(x.apply_fundamentals(&fundamentals(11, &[("turnover_rate", 0.5)])));
        assert_eq!(x.pe, None);
        assert_eq!(x.net_inflow, None, "yesterday's money flow is not today's");
        assert!(
            !x.apply_fundamentals(&fundamentals(9, &[("turnover_rate", 9.0)])),
            "late history does not replace the current day"
        );
        assert_eq!(x.turnover_rate, Some(0.5));

        let mut m = Metrics::default();
        x.volume_ratio = Some(2.0);
        x.write(Interval::D1, 11 * DAY, &mut m);
        assert_eq!(m.get(MetricKey::VolumeRatio), Some(2.0));
        let mut m = Metrics::default();
        x.write(Interval::D1, 12 * DAY, &mut m);
        assert_eq!(m.get(MetricKey::VolumeRatio), None, "only on its own day");
        assert_eq!(m.get(MetricKey::TurnoverRate), Some(0.5));
    }

    #[test]
    fn open_interest_change_over_the_window() {
        let mut oi = OpenInterest::default();
        let w = DAY;
        assert_eq!(oi.push(0, 100.0, w), Some((100.0, None)));
        assert_eq!(oi.push(DAY / 4, 110.0, w), Some((110.0, None)), "too young");
        let (v, c) = oi.push(DAY / 2, 120.0, w).unwrap();
        assert_eq!(v, 120.0);
        assert!((c.unwrap() - 20.0).abs() < 1e-12);
        // A day and a half in, the change is against the reading a day earlier.
        let (_, c) = oi.push(DAY + DAY / 2, 60.0, w).unwrap();
        assert!((c.unwrap() - (60.0 / 120.0 - 1.0) * 100.0).abs() < 1e-12);
        assert_eq!(oi.push(DAY, 1.0, w), None, "out of order");
        assert_eq!(oi.push(2 * DAY, f64::NAN, w), None);
    }
}
