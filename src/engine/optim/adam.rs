//! Adam and its relatives: Adam, AMSGrad, AdamW, Adamax, NAdam and RAdam (`torch.optim`).
//!
//! β₁ᵗ and β₂ᵗ are kept as running products rather than recomputed with `pow`, which is cheaper
//! and bit-identical on every target.

use super::adaptive::EPS;
use super::sgd::{keras_decay, KERAS, LR, WEIGHT_DECAY};
use super::{listing, Kind, Optimizer, OptimizerKind, Param, Scale, StepNote, Values};

pub(super) const BETA1: Param = Param {
    key: "beta1",
    label: "β₁",
    default: 0.9,
    min: 0.0,
    max: 0.9999,
    slider: (0.0, 0.999),
    kind: Kind::Number(Scale::Linear),
    help: "decay β₁ of the first moment m (the running mean of g)",
};

pub(super) const BETA2: Param = Param {
    key: "beta2",
    label: "β₂",
    default: 0.999,
    min: 0.0,
    max: 0.9999,
    slider: (0.9, 0.9999),
    kind: Kind::Number(Scale::Linear),
    help: "decay β₂ of the second moment v (the running mean of g²)",
};

/// Adam's and AMSGrad's switch: Keras adds ε to √v before bias correction.
const KERAS_ADAM: Param = Param {
    help: "0: PyTorch's rule, m̂/(√v̂ + ε); 1: Keras 3's, η√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε): ε \
           added before bias correction, so it weighs √(1−β₂ᵗ)⁻¹ times more early on",
    ..KERAS
};

pub(super) const ADAM_SCHEMA: &[Param] = &[LR, BETA1, BETA2, EPS, WEIGHT_DECAY, KERAS_ADAM];

/// RAdam and the teaching variant: no Keras counterpart to switch to.
pub(super) const ADAM_PLAIN_SCHEMA: &[Param] = &[LR, BETA1, BETA2, EPS, WEIGHT_DECAY];

pub(super) const ADAMW_SCHEMA: &[Param] = &[
    LR,
    BETA1,
    BETA2,
    EPS,
    Param {
        default: 0.01,
        help: "decoupled decay λ: θ ← θ(1 − ηλ) before the Adam step",
        ..WEIGHT_DECAY
    },
    KERAS_ADAM,
];

const LR_2E3: Param = Param {
    default: 2e-3,
    ..LR
};

pub(super) const ADAMAX_SCHEMA: &[Param] = &[
    LR_2E3,
    BETA1,
    BETA2,
    EPS,
    WEIGHT_DECAY,
    Param {
        help: "0: PyTorch's rule, u ← max(β₂u, |g| + ε); 1: Keras 3's, u ← max(β₂u, |g|) and \
               m/(u + ε)",
        ..KERAS
    },
];

pub(super) const NADAM_SCHEMA: &[Param] = &[
    LR_2E3,
    BETA1,
    BETA2,
    EPS,
    Param {
        key: "momentum_decay",
        label: "momentum decay ψ",
        default: 4e-3,
        min: 0.0,
        max: 10.0,
        slider: (1e-4, 1.0),
        kind: Kind::Number(Scale::Log),
        help: "ψ: how fast the momentum schedule μₜ = β₁(1 − ½·0.96^(tψ)) warms up",
    },
    WEIGHT_DECAY,
    Param {
        help:
            "0: PyTorch's schedule μₜ = β₁(1 − ½·0.96^(tψ)); 1: Keras 3's, μₜ = β₁(1 − ½·0.96^t) \
               (ψ = 1 whatever momentum_decay says)",
        ..KERAS
    },
];

/// What every member of the family reads and counts.
struct Common {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    keras: bool,
    step: u64,
    /// β₁ᵗ and β₂ᵗ at the current step.
    beta1_t: f64,
    beta2_t: f64,
    /// η of the last step (it may follow a schedule).
    lr: f64,
    exp_avg: Vec<f64>,
}

impl Common {
    fn new(h: &Values, n: usize) -> Self {
        Common {
            beta1: h.get("beta1"),
            beta2: h.get("beta2"),
            eps: h.get("eps"),
            weight_decay: h.get("weight_decay"),
            keras: h.schema().iter().any(|p| p.key == "keras") && h.get("keras") != 0.0,
            step: 0,
            beta1_t: 1.0,
            beta2_t: 1.0,
            lr: 0.0,
            exp_avg: vec![0.0; n],
        }
    }

