//! Damped Newton's method with the exact Hessian: θ ← θ − η(H + δI)⁻¹g. No PyTorch
//! counterpart; it shows what curvature buys, and where it misleads (saddles, maxima).

use super::sgd::LR;
use super::{listing, Kind, Optimizer, OptimizerKind, Param, Scale, StepNote, Values};

pub(super) const NEWTON_SCHEMA: &[Param] = &[
    Param {
        default: 1.0,
        slider: (1e-3, 2.0),
        help: "step size η; 1 is the full Newton step",
        ..LR
    },
    Param {
        key: "damping",
        label: "damping δ",
        default: 1e-3,
        min: 0.0,
        max: 1e4,
        slider: (1e-6, 100.0),
        kind: Kind::Number(Scale::Log),
        help: "δ added to the Hessian's diagonal; large δ turns Newton into gradient descent",
    },
];

pub(super) struct Newton {
    damping: f64,
    /// Row-major n × n scratch for the Cholesky factor L of H + δI (lower triangle).
    chol: Vec<f64>,
    /// Scratch for the solution of (H + δI)x = g.
    x: Vec<f64>,
}

pub(super) fn make_newton(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(Newton {
        damping: h.get("damping"),
        chol: vec![0.0; n * n],
        x: vec![0.0; n],
    })
}

pub(super) const NOT_PD: &str =
    "H + δI is not positive definite, so the Newton step would not descend: \
                      took a gradient step θ ← θ − ηg";
pub(super) const NO_HESSIAN: &str = "no Hessian was given: took a gradient step θ ← θ − ηg";

impl Newton {
    /// Solves (H + δI)x = g into `self.x` by Cholesky; false when H + δI is not (numerically)
    /// positive definite, which is also the test for whether the Newton step descends.
    fn solve(&mut self, h: &[f64], g: &[f64]) -> bool {
        let n = self.x.len();
        let l = &mut self.chol;
        for j in 0..n {
            let mut d = h[j * n + j] + self.damping;
            for k in 0..j {
                d -= l[j * n + k] * l[j * n + k];
            }
            // Written so that NaN fails too.
            if !(d > 0.0 && d.is_finite()) {
                return false;
            }
            let ljj = d.sqrt();
            l[j * n + j] = ljj;
            for i in j + 1..n {
                let mut s = h[i * n + j];
                for k in 0..j {
                    s -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = s / ljj;
            }
        }
        // L y = g, then Lᵀ x = y, in place.
        let x = &mut self.x;
        for i in 0..n {
            let mut s = g[i];
            for k in 0..i {
                s -= l[i * n + k] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        for i in (0..n).rev() {
            let mut s = x[i];
            for k in i + 1..n {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        true
    }
}

impl Optimizer for Newton {
    fn step(
        &mut self,
        params: &mut [f64],
        grad: &[f64],
        lr: f64,
        hessian: Option<&[f64]>,
    ) -> StepNote {
        let n = self.x.len();
        let fallback = match hessian {
            Some(h) if h.len() == n * n && grad.len() == n => {
                (!self.solve(h, grad)).then_some(NOT_PD)
            }
            _ => Some(NO_HESSIAN),
        };
        let direction = if fallback.is_some() { grad } else { &self.x };
        for (p, d) in params.iter_mut().zip(direction) {
            *p -= lr * d;
        }
        StepNote { fallback }
    }
    fn needs_hessian(&self) -> bool {
        true
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        Vec::new()
    }
}

pub(super) const NEWTON: OptimizerKind = OptimizerKind {
    id: "newton",
    name: "Newton",
    pytorch: "damped Newton (uses the exact Hessian)",
    schema: NEWTON_SCHEMA,
    rule: listing("if H + δI is positive definite: θ ← θ − η(H + δI)⁻¹g, else θ ← θ − ηg"),
    make: make_newton,
};
