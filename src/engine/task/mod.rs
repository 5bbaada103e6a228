//! Learning tasks: a seeded (or user-given) dataset and a model whose loss is a [`Problem`],
//! so runs drive the same optimizers, schedules, gradient noise and mini-batches over it as over
//! a surface, and report divergence the same way.
//!
//! | id | model, parameters | loss | optimum |
//! |---|---|---|---|
//! | `linear` | ŷ = w·x + b: `w`, `b` | MSE | least squares, closed form |
//! | `polynomial` | ŷ = Σ wⱼ·Pⱼ(2x − 1), Legendre Pⱼ: `w0…wd` | MSE (+ L2 in the gradient) | normal equations |
//! | `logistic` | p = σ(w1·x1 + w2·x2 + b): `w1`, `w2`, `b` | binary cross-entropy | none |
//!
//! One seed drives everything random in a scene: the data ([`crate::engine::noise::DataRng`],
//! ChaCha stream 2, which also splits train from validation), the mini-batch shuffle (stream 1)
//! and the gradient noise (stream 0), so changing the batch never changes the data.
//!
//! Every run starts at all parameters 0 by default ([`LearningTask::start`]): on the linear
//! task that is the flat line y = 0, well away from the fit y ≈ 3x, so a demo shows the whole
//! descent. The page draws parameter space through a [`Plane`]: the (w, b) plane itself for the
//! linear fit, a plane of two coordinates through the optimum (polynomial) or a reference point
//! (logistic) otherwise, or the PCA plane of the paths ([`Plane::pca`]).

pub mod data;
mod least_squares;
pub mod linear;
pub mod logistic;
pub mod polynomial;
pub mod slice;

use super::noise::DataRng;
use super::param::{self, Entry, Kind, Param, Scale, Values};
use super::problem::Problem;
use super::run::Trajectory;
use super::scene::{DataDist, Dataset, Task, MAX_DATA_POINTS};
use data::{Data, DataPoint};
use serde::Serialize;

/// What builds a task: its kind, the parameter values given (`n`, `data_noise`, `degree`,
/// `l2`: keys of its schema), the data-generating choices, the seed, and a user's own data
/// (which replaces the generated points; `n` and `data_noise` are then unused).
#[derive(Clone, Debug, PartialEq)]
pub struct TaskSpec {
    pub task: Task,
    pub settings: Vec<(String, f64)>,
    /// Label noise of the regression tasks.
    pub data_dist: DataDist,
    /// Point clouds of the logistic task.
    pub dataset: Dataset,
    pub seed: u64,
    pub data: Option<Data>,
}

impl TaskSpec {
    /// A generated dataset with every parameter at its default.
    pub fn new(task: Task, seed: u64) -> Self {
        TaskSpec {
            task,
            settings: Vec::new(),
            data_dist: DataDist::Uniform,
            dataset: Dataset::Blobs,
            seed,
            data: None,
        }
    }
}

/// A catalogue constructor: validated parameters and the spec they came from.
pub type Make = fn(&Values, &TaskSpec) -> Result<Box<dyn LearningTask>, String>;

/// Every task, in listing order; ids equal [`Task::id`].
pub static CATALOG: &[Entry<Make>] = &[linear::ENTRY, polynomial::ENTRY, logistic::ENTRY];

/// The catalogue entry of `task`.
pub fn entry(task: Task) -> &'static Entry<Make> {
    match task {
        Task::Linear => &CATALOG[0],
        Task::Polynomial => &CATALOG[1],
        Task::Logistic => &CATALOG[2],
    }
}

/// The number of parameters of `task` (polynomial: at `degree`, `None` being the default).
pub fn dim(task: Task, degree: Option<usize>) -> usize {
    match task {
        Task::Linear => 2,
        Task::Logistic => 3,
        Task::Polynomial => degree.unwrap_or(polynomial::DEFAULT_DEGREE) + 1,
    }
}

/// Builds the task `spec` describes; an error names the parameter or data point at fault and
/// what would have been valid.
pub fn build(spec: &TaskSpec) -> Result<Box<dyn LearningTask>, String> {
    (entry(spec.task).make)(&values(spec)?, spec)
}

