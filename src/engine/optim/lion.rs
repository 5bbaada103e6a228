//! Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"; `optax.lion`):
//! every coordinate moves by exactly ±η (plus decay), in the sign of an interpolated momentum.

use super::adam::{BETA1, BETA2};
use super::sgd::{LR, WEIGHT_DECAY};
use super::{listing, Optimizer, OptimizerKind, Param, StepNote, Values};

pub(super) const LION_SCHEMA: &[Param] = &[
    Param {
        default: 1e-4,
        ..LR
    },
    BETA1,
    Param {
        default: 0.99,
        help: "decay β₂ of the momentum m that is carried to the next step",
        ..BETA2
    },
    Param {
        help: "decoupled decay λ: θ ← θ − η(sign(c) + λθ)",
        ..WEIGHT_DECAY
    },
];

pub(super) struct Lion {
    beta1: f64,
    beta2: f64,
    weight_decay: f64,
    exp_avg: Vec<f64>,
}

pub(super) fn make_lion(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(Lion {
        beta1: h.get("beta1"),
        beta2: h.get("beta2"),
        weight_decay: h.get("weight_decay"),
        exp_avg: vec![0.0; n],
    })
}

/// sign with sign(0) = 0, as `jnp.sign`; `f64::signum` would move a coordinate whose
/// interpolated momentum is exactly zero.
fn sign(x: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        x.signum()
    }
}

impl Optimizer for Lion {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        let (b1, b2) = (self.beta1, self.beta2);
        for ((p, &g), m) in params.iter_mut().zip(grad).zip(&mut self.exp_avg) {
            let c = b1 * *m + (1.0 - b1) * g;
            *p -= lr * (sign(c) + self.weight_decay * *p);
            *m = b2 * *m + (1.0 - b2) * g;
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![("exp_avg", self.exp_avg.clone())]
    }
    fn carried_direction(&self) -> Option<&[f64]> {
        Some(&self.exp_avg)
    }
}

pub(super) const LION: OptimizerKind = OptimizerKind {
    id: "lion",
    name: "Lion",
    pytorch: "Lion (Chen et al. 2023; optax.lion)",
    schema: LION_SCHEMA,
    rule: listing("c = β₁m + (1−β₁)g; θ ← θ − η(sign(c) + λθ); m ← β₂m + (1−β₂)g"),
    make: make_lion,
};
