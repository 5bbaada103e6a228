//! Textbook surfaces: quadratic bowl, saddles, Rosenbrock's valley.

use super::{Formula, Framed, SurfaceInfo, SurfaceParam};
use crate::engine::scalar::Scalar;

pub(super) const QUADRATIC_PARAMS: &[SurfaceParam] = &[
    SurfaceParam {
        key: "kappa",
        label: "condition number κ",
        default: 10.0,
        min: 1.0,
        max: 1000.0,
        help: "curvature ratio between the steep and the shallow axis",
    },
    SurfaceParam {
        key: "theta",
        label: "rotation θ (degrees)",
        default: 0.0,
        min: -90.0,
        max: 90.0,
        help: "rotates the bowl's axes away from x and y",
    },
];

/// ½(x'² + κ·y'²) with (x', y') = (x, y) rotated by θ.
pub(super) struct Quadratic {
    kappa: f64,
    cos: f64,
    sin: f64,
}

impl Formula for Quadratic {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let xr = x * self.cos + y * self.sin;
        let yr = y * self.cos - x * self.sin;
        (xr * xr + yr * yr * self.kappa) * 0.5
    }
}

pub(super) fn quadratic(kappa: f64, theta_deg: f64) -> Framed<Quadratic> {
    let t = theta_deg.to_radians();
    Framed {
        formula: Quadratic {
            kappa,
            cos: libm::cos(t),
            sin: libm::sin(t),
        },
        info: SurfaceInfo {
            view: [-4.0, 4.0, -3.0, 3.0],
            minima: vec![[0.0, 0.0]],
            default_start: [3.0, 1.5],
            log_scale: false,
            formula: format!("½(x′² + {kappa}·y′²), (x′, y′) = (x, y) rotated by {theta_deg}°"),
        },
    }
}
