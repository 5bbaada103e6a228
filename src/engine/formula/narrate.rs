//! Step-by-step narration: what each term of the rule did in one step, told from the
//! optimizer's state before and after it, in English or 简体中文 (one phrase table).

use super::short;
use crate::engine::run::State;
use crate::engine::scene::Lang;

/// The phrases, `[English, 简体中文]`; `{0}`, `{1}`, … are filled in by [`fill`].
#[derive(Clone, Copy)]
enum Ph {
    Start,
    Step,
    Sgd,
    Newton,
    Fallback,
    FirstVelocity,
    VelGrew,
    VelShrank,
    Carried,
    VGrew,
    VFell,
    EffMoved,
    FirstAdam,
    FirstNobc,
    FirstAdaptive,
    Lion,
    Crossed,
}

const PHRASES: &[[&str; 2]] = &[
    [
        "The start: no step yet. Press +1 step to see the first one.",
        "起点：还没有走任何一步。按 +1 步 看第一步。",
    ],
    [
        "Step {0}: the gradient g = ({1}) points uphill, steepest in {2}.",
        "第 {0} 步：梯度 g = ({1}) 指向上坡，在 {2} 方向最陡。",
    ],
    [
        "SGD steps straight against it: step = −η·g = ({0}).",
        "SGD 直接逆着梯度走：步长 = −η·g = ({0})。",
    ],
    [
        "Newton rescales it by the inverse curvature: step = −η(H + δI)⁻¹g = ({0}).",
        "牛顿法用曲率的逆矩阵缩放梯度：步长 = −η(H + δI)⁻¹g = ({0})。",
    ],
    [
        "H + δI is not positive definite here, so it took a plain gradient step: ({0}).",
        "这里 H + δI 不是正定的，所以改走普通梯度步：({0})。",
    ],
    [
        "The velocity starts as the gradient itself, so this first step is plain gradient descent.",
        "速度从梯度本身开始，所以第一步就是普通的梯度下降。",
    ],
    [
        "The velocity b grew in {0}: the gradient kept pushing the same way.",
        "速度 b 在 {0} 方向变大：梯度一直朝同一方向推。",
    ],
    [
        "The velocity b shrank in {0}: the gradient pushed against it.",
        "速度 b 在 {0} 方向变小：梯度在反方向推它。",
    ],
    [
        "The momentum carried it past the valley floor in {0}: it moved uphill there, against the gradient.",
        "动量带着它在 {0} 方向越过了谷底：它在那里逆着梯度往上坡走。",
    ],
    [
        "{0} grew in {1}, so the effective step in {1} shrank ({2} → {3}).",
        "{0} 在 {1} 方向变大，所以 {1} 方向的有效步长变小（{2} → {3}）。",
    ],
    [
        "{0} fell in {1}, so the effective step in {1} grew ({2} → {3}).",
        "{0} 在 {1} 方向变小，所以 {1} 方向的有效步长变大（{2} → {3}）。",
    ],
    [
        "The effective step in {0} went {1} → {2}.",
        "{0} 方向的有效步长从 {1} 变为 {2}。",
    ],
    [
        "First step: bias correction makes m̂ = g and v̂ = g², so every coordinate moves by about η = {0}, whatever the gradient's size.",
        "第一步：偏差修正使 m̂ = g、v̂ = g²，所以每个坐标都移动约 η = {0}，与梯度大小无关。",
    ],
    [
        "First step without bias correction: m = (1−β₁)g and v = (1−β₂)g², so every coordinate moves by about (1−β₁)/√(1−β₂)·η = {0}, not η.",
        "没有偏差修正的第一步：m = (1−β₁)g、v = (1−β₂)g²，所以每个坐标移动约 (1−β₁)/√(1−β₂)·η = {0}，而不是 η。",
    ],
    [
        "First step: the squared-gradient average starts from zero, so the effective step per coordinate is ({0}).",
        "第一步：梯度平方的平均从零开始，所以每个坐标的有效步长是 ({0})。",
    ],
    [
        "Lion moves every coordinate by exactly η = {0} in the sign of c = β₁m + (1−β₁)g: step = ({1}).",
        "Lion 让每个坐标按 c = β₁m + (1−β₁)g 的符号恰好移动 η = {0}：步长 = ({1})。",
    ],
    [
        "It crossed the valley floor in {0}: the gradient's {0}-component changed sign.",
        "它在 {0} 方向越过了谷底：梯度的 {0} 分量变了号。",
    ],
];

