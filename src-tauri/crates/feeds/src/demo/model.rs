//! The price and volume model of the demo market.
//!
//! Per instrument: a log-price random walk whose volatility follows a mean-reverting
//! log-Ornstein-Uhlenbeck process (volatility clusters), trades that arrive as a Poisson
//! process whose rate follows an intraday U-shape, and injected events: volume bursts (a
//! flurry of larger trades with a directional drift) and rarer price jumps (which also raise
//! volatility afterwards). Randomness is drawn per instrument and per event, so the output
//! depends only on the seed and the start, never on how often `step` is called.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, StandardNormal};
use std::collections::HashMap;
use tw_core::{Candle, Interval, Symbol, Trade};

use super::SOURCE;

/// A simulated instrument.
#[derive(Clone, Copy, Debug)]
pub struct Instrument {
    pub code: &'static str,
    pub name: &'static str,
    pub start_price: f64,
    /// Typical daily volatility of log returns.
    pub daily_vol: f64,
    /// Average trade size in quote currency.
    pub notional: f64,
    /// Trades per second at an average time of day.
    pub trade_rate: f64,
    /// Price increment.
    pub tick: f64,
}

pub const INSTRUMENTS: [Instrument; 8] = [
    Instrument {
        code: "ALPHA",
        name: "Alpha Robotics",
        start_price: 124.50,
        daily_vol: 0.030,
        notional: 6_000.0,
        trade_rate: 3.0,
        tick: 0.01,
    },
    Instrument {
        code: "BETA",
        name: "Beta Bank",
        start_price: 45.20,
        daily_vol: 0.018,
        notional: 4_000.0,
        trade_rate: 2.5,
        tick: 0.01,
    },
    Instrument {
        code: "GAMMA",
        name: "Gamma Mining",
        start_price: 8.42,
        daily_vol: 0.045,
        notional: 2_500.0,
        trade_rate: 2.0,
        tick: 0.001,
    },
    Instrument {
        code: "DELTA",
        name: "Delta Energy",
        start_price: 73.10,
        daily_vol: 0.022,
        notional: 5_000.0,
        trade_rate: 2.0,
        tick: 0.01,
    },
    Instrument {
        code: "EPSILON",
        name: "Epsilon Biotech",
        start_price: 23.55,
        daily_vol: 0.055,
        notional: 3_000.0,
        trade_rate: 1.5,
        tick: 0.01,
    },
    Instrument {
        code: "ZETA",
        name: "Zeta Semiconductors",
        start_price: 310.00,
        daily_vol: 0.035,
        notional: 9_000.0,
        trade_rate: 3.0,
        tick: 0.05,
    },
    Instrument {
        code: "COIN",
        name: "Demo Coin",
        start_price: 64_250.0,
        daily_vol: 0.040,
        notional: 12_000.0,
        trade_rate: 4.0,
        tick: 0.5,
    },
    Instrument {
        code: "INDEX",
        name: "Demo Composite Index",
        start_price: 3_215.0,
        daily_vol: 0.012,
        notional: 20_000.0,
        trade_rate: 2.0,
        tick: 0.1,
    },
];

#[derive(Clone, Debug)]
pub struct DemoConfig {
    pub seed: u64,
    /// Minutes of 1m history to simulate on a first start (or to fill a gap at most).
    pub history_minutes: u32,
    /// Mean minutes between volume bursts of one instrument.
    pub burst_every_min: f64,
    /// Mean minutes between price jumps of one instrument.
    pub jump_every_min: f64,
    /// Start a volume burst on one instrument at the first full minute after the live start,
    /// so a new user sees the alert path working within a minute or two.
    pub showcase_burst: bool,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 7,
            history_minutes: 24 * 60,
            burst_every_min: 25.0,
            jump_every_min: 720.0,
            showcase_burst: true,
        }
    }
}

const DAY_S: f64 = 86_400.0;
/// Mean reversion speed of log volatility (per second): a half-life of about 20 minutes.
const VOL_KAPPA: f64 = 1.0 / 1_800.0;
/// Stationary standard deviation of log volatility.
const VOL_OF_VOL: f64 = 0.35;

/// Relative trade intensity by time of day (UTC): busy at both ends of the day, quiet at noon,
/// with a bump at 14:30 when "the other market" opens.
pub fn intraday_shape(ts_ms: i64) -> f64 {
    let x = (ts_ms.rem_euclid(86_400_000) as f64) / 86_400_000.0;
    0.6 + 2.4 * (x - 0.5).powi(2) + 0.4 * (-((x - 0.604) / 0.02).powi(2)).exp()
}

