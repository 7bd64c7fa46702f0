//! `tickwarden token set|delete|test SOURCE`: a data source's API token in the OS keyring,
//! through the same engine code as the app. The token is read from stdin, never from an
//! argument (arguments show in `ps` and shell history).

use clap::{Args, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use tw_core::Sensitive;
use tw_engine::EngineHandle;

#[derive(Args, Debug, Clone)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub action: TokenAction,
}

#[derive(Subcommand, Debug, Clone)]
pub enum TokenAction {
    /// Store the token of SOURCE (e.g. tushare), read from stdin.
    Set {
        /// The data source, e.g. `tushare`.
        source: String,
    },
    /// Remove the token of SOURCE from the keyring.
    Delete { source: String },
    /// Try the stored token (Tushare: which interfaces the token's points allow).
    Test { source: String },
}

pub fn run(engine_args: crate::cli::EngineArgs, args: TokenArgs) -> i32 {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tickwarden: cannot start the async runtime: {e}");
            return 1;
        }
    };
    // Read before starting anything, so a prompt is not mixed with log lines.
    let token = match &args.action {
        TokenAction::Set { .. } => match read_token() {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("tickwarden: {e}");
                return 2;
            }
        },
        _ => None,
    };
    rt.block_on(async move {
        let Some(engine) = engine_args.start_without_feeds().await else {
            return 1;
        };
        let code = act(&engine, args.action, token).await;
        engine.shutdown().await;
        code
    })
}

async fn act(engine: &EngineHandle, action: TokenAction, token: Option<Sensitive<String>>) -> i32 {
    match action {
        TokenAction::Set { source } => {
            let token = token.expect("read before");
            match engine.set_token(&source, token).await {
                Ok(()) => {
                    println!("The {source} token is stored in the OS keyring.");
                    0
                }
                Err(e) => {
                    eprintln!("tickwarden: could not store the {source} token: {e}");
                    1
                }
            }
        }
        TokenAction::Delete { source } => match engine.delete_token(&source).await {
            Ok(true) => {
                println!("The {source} token was removed from the OS keyring.");
                0
            }
            Ok(false) => {
                println!("There was no {source} token in the OS keyring.");
                0
            }
            Err(e) => {
                eprintln!("tickwarden: could not remove the {source} token: {e}");
                1
            }
        },
        TokenAction::Test { source } if source == tw_feeds::tushare::SOURCE => {
            match engine.test_tushare_connection(None).await {
                Ok(report) => {
                    println!("{}", report.summary());
                    if report.token_ok {
                        0
                    } else {
                        1
                    }
                }
                Err(e) => {
                    eprintln!("tickwarden: {e}");
                    1
                }
            }
        }
        TokenAction::Test { source } => {
            eprintln!("tickwarden: there is no connection test for {source:?}; known: tushare");
            2
        }
    }
}

/// One line from stdin; a prompt only when a person is typing.
fn read_token() -> Result<Sensitive<String>, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Paste the token and press Enter: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the token from stdin: {e}"))?;
    let token = line.trim().to_string();
    if token.is_empty() {
        return Err(
            "no token on stdin (pipe it in: `echo TOKEN | tickwarden token set tushare`)".into(),
        );
    }
    Ok(Sensitive::new(token))
}
