//! Logistic regression of two classes in the plane: p = σ(w1·x1 + w2·x2 + b), loss the mean
//! binary cross-entropy (PyTorch's `nn.BCEWithLogitsLoss()`), per-step accuracy.
//!
//! Data (`dataset`): `blobs`, two Gaussian clouds of σ = `data_noise` around (−1, −1) (class 0)
//! and (1, 1) (class 1); or `moons`, scikit-learn's two interleaved half circles plus Gaussian
//! noise of σ = `data_noise`. Classes alternate, so they are balanced.
//!
//! The loss per point is softplus(−s·z) with s = ±1 for the label, computed as
//! max(u, 0) + log1p(exp(−|u|)), finite for any logit. On separable data there is no minimiser:
//! ‖w‖ grows without bound while the loss tends to 0, and the runs stay finite. The drawing
//! plane and the view are centred on a reference point instead: the minimiser of the loss plus
//! a tiny ridge (10⁻³·‖θ‖²/2), which always exists.

use super::data::{Data, DataPoint, Group};
use super::least_squares::solve;
use super::{bounds_around, LearningTask, Make, Plane, TaskSpec, DATA_NOISE, N};
use crate::engine::noise::DataRng;
use crate::engine::param::{Entry, Param, Values};
use crate::engine::problem::Problem;
use crate::engine::scene::{Dataset, Task};

pub(super) const ENTRY: Entry<Make> = Entry {
    id: "logistic",
    name: "Logistic regression",
    pytorch: "nn.Linear(2, 1), nn.BCEWithLogitsLoss()",
    rule: "p = σ(w1·x1 + w2·x2 + b); loss = mean −[y ln p + (1 − y) ln(1 − p)]",
    schema: SCHEMA,
    make,
};

const SCHEMA: &[Param] = &[
    N,
    Param {
        default: 0.3,
        help: "σ of the Gaussian noise on each point's position",
        ..DATA_NOISE
    },
];

/// The ridge that makes the reference point exist on separable data.
const REFERENCE_RIDGE: f64 = 1e-3;

pub struct Logistic {
    /// `(x1, x2)` per point, and whether it is class 1.
    x: Vec<[f64; 2]>,
    label: Vec<bool>,
    points: Vec<DataPoint>,
    bounds: Vec<[f64; 2]>,
    plane: Plane,
}

fn make(values: &Values, spec: &TaskSpec) -> Result<Box<dyn LearningTask>, String> {
    let labeled = match &spec.data {
        Some(Data::Labeled(points)) => points.clone(),
        Some(Data::Xy(_)) => {
            return Err(
                "task logistic takes x1,x2,label data, not x,y; valid: x1,x2,label per point with label 0 or 1".into(),
            )
        }
        None => generate(
            values.get("n") as usize,
            values.get("data_noise"),
            spec.dataset,
            spec.seed,
        ),
    };
    Ok(Box::new(Logistic::new(&labeled)))
}

fn generate(n: usize, sigma: f64, dataset: Dataset, seed: u64) -> Vec<([f64; 2], bool)> {
    let mut rng = DataRng::new(seed);
    (0..n)
        .map(|i| {
            let one = i % 2 == 1;
            let [cx, cy] = match dataset {
                Dataset::Blobs if one => [1.0, 1.0],
                Dataset::Blobs => [-1.0, -1.0],
                Dataset::Moons => {
                    let t = std::f64::consts::PI * rng.uniform();
                    let (s, c) = libm::sincos(t);
                    if one {
                        [1.0 - c, 0.5 - s]
                    } else {
                        [c, s]
                    }
                }
            };
            let dx = sigma * rng.normal();
            let dy = sigma * rng.normal();
            ([cx + dx, cy + dy], one)
        })
        .collect()
}

/// σ(z) without overflow.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + libm::exp(-z))
    } else {
        let e = libm::exp(z);
        e / (1.0 + e)
    }
}

impl Logistic {
    pub fn new(labeled: &[([f64; 2], bool)]) -> Self {
        let mut task = Logistic {
            x: labeled.iter().map(|p| p.0).collect(),
            label: labeled.iter().map(|p| p.1).collect(),
            points: labeled
                .iter()
                .map(|&([x, y], l)| DataPoint {
                    x,
                    y,
                    group: if l { Group::Class1 } else { Group::Class0 },
                })
                .collect(),
            bounds: Vec::new(),
            plane: Plane::coordinates(&[0.0; 3], 0, 1, &names()),
        };
        let reference = task.reference();
        task.bounds = bounds_around(&reference);
        task.plane = Plane::coordinates(&reference, 0, 1, &names());
        task
    }

