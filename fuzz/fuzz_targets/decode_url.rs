//! The URL codec: any query and hash decode without panic, and the scene re-encodes to a link
//! that decodes, without notices, to the same scene.
#![no_main]

use gradscape::engine::url::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // A NUL splits the input into query and hash, so both paths (and '+' as space) are fuzzed.
    let (query, hash) = text.split_once('\0').unwrap_or(("", &text));
    let d = decode(query, hash);
    let link = encode(&d.scene);
    let again = decode("", &link);
    assert!(again.notices.is_empty(), "{link} -> {:?}", again.notices);
    assert_eq!(again.scene, d.scene, "{link}");
    assert_eq!(encode(&again.scene), link);
});
