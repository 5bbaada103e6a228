//! Numbers that carry their own derivatives.
//!
//! Every surface formula is written once, generic over [`Scalar`], and evaluated three ways:
//! with `f64` (value), [`Dual`] (value + exact gradient) and [`HyperDual`] (value + gradient +
//! exact Hessian). Transcendental functions go through the `libm` crate so that native and
//! wasm32 builds give bit-identical results.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// A number type a surface formula can be evaluated with.
pub trait Scalar:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// A constant (all derivatives zero).
    fn cst(c: f64) -> Self;
    /// The plain value, derivatives dropped.
    fn value(self) -> f64;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tan(self) -> Self;
    fn exp(self) -> Self;
    /// Natural logarithm.
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;
    fn abs(self) -> Self;
    fn tanh(self) -> Self;
    /// Integer power; exact at 0 unlike `powf`.
    fn powi(self, n: i32) -> Self;
    /// Real power `self^e` where `e` may itself carry derivatives.
    fn powf(self, e: Self) -> Self;
}

impl Scalar for f64 {
    fn cst(c: f64) -> Self {
        c
    }
    fn value(self) -> f64 {
        self
    }
    fn sin(self) -> Self {
        libm::sin(self)
    }
    fn cos(self) -> Self {
        libm::cos(self)
    }
    fn tan(self) -> Self {
        libm::tan(self)
    }
    fn exp(self) -> Self {
        libm::exp(self)
    }
    fn ln(self) -> Self {
        libm::log(self)
    }
    /// std's, as are `abs` and `floor` elsewhere: exact operations (IEEE 754 rounds sqrt
    /// correctly), so the same bits as `libm`'s, but a wasm instruction rather than `libm`'s
    /// software routine (its wasm32 intrinsics need nightly).
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    fn abs(self) -> Self {
        f64::abs(self)
    }
    fn tanh(self) -> Self {
        libm::tanh(self)
    }
    fn powi(self, n: i32) -> Self {
        powi_f64(self, n)
    }
    fn powf(self, e: Self) -> Self {
        libm::pow(self, e)
    }
}

/// Integer power by repeated squaring: the same bits on every platform.
fn powi_f64(x: f64, n: i32) -> f64 {
    let mut base = if n < 0 { 1.0 / x } else { x };
    let mut k = n.unsigned_abs();
    let mut acc = 1.0;
    while k > 0 {
        if k & 1 == 1 {
            acc *= base;
        }
        base *= base;
        k >>= 1;
    }
    acc
}

/// First-order dual number in two variables: value and gradient.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dual {
    pub v: f64,
    pub g: [f64; 2],
}

/// Second-order (hyper-dual) number in two variables: value, gradient and Hessian
/// (`h = [∂xx, ∂xy, ∂yy]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HyperDual {
    pub v: f64,
    pub g: [f64; 2],
    pub h: [f64; 3],
}

impl Dual {
    /// The seed for variable `i` (0 = x, 1 = y) at value `v`.
    pub fn var(v: f64, i: usize) -> Self {
        let mut g = [0.0; 2];
        g[i] = 1.0;
        Dual { v, g }
    }
    /// Applies a unary function given its value `f` and derivative `d1` at `self.v`.
    fn chain(self, f: f64, d1: f64) -> Self {
        Dual {
            v: f,
            g: [d1 * self.g[0], d1 * self.g[1]],
        }
    }
}

impl HyperDual {
    /// The seed for variable `i` (0 = x, 1 = y) at value `v`.
    pub fn var(v: f64, i: usize) -> Self {
        let mut g = [0.0; 2];
        g[i] = 1.0;
        HyperDual { v, g, h: [0.0; 3] }
    }
    /// Applies a unary function given its value `f`, first `d1` and second `d2` derivative.
    fn chain(self, f: f64, d1: f64, d2: f64) -> Self {
        let [gx, gy] = self.g;
        HyperDual {
            v: f,
            g: [d1 * gx, d1 * gy],
            h: [
                d1 * self.h[0] + d2 * gx * gx,
                d1 * self.h[1] + d2 * gx * gy,
                d1 * self.h[2] + d2 * gy * gy,
            ],
        }
    }
}

