//! The formula panel's content: the selected card's rule at the playhead with its numbers
//! filled in, and the surface's formula, as HTML + MathML text the page sets as it is.
//!
//! The optimizer's state at the playhead is rebuilt by replaying the recorded gradients and
//! learning rates into a fresh optimizer (bit-identical to the run, and cheap: no surface
//! evaluations), so runs need not record their state.

use super::narrate::{narrate, Facts};
use super::rules::{rule, seed_note, Ctx};
use super::{escape, line_ml, lines_ml, parse_ex, parse_rule, sym, Env, SYMBOLS};
use crate::engine::optim;
use crate::engine::param::Values;
use crate::engine::problem::Problem;
use crate::engine::run::Trajectory;
use crate::engine::scene::Lang;
use crate::engine::task::LearningTask;
use crate::i18n::{tr, Msg};

fn keras(h: &Values) -> bool {
    h.iter().any(|(key, v)| key == "keras" && v != 0.0)
}

/// The name of the rule's convention.
fn convention(id: &str, keras: bool) -> Msg {
    match (id, keras) {
        ("adam_nobc", _) => Msg::FConvTeaching,
        (_, true) => Msg::FConvKeras,
        _ => Msg::FConvPytorch,
    }
}

/// The step a card's one-line rule describes: a later one (past PyTorch's first momentum step
/// and RAdam's warm-up), the rule a run spends its time in.
const CARD_STEP: u64 = 1000;

/// Card (`id`, `settings`)'s one-line rule from the rule table, as inline MathML, after its
/// convention's name where that is not PyTorch's; empty for bad settings (the card says why).
/// The rule's text rarely changes while a value is dragged, so its MathML is kept by text.
pub fn card_rule(id: &str, settings: &[(String, f64)], lang: Lang) -> String {
    let Ok(h) = optim::hyper(id, settings) else {
        return String::new();
    };
    let c = convention(id, keras(&h));
    let ctx = Ctx {
        id,
        h: &h,
        t: CARD_STEP,
        fallback: false,
    };
    let text = rule(&ctx);
    let key = (text, c, lang);
    if let Some(ml) =
        CARD_RULES.with_borrow(|k| k.iter().find(|(k, _)| *k == key).map(|e| e.1.clone()))
    {
        return ml;
    }
    let lines = parse_rule(&key.0).unwrap_or_default();
    let mut out = match c {
        Msg::FConvPytorch => String::new(),
        _ => format!("<strong>{}</strong> ", tr(lang, c)),
    };
    // `;` inside each line's <math>, so a wrapped rule never starts a line with one.
    for (i, l) in lines.iter().enumerate() {
        let m = line_ml(l);
        if i + 1 < lines.len() {
            out += &m[..m.len() - 7];
            out += "<mo>;</mo></math> ";
        } else {
            out += &m;
        }
    }
    CARD_RULES.with_borrow_mut(|k| {
        if k.len() == CARD_RULES_KEPT {
            k.remove(0);
        }
        k.push((key, out.clone()));
    });
    out
}

/// Card rules written lately, by (rule text, convention, language): every card's, twice over.
const CARD_RULES_KEPT: usize = 32;

/// A card rule's (rule text, convention, language) and its MathML.
type CardRuleEntry = ((String, Msg, Lang), String);

thread_local! {
    static CARD_RULES: std::cell::RefCell<Vec<CardRuleEntry>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// What the panel shows: `html` (rule, notes, values) and the step's narration (plain text).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explained {
    pub html: String,
    pub narration: String,
}

