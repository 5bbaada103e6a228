//! Optimizers with PyTorch's `torch.optim` update rules and defaults, in float64.
//!
//! One file per optimizer family. Each optimizer id has a hyperparameter [`Schema`] from which
//! the page builds its controls and the CLI parses `--set key=value`; [`CATALOG`] lists them all
//! and [`build`] makes a stepper from an id and validated hyperparameters.

use serde::Serialize;

/// How a numeric hyperparameter's slider moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Scale {
    Linear,
    Log,
}

/// What kind of control a hyperparameter gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Kind {
    Number(Scale),
    /// A toggle; stored as 0.0 / 1.0.
    Bool,
}

/// One hyperparameter of one optimizer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct HyperParam {
    /// The PyTorch name (`lr`, `beta1`, `momentum`, …): URL, CLI and `<input name>`.
    pub key: &'static str,
    /// Human label, e.g. "learning rate".
    pub label: &'static str,
    pub default: f64,
    /// Inclusive valid range; values outside are rejected with a message naming it.
    pub min: f64,
    pub max: f64,
    /// The range a slider spans (a sub-range of `min..=max` that makes a good demo).
    pub slider: (f64, f64),
    pub kind: Kind,
    /// One line of help.
    pub help: &'static str,
}

pub type Schema = &'static [HyperParam];

/// Validated hyperparameter values, in schema order.
#[derive(Clone, Debug, PartialEq)]
pub struct Hyper {
    schema: Schema,
    values: Vec<f64>,
}

impl Hyper {
    /// All defaults.
    pub fn defaults(schema: Schema) -> Self {
        Hyper {
            schema,
            values: schema.iter().map(|h| h.default).collect(),
        }
    }

    /// Sets `key` to `value`, or says which keys or which range would have been valid.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), String> {
        let Some(i) = self.schema.iter().position(|h| h.key == key) else {
            let valid: Vec<&str> = self.schema.iter().map(|h| h.key).collect();
            return Err(format!(
                "unknown hyperparameter '{key}'; valid: {}",
                valid.join(", ")
            ));
        };
        let h = &self.schema[i];
        if !value.is_finite() || value < h.min || value > h.max {
            return Err(format!(
                "{key} = {value} is out of range; valid: {} ≤ {key} ≤ {}",
                h.min, h.max
            ));
        }
        if h.kind == Kind::Bool && value != 0.0 && value != 1.0 {
            return Err(format!("{key} is a toggle; valid: 0 or 1 (false or true)"));
        }
        self.values[i] = value;
        Ok(())
    }

    /// The value of `key`. Panics only on a key that is not in the schema, which is a bug in
    /// the optimizer that asks (every optimizer reads only its own schema's keys).
    pub fn get(&self, key: &str) -> f64 {
        match self.schema.iter().position(|h| h.key == key) {
            Some(i) => self.values[i],
            None => panic!("optimizer asked for '{key}', which its schema lacks"),
        }
    }

    pub fn schema(&self) -> Schema {
        self.schema
    }

    /// `(key, value)` pairs in schema order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        self.schema
            .iter()
            .map(|h| h.key)
            .zip(self.values.iter().copied())
    }
}

/// What one step did besides moving the parameters, for the page's explanations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepNote {
    /// Set when the optimizer took a different branch than its main rule (e.g. Newton
    /// falling back to a gradient step because the damped Hessian is not positive definite).
    pub fallback: Option<&'static str>,
}

/// An optimizer's mutable state between steps, for any number of parameters.
pub trait Optimizer: Send {
    /// One update of `params` given the gradient at `params`, the learning rate in force for
    /// this step (after any schedule) and, for second-order methods, the Hessian (row-major,
    /// `n × n`).
    fn step(
        &mut self,
        params: &mut [f64],
        grad: &[f64],
        lr: f64,
        hessian: Option<&[f64]>,
    ) -> StepNote;

    /// Whether [`Optimizer::step`] needs the Hessian.
    fn needs_hessian(&self) -> bool {
        false
    }

