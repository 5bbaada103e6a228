//! Per-coordinate adaptive rates from a running sum or average of squared gradients:
//! Adagrad, RMSprop and Adadelta (`torch.optim.Adagrad`, `RMSprop`, `Adadelta`).

use super::sgd::{keras_decay, KERAS, LR, MOMENTUM_COEF, WEIGHT_DECAY};
use super::{listing, Kind, Optimizer, OptimizerKind, Param, Scale, StepNote, Values};

pub(super) const EPS: Param = Param {
    key: "eps",
    label: "epsilon",
    default: 1e-8,
    min: 0.0,
    max: 1.0,
    slider: (1e-12, 1e-1),
    kind: Kind::Number(Scale::Log),
    help: "ε added to the denominator so it is never zero",
};

pub(super) const ADAGRAD_SCHEMA: &[Param] = &[
    Param {
        default: 0.01,
        ..LR
    },
    Param {
        key: "lr_decay",
        label: "learning-rate decay",
        default: 0.0,
        min: 0.0,
        max: 10.0,
        slider: (0.0, 0.1),
        kind: Kind::Number(Scale::Linear),
        help: "δ: step t uses η/(1 + (t−1)·δ)",
    },
    Param {
        key: "initial_accumulator_value",
        label: "initial accumulator",
        default: 0.0,
        min: 0.0,
        max: 1e4,
        slider: (0.0, 1.0),
        kind: Kind::Number(Scale::Linear),
        help: "starting value of the squared-gradient sum s; damps the first steps",
    },
    Param {
        default: 1e-10,
        ..EPS
    },
    WEIGHT_DECAY,
    Param {
        help: "0: PyTorch's rule; 1: Keras 3's, ε inside the root: g/√(s + ε), and Keras's \
               defaults for values not set (s starts at 0.1, ε = 1e-7, η = 0.001)",
        ..KERAS
    },
];

pub(super) const RMSPROP_SCHEMA: &[Param] = &[
    Param {
        default: 0.01,
        ..LR
    },
    Param {
        key: "alpha",
        label: "smoothing α",
        default: 0.99,
        min: 0.0,
        max: 0.9999,
        slider: (0.5, 0.9999),
        kind: Kind::Number(Scale::Linear),
        help: "decay α of the running average of g²",
    },
    EPS,
    Param {
        default: 0.0,
        ..MOMENTUM_COEF
    },
    Param {
        key: "centered",
        label: "centered",
        default: 0.0,
        min: 0.0,
        max: 1.0,
        slider: (0.0, 1.0),
        kind: Kind::Bool,
        help: "divide by the running variance of g instead of its raw second moment",
    },
    WEIGHT_DECAY,
    Param {
        help: "0: PyTorch's rule; 1: Keras 3's, ε inside the root, g/√(v + ε), and η inside \
               the velocity b ← μb + ηg/√(v + ε)",
        ..KERAS
    },
];

pub(super) const ADADELTA_SCHEMA: &[Param] = &[
    Param { default: 1.0, ..LR },
    Param {
        key: "rho",
        label: "smoothing ρ",
        default: 0.9,
        min: 0.0,
        max: 0.9999,
        slider: (0.5, 0.9999),
        kind: Kind::Number(Scale::Linear),
        help: "decay ρ of the running averages of g² and of Δ²",
    },
    Param {
        default: 1e-6,
        ..EPS
    },
    WEIGHT_DECAY,
];

/// Adagrad: divides by the root of the sum of all squared gradients so far.
pub(super) struct Adagrad {
    lr_decay: f64,
    eps: f64,
    weight_decay: f64,
    keras: bool,
    step: u64,
    /// η/(1 + (t−1)·δ) of the last step.
    clr: f64,
    sum: Vec<f64>,
}

pub(super) fn make_adagrad(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(Adagrad {
        lr_decay: h.get("lr_decay"),
        eps: h.get("eps"),
        weight_decay: h.get("weight_decay"),
        keras: h.get("keras") != 0.0,
        step: 0,
        clr: 0.0,
        sum: vec![h.get("initial_accumulator_value"); n],
    })
}