    /// Starts step t + 1.
    fn tick(&mut self, lr: f64) {
        self.step += 1;
        self.beta1_t *= self.beta1;
        self.beta2_t *= self.beta2;
        self.lr = lr;
    }

    fn step_state(&self) -> (&'static str, Vec<f64>) {
        ("step", vec![self.step as f64])
    }
}

/// Adam, with AMSGrad's running maximum of v and AdamW's decoupled decay as compile-time
/// switches, so the three share one loop and pay nothing for the switches they do not use.
/// `bias_correction` is off only in the teaching variant `adam_nobc`.
pub(super) struct Adam<const AMSGRAD: bool, const DECOUPLED: bool> {
    c: Common,
    bias_correction: bool,
    exp_avg_sq: Vec<f64>,
    /// Empty unless `AMSGRAD`.
    max_exp_avg_sq: Vec<f64>,
}

fn make<const AMSGRAD: bool, const DECOUPLED: bool>(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(Adam::<AMSGRAD, DECOUPLED> {
        c: Common::new(h, n),
        bias_correction: true,
        exp_avg_sq: vec![0.0; n],
        max_exp_avg_sq: vec![0.0; if AMSGRAD { n } else { 0 }],
    })
}

pub(super) fn make_adam(h: &Values, n: usize) -> Box<dyn Optimizer> {
    make::<false, false>(h, n)
}

pub(super) fn make_amsgrad(h: &Values, n: usize) -> Box<dyn Optimizer> {
    make::<true, false>(h, n)
}

pub(super) fn make_adamw(h: &Values, n: usize) -> Box<dyn Optimizer> {
    make::<false, true>(h, n)
}

/// The seed articles' Adam without bias correction (not in PyTorch): θ ← θ − η·m/(√v + ε).
pub(super) fn make_adam_nobc(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(Adam::<false, false> {
        c: Common::new(h, n),
        bias_correction: false,
        exp_avg_sq: vec![0.0; n],
        max_exp_avg_sq: Vec::new(),
    })
}

impl<const AMSGRAD: bool, const DECOUPLED: bool> Adam<AMSGRAD, DECOUPLED> {
    /// The step's two factors, θ ← θ − a·m/(√v/c + ε): PyTorch a = η/(1−β₁ᵗ), c = √(1−β₂ᵗ);
    /// Keras a = η√(1−β₂ᵗ)/(1−β₁ᵗ), c = 1 (ε before bias correction); no correction a = η, c = 1.
    fn factors(&self) -> (f64, f64) {
        let c = &self.c;
        let bc2_sqrt = (1.0 - c.beta2_t).sqrt();
        if !self.bias_correction {
            (c.lr, 1.0)
        } else if c.keras {
            (c.lr * bc2_sqrt / (1.0 - c.beta1_t), 1.0)
        } else {
            (c.lr / (1.0 - c.beta1_t), bc2_sqrt)
        }
    }

    /// The second moment the denominator uses.
    fn v(&self) -> &[f64] {
        if AMSGRAD {
            &self.max_exp_avg_sq
        } else {
            &self.exp_avg_sq
        }
    }
}

impl<const AMSGRAD: bool, const DECOUPLED: bool> Optimizer for Adam<AMSGRAD, DECOUPLED> {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        self.c.tick(lr);
        let Common {
            beta1: b1,
            beta2: b2,
            eps,
            weight_decay: wd,
            ..
        } = self.c;
        let (step_size, bc2_sqrt) = self.factors();
        let decay = 1.0 - lr * wd;
        let decoupled = DECOUPLED || self.c.keras;
        let moments = self.c.exp_avg.iter_mut().zip(&mut self.exp_avg_sq);
        for (i, ((p, &g), (m, v))) in params.iter_mut().zip(grad).zip(moments).enumerate() {
            let g = if decoupled {
                *p *= decay;
                g
            } else {
                g + wd * *p
            };
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            let v = if AMSGRAD {
                let vmax = &mut self.max_exp_avg_sq[i];
                *vmax = vmax.max(*v);
                *vmax
            } else {
                *v
            };
            *p -= step_size * (*m / (v.sqrt() / bc2_sqrt + eps));
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        let mut s = vec![
            self.c.step_state(),
            ("exp_avg", self.c.exp_avg.clone()),
            ("exp_avg_sq", self.exp_avg_sq.clone()),
        ];
        if AMSGRAD {
            s.push(("max_exp_avg_sq", self.max_exp_avg_sq.clone()));
        }
        s
    }
    fn carried_direction(&self) -> Option<&[f64]> {
        Some(&self.c.exp_avg)
    }
    /// The factor multiplying m in the last step: a/(√v/c + ε) ([`Adam::factors`]), with v the
    /// running maximum for AMSGrad.
    fn effective_lr(&self) -> Option<Vec<f64>> {
        (self.c.step > 0).then(|| {
            let (step_size, bc2_sqrt) = self.factors();
            self.v()
                .iter()
                .map(|v| step_size / (v.sqrt() / bc2_sqrt + self.c.eps))
                .collect()
        })
    }
}

