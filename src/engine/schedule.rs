//! Learning-rate schedules with PyTorch's semantics: the scheduler is stepped once after every
//! optimizer step, so update k (1-based) uses the rate at scheduler step k − 1.
//!
//! Rates use the closed forms (libm's `pow` and `cos`, so native and wasm agree to the bit):
//!
//! | id | rate for update k |
//! |---|---|
//! | constant | lr |
//! | step | lr·γ^⌊(k−1)/s⌋ (`StepLR`) |
//! | exponential | lr·γ^(k−1) (`ExponentialLR`) |
//! | cosine | m + (lr − m)(1 + cos(π(k−1)/T))/2 (`CosineAnnealingLR`) |
//! | inverse_time | lr/(1 + d(k−1)) |
//!
//! Past k − 1 = T the cosine closed form keeps following the cosine back up (as PyTorch's
//! `_get_closed_form_lr` does); we use it rather than the recursive form, which drifts.
//! Any schedule also takes `warmup=W` (alias `warmup_steps`): its rate is multiplied by
//! min(1, k/W).

use super::call::{self, Call};
use super::param::{self, Entry, Kind, Param, Scale, Values};
use std::fmt;

/// A catalogue entry: what the page lists and the CLI's `list` prints, with the constructor of
/// its [`Rule`] from validated parameters. The schema lists the parameters besides `warmup`,
/// which every schedule accepts.
pub type ScheduleKind = Entry<fn(&Values) -> Rule>;

const fn param(
    key: &'static str,
    label: &'static str,
    default: f64,
    (min, max): (f64, f64),
    slider: (f64, f64),
    kind: Kind,
    help: &'static str,
) -> Param {
    Param {
        key,
        label,
        default,
        min,
        max,
        slider,
        kind,
        help,
    }
}

/// The warm-up length every schedule accepts (0 = none).
pub const WARMUP: Param = param(
    "warmup",
    "warm-up steps",
    0.0,
    (0.0, 100_000.0),
    (0.0, 500.0),
    Kind::Number(Scale::Linear),
    "multiplies the rate by min(1, k/W) for update k; alias warmup_steps",
);

/// [`WARMUP`] under its alias, so a message names the key as written.
const WARMUP_STEPS: Param = Param {
    key: "warmup_steps",
    ..WARMUP
};

const GAMMA_HELP: &str = "multiplicative decay factor γ";

/// Every schedule, in the order the page lists them.
pub const CATALOG: &[ScheduleKind] = &[
    ScheduleKind {
        id: "constant",
        name: "Constant",
        pytorch: "none (ConstantLR with factor 1)",
        rule: "η_k = η",
        schema: &[],
        make: |_| Rule::Constant,
    },
    ScheduleKind {
        id: "step",
        name: "Step decay",
        pytorch: "StepLR",
        rule: "η_k = η·γ^⌊(k−1)/s⌋",
        schema: &[
            param(
                "step_size",
                "step size s",
                100.0,
                (1.0, 100_000.0),
                (1.0, 1000.0),
                Kind::Whole(Scale::Log),
                "updates between decays (a whole number)",
            ),
            param(
                "gamma",
                "γ",
                0.1,
                (0.0, 10.0),
                (0.0, 1.0),
                Kind::Number(Scale::Linear),
                GAMMA_HELP,
            ),
        ],
        make: |v| Rule::Step {
            step_size: v.get("step_size"),
            gamma: v.get("gamma"),
        },
    },
    ScheduleKind {
        id: "exponential",
        name: "Exponential decay",
        pytorch: "ExponentialLR",
        rule: "η_k = η·γ^(k−1)",
        schema: &[param(
            "gamma",
            "γ",
            0.99,
            (0.0, 10.0),
            (0.9, 1.0),
            Kind::Number(Scale::Linear),
            GAMMA_HELP,
        )],
        make: |v| Rule::Exponential {
            gamma: v.get("gamma"),
        },
    },
    ScheduleKind {
        id: "cosine",
        name: "Cosine annealing",
        pytorch: "CosineAnnealingLR",
        rule: "η_k = η_min + (η − η_min)(1 + cos(π(k−1)/T))/2",
        schema: &[
            param(
                "t_max",
                "period T",
                500.0,
                (1.0, 100_000.0),
                (1.0, 5000.0),
                Kind::Number(Scale::Log),
                "updates from η down to η_min (the closed form rises again after T)",
            ),
            param(
                "eta_min",
                "η_min",
                0.0,
                (0.0, 1e4),
                (0.0, 1.0),
                Kind::Number(Scale::Linear),
                "the rate at the bottom of the cosine",
            ),
        ],
        make: |v| Rule::Cosine {
            t_max: v.get("t_max"),
            eta_min: v.get("eta_min"),
        },
    },
    ScheduleKind {
        id: "inverse_time",
        name: "Inverse-time decay",
        pytorch: "LambdaLR(lambda s: 1/(1 + d·s))",
        rule: "η_k = η/(1 + d(k−1))",
        schema: &[param(
            "decay",
            "decay d",
            0.01,
            (0.0, 1e3),
            (0.0, 1.0),
            Kind::Number(Scale::Linear),
            "how fast the rate falls as 1/(1 + d·(k−1))",
        )],
        make: |v| Rule::InverseTime {
            decay: v.get("decay"),
        },
    },
];

