//! Hyperparameter sweeps: which settings of one optimizer work on a problem, mapped over two of
//! its hyperparameters (or the schedule's parameters), and searched by grid, random search,
//! successive halving or Hyperband ([`plan`]).
//!
//! Every evaluation is one ordinary run ([`summarise`], the loop of [`super::run::run`] without
//! recording the path) of the scene's problem, start, steps, schedule, noise and batch with the
//! two values set, so a cell equals the `trace` (or `fit`) run with those values to the last
//! digit. A search is a queue of evaluations rung by rung: native
//! callers take it whole ([`Search::run_parallel`], over threads), the page a slice per frame
//! ([`Search::run_while`]); both visit the same evaluations in the same order.

pub mod plan;

use super::noise::DataRng;
use super::optim;
use super::param::{Kind, Param, Scale};
use super::problem::Problem;
use super::run::{summarise, RunConfig, Status};
use super::schedule::{self, Schedule};
use plan::Bracket;

/// Most values one axis may take, and most evaluations one search may plan.
pub const MAX_AXIS: usize = 256;
pub const MAX_EVALUATIONS: usize = 65_536;

/// One axis of the box searched: a hyperparameter (or schedule parameter) `key` from `lo` to
/// `hi`, spaced linearly or logarithmically, `count` values on a grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    pub scale: Scale,
    pub count: usize,
}

impl Axis {
    /// Parses `KEY=LO:HI[:lin|log][:N]` (`lr=1e-4:1:log:16`); the scale defaults to linear and
    /// the count to `default_count`.
    pub fn parse(text: &str, default_count: usize) -> Result<Axis, String> {
        let bad = |why: &str| {
            format!("axis '{text}' {why}; valid: KEY=LO:HI[:lin|log][:N], e.g. lr=1e-4:1:log:16")
        };
        let (key, range) = text.split_once('=').ok_or_else(|| bad("has no '='"))?;
        let parts: Vec<&str> = range.split(':').map(str::trim).collect();
        let num = |s: &str| super::call::parse_value(s).ok_or_else(|| bad("has a bad number"));
        let (lo, hi) = match parts[..] {
            [lo, hi, ..] => (num(lo)?, num(hi)?),
            _ => return Err(bad("needs LO:HI")),
        };
        let mut scale = Scale::Linear;
        let mut count = default_count;
        for part in &parts[2..] {
            match *part {
                "lin" | "linear" => scale = Scale::Linear,
                "log" => scale = Scale::Log,
                n => {
                    count = n
                        .parse()
                        .map_err(|_| bad("has a count that is not a whole number"))?
                }
            }
        }
        if parts.len() > 4 {
            return Err(bad("has too many parts"));
        }
        Ok(Axis {
            key: key.trim().to_string(),
            lo,
            hi,
            scale,
            count,
        })
    }

    /// The value at fraction `u` of the axis (0 = `lo`, 1 = `hi`), log-spaced on a log axis.
    /// libm's `exp` and `log`, so the page and the CLI compute the same values.
    pub fn at(&self, u: f64) -> f64 {
        match self.scale {
            Scale::Linear => self.lo + (self.hi - self.lo) * u,
            Scale::Log => {
                let (a, b) = (libm::log(self.lo), libm::log(self.hi));
                libm::exp(a + (b - a) * u)
            }
        }
    }

    /// Where `v` lies on the axis as a fraction (the inverse of [`Axis::at`]), for drawing.
    pub fn fraction(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Linear if self.hi != self.lo => (v - self.lo) / (self.hi - self.lo),
            Scale::Log if self.hi != self.lo && v > 0.0 => {
                let (a, b) = (libm::log(self.lo), libm::log(self.hi));
                (libm::log(v) - a) / (b - a)
            }
            _ => 0.5,
        }
    }

    /// Grid value `i` of `count`: the ends are `lo` and `hi` exactly.
    pub fn value(&self, i: usize) -> f64 {
        match (i, self.count) {
            (0, _) => self.lo,
            (i, n) if i + 1 >= n => self.hi,
            (i, n) => self.at(i as f64 / (n - 1) as f64),
        }
    }
}