impl Optimizer for Adagrad {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        self.step += 1;
        self.clr = lr / (1.0 + (self.step - 1) as f64 * self.lr_decay);
        for ((p, &g), s) in params.iter_mut().zip(grad).zip(&mut self.sum) {
            if self.keras {
                keras_decay(p, lr, self.weight_decay);
                *s += g * g;
                *p -= self.clr * g / (*s + self.eps).sqrt();
                continue;
            }
            let g = g + self.weight_decay * *p;
            *s += g * g;
            *p -= self.clr * (g / (s.sqrt() + self.eps));
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![("step", vec![self.step as f64]), ("sum", self.sum.clone())]
    }
    /// The factor multiplying g in the last step: η/(1 + (t−1)·δ) / (√s + ε), Keras
    /// η/(1 + (t−1)·δ) / √(s + ε).
    fn effective_lr(&self) -> Option<Vec<f64>> {
        (self.step > 0).then(|| {
            self.sum
                .iter()
                .map(|&s| {
                    let d = if self.keras {
                        (s + self.eps).sqrt()
                    } else {
                        s.sqrt() + self.eps
                    };
                    self.clr / d
                })
                .collect()
        })
    }
}

/// RMSprop, optionally centered and with momentum. All buffers are allocated up front so the
/// step never allocates; [`Optimizer::state`] reports only those PyTorch would create.
pub(super) struct RmsProp {
    alpha: f64,
    eps: f64,
    momentum: f64,
    centered: bool,
    weight_decay: f64,
    keras: bool,
    step: u64,
    lr: f64,
    square_avg: Vec<f64>,
    grad_avg: Vec<f64>,
    momentum_buffer: Vec<f64>,
}

pub(super) fn make_rmsprop(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(RmsProp {
        alpha: h.get("alpha"),
        eps: h.get("eps"),
        momentum: h.get("momentum"),
        centered: h.get("centered") != 0.0,
        weight_decay: h.get("weight_decay"),
        keras: h.get("keras") != 0.0,
        step: 0,
        lr: 0.0,
        square_avg: vec![0.0; n],
        grad_avg: vec![0.0; n],
        momentum_buffer: vec![0.0; n],
    })
}

impl RmsProp {
    /// The denominator √v̄ + ε (Keras √(v̄ + ε)) for coordinate `i`. The centered variance
    /// v − ḡ² is ≥ 0 in exact arithmetic; clamping at 0 only removes a NaN that rounding could
    /// cause.
    fn denom(&self, i: usize) -> f64 {
        let v = if self.centered {
            (self.square_avg[i] - self.grad_avg[i] * self.grad_avg[i]).max(0.0)
        } else {
            self.square_avg[i]
        };
        if self.keras {
            (v + self.eps).sqrt()
        } else {
            v.sqrt() + self.eps
        }
    }
}

impl Optimizer for RmsProp {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        self.step += 1;
        self.lr = lr;
        let a = self.alpha;
        for (i, (p, &g)) in params.iter_mut().zip(grad).enumerate() {
            let g = if self.keras {
                keras_decay(p, lr, self.weight_decay);
                g
            } else {
                g + self.weight_decay * *p
            };
            self.square_avg[i] = a * self.square_avg[i] + (1.0 - a) * g * g;
            if self.centered {
                self.grad_avg[i] = a * self.grad_avg[i] + (1.0 - a) * g;
            }
            let d = self.denom(i);
            if self.keras && self.momentum > 0.0 {
                let b = &mut self.momentum_buffer[i];
                *b = self.momentum * *b + lr * g / d;
                *p -= *b;
            } else if self.momentum > 0.0 {
                let b = &mut self.momentum_buffer[i];
                *b = self.momentum * *b + g / d;
                *p -= lr * *b;
            } else {
                *p -= lr * (g / d);
            }
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        let mut s = vec![
            ("step", vec![self.step as f64]),
            ("square_avg", self.square_avg.clone()),
        ];
        if self.momentum > 0.0 {
            s.push(("momentum_buffer", self.momentum_buffer.clone()));
        }
        if self.centered {
            s.push(("grad_avg", self.grad_avg.clone()));
        }
        s
    }
    fn carried_direction(&self) -> Option<&[f64]> {
        (self.momentum > 0.0).then_some(&self.momentum_buffer[..])
    }
    /// The factor multiplying g in the last step: η / (√v̄ + ε) (into the velocity when μ > 0).
    fn effective_lr(&self) -> Option<Vec<f64>> {
        (self.step > 0).then(|| {
            (0..self.square_avg.len())
                .map(|i| self.lr / self.denom(i))
                .collect()
        })
    }
}