/// Adamax: Adam with the infinity norm, u ← max(β₂u, |g| + ε), in place of √v.
pub(super) struct Adamax {
    c: Common,
    exp_inf: Vec<f64>,
}

pub(super) fn make_adamax(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(Adamax {
        c: Common::new(h, n),
        exp_inf: vec![0.0; n],
    })
}

impl Optimizer for Adamax {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        self.c.tick(lr);
        let Common {
            beta1: b1,
            beta2: b2,
            eps,
            weight_decay: wd,
            ..
        } = self.c;
        let clr = lr / (1.0 - self.c.beta1_t);
        let keras = self.c.keras;
        let moments = self.c.exp_avg.iter_mut().zip(&mut self.exp_inf);
        for ((p, &g), (m, u)) in params.iter_mut().zip(grad).zip(moments) {
            if keras {
                keras_decay(p, lr, wd);
                *m = b1 * *m + (1.0 - b1) * g;
                *u = (b2 * *u).max(g.abs());
                *p -= clr * *m / (*u + eps);
                continue;
            }
            let g = g + wd * *p;
            *m = b1 * *m + (1.0 - b1) * g;
            *u = (b2 * *u).max(g.abs() + eps);
            *p -= clr * (*m / *u);
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![
            self.c.step_state(),
            ("exp_avg", self.c.exp_avg.clone()),
            ("exp_inf", self.exp_inf.clone()),
        ]
    }
    fn carried_direction(&self) -> Option<&[f64]> {
        Some(&self.c.exp_avg)
    }
    /// The factor multiplying m in the last step: η/(1−β₁ᵗ) / u (Keras / (u + ε)).
    fn effective_lr(&self) -> Option<Vec<f64>> {
        let c = &self.c;
        (c.step > 0).then(|| {
            let clr = c.lr / (1.0 - c.beta1_t);
            let eps = if c.keras { c.eps } else { 0.0 };
            self.exp_inf.iter().map(|u| clr / (u + eps)).collect()
        })
    }
}

/// NAdam: Adam with Nesterov momentum and PyTorch's warming-up schedule μₜ.
pub(super) struct NAdam {
    c: Common,
    momentum_decay: f64,
    /// Πₖ≤ₜ μₖ.
    mu_product: f64,
    /// μₜ₊₁, computed last step: saves one `pow` per step.
    mu_next: f64,
    exp_avg_sq: Vec<f64>,
}

pub(super) fn make_nadam(h: &Values, n: usize) -> Box<dyn Optimizer> {
    let c = Common::new(h, n);
    // Keras's schedule is PyTorch's with ψ = 1.
    let momentum_decay = if c.keras {
        1.0
    } else {
        h.get("momentum_decay")
    };
    let mut nadam = NAdam {
        c,
        momentum_decay,
        mu_product: 1.0,
        mu_next: 0.0,
        exp_avg_sq: vec![0.0; n],
    };
    nadam.mu_next = nadam.mu(1);
    Box::new(nadam)
}

impl NAdam {
    /// μₜ = β₁(1 − ½·0.96^(tψ)); `libm` so that native and wasm32 agree to the bit.
    fn mu(&self, t: u64) -> f64 {
        self.c.beta1 * (1.0 - 0.5 * libm::pow(0.96, t as f64 * self.momentum_decay))
    }

