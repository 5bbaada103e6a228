//! Step-by-step narration: what each term of the rule did in one step, told from the
//! optimizer's state before and after it, in English or 简体中文 ([`crate::i18n`]).

use super::short;
use crate::engine::run::State;
use crate::engine::scene::Lang;
use crate::i18n::{trf, Msg};

/// What one update did, as recorded: the step number (0 = the start, before any update),
/// the gradient it used (and the one where it landed), the step Δθ, the optimizer's state and
/// effective learning rate before and after.
pub struct Facts<'a> {
    pub id: &'a str,
    pub names: &'a [String],
    pub t: usize,
    pub lr: f64,
    pub g: &'a [f64],
    /// The exact gradient at the point the step reached.
    pub g_next: Option<&'a [f64]>,
    pub step: &'a [f64],
    pub before: &'a State,
    pub after: &'a State,
    pub eff_before: Option<Vec<f64>>,
    pub eff_after: Option<Vec<f64>>,
    pub fallback: bool,
    /// (1−β₁)/√(1−β₂) for the teaching variant's first step.
    pub nobc_scale: f64,
    /// RAdam's step skipped the adaptive rate (ρₜ ≤ 5).
    pub unadapted: bool,
}

fn buffer<'a>(s: &'a State, name: &str) -> Option<&'a [f64]> {
    s.iter().find(|(n, _)| *n == name).map(|(_, v)| &v[..])
}

fn list(v: &[f64]) -> String {
    v.iter().map(|x| short(*x)).collect::<Vec<_>>().join(", ")
}

/// The coordinates a sentence may name: the first three (tasks can have a dozen).
const MAX_NAMED: usize = 3;

/// The narration of `f` in `lang`.
pub fn narrate(f: &Facts, lang: Lang) -> String {
    let say = |m: Msg, args: &[&str]| trf(lang, m, args);
    if f.t == 0 {
        return say(Msg::NarrStart, &[]);
    }
    // An exactly zero gradient (an optimum, or a saddle's centre) points nowhere: what moves
    // is only what the optimizer carries, if anything.
    if f.g.iter().all(|g| *g == 0.0) {
        let t = f.t.to_string();
        return if f.step.iter().all(|s| *s == 0.0) {
            say(Msg::NarrZeroStill, &[&t])
        } else {
            say(Msg::NarrZeroCarried, &[&t, &list(f.step)])
        };
    }
    let n = f.g.len().min(f.names.len());
    let steepest = (0..n)
        .max_by(|&i, &j| f.g[i].abs().total_cmp(&f.g[j].abs()))
        .unwrap_or(0);
    let mut out = vec![say(
        Msg::NarrStep,
        &[&f.t.to_string(), &list(f.g), &f.names[steepest]],
    )];
    let named = 0..n.min(MAX_NAMED);
    // Moved uphill in a coordinate: what carried it was not this step's gradient.
    let uphill = |i: usize| f.step[i] * f.g[i] > 0.0;
    let mut told = vec![false; n];
    match f.id {
        "sgd" => out.push(say(Msg::NarrSgd, &[&list(f.step)])),
        "newton" if f.fallback => out.push(say(Msg::NarrFallback, &[&list(f.step)])),
        "newton" => out.push(say(Msg::NarrNewton, &[&list(f.step)])),
        "lion" => out.push(say(Msg::NarrLion, &[&short(f.lr), &list(f.step)])),
        "momentum" | "nesterov" => {
            let before = buffer(f.before, "momentum_buffer");
            match (before, buffer(f.after, "momentum_buffer")) {
                (Some(b0), Some(b1)) if f.t > 1 => {
                    for i in named.clone() {
                        let p = if b1[i].abs() >= b0[i].abs() {
                            Msg::NarrVelGrew
                        } else {
                            Msg::NarrVelShrank
                        };
                        out.push(say(p, &[&f.names[i]]));
                    }
                }
                _ => out.push(say(Msg::NarrFirstVelocity, &[])),
            }
        }
        _ => {
            let (key, v) = match f.id {
                "adagrad" => ("sum", "s"),
                "rmsprop" | "adadelta" => ("square_avg", "v"),
                "adamax" => ("exp_inf", "u"),
                "amsgrad" => ("max_exp_avg_sq", "vₘₐₓ"),
                _ => ("exp_avg_sq", "v"),
            };
            let adam_like = !matches!(f.id, "adagrad" | "rmsprop" | "adadelta");
            match (&f.eff_before, &f.eff_after) {
                _ if f.unadapted => out.push(say(Msg::NarrRadamWarmup, &[])),
                (Some(e0), Some(e1)) if f.t > 1 => {
                    let (v0, v1) = (buffer(f.before, key), buffer(f.after, key));
                    for i in named.clone() {
                        let (a, b) = (short(e0[i]), short(e1[i]));
                        let grew = v0.zip(v1).map(|(v0, v1)| v1[i].total_cmp(&v0[i]));
                        let text = match grew {
                            Some(std::cmp::Ordering::Greater) if e1[i] < e0[i] => {
                                say(Msg::NarrVGrew, &[v, &f.names[i], &a, &b])
                            }
                            Some(std::cmp::Ordering::Less) if e1[i] > e0[i] => {
                                say(Msg::NarrVFell, &[v, &f.names[i], &a, &b])
                            }
                            _ => say(Msg::NarrEffMoved, &[&f.names[i], &a, &b]),
                        };
                        out.push(text);
                    }
                }
                (_, Some(e1)) if f.id == "adam_nobc" => {
                    let _ = e1;
                    out.push(say(Msg::NarrFirstNobc, &[&short(f.nobc_scale * f.lr)]));
                }
                (_, Some(_)) if matches!(f.id, "adam" | "amsgrad" | "adamw") => {
                    out.push(say(Msg::NarrFirstAdam, &[&short(f.lr)]));
                }
                (_, Some(e1)) => out.push(say(Msg::NarrFirstAdaptive, &[&list(e1)])),
                _ => {}
            }
            if adam_like {
                for i in named.clone().filter(|&i| uphill(i)) {
                    out.push(say(Msg::NarrCarried, &[&f.names[i]]));
                    told[i] = true;
                }
            }
        }
    }
    if matches!(f.id, "momentum" | "nesterov") {
        for i in named.clone().filter(|&i| uphill(i)) {
            out.push(say(Msg::NarrCarried, &[&f.names[i]]));
            told[i] = true;
        }
    }
    if let Some(gn) = f.g_next {
        for i in named.filter(|&i| !told[i]) {
            if gn[i] * f.g[i] < 0.0 {
                out.push(say(Msg::NarrCrossed, &[&f.names[i]]));
            }
        }
    }
    out.join(" ")
}
