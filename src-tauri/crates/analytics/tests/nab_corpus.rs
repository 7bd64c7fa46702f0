//! The product's streaming value detector over the whole Numenta Anomaly Benchmark, scored
//! with the NAB rules: one parameter set, no look-ahead. Prints the three profile scores, the
//! time per value, and the scores without the context (CAD) stage.

use std::path::{Path, PathBuf};
use tw_analytics::anomaly::{ValueDetector, ValueDetectorConfig};
use tw_analytics::nab::{parse_timestamp, parse_windows, score_corpus, FileInput, Profile};

fn nab_dir() -> PathBuf {
    let d = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data/nab"
    ));
    // `make test` runs with shared/ beside the clone (as CI has it): absent data fails.
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        d.display()
    );
    d
}

/// The scored corpus, and the largest detector memory (bytes) at the end of a file.
fn load(nab: &Path, cfg: &ValueDetectorConfig) -> (Vec<FileInput>, usize) {
    let mut memory = 0;
    let labels =
        parse_windows(&std::fs::read_to_string(nab.join("labels/combined_windows.json")).unwrap())
            .unwrap();
    let files = labels
        .into_iter()
        .map(|(name, windows)| {
            let text = std::fs::read_to_string(nab.join("data").join(&name)).unwrap();
            let rows: Vec<(i64, f64)> = text
                .lines()
                .skip(1)
                .map(|line| {
                    let (t, v) = line.split_once(',').unwrap();
                    (parse_timestamp(t).unwrap(), v.trim().parse().unwrap())
                })
                .collect();
            let mut det = ValueDetector::new(cfg.clone());
            let (mut timestamps, mut scores) = (Vec::new(), Vec::new());
            for (t, v) in rows {
                timestamps.push(t);
                scores.push(det.push(v));
            }
            memory = memory.max(det.memory_bytes());
            FileInput {
                name,
                timestamps,
                scores,
                windows,
            }
        })
        .collect();
    (files, memory)
}

fn print_scores(label: &str, files: &[FileInput]) -> f64 {
    let mut standard = 0.0;
    for p in Profile::ALL {
        let c = score_corpus(files, p);
        println!(
            "NAB {label:<22} {:<20} {:6.2}  (threshold {:.6}, raw {:.3})",
            p.name, c.normalized, c.threshold, c.raw
        );
        if p == Profile::STANDARD {
            standard = c.normalized;
        }
    }
    standard
}

#[test]
/// The shipped parameter set scores 60.18 standard (published: CAD OSE 69.9 with the
/// whole file's min/max known in advance, KNN CAD 58.0, Relative Entropy 54.6, Twitter
/// ADVec 47.1); a regression below 59.5 fails. Without the context stage it scores 51.40,
/// so the stage must add. The computation is deterministic.
fn scores_above_the_floor_on_the_standard_profile() {
    let nab = nab_dir();
    let t = std::time::Instant::now();
    let (files, memory) = load(&nab, &ValueDetectorConfig::default());
    let elapsed = t.elapsed();
    let points: usize = files.iter().map(|f| f.scores.len()).sum();
    println!(
        "NAB corpus: {points} values in {:.2?} ({:.1} µs per value, one core)",
        elapsed,
        elapsed.as_secs_f64() * 1e6 / points as f64
    );
    println!(
        "largest detector memory at the end of a file: {:.1} MiB",
        memory as f64 / (1 << 20) as f64
    );
    let standard = print_scores("shipped", &files);
    let without = print_scores(
        "without context stage",
        &load(
            &nab,
            &ValueDetectorConfig {
                cad_weight: 0.0,
                ..ValueDetectorConfig::default()
            },
        )
        .0,
    );
    assert!(
        standard > 59.5,
        "standard NAB score {standard:.2} is not above 59.5"
    );
    assert!(
        standard > without,
        "the context stage does not add: {standard:.2} with it, {without:.2} without"
    );
}
