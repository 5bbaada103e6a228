//! 2-D loss surfaces f(x, y).
//!
//! Each built-in surface writes its formula once, generic over [`Scalar`], in a [`Formula`];
//! the blanket [`Surface`] impl derives value, exact gradient and exact Hessian from it.
//! One file per surface family; [`CATALOG`] lists every id, and [`build`] makes one from a
//! [`SurfaceSpec`]. Every surface is also a [`Problem`] of dimension 2 (parameters `x`, `y`,
//! drawn as they are), which is what runs drive.

use super::param::{self, Entry, Values};
use super::problem::Problem;
use super::scalar::{Dual, HyperDual, Scalar};
use serde::{Deserialize, Serialize};

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
    /// The same formula in the custom-surface grammar ([`crate::engine::expr`]): what the
    /// formula panel renders as MathML; tests/formula.rs checks it against the value. Empty
    /// for a learning task's loss.
    pub expr: String,
}

/// A formula generic over the number type: the one place a surface's maths is written.
pub trait Formula {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S;

    /// The same formula as one Python expression in `x` and `y`, parameters substituted and
    /// functions called through the module alias `M` (`math`, `torch` or `jax.numpy`), so one
    /// text serves every exported script and the test that checks it against [`Formula::eval`].
    /// It keeps `eval`'s order of operations, so values agree to rounding.
    fn python(&self) -> String;
}

/// `v` as a Python float literal that reads back as the same `f64` (Rust's `{:?}` is shortest
/// round-trip and always has a `.` or an exponent), in parentheses when negative so it can
/// stand as an operand anywhere.
pub fn python_number(v: f64) -> String {
    if v.is_sign_negative() {
        format!("({v:?})")
    } else {
        format!("{v:?}")
    }
}

/// Value, gradient and Hessian of a 2-D function.
pub trait Surface: Send + Sync {
    fn value(&self, p: [f64; 2]) -> f64;
    /// Value and exact gradient.
    fn value_grad(&self, p: [f64; 2]) -> (f64, [f64; 2]);
    /// Value, exact gradient and exact Hessian `[[fxx, fxy], [fxy, fyy]]`.
    fn value_grad_hessian(&self, p: [f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]);
    fn info(&self) -> SurfaceInfo;
    /// [`Formula::python`] of the surface's formula.
    fn python(&self) -> String;
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
    fn python(&self) -> String {
        self.formula.python()
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

/// A catalogue entry: id, display name, parameter schema and constructor (from validated
/// parameters and, for `custom`, the expression). Each family file exports its own.
pub type SurfaceKind = Entry<MakeSurface>;

/// A surface constructor: validated parameters and, for `custom`, the expression.
pub type MakeSurface = fn(&Values, Option<&str>) -> Result<Box<dyn Surface>, SurfaceError>;

mod benchmark;
mod classic;
mod custom;
mod multimodal;

/// Every surface id, in the order the page lists them.
pub const CATALOG: &[SurfaceKind] = &[
    classic::QUADRATIC,
    classic::SADDLE,
    classic::MONKEY_SADDLE,
    classic::ROSENBROCK,
    benchmark::BEALE,
    benchmark::BOOTH,
    benchmark::HIMMELBLAU,
    multimodal::RASTRIGIN,
    multimodal::ACKLEY,
    benchmark::GOLDSTEIN_PRICE,
    benchmark::SIX_HUMP_CAMEL,
    multimodal::STYBLINSKI_TANG,
    benchmark::MATYAS,
    custom::CUSTOM,
];

/// A catalogue entry whose surface has no parameters and needs no expression.
const fn plain(id: &'static str, name: &'static str, make: MakeSurface) -> SurfaceKind {
    SurfaceKind {
        id,
        name,
        pytorch: "",
        rule: "",
        schema: &[],
        make,
    }
}

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
    param::find("surface", CATALOG, id).map_err(SurfaceError::Invalid)
}

/// Builds the surface `spec` names: defaults overridden by `spec.params`, each checked
/// against its range.
pub fn build(spec: &SurfaceSpec) -> Result<Box<dyn Surface>, SurfaceError> {
    let k = kind(&spec.id)?;
    let values = Values::with(k.schema, &spec.params, |key, _| {
        Err(format!(
            "{} has no parameter '{key}'; valid: {}",
            k.id,
            param::key_list(k.schema)
        ))
    })
    .map_err(SurfaceError::Invalid)?;
    (k.make)(&values, spec.expr.as_deref())
}
