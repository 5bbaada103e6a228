//! Why a run diverged, in terms a student can check, and a learning rate that would not have.
//!
//! On a quadratic with Hessian eigenvalue λ (weight decay adds its λ_wd to every eigenvalue),
//! PyTorch's SGD family is stable exactly when
//!
//! | optimizer | update | stable for |
//! |---|---|---|
//! | SGD | θ ← θ − η g | η λ < 2 |
//! | momentum | v ← μ v + (1 − τ) g, θ ← θ − η v | η (1 − τ) λ < 2 (1 + μ) |
//! | Nesterov | v ← μ v + g, θ ← θ − η (g + μ v) | η λ < 2 (1 + μ) / (1 + 2μ) |
//!
//! (the last two from the roots of x_{k+1} = (1 + μ − a) x_k − μ x_{k−1} and of
//! x_{k+1} = (1 − a)(1 + μ) x_k − (1 − a) μ x_{k−1}, a = η λ, at z = −1). Elsewhere the
//! bound is local: λ is the largest eigenvalue of the exact Hessian where the blow-up began.
//! Adaptive methods have no such closed form, so for every optimizer the suggested rate
//! ([`stable_rate`]) is *verified*: it is the largest rate of the 1, 2, 5 × 10ᵏ ladder below
//! the one used (and below 90 % of the bound where there is one) whose run of the same scene
//! does not diverge and ends lower than it started. [`diagnose`] is cheap (one Hessian);
//! the search runs the scene again, so the page does it when asked.

use super::optim;
use super::param::Values;
use super::problem::Problem;
use super::run::{run, RunConfig, Status, Trajectory};
use super::task::symmetric_eigen;

/// Everything the page (and the CLI) says about one diverged run.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    /// The update that produced the non-finite or escaped point.
    pub step: usize,
    /// The point where the blow-up began: from here on the loss grew at every step.
    pub onset: usize,
    /// Largest and smallest eigenvalue of the exact Hessian at the onset point.
    pub lambda_max: f64,
    pub lambda_min: f64,
    /// The learning rate in force at the onset (after any schedule).
    pub lr: f64,
    /// The SGD family's stability limit on the learning rate for `lambda_max`, if the
    /// optimizer has one.
    pub bound: Option<Bound>,
}

/// The stability condition of the SGD family on a quadratic of curvature λ.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// The condition as written on the page, e.g. `η·λ < 2(1 + μ)`.
    pub rule: &'static str,
    /// The largest stable η for the measured λ.
    pub max_lr: f64,
}

/// How many rungs of the 1-2-5 ladder [`stable_rate`] tries before giving up.
const FIX_TRIES: usize = 15;

/// [`stable_rate`] screens each rate with a run this long before it runs the whole scene, so a
/// long scene costs about one full run.
const SCREEN_STEPS: usize = 500;

/// The diagnosis of `trajectory`, the run of `config` on `problem`; `None` unless it diverged.
pub fn diagnose<P: Problem + ?Sized>(
    problem: &P,
    config: &RunConfig,
    trajectory: &Trajectory,
) -> Option<Diagnosis> {
    let Status::Diverged { step, .. } = trajectory.status else {
        return None;
    };
    let onset = blow_up_onset(&trajectory.losses);
    let (lambda_min, lambda_max) =
        extreme_eigenvalues(&problem.hessian(trajectory.params_at(onset)), problem.dim());
    let lr = trajectory.lrs.get(onset).copied().unwrap_or(f64::NAN);
    let bound = optim::hyper(&config.optimizer, &config.settings)
        .ok()
        .and_then(|h| stability_bound(&config.optimizer, &h, lambda_max));
    Some(Diagnosis {
        step,
        onset,
        lambda_max,
        lambda_min,
        lr,
        bound,
    })
}

/// The first point of the final run of strictly growing losses (0 when the loss grew from
/// the start).
fn blow_up_onset(losses: &[f64]) -> usize {
    let mut onset = losses.len().saturating_sub(1);
    while onset > 0 && losses[onset - 1] < losses[onset] {
        onset -= 1;
    }
    onset
}

