//! Learning-rate schedules: parsing never panics, a parsed schedule gives a rate for any
//! update, and its printed form parses back to the same schedule.
#![no_main]

use gradscape::engine::run::MAX_STEPS;
use gradscape::engine::schedule::Schedule;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = Schedule::parse(text) else {
        return;
    };
    for k in [0, 1, 2, 499, 500, MAX_STEPS] {
        s.lr(1.0, k);
    }
    assert_eq!(Schedule::parse(&s.to_string()), Ok(s), "{s}");
});
