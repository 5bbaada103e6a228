//! A run: one optimizer stepping on one [`Problem`] (a 2-D surface, a learning task), recorded
//! as a [`Trajectory`].
//!
//! The problem is passed by reference rather than owned by [`RunConfig`], so the page builds it
//! once and races any number of optimizers on it ([`run_all`]). Trajectories are computed to
//! `steps` at once; the page's playhead only chooses how much of one to show. A trajectory
//! keeps the whole parameter vector of every point and, for drawing, its 2-D projection; on a
//! surface the projection is the identity and the run is bit-for-bit what the 2-D engine
//! computed (tests/fingerprint.rs).

use super::noise::{GaussianNoise, MiniBatch, MiniBatches, NoiseConfig};
use super::optim;
use super::problem::Problem;
use super::schedule::Schedule;

/// The most steps one run may take: enough for any demo, small enough to stay interactive.
pub const MAX_STEPS: usize = 100_000;

/// How far from the view (a problem's [`Problem::bounds`]) a run may wander, in spans of its
/// longest side, before it counts as diverged: far enough that no sane path is cut short, near
/// enough to stop before overflow.
pub const ESCAPE_FACTOR: f64 = 1000.0;

/// Everything that decides one trajectory on a given problem.
#[derive(Clone, Debug, PartialEq)]
pub struct RunConfig {
    /// An id from [`optim::CATALOG`].
    pub optimizer: String,
    /// Hyperparameters that differ from the schema's defaults.
    pub settings: Vec<(String, f64)>,
    /// The starting parameter vector, one entry per [`Problem::dim`] (`[x, y]` on a surface).
    pub start: Vec<f64>,
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
    /// Use a stochastic gradient over seeded mini-batches instead of the exact one; `None`
    /// (the default) is full-batch. Only problems with data ([`Problem::sample_count`]) accept
    /// it. Losses, gradient norms and convergence are still judged on the full data, and a
    /// second-order optimizer still gets the full-data Hessian.
    pub minibatch: Option<MiniBatch>,
}

