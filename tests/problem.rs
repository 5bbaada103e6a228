//! N-dimensional problems: two defined here (a least-squares fit with data, so it has a
//! stochastic gradient, and a 4-D Rosenbrock chain, non-quadratic), run with every optimizer;
//! their derivatives against finite differences; seeded, reproducible mini-batches; and
//! surfaces as 2-D problems drawn by the identity.

use gradscape::engine::noise::{MiniBatch, NoiseConfig};
use gradscape::engine::optim;
use gradscape::engine::problem::Problem;
use gradscape::engine::run::{run, run_all, suggest_lr, RunConfig, Status, Trajectory};
use gradscape::engine::surface::{self, Surface, SurfaceSpec};
use std::sync::Mutex;

/// ½·mean((a_i·w − b_i)²) over `rows` samples of a quadratic in t ∈ [−1, 1]: features
/// (1, t, t²), targets off the curve by a deterministic wiggle, so the fit is not exact.
struct LeastSquares {
    a: Vec<[f64; 3]>,
    b: Vec<f64>,
}

impl LeastSquares {
    fn new(rows: usize) -> Self {
        let t = |i: usize| 2.0 * i as f64 / (rows - 1) as f64 - 1.0;
        LeastSquares {
            a: (0..rows).map(|i| [1.0, t(i), t(i) * t(i)]).collect(),
            b: (0..rows)
                .map(|i| 1.0 + 2.0 * t(i) - 0.5 * t(i) * t(i) + 0.1 * (3.0 * i as f64).sin())
                .collect(),
        }
    }

    /// Mean loss and gradient over `rows`.
    fn over(&self, p: &[f64], rows: impl ExactSizeIterator<Item = usize>, g: &mut [f64]) -> f64 {
        let m = rows.len() as f64;
        g.fill(0.0);
        let mut loss = 0.0;
        for i in rows {
            let a = self.a[i];
            let r = a[0] * p[0] + a[1] * p[1] + a[2] * p[2] - self.b[i];
            loss += 0.5 * r * r / m;
            for j in 0..3 {
                g[j] += r * a[j] / m;
            }
        }
        loss
    }
}

impl Problem for LeastSquares {
    fn dim(&self) -> usize {
        3
    }
    fn param_names(&self) -> Vec<String> {
        vec!["w0".into(), "w1".into(), "w2".into()]
    }
    fn value(&self, p: &[f64]) -> f64 {
        self.over(p, 0..self.b.len(), &mut [0.0; 3])
    }
    fn value_grad(&self, p: &[f64], grad: &mut [f64]) -> f64 {
        self.over(p, 0..self.b.len(), grad)
    }
    fn value_grad_hessian(&self, p: &[f64], grad: &mut [f64], hessian: &mut [f64]) -> f64 {
        let m = self.b.len() as f64;
        hessian.fill(0.0);
        for a in &self.a {
            for j in 0..3 {
                for k in 0..3 {
                    hessian[j * 3 + k] += a[j] * a[k] / m;
                }
            }
        }
        self.value_grad(p, grad)
    }
    fn sample_count(&self) -> Option<usize> {
        Some(self.b.len())
    }
    fn batch_value_grad(&self, p: &[f64], indices: &[usize], grad: &mut [f64]) -> f64 {
        self.over(p, indices.iter().copied(), grad)
    }
    fn bounds(&self) -> Vec<[f64; 2]> {
        vec![[-5.0, 5.0]; 3]
    }
}

/// Σ 100(x_{i+1} − x_i²)² + (1 − x_i)² in 4-D: minimum 0 at (1, 1, 1, 1). Drawn as
/// (x₀ + x₃, x₁), a projection other than the default, to check that runs use it.
struct Rosenbrock4;

