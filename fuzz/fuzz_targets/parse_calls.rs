//! The `name(key=value,…)` call syntax of URLs, the CLI and schedules: never panics, one call
//! is a list of one, and printed calls parse back to the same bits.
#![no_main]

use gradscape::engine::call;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let list = call::parse_calls(text);
    if let Ok(one) = call::parse_call(text) {
        assert_eq!(list.as_ref().ok(), Some(&vec![one]));
    }
    if let Ok(calls) = list {
        let printed = call::format_calls(&calls);
        let back = call::parse_calls(&printed).expect("printed calls parse");
        assert_eq!(back.len(), calls.len());
        for (a, b) in back.iter().zip(&calls) {
            assert_eq!(a.name, b.name);
            let bits = |c: &call::Call| -> Vec<(String, u64)> {
                c.args
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_bits()))
                    .collect()
            };
            assert_eq!(bits(a), bits(b), "{printed}");
        }
    }
});
