//! Classic optimisation test functions with known minima: Beale, Booth, Himmelblau,
//! Goldstein–Price, six-hump camel, Matyas.

use super::{plain, Formula, Framed, SurfaceInfo, SurfaceKind};
use crate::engine::scalar::Scalar;

/// (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: flat plateaus and sharp ridges.
pub(super) struct Beale;

impl Formula for Beale {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let term = |c: f64, yk: S| {
            let t = x * yk - x + c;
            t * t
        };
        term(1.5, y) + term(2.25, y * y) + term(2.625, y.powi(3))
    }
    fn python(&self) -> String {
        "(x*y - x + 1.5)**2 + (x*(y*y) - x + 2.25)**2 + (x*y**3 - x + 2.625)**2".into()
    }
}

pub(super) fn beale() -> Framed<Beale> {
    Framed {
        formula: Beale,
        info: SurfaceInfo {
            view: [-4.5, 4.5, -4.5, 4.5],
            minima: vec![[3.0, 0.5]],
            default_start: [1.0, 1.5],
            log_scale: true,
            formula: "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²".to_string(),
            expr: "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2".into(),
        },
    }
}

/// (x + 2y − 7)² + (2x + y − 5)²: a tilted, mildly ill-conditioned quadratic.
pub(super) struct Booth;

impl Formula for Booth {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let a = x + y * 2.0 - 7.0;
        let b = x * 2.0 + y - 5.0;
        a * a + b * b
    }
    fn python(&self) -> String {
        "(x + y*2.0 - 7.0)**2 + (x*2.0 + y - 5.0)**2".into()
    }
}

pub(super) fn booth() -> Framed<Booth> {
    Framed {
        formula: Booth,
        info: SurfaceInfo {
            view: [-10.0, 10.0, -10.0, 10.0],
            minima: vec![[1.0, 3.0]],
            default_start: [-8.0, -6.0],
            log_scale: true,
            formula: "(x + 2y − 7)² + (2x + y − 5)²".to_string(),
            expr: "(x + 2*y - 7)^2 + (2*x + y - 5)^2".into(),
        },
    }
}

/// (x² + y − 11)² + (x + y² − 7)²: four equal minima, so the start decides which one wins.
pub(super) struct Himmelblau;

impl Formula for Himmelblau {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        a * a + b * b
    }
    fn python(&self) -> String {
        "(x*x + y - 11.0)**2 + (x + y*y - 7.0)**2".into()
    }
}

pub(super) fn himmelblau() -> Framed<Himmelblau> {
    Framed {
        formula: Himmelblau,
        info: SurfaceInfo {
            view: [-5.0, 5.0, -5.0, 5.0],
            // Roots of ∇f = 0 solved to 40 digits (mpmath), rounded to f64.
            minima: vec![
                [3.0, 2.0],
                [-2.805_118_086_952_745, 3.131_312_518_250_573],
                [-3.779_310_253_377_747, -3.283_185_991_286_17],
                [3.584_428_340_330_492, -1.848_126_526_964_404],
            ],
            // Next to the local maximum at (−0.2708, −0.9230): small differences in the first
            // steps send optimizers to different minima.
            default_start: [-0.2, -0.8],
            log_scale: true,
            formula: "(x² + y − 11)² + (x + y² − 7)²".to_string(),
            expr: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2".into(),
        },
    }
}

/// Goldstein–Price, standard form: values from 3 to ~10⁶ with several local minima.
pub(super) struct GoldsteinPrice;

impl Formula for GoldsteinPrice {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let (xx, xy, yy) = (x * x, x * y, y * y);
        let a = x + y + 1.0;
        let b = xx * 3.0 - x * 14.0 + xy * 6.0 - y * 14.0 + yy * 3.0 + 19.0;
        let c = x * 2.0 - y * 3.0;
        let d = xx * 12.0 - x * 32.0 - xy * 36.0 + y * 48.0 + yy * 27.0 + 18.0;
        (a * a * b + 1.0) * (c * c * d + 30.0)
    }
    fn python(&self) -> String {
        "((x + y + 1.0)**2*(x*x*3.0 - x*14.0 + x*y*6.0 - y*14.0 + y*y*3.0 + 19.0) + 1.0)\
         *((x*2.0 - y*3.0)**2*(x*x*12.0 - x*32.0 - x*y*36.0 + y*48.0 + y*y*27.0 + 18.0) + 30.0)"
            .into()
    }
}

