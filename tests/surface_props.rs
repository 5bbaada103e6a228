//! Every surface: exact derivatives agree with finite differences, declared minima are
//! stationary, global and have the documented values, framing is sane, and bad specs give
//! errors that list what is valid.

use gradscape::engine::surface::{build, Surface, SurfaceError, SurfaceSpec, CATALOG};
use proptest::prelude::*;

/// Custom expressions exercised alongside the built-ins: every function and both powers.
const CUSTOM_EXPRS: &[&str] = &[
    "sin(x)*cos(y) + 0.1*x^2 - tanh(x*y)",
    "exp(-(x^2 + y^2)/4)*ln(2 + x^2) + sqrt(4 + y^2)/(1 + abs(x + 10)) + log(3 + cos(x))",
    "2^x*3^(-y) + (1 + y^2)^1.5 + tan(0.2*x) + (4 + x)^-2 + pi*e",
];

fn spec(id: &str) -> SurfaceSpec {
    SurfaceSpec {
        id: id.to_string(),
        ..Default::default()
    }
}

/// Every built-in surface with default parameters, then the custom expressions.
fn all_surfaces() -> Vec<(String, Box<dyn Surface>)> {
    let mut out: Vec<(String, Box<dyn Surface>)> = CATALOG
        .iter()
        .filter(|k| k.id != "custom")
        .map(|k| (k.id.to_string(), build(&spec(k.id)).unwrap()))
        .collect();
    for src in CUSTOM_EXPRS {
        let s = build(&SurfaceSpec {
            expr: Some(src.to_string()),
            ..spec("custom")
        })
        .unwrap();
        out.push((format!("custom {src}"), s));
    }
    out
}

/// The point at fractions `(u, v)` of a surface's view.
fn in_view(s: &dyn Surface, u: f64, v: f64) -> [f64; 2] {
    let [x0, x1, y0, y1] = s.info().view;
    [x0 + u * (x1 - x0), y0 + v * (y1 - y0)]
}

fn norm(v: [f64; 2]) -> f64 {
    v[0].hypot(v[1])
}

/// Central difference of `f` along axis `i` at `p` with step `h`.
fn central<T: Fn([f64; 2]) -> f64>(f: T, p: [f64; 2], i: usize, h: f64) -> f64 {
    let (mut a, mut b) = (p, p);
    a[i] += h;
    b[i] -= h;
    (f(a) - f(b)) / (2.0 * h)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Gradient against central differences of the value, Hessian against central differences
    /// of the gradient. Tolerances scale with the local magnitudes: rounding in a difference
    /// quotient grows with |f|/h, truncation with the third derivative (large for Rastrigin's
    /// and Ackley's ripples and Goldstein–Price's corners).
    #[test]
    fn derivatives_match_finite_differences(u in 0.0..1.0f64, v in 0.0..1.0f64) {
        for (id, s) in all_surfaces() {
            let p = in_view(&*s, u, v);
            // Ackley's cone has a kink at the origin, where differences are meaningless.
            if id == "ackley" && norm(p) < 1e-2 {
                continue;
            }
            let (f, g, hess) = s.value_grad_hessian(p);
            let scale_g = f.abs().max(norm(g)).max(1.0);
            // f64 and the dual types may round differently (a / b is a · (1/b) for duals).
            let (f1, g1) = s.value_grad(p);
            prop_assert!((f1 - f).abs() <= 1e-14 * scale_g, "{}", id);
            prop_assert!((s.value(p) - f).abs() <= 1e-14 * scale_g, "{}", id);
            let scale_h = scale_g.max(hess[0][0].abs() + hess[0][1].abs() + hess[1][1].abs());
            for i in 0..2 {
                prop_assert!((g1[i] - g[i]).abs() <= 1e-14 * scale_g, "{}", id);
                let fd = central(|q| s.value(q), p, i, 1e-5);
                prop_assert!(
                    (fd - g[i]).abs() <= 3e-7 * scale_g,
                    "{} at {:?}: ∂{} = {} but finite differences give {}", id, p, i, g[i], fd
                );
                for (j, h_ij) in hess[i].iter().enumerate() {
                    let fd = central(|q| s.value_grad(q).1[j], p, i, 1e-5);
                    prop_assert!(
                        (fd - h_ij).abs() <= 1e-7 * scale_h,
                        "{} at {:?}: H[{}][{}] = {} but finite differences give {}",
                        id, p, i, j, h_ij, fd
                    );
                }
            }
        }
    }
}

/// The published values at the minima (the surface table of the engine contract), with the
/// precision that table gives them.
fn expected_minimum(id: &str) -> (f64, f64) {
    match id {
        "six_hump_camel" => (-1.0316, 5e-5),
        "styblinski_tang" => (-78.332, 5e-4),
        "goldstein_price" => (3.0, 1e-12),
        _ => (0.0, 1e-12),
    }
}

