//! `tickwarden nab --data DIR --out DIR [--score-only]`: runs the product's streaming value
//! detector over the Numenta Anomaly Benchmark (one parameter set for the whole corpus, no
//! look-ahead), writes NAB-format results (`OUT/<category>/<file>.csv` with
//! `timestamp,value,anomaly_score`, one row per input row), then scores what it wrote with the
//! NAB rules and prints the standard, reward-low-FP and reward-low-FN scores.

use clap::Args;
use std::path::{Path, PathBuf};
use tw_analytics::anomaly::{ValueDetector, ValueDetectorConfig};
use tw_analytics::nab::{parse_timestamp, parse_windows, score_corpus, FileInput, Profile};

#[derive(Args, Debug, Clone)]
pub struct NabArgs {
    /// The NAB folder: `data/<category>/<file>.csv` and `labels/combined_windows.json`.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Where the results go (`OUT/<category>/<file>.csv`).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only score the results already in OUT (any detector's, in the same layout).
    #[arg(long)]
    pub score_only: bool,
}

#[derive(Debug, thiserror::Error)]
enum NabCliError {
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{file} line {line}: {msg}")]
    Row {
        file: PathBuf,
        line: usize,
        msg: String,
    },
    #[error("{0}")]
    Nab(#[from] tw_analytics::nab::NabError),
    #[error("{0}: has {1} rows, the data file has {2}")]
    RowCount(PathBuf, usize, usize),
}

pub fn run(args: NabArgs) -> i32 {
    match run_inner(&args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("tickwarden nab: {e}");
            2
        }
    }
}

fn read(p: &Path) -> Result<String, NabCliError> {
    std::fs::read_to_string(p).map_err(|e| NabCliError::Io(p.to_path_buf(), e))
}

/// (timestamp text, value text, timestamp s, column 3 as f64 if present) of a data row.
type Row = (String, String, i64, Option<f64>);

/// Every data row of a NAB-format CSV.
fn rows(p: &Path) -> Result<Vec<Row>, NabCliError> {
    read(p)?
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let bad = |msg: String| NabCliError::Row {
                file: p.to_path_buf(),
                line: i + 1,
                msg,
            };
            let f: Vec<&str> = l.split(',').collect();
            if f.len() < 2 {
                return Err(bad(format!("expected timestamp,value, got {l:?}")));
            }
            let t = parse_timestamp(f[0]).map_err(|e| bad(e.to_string()))?;
            let score = match f.get(2) {
                Some(s) => Some(
                    s.trim()
                        .parse()
                        .map_err(|_| bad(format!("anomaly_score {s:?} is not a number")))?,
                ),
                None => None,
            };
            Ok((f[0].to_string(), f[1].trim().to_string(), t, score))
        })
        .collect()
}

fn run_inner(args: &NabArgs) -> Result<(), NabCliError> {
    let labels = parse_windows(&read(&args.data.join("labels/combined_windows.json"))?)?;
    let cfg = ValueDetectorConfig::default();
    let mut files = Vec::with_capacity(labels.len());
    for (name, windows) in labels {
        let data = rows(&args.data.join("data").join(&name))?;
        let out_path = args.out.join(&name);
        let scores: Vec<f64> = if args.score_only {
            let res = rows(&out_path)?;
            if res.len() != data.len() {
                return Err(NabCliError::RowCount(out_path, res.len(), data.len()));
            }
            res.iter().map(|r| r.3.unwrap_or(0.0)).collect()
        } else {
            let mut det = ValueDetector::new(cfg.clone());
            let mut scores = Vec::with_capacity(data.len());
            let mut csv = String::from("timestamp,value,anomaly_score\n");
            for (ts, v, _, _) in &data {
                let x: f64 = v.parse().unwrap_or(f64::NAN);
                let s = det.push(x);
                scores.push(s);
                csv.push_str(&format!("{ts},{v},{s}\n"));
            }
            if let Some(dir) = out_path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| NabCliError::Io(dir.to_path_buf(), e))?;
            }
            std::fs::write(&out_path, csv).map_err(|e| NabCliError::Io(out_path.clone(), e))?;
            // Score what was written, read back, so the files themselves are what is scored.
            rows(&out_path)?
                .iter()
                .map(|r| r.3.unwrap_or(0.0))
                .collect()
        };
        files.push(FileInput {
            name,
            timestamps: data.iter().map(|r| r.2).collect(),
            scores,
            windows,
        });
    }
    if !args.score_only {
        println!(
            "wrote {} result files under {}",
            files.len(),
            args.out.display()
        );
    }
    println!(
        "{:<20} {:>7} {:>10} {:>10}",
        "profile", "score", "threshold", "raw"
    );
    for p in Profile::ALL {
        let c = score_corpus(&files, p);
        println!(
            "{:<20} {:>7.2} {:>10.6} {:>10.3}",
            p.name, c.normalized, c.threshold, c.raw
        );
    }
    Ok(())
}
