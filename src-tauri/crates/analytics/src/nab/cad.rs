//! The Contextual Anomaly Detector, open-source edition (CAD OSE, Mikhail Smirnov and
//! Alexander Fedorov, 2016; in NAB as `nab/detectors/context_ose/`), ported from its Python
//! source line by line so that it scores what the published one scores.
//!
//! Each value becomes a few "facts" (the bits of its bin among `2^bits` bins over the value
//! range). A *context* is a pair (left facts, right facts): what was seen (the previous
//! facts plus the contexts then active, as "neuron" facts) and what followed. Contexts are
//! stored in a hash memory (split into left and right semi-contexts), counted when their
//! left side recurs, and predict their right side. The anomaly of a value that was not
//! predicted is half of (the share of the contexts that matched on the left but not on the
//! right) plus (the share of the candidate contexts that were new).
//!
//! Details kept from the original because they change the scores:
//! - semi-contexts are keyed by Python 2's tuple hash of their facts, and the top active
//!   contexts are chosen by (activations, left hash, right hash), so the hash is Python 2's;
//! - the contexts of a left semi-context are visited in Python 2's dict order (which decides
//!   the ids of new contexts, hence the neuron facts), emulated by [`PyIntDict`];
//! - context id 0 is never updated while no new zero-level context was just made (the
//!   original compares `False != 0`);
//! - after a score at or above `base_threshold`, scores are 0 for `rest_period` values (and
//!   for the first `rest_period` values, from the seed history `[1.0]`).
//!
//! The original's memory grows without bound (one context per new pair). Here
//! `max_contexts` caps it: once full, no context or semi-context is added; a pair that is
//! not stored is still new (it counts as such in the score) but is not remembered. The
//! work per value is bounded by the store, so a capped store is O(1) per value.

use std::collections::{HashMap, HashSet};

type Fact = i64;

/// The first sensor fact of the predictive version (`65536 + 2·bit + value`; the published
/// version uses `2·bit + value`) and the first neuron fact (`2^31 + id`).
const SENSOR_BASE: Fact = 65_536;
const NEURON_BASE: Fact = 1 << 31;

/// Python 2.7's `hash()` of a tuple of ints (64-bit build).
pub fn py2_tuple_hash(items: &[Fact]) -> i64 {
    let mut x: i64 = 0x345678;
    let mut mult: i64 = 1_000_003;
    let mut len = items.len() as i64;
    for &y in items {
        len -= 1;
        let y = if y == -1 { -2 } else { y };
        x = (x ^ y).wrapping_mul(mult);
        mult = mult.wrapping_add(82_520 + len + len);
    }
    x = x.wrapping_add(97_531);
    if x == -1 {
        -2
    } else {
        x
    }
}

/// A map from small non-negative ints to ids that iterates in the order a Python 2.7 dict
/// would (open addressing, `i = 5i + perturb + 1`, resize to 4 × used when 2/3 full).
#[derive(Clone, Debug)]
pub struct PyIntDict {
    slots: Vec<Option<(usize, usize)>>,
    used: usize,
}

impl Default for PyIntDict {
    fn default() -> Self {
        PyIntDict {
            slots: vec![None; 8],
            used: 0,
        }
    }
}

impl PyIntDict {
    fn probe(slots: &[Option<(usize, usize)>], key: usize) -> usize {
        let mask = slots.len() - 1;
        let mut i = key & mask;
        let mut perturb = key;
        loop {
            match slots[i & mask] {
                None => return i & mask,
                Some((k, _)) if k == key => return i & mask,
                _ => {}
            }
            i = (i << 2)
                .wrapping_add(i)
                .wrapping_add(perturb)
                .wrapping_add(1);
            perturb >>= 5;
        }
    }

    pub fn get(&self, key: usize) -> Option<usize> {
        self.slots[Self::probe(&self.slots, key)].map(|(_, v)| v)
    }