/// What an axis sets.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Target {
    Hyper,
    Schedule,
}

/// One evaluation's result: the last recorded loss, whether the run diverged, the updates it
/// kept, and the first step whose loss fell below the threshold (if one was given and reached).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub final_loss: f64,
    pub diverged: bool,
    pub steps_run: usize,
    pub first_below: Option<usize>,
}

impl Outcome {
    /// `finished` or `diverged`, as `data-status` and the CLI write it.
    pub fn status(&self) -> &'static str {
        if self.diverged {
            "diverged"
        } else {
            "finished"
        }
    }

    /// What searches rank by: the final loss, a diverged run last.
    pub fn rank(&self) -> f64 {
        if self.diverged {
            f64::INFINITY
        } else {
            self.final_loss
        }
    }
}

/// The box searched and the run each point stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The scene's run: optimizer, settings, start, steps, schedule, noise, batch.
    pub base: RunConfig,
    pub x: Axis,
    pub y: Axis,
    pub threshold: Option<f64>,
    targets: [(Target, Param); 2],
}

/// The parameter `key` names for this run: the optimizer's hyperparameter, else the schedule's
/// (its own or the warm-up every schedule takes); the error lists both.
fn target(base: &RunConfig, key: &str) -> Result<(Target, Param), String> {
    let kind = optim::kind(&base.optimizer)?;
    if let Some(p) = kind.schema.iter().find(|p| p.key == key) {
        return Ok((Target::Hyper, *p));
    }
    let sched = base.schedule.kind();
    if let Some(p) = sched
        .schema
        .iter()
        .chain([&schedule::WARMUP])
        .find(|p| p.key == key)
    {
        return Ok((Target::Schedule, *p));
    }
    let keys: Vec<&str> = kind
        .schema
        .iter()
        .chain(sched.schema)
        .chain([&schedule::WARMUP])
        .filter(|p| p.kind != Kind::Bool)
        .map(|p| p.key)
        .collect();
    Err(format!(
        "unknown sweep axis '{key}' for {} with schedule {}; valid: {}",
        kind.id,
        sched.id,
        keys.join(", ")
    ))
}

impl Sweep {
    /// Checks both axes against the optimizer's schema (or the schedule's) and their ranges;
    /// errors name what would have been valid.
    pub fn new(base: RunConfig, x: Axis, y: Axis, threshold: Option<f64>) -> Result<Sweep, String> {
        if x.key == y.key {
            return Err(format!(
                "both axes are '{}'; valid: two different parameters",
                x.key
            ));
        }
        let mut targets = Vec::with_capacity(2);
        for axis in [&x, &y] {
            let (t, p) = target(&base, &axis.key)?;
            if p.kind == Kind::Bool {
                return Err(format!(
                    "'{}' is a toggle; valid: a numeric parameter",
                    p.key
                ));
            }
            if axis.count == 0 || axis.count > MAX_AXIS {
                return Err(format!(
                    "axis {} has {} values; valid: 1…{MAX_AXIS}",
                    axis.key, axis.count
                ));
            }
            if axis.scale == Scale::Log && (axis.lo <= 0.0 || axis.hi <= 0.0) {
                return Err(format!(
                    "log axis {} = {}:{} needs positive ends; valid: 0 < LO, HI (or lin)",
                    axis.key, axis.lo, axis.hi
                ));
            }
            p.check(axis.lo)?;
            p.check(axis.hi)?;
            targets.push((t, p));
        }
        if x.count * y.count > MAX_EVALUATIONS {
            return Err(format!(
                "{} × {} cells is too many; valid: at most {MAX_EVALUATIONS}",
                x.count, y.count
            ));
        }
        // Recorded states never change a loss; a sweep has no arrows to draw.
        let mut base = base;
        base.record_state = false;
        if let Some(t) = threshold {
            if !t.is_finite() {
                return Err(format!("threshold = {t} is invalid; valid: a finite loss"));
            }
        }
        Ok(Sweep {
            base,
            x,
            y,
            threshold,
            targets: [targets[0], targets[1]],
        })
    }