    /// √(v/(1−β₂ᵗ)) + ε.
    fn denom(&self, v: f64) -> f64 {
        (v / (1.0 - self.c.beta2_t)).sqrt() + self.c.eps
    }
}

impl Optimizer for NAdam {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        self.c.tick(lr);
        let mu = self.mu_next;
        let mu_next = self.mu(self.c.step + 1);
        self.mu_next = mu_next;
        self.mu_product *= mu;
        let g_coef = lr * (1.0 - mu) / (1.0 - self.mu_product);
        let m_coef = lr * mu_next / (1.0 - self.mu_product * mu_next);
        let (b1, b2, wd) = (self.c.beta1, self.c.beta2, self.c.weight_decay);
        for (i, (p, &g)) in params.iter_mut().zip(grad).enumerate() {
            let g = if self.c.keras {
                keras_decay(p, lr, wd);
                g
            } else {
                g + wd * *p
            };
            let m = &mut self.c.exp_avg[i];
            *m = b1 * *m + (1.0 - b1) * g;
            let v = &mut self.exp_avg_sq[i];
            *v = b2 * *v + (1.0 - b2) * g * g;
            let d = self.denom(self.exp_avg_sq[i]);
            *p -= g_coef * (g / d);
            *p -= m_coef * (self.c.exp_avg[i] / d);
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![
            self.c.step_state(),
            ("mu_product", vec![self.mu_product]),
            ("exp_avg", self.c.exp_avg.clone()),
            ("exp_avg_sq", self.exp_avg_sq.clone()),
        ]
    }
    fn carried_direction(&self) -> Option<&[f64]> {
        Some(&self.c.exp_avg)
    }
    /// η / (√(v/(1−β₂ᵗ)) + ε) of the last step: the rate applied to the Nesterov mix
    /// (1−μₜ)/(1−Πₜ)·g + μₜ₊₁/(1−Πₜμₜ₊₁)·m.
    fn effective_lr(&self) -> Option<Vec<f64>> {
        (self.c.step > 0).then(|| {
            self.exp_avg_sq
                .iter()
                .map(|&v| self.c.lr / self.denom(v))
                .collect()
        })
    }
}

/// RAdam: Adam whose adaptive rate is switched on, and rectified, only once the variance of
/// v's estimate is tractable (ρₜ > 5); before that it takes bias-corrected momentum steps.
pub(super) struct RAdam {
    c: Common,
    exp_avg_sq: Vec<f64>,
    /// The rectification r of the last step, `None` when it was an un-adapted step.
    rect: Option<f64>,
}

pub(super) fn make_radam(h: &Values, n: usize) -> Box<dyn Optimizer> {
    Box::new(RAdam {
        c: Common::new(h, n),
        exp_avg_sq: vec![0.0; n],
        rect: None,
    })
}

impl RAdam {
    /// The factor multiplying m for coordinate with second moment `v`.
    fn rate(&self, v: f64) -> f64 {
        let c = &self.c;
        let base = c.lr / (1.0 - c.beta1_t);
        match self.rect {
            Some(r) => base * ((1.0 - c.beta2_t).sqrt() / (v.sqrt() + c.eps)) * r,
            None => base,
        }
    }
}

impl Optimizer for RAdam {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        self.c.tick(lr);
        let (b1, b2, eps, wd) = (self.c.beta1, self.c.beta2, self.c.eps, self.c.weight_decay);
        let bc1 = 1.0 - self.c.beta1_t;
        let bc2 = 1.0 - self.c.beta2_t;
        let rho_inf = 2.0 / (1.0 - b2) - 1.0;
        let rho_t = rho_inf - 2.0 * self.c.step as f64 * self.c.beta2_t / bc2;
        self.rect = (rho_t > 5.0).then(|| {
            ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                .sqrt()
        });
        let bc2_sqrt = bc2.sqrt();
        let moments = self.c.exp_avg.iter_mut().zip(&mut self.exp_avg_sq);
        for ((p, &g), (m, v)) in params.iter_mut().zip(grad).zip(moments) {
            let g = g + wd * *p;
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            let m_hat = *m / bc1;
            *p -= match self.rect {
                Some(r) => m_hat * lr * (bc2_sqrt / (v.sqrt() + eps)) * r,
                None => m_hat * lr,
            };
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        vec![
            self.c.step_state(),
            ("exp_avg", self.c.exp_avg.clone()),
            ("exp_avg_sq", self.exp_avg_sq.clone()),
        ]
    }
    fn carried_direction(&self) -> Option<&[f64]> {
        Some(&self.c.exp_avg)
    }
    /// The factor multiplying m in the last step: η/(1−β₁ᵗ) · r·√(1−β₂ᵗ)/(√v + ε) when
    /// rectified, η/(1−β₁ᵗ) otherwise.
    fn effective_lr(&self) -> Option<Vec<f64>> {
        (self.c.step > 0).then(|| self.exp_avg_sq.iter().map(|&v| self.rate(v)).collect())
    }
}

