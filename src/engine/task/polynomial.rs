//! Polynomial regression of degree d (1…12) on y = sin(2πx) + noise, with a seeded
//! train/validation split: the over-fitting lesson.
//!
//! Features are Legendre polynomials P0…Pd of t = 2x − 1, so `wj` multiplies Pj(t): for
//! x ~ U(0, 1) they are orthogonal with E[Pj²] = 1/(2j + 1), which keeps degree 12 within a
//! condition number of about 25, trainable by first-order methods (raw powers xʲ would be
//! hopeless). The optimizers follow MSE + l2·Σ_{j≥1} wj²: the constant term w0 is not
//! penalised (shrinking it would only bias the mean); the reported loss and `val_loss` are the
//! plain MSE on the training and validation points.

use super::data::{DataPoint, Group};
use super::least_squares::{LeastSquares, Moments};
use super::{bounds_around, regression_points, LearningTask, Make, Plane, TaskSpec, DATA_NOISE, N};
use crate::engine::noise::DataRng;
use crate::engine::param::{Entry, Kind, Param, Scale, Values};
use crate::engine::problem::Problem;
use crate::engine::scene::Task;

pub(super) const ENTRY: Entry<Make> = Entry {
    id: "polynomial",
    name: "Polynomial regression",
    pytorch: "nn.Linear(d + 1, 1) on Legendre features, nn.MSELoss() + l2·‖w[1:]‖²",
    rule: "ŷ = Σ wj·Pj(2x − 1); loss = mean (ŷ − y)² on train; data y = sin 2πx + noise",
    schema: SCHEMA,
    make,
};

/// The highest degree offered: 13 weights.
pub const MAX_DEGREE: usize = 12;
/// The degree of a fresh scene: a cubic already follows the sine closely.
pub const DEFAULT_DEGREE: usize = 3;

const SCHEMA: &[Param] = &[
    Param { default: 30.0, ..N },
    Param {
        default: 0.2,
        ..DATA_NOISE
    },
    Param {
        key: "degree",
        label: "degree",
        default: DEFAULT_DEGREE as f64,
        min: 1.0,
        max: MAX_DEGREE as f64,
        slider: (1.0, MAX_DEGREE as f64),
        kind: Kind::Whole(Scale::Linear),
        help: "degree d of the polynomial: d + 1 weights w0…wd",
    },
    Param {
        key: "l2",
        label: "L2 strength",
        default: 0.0,
        min: 0.0,
        max: 1000.0,
        slider: (0.0, 0.1),
        kind: Kind::Number(Scale::Linear),
        help:
            "penalty l2·Σ wj² (j ≥ 1) added to what the optimizers minimise, not to the loss shown",
    },
];

pub struct Polynomial {
    degree: usize,
    l2: f64,
    fit: LeastSquares,
    val: Moments,
    points: Vec<DataPoint>,
    optimum: Option<Vec<f64>>,
    bounds: Vec<[f64; 2]>,
    plane: Plane,
    names: Vec<String>,
}

/// P0(t)…Pd(t) by Bonnet's recurrence (k + 1)P_{k+1} = (2k + 1)t·P_k − k·P_{k−1}.
pub fn legendre(t: f64, degree: usize) -> Vec<f64> {
    let mut p = Vec::with_capacity(degree + 1);
    p.push(1.0);
    if degree >= 1 {
        p.push(t);
    }
    for k in 1..degree {
        let kf = k as f64;
        p.push(((2.0 * kf + 1.0) * t * p[k] - kf * p[k - 1]) / (kf + 1.0));
    }
    p
}

fn make(values: &Values, spec: &TaskSpec) -> Result<Box<dyn LearningTask>, String> {
    let mut rng = DataRng::new(spec.seed);
    let xy = regression_points(values, spec, &mut rng, |x| {
        libm::sin(2.0 * std::f64::consts::PI * x)
    })?;
    if xy.len() < 2 {
        return Err(format!(
            "polynomial needs at least 2 points (one to train on, one to validate); got {}",
            xy.len()
        ));
    }
    // The split is drawn after the data, from the same stream.
    let mut order: Vec<usize> = (0..xy.len()).collect();
    rng.shuffle(&mut order);
    let mut val = vec![false; xy.len()];
    for &i in &order[..(xy.len() / 3).max(1)] {
        val[i] = true;
    }
    Ok(Box::new(Polynomial::new(
        &xy,
        &val,
        values.get("degree") as usize,
        values.get("l2"),
    )))
}

