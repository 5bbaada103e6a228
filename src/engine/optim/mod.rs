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

/// An entry's hand-written rule, every branch in words, for the CLI's `list`. The page writes
/// each card's rule from the rule table ([`crate::engine::formula::rules`]) instead, so the
/// wasm build carries none of these.
pub(super) const fn listing(rule: &'static str) -> &'static str {
    if cfg!(target_arch = "wasm32") {
        ""
    } else {
        rule
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

/// Every note an optimizer's step may leave ([`StepNote::fallback`]): a note that travelled as
/// its index here (a worker's trajectory, [`crate::engine::job`]) finds its text again.
pub const NOTES: &[&str] = &[newton::NOT_PD, newton::NO_HESSIAN];

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

/// Keras 3's constructor defaults where they differ from PyTorch's, for each optimizer with
/// the `keras` switch (`keras.optimizers.SGD`, `Adagrad`, `RMSprop` (whose `rho` is `alpha`
/// here), `Adam`, `AdamW`, `Adamax`, `Nadam`). The momentum cards keep μ = 0.9: Keras's and
/// PyTorch's SGD both default to no momentum, and these cards exist to have some.
const KERAS_DEFAULTS: &[(&str, &[(&str, f64)])] = &[
    ("momentum", &[("lr", 0.01)]),
    ("nesterov", &[("lr", 0.01)]),
    (
        "adagrad",
        &[
            ("lr", 1e-3),
            ("initial_accumulator_value", 0.1),
            ("eps", 1e-7),
        ],
    ),
    ("rmsprop", &[("lr", 1e-3), ("alpha", 0.9), ("eps", 1e-7)]),
    ("adam", &[("eps", 1e-7)]),
    ("amsgrad", &[("eps", 1e-7)]),
    ("adamw", &[("eps", 1e-7), ("weight_decay", 0.004)]),
    ("adamax", &[("lr", 1e-3), ("eps", 1e-7)]),
    ("nadam", &[("lr", 1e-3), ("eps", 1e-7)]),
];

/// `id`'s defaults in a convention: the schema's (PyTorch), or with `keras` Keras 3's where
/// they differ.
pub fn defaults(id: &str, keras: bool) -> Result<Values, String> {
    let mut h = Values::defaults(kind(id)?.schema);
    let differ = KERAS_DEFAULTS.iter().find(|(k, _)| *k == id && keras);
    for (key, v) in differ.map_or(&[][..], |d| d.1) {
        h.set(key, *v)?;
    }
    Ok(h)
}

/// Validates `settings` against `id`'s schema; missing keys take the defaults of the
/// convention the settings choose (`keras=1`: Keras 3's), and a value given stays as given.
pub fn hyper(id: &str, settings: &[(String, f64)]) -> Result<Values, String> {
    let keras = settings
        .iter()
        .rev()
        .find(|(k, _)| k == "keras")
        .is_some_and(|(_, v)| *v != 0.0);
    let mut h = defaults(id, keras)?;
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