impl RunConfig {
    /// Defaults for everything but what every run must say: constant schedule, no noise, no
    /// early stop, no state recording, full batch. `start` takes `[x, y]` as readily as a
    /// `Vec`, so 2-D callers stay short.
    pub fn new(optimizer: &str, start: impl Into<Vec<f64>>, steps: usize) -> Self {
        RunConfig {
            optimizer: optimizer.to_string(),
            settings: Vec::new(),
            start: start.into(),
            steps,
            schedule: Schedule::default(),
            noise: NoiseConfig::default(),
            converge_tol: None,
            record_state: false,
            minibatch: None,
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
/// carries (velocity or first moment) and its per-coordinate effective learning rate, both as
/// drawn ([`Problem::project_tangent`]; the full vectors are in [`Trajectory::states`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Carried {
    pub direction: Option<[f64; 2]>,
    pub effective_lr: Option<[f64; 2]>,
}

impl Carried {
    fn of<P: Problem + ?Sized>(opt: &dyn optim::Optimizer, problem: &P, at: &[f64]) -> Self {
        let n = at.len();
        let drawn = |v: &[f64]| (v.len() == n).then(|| problem.project_tangent(at, v));
        Carried {
            direction: opt.carried_direction().and_then(drawn),
            effective_lr: opt.effective_lr().as_deref().and_then(drawn),
        }
    }
}

/// The recorded path. Per point (index 0 being the start): `params` (`dim` entries each),
/// `points` (their 2-D projection, what the page draws), `losses`, `grad_norms`, and `states`
/// / `carried` when recorded. Per update: `gradients` (`dim` entries each), `grads` (their
/// drawn projection) and `lrs`, entry `k − 1` being what update `k` used (taken at point
/// `k − 1`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Trajectory {
    /// The number of parameters ([`Problem::dim`]).
    pub dim: usize,
    /// Every point's whole parameter vector, flat: point `i` is `params[i·dim..(i+1)·dim]`
    /// ([`Trajectory::params_at`]).
    pub params: Vec<f64>,
    /// Each point as drawn ([`Problem::project`]; on a surface, the point itself).
    pub points: Vec<[f64; 2]>,
    /// [`Problem::reported_loss`] at each point (a learning task's data loss, without its
    /// penalty).
    pub losses: Vec<f64>,
    /// Norm of the exact (noise-free, full-batch) gradient at each point.
    pub grad_norms: Vec<f64>,
    /// The whole gradient each update actually used (noise and mini-batch included), flat like
    /// `params` ([`Trajectory::gradient_at`]).
    pub gradients: Vec<f64>,
    /// Those gradients as drawn ([`Problem::project_tangent`] at the point they were taken):
    /// the page's gradient arrow.
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
    /// The whole parameter vector of point `i` (`i ≤ last_step()`).
    pub fn params_at(&self, i: usize) -> &[f64] {
        &self.params[i * self.dim..(i + 1) * self.dim]
    }

    /// The whole gradient used by update `k + 1`, taken at point `k` (`k < last_step()`).
    pub fn gradient_at(&self, k: usize) -> &[f64] {
        &self.gradients[k * self.dim..(k + 1) * self.dim]
    }

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

/// The value at `p`, with the gradient written into `grad` and, for second-order optimizers,
/// the row-major Hessian into `hess`. Buffers are the run's own, so a step allocates nothing.
fn evaluate<P: Problem + ?Sized>(
    problem: &P,
    p: &[f64],
    second_order: bool,
    grad: &mut [f64],
    hess: &mut [f64],
) -> f64 {
    if second_order {
        problem.value_grad_hessian(p, grad, hess)
    } else {
        problem.value_grad(p, grad)
    }
}

/// The Euclidean norm, overflow-safe. Two coordinates take one `hypot` exactly as the 2-D
/// engine did (bit-for-bit parity with the reference trajectories). Others scale by the largest
/// magnitude and take one square root: a fold of `hypot` costs one software square root per
/// coordinate and step on wasm32 (libm's own, inside `hypot`), a third of a polynomial fit's run.
fn norm(g: &[f64]) -> f64 {
    if let [a, b] = *g {
        return libm::hypot(a, b);
    }
    let scale = g.iter().fold(0.0, |m: f64, &x| {
        if m.is_nan() || x.is_nan() {
            f64::NAN
        } else {
            m.max(x.abs())
        }
    });
    // 0, ∞ (an overflowed gradient) and NaN are the norm themselves.
    if scale == 0.0 || !scale.is_finite() {
        return scale;
    }
    let squares: f64 = g.iter().map(|&x| (x / scale) * (x / scale)).sum();
    scale * squares.sqrt()
}

/// `(a, b, …)` in shortest round-trip text, for messages.
fn tuple(v: &[f64]) -> String {
    let parts: Vec<String> = v.iter().map(f64::to_string).collect();
    format!("({})", parts.join(", "))
}

/// How many numbers a start needs, in words for the common case.
fn count_words(n: usize) -> String {
    match n {
        1 => "one finite number".into(),
        2 => "two finite numbers".into(),
        3 => "three finite numbers".into(),
        n => format!("{n} finite numbers"),
    }
}

/// Why the point reached by an update is not acceptable, if it is not: a coordinate that is
/// not finite or that is more than `limit` from the view's centre, checked in order.
fn check_point(p: &[f64], names: &[String], centre: &[f64], limit: f64) -> Option<String> {
    for ((&v, name), &c) in p.iter().zip(names).zip(centre) {
        if !v.is_finite() {
            return Some(format!("{name} became {v}"));
        }
        if (v - c).abs() > limit {
            return Some(format!(
                "{name} left the view by a factor of {ESCAPE_FACTOR} ({name} = {v})"
            ));
        }
    }
    None
}

fn check_value(loss: f64, g: &[f64]) -> Option<String> {
    if !loss.is_finite() {
        Some(format!("loss became {loss}"))
    } else if !g.iter().all(|v| v.is_finite()) {
        Some(format!("gradient became {}", tuple(g)))
    } else {
        None
    }
}

/// Runs one optimizer on `problem`: a surface (`run(&*surface, &config)`), a learning task,
/// or any `&dyn Problem`. Errors (unknown optimizer or hyperparameter, too many steps, a bad
/// start, setting or batch) name what would have been valid.
///
/// Generic rather than over `&dyn Problem` so that on a surface (`P = dyn Surface`) the
/// per-step calls resolve statically to the surface's own methods: one virtual call per step,
/// as before runs took N-dimensional problems, and the identity projection inlined away. Each
/// problem type the page uses gets its own copy (`dyn Surface`, `dyn Problem`).
pub fn run<P: Problem + ?Sized>(problem: &P, config: &RunConfig) -> Result<Trajectory, String> {
    let mut full = Full {
        t: None,
        drawn: [0.0; 2],
        record_state: config.record_state,
    };
    let status = drive(problem, config, &mut full)?;
    let mut t = full.t.ok_or("a run recorded no start")?;
    t.status = status;
    Ok(t)
}

/// A run without its path: what a sweep's cell shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The last point's [`Problem::reported_loss`] (the trajectory's last `losses` entry).
    pub final_loss: f64,
    /// The index of the last point ([`Trajectory::last_step`]).
    pub last_step: usize,
    /// The first point whose reported loss is below the threshold asked for.
    pub first_below: Option<usize>,
    pub status: Status,
}

/// [`run`] keeping only its [`Summary`]: the same loop, so the same numbers to the last digit,
/// without recording (and projecting, and taking the norm of) every point, which is most of
/// a cheap surface's cost per step.
pub fn summarise<P: Problem + ?Sized>(
    problem: &P,
    config: &RunConfig,
    threshold: Option<f64>,
) -> Result<Summary, String> {
    let mut s = Tally {
        threshold,
        points: 0,
        final_loss: f64::NAN,
        first_below: None,
    };
    let status = drive(problem, config, &mut s)?;
    Ok(Summary {
        final_loss: s.final_loss,
        last_step: s.points.saturating_sub(1),
        first_below: s.first_below,
        status,
    })
}

/// What a run keeps of the points and updates [`drive`] visits. Called through `dyn`, so the
/// page's wasm holds one copy of the loop for both kinds (a virtual call per step is nothing
/// next to the problem's own).
trait Record<P: ?Sized> {
    /// The run is valid and will take at most `n` updates in `dim` parameters.
    fn begin(&mut self, dim: usize, n: usize);
    /// Before update `k` moves the point `at`, with the gradient it uses.
    fn before(&mut self, problem: &P, at: &[f64], used: &[f64]);
    /// A point kept (the start, `update = None`, or the one `update` reached), with its loss
    /// and exact gradient.
    fn point(
        &mut self,
        problem: &P,
        opt: &dyn optim::Optimizer,
        params: &[f64],
        loss: f64,
        grad: &[f64],
        update: Option<Update>,
    );
}

/// Update `k`: the gradient it used, its rate, and the optimizer's note if it left its rule.
struct Update<'a> {
    k: usize,
    used: &'a [f64],
    lr: f64,
    fallback: Option<&'static str>,
}