impl Problem for Rosenbrock4 {
    fn dim(&self) -> usize {
        4
    }
    fn param_names(&self) -> Vec<String> {
        (0..4).map(|i| format!("x{i}")).collect()
    }
    fn value(&self, p: &[f64]) -> f64 {
        (0..3)
            .map(|i| 100.0 * (p[i + 1] - p[i] * p[i]).powi(2) + (1.0 - p[i]).powi(2))
            .sum()
    }
    fn value_grad(&self, p: &[f64], g: &mut [f64]) -> f64 {
        g.fill(0.0);
        for i in 0..3 {
            let d = p[i + 1] - p[i] * p[i];
            g[i] += -400.0 * p[i] * d - 2.0 * (1.0 - p[i]);
            g[i + 1] += 200.0 * d;
        }
        self.value(p)
    }
    fn value_grad_hessian(&self, p: &[f64], g: &mut [f64], h: &mut [f64]) -> f64 {
        h.fill(0.0);
        for i in 0..3 {
            h[i * 4 + i] += 1200.0 * p[i] * p[i] - 400.0 * p[i + 1] + 2.0;
            h[i * 4 + i + 1] += -400.0 * p[i];
            h[(i + 1) * 4 + i] += -400.0 * p[i];
            h[(i + 1) * 4 + i + 1] += 200.0;
        }
        self.value_grad(p, g)
    }
    fn bounds(&self) -> Vec<[f64; 2]> {
        vec![[-2.0, 2.0]; 4]
    }
    fn project(&self, p: &[f64]) -> [f64; 2] {
        [p[0] + p[3], p[1]]
    }
    fn project_tangent(&self, _p: &[f64], v: &[f64]) -> [f64; 2] {
        [v[0] + v[3], v[1]]
    }
}

const POINTS_3: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [1.5, -2.0, 0.5],
    [-0.3, 0.7, 3.0],
    [4.0, 1.0, -1.0],
];
const POINTS_4: [[f64; 4]; 4] = [
    [-1.2, 1.0, -1.2, 1.0],
    [0.5, 0.25, 0.1, -0.3],
    [1.1, 1.2, 1.3, 1.5],
    [-0.7, 0.4, 0.9, 0.8],
];

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * (1.0 + a.abs().max(b.abs()))
}

/// Central differences of the value (gradient) and of the gradient (Hessian), h = 1e-5.
fn check_derivatives(p: &dyn Problem, at: &[f64]) {
    let n = p.dim();
    let h = 1e-5;
    let g = p.gradient(at);
    let hess = p.hessian(at);
    let mut grad = vec![0.0; n];
    let mut hess2 = vec![0.0; n * n];
    let v = p.value_grad_hessian(at, &mut grad, &mut hess2);
    assert_eq!(v, p.value(at), "value agrees between entry points");
    assert_eq!((&grad, &hess2), (&g, &hess));
    for i in 0..n {
        let (mut up, mut down) = (at.to_vec(), at.to_vec());
        up[i] += h;
        down[i] -= h;
        let fd = (p.value(&up) - p.value(&down)) / (2.0 * h);
        assert!(close(g[i], fd, 1e-6), "∂{i} at {at:?}: {} vs {fd}", g[i]);
        let (gu, gd) = (p.gradient(&up), p.gradient(&down));
        for j in 0..n {
            let fd = (gu[j] - gd[j]) / (2.0 * h);
            assert!(close(hess[i * n + j], fd, 1e-6), "H[{i}][{j}] at {at:?}");
            assert_eq!(hess[i * n + j], hess[j * n + i], "symmetric");
        }
    }
}

#[test]
fn nd_gradients_and_hessians_match_finite_differences() {
    let ls = LeastSquares::new(10);
    for at in POINTS_3 {
        check_derivatives(&ls, &at);
    }
    for at in POINTS_4 {
        check_derivatives(&Rosenbrock4, &at);
    }
}

/// The trajectory contract for any dimension: flat vectors of `dim` per point / update, the
/// drawn points and arrows being the problem's projections of them, losses being values.
fn assert_consistent(p: &dyn Problem, t: &Trajectory) {
    let n = t.points.len();
    assert_eq!(t.dim, p.dim());
    assert_eq!(t.params.len(), n * t.dim);
    assert_eq!(t.gradients.len(), (n - 1) * t.dim);
    assert_eq!((t.losses.len(), t.grad_norms.len()), (n, n));
    assert_eq!((t.grads.len(), t.lrs.len()), (n - 1, n - 1));
    for i in 0..n {
        let at = t.params_at(i);
        assert_eq!(
            t.points[i],
            p.project(at),
            "point {i} is drawn by the projection"
        );
        assert!(
            close(t.losses[i], p.value(at), 1e-12),
            "loss {i} is the full loss"
        );
        let g = p.gradient(at);
        let norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        assert!(close(t.grad_norms[i], norm, 1e-12), "gradient norm {i}");
    }
    for k in 0..n - 1 {
        let at = t.params_at(k);
        assert_eq!(t.grads[k], p.project_tangent(at, t.gradient_at(k)));
    }
}

