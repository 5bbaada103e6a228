//! SGD family: plain, heavy-ball momentum and Nesterov momentum (`torch.optim.SGD`).

use super::{listing, Kind, Optimizer, OptimizerKind, Param, Scale, StepNote, Values};

pub(super) const LR: Param = Param {
    key: "lr",
    label: "learning rate",
    default: 1e-3,
    min: 0.0,
    max: 1e4,
    slider: (1e-5, 10.0),
    kind: Kind::Number(Scale::Log),
    help: "step size η",
};

pub(super) const WEIGHT_DECAY: Param = Param {
    key: "weight_decay",
    label: "weight decay",
    default: 0.0,
    min: 0.0,
    max: 10.0,
    slider: (0.0, 1.0),
    kind: Kind::Number(Scale::Linear),
    help: "L2 penalty λ added to the gradient: g ← g + λθ",
};

pub(super) const MOMENTUM_COEF: Param = Param {
    key: "momentum",
    label: "momentum",
    default: 0.9,
    min: 0.0,
    max: 0.9999,
    slider: (0.0, 0.999),
    kind: Kind::Number(Scale::Linear),
    help: "fraction μ of the previous velocity kept each step",
};

const DAMPENING: Param = Param {
    key: "dampening",
    label: "dampening",
    default: 0.0,
    min: 0.0,
    max: 1.0,
    slider: (0.0, 1.0),
    kind: Kind::Number(Scale::Linear),
    help: "τ: the gradient enters the velocity scaled by (1 − τ)",
};

/// The per-card convention switch, off (PyTorch) by default. Where Keras 3 writes a rule
/// differently, `keras=1` runs Keras's form; its `weight_decay` is then decoupled
/// (θ ← θ − ηλθ before the step), as every Keras 3 optimizer applies it.
pub(super) const KERAS: Param = Param {
    key: "keras",
    label: "Keras convention",
    default: 0.0,
    min: 0.0,
    max: 1.0,
    slider: (0.0, 1.0),
    kind: Kind::Bool,
    help: "0: PyTorch's rule; 1: Keras 3's (velocity b ← μb + ηg, θ ← θ − b; same path at a \
           constant lr, not under a schedule)",
};

/// Keras 3's weight decay, decoupled from the gradient: θ ← θ − ηλθ before the update.
pub(super) fn keras_decay(p: &mut f64, lr: f64, weight_decay: f64) {
    *p -= *p * weight_decay * lr;
}

pub(super) const SGD_SCHEMA: &[Param] = &[LR, WEIGHT_DECAY];
pub(super) const MOMENTUM_SCHEMA: &[Param] = &[LR, MOMENTUM_COEF, DAMPENING, WEIGHT_DECAY, KERAS];
pub(super) const NESTEROV_SCHEMA: &[Param] = &[LR, MOMENTUM_COEF, WEIGHT_DECAY, KERAS];

/// Plain gradient descent: θ ← θ − η (g + λθ).
pub(super) struct Sgd {
    weight_decay: f64,
}

pub(super) fn make_sgd(h: &Values, _n: usize) -> Box<dyn Optimizer> {
    Box::new(Sgd {
        weight_decay: h.get("weight_decay"),
    })
}

impl Optimizer for Sgd {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        for (p, &g) in params.iter_mut().zip(grad) {
            let g = g + self.weight_decay * *p;
            *p -= lr * g;
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        Vec::new()
    }
}

/// SGD with a velocity buffer; heavy-ball or Nesterov. PyTorch seeds the buffer with the first
/// gradient itself (no dampening on step 1), which this keeps. Keras keeps η inside the
/// buffer instead (b ← μb + η(1−τ)g from b = 0, θ ← θ − b; Nesterov θ ← θ − (μb + ηg)).
pub(super) struct Momentum {
    momentum: f64,
    dampening: f64,
    weight_decay: f64,
    nesterov: bool,
    keras: bool,
    /// False until the first step: PyTorch's `momentum_buffer` is `None` until then.
    started: bool,
    momentum_buffer: Vec<f64>,
}

impl Momentum {
    fn new(h: &Values, n: usize, dampening: f64, nesterov: bool) -> Self {
        Momentum {
            momentum: h.get("momentum"),
            dampening,
            weight_decay: h.get("weight_decay"),
            nesterov,
            keras: h.get("keras") != 0.0,
            started: false,
            momentum_buffer: vec![0.0; n],
        }
    }
}

/// PyTorch bypasses the buffer when μ = 0, so dampening then has no effect; τ = 0 gives that.
pub(super) fn make_momentum(h: &Values, n: usize) -> Box<dyn Optimizer> {
    let dampening = if h.get("momentum") == 0.0 {
        0.0
    } else {
        h.get("dampening")
    };
    Box::new(Momentum::new(h, n, dampening, false))
}

/// PyTorch forbids dampening with Nesterov, so the schema has none.
pub(super) fn make_nesterov(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(Momentum::new(h, n, 0.0, true))
}

impl Optimizer for Momentum {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        let (mu, keep) = (self.momentum, 1.0 - self.dampening);
        if self.keras {
            for ((p, &g), b) in params.iter_mut().zip(grad).zip(&mut self.momentum_buffer) {
                keras_decay(p, lr, self.weight_decay);
                *b = mu * *b + lr * keep * g;
                *p -= if self.nesterov { mu * *b + lr * g } else { *b };
            }
            self.started = true;
            return StepNote::default();
        }
        for ((p, &g), b) in params.iter_mut().zip(grad).zip(&mut self.momentum_buffer) {
            let g = g + self.weight_decay * *p;
            *b = if self.started { mu * *b + keep * g } else { g };
            let d = if self.nesterov { g + mu * *b } else { *b };
            *p -= lr * d;
        }
        self.started = true;
        StepNote::default()
    }
    /// PyTorch's buffer exists from the first step; Keras's from the start, at zero.
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        if self.started || self.keras {
            vec![("momentum_buffer", self.momentum_buffer.clone())]
        } else {
            Vec::new()
        }
    }
    fn carried_direction(&self) -> Option<&[f64]> {
        Some(&self.momentum_buffer)
    }
}

pub(super) const SGD: OptimizerKind = OptimizerKind {
    id: "sgd",
    name: "SGD",
    pytorch: "SGD",
    schema: SGD_SCHEMA,
    rule: listing("θ ← θ − η·(g + λθ)"),
    make: make_sgd,
};

pub(super) const MOMENTUM: OptimizerKind = OptimizerKind {
    id: "momentum",
    name: "Momentum",
    pytorch: "SGD(momentum)",
    schema: MOMENTUM_SCHEMA,
    rule: listing("g ← g + λθ; b ← g at t = 1, else b ← μb + (1−τ)g (τ = 0 if μ = 0); θ ← θ − η·b"),
    make: make_momentum,
};

pub(super) const NESTEROV: OptimizerKind = OptimizerKind {
    id: "nesterov",
    name: "Nesterov",
    pytorch: "SGD(momentum, nesterov=True)",
    schema: NESTEROV_SCHEMA,
    rule: listing("g ← g + λθ; b ← g at t = 1, else b ← μb + g; θ ← θ − η·(g + μb)"),
    make: make_nesterov,
};
