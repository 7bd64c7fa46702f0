use super::*;
use crate::rules::History;

fn m(price: f64, z: Option<f64>) -> Metrics {
    let mut m = Metrics::default();
    m.set(MetricKey::Price, Some(price));
    m.set(MetricKey::VolumeZ, z);
    m.set(MetricKey::Volume, Some(10.0));
    m
}
fn p(v: f64) -> Metrics {
    m(v, None)
}
fn leaf(op: Op, v: f64) -> Node {
    Node::Leaf(Leaf {
        lhs: MetricKey::Price,
        op,
        test: Test::Value(Rhs::Num(v)),
    })
}
fn channel(op: Op, lo: f64, hi: f64) -> Node {
    Node::Leaf(Leaf {
        lhs: MetricKey::Price,
        op,
        test: Test::Channel {
            lower: Rhs::Num(lo),
            upper: Rhs::Num(hi),
        },
    })
}
fn moving(op: Op, amount: f64, bars: u32) -> Node {
    Node::Leaf(Leaf {
        lhs: MetricKey::Price,
        op,
        test: Test::Moving { amount, bars },
    })
}
fn ev(n: &Node, cur: &Metrics, prev: Option<&Metrics>) -> bool {
    evaluate(n, Sample::new(cur, prev))
}

#[test]
fn every_comparison_operator() {
    let cur = p(100.0);
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
        assert_eq!(ev(&leaf(op, v), &cur, None), want, "{op:?} {v}");
    }
}

#[test]
fn crossing_needs_a_previous_sample_and_an_actual_cross() {
    let (below, at, above) = (p(99.0), p(100.0), p(101.0));
    let up = leaf(Op::CrossesUp, 100.0);
    let down = leaf(Op::CrossesDown, 100.0);
    let any = leaf(Op::Crosses, 100.0);
    assert_eq!(
        evaluate3(&up, Sample::new(&above, None)),
        None,
        "no previous sample: unknown, not false"
    );
    assert!(ev(&up, &above, Some(&below)));
    assert!(
        ev(&up, &above, Some(&at)),
        "from touching to above is a cross"
    );
    assert!(
        !ev(&up, &above, Some(&above)),
        "staying above is not a cross"
    );
    assert!(!ev(&up, &below, Some(&above)));
    assert!(ev(&down, &below, Some(&above)));
    assert!(!ev(&down, &above, Some(&below)));
    assert!(ev(&any, &below, Some(&above)) && ev(&any, &above, Some(&below)));
    assert!(!ev(&any, &above, Some(&above)));
}

#[test]
fn channel_operators_state_and_edge() {
    let (below, inside, above) = (p(9.0), p(15.0), p(21.0));
    let (on_lo, on_hi) = (p(10.0), p(20.0));
    let ins = channel(Op::InsideChannel, 10.0, 20.0);
    let out = channel(Op::OutsideChannel, 10.0, 20.0);
    let enter = channel(Op::EnteringChannel, 10.0, 20.0);
    let exit = channel(Op::ExitingChannel, 10.0, 20.0);
    for (cur, want_in) in [
        (&below, false),
        (&on_lo, true),
        (&inside, true),
        (&on_hi, true),
        (&above, false),
    ] {
        assert_eq!(
            ev(&ins, cur, None),
            want_in,
            "inside at {:?}",
            cur.get(MetricKey::Price)
        );
        assert_eq!(ev(&out, cur, None), !want_in);
    }
    assert_eq!(evaluate3(&enter, Sample::new(&inside, None)), None);
    assert!(ev(&enter, &inside, Some(&below)));
    assert!(
        ev(&enter, &on_hi, Some(&above)),
        "from above, onto the bound"
    );
    assert!(!ev(&enter, &inside, Some(&inside)), "already inside");
    assert!(!ev(&enter, &above, Some(&below)), "jumped across");
    assert!(ev(&exit, &above, Some(&inside)));
    assert!(ev(&exit, &below, Some(&on_lo)));
    assert!(!ev(&exit, &above, Some(&above)));
    assert!(!ev(&exit, &inside, Some(&below)));
}

#[test]
fn a_channel_bound_can_be_a_metric() {
    // price inside [volume_z, volume]: bounds read from the same update.
    let n = Node::Leaf(Leaf {
        lhs: MetricKey::Price,
        op: Op::InsideChannel,
        test: Test::Channel {
            lower: Rhs::Metric(MetricKey::VolumeZ),
            upper: Rhs::Metric(MetricKey::Volume),
        },
    });
    assert!(ev(&n, &m(5.0, Some(1.0)), None));
    assert!(!ev(&n, &m(11.0, Some(1.0)), None));
    assert_eq!(
        evaluate3(&n, Sample::new(&m(5.0, None), None)),
        None,
        "a cold bound cannot be judged"
    );
}

