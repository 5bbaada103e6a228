//! A run: one optimizer stepping on one surface, recorded as a [`Trajectory`].
//!
//! The surface is passed by reference rather than owned by [`RunConfig`], so the page builds it
//! once and races any number of optimizers on it ([`run_all`]). Trajectories are computed to
//! `steps` at once; the page's playhead only chooses how much of one to show.

use super::noise::{GaussianNoise, NoiseConfig};
use super::optim;
use super::schedule::Schedule;
use super::surface::Surface;

/// The most steps one run may take: enough for any demo, small enough to stay interactive.
pub const MAX_STEPS: usize = 100_000;

/// How far from the view a run may wander, in view spans, before it counts as diverged: far
/// enough that no sane path is cut short, near enough to stop before overflow.
pub const ESCAPE_FACTOR: f64 = 1000.0;

/// Everything that decides one trajectory on a given surface.
#[derive(Clone, Debug, PartialEq)]
pub struct RunConfig {
    /// An id from [`optim::CATALOG`].
    pub optimizer: String,
    /// Hyperparameters that differ from the schema's defaults.
    pub settings: Vec<(String, f64)>,
    pub start: [f64; 2],
    /// Number of updates (0…[`MAX_STEPS`]).
    pub steps: usize,
    /// Applied to the `lr` hyperparameter.
    pub schedule: Schedule,
    /// Added to the gradient before each update. Every run with the same seed draws the same
    /// noise stream, so adding an optimizer to a scene never changes the others' paths.
    pub noise: NoiseConfig,
    /// Stop early, as converged, once the true gradient norm is at most this.
    pub converge_tol: Option<f64>,
    /// Record the optimizer's internal state at every point (costs allocations per step).
    pub record_state: bool,
}