    /// `dict.setdefault(key, value)`: the stored value, inserting `value` if absent.
    pub fn setdefault(&mut self, key: usize, value: usize) -> usize {
        let s = Self::probe(&self.slots, key);
        if let Some((_, v)) = self.slots[s] {
            return v;
        }
        self.slots[s] = Some((key, value));
        self.used += 1;
        if self.used * 3 >= self.slots.len() * 2 {
            let minused = 4 * self.used;
            let mut size = 8;
            while size <= minused {
                size <<= 1;
            }
            let old = std::mem::replace(&mut self.slots, vec![None; size]);
            for (k, v) in old.into_iter().flatten() {
                let s = Self::probe(&self.slots, k);
                self.slots[s] = Some((k, v));
            }
        }
        value
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.slots.iter().flatten().copied()
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    fn memory_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Option<(usize, usize)>>()
    }
}

#[derive(Clone, Debug)]
struct LeftSemi {
    /// Facts of this semi-context present in the last crossing, in input order.
    crossed: Vec<Fact>,
    len: usize,
    /// right semi-context id → context id.
    contexts: PyIntDict,
}

#[derive(Clone, Debug)]
struct RightSemi {
    crossed: Vec<Fact>,
    len: usize,
    facts: Vec<Fact>,
}

#[derive(Clone, Debug)]
struct Context {
    /// Sum of the right lengths over the times the left side fully matched.
    seen: u64,
    /// Sum of the right facts that then matched.
    hit: u64,
    /// Times the whole context matched.
    active: u64,
    right: usize,
    zero_level: bool,
    left_hash: i64,
    right_hash: i64,
}

type Pair = (Vec<Fact>, Vec<Fact>);

/// The context memory (`context_operator.py`).
#[derive(Clone, Debug)]
struct ContextOperator {
    max_left_len: usize,
    max_contexts: usize,
    facts: [HashMap<Fact, Vec<usize>>; 2],
    semi_ids: [HashMap<i64, usize>; 2],
    left: Vec<LeftSemi>,
    right: Vec<RightSemi>,
    crossed: [Vec<usize>; 2],
    contexts: Vec<Context>,
    /// The zero-level context made at this step (`False` in the original, equal to id 0).
    new_context: Option<usize>,
}

impl ContextOperator {
    fn new(max_left_len: usize, max_contexts: usize) -> Self {
        ContextOperator {
            max_left_len,
            max_contexts,
            facts: Default::default(),
            semi_ids: Default::default(),
            left: Vec::new(),
            right: Vec::new(),
            crossed: Default::default(),
            contexts: Vec::new(),
            new_context: None,
        }
    }

    /// `getContextByFacts` for one pair: Some(true) if a context was added, Some(false) if
    /// it existed, None if it is absent and the store is full.
    fn context_by_facts(
        &mut self,
        left: &[Fact],
        right: &[Fact],
        zero_level: bool,
    ) -> Option<bool> {
        let lh = py2_tuple_hash(left);
        let rh = py2_tuple_hash(right);
        if self.contexts.len() >= self.max_contexts {
            let l = *self.semi_ids[0].get(&lh)?;
            let r = *self.semi_ids[1].get(&rh)?;
            let c = self.left[l].contexts.get(r)?;
            if zero_level {
                self.contexts[c].zero_level = true;
            }
            return Some(false);
        }
        let next = self.left.len();
        let l = *self.semi_ids[0].entry(lh).or_insert(next);
        if l == next {
            self.left.push(LeftSemi {
                crossed: Vec::new(),
                len: left.len(),
                contexts: PyIntDict::default(),
            });
            for &f in left {
                self.facts[0].entry(f).or_default().push(l);
            }
        }
        let next = self.right.len();
        let r = *self.semi_ids[1].entry(rh).or_insert(next);
        if r == next {
            self.right.push(RightSemi {
                crossed: Vec::new(),
                len: right.len(),
                facts: right.to_vec(),
            });
            for &f in right {
                self.facts[1].entry(f).or_default().push(r);
            }
        }
        let next = self.contexts.len();
        let c = self.left[l].contexts.setdefault(r, next);
        if c == next {
            self.contexts.push(Context {
                seen: 0,
                hit: 0,
                active: 0,
                right: r,
                zero_level,
                left_hash: lh,
                right_hash: rh,
            });
            if zero_level {
                self.new_context = Some(c);
            }
            Some(true)
        } else {
            if zero_level {
                self.contexts[c].zero_level = true;
            }
            Some(false)
        }
    }