/// Derivatives shared by both dual types: (f, f', f'') of each elementary function at `x`.
mod elementary {
    pub fn sin(x: f64) -> (f64, f64, f64) {
        let (s, c) = (libm::sin(x), libm::cos(x));
        (s, c, -s)
    }
    pub fn cos(x: f64) -> (f64, f64, f64) {
        let (s, c) = (libm::sin(x), libm::cos(x));
        (c, -s, -c)
    }
    pub fn tan(x: f64) -> (f64, f64, f64) {
        let t = libm::tan(x);
        let sec2 = 1.0 + t * t;
        (t, sec2, 2.0 * t * sec2)
    }
    pub fn exp(x: f64) -> (f64, f64, f64) {
        let e = libm::exp(x);
        (e, e, e)
    }
    pub fn ln(x: f64) -> (f64, f64, f64) {
        (libm::log(x), 1.0 / x, -1.0 / (x * x))
    }
    pub fn sqrt(x: f64) -> (f64, f64, f64) {
        let r = f64::sqrt(x);
        (r, 0.5 / r, -0.25 / (r * x))
    }
    pub fn abs(x: f64) -> (f64, f64, f64) {
        let s = if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            0.0
        };
        (f64::abs(x), s, 0.0)
    }
    pub fn tanh(x: f64) -> (f64, f64, f64) {
        let t = libm::tanh(x);
        let d1 = 1.0 - t * t;
        (t, d1, -2.0 * t * d1)
    }
    pub fn powi(x: f64, n: i32) -> (f64, f64, f64) {
        let nf = f64::from(n);
        let f = super::powi_f64(x, n);
        let d1 = if n == 0 {
            0.0
        } else {
            nf * super::powi_f64(x, n - 1)
        };
        let d2 = if n == 0 || n == 1 {
            0.0
        } else {
            nf * (nf - 1.0) * super::powi_f64(x, n - 2)
        };
        (f, d1, d2)
    }
}

macro_rules! dual_ops {
    ($t:ident, $mul:expr, $div_by_f64:expr) => {
        impl Add for $t {
            type Output = $t;
            fn add(self, o: $t) -> $t {
                self.zip(o, |a, b| a + b)
            }
        }
        impl Sub for $t {
            type Output = $t;
            fn sub(self, o: $t) -> $t {
                self.zip(o, |a, b| a - b)
            }
        }
        impl Neg for $t {
            type Output = $t;
            fn neg(self) -> $t {
                self.scale(-1.0)
            }
        }
        impl Mul for $t {
            type Output = $t;
            fn mul(self, o: $t) -> $t {
                $mul(self, o)
            }
        }
        impl Div for $t {
            type Output = $t;
            fn div(self, o: $t) -> $t {
                // a / b = a · (1/b), with 1/b through the chain rule.
                let inv = o.chain_unary(|x| (1.0 / x, -1.0 / (x * x), 2.0 / (x * x * x)));
                $mul(self, inv)
            }
        }
        impl Add<f64> for $t {
            type Output = $t;
            fn add(mut self, c: f64) -> $t {
                self.v += c;
                self
            }
        }
        impl Sub<f64> for $t {
            type Output = $t;
            fn sub(mut self, c: f64) -> $t {
                self.v -= c;
                self
            }
        }
        impl Mul<f64> for $t {
            type Output = $t;
            fn mul(self, c: f64) -> $t {
                self.scale(c)
            }
        }
        impl Div<f64> for $t {
            type Output = $t;
            fn div(self, c: f64) -> $t {
                $div_by_f64(self, c)
            }
        }
        impl Scalar for $t {
            fn cst(c: f64) -> Self {
                $t::constant(c)
            }
            fn value(self) -> f64 {
                self.v
            }
            fn sin(self) -> Self {
                self.chain_unary(elementary::sin)
            }
            fn cos(self) -> Self {
                self.chain_unary(elementary::cos)
            }
            fn tan(self) -> Self {
                self.chain_unary(elementary::tan)
            }
            fn exp(self) -> Self {
                self.chain_unary(elementary::exp)
            }
            fn ln(self) -> Self {
                self.chain_unary(elementary::ln)
            }
            fn sqrt(self) -> Self {
                self.chain_unary(elementary::sqrt)
            }
            fn abs(self) -> Self {
                self.chain_unary(elementary::abs)
            }
            fn tanh(self) -> Self {
                self.chain_unary(elementary::tanh)
            }
            fn powi(self, n: i32) -> Self {
                self.chain_unary(|x| elementary::powi(x, n))
            }
            fn powf(self, e: Self) -> Self {
                // Constant exponent: the power rule, defined for negative bases too.
                if e.is_constant() {
                    let p = e.v;
                    return self.chain_unary(|x| {
                        let f = libm::pow(x, p);
                        (
                            f,
                            p * libm::pow(x, p - 1.0),
                            p * (p - 1.0) * libm::pow(x, p - 2.0),
                        )
                    });
                }
                // Variable exponent: x^e = exp(e · ln x).
                (e * self.ln()).exp()
            }
        }
    };
}