#[test]
fn declared_minima_are_stationary_global_and_have_the_documented_value() {
    for (id, s) in all_surfaces() {
        let info = s.info();
        if id.starts_with("custom") || id.contains("saddle") {
            assert!(info.minima.is_empty(), "{id} is unbounded below");
            continue;
        }
        assert!(!info.minima.is_empty(), "{id} declares its minima");
        let (want, tol) = expected_minimum(&id);
        let [x0, x1, y0, y1] = info.view;
        let mut best = f64::INFINITY;
        for i in 0..=200 {
            for j in 0..=200 {
                let p = [
                    x0 + (x1 - x0) * f64::from(i) / 200.0,
                    y0 + (y1 - y0) * f64::from(j) / 200.0,
                ];
                best = best.min(s.value(p));
            }
        }
        for &m in &info.minima {
            let (f, g, h) = s.value_grad_hessian(m);
            assert!(
                (f - want).abs() <= tol,
                "{id}: f{m:?} = {f}, table says {want}"
            );
            // The gradient a point rounded to f64 can have: |H|·|p|·ε, with margin.
            let h_norm = h[0][0].abs() + h[0][1].abs() + h[1][1].abs();
            let allowed = 1e-13 * h_norm.max(1.0) * norm(m).max(1.0);
            assert!(norm(g) <= allowed, "{id}: |∇f{m:?}| = {}", norm(g));
            let det = h[0][0] * h[1][1] - h[0][1] * h[0][1];
            assert!(
                h[0][0] > 0.0 && det > 0.0,
                "{id}: Hessian at {m:?} is not positive"
            );
            assert!(
                f <= best + 1e-12 * best.abs().max(1.0),
                "{id}: grid has {best} < {f}"
            );
            assert!(
                m[0] >= x0 && m[0] <= x1 && m[1] >= y0 && m[1] <= y1,
                "{id}: {m:?} in view"
            );
        }
    }
}

#[test]
fn precise_minimum_values() {
    let value = |id: &str| {
        let s = build(&spec(id)).unwrap();
        s.info()
            .minima
            .iter()
            .map(|&m| s.value(m))
            .collect::<Vec<_>>()
    };
    for v in value("six_hump_camel") {
        assert!((v - -1.031_628_453_489_877).abs() < 1e-14, "{v}");
    }
    assert!((value("styblinski_tang")[0] - -78.332_331_407_542_83).abs() < 1e-12);
    assert_eq!(value("himmelblau").len(), 4);
}

#[test]
fn ackley_is_finite_at_its_kink() {
    let s = build(&spec("ackley")).unwrap();
    let (f, g, h) = s.value_grad_hessian([0.0, 0.0]);
    assert_eq!(f, 0.0);
    assert_eq!(g, [0.0, 0.0]);
    assert!(h.iter().flatten().all(|v| v.is_finite()));
    // Right next to it the cone's slope, 20·0.2·√0.5 ≈ 2.83, shows with no underflow.
    let (_, g) = s.value_grad([1e-200, 0.0]);
    assert!(
        (g[0] - 4.0 * std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12,
        "{g:?}"
    );
}

#[test]
fn framing_is_sane() {
    for (id, s) in all_surfaces() {
        let info = s.info();
        let [x0, x1, y0, y1] = info.view;
        assert!(x0 < x1 && y0 < y1, "{id}: view {:?}", info.view);
        let [sx, sy] = info.default_start;
        assert!(
            x0 <= sx && sx <= x1 && y0 <= sy && sy <= y1,
            "{id}: start outside view"
        );
        assert!(s.value(info.default_start).is_finite(), "{id}");
        assert!(!info.formula.is_empty(), "{id}");
        // A log colour scale needs values that stay positive above the minimum.
        if info.log_scale {
            assert!(info.minima.iter().all(|&m| s.value(m) >= 0.0), "{id}");
        }
    }
}

#[test]
fn every_catalogue_id_builds_with_defaults() {
    let mut ids: Vec<&str> = CATALOG.iter().map(|k| k.id).collect();
    for k in CATALOG {
        if k.id == "custom" {
            assert!(matches!(build(&spec(k.id)), Err(SurfaceError::Invalid(_))));
        } else {
            build(&spec(k.id)).unwrap_or_else(|e| panic!("{}: {e}", k.id));
        }
    }
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "ids are unique");
    let want = [
        "quadratic",
        "saddle",
        "monkey_saddle",
        "rosenbrock",
        "beale",
        "booth",
        "himmelblau",
        "rastrigin",
        "ackley",
        "goldstein_price",
        "six_hump_camel",
        "styblinski_tang",
        "matyas",
        "custom",
    ];
    let got: Vec<&str> = CATALOG.iter().map(|k| k.id).collect();
    assert_eq!(got, want);
}

fn invalid(spec: SurfaceSpec) -> String {
    match build(&spec) {
        Err(SurfaceError::Invalid(m)) => m,
        Err(e) => panic!("expected Invalid, got {e}"),
        Ok(_) => panic!("{spec:?} should not build"),
    }
}

#[test]
fn bad_specs_list_the_valid_names() {
    let m = invalid(spec("rosenbrok"));
    assert!(m.starts_with("unknown surface 'rosenbrok'; valid: "), "{m}");
    for k in CATALOG {
        assert!(m.contains(k.id), "{m} lists {}", k.id);
    }
    let with = |id: &str, key: &str, v: f64| SurfaceSpec {
        params: vec![(key.to_string(), v)],
        ..spec(id)
    };
    assert_eq!(
        invalid(with("rosenbrock", "c", 1.0)),
        "rosenbrock has no parameter 'c'; valid: a, b"
    );
    assert_eq!(
        invalid(with("beale", "a", 1.0)),
        "beale has no parameter 'a'; valid: none"
    );
    assert_eq!(
        invalid(with("quadratic", "kappa", 0.5)),
        "kappa = 0.5 is out of range; valid: 1 ≤ kappa ≤ 1000"
    );
    assert!(invalid(with("quadratic", "theta", f64::NAN)).contains("out of range"));
    // In-range parameters move the declared minimum with them.
    let s = build(&with("rosenbrock", "a", -2.0)).unwrap();
    assert_eq!(s.info().minima, vec![[-2.0, 4.0]]);
    assert_eq!(s.value([-2.0, 4.0]), 0.0);
}
