#![cfg(not(target_arch = "wasm32"))]
//! Bounded fuzzing of every parser that reads user text: the URL codec, the expression parser,
//! the call syntax, schedules, and the CLI's argv. Nothing may panic; links must re-encode to
//! the scene they decoded to; the CLI must refuse bad usage with status 2 and one line.
//! Each test prints how many inputs it tried (`cargo test --test fuzz_parsers -- --nocapture`).

use gradscape::engine::call;
use gradscape::engine::schedule::Schedule;
use gradscape::engine::surface::{self, SurfaceSpec};
use gradscape::engine::url::{decode, encode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::Cell;
use std::ffi::OsString;
use std::process::Command;

/// Generated cases per property: enough to find shallow bugs, few enough that the whole file
/// stays well under 20 s in a debug build (`make fuzz` is for depth).
const CASES: u32 = 384;

/// Runs `test` on `CASES` values of `strategy`, prints how many inputs it tried (shrinking
/// included) and fails with the minimal counterexample.
fn fuzz<S: Strategy>(what: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let tried = Cell::new(0usize);
    let result = runner.run(&strategy, |v| {
        tried.set(tried.get() + 1);
        test(v)
    });
    println!("{what}: fuzzed {} inputs", tried.get());
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
}

/// Checks a fixed list of inputs with `test`, printing how many there were.
fn each(what: &str, inputs: &[String], test: impl Fn(&str) -> Result<(), String>) {
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|i| test(i).err().map(|e| format!("{}: {e}", preview(i))))
        .collect();
    println!("{what}: fuzzed {} inputs", inputs.len());
    assert!(failures.is_empty(), "{what}:\n{}", failures.join("\n"));
}

/// The start of a long input, for failure messages.
fn preview(s: &str) -> String {
    let head: String = s.chars().take(60).collect();
    if head.len() < s.len() {
        format!("{head:?}… ({} bytes)", s.len())
    } else {
        format!("{head:?}")
    }
}

/// Hostile text every parser gets: deep nesting, huge and negative-zero numbers, 100 KB inputs,
/// bidi controls, emoji, NUL, broken percent escapes.
fn adversarial() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "%",
        "%%",
        "%F",
        "%FF%FE",
        "%C3%28",
        "%00",
        "\0",
        "1e309",
        "-1e309",
        "-0",
        "nan",
        "inf",
        "-inf",
        "1e-400",
        "\u{202e}x\u{202c}",
        "\u{200f}\u{200e}\u{2066}",
        "😀(😀=1)",
        "x\u{0301}",
        "\u{feff}",
        "a(b=1)",
        "a(b=1,b=2,b=3)",
        "(",
        ")",
        "((()))",
        "a(=)",
        "a(b=)",
        "a(b==1)",
        "a(b=1))",
        ",,,",
        "a,",
        "=&=&=",
        "&&&",
        "#?#?",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("a(".repeat(10_000));
    v.push("(".repeat(10_000));
    v.push(format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000)));
    v.push("x".repeat(100_000));
    v.push("9".repeat(100_000));
    v.push("😀".repeat(25_000));
    v.push("%".repeat(100_000));
    v.push("\0".repeat(100_000));
    v.push(format!("a({})", "b=1,".repeat(25_000)));
    v
}

// ---- URL codec ----

/// Decodes `query` and `hash`, then checks that the scene re-encodes to a plain-ASCII link that
/// decodes, without notices, to the same scene and the same link.
fn round_trips(query: &str, hash: &str) -> Result<(), String> {
    let d = decode(query, hash);
    let text = encode(&d.scene);
    if !text.chars().all(|c| c.is_ascii_graphic()) {
        return Err(format!("encoded link is not plain ASCII: {text:?}"));
    }
    let again = decode("", &text);
    if !again.notices.is_empty() {
        return Err(format!("{text} -> notices {:?}", again.notices));
    }
    if again.scene != d.scene {
        return Err(format!(
            "{text} decodes to {:?}, not {:?}",
            again.scene, d.scene
        ));
    }
    if encode(&again.scene) != text {
        return Err(format!("{text} re-encodes differently"));
    }
    Ok(())
}

