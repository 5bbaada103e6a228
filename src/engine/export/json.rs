//! The scene's JSON, written by hand in the bytes `serde_json` writes for the same document
//! (compact; every object's keys sorted, as its default map keeps them; floats in its notation,
//! see [`number`]; non-finite numbers as `null`). Building a `serde_json::Value` instead put
//! serde_json into the page's wasm for one button; `tests/export.rs` checks this writer against
//! serde_json.

use crate::engine::field::sort_indices;
use std::fmt::Write;

use super::SceneRuns;
use crate::engine::run::Status;
use crate::engine::scene::Scene;
use crate::engine::url;

/// The scene's link, its shared run settings and, per card, its id, every hyperparameter,
/// whether it is hidden, how it ended and its points (`params`: one vector per point, in
/// `param_names` order) and losses; a card that did not run has `error` instead.
pub fn json(scene: &Scene, runs: &SceneRuns) -> String {
    let mut o = String::from("{\"cards\":[");
    for (i, c) in runs.cards.iter().enumerate() {
        comma(&mut o, i);
        if let Err(e) = &c.outcome {
            o.push_str("{\"error\":");
            string(&mut o, e);
            o.push(',');
        } else {
            o.push('{');
        }
        let _ = write!(o, "\"hidden\":{},\"id\":", c.hidden);
        string(&mut o, &c.id);
        let _ = write!(o, ",\"index\":{}", c.index);
        if let Ok(t) = &c.outcome {
            o.push_str(",\"losses\":");
            floats(&mut o, &t.losses);
            o.push_str(",\"params\":[");
            for i in 0..t.losses.len() {
                comma(&mut o, i);
                floats(&mut o, t.params_at(i));
            }
            o.push(']');
        }
        o.push_str(",\"settings\":");
        map(&mut o, &c.values);
        if let Ok(t) = &c.outcome {
            o.push_str(",\"status\":");
            status(&mut o, &t.status);
        }
        o.push('}');
    }
    o.push_str("],\"link\":");
    string(&mut o, &format!("#{}", url::encode(scene)));
    o.push_str(",\"noise\":{\"seed\":");
    let _ = write!(o, "{},\"sigma\":", scene.seed);
    number(&mut o, scene.noise);
    o.push_str("},\"param_names\":[");
    for (i, name) in runs.param_names.iter().enumerate() {
        comma(&mut o, i);
        string(&mut o, name);
    }
    o.push_str("],\"schedule\":");
    string(&mut o, &scene.schedule.to_string());
    o.push_str(",\"start\":");
    floats(&mut o, &runs.start);
    let _ = write!(o, ",\"steps\":{},\"surface\":{{\"expr\":", scene.steps);
    match &scene.surface.expr {
        Some(e) => string(&mut o, e),
        None => o.push_str("null"),
    }
    o.push_str(",\"id\":");
    string(&mut o, &scene.surface.id);
    o.push_str(",\"params\":");
    map(&mut o, &scene.surface.params);
    o.push_str("}}\n");
    o
}

fn comma(o: &mut String, i: usize) {
    if i > 0 {
        o.push(',');
    }
}

/// A run's end as serde writes [`Status`] (internally tagged by `kind`).
fn status(o: &mut String, s: &Status) {
    match s {
        Status::Finished => o.push_str("{\"kind\":\"finished\"}"),
        Status::Converged { step } => {
            let _ = write!(o, "{{\"kind\":\"converged\",\"step\":{step}}}");
        }
        Status::Diverged { step, reason } => {
            o.push_str("{\"kind\":\"diverged\",\"reason\":");
            string(o, reason);
            let _ = write!(o, ",\"step\":{step}}}");
        }
    }
}

/// Named numbers as an object, keys sorted (a repeated key keeps its last value).
fn map(o: &mut String, entries: &[(String, f64)]) {
    // The last entry of each key, in key order (the engine's one sort, not a BTreeMap's code).
    let mut order: Vec<usize> = (0..entries.len())
        .filter(|&i| !entries[i + 1..].iter().any(|(k, _)| *k == entries[i].0))
        .collect();
    sort_indices(&mut order, &|a, b| entries[a].0.cmp(&entries[b].0));
    o.push('{');
    for (i, (k, v)) in order
        .iter()
        .map(|&j| (&entries[j].0, entries[j].1))
        .enumerate()
    {
        comma(o, i);
        string(o, k);
        o.push(':');
        number(o, v);
    }
    o.push('}');
}

fn floats(o: &mut String, vs: &[f64]) {
    o.push('[');
    for (i, v) in vs.iter().enumerate() {
        comma(o, i);
        number(o, *v);
    }
    o.push(']');
}

/// `s` as a JSON string: quotes, backslashes and control characters escaped, nothing else.
fn string(o: &mut String, s: &str) {
    o.push('"');
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            '\u{8}' => o.push_str("\\b"),
            '\u{c}' => o.push_str("\\f"),
            c if c < ' ' => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
}

/// `v` in serde_json's notation with Rust's shortest round-trip digits (the CSV's): written out,
/// with `.0` for a whole number, when the leading digit's power of ten is in −5…15 (`0.00001`,
/// `3.0`), else as `1.5e-7` / `1e+16`; `null` when not finite. On an exact tie in the last
/// digit Rust rounds up where serde_json rounds to even; both texts parse to the same bits.
pub fn number(o: &mut String, v: f64) {
    if !v.is_finite() {
        o.push_str("null");
        return;
    }
    let sci = format!("{v:e}");
    let (digits, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-5..=15).contains(&exp) {
        let start = o.len();
        let _ = write!(o, "{v}");
        if !o[start..].contains('.') {
            o.push_str(".0");
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(o, "{digits}e{sign}{}", exp.unsigned_abs());
    }
}