#[test]
fn every_optimizer_runs_a_3d_least_squares_fit_and_a_4d_rosenbrock() {
    let ls = LeastSquares::new(10);
    let start = vec![0.0; 3];
    let start_loss = ls.value(&start);
    for kind in optim::CATALOG {
        let plain = RunConfig::new(kind.id, start.clone(), 400);
        let lr = suggest_lr(&ls, &plain).unwrap_or_else(|| panic!("{}: no rate", kind.id));
        let mut c = plain.clone();
        c.settings.push(("lr".into(), lr));
        c.record_state = true;
        let t = run(&ls, &c).unwrap();
        assert!(!matches!(t.status, Status::Diverged { .. }), "{}", kind.id);
        assert_consistent(&ls, &t);
        assert!(
            t.losses[t.last_step()] < 0.5 * start_loss,
            "{} at lr {lr} ends at {} from {start_loss}",
            kind.id,
            t.losses[t.last_step()]
        );
        for state in &t.states {
            for (name, buffer) in state {
                assert!(buffer.len() == 3 || buffer.len() == 1, "{}.{name}", kind.id);
            }
        }

        // Through `&dyn Problem`, on a problem with its own projection.
        let r4: &dyn Problem = &Rosenbrock4;
        // Newton's gradient fallback at a full step would fly off from the classic start, so
        // it starts where the Hessian is positive definite.
        let (start, lr) = match kind.id {
            "newton" => (POINTS_4[2], 1.0),
            _ => (POINTS_4[0], 1e-4),
        };
        let mut c = RunConfig::new(kind.id, start, 300);
        c.settings.push(("lr".into(), lr));
        c.record_state = true;
        let t = run(r4, &c).unwrap();
        assert!(!matches!(t.status, Status::Diverged { .. }), "{}", kind.id);
        assert_consistent(r4, &t);
    }
}

/// Solves a x = b for a small dense system by Gaussian elimination with partial pivoting:
/// the reference the Newton step is checked against.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let piv = (c..n)
            .max_by(|&i, &j| a[i * n + c].abs().total_cmp(&a[j * n + c].abs()))
            .unwrap();
        for k in 0..n {
            a.swap(c * n + k, piv * n + k);
        }
        b.swap(c, piv);
        for r in c + 1..n {
            let f = a[r * n + c] / a[c * n + c];
            for k in c..n {
                a[r * n + k] -= f * a[c * n + k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r * n + k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r * n + r];
    }
    x
}

#[test]
fn newton_steps_with_the_exact_hessian_in_any_dimension() {
    // 4-D, where H + δI is positive definite: θ₁ = θ₀ − (H + δI)⁻¹g exactly.
    let at = POINTS_4[2];
    let (g, mut h) = (Rosenbrock4.gradient(&at), Rosenbrock4.hessian(&at));
    let damping = 1e-3;
    for i in 0..4 {
        h[i * 4 + i] += damping;
    }
    let step = solve(h, g);
    let t = run(&Rosenbrock4, &RunConfig::new("newton", at, 1)).unwrap();
    assert!(t.notes.is_empty(), "{:?}", t.notes);
    for i in 0..4 {
        assert!(
            close(t.params_at(1)[i], at[i] - step[i], 1e-12),
            "coordinate {i}"
        );
    }
    // Rosenbrock-4 is solved to the minimum.
    let mut c = RunConfig::new("newton", at, 50);
    c.converge_tol = Some(1e-10);
    let t = run(&Rosenbrock4, &c).unwrap();
    assert!(
        matches!(t.status, Status::Converged { .. }),
        "{:?}",
        t.status
    );
    assert!(t
        .params_at(t.last_step())
        .iter()
        .all(|&v| close(v, 1.0, 1e-9)));

    // A quadratic is solved in one undamped step: the normal equations.
    let ls = LeastSquares::new(10);
    let mut c = RunConfig::new("newton", [0.0; 3], 1);
    c.settings.push(("damping".into(), 0.0));
    let t = run(&ls, &c).unwrap();
    let w = solve(ls.hessian(&[0.0; 3]), ls.gradient(&[0.0; 3]));
    for (p, w) in t.params_at(1).iter().zip(&w) {
        assert!(close(*p, -w, 1e-12), "{p} vs {}", -w);
    }
    assert!(t.grad_norms[1] < 1e-12, "{}", t.grad_norms[1]);
}

fn sgd_batches(size: usize, seed: u64, steps: usize) -> RunConfig {
    let mut c = RunConfig::new("sgd", [0.0; 3], steps);
    c.settings.push(("lr".into(), 0.3));
    c.minibatch = Some(MiniBatch { size, seed });
    c
}