/// The whole [`Trajectory`].
struct Full {
    t: Option<Trajectory>,
    /// The gradient of the update under way, drawn where it was taken.
    drawn: [f64; 2],
    record_state: bool,
}

impl<P: Problem + ?Sized> Record<P> for Full {
    fn begin(&mut self, dim: usize, n: usize) {
        let mut t = Trajectory {
            dim,
            params: Vec::with_capacity((n + 1) * dim),
            points: Vec::with_capacity(n + 1),
            losses: Vec::with_capacity(n + 1),
            grad_norms: Vec::with_capacity(n + 1),
            gradients: Vec::with_capacity(n * dim),
            grads: Vec::with_capacity(n),
            lrs: Vec::with_capacity(n),
            notes: Vec::new(),
            states: Vec::new(),
            carried: Vec::new(),
            status: Status::Finished,
        };
        if self.record_state {
            t.states.reserve(n + 1);
            t.carried.reserve(n + 1);
        }
        self.t = Some(t);
    }

    fn before(&mut self, problem: &P, at: &[f64], used: &[f64]) {
        self.drawn = problem.project_tangent(at, used);
    }

    fn point(
        &mut self,
        problem: &P,
        opt: &dyn optim::Optimizer,
        params: &[f64],
        loss: f64,
        grad: &[f64],
        update: Option<Update>,
    ) {
        let Some(t) = self.t.as_mut() else {
            return;
        };
        t.params.extend_from_slice(params);
        t.points.push(problem.project(params));
        t.losses.push(problem.reported_loss(params, loss));
        t.grad_norms.push(norm(grad));
        if let Some(u) = update {
            if let Some(why) = u.fallback {
                t.notes.push((u.k, why));
            }
            t.gradients.extend_from_slice(u.used);
            t.grads.push(self.drawn);
            t.lrs.push(u.lr);
        }
        if self.record_state {
            t.states.push(opt.state());
            t.carried.push(Carried::of(opt, problem, params));
        }
    }
}