impl RunConfig {
    /// Defaults for everything but what every run must say: constant schedule, no noise, no
    /// early stop, no state recording.
    pub fn new(optimizer: &str, start: [f64; 2], steps: usize) -> Self {
        RunConfig {
            optimizer: optimizer.to_string(),
            settings: Vec::new(),
            start,
            steps,
            schedule: Schedule::default(),
            noise: NoiseConfig::default(),
            converge_tol: None,
            record_state: false,
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Status {
    /// Took every step.
    Finished,
    /// The gradient norm fell to `converge_tol` at `step`; the trajectory ends there.
    Converged { step: usize },
    /// Update `step` produced a non-finite value or left the view far behind; the trajectory
    /// ends at the last good point (`step − 1`).
    Diverged { step: usize, reason: String },
}

impl Status {
    /// The page's `data-status` once the playhead has reached the end: "finished" or "diverged".
    pub fn label(&self) -> &'static str {
        match self {
            Status::Finished | Status::Converged { .. } => "finished",
            Status::Diverged { .. } => "diverged",
        }
    }
}

/// One optimizer state snapshot: PyTorch-named buffers.
pub type State = Vec<(&'static str, Vec<f64>)>;

/// What the page draws at a path's head besides the gradient: the direction the optimizer
/// carries (velocity or first moment) and its per-coordinate effective learning rate.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Carried {
    pub direction: Option<[f64; 2]>,
    pub effective_lr: Option<[f64; 2]>,
}

impl Carried {
    fn of(opt: &dyn optim::Optimizer) -> Self {
        let pair = |v: &[f64]| (v.len() == 2).then(|| [v[0], v[1]]);
        Carried {
            direction: opt.carried_direction().and_then(pair),
            effective_lr: opt.effective_lr().as_deref().and_then(pair),
        }
    }
}

/// The recorded path. `points`, `losses`, `grad_norms` (and `states` when recorded) have one
/// entry per point, index 0 being the start; `grads` and `lrs` have one per update, entry
/// `k − 1` being what update `k` used (taken at `points[k − 1]`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Trajectory {
    pub points: Vec<[f64; 2]>,
    pub losses: Vec<f64>,
    /// Norm of the exact (noise-free) gradient at each point.
    pub grad_norms: Vec<f64>,
    /// The gradient each update actually used, noise included.
    pub grads: Vec<[f64; 2]>,
    /// The scheduled learning rate of each update.
    pub lrs: Vec<f64>,
    /// `(update k, note)` wherever the optimizer left its main rule (e.g. Newton's fallback).
    pub notes: Vec<(usize, &'static str)>,
    /// Optimizer state at each point; empty unless `record_state`.
    pub states: Vec<State>,
    /// Carried direction and effective learning rate at each point; empty unless
    /// `record_state`.
    pub carried: Vec<Carried>,
    pub status: Status,
}

impl Trajectory {
    /// The index of the last point (the number of updates kept).
    pub fn last_step(&self) -> usize {
        self.points.len() - 1
    }

    /// The point index shown at playhead `t` (the path stops growing where the run ended).
    pub fn index_at(&self, t: usize) -> usize {
        t.min(self.last_step())
    }

    /// The page's `data-status` at playhead `t`: "running" before the end, then the
    /// [`Status::label`].
    pub fn status_at(&self, t: usize) -> &'static str {
        if t < self.last_step() {
            "running"
        } else {
            self.status.label()
        }
    }
}

/// Value, gradient and (for second-order optimizers) the row-major Hessian at `p`.
fn evaluate(surface: &dyn Surface, p: [f64; 2], hessian: bool) -> (f64, [f64; 2], [f64; 4]) {
    if hessian {
        let (v, g, h) = surface.value_grad_hessian(p);
        (v, g, [h[0][0], h[0][1], h[1][0], h[1][1]])
    } else {
        let (v, g) = surface.value_grad(p);
        (v, g, [0.0; 4])
    }
}

fn norm(g: [f64; 2]) -> f64 {
    libm::hypot(g[0], g[1])
}

/// Why the point reached by an update is not acceptable, if it is not.
fn check_point(p: [f64; 2], centre: [f64; 2], limit: f64) -> Option<String> {
    for (i, name) in ["x", "y"].into_iter().enumerate() {
        if !p[i].is_finite() {
            return Some(format!("{name} became {}", p[i]));
        }
        if (p[i] - centre[i]).abs() > limit {
            return Some(format!(
                "{name} left the view by a factor of {ESCAPE_FACTOR} ({name} = {})",
                p[i]
            ));
        }
    }
    None
}

fn check_value(loss: f64, g: [f64; 2]) -> Option<String> {
    if !loss.is_finite() {
        Some(format!("loss became {loss}"))
    } else if !g[0].is_finite() || !g[1].is_finite() {
        Some(format!("gradient became ({}, {})", g[0], g[1]))
    } else {
        None
    }
}

/// Runs one optimizer on `surface`. Errors (unknown optimizer or hyperparameter, too many steps,
/// a bad start or setting) name what would have been valid.
pub fn run(surface: &dyn Surface, config: &RunConfig) -> Result<Trajectory, String> {
    if config.steps > MAX_STEPS {
        return Err(format!(
            "steps = {} is too many; valid: 0 ≤ steps ≤ {MAX_STEPS}",
            config.steps
        ));
    }
    let [x0, y0] = config.start;
    if !x0.is_finite() || !y0.is_finite() {
        return Err(format!(
            "start ({x0}, {y0}) is not finite; valid: two finite numbers"
        ));
    }
    let NoiseConfig { sigma, .. } = config.noise;
    if !sigma.is_finite() || sigma < 0.0 {
        return Err(format!("noise = {sigma} is invalid; valid: a finite σ ≥ 0"));
    }
    if let Some(tol) = config.converge_tol {
        if !tol.is_finite() || tol < 0.0 {
            return Err(format!(
                "converge_tol = {tol} is invalid; valid: a finite tolerance ≥ 0"
            ));
        }
    }
    let hyper = optim::hyper(&config.optimizer, &config.settings)?;
    let mut opt = (optim::kind(&config.optimizer)?.make)(&hyper, 2);
    // Optimizers without an `lr` take the schedule as a pure multiplier.
    let base_lr = hyper
        .iter()
        .find(|(k, _)| *k == "lr")
        .map_or(1.0, |(_, v)| v);
    let second_order = opt.needs_hessian();

    let [vx0, vx1, vy0, vy1] = surface.info().view;
    let centre = [(vx0 + vx1) / 2.0, (vy0 + vy1) / 2.0];
    let limit = ESCAPE_FACTOR * (vx1 - vx0).abs().max((vy1 - vy0).abs());

    let (mut loss, mut grad, mut hess) = evaluate(surface, config.start, second_order);
    if let Some(why) = check_value(loss, grad) {
        return Err(format!(
            "at the start ({x0}, {y0}) the {why}; valid starts have a finite loss and gradient"
        ));
    }

    let n = config.steps;
    let mut t = Trajectory {
        points: Vec::with_capacity(n + 1),
        losses: Vec::with_capacity(n + 1),
        grad_norms: Vec::with_capacity(n + 1),
        grads: Vec::with_capacity(n),
        lrs: Vec::with_capacity(n),
        notes: Vec::new(),
        states: Vec::new(),
        carried: Vec::new(),
        status: Status::Finished,
    };
    t.points.push(config.start);
    t.losses.push(loss);
    t.grad_norms.push(norm(grad));
    if config.record_state {
        t.states.reserve(n + 1);
        t.states.push(opt.state());
        t.carried.reserve(n + 1);
        t.carried.push(Carried::of(opt.as_ref()));
    }
    let converged = |g: [f64; 2]| config.converge_tol.is_some_and(|tol| norm(g) <= tol);
    if converged(grad) {
        t.status = Status::Converged { step: 0 };
        return Ok(t);
    }

    let mut noise = GaussianNoise::new(config.noise);
    let mut params = config.start;
    for k in 1..=n {
        let lr = config.schedule.lr(base_lr, k);
        let mut used = grad;
        noise.perturb(&mut used);
        // Huge noise can overflow a finite gradient; Lion, which reads only signs, would step
        // on and report the infinite gradient it used.
        if !(used[0].is_finite() && used[1].is_finite()) {
            let reason = format!("noisy gradient became ({}, {})", used[0], used[1]);
            t.status = Status::Diverged { step: k, reason };
            break;
        }
        let h = second_order.then_some(&hess[..]);
        let note = opt.step(&mut params, &used, lr, h);
        let bad = check_point(params, centre, limit).or_else(|| {
            (loss, grad, hess) = evaluate(surface, params, second_order);
            check_value(loss, grad)
        });
        if let Some(reason) = bad {
            t.status = Status::Diverged { step: k, reason };
            break;
        }
        if let Some(why) = note.fallback {
            t.notes.push((k, why));
        }
        t.points.push(params);
        t.losses.push(loss);
        t.grad_norms.push(norm(grad));
        t.grads.push(used);
        t.lrs.push(lr);
        if config.record_state {
            t.states.push(opt.state());
            t.carried.push(Carried::of(opt.as_ref()));
        }
        if converged(grad) {
            t.status = Status::Converged { step: k };
            break;
        }
    }
    Ok(t)
}

/// Runs every config on the same surface (the page's race): one result per config, in order.
pub fn run_all(surface: &dyn Surface, configs: &[RunConfig]) -> Vec<Result<Trajectory, String>> {
    configs.iter().map(|c| run(surface, c)).collect()
}

/// The longest trial run of [`suggest_lr`]: what a demo shows first is decided by then.
pub const SUGGEST_STEPS: usize = 500;

/// A learning rate that makes a good demo of `config` on `surface`: of the rates 1, 2, 5 × 10ᵏ
/// from 1e-5 to 10, the one whose run ends lowest while its whole path stays near the view (so
/// unbounded surfaces do not reward flying off). Ties go to the smaller rate. `None` when no
/// rate keeps the path in view or the optimizer has no `lr`. Trials take at most
/// [`SUGGEST_STEPS`] steps, so a 100,000-step scene is tuned as fast as a short one.
pub fn suggest_lr(surface: &dyn Surface, config: &RunConfig) -> Option<f64> {
    let kind = optim::kind(&config.optimizer).ok()?;
    kind.schema.iter().find(|h| h.key == "lr")?;
    let [x0, x1, y0, y1] = surface.info().view;
    let (mx, my) = ((x1 - x0) * 0.25, (y1 - y0) * 0.25);
    let near_view =
        |p: &[f64; 2]| p[0] >= x0 - mx && p[0] <= x1 + mx && p[1] >= y0 - my && p[1] <= y1 + my;
    let mut best: Option<(f64, f64)> = None;
    for exponent in -5..=1 {
        for mantissa in [1.0, 2.0, 5.0] {
            let lr = mantissa * libm::pow(10.0, f64::from(exponent));
            if lr > 10.0 {
                continue;
            }
            let mut trial = config.clone();
            trial.settings.retain(|(k, _)| k != "lr");
            trial.settings.push(("lr".into(), lr));
            trial.record_state = false;
            trial.steps = trial.steps.min(SUGGEST_STEPS);
            let Ok(t) = run(surface, &trial) else {
                continue;
            };
            if !matches!(t.status, Status::Diverged { .. }) && t.points.iter().all(near_view) {
                let end = t.losses[t.losses.len() - 1];
                if best.is_none_or(|(_, b)| end < b) {
                    best = Some((lr, end));
                }
            }
        }
    }
    best.map(|(lr, _)| lr)
}