pub(super) const ADAM: OptimizerKind = OptimizerKind {
    id: "adam",
    name: "Adam",
    pytorch: "Adam",
    schema: ADAM_SCHEMA,
    rule: listing(
        "g ← g + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; \
           θ ← θ − η/(1−β₁ᵗ) · m/(√v/√(1−β₂ᵗ) + ε)",
    ),
    make: make_adam,
};

pub(super) const AMSGRAD: OptimizerKind = OptimizerKind {
    id: "amsgrad",
    name: "AMSGrad",
    pytorch: "Adam(amsgrad=True)",
    schema: ADAM_SCHEMA,
    rule: listing(
        "g ← g + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; v̂ ← max(v̂, v); \
           θ ← θ − η/(1−β₁ᵗ) · m/(√v̂/√(1−β₂ᵗ) + ε)",
    ),
    make: make_amsgrad,
};

pub(super) const ADAMW: OptimizerKind = OptimizerKind {
    id: "adamw",
    name: "AdamW",
    pytorch: "AdamW",
    schema: ADAMW_SCHEMA,
    rule: listing(
        "θ ← θ(1 − ηλ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; \
           θ ← θ − η/(1−β₁ᵗ) · m/(√v/√(1−β₂ᵗ) + ε)",
    ),
    make: make_adamw,
};

pub(super) const ADAMAX: OptimizerKind = OptimizerKind {
    id: "adamax",
    name: "Adamax",
    pytorch: "Adamax",
    schema: ADAMAX_SCHEMA,
    rule: listing("g ← g + λθ; m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε); θ ← θ − η/(1−β₁ᵗ) · m/u"),
    make: make_adamax,
};

pub(super) const NADAM: OptimizerKind = OptimizerKind {
    id: "nadam",
    name: "NAdam",
    pytorch: "NAdam",
    schema: NADAM_SCHEMA,
    rule: listing(
        "g ← g + λθ; μₜ = β₁(1 − ½·0.96^(tψ)); Πₜ = Πₜ₋₁μₜ; m ← β₁m + (1−β₁)g; \
           v ← β₂v + (1−β₂)g²; d = √(v/(1−β₂ᵗ)) + ε; \
           θ ← θ − η(1−μₜ)/(1−Πₜ) · g/d − ημₜ₊₁/(1−Πₜμₜ₊₁) · m/d",
    ),
    make: make_nadam,
};

pub(super) const RADAM: OptimizerKind = OptimizerKind {
    id: "radam",
    name: "RAdam",
    pytorch: "RAdam",
    schema: ADAM_PLAIN_SCHEMA,
    rule: listing(
        "g ← g + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; ρ∞ = 2/(1−β₂) − 1; \
           ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ); if ρₜ > 5: r = √((ρₜ−4)(ρₜ−2)ρ∞/((ρ∞−4)(ρ∞−2)ρₜ)), \
           θ ← θ − η·m/(1−β₁ᵗ) · r√(1−β₂ᵗ)/(√v + ε), else θ ← θ − η·m/(1−β₁ᵗ)",
    ),
    make: make_radam,
};

pub(super) const ADAM_NOBC: OptimizerKind = OptimizerKind {
    id: "adam_nobc",
    name: "Adam, no bias correction",
    pytorch: "none — teaching only (the seed articles' Adam without m̂, v̂)",
    schema: ADAM_PLAIN_SCHEMA,
    rule: listing("g ← g + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·m/(√v + ε) \
           (not in PyTorch: without bias correction step t is scaled by (1−β₁ᵗ)/√(1−β₂ᵗ), about 3× too \
           long at t = 1 with the default betas)"),
    make: make_adam_nobc,
};