impl Polynomial {
    /// The degree-`degree` fit of the points of `xy` not marked in `val`, validated on those
    /// that are.
    pub fn new(xy: &[[f64; 2]], val: &[bool], degree: usize, l2: f64) -> Self {
        let m = degree + 1;
        let (mut train_f, mut train_y, mut val_f, mut val_y) = (vec![], vec![], vec![], vec![]);
        for (&[x, y], &v) in xy.iter().zip(val) {
            let (f, t) = if v {
                (&mut val_f, &mut val_y)
            } else {
                (&mut train_f, &mut train_y)
            };
            f.extend(legendre(2.0 * x - 1.0, degree));
            t.push(y);
        }
        let mut penalty = vec![l2; m];
        penalty[0] = 0.0;
        let val_moments = Moments::of(&val_f, &val_y, m);
        let fit = LeastSquares::new(train_f, train_y, penalty);
        let optimum = fit.optimum();
        let names: Vec<String> = (0..m).map(|j| format!("w{j}")).collect();
        let centre = optimum.clone().unwrap_or_else(|| vec![0.0; m]);
        Polynomial {
            degree,
            l2,
            bounds: bounds_around(&centre),
            plane: Plane::coordinates(&centre, 0, 1, &names),
            optimum,
            fit,
            val: val_moments,
            points: xy
                .iter()
                .zip(val)
                .map(|(&[x, y], &v)| DataPoint {
                    x,
                    y,
                    group: if v { Group::Val } else { Group::Train },
                })
                .collect(),
            names,
        }
    }
}

impl Problem for Polynomial {
    fn dim(&self) -> usize {
        self.degree + 1
    }
    fn param_names(&self) -> Vec<String> {
        self.names.clone()
    }
    fn value(&self, p: &[f64]) -> f64 {
        self.fit.value(p)
    }
    fn value_grad(&self, p: &[f64], grad: &mut [f64]) -> f64 {
        self.fit.value_grad(p, grad)
    }
    fn value_grad_hessian(&self, p: &[f64], grad: &mut [f64], hessian: &mut [f64]) -> f64 {
        self.fit.hessian(hessian);
        self.fit.value_grad(p, grad)
    }
    fn reported_loss(&self, p: &[f64], _value: f64) -> f64 {
        self.fit.data_loss(p)
    }
    fn sample_count(&self) -> Option<usize> {
        Some(self.fit.samples())
    }
    fn batch_value_grad(&self, p: &[f64], indices: &[usize], grad: &mut [f64]) -> f64 {
        self.fit.batch_value_grad(p, indices, grad)
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

impl LearningTask for Polynomial {
    fn as_problem(&self) -> &dyn Problem {
        self
    }
    fn kind(&self) -> Task {
        Task::Polynomial
    }
    fn points(&self) -> &[DataPoint] {
        &self.points
    }
    fn predict(&self, p: &[f64], at: [f64; 2]) -> f64 {
        let features = legendre(2.0 * at[0] - 1.0, self.degree);
        features.iter().zip(p).map(|(f, w)| f * w).sum()
    }
    fn metric_name(&self) -> Option<&'static str> {
        Some("val_loss")
    }
    fn metric(&self, p: &[f64]) -> Option<f64> {
        Some(self.val.mse(p, None))
    }
    fn optimum(&self) -> Option<&[f64]> {
        self.optimum.as_deref()
    }
    fn plane(&self) -> &Plane {
        &self.plane
    }
    fn formula(&self) -> String {
        let d = self.degree;
        let mut text = format!("yhat = sumj(wj*P(2*xi - 1), 0, {d}); loss = (yhat - yi)^2");
        if self.l2 != 0.0 {
            text += &format!("; penalty = {:e}*sumj(wj^2, 1, {d})", self.l2);
        }
        text
    }
}