/// Every key the codec knows, with values drawn from the adversarial list, one at a time and
/// repeated (a later value replaces an earlier one).
fn adversarial_links() -> Vec<String> {
    let keys = gradscape::engine::url::KEYS;
    let mut links = Vec::new();
    for value in adversarial().iter().filter(|v| v.len() < 1000) {
        for key in keys {
            links.push(format!("{key}={value}"));
        }
    }
    for value in adversarial() {
        links.push(format!("opt={value}"));
        links.push(format!("expr={value}"));
        links.push(value);
    }
    links.push(format!("opt={}", "a(".repeat(10_000)));
    links.push("steps=1&steps=2&steps=x&steps=3".to_string());
    links.push("opt=sgd&opt=&opt=adam(lr=1e309)".to_string());
    links.push("surface=custom&expr=x&surface=quadratic(kappa=-0)".to_string());
    links.push("noise=-0&start=-0,-0&view=-0,1,-0,1&data_noise=-0".to_string());
    links.push("sched=cosine(eta_min=-0)&sched=step(step_size=1e5,gamma=-0)".to_string());
    links.push("expr=%E2%80%AEx%E2%80%AC".to_string());
    links.push("expr=x%00&opt=sgd(lr%3D1)".to_string());
    links
}

#[test]
fn decode_survives_adversarial_links_and_re_encodes_stably() {
    each("decode (adversarial)", &adversarial_links(), |link| {
        round_trips(link, "")?;
        round_trips("", link)?;
        round_trips(link, link)
    });
}

fn arb_link() -> impl Strategy<Value = String> {
    let key = prop::sample::select(gradscape::engine::url::KEYS).prop_map(str::to_string);
    let key = prop_oneof![4 => key, 1 => "[a-z%0-9]{0,4}"];
    let value = prop_oneof![
        any::<String>(),
        "[-+0-9a-z(),.=%_ eE^*/\u{0}\u{202e}😀]{0,30}",
        "%[0-9A-Fa-f]{0,2}(%[0-9A-Fa-f]{0,2}){0,5}",
        "-?[0-9]{1,4}(\\.[0-9]{0,3})?(e-?[0-9]{1,3})?(,-?[0-9]{1,4}(e-?[0-9]{1,3})?){0,4}",
        "[a-z_]{1,8}(\\(([a-z_0-9]{1,7}=-?[0-9.e]{1,6},?){0,4}\\)?)?(,[a-z]{1,6}){0,3}",
    ];
    prop::collection::vec((key, value), 0..10).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

#[test]
fn decode_never_panics_and_re_encodes_stably() {
    fuzz(
        "decode (generated)",
        (prop_oneof![arb_link(), any::<String>()], arb_link()),
        |(query, hash)| round_trips(&query, &hash).map_err(TestCaseError::fail),
    );
}

// ---- expressions ----

const FUNCS: &[&str] = &[
    "sin", "cos", "tan", "exp", "ln", "log", "sqrt", "abs", "tanh",
];

/// Points where formulas are often singular or overflow, besides ordinary ones.
const POINTS: &[[f64; 2]] = &[
    [0.0, 0.0],
    [-0.0, 1.0],
    [2.0, 1.5],
    [-3.0, 3.0],
    [1e-300, -1e-300],
    [1e300, -1e300],
    [f64::MAX, f64::MIN_POSITIVE],
];

/// Builds `src` as a custom surface; when it parses, evaluates it everywhere in [`POINTS`] and
/// checks that its normalised text parses back to the same text.
fn expression_is_safe(src: &str) -> Result<(), String> {
    let spec = SurfaceSpec {
        id: "custom".to_string(),
        params: Vec::new(),
        expr: Some(src.to_string()),
    };
    let Ok(s) = surface::build(&spec) else {
        return Ok(());
    };
    for &p in POINTS {
        s.value(p);
        s.value_grad(p);
        s.value_grad_hessian(p);
    }
    let text = s.info().formula;
    let again = surface::build(&SurfaceSpec {
        expr: Some(text.clone()),
        ..spec
    })
    .map_err(|e| format!("normalised text {text:?} does not parse: {e}"))?;
    if again.info().formula != text {
        return Err(format!(
            "normalised text {text:?} re-normalises to {:?}",
            again.info().formula
        ));
    }
    Ok(())
}

#[test]
fn expressions_survive_adversarial_text() {
    let mut inputs = adversarial();
    inputs.extend(
        [
            "x^1024",
            "x^-1024",
            "x^1025",
            "(-x)^0.5",
            "0^-1",
            "0/0",
            "ln(0)",
            "sqrt(-1)",
            "tan(pi/2)",
            "exp(1e308)",
            "x**-y**-x",
            "2^3^4^5^6^7",
            "abs(x)^0",
            "x^(-0)",
            "1e308*1e308",
            "---------x",
            "+-+-+-x",
            "sin(cos(tan(exp(ln(log(sqrt(abs(tanh(x)))))))))",
            "x+",
            "x y",
            "2x",
            "sin x",
            "sin()",
            ".",
            "5.",
            ".5e",
            "2e+",
            "x²",
            "−x",
            "π",
        ]
        .map(str::to_string),
    );
    inputs.push(format!("{}x", "-".repeat(10_000)));
    inputs.push(format!("{}x{}", "sin(".repeat(10_000), ")".repeat(10_000)));
    inputs.push("x+".repeat(50_000) + "x");
    inputs.push(vec!["x"; 200].join("+"));
    inputs.push(format!("{}x{}", "(".repeat(199), ")".repeat(199)));
    each("expr (adversarial)", &inputs, expression_is_safe);
}

/// Expression-shaped text: mostly valid, often with odd numbers and operators.
fn arb_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        Just("pi".to_string()),
        Just("e".to_string()),
        "[0-9]{1,3}(\\.[0-9]{0,3})?(e-?[0-9]{1,3})?",
        "\\.[0-9]{1,2}",
    ];
    leaf.prop_recursive(6, 48, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(&["+", "-", "*", "/", "^", "**", " ^ -"][..]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a}{op}{b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (prop::sample::select(FUNCS), inner).prop_map(|(f, a)| format!("{f}({a})")),
        ]
    })
}