/// The task's parameters `spec` gives, defaults filled in; an error names an unknown key.
pub fn values(spec: &TaskSpec) -> Result<Values, String> {
    let e = entry(spec.task);
    Values::with(e.schema, &spec.settings, |key, _| {
        Err(format!(
            "task {} has no parameter '{key}'; valid: {}",
            e.id,
            param::key_list(e.schema)
        ))
    })
}

/// A learning task as the page and the CLI use it: a [`Problem`] plus its data, model and
/// framing.
pub trait LearningTask: Problem {
    /// The task as a plain problem, for [`crate::engine::run::run`] (one copy of the run loop
    /// serves every task).
    fn as_problem(&self) -> &dyn Problem;

    fn kind(&self) -> Task;

    /// The dataset, in data order: regression points with their split, or labelled points.
    fn points(&self) -> &[DataPoint];

    /// The model at parameters `p` evaluated at `at`: a regression's ŷ at x = `at[0]`
    /// (`at[1]` unused), or logistic regression's probability of class 1 at (x1, x2) = `at`.
    fn predict(&self, p: &[f64], at: [f64; 2]) -> f64;

    /// The name of the per-step extra metric (`val_loss`, `accuracy`), if the task has one.
    fn metric_name(&self) -> Option<&'static str> {
        None
    }

    /// The extra metric at `p`.
    fn metric(&self, p: &[f64]) -> Option<f64> {
        let _ = p;
        None
    }

    /// The minimiser of the objective the optimizers follow, where one exists.
    fn optimum(&self) -> Option<&[f64]>;

    /// Where runs start unless the scene says otherwise: every parameter 0.
    fn start(&self) -> Vec<f64> {
        vec![0.0; self.dim()]
    }

    /// The default drawing plane ([`Problem::project`] uses it).
    fn plane(&self) -> &Plane;

    /// The loss as the formula panel writes it, in the rule language of
    /// [`crate::engine::formula`]: lines ending in `loss`, one point's loss ℓᵢ, over the
    /// parameters by name (`wj` the vector w₀…w_d) and point i (`xi`, `yi`, or `x1i`, `x2i` and
    /// a label `yi`), then any `penalty` the optimizers add to the points' mean.
    /// tests/formula.rs checks it against [`Problem::value`] and the mini-batch loss.
    fn formula(&self) -> String;
}

/// The extra metric of every point of `t` (one entry per point), or `None` when the task has
/// no metric.
pub fn metrics(task: &dyn LearningTask, t: &Trajectory) -> Option<Vec<f64>> {
    task.metric_name()?;
    (0..=t.last_step())
        .map(|i| task.metric(t.params_at(i)))
        .collect()
}

/// How many epochs `step` updates amount to with mini-batches of `batch` from `samples` points
/// (`None`: full batch, one epoch per update): `step·batch/samples`.
pub fn epoch(step: usize, batch: Option<usize>, samples: usize) -> f64 {
    match batch {
        None => step as f64,
        Some(b) => (step * b) as f64 / samples.max(1) as f64,
    }
}