/// A [`Summary`] in the making.
struct Tally {
    threshold: Option<f64>,
    points: usize,
    final_loss: f64,
    first_below: Option<usize>,
}

impl<P: Problem + ?Sized> Record<P> for Tally {
    fn begin(&mut self, _: usize, _: usize) {}

    fn before(&mut self, _: &P, _: &[f64], _: &[f64]) {}

    fn point(
        &mut self,
        problem: &P,
        _: &dyn optim::Optimizer,
        params: &[f64],
        loss: f64,
        _: &[f64],
        _: Option<Update>,
    ) {
        let l = problem.reported_loss(params, loss);
        if self.first_below.is_none() && self.threshold.is_some_and(|th| l < th) {
            self.first_below = Some(self.points);
        }
        self.final_loss = l;
        self.points += 1;
    }
}

/// The run itself, for [`run`] and [`summarise`]: checks the config, then steps, handing every
/// kept point and update to `rec`; returns how it ended.
fn drive<P: Problem + ?Sized>(
    problem: &P,
    config: &RunConfig,
    rec: &mut dyn Record<P>,
) -> Result<Status, String> {
    if config.steps > MAX_STEPS {
        return Err(format!(
            "steps = {} is too many; valid: 0 ≤ steps ≤ {MAX_STEPS}",
            config.steps
        ));
    }
    let dim = problem.dim();
    let names = problem.param_names();
    if config.start.len() != dim {
        return Err(format!(
            "start {} has {} coordinates; valid: {} ({})",
            tuple(&config.start),
            config.start.len(),
            count_words(dim),
            names.join(", ")
        ));
    }
    if !config.start.iter().all(|v| v.is_finite()) {
        return Err(format!(
            "start {} is not finite; valid: {}",
            tuple(&config.start),
            count_words(dim)
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
    let mut batches = match config.minibatch {
        None => None,
        Some(mb) => {
            let Some(samples) = problem.sample_count() else {
                return Err(format!(
                    "batch = {} needs data to sample, and this problem has none; valid: batch = full",
                    mb.size
                ));
            };
            Some(MiniBatches::new(samples, mb)?)
        }
    };
    let mut opt = (optim::kind(&config.optimizer)?.make)(&hyper, dim);
    // Optimizers without an `lr` take the schedule as a pure multiplier.
    let base_lr = hyper
        .iter()
        .find(|(k, _)| *k == "lr")
        .map_or(1.0, |(_, v)| v);
    let second_order = opt.needs_hessian();

    let bounds = problem.bounds();
    if bounds.len() != dim || names.len() != dim {
        return Err(format!(
            "the problem declares {dim} parameters but {} bounds and {} names",
            bounds.len(),
            names.len()
        ));
    }
    let centre: Vec<f64> = bounds.iter().map(|[lo, hi]| (lo + hi) / 2.0).collect();
    let limit = ESCAPE_FACTOR
        * bounds
            .iter()
            .map(|[lo, hi]| (hi - lo).abs())
            .fold(0.0, f64::max);

    // The run's only buffers: the point, the exact gradient there, the gradient an update
    // uses, and the Hessian when asked.
    let mut params = config.start.clone();
    let mut grad = vec![0.0; dim];
    let mut used = vec![0.0; dim];
    let mut hess = vec![0.0; if second_order { dim * dim } else { 0 }];
    let mut loss = evaluate(problem, &params, second_order, &mut grad, &mut hess);
    if let Some(why) = check_value(loss, &grad) {
        return Err(format!(
            "at the start {} the {why}; valid starts have a finite loss and gradient",
            tuple(&params)
        ));
    }

    let n = config.steps;
    rec.begin(dim, n);
    rec.point(problem, opt.as_ref(), &params, loss, &grad, None);
    let converged = |g: &[f64]| config.converge_tol.is_some_and(|tol| norm(g) <= tol);
    if converged(&grad) {
        return Ok(Status::Converged { step: 0 });
    }

    let mut noise = GaussianNoise::new(config.noise);
    for k in 1..=n {
        let lr = config.schedule.lr(base_lr, k);
        match batches.as_mut() {
            Some(b) => {
                problem.batch_value_grad(&params, b.next_batch(), &mut used);
            }
            None => used.copy_from_slice(&grad),
        }
        noise.perturb(&mut used);
        // Huge noise can overflow a finite gradient; Lion, which reads only signs, would step
        // on and report the infinite gradient it used.
        if !used.iter().all(|v| v.is_finite()) {
            let what = if sigma > 0.0 { "noisy" } else { "mini-batch" };
            let reason = format!("{what} gradient became {}", tuple(&used));
            return Ok(Status::Diverged { step: k, reason });
        }
        // Drawn where it was taken, before the update moves the point.
        rec.before(problem, &params, &used);
        let h = second_order.then_some(&hess[..]);
        let note = opt.step(&mut params, &used, lr, h);
        let bad = check_point(&params, &names, &centre, limit).or_else(|| {
            loss = evaluate(problem, &params, second_order, &mut grad, &mut hess);
            check_value(loss, &grad)
        });
        if let Some(reason) = bad {
            return Ok(Status::Diverged { step: k, reason });
        }
        let update = Update {
            k,
            used: &used,
            lr,
            fallback: note.fallback,
        };
        rec.point(problem, opt.as_ref(), &params, loss, &grad, Some(update));
        if converged(&grad) {
            return Ok(Status::Converged { step: k });
        }
    }
    Ok(Status::Finished)
}

/// Runs every config on the same problem (the page's race): one result per config, in order.
pub fn run_all<P: Problem + ?Sized>(
    problem: &P,
    configs: &[RunConfig],
) -> Vec<Result<Trajectory, String>> {
    configs.iter().map(|c| run(problem, c)).collect()
}

/// The longest trial run of [`suggest_lr`]: what a demo shows first is decided by then.
pub const SUGGEST_STEPS: usize = 500;

/// A learning rate that makes a good demo of `config` on `problem`: of the rates 1, 2, 5 × 10ᵏ
/// from 1e-5 to 10, the one whose run ends lowest while its whole path stays near the view
/// ([`Problem::bounds`] widened by a quarter of each side, every coordinate), so unbounded
/// surfaces do not reward flying off. Ties go to the smaller rate. `None` when no rate keeps
/// the path in view or the optimizer has no `lr`. Trials take at most [`SUGGEST_STEPS`] steps,
/// so a 100,000-step scene is tuned as fast as a short one.
pub fn suggest_lr<P: Problem + ?Sized>(problem: &P, config: &RunConfig) -> Option<f64> {
    let kind = optim::kind(&config.optimizer).ok()?;
    kind.schema.iter().find(|h| h.key == "lr")?;
    let near: Vec<[f64; 2]> = problem
        .bounds()
        .iter()
        .map(|&[lo, hi]| {
            let m = (hi - lo) * 0.25;
            [lo - m, hi + m]
        })
        .collect();
    let near_view = |p: &[f64]| p.iter().zip(&near).all(|(v, [lo, hi])| v >= lo && v <= hi);
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
            let Ok(t) = run(problem, &trial) else {
                continue;
            };
            let in_view = t.params.chunks(t.dim.max(1)).all(near_view);
            if !matches!(t.status, Status::Diverged { .. }) && in_view {
                let end = t.losses[t.losses.len() - 1];
                if best.is_none_or(|(_, b)| end < b) {
                    best = Some((lr, end));
                }
            }
        }
    }
    best.map(|(lr, _)| lr)
}

#[cfg(test)]
mod tests {
    use super::norm;

    /// The scaled norm agrees with a fold of `hypot` (the definition it replaced) to a few ulps,
    /// and keeps its special values.
    #[test]
    fn norm_matches_a_fold_of_hypot() {
        let fold = |g: &[f64]| g.iter().fold(0.0, |acc: f64, &x| libm::hypot(acc, x));
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        for dim in [1, 3, 4, 7, 13] {
            for exponent in [-300, -20, 0, 20, 300] {
                let g: Vec<f64> = (0..dim).map(|_| next() * 10f64.powi(exponent)).collect();
                let (got, want) = (norm(&g), fold(&g));
                assert!(
                    (got - want).abs() <= 4.0 * f64::EPSILON * want,
                    "{g:?}: {got} vs {want}"
                );
            }
        }
        assert_eq!(norm(&[-3.0]), 3.0);
        assert_eq!(norm(&[0.0, 0.0, 0.0]), 0.0);
        assert_eq!(norm(&[1.0, f64::INFINITY, 2.0]), f64::INFINITY);
        assert!(norm(&[1.0, f64::NAN, f64::INFINITY]).is_nan());
        assert_eq!(norm(&[1e308, 1e308, 1e308]), fold(&[1e308, 1e308, 1e308]));
    }
}
