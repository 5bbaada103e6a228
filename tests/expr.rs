//! The custom-expression parser: errors with exact positions, precedence, functions, and
//! custom surfaces agreeing with the built-in ones to rounding.

use gradscape::engine::expr::{parse, BinOp, Expr, MAX_DEPTH, MAX_LEN};
use gradscape::engine::surface::{build, Formula, Surface, SurfaceError, SurfaceSpec};
use proptest::prelude::*;

fn eval(src: &str, x: f64, y: f64) -> f64 {
    parse(src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
        .eval(x, y)
}

fn parse_err(src: &str) -> (usize, String) {
    match parse(src) {
        Err(SurfaceError::Parse { position, message }) => (position, message),
        other => panic!("{src:?} should not parse, got {other:?}"),
    }
}

fn surface(id: &str, expr: Option<&str>) -> Box<dyn Surface> {
    build(&SurfaceSpec {
        id: id.to_string(),
        params: vec![],
        expr: expr.map(str::to_string),
    })
    .unwrap_or_else(|e| panic!("{id}: {e}"))
}

const ANY_OPERAND: &str = "expected a number, x, y, a function or '('";
const ANY_OPERATOR: &str = "expected an operator (+, -, *, /, ^)";

#[test]
fn errors_have_exact_positions_and_messages() {
    let unknown_foo = "unknown name 'foo'; valid: x, y, pi, e, sin, cos, tan, exp, ln, log, sqrt, \
                       abs, tanh";
    let cases: &[(&str, usize, &str)] = &[
        ("", 0, "empty expression"),
        ("   ", 0, "empty expression"),
        ("2x", 1, ANY_OPERATOR),
        ("2 (x)", 2, ANY_OPERATOR),
        ("1.2.3", 3, ANY_OPERATOR),
        ("x+", 2, ANY_OPERAND),
        ("*x", 0, ANY_OPERAND),
        ("x^", 2, ANY_OPERAND),
        ("()", 1, ANY_OPERAND),
        ("(x+1", 4, "unclosed '(' opened at character 1"),
        ("x*(y+(1)", 8, "unclosed '(' opened at character 3"),
        ("sin(x", 5, "unclosed '(' opened at character 4"),
        ("x)", 1, "unexpected ')'"),
        ("(x))+1", 3, "unexpected ')'"),
        ("foo(x)", 0, unknown_foo),
        ("x + X", 4, &unknown_foo.replace("'foo'", "'X'")),
        ("sin x", 4, "expected '(' after 'sin'"),
        ("x $ y", 2, "unexpected character '$'"),
        ("x + .", 4, "a '.' must be part of a number such as .5"),
        ("1e999", 0, "number '1e999' is too large"),
    ];
    for &(src, pos, msg) in cases {
        assert_eq!(parse_err(src), (pos, msg.to_string()), "input {src:?}");
    }
}

#[test]
fn odd_unicode_gives_character_positions() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "x²",
            1,
            "unexpected character '²'; write powers with ^, e.g. x^2",
        ),
        (
            "2×x",
            1,
            "unexpected character '×'; use * for multiplication",
        ),
        (
            "x − y",
            2,
            "unexpected character '−'; use the ASCII minus -",
        ),
        ("2π", 1, "unexpected character 'π'; write pi"),
        ("x + 😀", 4, "unexpected character '😀'"),
        // Characters, not bytes: the emoji is 4 bytes and the ideographic space 3.
        ("😀", 0, "unexpected character '😀'"),
        ("\u{3000}x + é", 5, "unexpected character 'é'"),
        ("x\u{3000}y", 2, ANY_OPERATOR),
    ];
    for &(src, pos, msg) in cases {
        assert_eq!(parse_err(src), (pos, msg.to_string()), "input {src:?}");
    }
    // Unicode whitespace is whitespace.
    assert_eq!(eval("\u{3000}x\u{a0}+\ty\n", 1.0, 2.0), 3.0);
}

#[test]
fn display_counts_characters_from_one() {
    let e = parse("x + foo").unwrap_err();
    assert!(e
        .to_string()
        .starts_with("at character 5: unknown name 'foo'"));
}