#[test]
fn minibatch_runs_are_seeded_and_reproducible() {
    let ls = LeastSquares::new(10);
    let a = run(&ls, &sgd_batches(3, 5, 200)).unwrap();
    assert_eq!(
        a,
        run(&ls, &sgd_batches(3, 5, 200)).unwrap(),
        "same seed, same run"
    );
    let b = run(&ls, &sgd_batches(3, 6, 200)).unwrap();
    assert_ne!(a.params, b.params, "another seed, another run");
    assert_consistent(&ls, &a);
    let full = run(
        &ls,
        &RunConfig {
            minibatch: None,
            ..sgd_batches(3, 5, 200)
        },
    )
    .unwrap();
    assert_ne!(
        a.params, full.params,
        "mini-batches are not the full gradient"
    );
    // The stochastic gradient is not the exact one the norms record…
    let exact = ls.gradient(a.params_at(1));
    assert_ne!(a.gradient_at(1), &exact[..]);
    // …and still fits: SGD with batches of 3 ends near the full-batch optimum.
    let end = a.losses[a.last_step()];
    assert!(end < 1.5 * full.losses[full.last_step()] + 1e-3, "{end}");

    // Noise and mini-batches together are reproducible too.
    let mut c = sgd_batches(4, 5, 100);
    c.noise = NoiseConfig {
        sigma: 0.1,
        seed: 5,
    };
    assert_eq!(run(&ls, &c).unwrap(), run(&ls, &c).unwrap());
    assert_ne!(
        run(&ls, &c).unwrap().params,
        run(&ls, &sgd_batches(4, 5, 100)).unwrap().params
    );
}

#[test]
fn a_batch_of_every_sample_is_the_full_gradient() {
    let ls = LeastSquares::new(10);
    let all: Vec<usize> = (0..10).rev().collect();
    for at in POINTS_3 {
        let mut g = [0.0; 3];
        let v = ls.batch_value_grad(&at, &all, &mut g);
        assert!(close(v, ls.value(&at), 1e-14));
        for (a, b) in g.iter().zip(ls.gradient(&at)) {
            assert!(close(*a, b, 1e-14));
        }
    }
    let t = run(&ls, &sgd_batches(10, 1, 50)).unwrap();
    let full = run(
        &ls,
        &RunConfig {
            minibatch: None,
            ..sgd_batches(10, 1, 50)
        },
    )
    .unwrap();
    for (a, b) in t.params.iter().zip(&full.params) {
        assert!(close(*a, *b, 1e-12), "{a} vs {b}");
    }
}

/// Records the indices of every batch it is asked for.
struct Recording {
    inner: LeastSquares,
    log: Mutex<Vec<Vec<usize>>>,
}

impl Problem for Recording {
    fn dim(&self) -> usize {
        3
    }
    fn param_names(&self) -> Vec<String> {
        self.inner.param_names()
    }
    fn value(&self, p: &[f64]) -> f64 {
        self.inner.value(p)
    }
    fn value_grad(&self, p: &[f64], grad: &mut [f64]) -> f64 {
        self.inner.value_grad(p, grad)
    }
    fn value_grad_hessian(&self, p: &[f64], grad: &mut [f64], hessian: &mut [f64]) -> f64 {
        self.inner.value_grad_hessian(p, grad, hessian)
    }
    fn sample_count(&self) -> Option<usize> {
        self.inner.sample_count()
    }
    fn batch_value_grad(&self, p: &[f64], indices: &[usize], grad: &mut [f64]) -> f64 {
        self.log.lock().unwrap().push(indices.to_vec());
        self.inner.batch_value_grad(p, indices, grad)
    }
    fn bounds(&self) -> Vec<[f64; 2]> {
        self.inner.bounds()
    }
}

#[test]
fn each_epoch_of_a_run_visits_every_sample_exactly_once() {
    let rec = Recording {
        inner: LeastSquares::new(10),
        log: Mutex::new(Vec::new()),
    };
    // Batches of 4 from 10 samples: 4, 4, 2 per epoch; 12 updates are 4 epochs.
    let t = run(&rec, &sgd_batches(4, 9, 12)).unwrap();
    assert_eq!(t.last_step(), 12);
    let log = rec.log.into_inner().unwrap();
    assert_eq!(log.len(), 12, "one batch per update");
    let epochs: Vec<Vec<usize>> = log.chunks(3).map(|e| e.concat()).collect();
    for (e, chunk) in log.chunks(3).enumerate() {
        let sizes: Vec<usize> = chunk.iter().map(Vec::len).collect();
        assert_eq!(sizes, [4, 4, 2], "epoch {e}");
        let mut seen = epochs[e].clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..10).collect::<Vec<_>>(), "epoch {e}");
    }
    assert_ne!(epochs[0], epochs[1], "epochs are reshuffled");
}