    /// Marks which facts of every semi-context of one side are in `facts` and keeps the
    /// crossed semi-contexts, in creation order.
    fn cross(&mut self, side: usize, facts: &[Fact]) {
        for &i in &self.crossed[side] {
            match side {
                0 => self.left[i].crossed.clear(),
                _ => self.right[i].crossed.clear(),
            }
        }
        for &f in facts {
            if let Some(list) = self.facts[side].get(&f) {
                for &i in list {
                    match side {
                        0 => self.left[i].crossed.push(f),
                        _ => self.right[i].crossed.push(f),
                    }
                }
            }
        }
        // In creation order, as the original's scan of every semi-context.
        let touched: Vec<usize> = match side {
            0 => (0..self.left.len())
                .filter(|&i| !self.left[i].crossed.is_empty())
                .collect(),
            _ => (0..self.right.len())
                .filter(|&i| !self.right[i].crossed.is_empty())
                .collect(),
        };
        self.crossed[side] = touched;
    }

    /// The right crossing and `updateContextsAndGetActive`: (active contexts as
    /// (id, activations, left hash, right hash), contexts whose left side matched, candidate
    /// new contexts).
    #[allow(clippy::type_complexity)]
    fn cross_right(
        &mut self,
        facts: &[Fact],
        new_context_flag: bool,
    ) -> (Vec<(usize, u64, i64, i64)>, usize, Vec<Pair>) {
        self.cross(1, facts);
        let mut active = Vec::new();
        let mut selected = 0usize;
        let mut candidates = Vec::new();
        let skip = self.new_context.unwrap_or(0);
        for &li in &self.crossed[0] {
            let ls = &self.left[li];
            let full = ls.crossed.len() == ls.len;
            for (ri, ci) in ls.contexts.iter() {
                if ci == skip {
                    continue;
                }
                let ctx = &mut self.contexts[ci];
                let rs = &self.right[ri];
                let r_count = rs.crossed.len() as u64;
                if full {
                    selected += 1;
                    ctx.seen += rs.len as u64;
                    if r_count > 0 {
                        ctx.hit += r_count;
                        if rs.len as u64 == r_count {
                            ctx.active += 1;
                            active.push((ci, ctx.active, ctx.left_hash, ctx.right_hash));
                        } else if ctx.zero_level
                            && new_context_flag
                            && ls.crossed.len() <= self.max_left_len
                        {
                            candidates.push((ls.crossed.clone(), rs.crossed.clone()));
                        }
                    }
                } else if ctx.zero_level
                    && new_context_flag
                    && r_count > 0
                    && ls.crossed.len() <= self.max_left_len
                {
                    candidates.push((ls.crossed.clone(), rs.crossed.clone()));
                }
            }
        }
        self.new_context = None;
        (active, selected, candidates)
    }

    /// Stores the candidates, then the left crossing: (contexts added, predicted facts if
    /// `predict`).
    fn cross_left(
        &mut self,
        facts: &[Fact],
        candidates: &[Pair],
        predict: bool,
    ) -> (usize, HashSet<Fact>) {
        let mut added = 0;
        for (l, r) in candidates {
            if self.context_by_facts(l, r, false) == Some(true) {
                added += 1;
            }
        }
        self.cross(0, facts);
        if !predict {
            return (added, HashSet::new());
        }
        let mut best = 0.0f64;
        let mut predicting: Vec<usize> = Vec::new();
        for &li in &self.crossed[0] {
            let ls = &self.left[li];
            if ls.crossed.len() != ls.len {
                continue;
            }
            for (_, ci) in ls.contexts.iter() {
                let c = &self.contexts[ci];
                let w = if c.seen > 0 {
                    c.hit as f64 / c.seen as f64
                } else {
                    0.0
                };
                if w > best {
                    best = w;
                    predicting.clear();
                    predicting.push(ci);
                } else if w == best {
                    predicting.push(ci);
                }
            }
        }
        let mut predictions = HashSet::new();
        for ci in predicting {
            predictions.extend(self.right[self.contexts[ci].right].facts.iter().copied());
        }
        (added, predictions)
    }