/// The SGD family's limit for curvature `lambda`, `None` for other optimizers or when the
/// surface does not curve upward there.
fn stability_bound(id: &str, h: &Values, lambda: f64) -> Option<Bound> {
    let get = |key: &str| h.iter().find(|(k, _)| *k == key).map_or(0.0, |(_, v)| v);
    let curvature = lambda + get("weight_decay");
    if curvature.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let mu = get("momentum");
    let (rule, limit) = match id {
        "sgd" => ("η·λ < 2", 2.0),
        "momentum" => (
            "η·(1 − τ)·λ < 2(1 + μ)",
            2.0 * (1.0 + mu) / (1.0 - get("dampening")),
        ),
        "nesterov" => (
            "η·λ < 2(1 + μ)/(1 + 2μ)",
            2.0 * (1.0 + mu) / (1.0 + 2.0 * mu),
        ),
        _ => return None,
    };
    Some(Bound {
        rule,
        max_lr: limit / curvature,
    })
}

/// The largest rate of the 1-2-5 ladder below the one `config` uses (and below 90 % of the
/// diagnosis' bound, if any) whose run of the scene [`settles`]; `None` if none of
/// [`FIX_TRIES`] rungs does.
pub fn stable_rate<P: Problem + ?Sized>(
    problem: &P,
    config: &RunConfig,
    diagnosis: &Diagnosis,
) -> Option<f64> {
    let max_lr = diagnosis.bound.as_ref().map(|b| b.max_lr);
    let used = optim::hyper(&config.optimizer, &config.settings)
        .ok()?
        .get("lr");
    let mut ceiling = used * 0.99;
    if let Some(m) = max_lr.filter(|m| m.is_finite()) {
        ceiling = ceiling.min(0.9 * m);
    }
    let mut lr = ladder_at_or_below(ceiling)?;
    for _ in 0..FIX_TRIES {
        let mut trial = config.clone();
        trial.settings.retain(|(k, _)| k != "lr");
        trial.settings.push(("lr".into(), lr));
        trial.record_state = false;
        let mut screen = trial.clone();
        screen.steps = screen.steps.min(SCREEN_STEPS);
        let passes = |c: &RunConfig| run(problem, c).is_ok_and(|t| settles(&t));
        if passes(&screen) && (screen.steps == trial.steps || passes(&trial)) {
            return Some(lr);
        }
        lr = ladder_at_or_below(lr * 0.99)?;
    }
    None
}

/// A run that a fix may offer: it did not diverge and ended lower than it started (a rate
/// that only stays inside the escape radius, flying about far from the minimum, is no fix).
fn settles(t: &Trajectory) -> bool {
    !matches!(t.status, Status::Diverged { .. }) && t.losses.last() < t.losses.first()
}

/// The largest 1, 2 or 5 × 10ᵏ that is at most `x` (readable rates for a one-click fix).
fn ladder_at_or_below(x: f64) -> Option<f64> {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return None;
    }
    let exponent = libm::log10(x).floor() as i32;
    // An exact power of ten, multiplied or divided once: 2 × 10⁻³ is the double nearest
    // 0.002, as typed.
    let at = |m: f64| {
        let p = libm::pow(10.0, f64::from(exponent.abs()));
        if exponent < 0 {
            m / p
        } else {
            m * p
        }
    };
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(at)
        .find(|&v| v <= x * (1.0 + 1e-12))
        .or(Some(at(1.0)))
}

/// The smallest and largest eigenvalue of the symmetric `n × n` matrix `m` (row-major), by
/// the Jacobi rotations the PCA plane uses: exact to rounding for the handful of parameters a
/// scene has.
pub fn extreme_eigenvalues(m: &[f64], n: usize) -> (f64, f64) {
    symmetric_eigen(m.to_vec(), n)
        .0
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), d| {
            (lo.min(d), hi.max(d))
        })
}