/// The rule of card (`id`, `settings`) at playhead `t` of its trajectory `traj` on
/// `problem`, with its numbers, and the narration of that step; `None` for an unknown id or
/// bad settings (the card says why).
pub fn explain<P: Problem + ?Sized>(
    problem: &P,
    id: &str,
    settings: &[(String, f64)],
    traj: &Trajectory,
    t: usize,
    lang: Lang,
) -> Option<Explained> {
    let kind = optim::kind(id).ok()?;
    let h = optim::hyper(id, settings).ok()?;
    let names = problem.param_names();
    let dim = traj.dim;
    let k = traj.index_at(t);
    let keras = keras(&h);
    let convention = tr(lang, convention(id, keras));
    let mut html = format!(
        "<p class=\"f-head\"><strong>{}</strong> · {convention} · {} t = {k}</p>",
        crate::i18n::cat_in(lang, kind.name),
        tr(lang, Msg::FStep)
    );
    let mut opt = (kind.make)(&h, dim);
    // Newton keeps no state: nothing to replay.
    let stateful = !opt.needs_hessian();
    let replay = k.saturating_sub(1);
    if stateful {
        for j in 0..replay {
            let mut p = traj.params_at(j).to_vec();
            opt.step(&mut p, traj.gradient_at(j), traj.lrs[j], None);
        }
    }
    let before = opt.state();
    let eff_before = opt.effective_lr();
    let fallback = traj.notes.iter().any(|(s, _)| *s == k);
    let step_no = k.max(1) as u64;
    let text = rule(&Ctx {
        id,
        h: &h,
        t: step_no,
        fallback,
    });
    let lines = parse_rule(&text).ok()?;
    html += &lines_ml(&lines, "");
    if let Some(note) = seed_note(id, keras) {
        html += "<p class=\"f-note\">";
        html += tr(lang, note);
        html += "</p>";
    }
    if k == 0 {
        html += "<p class=\"f-note\">";
        html += tr(lang, Msg::FBeforeFirst);
        return Some(Explained {
            html: html + "</p>",
            narration: tr(lang, Msg::NarrStart).to_string(),
        });
    }
    let (theta0, g, lr) = (
        traj.params_at(k - 1),
        traj.gradient_at(k - 1),
        traj.lrs[k - 1],
    );
    let mut env = Env::new();
    for (key, v) in h.iter() {
        env.set(key, vec![v]);
    }
    env.set("lr", vec![lr]);
    env.set("t", vec![k as f64]);
    env.set("theta", theta0.to_vec());
    env.set("g", g.to_vec());
    for (name, v) in &before {
        if *name != "step" {
            env.set(name, v.clone());
        }
    }
    let mut hess = vec![0.0; if stateful { 0 } else { dim * dim }];
    if !stateful {
        let mut grad = vec![0.0; dim];
        problem.value_grad_hessian(theta0, &mut grad, &mut hess);
        env.hessian = hess.clone();
    }
    let mut p = theta0.to_vec();
    opt.step(&mut p, g, lr, (!stateful).then_some(&hess[..]));
    let after = opt.state();
    let eff_after = opt.effective_lr();
    let theta1 = traj.params_at(k);

    // The hyperparameters in force, then one row per quantity: the gradient used, each line's
    // target (stored quantities as the code holds them), the step and the effective rate.
    // One <math> per value, so the line wraps on a narrow screen.
    html += "<p class=\"f-hyper\">";
    for (key, v) in h.iter() {
        if let Some(i) = sym(key) {
            let v = if key == "lr" { lr } else { v };
            html += "<math>";
            html += SYMBOLS[i].1;
            html += "<mo>=</mo>";
            html += &super::num_ml(v);
            html += "</math> ";
        }
    }
    html += "</p><div class=\"f-scroll\"><table class=\"f-vals\"><tr><th></th>";
    for n in &names {
        html += "<th>";
        html += n;
        html += "</th>";
    }
    html += "</tr>";
    let row = |key: &str, label: &str, v: &[f64]| {
        let mut r = format!("<tr data-k=\"{key}\"><th>{label}</th>");
        if v.len() == 1 && dim > 1 {
            r += &format!(
                "<td colspan=\"{dim}\" data-v=\"{}\">{}</td>",
                v[0],
                super::short(v[0])
            );
        } else {
            for x in v {
                r += &format!("<td data-v=\"{x}\">{}</td>", super::short(*x));
            }
        }
        r + "</tr>"
    };
    let math = |m: &str| format!("<math>{m}</math>");
    html += &row("grad", &math("<mo>∇</mo><mi>f</mi>"), g);
    for (i, l) in lines.iter().enumerate() {
        let v = env.eval(&l.expr).ok()?;
        env.values[l.target] = Some(v.clone());
        let name = SYMBOLS[l.target].0;
        let last = !lines[i + 1..].iter().any(|m| m.target == l.target);
        let code = after.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
        let v = match (last, name, code) {
            (true, "theta", _) => theta1.to_vec(),
            (true, _, Some(c)) => c.clone(),
            _ => v,
        };
        html += &row(name, &math(SYMBOLS[l.target].1), &v);
    }
    let step: Vec<f64> = theta1.iter().zip(theta0).map(|(a, b)| a - b).collect();
    html += &row("step", &math("<mi>Δ</mi><mi>θ</mi>"), &step);
    if let Some(e) = &eff_after {
        let label = math("<msub><mi>η</mi><mtext>eff</mtext></msub>");
        html += &row(
            "eff_lr",
            &format!("{label} <small>{}</small>", tr(lang, Msg::FEffLr)),
            e,
        );
    }
    html += "</table></div>";
    let mut g_next = vec![0.0; dim];
    problem.value_grad(theta1, &mut g_next);
    let beta = |key| h.iter().find(|(k, _)| *k == key).map_or(0.0, |(_, v)| v);
    let (b1, b2) = (beta("beta1"), beta("beta2"));
    let f = Facts {
        id,
        names: &names,
        t: k,
        lr,
        g,
        g_next: Some(&g_next),
        step: &step,
        before: &before,
        after: &after,
        eff_before,
        eff_after,
        fallback,
        nobc_scale: (1.0 - b1) / (1.0 - b2).sqrt(),
        unadapted: id == "radam" && !lines.iter().any(|l| SYMBOLS[l.target].0 == "r"),
    };
    Some(Explained {
        html,
        narration: narrate(&f, lang),
    })
}

