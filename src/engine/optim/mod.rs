//! Optimizers with PyTorch's `torch.optim` update rules and defaults, in float64.
//!
//! One file per optimizer family; each exports its catalogue entries ([`OptimizerKind`]: name,
//! PyTorch equivalent, update rule, hyperparameter [`Schema`](super::param::Schema), constructor) next to its step.
//! The page builds its controls from the schema and the CLI parses `--set key=value` against
//! it; [`CATALOG`] lists them all and [`build`] makes a stepper from an id and settings.

use super::param::{self, Entry, Kind, Param, Scale, Values};

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

/// A catalogue entry: id, name, PyTorch equivalent, update rule, schema and constructor. Each
/// optimizer file exports its own next to its step.
pub type OptimizerKind = Entry<fn(&Values, usize) -> Box<dyn Optimizer>>;

mod adam;
mod adaptive;
mod lion;
mod newton;
mod sgd;

/// Every optimizer, in the order the page lists them.
pub const CATALOG: &[OptimizerKind] = &[
    sgd::SGD,
    sgd::MOMENTUM,
    sgd::NESTEROV,
    adaptive::ADAGRAD,
    adaptive::RMSPROP,
    adaptive::ADADELTA,
    adam::ADAM,
    adam::AMSGRAD,
    adam::ADAMW,
    adam::ADAMAX,
    adam::NADAM,
    adam::RADAM,
    lion::LION,
    newton::NEWTON,
    adam::ADAM_NOBC,
];

/// The catalogue entry for `id`, or an error listing the valid ids.
pub fn kind(id: &str) -> Result<&'static OptimizerKind, String> {
    param::find("optimizer", CATALOG, id)
}

/// Validates `settings` against `id`'s schema (missing keys take defaults).
pub fn hyper(id: &str, settings: &[(String, f64)]) -> Result<Values, String> {
    let k = kind(id)?;
    let mut h = Values::defaults(k.schema);
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
