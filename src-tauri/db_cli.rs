//! `tickwarden db …`: look inside the database, clean it up, and move what the user made
//! (rules, watchlists, settings) in and out as JSON.

use crate::cli::{default_data_dir, EngineArgs};
use clap::{Args, Subcommand};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use tw_core::rule::RuleSpec;
use tw_core::{Clock, SystemClock};
use tw_store::{Retention, Store};

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum DbCommand {
    /// File size, rows per table, oldest and newest data per interval, alerts in the last 24 h.
    Info {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Delete old candles: those older than --older-than, or else what the retention
    /// settings say; then compact the file.
    Cleanup {
        /// An age such as 90m, 12h, 30d or 2w.
        #[arg(long, value_name = "AGE", value_parser = parse_age)]
        older_than: Option<i64>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Write rules, watchlists and settings as JSON (to stdout, or --out FILE).
    Export {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Read rules, watchlists and settings from a JSON export; every rule is checked first
    /// and nothing is imported if one is wrong.
    Import { file: PathBuf },
}

/// The export file. Tokens are never part of it: they live in the OS keyring.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported_at: i64,
    pub rules: Vec<RuleSpec>,
    pub watchlists: BTreeMap<String, Vec<String>>,
    pub settings: BTreeMap<String, String>,
}

const FORMAT: &str = "tickwarden-export";

/// Parses `90m`, `12h`, `30d`, `2w` into milliseconds.
pub fn parse_age(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not an age like 12h or 30d"))?;
    let ms = match unit {
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => {
            return Err(format!(
                "{s:?}: the unit must be m, h, d or w (e.g. 12h, 30d)"
            ))
        }
    };
    if n == 0 {
        return Err("the age must be more than zero".into());
    }
    Ok(n * ms)
}

pub fn run(engine: EngineArgs, args: DbArgs) -> i32 {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tickwarden: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let dir = engine.data_dir.unwrap_or_else(default_data_dir);
    match rt.block_on(run_async(dir, args.command)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("tickwarden db: {e}");
            1
        }
    }
}

async fn run_async(dir: PathBuf, cmd: DbCommand) -> Result<(), String> {
    let store = Store::open(&dir).await.map_err(|e| e.to_string())?;
    let now = SystemClock.now_ms();
    let result = match cmd {
        DbCommand::Info { json } => info(&store, now, json).await,
        DbCommand::Cleanup { older_than, yes } => cleanup(&store, now, older_than, yes).await,
        DbCommand::Export { out } => export(&store, now, out).await,
        DbCommand::Import { file } => import(&store, now, &file).await,
    };
    store.close().await;
    result
}

fn day(ms: Option<i64>) -> String {
    ms.map(tw_store::iso_utc).unwrap_or_else(|| "-".into())
}

async fn info(store: &Store, now: i64, json: bool) -> Result<(), String> {
    let info = store.info(now).await.map_err(|e| e.to_string())?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    println!("database      {}", info.path);
    println!(
        "size          {:.1} MB (with WAL)",
        info.file_bytes as f64 / 1e6
    );
    println!("schema        version {}", info.schema_version);
    println!("alerts (24 h) {}", info.alerts_last_24h);
    println!("\n{:<20} {:>12}", "table", "rows");
    for (t, n) in &info.tables {
        println!("{t:<20} {n:>12}");
    }
    println!(
        "\n{:<8} {:>10} {:>8}  {:<20}  {:<20}",
        "interval", "candles", "symbols", "oldest (UTC)", "newest (UTC)"
    );
    for i in &info.intervals {
        println!(
            "{:<8} {:>10} {:>8}  {:<20}  {:<20}",
            i.interval,
            i.candles,
            i.symbols,
            day(i.oldest),
            day(i.newest)
        );
    }
    Ok(())
}

fn confirm(question: &str) -> Result<bool, String> {
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "{question} — not asked without a terminal: add --yes"
        ));
    }
    print!("{question} [y/N] ");
    std::io::stdout().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}

async fn cleanup(
    store: &Store,
    now: i64,
    older_than: Option<i64>,
    yes: bool,
) -> Result<(), String> {
    let err = |e: tw_store::StoreError| e.to_string();
    let before = store.file_bytes();
    let removed = match older_than {
        Some(age) => {
            let cutoff = now - age;
            let n = store.count_candles_before(cutoff).await.map_err(err)?;
            if n == 0 {
                println!("no candles older than {}", day(Some(cutoff)));
                return Ok(());
            }
            if !yes
                && !confirm(&format!(
                    "delete {n} candles older than {}?",
                    day(Some(cutoff))
                ))?
            {
                println!("nothing deleted");
                return Ok(());
            }
            let mut total = 0;
            loop {
                let k = store
                    .delete_candles_before(None, cutoff, 5_000)
                    .await
                    .map_err(err)?;
                total += k;
                if k < 5_000 {
                    break;
                }
            }
            total
        }
        None => {
            let policy = Retention::load(store).await.map_err(err)?;
            if !yes && !confirm("apply the retention settings and compact the database?")? {
                println!("nothing deleted");
                return Ok(());
            }
            store.prune(&policy, now, 5_000).await.map_err(err)?.total()
        }
    };
    store.vacuum().await.map_err(err)?;
    println!(
        "deleted {removed} candles; file {:.1} MB → {:.1} MB",
        before as f64 / 1e6,
        store.file_bytes() as f64 / 1e6
    );
    Ok(())
}