impl Dual {
    fn constant(c: f64) -> Self {
        Dual { v: c, g: [0.0; 2] }
    }
    fn is_constant(&self) -> bool {
        self.g == [0.0; 2]
    }
    fn zip(self, o: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        Dual {
            v: f(self.v, o.v),
            g: [f(self.g[0], o.g[0]), f(self.g[1], o.g[1])],
        }
    }
    fn scale(self, c: f64) -> Self {
        Dual {
            v: self.v * c,
            g: [self.g[0] * c, self.g[1] * c],
        }
    }
    fn chain_unary(self, f: impl Fn(f64) -> (f64, f64, f64)) -> Self {
        let (v, d1, _) = f(self.v);
        self.chain(v, d1)
    }
}

impl HyperDual {
    fn constant(c: f64) -> Self {
        HyperDual {
            v: c,
            g: [0.0; 2],
            h: [0.0; 3],
        }
    }
    fn is_constant(&self) -> bool {
        self.g == [0.0; 2] && self.h == [0.0; 3]
    }
    fn zip(self, o: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        HyperDual {
            v: f(self.v, o.v),
            g: [f(self.g[0], o.g[0]), f(self.g[1], o.g[1])],
            h: [
                f(self.h[0], o.h[0]),
                f(self.h[1], o.h[1]),
                f(self.h[2], o.h[2]),
            ],
        }
    }
    fn scale(self, c: f64) -> Self {
        HyperDual {
            v: self.v * c,
            g: [self.g[0] * c, self.g[1] * c],
            h: [self.h[0] * c, self.h[1] * c, self.h[2] * c],
        }
    }
    fn chain_unary(self, f: impl Fn(f64) -> (f64, f64, f64)) -> Self {
        let (v, d1, d2) = f(self.v);
        self.chain(v, d1, d2)
    }
}

fn dual_mul(a: Dual, b: Dual) -> Dual {
    Dual {
        v: a.v * b.v,
        g: [a.v * b.g[0] + b.v * a.g[0], a.v * b.g[1] + b.v * a.g[1]],
    }
}

fn hyper_mul(a: HyperDual, b: HyperDual) -> HyperDual {
    HyperDual {
        v: a.v * b.v,
        g: [a.v * b.g[0] + b.v * a.g[0], a.v * b.g[1] + b.v * a.g[1]],
        h: [
            a.v * b.h[0] + 2.0 * a.g[0] * b.g[0] + b.v * a.h[0],
            a.v * b.h[1] + a.g[0] * b.g[1] + a.g[1] * b.g[0] + b.v * a.h[1],
            a.v * b.h[2] + 2.0 * a.g[1] * b.g[1] + b.v * a.h[2],
        ],
    }
}

dual_ops!(Dual, dual_mul, |a: Dual, c: f64| a.scale(1.0 / c));
dual_ops!(HyperDual, hyper_mul, |a: HyperDual, c: f64| a
    .scale(1.0 / c));

#[cfg(test)]
mod tests {
    use super::*;

    fn f<S: Scalar>(x: S, y: S) -> S {
        (x * y).sin() + x.powi(3) / (y.exp() + 2.0) - (x * x + y * y + 1.0).sqrt().ln()
    }

    #[test]
    fn hyperdual_matches_finite_differences() {
        let (x0, y0) = (0.7, -0.3);
        let r = f(HyperDual::var(x0, 0), HyperDual::var(y0, 1));
        let h = 1e-5;
        let fx = |x: f64, y: f64| f(x, y);
        let gx = (fx(x0 + h, y0) - fx(x0 - h, y0)) / (2.0 * h);
        let gy = (fx(x0, y0 + h) - fx(x0, y0 - h)) / (2.0 * h);
        assert!((r.g[0] - gx).abs() < 1e-8 && (r.g[1] - gy).abs() < 1e-8);
        let hh = 1e-4;
        let hxy = (fx(x0 + hh, y0 + hh) - fx(x0 + hh, y0 - hh) - fx(x0 - hh, y0 + hh)
            + fx(x0 - hh, y0 - hh))
            / (4.0 * hh * hh);
        assert!((r.h[1] - hxy).abs() < 1e-5, "{} vs {}", r.h[1], hxy);
        let d = f(Dual::var(x0, 0), Dual::var(y0, 1));
        assert_eq!(d.g, r.g);
        assert_eq!(d.v, fx(x0, y0));
    }

    #[test]
    fn powi_is_exact_for_small_integers() {
        assert_eq!(powi_f64(3.0, 4), 81.0);
        assert_eq!(powi_f64(2.0, -2), 0.25);
        assert_eq!(powi_f64(0.0, 0), 1.0);
    }
}