/// A plane in parameter space for drawing: the point `origin + a·u + b·v` is drawn at (a, b).
/// `u` and `v` are orthonormal, so [`Plane::project`] is the orthogonal projection onto it and
/// [`Plane::lift`] its inverse on the plane (the page's heat-map evaluates the loss there).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plane {
    pub origin: Vec<f64>,
    pub u: Vec<f64>,
    pub v: Vec<f64>,
    /// Axis labels: the two parameter names, or `PC1`, `PC2`.
    pub axes: [String; 2],
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Plane {
    /// The plane of coordinates `i` and `j` through `through`: it shows those two coordinates
    /// as they are, the others held at `through`'s values.
    pub fn coordinates(through: &[f64], i: usize, j: usize, names: &[String]) -> Plane {
        let unit = |k: usize| {
            (0..through.len())
                .map(|c| f64::from(u8::from(c == k)))
                .collect()
        };
        let mut origin = through.to_vec();
        origin[i] = 0.0;
        origin[j] = 0.0;
        Plane {
            origin,
            u: unit(i),
            v: unit(j),
            axes: [names[i].clone(), names[j].clone()],
        }
    }

    pub fn project(&self, p: &[f64]) -> [f64; 2] {
        let d: Vec<f64> = p.iter().zip(&self.origin).map(|(a, o)| a - o).collect();
        [dot(&d, &self.u), dot(&d, &self.v)]
    }

    /// The drawn direction of a vector (the projection is linear, so the same everywhere).
    pub fn project_tangent(&self, v: &[f64]) -> [f64; 2] {
        [dot(v, &self.u), dot(v, &self.v)]
    }

    /// The parameter vector drawn at `q`.
    pub fn lift(&self, q: [f64; 2]) -> Vec<f64> {
        let mut p = vec![0.0; self.origin.len()];
        self.lift_into(q, &mut p);
        p
    }

    /// [`Plane::lift`] into `out` (as long as the origin): no allocation per heat-map cell.
    pub fn lift_into(&self, q: [f64; 2], out: &mut [f64]) {
        for (p, (o, (u, v))) in out
            .iter_mut()
            .zip(self.origin.iter().zip(self.u.iter().zip(&self.v)))
        {
            *p = o + q[0] * u + q[1] * v;
        }
    }

    /// The plane through `origin` spanned by the two leading principal directions of the
    /// points' offsets from it (Li et al. 2018, "Visualizing the Loss Landscape of Neural
    /// Nets", §7: origin = a path's final point): the plane in which the paths move most.
    /// `points` is flat, `origin.len()` numbers per point (e.g. several trajectories'
    /// `params`). `None` when the offsets do not span two directions.
    pub fn pca<'a>(origin: &[f64], points: impl IntoIterator<Item = &'a [f64]>) -> Option<Plane> {
        let n = origin.len();
        if n < 2 {
            return None;
        }
        let mut cov = vec![0.0; n * n];
        for p in points {
            let d: Vec<f64> = p.iter().zip(origin).map(|(a, o)| a - o).collect();
            for i in 0..n {
                for j in 0..n {
                    cov[i * n + j] += d[i] * d[j];
                }
            }
        }
        let (values, vectors) = symmetric_eigen(cov, n);
        let mut order: Vec<usize> = (0..n).collect();
        crate::engine::field::sort_indices(&mut order, &|a, b| values[b].total_cmp(&values[a]));
        let (first, second) = (order[0], order[1]);
        if values[second].is_nan() || values[second] <= 1e-12 * values[first] {
            return None;
        }
        let column = |k: usize| (0..n).map(|r| vectors[r * n + k]).collect();
        Some(Plane {
            origin: origin.to_vec(),
            u: column(first),
            v: column(second),
            axes: ["PC1".into(), "PC2".into()],
        })
    }
}

/// The plane of the page's `plane=pca`: through the optimum (or, without one, the centre of
/// the task's box, which is its reference point) and spanned by the two leading principal
/// directions of every point of `paths` ([`Plane::pca`]). `None` when the paths do not span
/// two directions (e.g. one straight path).
pub fn pca_plane(task: &dyn LearningTask, paths: &[&Trajectory]) -> Option<Plane> {
    let origin = task.optimum().map_or_else(
        || {
            task.bounds()
                .iter()
                .map(|[lo, hi]| (lo + hi) / 2.0)
                .collect()
        },
        <[f64]>::to_vec,
    );
    let n = origin.len();
    Plane::pca(
        &origin,
        paths
            .iter()
            .filter(|t| t.dim == n)
            .flat_map(|t| t.params.chunks_exact(n)),
    )
}

/// The region of a plane that shows `points` (the paths drawn on it) and the plane's origin,
/// with a margin of a third of the larger span on every side: the PCA plane's directions mix
/// every coordinate, so the task's own box would leave the paths a speck in the middle.
pub fn view_around(points: impl IntoIterator<Item = [f64; 2]>) -> [f64; 4] {
    let mut v = [0.0_f64; 4];
    for [x, y] in points
        .into_iter()
        .filter(|p| p.iter().all(|c| c.is_finite()))
    {
        v = [v[0].min(x), v[1].max(x), v[2].min(y), v[3].max(y)];
    }
    let m = ((v[1] - v[0]).max(v[3] - v[2]) / 3.0).max(1e-6);
    [v[0] - m, v[1] + m, v[2] - m, v[3] + m]
}