/// `template` with `{i}` (one digit) replaced by `args[i]`.
fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let i = rest.as_bytes().get(open + 1).map_or(0, |d| usize::from(d - b'0'));
        out.push_str(args.get(i).copied().unwrap_or(""));
        rest = &rest[(open + 3).min(rest.len())..];
    }
    out + rest
}

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
    let l = usize::from(lang == Lang::Zh);
    let say = |p: Ph, args: &[&str]| fill(PHRASES[p as usize][l], args);
    if f.t == 0 {
        return say(Ph::Start, &[]);
    }
    let n = f.g.len().min(f.names.len());
    let steepest = (0..n)
        .max_by(|&i, &j| f.g[i].abs().total_cmp(&f.g[j].abs()))
        .unwrap_or(0);
    let mut out = vec![say(
        Ph::Step,
        &[&f.t.to_string(), &list(f.g), &f.names[steepest]],
    )];
    let named = 0..n.min(MAX_NAMED);
    // Moved uphill in a coordinate: what carried it was not this step's gradient.
    let uphill = |i: usize| f.step[i] * f.g[i] > 0.0;
    let mut told = vec![false; n];
    match f.id {
        "sgd" => out.push(say(Ph::Sgd, &[&list(f.step)])),
        "newton" if f.fallback => out.push(say(Ph::Fallback, &[&list(f.step)])),
        "newton" => out.push(say(Ph::Newton, &[&list(f.step)])),
        "lion" => out.push(say(Ph::Lion, &[&short(f.lr), &list(f.step)])),
        "momentum" | "nesterov" => {
            let before = buffer(f.before, "momentum_buffer");
            match (before, buffer(f.after, "momentum_buffer")) {
                (Some(b0), Some(b1)) if f.t > 1 => {
                    for i in named.clone() {
                        let p = if b1[i].abs() >= b0[i].abs() {
                            Ph::VelGrew
                        } else {
                            Ph::VelShrank
                        };
                        out.push(say(p, &[&f.names[i]]));
                    }
                }
                _ => out.push(say(Ph::FirstVelocity, &[])),
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
                (Some(e0), Some(e1)) if f.t > 1 => {
                    let (v0, v1) = (buffer(f.before, key), buffer(f.after, key));
                    for i in named.clone() {
                        let (a, b) = (short(e0[i]), short(e1[i]));
                        let grew = v0.zip(v1).map(|(v0, v1)| v1[i].total_cmp(&v0[i]));
                        let text = match grew {
                            Some(std::cmp::Ordering::Greater) if e1[i] < e0[i] => {
                                say(Ph::VGrew, &[v, &f.names[i], &a, &b])
                            }
                            Some(std::cmp::Ordering::Less) if e1[i] > e0[i] => {
                                say(Ph::VFell, &[v, &f.names[i], &a, &b])
                            }
                            _ => say(Ph::EffMoved, &[&f.names[i], &a, &b]),
                        };
                        out.push(text);
                    }
                }
                (_, Some(e1)) if f.id == "adam_nobc" => {
                    let _ = e1;
                    out.push(say(Ph::FirstNobc, &[&short(f.nobc_scale * f.lr)]));
                }
                (_, Some(_)) if adam_like && f.id != "radam" => {
                    out.push(say(Ph::FirstAdam, &[&short(f.lr)]));
                }
                (_, Some(e1)) => out.push(say(Ph::FirstAdaptive, &[&list(e1)])),
                _ => {}
            }
            if adam_like {
                for i in named.clone().filter(|&i| uphill(i)) {
                    out.push(say(Ph::Carried, &[&f.names[i]]));
                    told[i] = true;
                }
            }
        }
    }
    if matches!(f.id, "momentum" | "nesterov") {
        for i in named.clone().filter(|&i| uphill(i)) {
            out.push(say(Ph::Carried, &[&f.names[i]]));
            told[i] = true;
        }
    }
    if let Some(gn) = f.g_next {
        for i in named.filter(|&i| !told[i]) {
            if gn[i] * f.g[i] < 0.0 {
                out.push(say(Ph::Crossed, &[&f.names[i]]));
            }
        }
    }
    out.join(" ")
}