    /// The value of grid cell `i` (row-major: `i = iy · x.count + ix`).
    pub fn cell(&self, i: usize) -> [f64; 2] {
        [
            self.x.value(i % self.x.count),
            self.y.value(i / self.x.count),
        ]
    }

    /// The values a run at `at` uses: whole-number parameters rounded.
    pub fn used(&self, at: [f64; 2]) -> [f64; 2] {
        let mut v = at;
        for ((_, p), v) in self.targets.iter().zip(&mut v) {
            if let Kind::Whole(_) = p.kind {
                *v = v.round();
            }
        }
        v
    }

    /// The run at `at` = (x value, y value) for `steps` updates: the base run with both set
    /// ([`Sweep::used`]).
    pub fn config(&self, at: [f64; 2], steps: usize) -> Result<RunConfig, String> {
        let mut c = self.base.clone();
        c.steps = steps;
        for ((target, p), v) in self.targets.iter().zip(self.used(at)) {
            match target {
                Target::Hyper => {
                    c.settings.retain(|(k, _)| k != p.key);
                    c.settings.push((p.key.to_string(), v));
                }
                Target::Schedule => {
                    let mut call = c.schedule.to_call();
                    call.args.retain(|(k, _)| k != p.key && k != "warmup_steps");
                    call.args.push((p.key.to_string(), v));
                    c.schedule = Schedule::from_call(&call)?;
                }
            }
        }
        Ok(c)
    }

    /// One evaluation: the run at `at` for `steps` updates, summarised.
    pub fn evaluate<P: Problem + ?Sized>(
        &self,
        problem: &P,
        at: [f64; 2],
        steps: usize,
    ) -> Result<Outcome, String> {
        let s = summarise(problem, &self.config(at, steps)?, self.threshold)?;
        Ok(Outcome {
            final_loss: s.final_loss,
            diverged: matches!(s.status, Status::Diverged { .. }),
            steps_run: s.last_step,
            first_below: s.first_below,
        })
    }
}

/// How the box is searched.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// Every cell of the `x.count × y.count` grid, for the base run's steps.
    Grid,
    /// `samples` points drawn uniformly (log-uniformly on a log axis), for the base run's steps.
    Random { samples: usize },
    /// Hyperband's bracket s_max alone, with maximum budget `max_steps` and factor `eta`.
    Halving { max_steps: usize, eta: f64 },
    /// Every bracket of Hyperband (Li et al. 2018, Algorithm 1).
    Hyperband { max_steps: usize, eta: f64 },
}

impl Method {
    /// The method's word (CLI `--method`, the page's select).
    pub fn id(&self) -> &'static str {
        match self {
            Method::Grid => "grid",
            Method::Random { .. } => "random",
            Method::Halving { .. } => "halving",
            Method::Hyperband { .. } => "hyperband",
        }
    }
}

/// The method words, in listing order.
pub const METHODS: &[&str] = &["grid", "random", "halving", "hyperband"];

/// One evaluation of a search: which bracket (s; 0 for grid and random), rung (from 0) and
/// configuration (numbered from 0 in the order drawn: a grid's cells row-major), at which
/// point, for how many steps, its outcome, and whether it advanced to the next rung.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    pub bracket: usize,
    pub rung: usize,
    pub config: usize,
    pub at: [f64; 2],
    pub steps: usize,
    pub outcome: Outcome,
    pub advanced: bool,
}