/// A learning task's loss as MathML, from its [`LearningTask::formula`]: the lines of one
/// point's loss ℓᵢ, the penalty R where there is one, and their mean over the n points or over
/// a mini-batch B of `batch`, with n, |B| and the penalty's strength as numbers.
pub fn task_html(task: &dyn LearningTask, batch: Option<usize>) -> String {
    let Ok(lines) = parse_rule(&task.formula()) else {
        return String::new();
    };
    let n = task.sample_count().unwrap_or(0);
    let mut last = String::from("<mtr><mtd>");
    last += &match batch {
        Some(k) => format!(
            "<msub><mi>L</mi><mi>B</mi></msub></mtd><mtd><mo>=</mo></mtd><mtd><mfrac><mn>1</mn>\
             <mn>{k}</mn></mfrac><munder><mo>∑</mo><mrow><mi>i</mi><mo>∈</mo><mi>B</mi></mrow></munder>"
        ),
        None => format!(
            "<mi>L</mi></mtd><mtd><mo>=</mo></mtd><mtd><mfrac><mn>1</mn><mn>{n}</mn></mfrac>\
             <munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mn>{n}</mn></munderover>"
        ),
    };
    last += SYMBOLS[sym("loss").unwrap_or(0)].1;
    if lines.iter().any(|l| SYMBOLS[l.target].0 == "penalty") {
        last += "<mo>+</mo><mi>R</mi>";
    }
    if let Some(k) = batch {
        last += &format!(
            "<mo>,</mo><mspace width=\"1em\"></mspace><mo>|</mo><mi>B</mi><mo>|</mo><mo>=</mo><mn>{k}</mn>"
        );
    }
    format!(
        "<div class=\"f-surface\">{}</div>",
        lines_ml(&lines, &(last + "</mtd></mtr>"))
    )
}

/// The surface's formula as MathML, from `expr` (the custom grammar; see
/// [`SurfaceInfo::expr`](crate::engine::surface::SurfaceInfo::expr)), or `plain` text where
/// there is none.
pub fn surface_html(expr: &str, plain: &str) -> String {
    match parse_ex(expr) {
        Ok(e) => format!(
            "<math class=\"f-surface\" display=\"block\"><mrow><mi>f</mi><mo>(</mo><mi>x</mi><mo>,</mo><mi>y</mi>\
             <mo>)</mo></mrow><mo>=</mo>{}</math>",
            super::ml(&e)
        ),
        _ => format!("<p class=\"f-surface\">{}</p>", escape(plain)),
    }
}
