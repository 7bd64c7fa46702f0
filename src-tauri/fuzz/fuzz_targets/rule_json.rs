//! Rule JSON from an import file or the rule editor: parse, then validate. Any input must
//! give a rule or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(spec) = tw_core::rule::RuleSpec::from_json(text) {
            let _ = tw_analytics::rules::compile(1, &spec, Some(0));
        }
    }
});
