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

mod sgd;

/// Every optimizer, in the order the page lists them.
pub const CATALOG: &[OptimizerKind] = &[OptimizerKind {
    id: "sgd",
    name: "SGD",
    pytorch: "SGD",
    schema: sgd::SGD_SCHEMA,
    rule: "θ ← θ − η·(g + λθ)",
    make: sgd::make_sgd,
}];

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
