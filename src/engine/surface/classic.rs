//! Textbook surfaces: quadratic bowl, saddles, Rosenbrock's valley.

use super::{plain, python_number as py, Formula, Framed, SurfaceInfo, SurfaceKind};
use crate::engine::param::{Kind, Param, Scale};
use crate::engine::scalar::Scalar;

pub(super) const QUADRATIC_PARAMS: &[Param] = &[
    Param {
        key: "kappa",
        label: "condition number κ",
        default: 10.0,
        min: 1.0,
        max: 1000.0,
        slider: (1.0, 1000.0),
        kind: Kind::Number(Scale::Linear),
        help: "curvature ratio between the steep and the shallow axis",
    },
    Param {
        key: "theta",
        label: "rotation θ (degrees)",
        default: 0.0,
        min: -90.0,
        max: 90.0,
        slider: (-90.0, 90.0),
        kind: Kind::Number(Scale::Linear),
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
    fn python(&self) -> String {
        let (c, s, k) = (py(self.cos), py(self.sin), py(self.kappa));
        format!("((x*{c} + y*{s})**2 + (y*{c} - x*{s})**2*{k})*0.5")
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
            expr: if theta_deg == 0.0 {
                format!("0.5*(x^2 + {kappa}*y^2)")
            } else {
                let (c, s) = (libm::cos(t), libm::sin(t));
                format!("0.5*(({c}*x + {s}*y)^2 + {kappa}*({c}*y - {s}*x)^2)")
            },
        },
    }
}

/// x² − y²: the simplest saddle; plain gradient descent stalls near its centre.
pub(super) struct Saddle;

impl Formula for Saddle {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        x * x - y * y
    }
    fn python(&self) -> String {
        "x*x - y*y".into()
    }
}

pub(super) fn saddle() -> Framed<Saddle> {
    Framed {
        formula: Saddle,
        info: SurfaceInfo {
            view: [-2.0, 2.0, -2.0, 2.0],
            minima: vec![],
            // Almost on the ridge line y = 0: the escape along y starts tiny and grows.
            default_start: [-1.8, 0.02],
            log_scale: false,
            formula: "x² − y²".to_string(),
            expr: "x^2 - y^2".into(),
        },
    }
}

/// x³ − 3xy²: a degenerate saddle (zero Hessian at the origin) with three downhill valleys.
pub(super) struct MonkeySaddle;

impl Formula for MonkeySaddle {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        x.powi(3) - x * y * y * 3.0
    }
    fn python(&self) -> String {
        "x**3 - x*y*y*3.0".into()
    }
}

pub(super) fn monkey_saddle() -> Framed<MonkeySaddle> {
    Framed {
        formula: MonkeySaddle,
        info: SurfaceInfo {
            view: [-2.0, 2.0, -2.0, 2.0],
            minima: vec![],
            default_start: [1.5, 0.3],
            log_scale: false,
            formula: "x³ − 3xy²".to_string(),
            expr: "x^3 - 3*x*y^2".into(),
        },
    }
}

pub(super) const ROSENBROCK_PARAMS: &[Param] = &[
    Param {
        key: "a",
        label: "a",
        default: 1.0,
        min: -3.0,
        max: 3.0,
        slider: (-3.0, 3.0),
        kind: Kind::Number(Scale::Linear),
        help: "the minimum sits at (a, a²)",
    },
    Param {
        key: "b",
        label: "b",
        default: 100.0,
        min: 0.0,
        max: 1000.0,
        slider: (0.0, 1000.0),
        kind: Kind::Number(Scale::Linear),
        help: "steepness of the valley walls",
    },
];

/// (a − x)² + b(y − x²)².
pub(super) struct Rosenbrock {
    a: f64,
    b: f64,
}

impl Formula for Rosenbrock {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let u = S::cst(self.a) - x;
        let w = y - x * x;
        u * u + w * w * self.b
    }
    fn python(&self) -> String {
        format!("({} - x)**2 + (y - x*x)**2*{}", py(self.a), py(self.b))
    }
}

pub(super) fn rosenbrock(a: f64, b: f64) -> Framed<Rosenbrock> {
    Framed {
        formula: Rosenbrock { a, b },
        info: SurfaceInfo {
            view: [-2.0, 2.0, -1.0, 3.0],
            minima: vec![[a, a * a]],
            default_start: [-1.2, 1.0],
            log_scale: true,
            formula: format!("({a} − x)² + {b}·(y − x²)²"),
            expr: format!("({a} - x)^2 + {b}*(y - x^2)^2"),
        },
    }
}

pub(super) const QUADRATIC: SurfaceKind = SurfaceKind {
    id: "quadratic",
    name: "Quadratic bowl",
    pytorch: "",
    rule: "",
    schema: QUADRATIC_PARAMS,
    make: |v, _| Ok(Box::new(quadratic(v.get("kappa"), v.get("theta")))),
};

pub(super) const SADDLE: SurfaceKind = plain("saddle", "Saddle", |_, _| Ok(Box::new(saddle())));

pub(super) const MONKEY_SADDLE: SurfaceKind = plain("monkey_saddle", "Monkey saddle", |_, _| {
    Ok(Box::new(monkey_saddle()))
});

pub(super) const ROSENBROCK: SurfaceKind = SurfaceKind {
    id: "rosenbrock",
    name: "Rosenbrock",
    pytorch: "",
    rule: "",
    schema: ROSENBROCK_PARAMS,
    make: |v, _| Ok(Box::new(rosenbrock(v.get("a"), v.get("b")))),
};
