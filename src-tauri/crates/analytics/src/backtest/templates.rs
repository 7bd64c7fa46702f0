//! Ready strategies, written as rule conditions (the JSON a user would write).

use tw_core::backtest::StrategySpec;

/// Template names, as `tickwarden backtest --strategy NAME` takes them.
pub const TEMPLATES: [&str; 5] = [
    "dual_ma",
    "macd_cross",
    "rsi_reversal",
    "momentum",
    "mean_reversion",
];

fn json(name: &str) -> Option<&'static str> {
    Some(match name {
        // SMA(10) crossing SMA(30).
        "dual_ma" => {
            r#"{"name":"Dual moving average (SMA 10 / SMA 30)",
            "entry":{"metric":"sma(10)","op":"crosses_up","value":{"metric":"sma(30)"}},
            "exit":{"metric":"sma(10)","op":"crosses_down","value":{"metric":"sma(30)"}},
            "short_entry":{"metric":"sma(10)","op":"crosses_down","value":{"metric":"sma(30)"}},
            "short_exit":{"metric":"sma(10)","op":"crosses_up","value":{"metric":"sma(30)"}}}"#
        }
        // MACD (12, 26, 9) crossing its signal line.
        "macd_cross" => {
            r#"{"name":"MACD cross (12, 26, 9)",
            "entry":{"metric":"macd","op":"crosses_up","value":{"metric":"macd_signal"}},
            "exit":{"metric":"macd","op":"crosses_down","value":{"metric":"macd_signal"}},
            "short_entry":{"metric":"macd","op":"crosses_down","value":{"metric":"macd_signal"}},
            "short_exit":{"metric":"macd","op":"crosses_up","value":{"metric":"macd_signal"}}}"#
        }
        // RSI(14) leaving oversold (buy) and leaving overbought (sell).
        "rsi_reversal" => {
            r#"{"name":"RSI reversal (30 / 70)",
            "entry":{"metric":"rsi","op":"crosses_up","value":30},
            "exit":{"metric":"rsi","op":"crosses_down","value":70},
            "short_entry":{"metric":"rsi","op":"crosses_down","value":70},
            "short_exit":{"metric":"rsi","op":"crosses_up","value":30}}"#
        }
        // Price up 2 % within 20 bars, RSI above 55 and volume 1.5× its recent average;
        // 2 % stop loss, 4 % take profit.
        "momentum" => {
            r#"{"name":"Momentum (price + RSI + volume, 2 % stop, 4 % target)",
            "entry":{"all":[{"metric":"price","op":"moving_up_pct","value":2,"bars":20},
                            {"metric":"rsi","op":"gt","value":55},
                            {"metric":"volume_ratio","op":"gt","value":1.5}]},
            "exit":{"metric":"rsi","op":"lt","value":45},
            "short_entry":{"all":[{"metric":"price","op":"moving_down_pct","value":2,"bars":20},
                                  {"metric":"rsi","op":"lt","value":45},
                                  {"metric":"volume_ratio","op":"gt","value":1.5}]},
            "short_exit":{"metric":"rsi","op":"gt","value":55},
            "stop_loss_pct":2,"take_profit_pct":4}"#
        }
        // Below the lower Bollinger band with RSI under 30; out at the middle band.
        "mean_reversion" => {
            r#"{"name":"Mean reversion (Bollinger 20, 2 + RSI 30 / 70)",
            "entry":{"all":[{"metric":"price","op":"lt","value":{"metric":"bb_lower"}},
                            {"metric":"rsi","op":"lt","value":30}]},
            "exit":{"metric":"price","op":"gt","value":{"metric":"bb_mid"}},
            "short_entry":{"all":[{"metric":"price","op":"gt","value":{"metric":"bb_upper"}},
                                  {"metric":"rsi","op":"gt","value":70}]},
            "short_exit":{"metric":"price","op":"lt","value":{"metric":"bb_mid"}}}"#
        }
        _ => return None,
    })
}

/// The template named `name` (long only, no fees, whole equity), or `None`.
pub fn template(name: &str) -> Option<StrategySpec> {
    let j = json(name)?;
    Some(serde_json::from_str(j).expect("templates are valid strategies"))
}
