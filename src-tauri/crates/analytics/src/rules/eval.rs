//! Pure evaluation of a compiled condition against the metrics of an update.
//!
//! Results are three-valued: `Some(true)`, `Some(false)`, or `None` when the condition cannot
//! be judged yet (a metric still warming up, an edge without a previous sample, a look-back
//! that is not full). Nothing fires on `None`, and hysteresis re-arms only on `Some(false)`.

use super::history::History;
use crate::metric::{MetricKey, Metrics};
use tw_core::rule::Op;

#[derive(Clone, Debug, PartialEq)]
pub enum Rhs {
    Num(f64),
    Metric(MetricKey),
}

/// The right-hand side of one test, by operator kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// `gt lt ge le crosses*`.
    Value(Rhs),
    /// `*_channel`: inclusive bounds.
    Channel { lower: Rhs, upper: Rhs },
    /// `moving_*`: by `amount` (or `amount` %) within the last `bars` closed bars.
    Moving { amount: f64, bars: u32 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    pub lhs: MetricKey,
    pub op: Op,
    pub test: Test,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    Leaf(Leaf),
}

/// What one evaluation looks at: this update's metrics, the previous sample (for edges), and
/// the closed-bar history (for moving operators).
#[derive(Clone, Copy)]
pub struct Sample<'a> {
    pub cur: &'a Metrics,
    pub prev: Option<&'a Metrics>,
    pub history: Option<&'a History>,
}

impl<'a> Sample<'a> {
    pub fn new(cur: &'a Metrics, prev: Option<&'a Metrics>) -> Self {
        Sample {
            cur,
            prev,
            history: None,
        }
    }
}

fn rhs_value(rhs: &Rhs, m: &Metrics) -> Option<f64> {
    match rhs {
        Rhs::Num(v) => Some(*v),
        Rhs::Metric(k) => m.get(*k),
    }
}

/// Whether the condition holds (unknown counts as not holding).
pub fn evaluate(node: &Node, s: Sample<'_>) -> bool {
    evaluate3(node, s) == Some(true)
}

/// Three-valued evaluation; see the module comment.
pub fn evaluate3(node: &Node, s: Sample<'_>) -> Option<bool> {
    match node {
        Node::All(items) => {
            let mut unknown = false;
            for n in items {
                match evaluate3(n, s) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            (!unknown).then_some(true)
        }
        Node::Any(items) => {
            let mut unknown = false;
            for n in items {
                match evaluate3(n, s) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            (!unknown).then_some(false)
        }
        Node::Leaf(l) => leaf(l, s),
    }
}

fn inside(v: f64, lo: f64, hi: f64) -> bool {
    lo <= v && v <= hi
}

fn leaf(l: &Leaf, s: Sample<'_>) -> Option<bool> {
    let x = s.cur.get(l.lhs)?;
    Some(match (&l.test, l.op) {
        (Test::Value(rhs), op) => {
            let r = rhs_value(rhs, s.cur)?;
            match op {
                Op::Gt => x > r,
                Op::Lt => x < r,
                Op::Ge => x >= r,
                Op::Le => x <= r,
                _ => {
                    let p = s.prev?;
                    let (px, pr) = (p.get(l.lhs)?, rhs_value(rhs, p)?);
                    let up = px <= pr && x > r;
                    let down = px >= pr && x < r;
                    match op {
                        Op::CrossesUp => up,
                        Op::CrossesDown => down,
                        _ => up || down,
                    }
                }
            }
        }
        (Test::Channel { lower, upper }, op) => {
            let (lo, hi) = (rhs_value(lower, s.cur)?, rhs_value(upper, s.cur)?);
            let now_in = inside(x, lo, hi);
            match op {
                Op::InsideChannel => now_in,
                Op::OutsideChannel => !now_in,
                _ => {
                    let p = s.prev?;
                    let was_in = inside(p.get(l.lhs)?, rhs_value(lower, p)?, rhs_value(upper, p)?);
                    if op == Op::EnteringChannel {
                        !was_in && now_in
                    } else {
                        was_in && !now_in
                    }
                }
            }
        }
        (Test::Moving { amount, bars }, op) => {
            let (lo, hi) = s.history?.range(l.lhs, *bars)?;
            match op {
                Op::MovingUp => x - lo >= *amount,
                Op::MovingDown => hi - x >= *amount,
                Op::MovingUpPct if lo > 0.0 => (x / lo - 1.0) * 100.0 >= *amount,
                Op::MovingDownPct if hi > 0.0 => (1.0 - x / hi) * 100.0 >= *amount,
                _ => return None,
            }
        }
    })
}

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Gt => ">",
        Op::Lt => "<",
        Op::Ge => "≥",
        Op::Le => "≤",
        Op::Crosses => "crossed",
        Op::CrossesUp => "crossed above",
        Op::CrossesDown => "crossed below",
        Op::EnteringChannel => "entered",
        Op::ExitingChannel => "left",
        Op::InsideChannel => "inside",
        Op::OutsideChannel => "outside",
        Op::MovingUp | Op::MovingUpPct => "up",
        Op::MovingDown | Op::MovingDownPct => "down",
    }
}