/// A search under way: its plan, the configurations drawn, the evaluations done and the
/// current rung's queue.
#[derive(Clone, Debug)]
pub struct Search {
    pub sweep: Sweep,
    pub method: Method,
    brackets: Vec<Bracket>,
    /// Every configuration, in the order drawn; bracket `b` owns `first[b]..first[b] + n`.
    configs: Vec<[f64; 2]>,
    first: Vec<usize>,
    evaluations: Vec<Evaluation>,
    /// Position: bracket, rung, and the configurations of that rung still to run, in order.
    bracket: usize,
    rung: usize,
    rung_configs: Vec<usize>,
    rung_start: usize,
    total: usize,
}

impl Search {
    /// Plans the search; `seed` draws the random configurations (its own stream of the scene's
    /// seed, [`DataRng::search`]).
    pub fn new(sweep: Sweep, method: Method, seed: u64) -> Result<Search, String> {
        let steps = sweep.base.steps;
        let one = |n: usize| Bracket {
            s: 0,
            n,
            rungs: vec![plan::Rung {
                configs: n,
                steps,
                keep: 0,
            }],
        };
        let brackets = match method {
            Method::Grid => vec![one(sweep.x.count * sweep.y.count)],
            Method::Random { samples } => {
                if samples == 0 || samples > MAX_EVALUATIONS {
                    return Err(format!(
                        "samples = {samples} is invalid; valid: 1…{MAX_EVALUATIONS}"
                    ));
                }
                vec![one(samples)]
            }
            Method::Halving { max_steps, eta } => {
                plan::check(max_steps, eta)?;
                plan::halving(max_steps, eta)
            }
            Method::Hyperband { max_steps, eta } => {
                plan::check(max_steps, eta)?;
                plan::hyperband(max_steps, eta)
            }
        };
        let total: usize = brackets
            .iter()
            .flat_map(|b| &b.rungs)
            .map(|r| r.configs)
            .sum();
        if total > MAX_EVALUATIONS {
            return Err(format!(
                "the search plans {total} evaluations; valid: at most {MAX_EVALUATIONS}"
            ));
        }
        let mut configs = Vec::new();
        let mut first = Vec::with_capacity(brackets.len());
        let mut rng = DataRng::search(seed);
        for b in &brackets {
            first.push(configs.len());
            for i in 0..b.n {
                configs.push(match method {
                    Method::Grid => sweep.cell(i),
                    _ => {
                        let u = rng.uniform();
                        let v = rng.uniform();
                        [sweep.x.at(u), sweep.y.at(v)]
                    }
                });
            }
        }
        let rung_configs = (0..brackets[0].n).collect();
        Ok(Search {
            sweep,
            method,
            brackets,
            configs,
            first,
            evaluations: Vec::with_capacity(total),
            bracket: 0,
            rung: 0,
            rung_configs,
            rung_start: 0,
            total,
        })
    }

    /// The plan, bracket by bracket.
    pub fn brackets(&self) -> &[Bracket] {
        &self.brackets
    }

    pub fn evaluations(&self) -> &[Evaluation] {
        &self.evaluations
    }

    /// Evaluations planned in all (known up front: the rung sizes do not depend on losses).
    pub fn total(&self) -> usize {
        self.total
    }

    pub fn done(&self) -> bool {
        self.evaluations.len() >= self.total
    }

    /// Steps of budget the whole search allots, and the most one evaluation takes: what a
    /// caller weighs before starting it (the page refuses searches it cannot finish quickly).
    /// The total is a `u64`: on the page's 32-bit `usize`, 65,536 runs of 10⁵ steps overflow.
    pub fn planned(&self) -> (u64, usize) {
        let rungs = || self.brackets.iter().flat_map(|b| &b.rungs);
        (
            rungs().map(|r| r.configs as u64 * r.steps as u64).sum(),
            rungs().map(|r| r.steps).max().unwrap_or(0),
        )
    }

    /// Steps of budget spent so far (each evaluation's allotted steps).
    pub fn spent(&self) -> usize {
        self.evaluations.iter().map(|e| e.steps).sum()
    }