struct Burst {
    until_ms: f64,
    /// Drift of log price per second while the burst lasts.
    drift: f64,
    rate_mult: f64,
    qty_mult: f64,
}

struct InstState {
    inst: Instrument,
    symbol: Symbol,
    rng: ChaCha8Rng,
    /// Time of the last event, ms (fractional).
    t: f64,
    log_price: f64,
    log_sigma: f64,
    base_log_sigma: f64,
    next_arrival: f64,
    next_burst: f64,
    next_jump: f64,
    burst: Option<Burst>,
    burst_mean_s: f64,
    jump_mean_s: f64,
    /// When the showcase burst starts (see [`DemoConfig::showcase_burst`]).
    showcase_at: Option<f64>,
}

pub struct DemoMarket {
    cfg: DemoConfig,
    insts: Vec<InstState>,
}

impl DemoMarket {
    pub fn instruments() -> Vec<(Symbol, &'static str)> {
        INSTRUMENTS
            .iter()
            .map(|i| (Symbol::new(SOURCE, i.code), i.name))
            .collect()
    }

    /// A market whose instruments start at `start_ms`, or where `resume` says (open time of
    /// the last stored 1m bar, its close) when that is later: a restart continues from the
    /// stored prices instead of jumping to new ones.
    pub fn new(cfg: DemoConfig, start_ms: i64, resume: &HashMap<Symbol, (i64, f64)>) -> Self {
        let insts = INSTRUMENTS
            .iter()
            .enumerate()
            .map(|(idx, inst)| {
                let symbol = Symbol::new(SOURCE, inst.code);
                let mut rng = ChaCha8Rng::seed_from_u64(
                    cfg.seed ^ (idx as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                );
                let (t, price) = match resume.get(&symbol) {
                    Some(&(open_time, close)) if open_time + 60_000 > start_ms && close > 0.0 => {
                        (open_time + 60_000, close)
                    }
                    Some(&(_, close)) if close > 0.0 => (start_ms, close),
                    _ => (start_ms, inst.start_price),
                };
                let base_log_sigma = (inst.daily_vol / DAY_S.sqrt()).ln();
                let log_sigma = base_log_sigma + VOL_OF_VOL * rng.sample::<f64, _>(StandardNormal);
                let t = t as f64;
                let mut s = InstState {
                    inst: *inst,
                    symbol,
                    rng,
                    t,
                    log_price: price.ln(),
                    log_sigma,
                    base_log_sigma,
                    next_arrival: t,
                    next_burst: 0.0,
                    next_jump: 0.0,
                    burst: None,
                    burst_mean_s: cfg.burst_every_min * 60.0,
                    jump_mean_s: cfg.jump_every_min * 60.0,
                    showcase_at: None,
                };
                s.next_burst = t + s.exp_ms(s.burst_mean_s);
                s.next_jump = t + s.exp_ms(s.jump_mean_s);
                s.next_arrival = t + s.exp_ms(1.0 / s.rate(t));
                s
            })
            .collect();
        DemoMarket { cfg, insts }
    }

    /// Simulates every instrument up to `end_ms` (a 1m bar boundary) and returns the closed
    /// 1m candles, oldest first per instrument. Live trading continues from there.
    pub fn backfill_until(&mut self, end_ms: i64) -> Vec<Candle> {
        let end_ms = Interval::M1.floor(end_ms);
        let mut out = Vec::new();
        for s in &mut self.insts {
            let mut bar: Option<Candle> = None;
            s.run_until(end_ms as f64, |t| match &mut bar {
                Some(c) if c.open_time == Interval::M1.floor(t.ts_ms) => c.apply(&t),
                _ => {
                    if let Some(mut done) = bar.take() {
                        done.closed = true;
                        out.push(done);
                    }
                    bar = Some(Candle::from_trade(&t, Interval::M1));
                }
            });
            if let Some(mut done) = bar.take() {
                done.closed = true;
                out.push(done);
            }
        }
        out
    }

    /// Schedules the showcase burst relative to the live start.
    pub fn start_live(&mut self, now_ms: i64) {
        if self.cfg.showcase_burst {
            let idx = (self.cfg.seed % self.insts.len() as u64) as usize;
            let s = &mut self.insts[idx];
            let at = (Interval::M1.floor(now_ms) + 60_000 + 1_000) as f64;
            s.next_burst = s.next_burst.min(at);
            s.showcase_at = Some(at);
        }
    }

    /// Every trade in (last step, now_ms], in time order per instrument.
    pub fn step(&mut self, now_ms: i64) -> Vec<Trade> {
        let mut out = Vec::new();
        for s in &mut self.insts {
            s.run_until(now_ms as f64, |t| out.push(t));
        }
        out
    }
}

impl InstState {
    fn exp_ms(&mut self, mean_s: f64) -> f64 {
        let e: f64 = Exp::new(1.0 / mean_s).unwrap().sample(&mut self.rng);
        e * 1000.0
    }

