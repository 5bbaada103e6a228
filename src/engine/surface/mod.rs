//! 2-D loss surfaces f(x, y).
//!
//! Each built-in surface writes its formula once, generic over [`Scalar`], in a [`Formula`];
//! the blanket [`Surface`] impl derives value, exact gradient and exact Hessian from it.
//! One file per surface family; [`CATALOG`] lists every id, and [`build`] makes one from a
//! [`SurfaceSpec`]. Every surface is also a [`Problem`] of dimension 2 (parameters `x`, `y`,
//! drawn as they are), which is what runs drive.

use super::problem::Problem;
use super::scalar::{Dual, HyperDual, Scalar};
use serde::{Deserialize, Serialize};

/// A tunable parameter of a surface (e.g. quadratic's κ), shown as a slider.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SurfaceParam {
    pub key: &'static str,
    pub label: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub help: &'static str,
}

/// What the page needs to know to frame and colour a surface.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurfaceInfo {
    /// View bounds `[x_min, x_max, y_min, y_max]`.
    pub view: [f64; 4],
    /// Global minima (empty where the surface is unbounded below).
    pub minima: Vec<[f64; 2]>,
    /// A start point that makes a good demo.
    pub default_start: [f64; 2],
    /// Whether the heat-map should use a log colour scale (values span decades).
    pub log_scale: bool,
    /// The formula as plain text, with the parameters in force substituted.
    pub formula: String,
}

/// A formula generic over the number type: the one place a surface's maths is written.
pub trait Formula {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S;
}

/// Value, gradient and Hessian of a 2-D function.
pub trait Surface: Send + Sync {
    fn value(&self, p: [f64; 2]) -> f64;
    /// Value and exact gradient.
    fn value_grad(&self, p: [f64; 2]) -> (f64, [f64; 2]);
    /// Value, exact gradient and exact Hessian `[[fxx, fxy], [fxy, fyy]]`.
    fn value_grad_hessian(&self, p: [f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]);
    fn info(&self) -> SurfaceInfo;
}

/// A surface is the 2-D problem f(x, y): parameters `x`, `y`, the view as its bounds, drawn
/// by the identity. Written once for every surface, `dyn Surface` included, so a run on a
/// surface computes exactly what it did before runs took N-dimensional problems.
impl<S: Surface + ?Sized> Problem for S {
    fn dim(&self) -> usize {
        2
    }
    fn param_names(&self) -> Vec<String> {
        vec!["x".into(), "y".into()]
    }
    fn value(&self, p: &[f64]) -> f64 {
        Surface::value(self, [p[0], p[1]])
    }
    fn value_grad(&self, p: &[f64], grad: &mut [f64]) -> f64 {
        let (v, g) = Surface::value_grad(self, [p[0], p[1]]);
        grad[..2].copy_from_slice(&g);
        v
    }
    fn value_grad_hessian(&self, p: &[f64], grad: &mut [f64], hessian: &mut [f64]) -> f64 {
        let (v, g, h) = Surface::value_grad_hessian(self, [p[0], p[1]]);
        grad[..2].copy_from_slice(&g);
        hessian[..4].copy_from_slice(&[h[0][0], h[0][1], h[1][0], h[1][1]]);
        v
    }
    fn bounds(&self) -> Vec<[f64; 2]> {
        let [x0, x1, y0, y1] = self.info().view;
        vec![[x0, x1], [y0, y1]]
    }
    fn project(&self, p: &[f64]) -> [f64; 2] {
        [p[0], p[1]]
    }
    fn project_tangent(&self, _p: &[f64], v: &[f64]) -> [f64; 2] {
        [v[0], v[1]]
    }
}

/// A formula plus its framing: what every built-in surface constructor returns.
pub struct Framed<F: Formula> {
    pub formula: F,
    pub info: SurfaceInfo,
}

impl<F: Formula + Send + Sync> Surface for Framed<F> {
    fn value(&self, p: [f64; 2]) -> f64 {
        self.formula.eval(p[0], p[1])
    }
    fn value_grad(&self, p: [f64; 2]) -> (f64, [f64; 2]) {
        let r = self.formula.eval(Dual::var(p[0], 0), Dual::var(p[1], 1));
        (r.v, r.g)
    }
    fn value_grad_hessian(&self, p: [f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        let r = self
            .formula
            .eval(HyperDual::var(p[0], 0), HyperDual::var(p[1], 1));
        (r.v, r.g, [[r.h[0], r.h[1]], [r.h[1], r.h[2]]])
    }
    fn info(&self) -> SurfaceInfo {
        self.info.clone()
    }
}

/// Which surface, with which parameters (missing ones take defaults) and, for `custom`, which
/// expression. This is what the URL and the CLI carry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SurfaceSpec {
    pub id: String,
    #[serde(default)]
    pub params: Vec<(String, f64)>,
    #[serde(default)]
    pub expr: Option<String>,
}