impl Plane {
    /// `t` as drawn on this plane: its points and gradients projected onto it. The carried
    /// direction and effective rates were projected by the run onto the task's own plane and
    /// cannot be redrawn from it, so they are dropped (no momentum arrow, no per-axis rate).
    pub fn redraw(&self, t: &Trajectory) -> Trajectory {
        let grads = t
            .gradients
            .chunks_exact(t.dim)
            .map(|g| self.project_tangent(g))
            .collect();
        Trajectory {
            points: t
                .params
                .chunks_exact(t.dim)
                .map(|p| self.project(p))
                .collect(),
            grads,
            carried: Vec::new(),
            ..t.clone()
        }
    }
}

/// Eigenvalues and eigenvectors (columns, row-major) of a symmetric n × n matrix by cyclic
/// Jacobi rotations: robust and short for the ≤ 13 × 13 matrices here (the PCA plane here, the
/// curvature of a diverged run in [`crate::engine::diverge`]).
pub(crate) fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v: Vec<f64> = (0..n * n)
        .map(|k| f64::from(u8::from(k / n == k % n)))
        .collect();
    for _sweep in 0..60 {
        let off: f64 = (0..n * n)
            .filter(|k| k / n != k % n)
            .map(|k| a[k] * a[k])
            .sum();
        let diag: f64 = (0..n).map(|i| a[i * n + i] * a[i * n + i]).sum();
        if off <= 1e-30 * diag.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + f64::sqrt(theta * theta + 1.0));
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / f64::sqrt(t * t + 1.0);
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// A box around `centre` wide enough to show the descent from the all-zero start: half-width
/// 4, or more when a coordinate of `centre` is further than 3 from 0.
fn bounds_around(centre: &[f64]) -> Vec<[f64; 2]> {
    let h = centre.iter().fold(4.0_f64, |h, c| h.max(c.abs() + 1.0));
    centre.iter().map(|c| [c - h, c + h]).collect()
}

/// `n` ("points"), shared by every task; each sets its own default.
const N: Param = Param {
    key: "n",
    label: "data points",
    default: 100.0,
    min: 2.0,
    max: MAX_DATA_POINTS as f64,
    slider: (2.0, 1000.0),
    kind: Kind::Whole(Scale::Log),
    help: "how many points are generated (ignored with your own data)",
};

/// `data_noise`, shared by every task; each sets its own default and says what it scales.
const DATA_NOISE: Param = Param {
    key: "data_noise",
    label: "data noise",
    default: 0.5,
    min: 0.0,
    max: 100.0,
    slider: (0.0, 3.0),
    kind: Kind::Number(Scale::Linear),
    help: "amplitude of the noise on y: uniform on ±a, or Gaussian with σ = a (data_dist)",
};

/// The label noise of regression targets, drawn after each x.
fn label_noise(rng: &mut DataRng, dist: DataDist, amplitude: f64) -> f64 {
    match dist {
        DataDist::Uniform => amplitude * (2.0 * rng.uniform() - 1.0),
        DataDist::Gaussian => amplitude * rng.normal(),
    }
}

/// The `(x, y)` points of a regression task: the user's, or `n` generated ones with
/// x ~ U(0, 1) and y = `target(x)` + label noise.
fn regression_points(
    values: &Values,
    spec: &TaskSpec,
    rng: &mut DataRng,
    target: fn(f64) -> f64,
) -> Result<Vec<[f64; 2]>, String> {
    match &spec.data {
        Some(Data::Xy(points)) => Ok(points.clone()),
        Some(Data::Labeled(_)) => Err(format!(
            "task {} takes x,y data, not x1,x2,label; valid: one x,y pair per point",
            spec.task.id()
        )),
        None => {
            let n = values.get("n") as usize;
            let a = values.get("data_noise");
            Ok((0..n)
                .map(|_| {
                    let x = rng.uniform();
                    [x, target(x) + label_noise(rng, spec.data_dist, a)]
                })
                .collect())
        }
    }
}