/// The schedule's shape, with its parameters resolved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    Constant,
    Step { step_size: f64, gamma: f64 },
    Exponential { gamma: f64 },
    Cosine { t_max: f64, eta_min: f64 },
    InverseTime { decay: f64 },
}

impl Rule {
    /// The one way back from a rule to its catalogue id and its values in schema order (the
    /// inverse of the entry's `make`).
    fn parts(&self) -> (&'static str, Vec<f64>) {
        match *self {
            Rule::Constant => ("constant", vec![]),
            Rule::Step { step_size, gamma } => ("step", vec![step_size, gamma]),
            Rule::Exponential { gamma } => ("exponential", vec![gamma]),
            Rule::Cosine { t_max, eta_min } => ("cosine", vec![t_max, eta_min]),
            Rule::InverseTime { decay } => ("inverse_time", vec![decay]),
        }
    }
}

/// The entry of a rule's id. Every [`Rule`] is catalogued (the round-trip tests cover each),
/// so the fallback to `constant` never shows; it keeps a formatted panic message out of the wasm.
fn entry(id: &str) -> &'static ScheduleKind {
    CATALOG.iter().find(|k| k.id == id).unwrap_or(&CATALOG[0])
}

/// A validated schedule: a [`Rule`] plus an optional linear warm-up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Schedule {
    pub rule: Rule,
    /// Warm-up length W in updates; 0 means none.
    pub warmup: f64,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            rule: Rule::Constant,
            warmup: 0.0,
        }
    }
}

impl Schedule {
    /// Parses `cosine(t_max=500,eta_min=0)`, `constant`, `step(step_size=100,gamma=0.5,warmup=10)`…
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let c = call::parse_call(text).map_err(|e| format!("schedule '{text}': {e}"))?;
        Schedule::from_call(&c)
    }

    /// Validates a parsed call: known id, known keys, values in range; errors list what is valid.
    pub fn from_call(c: &Call) -> Result<Schedule, String> {
        let kind = kind(&c.name)?;
        let mut warmup = WARMUP.default;
        let values = Values::with(kind.schema, &c.args, |key, value| {
            let p = match key {
                "warmup" => WARMUP,
                "warmup_steps" => WARMUP_STEPS,
                _ => {
                    let mut keys: Vec<&str> = kind.schema.iter().map(|p| p.key).collect();
                    keys.push("warmup (alias warmup_steps)");
                    return Err(format!(
                        "schedule {} has no parameter '{key}'; valid: {}",
                        kind.id,
                        keys.join(", ")
                    ));
                }
            };
            p.check(value)?;
            warmup = value;
            Ok(())
        })?;
        Ok(Schedule {
            rule: (kind.make)(&values),
            warmup,
        })
    }

    /// The catalogue entry of this schedule's rule.
    pub fn kind(&self) -> &'static ScheduleKind {
        entry(self.rule.parts().0)
    }

    /// The call that reproduces this schedule, listing only values that differ from defaults.
    pub fn to_call(&self) -> Call {
        let (id, values) = self.rule.parts();
        let kind = entry(id);
        let mut args: Vec<(String, f64)> = kind
            .schema
            .iter()
            .zip(values)
            .filter(|(p, v)| p.default.to_bits() != v.to_bits())
            .map(|(p, v)| (p.key.to_string(), v))
            .collect();
        if self.warmup != WARMUP.default {
            args.push((WARMUP.key.to_string(), self.warmup));
        }
        Call {
            name: kind.id.to_string(),
            args,
        }
    }

    /// The rate for update `k` (1-based) given the base rate `lr`.
    pub fn lr(&self, lr: f64, k: usize) -> f64 {
        let s = (k.max(1) - 1) as f64;
        let rate = match self.rule {
            Rule::Constant => lr,
            Rule::Step { step_size, gamma } => lr * libm::pow(gamma, (s / step_size).floor()),
            Rule::Exponential { gamma } => lr * libm::pow(gamma, s),
            Rule::Cosine { t_max, eta_min } => {
                eta_min + (lr - eta_min) * (1.0 + libm::cos(std::f64::consts::PI * s / t_max)) / 2.0
            }
            Rule::InverseTime { decay } => lr / (1.0 + decay * s),
        };
        if self.warmup > 0.0 {
            rate * (k as f64 / self.warmup).min(1.0)
        } else {
            rate
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_call().fmt(f)
    }
}

/// The catalogue entry for `id`, or an error listing the valid ids.
pub fn kind(id: &str) -> Result<&'static ScheduleKind, String> {
    param::find("schedule", CATALOG, id)
}