    fn memory_bytes(&self) -> usize {
        let vec_fact = |v: &Vec<Fact>| v.capacity() * 8;
        let maps: usize = self
            .facts
            .iter()
            .map(|m| m.capacity() * 40 + m.values().map(|v| v.capacity() * 8).sum::<usize>())
            .sum::<usize>()
            + self
                .semi_ids
                .iter()
                .map(|m| m.capacity() * 24)
                .sum::<usize>();
        maps + self
            .left
            .iter()
            .map(|s| {
                std::mem::size_of::<LeftSemi>() + vec_fact(&s.crossed) + s.contexts.memory_bytes()
            })
            .sum::<usize>()
            + self
                .right
                .iter()
                .map(|s| {
                    std::mem::size_of::<RightSemi>() + vec_fact(&s.crossed) + vec_fact(&s.facts)
                })
                .sum::<usize>()
            + self.contexts.capacity() * std::mem::size_of::<Context>()
    }
}

/// Settings of [`Cad`]. The defaults are the original's (NAB sets only the value range and
/// `rest_period` = probationary length / 5).
#[derive(Clone, Debug, PartialEq)]
pub struct CadConfig {
    pub min: f64,
    pub max: f64,
    pub base_threshold: f64,
    pub rest_period: usize,
    pub max_left_semi_contexts_len: usize,
    pub max_active_neurons: usize,
    pub num_norm_value_bits: u32,
    /// Most contexts stored (the original: unbounded).
    pub max_contexts: usize,
    /// The author's later version (NAB at one time): sensor facts offset by 65536, contexts
    /// predict facts, and a value whose facts were all predicted scores 0. `false` is the
    /// version whose results NAB publishes (69.9).
    pub predictive: bool,
}

impl Default for CadConfig {
    fn default() -> Self {
        CadConfig {
            min: 0.0,
            max: 1.0,
            base_threshold: 0.75,
            rest_period: 30,
            max_left_semi_contexts_len: 7,
            max_active_neurons: 15,
            num_norm_value_bits: 3,
            max_contexts: usize::MAX,
            predictive: false,
        }
    }
}

/// CAD OSE (`cad_ose.py`): one value in, one anomaly score in [0, 1] out.
#[derive(Clone, Debug)]
pub struct Cad {
    cfg: CadConfig,
    min_value_step: f64,
    left_facts: Vec<Fact>,
    op: ContextOperator,
    predicted: HashSet<Fact>,
    /// Values scored, and the index (1-based, the seed `1.0` being 0) of the last raw score
    /// at or above `base_threshold`.
    n: usize,
    last_high: usize,
}

impl Cad {
    pub fn new(cfg: CadConfig) -> Self {
        let max_bin_value = (2u64.pow(cfg.num_norm_value_bits) - 1) as f64;
        let mut range = cfg.max - cfg.min;
        if range == 0.0 {
            range = max_bin_value;
        }
        Cad {
            min_value_step: range / max_bin_value,
            left_facts: Vec::new(),
            op: ContextOperator::new(cfg.max_left_semi_contexts_len, cfg.max_contexts),
            predicted: HashSet::new(),
            n: 0,
            last_high: 0,
            cfg,
        }
    }

    /// Changes the value range that maps values to bins (the contexts already learnt keep
    /// their facts).
    pub fn set_range(&mut self, min: f64, max: f64) {
        let max_bin_value = (2u64.pow(self.cfg.num_norm_value_bits) - 1) as f64;
        let mut range = max - min;
        if range == 0.0 {
            range = max_bin_value;
        }
        self.cfg.min = min;
        self.cfg.max = max;
        self.min_value_step = range / max_bin_value;
    }

    /// Contexts stored so far.
    pub fn contexts(&self) -> usize {
        self.op.contexts.len()
    }

    /// Approximate heap bytes of the context memory.
    pub fn memory_bytes(&self) -> usize {
        self.op.memory_bytes()
    }