/// One catalogue entry: id, display name, parameters.
#[derive(Clone, Copy, Debug)]
pub struct SurfaceKind {
    pub id: &'static str,
    pub name: &'static str,
    pub params: &'static [SurfaceParam],
}

mod benchmark;
mod classic;
mod custom;
mod multimodal;

/// A catalogue entry without parameters.
const fn plain(id: &'static str, name: &'static str) -> SurfaceKind {
    SurfaceKind {
        id,
        name,
        params: &[],
    }
}

/// Every surface id, in the order the page lists them.
pub const CATALOG: &[SurfaceKind] = &[
    SurfaceKind {
        id: "quadratic",
        name: "Quadratic bowl",
        params: classic::QUADRATIC_PARAMS,
    },
    plain("saddle", "Saddle"),
    plain("monkey_saddle", "Monkey saddle"),
    SurfaceKind {
        id: "rosenbrock",
        name: "Rosenbrock",
        params: classic::ROSENBROCK_PARAMS,
    },
    plain("beale", "Beale"),
    plain("booth", "Booth"),
    plain("himmelblau", "Himmelblau"),
    plain("rastrigin", "Rastrigin"),
    plain("ackley", "Ackley"),
    plain("goldstein_price", "Goldstein–Price"),
    plain("six_hump_camel", "Six-hump camel"),
    plain("styblinski_tang", "Styblinski–Tang"),
    plain("matyas", "Matyas"),
    plain("custom", "Custom expression"),
];

/// Why a surface could not be built.
#[derive(Clone, Debug, PartialEq)]
pub enum SurfaceError {
    /// Unknown id, unknown parameter or out-of-range value; the message lists what is valid.
    Invalid(String),
    /// A custom expression that does not parse: `position` is the character index (0-based)
    /// where parsing stopped, `message` says what was expected there.
    Parse { position: usize, message: String },
}

impl std::fmt::Display for SurfaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SurfaceError::Invalid(m) => f.write_str(m),
            SurfaceError::Parse { position, message } => {
                write!(f, "at character {}: {message}", position + 1)
            }
        }
    }
}

/// The catalogue entry for `id`, or an error listing the valid ids.
pub fn kind(id: &str) -> Result<&'static SurfaceKind, SurfaceError> {
    CATALOG.iter().find(|k| k.id == id).ok_or_else(|| {
        let ids: Vec<&str> = CATALOG.iter().map(|k| k.id).collect();
        SurfaceError::Invalid(format!("unknown surface '{id}'; valid: {}", ids.join(", ")))
    })
}

/// Parameter values for `kind`: defaults overridden by `given`, each checked against its range.
fn param_values(kind: &SurfaceKind, given: &[(String, f64)]) -> Result<Vec<f64>, SurfaceError> {
    let mut values: Vec<f64> = kind.params.iter().map(|p| p.default).collect();
    for (key, value) in given {
        let Some(i) = kind.params.iter().position(|p| p.key == key) else {
            let keys: Vec<&str> = kind.params.iter().map(|p| p.key).collect();
            return Err(SurfaceError::Invalid(format!(
                "{} has no parameter '{key}'; valid: {}",
                kind.id,
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            )));
        };
        let p = &kind.params[i];
        if !value.is_finite() || *value < p.min || *value > p.max {
            return Err(SurfaceError::Invalid(format!(
                "{key} = {value} is out of range; valid: {} ≤ {key} ≤ {}",
                p.min, p.max
            )));
        }
        values[i] = *value;
    }
    Ok(values)
}

/// Builds the surface `spec` names.
pub fn build(spec: &SurfaceSpec) -> Result<Box<dyn Surface>, SurfaceError> {
    let k = kind(&spec.id)?;
    let v = param_values(k, &spec.params)?;
    Ok(match k.id {
        "quadratic" => Box::new(classic::quadratic(v[0], v[1])),
        "saddle" => Box::new(classic::saddle()),
        "monkey_saddle" => Box::new(classic::monkey_saddle()),
        "rosenbrock" => Box::new(classic::rosenbrock(v[0], v[1])),
        "beale" => Box::new(benchmark::beale()),
        "booth" => Box::new(benchmark::booth()),
        "himmelblau" => Box::new(benchmark::himmelblau()),
        "rastrigin" => Box::new(multimodal::rastrigin()),
        "ackley" => Box::new(multimodal::ackley()),
        "goldstein_price" => Box::new(benchmark::goldstein_price()),
        "six_hump_camel" => Box::new(benchmark::six_hump_camel()),
        "styblinski_tang" => Box::new(multimodal::styblinski_tang()),
        "matyas" => Box::new(benchmark::matyas()),
        "custom" => Box::new(custom::custom(spec.expr.as_deref())?),
        other => unreachable!("catalogue id '{other}' has no constructor"),
    })
}
