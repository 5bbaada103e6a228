//! Linear regression on y = 3x + noise, as in the seed articles: ŷ = w·x + b, loss the mean
//! squared error (1/n)·Σ(ŷᵢ − yᵢ)², without a ½, like PyTorch's `nn.MSELoss()`, so an exported
//! script reports the same numbers. x ~ U(0, 1); the noise is `data_noise`·U(−1, 1) (centred,
//! unlike the article's `np.random.rand`, whose mean 0.5 would move the intercept) or
//! `data_noise`·N(0, 1). The least-squares optimum is closed form.

use super::data::{DataPoint, Group};
use super::least_squares::LeastSquares;
use super::{bounds_around, regression_points, LearningTask, Make, Plane, TaskSpec, DATA_NOISE, N};
use crate::engine::noise::DataRng;
use crate::engine::param::{Entry, Param, Values};
use crate::engine::problem::Problem;
use crate::engine::scene::Task;

pub(super) const ENTRY: Entry<Make> = Entry {
    id: "linear",
    name: "Linear regression",
    pytorch: "nn.Linear(1, 1), nn.MSELoss()",
    rule: "ŷ = w·x + b; loss = mean (ŷ − y)²; data y = 3x + noise",
    schema: SCHEMA,
    make,
};

const SCHEMA: &[Param] = &[N, DATA_NOISE];

pub struct Linear {
    fit: LeastSquares,
    points: Vec<DataPoint>,
    optimum: Option<Vec<f64>>,
    bounds: Vec<[f64; 2]>,
    plane: Plane,
}

fn make(values: &Values, spec: &TaskSpec) -> Result<Box<dyn LearningTask>, String> {
    let mut rng = DataRng::new(spec.seed);
    let xy = regression_points(values, spec, &mut rng, |x| 3.0 * x)?;
    Ok(Box::new(Linear::new(&xy)))
}

impl Linear {
    /// The fit of `xy` (every point trains).
    pub fn new(xy: &[[f64; 2]]) -> Self {
        let features = xy.iter().flat_map(|&[x, _]| [x, 1.0]).collect();
        let targets = xy.iter().map(|p| p[1]).collect();
        let fit = LeastSquares::new(features, targets, vec![0.0; 2]);
        let optimum = fit.optimum();
        let names = ["w".to_string(), "b".to_string()];
        Linear {
            bounds: bounds_around(optimum.as_deref().unwrap_or(&[0.0, 0.0])),
            optimum,
            plane: Plane::coordinates(&[0.0, 0.0], 0, 1, &names),
            points: xy
                .iter()
                .map(|&[x, y]| DataPoint {
                    x,
                    y,
                    group: Group::Train,
                })
                .collect(),
            fit,
        }
    }
}

impl Problem for Linear {
    fn dim(&self) -> usize {
        2
    }
    fn param_names(&self) -> Vec<String> {
        vec!["w".into(), "b".into()]
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

impl LearningTask for Linear {
    fn as_problem(&self) -> &dyn Problem {
        self
    }
    fn kind(&self) -> Task {
        Task::Linear
    }
    fn points(&self) -> &[DataPoint] {
        &self.points
    }
    fn predict(&self, p: &[f64], at: [f64; 2]) -> f64 {
        p[0] * at[0] + p[1]
    }
    fn optimum(&self) -> Option<&[f64]> {
        self.optimum.as_deref()
    }
    fn plane(&self) -> &Plane {
        &self.plane
    }
    fn formula(&self) -> String {
        "yhat = w*xi + b; loss = (yhat - yi)^2".into()
    }
}
