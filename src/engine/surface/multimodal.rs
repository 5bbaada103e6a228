//! Surfaces full of local minima: Rastrigin, Ackley, Styblinski–Tang.

use super::{plain, Formula, Framed, SurfaceInfo, SurfaceKind};
use crate::engine::scalar::Scalar;
use std::f64::consts::{E, TAU};

/// 20 + Σ(xᵢ² − 10 cos 2πxᵢ): a bowl covered in an egg-crate of local minima.
pub(super) struct Rastrigin;

impl Formula for Rastrigin {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let term = |t: S| t * t - (t * TAU).cos() * 10.0;
        term(x) + term(y) + 20.0
    }
    fn python(&self) -> String {
        format!("(x*x - M.cos(x*{TAU:?})*10.0) + (y*y - M.cos(y*{TAU:?})*10.0) + 20.0")
    }
}

pub(super) fn rastrigin() -> Framed<Rastrigin> {
    Framed {
        formula: Rastrigin,
        info: SurfaceInfo {
            view: [-5.12, 5.12, -5.12, 5.12],
            minima: vec![[0.0, 0.0]],
            default_start: [-3.3, 2.8],
            log_scale: false,
            formula: "20 + x² − 10 cos 2πx + y² − 10 cos 2πy".to_string(),
            expr: "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)".into(),
        },
    }
}

/// −20e^(−0.2√(0.5(x²+y²))) − e^(0.5(cos 2πx + cos 2πy)) + e + 20: a cone with ripples.
///
/// Written as 20(1 − e^(−0.2r)) + e(1 − e^(… − 1)) so that both terms are exactly 0 at the
/// origin (`libm::exp(1.0)` is one ulp above `E`, so e − e^(…) would leave −4e−16).
/// The cone is not differentiable at the origin: there the radius is held constant, which gives
/// the gradient 0 (a valid subgradient; the minimum is stationary) and the Hessian of the
/// cosine part alone, instead of the NaN the chain rule through √0 would give.
pub(super) struct Ackley;

impl Formula for Ackley {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        // |(x, y)| scaled by max(|x|, |y|) so that squaring cannot underflow near the origin.
        let m = x.value().abs().max(y.value().abs());
        let norm = if m == 0.0 {
            S::cst(0.0)
        } else {
            let (u, v) = (x / m, y / m);
            (u * u + v * v).sqrt() * m
        };
        let r = norm * std::f64::consts::FRAC_1_SQRT_2;
        let cone = (S::cst(1.0) - (r * -0.2).exp()) * 20.0;
        let ripple = (S::cst(1.0) - (((x * TAU).cos() + (y * TAU).cos()) * 0.5 - 1.0).exp()) * E;
        cone + ripple
    }
    /// The plain radius √(x² + y²): the page's underflow guard and its subgradient at the
    /// origin have no one-line equivalent in every library.
    fn python(&self) -> String {
        let r = std::f64::consts::FRAC_1_SQRT_2;
        format!(
            "(1.0 - M.exp(M.sqrt(x*x + y*y)*{r:?}*(-0.2)))*20.0 \
             + (1.0 - M.exp((M.cos(x*{TAU:?}) + M.cos(y*{TAU:?}))*0.5 - 1.0))*{E:?}"
        )
    }
}

pub(super) fn ackley() -> Framed<Ackley> {
    Framed {
        formula: Ackley,
        info: SurfaceInfo {
            view: [-5.0, 5.0, -5.0, 5.0],
            minima: vec![[0.0, 0.0]],
            default_start: [-3.7, 3.2],
            log_scale: false,
            formula: "−20e^(−0.2√(0.5(x² + y²))) − e^(0.5(cos 2πx + cos 2πy)) + e + 20".to_string(),
            expr: "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20".into(),
        },
    }
}

/// The minimiser of t⁴ − 16t² + 5t: the negative root of 4t³ − 32t + 5 = 0, solved to 40
/// digits (mpmath) and rounded to f64.
const STYBLINSKI_TANG_ARGMIN: f64 = -2.903_534_027_771_177;

/// ½Σ(xᵢ⁴ − 16xᵢ² + 5xᵢ): four basins of different depths; only one is global.
pub(super) struct StyblinskiTang;

impl Formula for StyblinskiTang {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let term = |t: S| t.powi(4) - t * t * 16.0 + t * 5.0;
        (term(x) + term(y)) * 0.5
    }
    fn python(&self) -> String {
        "((x**4 - x*x*16.0 + x*5.0) + (y**4 - y*y*16.0 + y*5.0))*0.5".into()
    }
}

pub(super) fn styblinski_tang() -> Framed<StyblinskiTang> {
    let t = STYBLINSKI_TANG_ARGMIN;
    Framed {
        formula: StyblinskiTang,
        info: SurfaceInfo {
            view: [-5.0, 5.0, -5.0, 5.0],
            minima: vec![[t, t]],
            // Upslope of the shallowest basin (2.75, 2.75): greedy methods settle there.
            default_start: [4.5, 4.0],
            log_scale: false,
            formula: "½(x⁴ − 16x² + 5x + y⁴ − 16y² + 5y)".to_string(),
            expr: "0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)".into(),
        },
    }
}

pub(super) const RASTRIGIN: SurfaceKind =
    plain("rastrigin", "Rastrigin", |_, _| Ok(Box::new(rastrigin())));

pub(super) const ACKLEY: SurfaceKind = plain("ackley", "Ackley", |_, _| Ok(Box::new(ackley())));

pub(super) const STYBLINSKI_TANG: SurfaceKind =
    plain("styblinski_tang", "Styblinski–Tang", |_, _| {
        Ok(Box::new(styblinski_tang()))
    });