#[test]
fn expressions_never_panic_and_normalise_stably() {
    fuzz(
        "expr (generated)",
        prop_oneof![
            2 => arb_expr(),
            1 => "[xy0-9.eE+*/^() -]{0,40}",
            1 => any::<String>(),
        ],
        |src| expression_is_safe(&src).map_err(TestCaseError::fail),
    );
}

// ---- calls and schedules ----

/// Parses `text` as calls, one call and a schedule; a schedule that parses must give a rate
/// for any update.
fn calls_and_schedules_are_safe(text: &str) -> Result<(), String> {
    let calls = call::parse_calls(text);
    let one = call::parse_call(text);
    if let Ok(c) = &one {
        // One call is a list of one.
        if calls.as_ref().ok() != Some(&vec![c.clone()]) {
            return Err(format!("parse_call gives {c:?}, parse_calls {calls:?}"));
        }
    }
    if let Ok(s) = Schedule::parse(text) {
        for k in [0, 1, 2, 1000, gradscape::engine::run::MAX_STEPS] {
            s.lr(1.0, k);
        }
        if Schedule::parse(&s.to_string()) != Ok(s) {
            return Err(format!("schedule {s} does not parse back"));
        }
    }
    Ok(())
}

#[test]
fn calls_and_schedules_survive_adversarial_text() {
    let mut inputs = adversarial();
    inputs.extend(
        [
            "cosine(t_max=1e309)",
            "cosine(t_max=-0)",
            "step(step_size=1.5)",
            "step(step_size=1e5,gamma=10)",
            "exponential(gamma=10,warmup=1e5)",
            "constant(warmup=-0)",
            "inverse_time(decay=1e3,warmup_steps=1)",
            "cosine(t_max=500,t_max=1)",
            "cosine(t_max=true)",
            "cosine(eta_min=nan)",
            "cosine ( t_max = 5 ) ",
            "a(b=1)(c=2)",
            "a((b=1))",
        ]
        .map(str::to_string),
    );
    each("calls and schedules (adversarial)", &inputs, |text| {
        calls_and_schedules_are_safe(text)
    });
}

#[test]
fn calls_and_schedules_never_panic() {
    fuzz(
        "calls and schedules (generated)",
        prop_oneof![
            "[a-z_]{1,12}(\\s?\\(\\s?([a-z_]{1,8}\\s?=\\s?[-+0-9.eEa-z]{0,8}\\s?,?){0,4}\\)?)?(,[a-z_(]{0,8}){0,3}",
            "[a-z(),=0-9.\\- ]{0,40}",
            any::<String>(),
        ],
        |text| calls_and_schedules_are_safe(&text).map_err(TestCaseError::fail),
    );
}

// ---- the CLI's argv ----

/// A valid `trace` invocation that each bad flag is appended to.
const BASE: &[&str] = &["trace", "--surface", "rosenbrock", "--optimizer", "sgd"];