pub(super) fn goldstein_price() -> Framed<GoldsteinPrice> {
    Framed {
        formula: GoldsteinPrice,
        info: SurfaceInfo {
            view: [-2.0, 2.0, -2.0, 2.0],
            minima: vec![[0.0, -1.0]],
            default_start: [-1.5, 1.5],
            log_scale: true,
            formula: "[1 + (x + y + 1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)] · \
                      [30 + (2x − 3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]"
                .to_string(),
            expr: "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))\
                   *(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))"
                .into(),
        },
    }
}

/// (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²: two global and four local minima.
pub(super) struct SixHumpCamel;

impl Formula for SixHumpCamel {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        let xx = x * x;
        let yy = y * y;
        (xx.powi(2) / 3.0 - xx * 2.1 + 4.0) * xx + x * y + (yy * 4.0 - 4.0) * yy
    }
    fn python(&self) -> String {
        "((x*x)**2/3.0 - (x*x)*2.1 + 4.0)*(x*x) + x*y + ((y*y)*4.0 - 4.0)*(y*y)".into()
    }
}

pub(super) fn six_hump_camel() -> Framed<SixHumpCamel> {
    // Root of ∇f = 0 solved to 40 digits (mpmath), rounded to f64; f there is −1.03162845….
    let (x, y) = (0.089_842_013_100_318_06, -0.712_656_403_020_739_6);
    Framed {
        formula: SixHumpCamel,
        info: SurfaceInfo {
            view: [-2.0, 2.0, -1.2, 1.2],
            minima: vec![[x, y], [-x, -y]],
            default_start: [-1.5, 1.0],
            log_scale: false,
            formula: "(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²".to_string(),
            expr: "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2".into(),
        },
    }
}

/// 0.26(x² + y²) − 0.48xy: a narrow valley along y = x (condition number 25).
pub(super) struct Matyas;

impl Formula for Matyas {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        (x * x + y * y) * 0.26 - x * y * 0.48
    }
    fn python(&self) -> String {
        "(x*x + y*y)*0.26 - x*y*0.48".into()
    }
}

pub(super) fn matyas() -> Framed<Matyas> {
    Framed {
        formula: Matyas,
        info: SurfaceInfo {
            view: [-10.0, 10.0, -10.0, 10.0],
            minima: vec![[0.0, 0.0]],
            // Off the valley floor, so both the steep and the shallow direction show.
            default_start: [8.0, 2.0],
            log_scale: true,
            formula: "0.26(x² + y²) − 0.48xy".to_string(),
            expr: "0.26*(x^2 + y^2) - 0.48*x*y".into(),
        },
    }
}

pub(super) const BEALE: SurfaceKind = plain("beale", "Beale", |_, _| Ok(Box::new(beale())));

pub(super) const BOOTH: SurfaceKind = plain("booth", "Booth", |_, _| Ok(Box::new(booth())));

pub(super) const HIMMELBLAU: SurfaceKind = plain("himmelblau", "Himmelblau", |_, _| {
    Ok(Box::new(himmelblau()))
});

pub(super) const GOLDSTEIN_PRICE: SurfaceKind =
    plain("goldstein_price", "Goldstein–Price", |_, _| {
        Ok(Box::new(goldstein_price()))
    });

pub(super) const SIX_HUMP_CAMEL: SurfaceKind = plain("six_hump_camel", "Six-hump camel", |_, _| {
    Ok(Box::new(six_hump_camel()))
});

pub(super) const MATYAS: SurfaceKind = plain("matyas", "Matyas", |_, _| Ok(Box::new(matyas())));