    /// The sensor facts of a value: bit `k` of its bin number is fact `2k + bit` (plus 65536
    /// in the predictive version).
    /// As in the original (`bin(n).lstrip("0b").rjust(bits, "0")`), a bin above the range
    /// has more bits, and a negative one keeps the characters `-0b` as zero bits.
    fn sensor_facts(&self, x: f64) -> Vec<Fact> {
        let n = ((x - self.cfg.min) / self.min_value_step).trunc();
        let n = if n.is_finite() {
            n.clamp(-1e15, 1e15) as i64
        } else {
            0
        };
        let mut digits: Vec<bool> = Vec::new(); // least significant first
        let mut a = n.unsigned_abs();
        while a > 0 {
            digits.push(a & 1 == 1);
            a >>= 1;
        }
        if n < 0 {
            // "-0b..." reversed: the digits, then 'b', '0', '-' (none of them '1').
            digits.extend([false; 3]);
        }
        while digits.len() < self.cfg.num_norm_value_bits as usize {
            digits.push(false);
        }
        let base = if self.cfg.predictive { SENSOR_BASE } else { 0 };
        let mut f: Vec<Fact> = digits
            .iter()
            .enumerate()
            .map(|(k, &b)| base + 2 * k as Fact + b as Fact)
            .collect();
        f.sort_unstable();
        f
    }

    /// `step`: (predictions, share of left-matched contexts that were active, share of new
    /// candidate contexts actually new).
    fn step(&mut self, sens: &[Fact]) -> (HashSet<Fact>, f64, f64) {
        let mut uniq: HashSet<Pair> = HashSet::new();
        let new_flag = if !self.left_facts.is_empty() && !sens.is_empty() {
            uniq.insert((self.left_facts.clone(), sens.to_vec()));
            let lf = std::mem::take(&mut self.left_facts);
            let r = self.op.context_by_facts(&lf, sens, true);
            self.left_facts = lf;
            r != Some(false)
        } else {
            false
        };
        let (mut active, selected, candidates) = self.op.cross_right(sens, new_flag);
        uniq.extend(candidates.iter().cloned());
        let a1 = if selected > 0 {
            active.len() as f64 / selected as f64
        } else {
            0.0
        };
        active.sort_unstable_by_key(|a| (a.1, a.2, a.3));
        let keep = active.len().saturating_sub(self.cfg.max_active_neurons);
        let mut left: Vec<Fact> = sens.to_vec();
        left.extend(active[keep..].iter().map(|a| NEURON_BASE + a.0 as Fact));
        left.sort_unstable();
        left.dedup();
        self.left_facts = left;
        let lf = std::mem::take(&mut self.left_facts);
        let (mut added, predictions) = self.op.cross_left(&lf, &candidates, self.cfg.predictive);
        self.left_facts = lf;
        if new_flag {
            added += 1;
        }
        let a2 = if new_flag && !uniq.is_empty() {
            added as f64 / uniq.len() as f64
        } else {
            0.0
        };
        (predictions, a1, a2)
    }

    /// `getAnomalyScore`: the score of the next value.
    pub fn push(&mut self, x: f64) -> f64 {
        let sens = self.sensor_facts(x);
        let unpredicted = sens.iter().any(|f| !self.predicted.contains(f));
        let (pred, a1, a2) = self.step(&sens);
        self.predicted = pred;
        let score = if unpredicted || !self.cfg.predictive {
            (1.0 - a1 + a2) / 2.0
        } else {
            0.0
        };
        // max(history[-rest:]) < base_threshold, the history being [1.0, s1, s2, ...].
        let r = self.cfg.rest_period;
        let quiet = r > 0 && self.last_high + r <= self.n;
        self.n += 1;
        if score >= self.cfg.base_threshold {
            self.last_high = self.n;
        }
        if quiet {
            score
        } else {
            0.0
        }
    }
}

/// CAD OSE without look-ahead. NAB hands every detector the minimum and maximum of the whole
/// file and its length (CAD OSE's value range and rest period come from them); a stream has
/// neither. Here the range is that of the first `warmup` values (scores are 0 until then; the
/// buffered values are then replayed into the detector), a value beyond it gets more bits
/// (new facts, so it reads as new), and the rest period is a constant.
#[derive(Clone, Debug)]
pub struct StreamingCad {
    cfg: CadConfig,
    warmup: usize,
    buffer: Vec<f64>,
    cad: Option<Cad>,
}