#[test]
fn bad_nd_configs_are_refused_with_what_is_valid() {
    let ls = LeastSquares::new(10);
    let e = run(&ls, &RunConfig::new("sgd", [0.0, 0.0], 5)).unwrap_err();
    assert!(e.contains("three finite numbers (w0, w1, w2)"), "{e}");
    let e = run(&ls, &RunConfig::new("sgd", [0.0, f64::NAN, 0.0], 5)).unwrap_err();
    assert!(e.contains("(0, NaN, 0) is not finite"), "{e}");
    let e = run(&ls, &sgd_batches(11, 0, 5)).unwrap_err();
    assert!(e.contains("1 ≤ batch ≤ 10"), "{e}");
    let quadratic = surface::build(&SurfaceSpec {
        id: "quadratic".into(),
        ..Default::default()
    })
    .unwrap();
    let mut c = RunConfig::new("sgd", [1.0, 1.0], 5);
    c.minibatch = Some(MiniBatch { size: 2, seed: 0 });
    let e = run(&*quadratic, &c).unwrap_err();
    assert!(e.contains("valid: batch = full"), "{e}");
}

#[test]
fn an_nd_run_diverges_naming_the_parameter_that_left() {
    let ls = LeastSquares::new(10);
    let mut c = RunConfig::new("sgd", [0.0; 3], 1000);
    c.settings.push(("lr".into(), 50.0));
    let t = run(&ls, &c).unwrap();
    let Status::Diverged { step, reason } = &t.status else {
        panic!("{:?}", t.status);
    };
    assert_eq!(t.last_step(), step - 1);
    assert!(
        reason.contains("left the view by a factor of 1000"),
        "{reason}"
    );
    assert!(reason.starts_with('w'), "{reason}");
    assert_consistent(&ls, &t);
}

#[test]
fn surfaces_are_2d_problems_drawn_by_the_identity() {
    for kind in surface::CATALOG {
        let s: Box<dyn Surface> = surface::build(&SurfaceSpec {
            id: kind.id.into(),
            expr: (kind.id == "custom").then(|| "x^2 + 3*y^2 + sin(x*y)".into()),
            ..Default::default()
        })
        .unwrap();
        let info = s.info();
        assert_eq!(Problem::dim(&*s), 2);
        assert_eq!(Problem::param_names(&*s), ["x", "y"]);
        let [x0, x1, y0, y1] = info.view;
        assert_eq!(Problem::bounds(&*s), [[x0, x1], [y0, y1]]);
        let p = info.default_start;
        assert_eq!(Problem::project(&*s, &p), p);
        assert_eq!(
            Problem::project_tangent(&*s, &p, &[0.25, -4.0]),
            [0.25, -4.0]
        );
        let (v, g, h) = Surface::value_grad_hessian(&*s, p);
        let (mut g2, mut h2) = ([0.0; 2], [0.0; 4]);
        let v2 = Problem::value_grad_hessian(&*s, &p, &mut g2, &mut h2);
        assert_eq!((v2, g2, h2), (v, g, [h[0][0], h[0][1], h[1][0], h[1][1]]));
        assert_eq!(Problem::value_grad(&*s, &p, &mut g2), v);
        assert_eq!(Problem::value(&*s, &p), Surface::value(&*s, p));
        assert_eq!(Problem::sample_count(&*s), None);

        let configs: Vec<RunConfig> = ["adam", "newton", "momentum"]
            .iter()
            .map(|id| RunConfig {
                record_state: true,
                ..RunConfig::new(id, p, 100)
            })
            .collect();
        for t in run_all(&*s, &configs) {
            let t = t.unwrap();
            assert_eq!(t.dim, 2);
            for (i, point) in t.points.iter().enumerate() {
                assert_eq!(t.params_at(i), point, "{}: params are the points", kind.id);
            }
            for (k, g) in t.grads.iter().enumerate() {
                assert_eq!(t.gradient_at(k), g, "{}: gradients are the arrows", kind.id);
            }
        }
    }
}