pub(crate) fn fmt_num(v: f64) -> String {
    let a = v.abs();
    if (v.fract() == 0.0 && a < 1e15) || a >= 1_000.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

fn rhs_text(rhs: &Rhs, m: &Metrics) -> String {
    match rhs {
        Rhs::Num(v) => fmt_num(*v),
        Rhs::Metric(k) => format!("{k} {}", fmt_num(m.get(*k).unwrap_or(f64::NAN))),
    }
}

/// The tests that hold right now, in words ("volume_z 4.12 > 3"), for the alert message.
pub fn describe(node: &Node, s: Sample<'_>, out: &mut Vec<String>) {
    match node {
        Node::All(items) | Node::Any(items) => {
            for n in items {
                describe(n, s, out)
            }
        }
        Node::Leaf(l) => {
            if leaf(l, s) != Some(true) {
                return;
            }
            let x = fmt_num(s.cur.get(l.lhs).unwrap_or(f64::NAN));
            let op = op_text(l.op);
            out.push(match &l.test {
                Test::Value(rhs) => format!("{} {x} {op} {}", l.lhs, rhs_text(rhs, s.cur)),
                Test::Channel { lower, upper } => format!(
                    "{} {x} {op} channel [{}, {}]",
                    l.lhs,
                    rhs_text(lower, s.cur),
                    rhs_text(upper, s.cur)
                ),
                Test::Moving { amount, bars } => {
                    let pct = matches!(l.op, Op::MovingUpPct | Op::MovingDownPct);
                    format!(
                        "{} {x} {op} {}{} within {bars} bars",
                        l.lhs,
                        fmt_num(*amount),
                        if pct { "%" } else { "" }
                    )
                }
            });
        }
    }
}

/// Every metric a condition reads, left-hand sides first, without repeats.
pub fn metrics_of(node: &Node, out: &mut Vec<MetricKey>) {
    fn push(out: &mut Vec<MetricKey>, k: MetricKey) {
        if !out.contains(&k) {
            out.push(k)
        }
    }
    match node {
        Node::All(items) | Node::Any(items) => items.iter().for_each(|n| metrics_of(n, out)),
        Node::Leaf(l) => {
            push(out, l.lhs);
            match &l.test {
                Test::Value(Rhs::Metric(k)) => push(out, *k),
                Test::Channel { lower, upper } => {
                    for r in [lower, upper] {
                        if let Rhs::Metric(k) = r {
                            push(out, *k)
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The (metric, bars) look-backs the moving operators of a condition need.
pub fn lookbacks_of(node: &Node, out: &mut Vec<(MetricKey, u32)>) {
    match node {
        Node::All(items) | Node::Any(items) => items.iter().for_each(|n| lookbacks_of(n, out)),
        Node::Leaf(Leaf {
            lhs,
            test: Test::Moving { bars, .. },
            ..
        }) => out.push((*lhs, *bars)),
        Node::Leaf(_) => {}
    }
}

/// Whether any test in the condition is an edge (needs the previous sample).
pub fn has_edge(node: &Node) -> bool {
    match node {
        Node::All(items) | Node::Any(items) => items.iter().any(has_edge),
        Node::Leaf(l) => l.op.is_edge(),
    }
}

#[cfg(test)]
mod tests;
