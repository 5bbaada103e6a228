//! The one parameter schema: optimizer hyperparameters, surface parameters, schedule parameters
//! (and the page's run settings) are all [`Param`]s, checked by the one [`Param::check`] and
//! held, once validated, in one [`Values`].

use serde::Serialize;

/// How a numeric parameter's slider moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Scale {
    Linear,
    Log,
}

/// What values a parameter takes, and so what control it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// Any number in range: a slider plus an exact field.
    Number(Scale),
    /// A whole number in range (a count of updates, a seed): a slider plus an exact field.
    Whole(Scale),
    /// A toggle; stored as 0.0 / 1.0.
    Bool,
}

/// One parameter of one optimizer, surface or schedule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Param {
    /// The name in URLs, on the CLI and as `<input name>` (`lr`, `beta1`, `kappa`, `t_max`, …).
    pub key: &'static str,
    /// Human label, e.g. "learning rate".
    pub label: &'static str,
    pub default: f64,
    /// Inclusive valid range; [`Param::check`] rejects values outside it.
    pub min: f64,
    pub max: f64,
    /// The range a slider spans (a sub-range of `min..=max` that makes a good demo).
    pub slider: (f64, f64),
    pub kind: Kind,
    /// One line of help.
    pub help: &'static str,
}

/// A parameter list, in the order controls and CLI listings show it.
pub type Schema = &'static [Param];

impl Param {
    /// The one validity check, with the one message format: a finite value in `min..=max`,
    /// 0 or 1 for a toggle, a whole number for a count.
    pub fn check(&self, value: f64) -> Result<(), String> {
        let key = self.key;
        if !value.is_finite() || value < self.min || value > self.max {
            return Err(format!(
                "{key} = {value} is out of range; valid: {} ≤ {key} ≤ {}",
                self.min, self.max
            ));
        }
        match self.kind {
            Kind::Bool if value != 0.0 && value != 1.0 => {
                Err(format!("{key} is a toggle; valid: 0 or 1 (false or true)"))
            }
            Kind::Whole(_) if value.fract() != 0.0 => Err(format!(
                "{key} = {value} is not a whole number; valid: a whole number from {} to {}",
                self.min, self.max
            )),
            _ => Ok(()),
        }
    }

    /// Whether the slider moves on a log scale (only possible over a positive range).
    pub fn log_slider(&self) -> bool {
        matches!(
            self.kind,
            Kind::Number(Scale::Log) | Kind::Whole(Scale::Log)
        ) && self.slider.0 > 0.0
    }
}

/// The keys of `schema` as a "valid: …" list: `a, b`, or `none`.
pub fn key_list(schema: Schema) -> String {
    if schema.is_empty() {
        "none".to_string()
    } else {
        let keys: Vec<&str> = schema.iter().map(|p| p.key).collect();
        keys.join(", ")
    }
}

/// Validated values for one schema, in schema order.
#[derive(Clone, Debug, PartialEq)]
pub struct Values {
    schema: Schema,
    values: Vec<f64>,
}

impl Values {
    /// All defaults.
    pub fn defaults(schema: Schema) -> Self {
        Values {
            schema,
            values: schema.iter().map(|p| p.default).collect(),
        }
    }

    /// Defaults overridden by `given` in order, each checked by [`Param::check`]. A key the
    /// schema lacks goes to `other(key, value)`, which either takes it (a schedule's `warmup`)
    /// or says what is valid in the catalogue's own words.
    pub fn with(
        schema: Schema,
        given: &[(String, f64)],
        mut other: impl FnMut(&str, f64) -> Result<(), String>,
    ) -> Result<Self, String> {
        let mut v = Values::defaults(schema);
        for (key, value) in given {
            match v.index(key) {
                Some(i) => v.set_index(i, *value)?,
                None => other(key, *value)?,
            }
        }
        Ok(v)
    }

    /// Sets `key` to `value`, or says which keys or which range would have been valid.
    /// Unknown keys are worded as optimizer settings ("unknown hyperparameter"); the other
    /// catalogues word them through [`Values::with`].
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), String> {
        match self.index(key) {
            Some(i) => self.set_index(i, value),
            None => Err(format!(
                "unknown hyperparameter '{key}'; valid: {}",
                key_list(self.schema)
            )),
        }
    }

    fn set_index(&mut self, i: usize, value: f64) -> Result<(), String> {
        self.schema[i].check(value)?;
        self.values[i] = value;
        Ok(())
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.schema.iter().position(|p| p.key == key)
    }

    /// The value of `key`. Panics only on a key that is not in the schema, which is a bug in
    /// the constructor that asks (each reads only its own schema's keys).
    pub fn get(&self, key: &str) -> f64 {
        match self.index(key) {
            Some(i) => self.values[i],
            None => panic!("asked for '{key}', which the schema lacks"),
        }
    }

    pub fn schema(&self) -> Schema {
        self.schema
    }

    /// The values in schema order.
    pub fn as_slice(&self) -> &[f64] {
        &self.values
    }

    /// `(key, value)` pairs in schema order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        self.schema
            .iter()
            .map(|p| p.key)
            .zip(self.values.iter().copied())
    }
}

/// One entry of a catalogue (optimizers, surfaces, schedules; next, tasks): what the page lists,
/// what the CLI's `list` prints, and how to build the thing from validated [`Values`].
#[derive(Clone, Copy, Debug)]
pub struct Entry<B: 'static> {
    /// The stable id (URL, CLI).
    pub id: &'static str,
    /// Display name, e.g. "Adam".
    pub name: &'static str,
    /// What PyTorch calls it, e.g. `Adam(amsgrad=True)` (empty where there is none).
    pub pytorch: &'static str,
    /// The rule as shown on the page, in plain text: the one the code runs (empty where the
    /// entry shows something else, e.g. a surface's formula with its parameters substituted).
    pub rule: &'static str,
    pub schema: Schema,
    /// The constructor; its signature is the catalogue's.
    pub make: B,
}

/// The one catalogue lookup: the entry for `id`, or "unknown {what} '{id}'; valid: a, b, …".
pub fn find<B>(
    what: &str,
    catalog: &'static [Entry<B>],
    id: &str,
) -> Result<&'static Entry<B>, String> {
    catalog.iter().find(|e| e.id == id).ok_or_else(|| {
        let ids: Vec<&str> = catalog.iter().map(|e| e.id).collect();
        format!("unknown {what} '{id}'; valid: {}", ids.join(", "))
    })
}