impl StreamingCad {
    /// `cfg.min` and `cfg.max` are ignored (learnt from the first `warmup` values).
    pub fn new(cfg: CadConfig, warmup: usize) -> Self {
        StreamingCad {
            cfg,
            warmup: warmup.max(1),
            buffer: Vec::new(),
            cad: None,
        }
    }

    pub fn push(&mut self, x: f64) -> f64 {
        if let Some(cad) = &mut self.cad {
            return cad.push(x);
        }
        self.buffer.push(x);
        if self.buffer.len() >= self.warmup {
            let min = self.buffer.iter().copied().fold(f64::INFINITY, f64::min);
            let max = self
                .buffer
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max);
            let mut cad = Cad::new(CadConfig {
                min,
                max,
                ..self.cfg.clone()
            });
            for &v in &self.buffer {
                cad.push(v);
            }
            self.buffer = Vec::new();
            self.cad = Some(cad);
        }
        0.0
    }

    /// Contexts stored so far.
    pub fn contexts(&self) -> usize {
        self.cad.as_ref().map_or(0, Cad::contexts)
    }

    pub fn memory_bytes(&self) -> usize {
        self.buffer.capacity() * 8 + self.cad.as_ref().map_or(0, Cad::memory_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python2_tuple_hashes() {
        // Python 2.7, 64-bit: hash(()) and hash((1, 2, 3)).
        assert_eq!(py2_tuple_hash(&[]), 3_527_539);
        assert_eq!(py2_tuple_hash(&[1, 2, 3]), 2_528_502_973_977_326_415);
    }

    #[test]
    fn python2_dict_order() {
        // Small int keys in an 8-slot table iterate by slot, i.e. sorted, whatever the
        // insertion order; every key stays findable across resizes.
        let mut d = PyIntDict::default();
        for k in [5, 3, 1, 0] {
            d.setdefault(k, k * 10);
        }
        let keys: Vec<usize> = d.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec![0, 1, 3, 5]);
        for k in 0..100 {
            d.setdefault(k, k * 10);
        }
        assert!((0..100).all(|k| d.get(k) == Some(k * 10)));
        assert_eq!(d.len(), 100);
    }

    fn periodic(i: usize) -> f64 {
        [0.0, 1.0, 3.0, 7.0, 3.0, 1.0][i % 6]
    }

    #[test]
    fn a_learnt_pattern_goes_quiet_a_novel_value_scores_high_and_the_store_is_capped() {
        let cfg = CadConfig {
            min: 0.0,
            max: 7.0,
            rest_period: 10,
            ..CadConfig::default()
        };
        let mut cad = Cad::new(cfg.clone());
        let scores: Vec<f64> = (0..600).map(|i| cad.push(periodic(i))).collect();
        let late = scores[300..].iter().fold(0.0f64, |a, &b| a.max(b));
        assert!(late < 0.5, "a repeating pattern still scores {late}");
        // A value in a bin the pattern never visits.
        let s = cad.push(5.0);
        assert!(s >= 0.75, "a novel value scored {s}");
        // Then scores are held at 0 for the rest period.
        assert!((0..10).all(|i| cad.push(periodic(i + 1)) == 0.0));

        let mut capped = Cad::new(CadConfig {
            max_contexts: 50,
            ..cfg
        });
        for i in 0..2000 {
            capped.push(((i * 7919) % 8) as f64);
        }
        assert_eq!(capped.contexts(), 50);
    }

    #[test]
    fn streaming_cad_scores_zero_during_warm_up_then_learns_the_range() {
        let mut s = StreamingCad::new(CadConfig::default(), 100);
        assert!((0..100).all(|i| s.push(periodic(i)) == 0.0));
        assert!(s.contexts() > 0);
        let late = (100..700)
            .map(|i| s.push(periodic(i)))
            .fold(0.0f64, f64::max);
        assert!(late < 0.5, "{late}");
        // Far above the range learnt: new facts.
        let mut hit = 0.0f64;
        for _ in 0..3 {
            hit = hit.max(s.push(100.0));
        }
        assert!(hit >= 0.75, "{hit}");
    }
}