/// Argument vectors that are all bad usage.
fn bad_argvs() -> Vec<Vec<OsString>> {
    let with = |extra: &[&str]| -> Vec<String> {
        BASE.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let custom = |expr: &str| -> Vec<String> {
        [
            "trace",
            "--surface",
            "custom",
            "--optimizer",
            "adam",
            "--expr",
            expr,
        ]
        .map(str::to_string)
        .to_vec()
    };
    let mut v: Vec<Vec<String>> = vec![
        vec![],
        vec!["bogus".into()],
        vec!["".into()],
        vec!["trace".into()],
        vec!["trace".into(), "--surface".into(), "rosenbrock".into()],
        vec!["trace".into(), "--optimizer".into(), "sgd".into()],
        vec!["list".into(), "--format".into(), "yaml".into()],
        vec!["list".into(), "extra".into()],
        vec!["list".into(), "--format".into()],
        custom("x^"),
        custom("$"),
        custom("2x"),
        custom(""),
        custom("1e999*x"),
        custom(&format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000))),
        custom("ln(x-5)"),
        vec![
            "trace".into(),
            "--surface".into(),
            "custom".into(),
            "--optimizer".into(),
            "sgd".into(),
        ],
        with(&["--expr", "x"]),
        vec![
            "trace".into(),
            "--surface".into(),
            "bogus\nsecond line".into(),
            "--optimizer".into(),
            "sgd".into(),
        ],
        vec![
            "trace".into(),
            "--surface".into(),
            "rosenbrock".into(),
            "--optimizer".into(),
            "ad\r\nam".into(),
        ],
        vec![
            "trace".into(),
            "--surface".into(),
            "x".repeat(100_000),
            "--optimizer".into(),
            "sgd".into(),
        ],
    ];
    for extra in [
        &["--start", "nan,1"][..],
        &["--start", "1e999,0"],
        &["--start", "inf,0"],
        &["--start", ","],
        &["--start", "1,2,3"],
        &["--start", ""],
        &["--start", "1"],
        &["--start", "\u{202e}1,2"],
        &["--start=1,,"],
        &["--steps", "-1"],
        &["--steps", "99999999999999999999"],
        &["--steps", "100001"],
        &["--steps", "1.5"],
        &["--steps", ""],
        &["--steps", "١٢"],
        &["--set", "lr"],
        &["--set", "lr="],
        &["--set", "=1"],
        &["--set", "lr=1=2"],
        &["--set", "lr=-1"],
        &["--set", "lr=1e5"],
        &["--set", "lr=nan"],
        &["--set", "lr=0x10"],
        &["--set", "bogus=1"],
        &["--param", "kappa=10"],
        &["--param", "a=nan"],
        &["--noise", "-1"],
        &["--noise", "nan"],
        &["--noise", "1e999"],
        &["--seed", "-1"],
        &["--seed", "18446744073709551616"],
        &["--sched", "cosine("],
        &["--sched", "bogus"],
        &["--sched", "cosine(t_max=0)"],
        &["--sched", ""],
        &["--sched", "cosine(t_max=5)\ncosine"],
        &["--format", "xml"],
        &["--format", ""],
        &["--bogus"],
        &["--bogus", "1"],
        &["--bogus\n"],
        &["-s", "1"],
        &["stray"],
        &["--"],
        &["--="],
        &["--=1"],
        &["--steps"],
        &["--set"],
        &["--start"],
        &["--surface"],
    ] {
        v.push(with(extra));
    }
    let mut argvs: Vec<Vec<OsString>> = v
        .into_iter()
        .map(|a| a.into_iter().map(OsString::from).collect())
        .collect();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        let not_utf8 = || OsString::from_vec(vec![b'l', b'r', 0xff, 0xfe]);
        let mut a: Vec<OsString> = BASE.iter().map(OsString::from).collect();
        a.extend([OsString::from("--set"), not_utf8()]);
        argvs.push(a);
        argvs.push(vec![not_utf8()]);
    }
    argvs
}

#[test]
fn the_cli_refuses_bad_usage_with_status_2_and_one_line() {
    let argvs = bad_argvs();
    let mut failures = Vec::new();
    for argv in &argvs {
        let o = Command::new(env!("CARGO_BIN_EXE_gradscape"))
            .args(argv)
            .output()
            .expect("the binary runs");
        let err = String::from_utf8_lossy(&o.stderr);
        let lines: Vec<&str> = err.lines().collect();
        let one_line = lines.len() == 1 && err.ends_with('\n');
        let names_valid = lines
            .first()
            .is_some_and(|l| l.starts_with("gradscape: ") && l.contains("valid"));
        if o.status.code() != Some(2) || !one_line || !names_valid || !o.stdout.is_empty() {
            let shown: Vec<String> = argv.iter().map(|a| preview(&a.to_string_lossy())).collect();
            failures.push(format!(
                "{shown:?}: status {:?}, {} stdout bytes, stderr {:?}",
                o.status.code(),
                o.stdout.len(),
                preview(&err)
            ));
        }
    }
    println!("cli: fuzzed {} argument vectors", argvs.len());
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        argvs.len(),
        failures.join("\n")
    );
}