    /// The best evaluation so far: the lowest final loss (diverged runs last), the earliest
    /// on a tie.
    pub fn best(&self) -> Option<&Evaluation> {
        self.evaluations.iter().reduce(|best, e| {
            if e.outcome.rank() < best.outcome.rank() {
                e
            } else {
                best
            }
        })
    }

    /// The next evaluation to run: (configuration, steps).
    fn next_job(&self) -> Option<(usize, usize)> {
        if self.done() {
            return None;
        }
        let done = self.evaluations.len() - self.rung_start;
        let config = *self.rung_configs.get(done)?;
        let steps = self.brackets[self.bracket].rungs[self.rung].steps;
        Some((self.first[self.bracket] + config, steps))
    }

    /// Records the outcome of the next job and, when that completes a rung, promotes its best
    /// ⌊n_i/η⌋ (lowest final loss, then lowest configuration number) or opens the next bracket.
    fn record(&mut self, config: usize, steps: usize, outcome: Outcome) {
        let b = &self.brackets[self.bracket];
        self.evaluations.push(Evaluation {
            bracket: b.s,
            rung: self.rung,
            config,
            at: self.configs[config],
            steps,
            outcome,
            advanced: false,
        });
        if self.evaluations.len() - self.rung_start < self.rung_configs.len() {
            return;
        }
        let keep = b.rungs[self.rung].keep;
        if self.rung + 1 < b.rungs.len() {
            let first = self.first[self.bracket];
            let rung = &mut self.evaluations[self.rung_start..];
            let mut order: Vec<usize> = (0..rung.len()).collect();
            // The engine's one sort (unstable, so ties go by configuration number).
            super::field::sort_indices(&mut order, &|i, j| {
                rung[i]
                    .outcome
                    .rank()
                    .total_cmp(&rung[j].outcome.rank())
                    .then(rung[i].config.cmp(&rung[j].config))
            });
            order.truncate(keep);
            for &i in &order {
                rung[i].advanced = true;
            }
            self.rung_configs = order.iter().map(|&i| rung[i].config - first).collect();
            self.rung += 1;
        } else if self.bracket + 1 < self.brackets.len() {
            self.bracket += 1;
            self.rung = 0;
            self.rung_configs = (0..self.brackets[self.bracket].n).collect();
        } else {
            self.rung_configs.clear();
        }
        self.rung_start = self.evaluations.len();
    }

    /// Runs evaluations one at a time while `more()` says so, at least one per call (so a
    /// caller's time slice always makes progress); `Ok(true)` once the search is complete.
    pub fn run_while<P: Problem + ?Sized>(
        &mut self,
        problem: &P,
        mut more: impl FnMut() -> bool,
    ) -> Result<bool, String> {
        while let Some((config, steps)) = self.next_job() {
            let outcome = self.sweep.evaluate(problem, self.configs[config], steps)?;
            self.record(config, steps, outcome);
            if !more() {
                break;
            }
        }
        Ok(self.done())
    }

    /// Runs the whole search on `threads` threads (each rung's evaluations are independent;
    /// the results are recorded in the same order as [`Search::run_while`] records them).
    /// Native only in practice: the page has no threads and steps through [`Search::run_while`].
    pub fn run_parallel<P: Problem + ?Sized>(
        &mut self,
        problem: &P,
        threads: usize,
    ) -> Result<(), String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        while !self.done() {
            let done = self.evaluations.len() - self.rung_start;
            let steps = self.brackets[self.bracket].rungs[self.rung].steps;
            let first = self.first[self.bracket];
            let jobs: Vec<usize> = self.rung_configs[done..]
                .iter()
                .map(|c| first + c)
                .collect();
            let next = AtomicUsize::new(0);
            let mut results: Vec<Option<Result<Outcome, String>>> = vec![None; jobs.len()];
            let chunks: Vec<Vec<(usize, Result<Outcome, String>)>> = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads.max(1))
                    .map(|_| {
                        scope.spawn(|| {
                            let mut out = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(&config) = jobs.get(i) else {
                                    return out;
                                };
                                let at = self.configs[config];
                                out.push((i, self.sweep.evaluate(problem, at, steps)));
                            }
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().unwrap_or_default())
                    .collect()
            });
            for (i, r) in chunks.into_iter().flatten() {
                results[i] = Some(r);
            }
            for (config, r) in jobs.into_iter().zip(results) {
                let outcome = r.ok_or("a sweep worker stopped")??;
                self.record(config, steps, outcome);
            }
        }
        Ok(())
    }
}

