//! Divergence explained: the stability bounds hold at their edges, the curvature is the
//! Hessian's, and the suggested rate is one whose run does not diverge.

use gradscape::engine::diverge::{diagnose, extreme_eigenvalues, stable_rate};
use gradscape::engine::run::{run, RunConfig, Status};
use gradscape::engine::surface::{self, Surface, SurfaceSpec};

fn surface(id: &str) -> Box<dyn Surface> {
    surface::build(&SurfaceSpec {
        id: id.into(),
        ..Default::default()
    })
    .unwrap()
}

fn config(optimizer: &str, settings: &[(&str, f64)], steps: usize) -> RunConfig {
    let mut c = RunConfig::new(optimizer, [3.0, 1.5], steps);
    c.settings = settings.iter().map(|&(k, v)| (k.into(), v)).collect();
    c
}

fn diverges(c: &RunConfig) -> bool {
    let t = run(&*surface("quadratic"), c).unwrap();
    matches!(t.status, Status::Diverged { .. })
}

#[test]
fn eigenvalues_of_a_rotated_diagonal_matrix() {
    // Q diag(d) Qᵀ with Q a product of two plane rotations.
    let d = [-2.0, 0.5, 3.0, 7.0];
    let n = 4;
    let mut q = vec![0.0; n * n];
    for i in 0..n {
        q[i * n + i] = 1.0;
    }
    for &(p, r, angle) in &[(0usize, 2usize, 0.7f64), (1, 3, -1.1), (0, 3, 0.3)] {
        let (c, s) = (angle.cos(), angle.sin());
        for k in 0..n {
            let (a, b) = (q[k * n + p], q[k * n + r]);
            q[k * n + p] = c * a - s * b;
            q[k * n + r] = s * a + c * b;
        }
    }
    let m: Vec<f64> = (0..n * n)
        .map(|ij| {
            let (i, j) = (ij / n, ij % n);
            (0..n).map(|k| q[i * n + k] * d[k] * q[j * n + k]).sum()
        })
        .collect();
    let (lo, hi) = extreme_eigenvalues(&m, n);
    assert!(
        (lo + 2.0).abs() < 1e-12 && (hi - 7.0).abs() < 1e-12,
        "{lo} {hi}"
    );
    // 2 × 2 against the closed form.
    let (a, b, c) = (2.0, 0.75, -1.0);
    let (lo, hi) = extreme_eigenvalues(&[a, b, b, c], 2);
    let mid = (a + c) / 2.0;
    let r = (((a - c) / 2.0f64).powi(2) + b * b).sqrt();
    assert!((lo - (mid - r)).abs() < 1e-14 && (hi - (mid + r)).abs() < 1e-14);
}

/// An optimizer, its settings besides `lr`, and the largest stable `lr`.
type Edge = (&'static str, &'static [(&'static str, f64)], f64);

#[test]
fn the_sgd_family_bounds_hold_at_their_edges_on_the_quadratic() {
    // f = ½(x² + 10y²): λ_max = 10.
    let cases: [Edge; 5] = [
        ("sgd", &[], 2.0 / 10.0),
        ("sgd", &[("weight_decay", 0.5)], 2.0 / 10.5),
        ("momentum", &[("momentum", 0.9)], 2.0 * 1.9 / 10.0),
        (
            "momentum",
            &[("momentum", 0.5), ("dampening", 0.5)],
            2.0 * 1.5 / 0.5 / 10.0,
        ),
        ("nesterov", &[("momentum", 0.9)], 2.0 * 1.9 / 2.8 / 10.0),
    ];
    for (id, extra, limit) in cases {
        let with = |lr: f64| {
            let mut s = vec![("lr", lr)];
            s.extend_from_slice(extra);
            config(id, &s, 3000)
        };
        assert!(
            !diverges(&with(limit * 0.98)),
            "{id} {extra:?} below {limit}"
        );
        let over = with(limit * 1.02);
        assert!(diverges(&over), "{id} {extra:?} above {limit}");
        let t = run(&*surface("quadratic"), &over).unwrap();
        let d = diagnose(&*surface("quadratic"), &over, &t).unwrap();
        assert!((d.lambda_max - 10.0).abs() < 1e-9 && (d.lambda_min - 1.0).abs() < 1e-9);
        let bound = d.bound.clone().expect("the SGD family has a bound");
        assert!(
            (bound.max_lr - limit).abs() < 1e-12 * limit,
            "{id}: {}",
            bound.max_lr
        );
        let fix = stable_rate(&*surface("quadratic"), &over, &d).expect("a fix");
        assert!(fix < limit && !diverges(&with(fix)), "{id}: fix {fix}");
    }
}

#[test]
fn adam_gets_a_verified_rate_but_no_closed_form_bound() {
    let s = surface("rosenbrock");
    let mut c = RunConfig::new("adam", [-1.2, 1.0], 500);
    c.settings = vec![("lr".into(), 5e3)];
    let t = run(&*s, &c).unwrap();
    assert!(matches!(t.status, Status::Diverged { .. }));
    let d = diagnose(&*s, &c, &t).unwrap();
    assert!(d.bound.is_none());
    let fix = stable_rate(&*s, &c, &d).expect("a fix");
    assert!(fix < 5e3);
    c.settings = vec![("lr".into(), fix)];
    let fixed = run(&*s, &c).unwrap();
    assert!(!matches!(fixed.status, Status::Diverged { .. }));
    // The fix is a readable rate: 1, 2 or 5 × 10ᵏ.
    let mantissa = fix / 10f64.powf(fix.log10().floor());
    assert!(
        [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
        "{fix}"
    );
}

#[test]
fn a_run_that_did_not_diverge_has_no_diagnosis() {
    let c = config("sgd", &[("lr", 0.1)], 100);
    let t = run(&*surface("quadratic"), &c).unwrap();
    assert_eq!(diagnose(&*surface("quadratic"), &c, &t), None);
}

#[test]
fn the_onset_is_where_the_loss_began_to_grow_for_good() {
    // From (3, 1.5) on the quadratic, SGD at lr 0.25 grows y by |1 − 2.5| each step from
    // the start, so the blow-up begins at point 0.
    let c = config("sgd", &[("lr", 0.25)], 1000);
    let t = run(&*surface("quadratic"), &c).unwrap();
    let d = diagnose(&*surface("quadratic"), &c, &t).unwrap();
    assert_eq!(d.onset, 0);
    assert_eq!(d.lr, 0.25);
    let Status::Diverged { step, .. } = t.status else {
        unreachable!()
    };
    assert_eq!(d.step, step);
}
