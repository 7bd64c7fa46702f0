//! The NAB scorer against NAB's own golden results (shipped in ../shared/data/nab/results):
//! the per-row weighted scores of Numenta HTM on Twitter_volume_AAPL for all three profiles,
//! and that file's score, TP, FP and FN at Numenta's published corpus threshold.

use std::path::PathBuf;
use tw_analytics::nab::{
    parse_timestamp, parse_windows, row_weights, score_file_at, FileInput, Profile,
};

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

#[test]
fn reproduces_numenta_row_weights_and_file_scores_on_twitter_aapl() {
    let nab = nab_dir();
    let name = "realTweets/Twitter_volume_AAPL.csv";
    let text = std::fs::read_to_string(
        nab.join("results/numenta/realTweets/numenta_Twitter_volume_AAPL.csv"),
    )
    .unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (ts, sc) = (col("timestamp"), col("anomaly_score"));
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let windows =
        parse_windows(&std::fs::read_to_string(nab.join("labels/combined_windows.json")).unwrap())
            .unwrap()
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1;
    let f = FileInput {
        name: name.into(),
        timestamps: rows
            .iter()
            .map(|r| parse_timestamp(&r[ts]).unwrap())
            .collect(),
        scores: rows.iter().map(|r| r[sc].parse().unwrap()).collect(),
        windows,
    };
    for p in Profile::ALL {
        // NAB writes S(t) only where it counted: the weight of every false positive on its
        // row, and each window's result (best detection or -fnWeight) on the window's first
        // row; the latter are checked through the file score below.
        let want = col(&format!("S(t)_{}", p.name));
        let weights = row_weights(&f, p);
        let mut checked = 0;
        for (i, (w, _)) in weights.iter().enumerate() {
            let g: f64 = rows[i][want].parse().unwrap();
            if g != 0.0 && rows[i][col("label")] == "0" {
                assert!((w - g).abs() < 1e-9, "{} row {i}: {w} vs NAB {g}", p.name);
                checked += 1;
            }
        }
        assert!(checked >= 6, "{} weights compared", checked);
    }
    // numenta_standard_scores.csv: threshold 0.542187690735 -> score 1.26389791486, TP 11,
    // TN 13558, FP 6, FN 1577.
    let got = score_file_at(&f, 0.542187690735, Profile::STANDARD);
    assert!((got.score - 1.26389791486).abs() < 1e-6, "{got:?}");
    assert_eq!((got.tp, got.tn, got.fp, got.fn_), (11, 13558, 6, 1577));
}
