//! NAB scoring: per-row weights from the label windows, one threshold optimised over the
//! whole corpus, normalised against the null detector. See `nab/SCORING.md`.

/// Cost weights of one NAB profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Profile {
    pub name: &'static str,
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

impl Profile {
    pub const STANDARD: Profile = Profile {
        name: "standard",
        tp: 1.0,
        fp: 0.11,
        fn_: 1.0,
    };
    pub const LOW_FP: Profile = Profile {
        name: "reward_low_FP_rate",
        tp: 1.0,
        fp: 0.22,
        fn_: 1.0,
    };
    pub const LOW_FN: Profile = Profile {
        name: "reward_low_FN_rate",
        tp: 1.0,
        fp: 0.11,
        fn_: 2.0,
    };
    pub const ALL: [Profile; 3] = [Self::STANDARD, Self::LOW_FP, Self::LOW_FN];
}

/// One data file with the detector's scores.
#[derive(Clone, Debug)]
pub struct FileInput {
    pub name: String,
    /// Row timestamps (seconds), in file order.
    pub timestamps: Vec<i64>,
    pub scores: Vec<f64>,
    /// Label windows (start, end) in seconds.
    pub windows: Vec<(i64, i64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FileScore {
    pub name: String,
    pub score: f64,
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

#[derive(Clone, Debug)]
pub struct CorpusScore {
    pub profile: Profile,
    pub threshold: f64,
    pub raw: f64,
    /// 100 · (raw − null) / (perfect − null).
    pub normalized: f64,
    pub files: Vec<FileScore>,
}

/// NAB's scaled sigmoid.
pub fn sigmoid(y: f64) -> f64 {
    if y > 3.0 {
        -1.0
    } else {
        2.0 / (1.0 + (5.0 * y).exp()) - 1.0
    }
}

/// One scored row after the probationary period.
#[derive(Clone, Copy, Debug)]
struct Point {
    score: f64,
    weighted: f64,
    /// Global window id, or None outside every window.
    window: Option<usize>,
    label: bool,
}

/// The per-row weighted scores of one file (all rows, probation included), and the window id
/// of each row (`first_window` + index within the file).
pub fn row_weights(f: &FileInput, p: Profile) -> Vec<(f64, Option<usize>)> {
    let mut out = Vec::with_capacity(f.timestamps.len());
    // Row index range of every window.
    let idx = |t: i64| f.timestamps.iter().position(|&x| x == t);
    let ranges: Vec<Option<(usize, usize)>> = f
        .windows
        .iter()
        .map(|&(a, b)| Some((idx(a)?, idx(b)?)))
        .collect();
    let mut next = 0usize;
    let mut cur: Option<(usize, usize, usize)> = None; // (id, right, width)
    let mut prev: Option<(usize, usize)> = None; // (right, width)
    for (i, &t) in f.timestamps.iter().enumerate() {
        if cur.is_none() && next < f.windows.len() && f.windows[next].0 == t {
            if let Some((s, e)) = ranges[next] {
                cur = Some((next, e, e - s + 1));
            }
            next += 1;
        }
        let (w, win) = match cur {
            Some((id, right, width)) => {
                let pos = -((right as f64 - i as f64 + 1.0) / width as f64);
                (sigmoid(pos) * p.tp / sigmoid(-1.0), Some(id))
            }
            None => match prev {
                None => (-p.fp, None),
                Some((right, width)) => {
                    let pos = (right as f64 - i as f64).abs() / (width as f64 - 1.0);
                    (sigmoid(pos) * p.fp, None)
                }
            },
        };
        out.push((w, win));
        if let Some((_, right, width)) = cur {
            if right == i {
                prev = Some((right, width));
                cur = None;
            }
        }
    }
    out
}

/// One file's score at a given threshold (what NAB's scorer does once the corpus threshold
/// is known).
pub fn score_file_at(f: &FileInput, threshold: f64, p: Profile) -> FileScore {
    let skip = probation(f.timestamps.len());
    let pts: Vec<Point> = row_weights(f, p)
        .into_iter()
        .zip(&f.scores)
        .skip(skip)
        .map(|((weighted, window), &score)| Point {
            score,
            weighted,
            window,
            label: window.is_some(),
        })
        .collect();
    let (score, tp, fp, fn_, tn) = score_at(&pts, 0, f.windows.len(), threshold, p);
    FileScore {
        name: f.name.clone(),
        score,
        tp,
        fp,
        fn_,
        tn,
    }
}

fn probation(n: usize) -> usize {
    ((0.15 * n as f64).floor() as usize).min(750)
}

/// Scores the corpus for one profile: the best single threshold over all files, then each
/// file at that threshold.
pub fn score_corpus(files: &[FileInput], p: Profile) -> CorpusScore {
    let mut points = Vec::new();
    let mut n_windows = 0usize;
    let mut per_file = Vec::with_capacity(files.len());
    for f in files {
        let w = row_weights(f, p);
        let start = points.len();
        for (i, (&(weighted, win), &score)) in w.iter().zip(&f.scores).enumerate() {
            if i >= probation(f.timestamps.len()) {
                points.push(Point {
                    score,
                    weighted,
                    window: win.map(|k| k + n_windows),
                    label: win.is_some(),
                });
            }
        }
        per_file.push((start, points.len(), n_windows, f.windows.len()));
        n_windows += f.windows.len();
    }
    let threshold = best_threshold(&points, n_windows, p);
    let files_out: Vec<FileScore> = files
        .iter()
        .zip(&per_file)
        .map(|(f, &(a, b, w0, nw))| {
            let (score, tp, fp, fn_, tn) = score_at(&points[a..b], w0, nw, threshold, p);
            FileScore {
                name: f.name.clone(),
                score,
                tp,
                fp,
                fn_,
                tn,
            }
        })
        .collect();
    let raw: f64 = files_out.iter().map(|f| f.score).sum();
    let null = -p.fn_ * n_windows as f64;
    let perfect = p.tp * n_windows as f64;
    CorpusScore {
        profile: p,
        threshold,
        raw,
        normalized: 100.0 * (raw - null) / (perfect - null),
        files: files_out,
    }
}

/// Score of a set of rows at one threshold: (score, TP, FP, FN, TN) with TP..TN counted by row.
fn score_at(
    pts: &[Point],
    w0: usize,
    nw: usize,
    thr: f64,
    p: Profile,
) -> (f64, usize, usize, usize, usize) {
    let mut best = vec![None::<f64>; nw];
    let mut s = 0.0;
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for pt in pts {
        let det = pt.score >= thr;
        match (det, pt.label) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => tn += 1,
        }
        if !det {
            continue;
        }
        match pt.window {
            Some(k) => {
                let b = &mut best[k - w0];
                *b = Some(b.map_or(pt.weighted, |x: f64| x.max(pt.weighted)));
            }
            None => s += pt.weighted,
        }
    }
    s += best.iter().map(|b| b.unwrap_or(-p.fn_)).sum::<f64>();
    (s, tp, fp, fn_, tn)
}

/// The threshold with the highest corpus total; among ties the highest threshold (NAB starts
/// from 1.1, "no detections", and walks the distinct scores downwards).
fn best_threshold(points: &[Point], n_windows: usize, p: Profile) -> f64 {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[b].score.total_cmp(&points[a].score));
    let mut best = vec![None::<f64>; n_windows];
    let mut tp_sum = 0.0;
    let mut undetected = n_windows;
    let mut fp_sum = 0.0;
    let total = |tp: f64, und: usize, fp: f64| tp + fp - p.fn_ * und as f64;
    let (mut best_thr, mut best_total) = (1.1, total(0.0, n_windows, 0.0));
    let mut i = 0;
    while i < order.len() {
        let thr = points[order[i]].score;
        while i < order.len() && points[order[i]].score == thr {
            let pt = &points[order[i]];
            match pt.window {
                Some(k) => match best[k] {
                    None => {
                        best[k] = Some(pt.weighted);
                        tp_sum += pt.weighted;
                        undetected -= 1;
                    }
                    Some(b) if pt.weighted > b => {
                        tp_sum += pt.weighted - b;
                        best[k] = Some(pt.weighted);
                    }
                    Some(_) => {}
                },
                None => fp_sum += pt.weighted,
            }
            i += 1;
        }
        let t = total(tp_sum, undetected, fp_sum);
        if t > best_total {
            best_total = t;
            best_thr = thr;
        }
    }
    best_thr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_matches_the_documented_values() {
        assert!((sigmoid(-1.0) - 0.98661).abs() < 1e-5);
        assert!((sigmoid(-0.5) - 0.84828).abs() < 1e-5);
        assert_eq!(sigmoid(0.0), 0.0);
        assert_eq!(sigmoid(3.5), -1.0);
    }

    fn file(scores: Vec<f64>) -> FileInput {
        let n = scores.len() as i64;
        FileInput {
            name: "t".into(),
            timestamps: (0..n).collect(),
            scores,
            windows: vec![(50, 59)],
        }
    }

    #[test]
    fn a_detection_at_the_window_start_is_perfect_and_a_miss_is_null() {
        let mut s = vec![0.0; 100];
        s[50] = 1.0;
        let c = score_corpus(&[file(s)], Profile::STANDARD);
        assert!((c.normalized - 100.0).abs() < 1e-9, "{}", c.normalized);
        assert_eq!(c.threshold, 1.0);
        let c = score_corpus(&[file(vec![0.0; 100])], Profile::STANDARD);
        assert!(c.normalized.abs() < 1e-9);
        // A false positive before the window costs fpWeight.
        let mut s = vec![0.0; 100];
        s[30] = 1.0;
        s[50] = 1.0;
        let c = score_corpus(&[file(s)], Profile::STANDARD);
        assert!((c.raw - (1.0 - 0.11)).abs() < 1e-9, "{}", c.raw);
    }
}
