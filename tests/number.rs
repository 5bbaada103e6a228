#![cfg(not(target_arch = "wasm32"))]
//! The engine's decimal reader gives exactly what `str::parse::<f64>` gives, bit for bit, on
//! every input it accepts, and refuses what it should.

use gradscape::engine::number::parse;
use proptest::prelude::*;

/// `parse` agrees with core's correctly rounded reader (the only difference by design: the
/// words inf, infinity and nan, which core reads and `parse` refuses).
fn check(text: &str) {
    let ours = parse(text).map(f64::to_bits);
    let core = text.parse::<f64>().ok().map(f64::to_bits);
    assert_eq!(
        ours,
        core,
        "'{text}': {:?} vs {:?}",
        parse(text),
        text.parse::<f64>().ok()
    );
}

#[test]
fn hard_cases_round_like_core() {
    let cases = [
        "0",
        "-0",
        "+0",
        "0.0",
        ".5",
        "5.",
        "-.5",
        "+5.e3",
        "1e0",
        "1E+2",
        "1e-2",
        "007",
        "0.1",
        "0.2",
        "0.3",
        "1e-8",
        "3e-4",
        "123456789012345678901234567890",
        // 2^53 + 1 and + 3: exact ties, to even.
        "9007199254740993",
        "9007199254740995",
        "9007199254740993.0000000000000000001",
        // The largest double, just past it, and far past it.
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "1e309",
        "1e400",
        "-1e400",
        // The least normal, subnormals, and the edge of the smallest one.
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "4.9406564584124654e-324",
        "5e-324",
        "3e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.4703282292062327208828439643411068618252990130716238221279e-324",
        "1e-325",
        "1e-400",
        // Famous slow-path inputs.
        "2.2250738585072011e-308",
        "0.500000000000000166533453693773481063544750213623046875",
        "3.518437208883201171875e13",
        "62.5364939768271845828",
        "8.10109172351e-10",
        "1448997445238699",
        "1.00000005960464477550",
        "7.038531e-26",
        "1e23",
        "8.5e22",
        "9007199254740992e22",
        "4503599627370497.5",
        "4503599627370496.5",
    ];
    for c in cases {
        check(c);
    }
    // Halfway between 1 and its successor, written out with 800 digits: ties to even (down);
    // any non-zero digit after the cut at 768 digits rounds up.
    let half = "1.00000000000000011102230246251565404236316680908203125";
    check(half);
    check(&format!("{half}{}", "0".repeat(800)));
    check(&format!("{half}{}1", "0".repeat(800)));
    check(&format!("{}e-800", "1".repeat(900)));
}

#[test]
fn refuses_what_is_not_a_plain_decimal() {
    for bad in [
        "",
        " ",
        " 1",
        "1 ",
        ".",
        "-",
        "+",
        "e5",
        "1e",
        "1e+",
        "1.2.3",
        "1_000",
        "0x10",
        "1,5",
        "--1",
        "inf",
        "-infinity",
        "NaN",
        "١",
        "1e5x",
    ] {
        assert_eq!(parse(bad), None, "'{bad}'");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn every_double_printed_reads_back_like_core(bits in any::<u64>()) {
        let v = f64::from_bits(bits);
        prop_assume!(v.is_finite());
        for text in [format!("{v}"), format!("{v:e}"), format!("{v:.17e}"), format!("{v:.3e}"),
                     format!("{v:.25e}")] {
            check(&text);
        }
    }

    #[test]
    fn random_digit_strings_read_like_core(
        sign in "[+-]?",
        int in "[0-9]{0,40}",
        frac in proptest::option::of("[0-9]{0,40}"),
        exp in proptest::option::of(-400i32..400),
    ) {
        let mut text = format!("{sign}{int}");
        if let Some(f) = frac {
            text.push('.');
            text.push_str(&f);
        }
        if let Some(e) = exp {
            text.push_str(&format!("e{e}"));
        }
        check(&text);
    }

    #[test]
    fn exact_halfway_points_and_their_neighbours_read_like_core(
        m in (1u128 << 52)..(1u128 << 53),
        q in -27i32..40,
        extra in 0usize..30,
    ) {
        // The midpoint between m·2^q and (m + 1)·2^q is (2m + 1)·2^(q − 1): an exact tie,
        // written out exactly (as an integer times a power of ten), then nudged just above it.
        let odd = 2 * m + 1;
        let (digits, exponent) = if q >= 1 {
            (odd << (q - 1), 0)
        } else {
            let k = (1 - q) as u32;
            (odd * 5u128.pow(k), -(k as i32))
        };
        let tie = format!("{digits}e{exponent}");
        check(&tie);
        check(&format!("{digits}.{}1e{exponent}", "0".repeat(extra)));
        check(&format!("{}.{}9e{exponent}", digits - 1, "9".repeat(extra)));
    }
}