/// Polyak's optimal heavy-ball parameters for a quadratic whose Hessian has extreme eigenvalues
/// `l1` ≤ `ln`: α* = (2/(√λ₁ + √λₙ))², β* = ((√κ − 1)/(√κ + 1))² with κ = λₙ/λ₁.
///
/// PyTorch's momentum is the same method with α = lr and β = momentum: its buffer
/// v ← μv + g and step x ← x − lr·v give x_{k+1} − x_k = −lr·v_{k+1} = μ(x_k − x_{k−1}) − lr·g_k,
/// which is Polyak's x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}) (lr multiplies the whole
/// buffer, so no factor (1 − β) appears; the first buffer is the first gradient, as Polyak's
/// x_{−1} = x_0). The quadratic surface ½(x′² + κy′²) has eigenvalues 1 and κ at any rotation.
pub fn polyak_optimum(l1: f64, ln: f64) -> [f64; 2] {
    let (a, b) = (f64::sqrt(l1), f64::sqrt(ln));
    let k = f64::sqrt(ln / l1);
    let alpha = 2.0 / (a + b);
    let beta = (k - 1.0) / (k + 1.0);
    [alpha * alpha, beta * beta]
}

/// Polyak's (α*, β*) for momentum on `surface`, where the theory gives one: the quadratic,
/// whose Hessian eigenvalues are 1 and κ.
pub fn heavy_ball_target(surface: &super::surface::SurfaceSpec) -> Option<[f64; 2]> {
    if surface.id != "quadratic" {
        return None;
    }
    let default = super::surface::kind("quadratic")
        .ok()?
        .schema
        .iter()
        .find(|p| p.key == "kappa")?
        .default;
    let kappa = surface
        .params
        .iter()
        .rev()
        .find(|(k, _)| k == "kappa")
        .map_or(default, |(_, v)| *v);
    Some(polyak_optimum(kappa.min(1.0), kappa.max(1.0)))
}

/// Where each final loss falls on the sweep's log colour scale, 0 (lowest) to 1 (highest), NaN
/// for `None` (not yet run) or a diverged run. Losses at or below zero (surfaces with negative
/// minima) are shifted above it first; the scale runs from the smallest loss above zero to the
/// largest, so a map that converges to 1e-40 in places still shows how fast each cell got
/// there, and an exact zero is simply the bottom.
pub fn log_shades(losses: &[Option<f64>]) -> Vec<f64> {
    let finite = || losses.iter().flatten().copied().filter(|v| v.is_finite());
    let lo = finite().fold(f64::INFINITY, f64::min);
    let hi = finite().fold(f64::NEG_INFINITY, f64::max);
    if lo > hi {
        return vec![f64::NAN; losses.len()];
    }
    let shift = if lo > 0.0 {
        0.0
    } else {
        (hi - lo) * 1e-12 - lo
    };
    let top = libm::log(hi + shift);
    let bottom = finite()
        .map(|v| v + shift)
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let bottom = libm::log(bottom);
    losses
        .iter()
        .map(|v| match v {
            Some(v) if v.is_finite() && top > bottom => {
                let s = v + shift;
                if s > 0.0 {
                    ((libm::log(s) - bottom) / (top - bottom)).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            }
            Some(v) if v.is_finite() => 0.0,
            _ => f64::NAN,
        })
        .collect()
}