async fn export(store: &Store, now: i64, out: Option<PathBuf>) -> Result<(), String> {
    let err = |e: tw_store::StoreError| e.to_string();
    let doc = Export {
        format: FORMAT.into(),
        version: 1,
        exported_at: now,
        rules: store
            .rules()
            .await
            .map_err(err)?
            .into_iter()
            .map(|r| r.spec)
            .collect(),
        watchlists: store.watchlists().await.map_err(err)?,
        settings: store.settings().await.map_err(err)?,
    };
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    match out {
        Some(path) => {
            std::fs::write(&path, text + "\n")
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!(
                "exported {} rules, {} watchlists, {} settings to {}",
                doc.rules.len(),
                doc.watchlists.len(),
                doc.settings.len(),
                path.display()
            );
        }
        None => println!("{text}"),
    }
    Ok(())
}

/// Checks a whole export before anything is written; the error names the place.
pub fn check_export(text: &str, now: i64) -> Result<Export, String> {
    let doc: Export =
        serde_json::from_str(text).map_err(|e| format!("not a Tickwarden export: {e}"))?;
    if doc.format != FORMAT {
        return Err(format!("format is {:?}, expected {FORMAT:?}", doc.format));
    }
    if doc.version != 1 {
        return Err(format!(
            "export version {} is newer than this app reads (1)",
            doc.version
        ));
    }
    for (i, spec) in doc.rules.iter().enumerate() {
        tw_analytics::rules::compile(0, spec, None)
            .map_err(|e| format!("rules[{i}] ({}): {}: {}", spec.name, e.field, e.reason))?;
    }
    for (name, symbols) in &doc.watchlists {
        for (i, s) in symbols.iter().enumerate() {
            tw_core::Symbol::parse(s).map_err(|e| format!("watchlists.{name}[{i}]: {e}"))?;
        }
    }
    let _ = now;
    Ok(doc)
}

async fn import(store: &Store, now: i64, file: &PathBuf) -> Result<(), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let doc = check_export(&text, now)
        .map_err(|e| format!("{}: {e}; nothing imported", file.display()))?;
    let err = |e: tw_store::StoreError| e.to_string();
    for spec in &doc.rules {
        store.insert_rule(spec, now).await.map_err(err)?;
    }
    for (name, symbols) in &doc.watchlists {
        for s in symbols {
            store.watchlist_add(name, s).await.map_err(err)?;
        }
    }
    for (k, v) in &doc.settings {
        store.set_setting(k, v).await.map_err(err)?;
    }
    println!(
        "imported {} rules, {} watchlists, {} settings",
        doc.rules.len(),
        doc.watchlists.len(),
        doc.settings.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse_and_bad_ones_say_why() {
        assert_eq!(parse_age("12h"), Ok(12 * 3_600_000));
        assert_eq!(parse_age("30d"), Ok(30 * 86_400_000));
        assert_eq!(parse_age("2w"), Ok(14 * 86_400_000));
        assert!(parse_age("12").unwrap_err().contains("unit"));
        assert!(parse_age("h").unwrap_err().contains("not an age"));
        assert!(parse_age("0d").is_err());
    }

    #[test]
    fn an_export_with_one_bad_rule_is_refused_naming_it() {
        let good = r#"{"name":"ok","target":{"symbols":["demo:ALPHA"]},"interval":"1m","when":{"metric":"price","op":"gt","value":1}}"#;
        let bad = r#"{"name":"bad","target":{"symbols":["demo:ALPHA"]},"interval":"1m","when":{"metric":"nope","op":"gt","value":1}}"#;
        let doc = |rules: &str| {
            format!(
                r#"{{"format":"tickwarden-export","version":1,"exported_at":0,"rules":[{rules}],"watchlists":{{"default":["demo:BETA"]}},"settings":{{}}}}"#
            )
        };
        assert!(check_export(&doc(good), 0).is_ok());
        let e = check_export(&doc(&format!("{good},{bad}")), 0).unwrap_err();
        assert!(e.starts_with("rules[1] (bad): when.metric"), "{e}");
        let e = check_export(&doc(good).replace("demo:BETA", "BETA"), 0).unwrap_err();
        assert!(e.contains("watchlists.default[0]"), "{e}");
        assert!(check_export("{}", 0)
            .unwrap_err()
            .contains("not a Tickwarden export"));
    }
}