#[test]
fn moving_operators_look_back_over_closed_bars_and_warm_up() {
    let mut h = History::default();
    h.want(MetricKey::Price, 3);
    let up = moving(Op::MovingUp, 5.0, 3);
    let up_pct = moving(Op::MovingUpPct, 10.0, 3);
    let down = moving(Op::MovingDown, 5.0, 3);
    let down_pct = moving(Op::MovingDownPct, 10.0, 3);
    let judge = |n: &Node, price: f64, h: &History| {
        let cur = p(price);
        evaluate3(
            n,
            Sample {
                cur: &cur,
                prev: None,
                history: Some(h),
            },
        )
    };
    h.push(&p(50.0));
    h.push(&p(52.0));
    assert_eq!(judge(&up, 60.0, &h), None, "two of three bars: warming up");
    h.push(&p(54.0));
    assert_eq!(judge(&up, 55.0, &h), Some(true), "55 - low 50 = 5");
    assert_eq!(judge(&up, 54.9, &h), Some(false));
    assert_eq!(judge(&up_pct, 55.0, &h), Some(true), "+10 % from 50");
    assert_eq!(judge(&up_pct, 54.0, &h), Some(false));
    assert_eq!(judge(&down, 49.0, &h), Some(true), "high 54 - 49 = 5");
    assert_eq!(judge(&down_pct, 48.5, &h), Some(true), "-10 % from 54");
    assert_eq!(judge(&down_pct, 49.0, &h), Some(false));
    h.push(&p(60.0)); // window now 52, 54, 60: the 50 has rolled out
    assert_eq!(judge(&up, 56.0, &h), Some(false));
    assert_eq!(judge(&up, 57.0, &h), Some(true));
    h.clear();
    assert_eq!(
        judge(&up, 100.0, &h),
        None,
        "after a gap the look-back starts over"
    );
    let without = p(100.0);
    assert_eq!(
        evaluate3(&up, Sample::new(&without, None)),
        None,
        "no history at all"
    );
}

#[test]
fn metric_against_metric_and_warm_up() {
    let cross_metric = Node::Leaf(Leaf {
        lhs: MetricKey::VolumeZ,
        op: Op::Gt,
        test: Test::Value(Rhs::Metric(MetricKey::Volume)),
    });
    assert!(ev(&cross_metric, &m(1.0, Some(12.0)), None));
    assert!(!ev(&cross_metric, &m(1.0, Some(8.0)), None));
    let z = Node::Leaf(Leaf {
        lhs: MetricKey::VolumeZ,
        op: Op::Gt,
        test: Test::Value(Rhs::Num(-1e9)),
    });
    assert!(!ev(&z, &m(1.0, None), None), "a cold metric never fires");
}

#[test]
fn groups_nest_and_unknown_propagates() {
    let cur = m(100.0, Some(4.0));
    let z_hot = Node::Leaf(Leaf {
        lhs: MetricKey::VolumeZ,
        op: Op::Gt,
        test: Test::Value(Rhs::Num(3.0)),
    });
    let tree = Node::All(vec![
        z_hot.clone(),
        Node::Any(vec![leaf(Op::Gt, 1_000.0), leaf(Op::Lt, 200.0)]),
    ]);
    assert!(ev(&tree, &cur, None));
    let tree = Node::All(vec![
        z_hot,
        Node::Any(vec![leaf(Op::Gt, 1_000.0), leaf(Op::Lt, 50.0)]),
    ]);
    assert!(!ev(&tree, &cur, None));
    // all(false, unknown) is false; any(true, unknown) is true; all(true, unknown) unknown.
    let unknown = leaf(Op::CrossesUp, 1.0);
    let s = Sample::new(&cur, None);
    assert_eq!(
        evaluate3(&Node::All(vec![leaf(Op::Gt, 500.0), unknown.clone()]), s),
        Some(false)
    );
    assert_eq!(
        evaluate3(&Node::Any(vec![leaf(Op::Gt, 5.0), unknown.clone()]), s),
        Some(true)
    );
    assert_eq!(
        evaluate3(&Node::All(vec![leaf(Op::Gt, 5.0), unknown]), s),
        None
    );
    let mut words = Vec::new();
    describe(
        &Node::Any(vec![
            leaf(Op::Gt, 50.0),
            leaf(Op::Lt, 50.0),
            channel(Op::InsideChannel, 90.0, 110.0),
        ]),
        s,
        &mut words,
    );
    assert_eq!(
        words,
        vec!["price 100 > 50", "price 100 inside channel [90, 110]"]
    );
}