/// Adadelta: the step's size comes from the running average of past steps, not from η alone.
pub(super) struct Adadelta {
    rho: f64,
    eps: f64,
    weight_decay: f64,
    step: u64,
    lr: f64,
    square_avg: Vec<f64>,
    acc_delta: Vec<f64>,
    /// √(u + ε)/√(v + ε) of the last step; kept because u has moved on since.
    scale: Vec<f64>,
}

pub(super) fn make_adadelta(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(Adadelta {
        rho: h.get("rho"),
        eps: h.get("eps"),
        weight_decay: h.get("weight_decay"),
        step: 0,
        lr: 0.0,
        square_avg: vec![0.0; n],
        acc_delta: vec![0.0; n],
        scale: vec![0.0; n],
    })
}

impl Optimizer for Adadelta {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        self.step += 1;
        self.lr = lr;
        let (rho, eps) = (self.rho, self.eps);
        let buffers = self
            .square_avg
            .iter_mut()
            .zip(&mut self.acc_delta)
            .zip(&mut self.scale);
        for ((p, &g), ((v, u), scale)) in params.iter_mut().zip(grad).zip(buffers) {
            let g = g + self.weight_decay * *p;
            *v = rho * *v + (1.0 - rho) * g * g;
            *scale = (*u + eps).sqrt() / (*v + eps).sqrt();
            let delta = *scale * g;
            *u = rho * *u + (1.0 - rho) * delta * delta;
            *p -= lr * delta;
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![
            ("step", vec![self.step as f64]),
            ("square_avg", self.square_avg.clone()),
            ("acc_delta", self.acc_delta.clone()),
        ]
    }
    /// The factor multiplying g in the last step: η·√(u + ε)/√(v + ε), u before its update.
    fn effective_lr(&self) -> Option<Vec<f64>> {
        (self.step > 0).then(|| self.scale.iter().map(|s| self.lr * s).collect())
    }
}

pub(super) const ADAGRAD: OptimizerKind = OptimizerKind {
    id: "adagrad",
    name: "Adagrad",
    pytorch: "Adagrad",
    schema: ADAGRAD_SCHEMA,
    rule: listing("g ← g + λθ; s ← s + g²; θ ← θ − η/(1 + (t−1)δ) · g/(√s + ε)"),
    make: make_adagrad,
};

pub(super) const RMSPROP: OptimizerKind = OptimizerKind {
    id: "rmsprop",
    name: "RMSprop",
    pytorch: "RMSprop",
    schema: RMSPROP_SCHEMA,
    rule: listing(
        "g ← g + λθ; v ← αv + (1−α)g²; if centered: ḡ ← αḡ + (1−α)g, d = √max(v − ḡ², 0) + ε, \
           else d = √v + ε; if μ > 0: b ← μb + g/d, θ ← θ − η·b, else θ ← θ − η·g/d",
    ),
    make: make_rmsprop,
};

pub(super) const ADADELTA: OptimizerKind = OptimizerKind {
    id: "adadelta",
    name: "Adadelta",
    pytorch: "Adadelta",
    schema: ADADELTA_SCHEMA,
    rule: listing(
        "g ← g + λθ; v ← ρv + (1−ρ)g²; Δ = √(u + ε)/√(v + ε) · g; u ← ρu + (1−ρ)Δ²; \
           θ ← θ − η·Δ",
    ),
    make: make_adadelta,
};