    fn normal(&mut self) -> f64 {
        self.rng.sample(StandardNormal)
    }

    /// Trades per second at `t`.
    fn rate(&self, t: f64) -> f64 {
        let mult = self.burst.as_ref().map_or(1.0, |b| b.rate_mult);
        self.inst.trade_rate * intraday_shape(t as i64) * mult
    }

    /// Moves the state to time `t` (log price and volatility diffuse over the interval).
    fn diffuse_to(&mut self, t: f64) {
        let dt = ((t - self.t) / 1000.0).max(0.0);
        if dt > 0.0 {
            let (z1, z2) = (self.normal(), self.normal());
            let vol_boost = if self.burst.is_some() {
                2.0f64.ln()
            } else {
                0.0
            };
            let sigma = (self.log_sigma + vol_boost).exp();
            let drift = self.burst.as_ref().map_or(0.0, |b| b.drift);
            self.log_price += drift * dt + sigma * dt.sqrt() * z1 - 0.5 * sigma * sigma * dt;
            let eta = VOL_OF_VOL * (2.0 * VOL_KAPPA).sqrt();
            self.log_sigma +=
                VOL_KAPPA * (self.base_log_sigma - self.log_sigma) * dt + eta * dt.sqrt() * z2;
        }
        self.t = t;
    }

    /// Runs events up to `end` (exclusive of later ones), handing each trade to `emit`.
    fn run_until(&mut self, end: f64, mut emit: impl FnMut(Trade)) {
        loop {
            let burst_end = self.burst.as_ref().map_or(f64::INFINITY, |b| b.until_ms);
            let next = self
                .next_arrival
                .min(self.next_burst)
                .min(self.next_jump)
                .min(burst_end);
            if next > end {
                return;
            }
            self.diffuse_to(next);
            if next == burst_end {
                self.burst = None;
                self.resample_arrival();
            } else if next == self.next_jump {
                let size = self.inst.daily_vol * (1.0 + 1.5 * self.rng.gen::<f64>());
                let dir = if self.rng.gen_bool(0.5) { 1.0 } else { -1.0 };
                self.log_price += dir * size;
                self.log_sigma += 2.5f64.ln();
                self.next_jump = next + self.exp_ms(self.jump_mean_s);
                self.start_burst(next, dir);
            } else if next == self.next_burst {
                let dir = if self.rng.gen_bool(0.5) { 1.0 } else { -1.0 };
                self.start_burst(next, dir);
                if self.showcase_at.take() == Some(next) {
                    // Unmistakable, and inside one bar: the point is to show the alert path.
                    if let Some(b) = self.burst.as_mut() {
                        b.until_ms = next + 45_000.0;
                        b.rate_mult = 10.0;
                        b.qty_mult = 3.0;
                    }
                }
            } else {
                let trade = self.make_trade(next);
                emit(trade);
                self.next_arrival = next + self.exp_ms(1.0 / self.rate(next));
            }
        }
    }

    fn start_burst(&mut self, t: f64, dir: f64) {
        let duration_s = 20.0 + 40.0 * self.rng.gen::<f64>();
        let total_move = self.inst.daily_vol * (0.05 + 0.25 * self.rng.gen::<f64>());
        self.burst = Some(Burst {
            until_ms: t + duration_s * 1000.0,
            drift: dir * total_move / duration_s,
            rate_mult: 5.0 + 5.0 * self.rng.gen::<f64>(),
            qty_mult: 1.5 + 1.5 * self.rng.gen::<f64>(),
        });
        self.next_burst = t + duration_s * 1000.0 + self.exp_ms(self.burst_mean_s);
        self.resample_arrival();
    }

    /// After the rate changes, the time to the next trade is drawn anew (memoryless).
    fn resample_arrival(&mut self) {
        self.next_arrival = self.t + self.exp_ms(1.0 / self.rate(self.t));
    }

    fn make_trade(&mut self, t: f64) -> Trade {
        let tick = self.inst.tick;
        let price = ((self.log_price.exp() / tick).round() * tick).max(tick);
        let size_noise = (0.9 * self.normal() - 0.405).exp();
        let mult = self.burst.as_ref().map_or(1.0, |b| b.qty_mult);
        let qty = self.inst.notional / price * size_noise * mult;
        let qty = (qty * 10_000.0).round().max(1.0) / 10_000.0;
        Trade {
            symbol: self.symbol.clone(),
            ts_ms: t as i64,
            price: (price / tick).round() * tick,
            qty,
        }
    }
}