    /// Mean loss, gradient and (when asked) Hessian over `indices` (all points when `None`).
    fn evaluate(
        &self,
        p: &[f64],
        indices: Option<&[usize]>,
        grad: &mut [f64],
        mut hessian: Option<&mut [f64]>,
    ) -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        if let Some(h) = hessian.as_deref_mut() {
            h.iter_mut().for_each(|v| *v = 0.0);
        }
        let mut loss = 0.0;
        let mut visit = |i: usize| {
            let [x1, x2] = self.x[i];
            let phi = [x1, x2, 1.0];
            let z = p[0] * x1 + p[1] * x2 + p[2];
            let y = f64::from(u8::from(self.label[i]));
            // softplus(±z) = max(±z, 0) + ln(1 + e^−|z|) and σ(z), without overflow, from one
            // exp(−|z|): the same bits as computing each alone, a third less work (the
            // exponential dominates a step).
            let e = libm::exp(-z.abs());
            let u = if self.label[i] { -z } else { z };
            loss += u.max(0.0) + libm::log1p(e);
            let s = if z >= 0.0 {
                1.0 / (1.0 + e)
            } else {
                e / (1.0 + e)
            };
            for (g, f) in grad.iter_mut().zip(phi) {
                *g += (s - y) * f;
            }
            if let Some(h) = hessian.as_deref_mut() {
                let w = s * (1.0 - s);
                for r in 0..3 {
                    for c in 0..3 {
                        h[r * 3 + c] += w * phi[r] * phi[c];
                    }
                }
            }
        };
        let count = match indices {
            Some(idx) => {
                idx.iter().for_each(|&i| visit(i));
                idx.len()
            }
            None => {
                (0..self.x.len()).for_each(&mut visit);
                self.x.len()
            }
        };
        let k = count.max(1) as f64;
        grad.iter_mut().for_each(|g| *g /= k);
        if let Some(h) = hessian {
            h.iter_mut().for_each(|v| *v /= k);
        }
        loss / k
    }

    /// The minimiser of the loss + [`REFERENCE_RIDGE`]·‖θ‖²/2 by Newton's method from 0
    /// (strictly convex, so it converges); 0 if the solve fails on degenerate data.
    fn reference(&self) -> Vec<f64> {
        let mut p = vec![0.0; 3];
        let (mut g, mut h) = ([0.0; 3], [0.0; 9]);
        for _ in 0..100 {
            self.evaluate(&p, None, &mut g, Some(&mut h));
            for i in 0..3 {
                g[i] += REFERENCE_RIDGE * p[i];
                h[i * 3 + i] += REFERENCE_RIDGE;
            }
            let Some(step) = solve(h.to_vec(), g.to_vec()) else {
                return vec![0.0; 3];
            };
            p.iter_mut().zip(&step).for_each(|(v, s)| *v -= s);
            if step.iter().map(|s| s.abs()).fold(0.0, f64::max) < 1e-12 {
                break;
            }
        }
        if p.iter().all(|v| v.is_finite()) {
            p
        } else {
            vec![0.0; 3]
        }
    }
}

fn names() -> Vec<String> {
    vec!["w1".into(), "w2".into(), "b".into()]
}

impl Problem for Logistic {
    fn dim(&self) -> usize {
        3
    }
    fn param_names(&self) -> Vec<String> {
        names()
    }
    fn value(&self, p: &[f64]) -> f64 {
        self.evaluate(p, None, &mut [0.0; 3], None)
    }
    fn value_grad(&self, p: &[f64], grad: &mut [f64]) -> f64 {
        self.evaluate(p, None, grad, None)
    }
    fn value_grad_hessian(&self, p: &[f64], grad: &mut [f64], hessian: &mut [f64]) -> f64 {
        self.evaluate(p, None, grad, Some(hessian))
    }
    fn sample_count(&self) -> Option<usize> {
        Some(self.x.len())
    }
    fn batch_value_grad(&self, p: &[f64], indices: &[usize], grad: &mut [f64]) -> f64 {
        self.evaluate(p, Some(indices), grad, None)
    }
    fn bounds(&self) -> Vec<[f64; 2]> {
        self.bounds.clone()
    }
    fn project(&self, p: &[f64]) -> [f64; 2] {
        self.plane.project(p)
    }
    fn project_tangent(&self, _p: &[f64], v: &[f64]) -> [f64; 2] {
        self.plane.project_tangent(v)
    }
}

impl LearningTask for Logistic {
    fn as_problem(&self) -> &dyn Problem {
        self
    }
    fn kind(&self) -> Task {
        Task::Logistic
    }
    fn points(&self) -> &[DataPoint] {
        &self.points
    }
    fn predict(&self, p: &[f64], at: [f64; 2]) -> f64 {
        sigmoid(p[0] * at[0] + p[1] * at[1] + p[2])
    }
    fn metric_name(&self) -> Option<&'static str> {
        Some("accuracy")
    }
    /// The share of points on the right side of the boundary (p ≥ ½ predicts class 1).
    fn metric(&self, p: &[f64]) -> Option<f64> {
        let right = self
            .x
            .iter()
            .zip(&self.label)
            .filter(|([x1, x2], &l)| (p[0] * x1 + p[1] * x2 + p[2] >= 0.0) == l)
            .count();
        Some(right as f64 / self.x.len().max(1) as f64)
    }
    fn optimum(&self) -> Option<&[f64]> {
        None
    }
    fn plane(&self) -> &Plane {
        &self.plane
    }
    fn formula(&self) -> String {
        "p = sigma(w1*x1i + w2*x2i + b); loss = -(yi*ln(p) + (1 - yi)*ln(1 - p))".into()
    }
}