    /// The internal state, named as in PyTorch's `state` dict (`step`, `momentum_buffer`,
    /// `exp_avg`, `exp_avg_sq`, …), one entry per buffer.
    fn state(&self) -> Vec<(&'static str, Vec<f64>)>;

    /// The direction the optimizer carries between steps (velocity or first moment), if any:
    /// drawn as an arrow on the page.
    fn carried_direction(&self) -> Option<&[f64]> {
        None
    }

    /// Per-coordinate effective learning rate of the last step (adaptive methods), if any.
    fn effective_lr(&self) -> Option<Vec<f64>> {
        None
    }
}

/// One catalogue entry.
#[derive(Clone, Copy)]
pub struct OptimizerKind {
    pub id: &'static str,
    /// Display name, e.g. "Adam".
    pub name: &'static str,
    /// What PyTorch calls it, e.g. `Adam(amsgrad=True)`.
    pub pytorch: &'static str,
    pub schema: Schema,
    /// The update rule as shown on the page, in plain text: the one the code runs.
    pub rule: &'static str,
    pub make: fn(&Hyper, usize) -> Box<dyn Optimizer>,
}

mod adam;
mod adaptive;
mod lion;
mod newton;
mod sgd;

/// Every optimizer, in the order the page lists them.
pub const CATALOG: &[OptimizerKind] = &[
    OptimizerKind {
        id: "sgd",
        name: "SGD",
        pytorch: "SGD",
        schema: sgd::SGD_SCHEMA,
        rule: "θ ← θ − η·(g + λθ)",
        make: sgd::make_sgd,
    },
    OptimizerKind {
        id: "momentum",
        name: "Momentum",
        pytorch: "SGD(momentum)",
        schema: sgd::MOMENTUM_SCHEMA,
        rule: "g ← g + λθ; b ← g at t = 1, else b ← μb + (1−τ)g (τ = 0 if μ = 0); θ ← θ − η·b",
        make: sgd::make_momentum,
    },
    OptimizerKind {
        id: "nesterov",
        name: "Nesterov",
        pytorch: "SGD(momentum, nesterov=True)",
        schema: sgd::NESTEROV_SCHEMA,
        rule: "g ← g + λθ; b ← g at t = 1, else b ← μb + g; θ ← θ − η·(g + μb)",
        make: sgd::make_nesterov,
    },
    OptimizerKind {
        id: "adagrad",
        name: "Adagrad",
        pytorch: "Adagrad",
        schema: adaptive::ADAGRAD_SCHEMA,
        rule: "g ← g + λθ; s ← s + g²; θ ← θ − η/(1 + (t−1)δ) · g/(√s + ε)",
        make: adaptive::make_adagrad,
    },
    OptimizerKind {
        id: "rmsprop",
        name: "RMSprop",
        pytorch: "RMSprop",
        schema: adaptive::RMSPROP_SCHEMA,
        rule:
            "g ← g + λθ; v ← αv + (1−α)g²; if centered: ḡ ← αḡ + (1−α)g, d = √max(v − ḡ², 0) + ε, \
               else d = √v + ε; if μ > 0: b ← μb + g/d, θ ← θ − η·b, else θ ← θ − η·g/d",
        make: adaptive::make_rmsprop,
    },
    OptimizerKind {
        id: "adadelta",
        name: "Adadelta",
        pytorch: "Adadelta",
        schema: adaptive::ADADELTA_SCHEMA,
        rule: "g ← g + λθ; v ← ρv + (1−ρ)g²; Δ = √(u + ε)/√(v + ε) · g; u ← ρu + (1−ρ)Δ²; \
               θ ← θ − η·Δ",
        make: adaptive::make_adadelta,
    },
    OptimizerKind {
        id: "adam",
        name: "Adam",
        pytorch: "Adam",
        schema: adam::ADAM_SCHEMA,
        rule: "g ← g + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; \
               θ ← θ − η/(1−β₁ᵗ) · m/(√v/√(1−β₂ᵗ) + ε)",
        make: adam::make_adam,
    },
    OptimizerKind {
        id: "amsgrad",
        name: "AMSGrad",
        pytorch: "Adam(amsgrad=True)",
        schema: adam::ADAM_SCHEMA,
        rule: "g ← g + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; v̂ ← max(v̂, v); \
               θ ← θ − η/(1−β₁ᵗ) · m/(√v̂/√(1−β₂ᵗ) + ε)",
        make: adam::make_amsgrad,
    },
    OptimizerKind {
        id: "adamw",
        name: "AdamW",
        pytorch: "AdamW",
        schema: adam::ADAMW_SCHEMA,
        rule: "θ ← θ(1 − ηλ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; \
               θ ← θ − η/(1−β₁ᵗ) · m/(√v/√(1−β₂ᵗ) + ε)",
        make: adam::make_adamw,
    },
    OptimizerKind {
        id: "adamax",
        name: "Adamax",
        pytorch: "Adamax",
        schema: adam::ADAMAX_SCHEMA,
        rule: "g ← g + λθ; m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε); θ ← θ − η/(1−β₁ᵗ) · m/u",
        make: adam::make_adamax,
    },
    OptimizerKind {
        id: "nadam",
        name: "NAdam",
        pytorch: "NAdam",
        schema: adam::NADAM_SCHEMA,
        rule: "g ← g + λθ; μₜ = β₁(1 − ½·0.96^(tψ)); Πₜ = Πₜ₋₁μₜ; m ← β₁m + (1−β₁)g; \
               v ← β₂v + (1−β₂)g²; d = √(v/(1−β₂ᵗ)) + ε; \
               θ ← θ − η(1−μₜ)/(1−Πₜ) · g/d − ημₜ₊₁/(1−Πₜμₜ₊₁) · m/d",
        make: adam::make_nadam,
    },
    OptimizerKind {
        id: "radam",
        name: "RAdam",
        pytorch: "RAdam",
        schema: adam::ADAM_SCHEMA,
        rule: "g ← g + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; ρ∞ = 2/(1−β₂) − 1; \
               ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ); if ρₜ > 5: r = √((ρₜ−4)(ρₜ−2)ρ∞/((ρ∞−4)(ρ∞−2)ρₜ)), \
               θ ← θ − η·m/(1−β₁ᵗ) · r√(1−β₂ᵗ)/(√v + ε), else θ ← θ − η·m/(1−β₁ᵗ)",
        make: adam::make_radam,
    },
    OptimizerKind {
        id: "lion",
        name: "Lion",
        pytorch: "Lion (Chen et al. 2023; optax.lion)",
        schema: lion::LION_SCHEMA,
        rule: "c = β₁m + (1−β₁)g; θ ← θ − η(sign(c) + λθ); m ← β₂m + (1−β₂)g",
        make: lion::make_lion,
    },
    OptimizerKind {
        id: "newton",
        name: "Newton",
        pytorch: "damped Newton (uses the exact Hessian)",
        schema: newton::NEWTON_SCHEMA,
        rule: "if H + δI is positive definite: θ ← θ − η(H + δI)⁻¹g, else θ ← θ − ηg",
        make: newton::make_newton,
    },
];

/// The catalogue entry for `id`, or an error listing the valid ids.
pub fn kind(id: &str) -> Result<&'static OptimizerKind, String> {
    CATALOG.iter().find(|k| k.id == id).ok_or_else(|| {
        let ids: Vec<&str> = CATALOG.iter().map(|k| k.id).collect();
        format!("unknown optimizer '{id}'; valid: {}", ids.join(", "))
    })
}

/// Validates `settings` against `id`'s schema (missing keys take defaults).
pub fn hyper(id: &str, settings: &[(String, f64)]) -> Result<Hyper, String> {
    let k = kind(id)?;
    let mut h = Hyper::defaults(k.schema);
    for (key, value) in settings {
        h.set(key, *value).map_err(|e| format!("{id}: {e}"))?;
    }
    Ok(h)
}

/// A fresh optimizer for `n` parameters.
pub fn build(id: &str, settings: &[(String, f64)], n: usize) -> Result<Box<dyn Optimizer>, String> {
    let h = hyper(id, settings)?;
    Ok((kind(id)?.make)(&h, n))
}