#[test]
fn adversarial_input_is_refused_without_overflowing_the_stack() {
    let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
    let too_long = format!("expression too long (more than {MAX_LEN} characters)");
    assert_eq!(parse_err(&deep), (MAX_LEN, too_long.clone()));
    assert_eq!(parse_err(&"x+".repeat(5000)), (MAX_LEN, too_long));

    let too_deep = format!("expression nested too deeply (more than {MAX_DEPTH} levels)");
    let parens = |n: usize| format!("{}x{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(parse(&parens(MAX_DEPTH - 1)).unwrap(), Expr::X);
    assert_eq!(parse_err(&parens(300)), (200, too_deep.clone()));
    assert_eq!(
        parse_err(&format!("{}x", "-".repeat(1000))),
        (200, too_deep.clone())
    );
    assert_eq!(
        parse_err(&format!("{}x", "sin(".repeat(300))),
        (200 * 4, too_deep.clone())
    );
    // A flat chain builds a tall tree too: the 200th '+' would make it 201 levels high.
    let chain = vec!["x"; 250].join("+");
    assert_eq!(parse_err(&chain), (2 * 200 - 1, too_deep.clone()));
    assert_eq!(parse_err(&"2^".repeat(300)).1, too_deep);
    // The deepest accepted tree still evaluates.
    let ok = vec!["x"; MAX_DEPTH].join("+");
    assert_eq!(eval(&ok, 1.0, 0.0), MAX_DEPTH as f64);
}

#[test]
fn precedence_and_associativity() {
    let cases: &[(&str, f64)] = &[
        ("2^3^2", 512.0),
        ("(2^3)^2", 64.0),
        ("2**3**2", 512.0),
        ("-2^2", -4.0),
        ("(-2)^2", 4.0),
        ("1-2-3", -4.0),
        ("8/2/2", 2.0),
        ("2+3*4", 14.0),
        ("2*3+4", 10.0),
        ("-2*3", -6.0),
        ("2*-3", -6.0),
        ("--2", 2.0),
        ("+3", 3.0),
        ("2^-1", 0.5),
        ("2^-2^2", 1.0 / 16.0),
        ("-x^2", -9.0),
        ("x - -y", 1.0),
        ("(-2)^3", -8.0),
        ("(-2)^-3", -0.125),
        ("4^0.5", 2.0),
        ("1e-3*1000", 1.0),
        ("2.5E+2", 250.0),
        (".5 + 5.", 5.5),
        ("pi", std::f64::consts::PI),
        ("e", std::f64::consts::E),
        ("2e3", 2000.0),
        ("2*e", 2.0 * std::f64::consts::E),
    ];
    for &(src, want) in cases {
        assert_eq!(eval(src, 3.0, -2.0), want, "{src}");
    }
}

#[test]
fn functions() {
    let cases: &[(&str, f64)] = &[
        ("sin(pi/2)", 1.0),
        ("cos(0)", 1.0),
        ("tan(0)", 0.0),
        ("exp(1)", std::f64::consts::E),
        ("ln(e^2)", 2.0),
        ("log(e)", 1.0),
        ("sqrt(16)", 4.0),
        ("abs(-3)", 3.0),
        ("tanh(0)", 0.0),
        ("sqrt(abs(x*y))", 6.0),
        ("-sin(0)^2 + cos(0)^2", 1.0),
    ];
    for &(src, want) in cases {
        assert!((eval(src, 3.0, -12.0) - want).abs() < 1e-15, "{src}");
    }
}

#[test]
fn integer_exponents_are_exact_powers() {
    let pow = |src: &str| match parse(src).unwrap() {
        Expr::Powi(_, n) => Some(n),
        _ => None,
    };
    assert_eq!(pow("x^2"), Some(2));
    assert_eq!(pow("x^(2)"), Some(2));
    assert_eq!(pow("x^-3"), Some(-3));
    assert_eq!(pow("x**0"), Some(0));
    assert_eq!(pow("x^2.5"), None);
    assert_eq!(pow("x^1e6"), None);
    assert!(matches!(parse("x^y").unwrap(), Expr::Bin(BinOp::Pow, ..)));
    // powi is defined for negative bases; a fractional power of one is NaN, not a panic.
    assert_eq!(eval("x^3", -2.0, 0.0), -8.0);
    assert!(eval("x^0.5", -2.0, 0.0).is_nan());
}

#[test]
fn normalised_text_round_trips() {
    let cases: &[(&str, &str)] = &[
        ("(1-x)^2+100*(y-x^2)^2", "(1 - x)^2 + 100*(y - x^2)^2"),
        ("-x^2", "-x^2"),
        ("(-x)^2", "(-x)^2"),
        ("2^3^2", "2^3^2"),
        ("(2^3)^2", "(2^3)^2"),
        ("1-(2-3)", "1 - (2 - 3)"),
        ("(1-2)-3", "1 - 2 - 3"),
        ("x/(y*2)", "x/(y*2)"),
        ("x**-2", "x^(-2)"),
        ("2^-x", "2^(-x)"),
        ("x - -y", "x - (-y)"),
        ("-(x*y)", "-(x*y)"),
        ("(-x)*y", "-x*y"),
        ("log(x)+ln(x)", "log(x) + ln(x)"),
        ("1e-10*x + 1e20*y", "1e-10*x + 1e20*y"),
        ("sin(x)^2 + .25", "sin(x)^2 + 0.25"),
        ("  pi*e ", "pi*e"),
    ];
    for &(src, want) in cases {
        let e = parse(src).unwrap();
        assert_eq!(e.to_string(), want, "{src}");
        assert_eq!(
            parse(want).unwrap(),
            e,
            "{want} parses back to the same tree"
        );
    }
}

#[test]
fn non_finite_values_are_returned_not_panicked() {
    let s = surface("custom", Some("1/x + ln(y) + sqrt(x)"));
    assert_eq!(s.value([0.0, 1.0]), f64::INFINITY);
    assert!(s.value([1.0, -1.0]).is_nan());
    let (_, g, h) = s.value_grad_hessian([0.0, 1.0]);
    assert!(!g[0].is_finite() && !h[0][0].is_finite());
}

#[test]
fn custom_surface_info_and_errors() {
    let s = surface("custom", Some("x^2+3*y^2"));
    let info = s.info();
    assert_eq!(info.formula, "x^2 + 3*y^2");
    assert!(info.minima.is_empty());
    assert!(!info.log_scale);
    match build(&SurfaceSpec {
        id: "custom".into(),
        ..Default::default()
    }) {
        Err(SurfaceError::Invalid(m)) => assert!(m.contains("expression"), "{m}"),
        _ => panic!("a missing expression must be an error"),
    }
    let e = build(&SurfaceSpec {
        id: "custom".into(),
        expr: Some("x + (".into()),
        ..Default::default()
    });
    assert!(matches!(e, Err(SurfaceError::Parse { position: 5, .. })));
}

/// Relative difference, with an absolute floor for values near zero.
fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// Value, gradient and Hessian of two surfaces agree to `rel` at `p`.
fn assert_same(a: &dyn Surface, b: &dyn Surface, p: [f64; 2], rel: f64) {
    let (va, ga, ha) = a.value_grad_hessian(p);
    let (vb, gb, hb) = b.value_grad_hessian(p);
    let fa = [va, ga[0], ga[1], ha[0][0], ha[0][1], ha[1][1]];
    let fb = [vb, gb[0], gb[1], hb[0][0], hb[0][1], hb[1][1]];
    for (u, v) in fa.iter().zip(&fb) {
        assert!(close(*u, *v, rel), "at {p:?}: {fa:?} vs {fb:?}");
    }
    assert!(close(a.value_grad(p).1[0], gb[0], rel));
    assert!(close(a.value(p), vb, rel));
}

proptest! {
    #[test]
    fn custom_expressions_match_built_in_surfaces(x in -3.0..3.0f64, y in -3.0..3.0f64) {
        let pairs = [
            ("rosenbrock", "(1-x)^2+100*(y-x^2)^2"),
            ("himmelblau", "(x^2 + y - 11)**2 + (x + y^2 - 7)**2"),
            ("booth", "(x + 2*y - 7)^2 + (2*x + y - 5)^2"),
            ("six_hump_camel", "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2"),
            ("rastrigin", "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)"),
            ("ackley", "-20*exp(-0.2*sqrt(0.5*(x^2+y^2))) - exp(0.5*(cos(2*pi*x)+cos(2*pi*y))) + e + 20"),
        ];
        for (id, src) in pairs {
            assert_same(&*surface(id, None), &*surface("custom", Some(src)), [x, y], 1e-12);
        }
    }

    /// Random text never panics, and a successful parse round-trips through its normal form.
    #[test]
    fn arbitrary_text_never_panics(src in "[xy0-9.e+*/^() -]{0,40}|\\PC{0,20}") {
        if let Ok(e) = parse(&src) {
            prop_assert_eq!(parse(&e.to_string()).unwrap(), e.clone());
            let _ = e.eval(0.5, -0.25);
        }
    }
}
