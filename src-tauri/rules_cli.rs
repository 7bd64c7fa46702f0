//! `tickwarden rules import FILE.json | export | list | enable ID | disable ID`: the user's
//! rules from the command line, against `--data-dir`, through the same engine code as the
//! app (validation included). Changes apply to a running app at its next rule reload.

use clap::{Args, Subcommand};
use std::io::{Read, Write};
use std::path::PathBuf;
use tw_core::ipc::RuleRecord;
use tw_engine::{EngineError, EngineHandle};

#[derive(Args, Debug, Clone)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: RulesAction,
}

#[derive(Subcommand, Debug, Clone)]
pub enum RulesAction {
    /// Add the rules of a JSON file (`-` reads stdin): a rule, a list, or an export. Every
    /// rule is checked first; nothing is imported if one is wrong.
    Import { file: PathBuf },
    /// Print every rule as JSON (the format `import` reads).
    Export {
        /// Write to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the rules: id, on/off, level, interval, name.
    List {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Switch a rule on.
    Enable { id: i64 },
    /// Switch a rule off.
    Disable { id: i64 },
}

pub fn run(engine_args: crate::cli::EngineArgs, args: RulesArgs) -> i32 {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tickwarden: cannot start the async runtime: {e}");
            return 1;
        }
    };
    rt.block_on(async move {
        let Some(engine) = engine_args.start_without_feeds().await else {
            return 1;
        };
        let code = match act(&engine, args.action).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("tickwarden: {e}");
                match e {
                    CliError::Engine(EngineError::InvalidInput(_))
                    | CliError::Engine(EngineError::InvalidRule(_))
                    | CliError::Engine(EngineError::Store(tw_store::StoreError::NotFound(_)))
                    | CliError::Io(..) => 2,
                    _ => 1,
                }
            }
        };
        engine.shutdown().await;
        code
    })
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

async fn act(engine: &EngineHandle, action: RulesAction) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    let write = |out: &mut std::io::StdoutLock<'_>, s: &str| {
        writeln!(out, "{s}").map_err(|e| CliError::Io("stdout".into(), e))
    };
    match action {
        RulesAction::Import { file } => {
            let shown = file.display().to_string();
            let json = if shown == "-" {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| CliError::Io("stdin".into(), e))?;
                s
            } else {
                std::fs::read_to_string(&file).map_err(|e| CliError::Io(shown.clone(), e))?
            };
            let added = engine.import_rules(&json).await.map_err(|e| match e {
                EngineError::InvalidInput(m) => EngineError::InvalidInput(format!("{shown}: {m}")),
                e => e,
            })?;
            for r in &added {
                write(&mut out, &row(r))?;
            }
            eprintln!("imported {} rule(s)", added.len());
        }
        RulesAction::Export { output } => {
            let json = engine.export_rules().await?;
            match output {
                Some(p) => std::fs::write(&p, json + "\n")
                    .map_err(|e| CliError::Io(p.display().to_string(), e))?,
                None => write(&mut out, &json)?,
            }
        }
        RulesAction::List { json } => {
            for r in engine.rules().await? {
                let line = if json {
                    serde_json::to_string(&r).unwrap_or_default()
                } else {
                    row(&r)
                };
                write(&mut out, &line)?;
            }
        }
        RulesAction::Enable { id } => {
            write(&mut out, &row(&engine.set_rule_enabled(id, true).await?))?
        }
        RulesAction::Disable { id } => {
            write(&mut out, &row(&engine.set_rule_enabled(id, false).await?))?
        }
    }
    Ok(())
}

fn row(r: &RuleRecord) -> String {
    format!(
        "{:>5}  {:<3}  {:<8}  {:<3}  {}",
        r.id,
        if r.spec.enabled { "on" } else { "off" },
        r.spec.level.as_str(),
        r.spec.interval.as_str(),
        r.spec.name
    )
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    #[test]
    fn parses_every_rules_subcommand() {
        let parse = |a: &[&str]| crate::cli::Cli::try_parse_from(a);
        for args in [
            &[
                "tickwarden",
                "rules",
                "import",
                "r.json",
                "--data-dir",
                "/tmp/x",
            ][..],
            &["tickwarden", "rules", "export", "-o", "out.json"],
            &["tickwarden", "rules", "list", "--json"],
            &["tickwarden", "rules", "enable", "3"],
            &["tickwarden", "rules", "disable", "3"],
        ] {
            let c = parse(args).unwrap();
            assert!(
                matches!(c.command, Some(crate::cli::Command::Rules(_))),
                "{args:?}"
            );
        }
        assert!(parse(&["tickwarden", "rules", "enable", "three"]).is_err());
    }
}
