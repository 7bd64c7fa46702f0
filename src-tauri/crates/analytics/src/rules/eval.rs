//! Pure evaluation of a compiled condition against the metrics of an update.

use crate::metric::{MetricKey, Metrics};
use tw_core::rule::Op;

#[derive(Clone, Debug, PartialEq)]
pub enum Rhs {
    Num(f64),
    Metric(MetricKey),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    Leaf { lhs: MetricKey, op: Op, rhs: Rhs },
}

fn rhs_value(rhs: &Rhs, m: &Metrics) -> Option<f64> {
    match rhs {
        Rhs::Num(v) => Some(*v),
        Rhs::Metric(k) => m.get(*k),
    }
}

/// Whether the condition holds. A metric still warming up, or an edge operator without a
/// previous sample (start, or after a gap), makes its comparison false: nothing fires before
/// it can be judged.
pub fn evaluate(node: &Node, cur: &Metrics, prev: Option<&Metrics>) -> bool {
    match node {
        Node::All(items) => items.iter().all(|n| evaluate(n, cur, prev)),
        Node::Any(items) => items.iter().any(|n| evaluate(n, cur, prev)),
        Node::Leaf { lhs, op, rhs } => leaf(*lhs, *op, rhs, cur, prev).unwrap_or(false),
    }
}

fn leaf(lhs: MetricKey, op: Op, rhs: &Rhs, cur: &Metrics, prev: Option<&Metrics>) -> Option<bool> {
    let (l, r) = (cur.get(lhs)?, rhs_value(rhs, cur)?);
    Some(match op {
        Op::Gt => l > r,
        Op::Lt => l < r,
        Op::Ge => l >= r,
        Op::Le => l <= r,
        Op::Crosses | Op::CrossesUp | Op::CrossesDown => {
            let p = prev?;
            let (pl, pr) = (p.get(lhs)?, rhs_value(rhs, p)?);
            let up = pl <= pr && l > r;
            let down = pl >= pr && l < r;
            match op {
                Op::CrossesUp => up,
                Op::CrossesDown => down,
                _ => up || down,
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

/// The comparisons that hold right now, in words ("volume_z 4.12 > 3"), for the alert message.
pub fn describe(node: &Node, cur: &Metrics, prev: Option<&Metrics>, out: &mut Vec<String>) {
    match node {
        Node::All(items) | Node::Any(items) => {
            for n in items {
                describe(n, cur, prev, out)
            }
        }
        Node::Leaf { lhs, op, rhs } => {
            if leaf(*lhs, *op, rhs, cur, prev) == Some(true) {
                let l = cur.get(*lhs).unwrap_or(f64::NAN);
                let r = match rhs {
                    Rhs::Num(v) => fmt_num(*v),
                    Rhs::Metric(k) => format!("{k} {}", fmt_num(cur.get(*k).unwrap_or(f64::NAN))),
                };
                out.push(format!("{lhs} {} {} {r}", fmt_num(l), op_text(*op)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(price: f64, z: Option<f64>) -> Metrics {
        let mut m = Metrics::default();
        m.set(MetricKey::Price, Some(price));
        m.set(MetricKey::VolumeZ, z);
        m.set(MetricKey::Volume, Some(10.0));
        m
    }
    fn leaf(op: Op, v: f64) -> Node {
        Node::Leaf {
            lhs: MetricKey::Price,
            op,
            rhs: Rhs::Num(v),
        }
    }

    #[test]
    fn every_comparison_operator() {
        let cur = m(100.0, None);
        let table = [
            (Op::Gt, 99.0, true),
            (Op::Gt, 100.0, false),
            (Op::Ge, 100.0, true),
            (Op::Lt, 100.0, false),
            (Op::Lt, 101.0, true),
            (Op::Le, 100.0, true),
            (Op::Le, 99.9, false),
        ];
        for (op, v, want) in table {
            assert_eq!(evaluate(&leaf(op, v), &cur, None), want, "{op:?} {v}");
        }
    }

    #[test]
    fn crossing_needs_a_previous_sample_and_an_actual_cross() {
        let (below, at, above) = (m(99.0, None), m(100.0, None), m(101.0, None));
        let up = leaf(Op::CrossesUp, 100.0);
        let down = leaf(Op::CrossesDown, 100.0);
        let any = leaf(Op::Crosses, 100.0);
        assert!(!evaluate(&up, &above, None), "no previous sample, no edge");
        assert!(evaluate(&up, &above, Some(&below)));
        assert!(
            evaluate(&up, &above, Some(&at)),
            "from touching to above is a cross"
        );
        assert!(
            !evaluate(&up, &above, Some(&above)),
            "staying above is not a cross"
        );
        assert!(!evaluate(&up, &below, Some(&above)));
        assert!(evaluate(&down, &below, Some(&above)));
        assert!(!evaluate(&down, &above, Some(&below)));
        assert!(evaluate(&any, &below, Some(&above)) && evaluate(&any, &above, Some(&below)));
        assert!(!evaluate(&any, &above, Some(&above)));
    }

    #[test]
    fn metric_against_metric_and_warm_up() {
        let cross_metric = Node::Leaf {
            lhs: MetricKey::VolumeZ,
            op: Op::Gt,
            rhs: Rhs::Metric(MetricKey::Volume),
        };
        assert!(evaluate(&cross_metric, &m(1.0, Some(12.0)), None));
        assert!(!evaluate(&cross_metric, &m(1.0, Some(8.0)), None));
        let z = Node::Leaf {
            lhs: MetricKey::VolumeZ,
            op: Op::Gt,
            rhs: Rhs::Num(-1e9),
        };
        assert!(
            !evaluate(&z, &m(1.0, None), None),
            "a cold metric never fires"
        );
    }

    #[test]
    fn groups_nest() {
        let cur = m(100.0, Some(4.0));
        let z_hot = Node::Leaf {
            lhs: MetricKey::VolumeZ,
            op: Op::Gt,
            rhs: Rhs::Num(3.0),
        };
        let tree = Node::All(vec![
            z_hot.clone(),
            Node::Any(vec![leaf(Op::Gt, 1_000.0), leaf(Op::Lt, 200.0)]),
        ]);
        assert!(evaluate(&tree, &cur, None));
        let tree = Node::All(vec![
            z_hot,
            Node::Any(vec![leaf(Op::Gt, 1_000.0), leaf(Op::Lt, 50.0)]),
        ]);
        assert!(!evaluate(&tree, &cur, None));
        let mut words = Vec::new();
        describe(
            &Node::Any(vec![leaf(Op::Gt, 50.0), leaf(Op::Lt, 50.0)]),
            &cur,
            None,
            &mut words,
        );
        assert_eq!(words, vec!["price 100 > 50"]);
    }
}
