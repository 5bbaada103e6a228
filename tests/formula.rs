//! The formula panel's rules are the code: every optimizer's rule lines, evaluated, give its
//! step (both conventions, every branch); surfaces' MathML formulas evaluate to their values;
//! the MathML is well formed; Keras-convention numbers by hand and against Keras 3; the
//! narration says what the state did.

use gradscape::engine::expr;
use gradscape::engine::formula::narrate::{narrate, Facts};
use gradscape::engine::formula::rules::{rule, Ctx};
use gradscape::engine::formula::{self, explain, parse_rule, surface_html, Env};
use gradscape::engine::optim;
use gradscape::engine::run::{run, RunConfig};
use gradscape::engine::scene::Lang;
use gradscape::engine::surface::{self, Formula, SurfaceSpec};

fn s(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Settings that reach every branch of every rule, each also with `keras=1` where the
/// optimizer has it.
fn variants(id: &str) -> Vec<Vec<(String, f64)>> {
    let mut v = vec![s(&[]), s(&[("weight_decay", 0.1)])];
    match id {
        "momentum" => v.push(s(&[("dampening", 0.3)])),
        "adagrad" => v.push(s(&[("lr_decay", 0.05), ("initial_accumulator_value", 0.1)])),
        "rmsprop" => {
            v.push(s(&[("centered", 1.0)]));
            v.push(s(&[("momentum", 0.8)]));
            v.push(s(&[
                ("centered", 1.0),
                ("momentum", 0.5),
                ("weight_decay", 0.1),
            ]));
        }
        "nadam" => v.push(s(&[("momentum_decay", 0.5)])),
        "newton" => v = vec![s(&[]), s(&[("damping", 0.5)])],
        _ => {}
    }
    let schema = optim::kind(id).unwrap().schema;
    v.retain(|set| set.iter().all(|(k, _)| schema.iter().any(|p| p.key == k)));
    if schema.iter().any(|p| p.key == "keras") {
        let keras: Vec<_> = v
            .iter()
            .map(|set| {
                let mut k = set.clone();
                k.push(("keras".into(), 1.0));
                k
            })
            .collect();
        v.extend(keras);
    }
    v
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn every_rule_evaluates_to_its_optimizers_step() {
    // Rosenbrock for curvature, the saddle so Newton's H + δI is indefinite (its fallback).
    for surf_id in ["rosenbrock", "saddle"] {
        let surf = surface::build(&SurfaceSpec {
            id: surf_id.into(),
            ..Default::default()
        })
        .unwrap();
        for kind in optim::CATALOG {
            for settings in variants(kind.id) {
                let h = optim::hyper(kind.id, &settings).unwrap();
                let mut opt = optim::build(kind.id, &settings, 2).unwrap();
                let mut p = [-1.2, 0.4];
                for t in 1..=40u64 {
                    let (_, g, hess) = surf.value_grad_hessian(p);
                    let hess = [hess[0][0], hess[0][1], hess[1][0], hess[1][1]];
                    // A varying rate, as a schedule gives: the conventions differ under it.
                    let lr = h.get("lr") * (1.0 + 0.3 * (t as f64).sin()) * 0.2;
                    let mut env = Env::new();
                    for (k, v) in h.iter() {
                        env.set(k, vec![v]);
                    }
                    env.set("lr", vec![lr]);
                    env.set("t", vec![t as f64]);
                    env.set("theta", p.to_vec());
                    env.set("g", g.to_vec());
                    env.hessian = hess.to_vec();
                    for (name, v) in opt.state() {
                        env.set(name, v);
                    }
                    let before = p;
                    let note = opt.step(&mut p, &g, lr, Some(&hess));
                    let text = rule(&Ctx {
                        id: kind.id,
                        h: &h,
                        t,
                        fallback: note.fallback.is_some(),
                    });
                    let lines = parse_rule(&text).unwrap_or_else(|e| panic!("{}: {e}", kind.id));
                    env.run(&lines)
                        .unwrap_or_else(|e| panic!("{}: {e}", kind.id));
                    let what = format!("{} {settings:?} on {surf_id} at t = {t}", kind.id);
                    let theta = env.get("theta").unwrap();
                    for i in 0..2 {
                        assert!(
                            close(theta[i], p[i]),
                            "{what}: θ{i} rule {} code {} (from {before:?})",
                            theta[i],
                            p[i]
                        );
                    }
                    for (name, v) in opt.state() {
                        if name == "step" {
                            continue;
                        }
                        let got = env
                            .get(name)
                            .unwrap_or_else(|| panic!("{what}: the rule never sets {name}"));
                        for (a, b) in got.iter().zip(&v) {
                            assert!(close(*a, *b), "{what}: {name} rule {a} code {b}");
                        }
                    }
                    if !p.iter().all(|v| v.is_finite() && v.abs() < 1e6) {
                        break;
                    }
                }
            }
        }
    }
}

#[test]
fn keras_convention_numbers_by_hand() {
    // One step from (3, 1.5) on the quadratic ½(x² + 10y²): g = (3, 15).
    let g = [3.0, 15.0];
    let step = |id: &str, set: &[(&str, f64)]| {
        let mut o = optim::build(id, &s(set), 2).unwrap();
        let mut p = [3.0, 1.5];
        o.step(
            &mut p,
            &g,
            optim::hyper(id, &s(set)).unwrap().get("lr"),
            None,
        );
        p
    };
    // Adam, ε = 0.1: PyTorch m̂/(√v̂ + ε) = g/(|g| + 0.1); Keras √(1−β₂)·m/(1−β₁)/(√v + ε)
    // = √0.001·g/(√0.001·|g| + 0.1).
    let e = 0.1;
    let k = 0.001f64.sqrt();
    let p = step("adam", &[("lr", 1.0), ("eps", e)]);
    let q = step("adam", &[("lr", 1.0), ("eps", e), ("keras", 1.0)]);
    for i in 0..2 {
        let start = [3.0, 1.5][i];
        assert!(close(p[i], start - g[i] / (g[i] + e)), "{p:?}");
        assert!(close(q[i], start - k * g[i] / (k * g[i] + e)), "{q:?}");
    }
    // RMSprop, α = 0.9, ε = 0.1: v = 0.1g²; PyTorch g/(√v + ε), Keras g/√(v + ε).
    let p = step("rmsprop", &[("lr", 1.0), ("alpha", 0.9), ("eps", e)]);
    let q = step(
        "rmsprop",
        &[("lr", 1.0), ("alpha", 0.9), ("eps", e), ("keras", 1.0)],
    );
    for i in 0..2 {
        let v: f64 = 0.1 * g[i] * g[i];
        let start = [3.0, 1.5][i];
        assert!(close(p[i], start - g[i] / (v.sqrt() + e)));
        assert!(close(q[i], start - g[i] / (v + e).sqrt()));
    }
    // Adagrad from Keras's s₀ = 0.1: g/√(0.1 + g² + ε).
    let q = step(
        "adagrad",
        &[
            ("lr", 1.0),
            ("initial_accumulator_value", 0.1),
            ("eps", e),
            ("keras", 1.0),
        ],
    );
    assert!(close(q[0], 3.0 - 3.0 / (0.1f64 + 9.0 + e).sqrt()));
    // Adamax: Keras u = |g|, m/(u + ε); PyTorch u = |g| + ε, m/u: the same first step.
    let p = step("adamax", &[("lr", 1.0), ("eps", e)]);
    let q = step("adamax", &[("lr", 1.0), ("eps", e), ("keras", 1.0)]);
    assert!(close(p[0], q[0]) && close(p[1], q[1]));
    // Momentum, two steps with η changing from 1 to 0.5: PyTorch b = μb + g, θ −= η·b;
    // Keras b = μb + ηg, θ −= b. Step 2 differs by μ·(η₁ − η₂)·g₁.
    let two = |keras: f64| {
        let mut o = optim::build("momentum", &s(&[("keras", keras)]), 1).unwrap();
        let mut p = [0.0];
        o.step(&mut p, &[1.0], 1.0, None);
        o.step(&mut p, &[1.0], 0.5, None);
        p[0]
    };
    assert!(close(two(0.0), -1.0 - 0.5 * (0.9 + 1.0)));
    assert!(close(two(1.0), -1.0 - (0.9 * 1.0 + 0.5)));
    // Decoupled decay in Keras: θ ← θ − ηλθ, then the step from the gradient alone.
    let mut o = optim::build("momentum", &s(&[("keras", 1.0), ("weight_decay", 0.5)]), 1).unwrap();
    let mut p = [2.0];
    o.step(&mut p, &[1.0], 0.1, None);
    assert!(close(p[0], 2.0 - 0.1 * 0.5 * 2.0 - 0.1));
}

#[test]
fn keras_nadam_and_amsgrad_match_keras_3() {
    #[derive(serde::Deserialize)]
    struct Case {
        optimizer: String,
        hyper: std::collections::BTreeMap<String, f64>,
        start: [f64; 2],
        steps: usize,
        lib: String,
        trajectory: Vec<[f64; 2]>,
    }
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/optimizer_trajectories.json"
    ))
    .unwrap();
    let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
    let quad = surface::build(&SurfaceSpec {
        id: "quadratic".into(),
        ..Default::default()
    })
    .unwrap();
    let mut checked = 0;
    for c in cases.iter().filter(|c| c.lib == "keras") {
        // The Keras convention itself: Nadam's schedule is fixed (ψ = 1 whatever is set).
        let mut settings: Vec<(String, f64)> = c
            .hyper
            .iter()
            .filter(|(k, _)| *k != "momentum_decay")
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        settings.push(("keras".into(), 1.0));
        let mut config = RunConfig::new(&c.optimizer, c.start, c.steps);
        config.settings = settings;
        let t = run(&*quad, &config).unwrap();
        for (got, want) in t.points.iter().zip(&c.trajectory) {
            for i in 0..2 {
                assert!(
                    (got[i] - want[i]).abs() <= 1e-7 + 1e-6 * want[i].abs(),
                    "{} keras: {got:?} vs {want:?}",
                    c.optimizer
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn surface_formulas_are_the_surfaces() {
    let specs = [
        SurfaceSpec {
            id: "quadratic".into(),
            params: s(&[("kappa", 50.0), ("theta", 30.0)]),
            expr: None,
        },
        SurfaceSpec {
            id: "rosenbrock".into(),
            params: s(&[("a", -1.0), ("b", 5.0)]),
            expr: None,
        },
    ];
    let all = surface::CATALOG
        .iter()
        .filter(|k| k.id != "custom")
        .map(|k| SurfaceSpec {
            id: k.id.into(),
            ..Default::default()
        });
    for spec in all.chain(specs) {
        let surf = surface::build(&spec).unwrap();
        let info = surf.info();
        let e = expr::parse(&info.expr).unwrap_or_else(|e| panic!("{}: {e}", spec.id));
        // The tree the panel renders, read by the formula module's own parser.
        let shown = formula::parse_ex(&info.expr).unwrap_or_else(|e| panic!("{}: {e}", spec.id));
        for (i, j) in (0..7).flat_map(|i| (0..7).map(move |j| (i, j))) {
            let p = [-2.3 + 0.7 * i as f64, -1.9 + 0.6 * j as f64];
            let mut env = Env::new();
            env.set("x", vec![p[0]]);
            env.set("y", vec![p[1]]);
            env.set("pi", vec![std::f64::consts::PI]);
            env.set("e", vec![std::f64::consts::E]);
            let want = surf.value(p);
            for got in [e.eval(p[0], p[1]), env.eval(&shown).unwrap()[0]] {
                assert!(
                    (want - got).abs() <= 1e-9 * want.abs().max(1.0),
                    "{} at {p:?}: {got} vs {want}",
                    spec.id
                );
            }
        }
        check_markup(&surface_html(&info.expr, &info.formula));
    }
    // A custom surface's normalised text, exponents and all.
    let custom = expr::parse("x^2/3 + sqrt(abs(y)) - exp(-x)*1e-7 + log(2)")
        .unwrap()
        .to_string();
    let html = surface_html(&custom, "");
    assert!(html.contains("<mfrac>") && html.contains("<msqrt>") && html.contains("<msup>"));
    check_markup(&html);
    // Without a formula, text, escaped.
    assert_eq!(
        surface_html("", "a < b"),
        "<p class=\"f-surface\">a &lt; b</p>"
    );
}

/// Balanced tags from a whitelist, whitelisted attributes, no stray `<`, `>` or `&` in text.
fn check_markup(html: &str) {
    const TAGS: &[&str] = &[
        "math",
        "mrow",
        "mi",
        "mo",
        "mn",
        "mfrac",
        "msqrt",
        "msup",
        "msub",
        "msubsup",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mtext",
        "mspace",
        "p",
        "strong",
        "small",
        "div",
        "table",
        "tr",
        "th",
        "td",
    ];
    const ATTRS: &[&str] = &[
        "class",
        "display",
        "columnalign",
        "accent",
        "colspan",
        "data-k",
        "data-v",
        "width",
    ];
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        assert!(!rest[..open].contains('>'), "stray > in {html}");
        let close = rest[open..].find('>').expect("unclosed tag") + open;
        let tag = &rest[open + 1..close];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "unbalanced </{name}> in {html}");
        } else {
            let mut parts = tag.splitn(2, ' ');
            let name = parts.next().unwrap();
            assert!(TAGS.contains(&name), "<{name}> is not whitelisted");
            if let Some(attrs) = parts.next() {
                for a in attrs.split("\" ").filter(|a| !a.trim().is_empty()) {
                    let (k, v) = a.split_once("=\"").expect("attribute");
                    assert!(ATTRS.contains(&k.trim()), "attribute {k} in {html}");
                    assert!(!v.contains('<') && !v.contains('&'));
                }
            }
            stack.push(name);
        }
        rest = &rest[close + 1..];
        let text_end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..text_end];
        assert!(!text.contains('>'), "stray > in text {text:?}");
        assert!(
            !text.contains('&') || text.contains("&lt;") || text.contains("&amp;"),
            "raw & in {text:?}"
        );
    }
    assert!(stack.is_empty(), "unclosed {stack:?} in {html}");
}

#[test]
fn every_panel_is_well_formed_markup_in_both_languages() {
    let surf = surface::build(&SurfaceSpec {
        id: "rosenbrock".into(),
        ..Default::default()
    })
    .unwrap();
    for kind in optim::CATALOG {
        for settings in variants(kind.id) {
            let mut config = RunConfig::new(kind.id, [-1.2, 1.0], 12);
            config.settings = settings.clone();
            config.settings.push(("lr".into(), 1e-4));
            let t = run(&*surf, &config).unwrap();
            for at in [0, 1, 2, 12] {
                for lang in [Lang::En, Lang::Zh] {
                    let e = explain(&*surf, kind.id, &config.settings, &t, at, lang)
                        .unwrap_or_else(|| panic!("{} has no panel", kind.id));
                    check_markup(&e.html);
                    assert!(!e.narration.is_empty());
                    if at > 0 {
                        // The θ row is the trajectory's point, to the bit.
                        let p = t.params_at(at);
                        let want = format!("<tr data-k=\"theta\"><th><math><mi>θ</mi></math></th><td data-v=\"{}\">", p[0]);
                        assert!(e.html.contains(&want), "{}: {}", kind.id, e.html);
                    }
                }
            }
        }
    }
}

#[test]
fn the_panel_follows_the_playhead_and_the_settings() {
    let surf = surface::build(&SurfaceSpec {
        id: "quadratic".into(),
        ..Default::default()
    })
    .unwrap();
    let mut config = RunConfig::new("adam", [3.0, 1.5], 50);
    config.settings = s(&[("lr", 0.1)]);
    let t = run(&*surf, &config).unwrap();
    let at = |k| explain(&*surf, "adam", &config.settings, &t, k, Lang::En).unwrap();
    // Step 1 from (3, 1.5): g = (3, 15), m = 0.1·g, v = 0.001·g².
    let one = at(1).html;
    assert!(one.contains("<tr data-k=\"exp_avg\"><th><math><mi>m</mi></math></th><td data-v=\"0.29999999999999993\">"), "{one}");
    assert!(one.contains("data-k=\"mhat\""));
    assert!(one.contains("data-k=\"eff_lr\""));
    assert_ne!(at(1), at(2));
    let keras = explain(
        &*surf,
        "adam",
        &s(&[("lr", 0.1), ("keras", 1.0)]),
        &t,
        1,
        Lang::En,
    );
    let keras = keras.unwrap().html;
    assert!(keras.contains("Keras 3 convention") && keras.contains("data-k=\"alpha_t\""));
    assert!(!keras.contains("data-k=\"mhat\""));
    let nobc = explain(&*surf, "adam_nobc", &config.settings, &t, 1, Lang::Zh).unwrap();
    assert!(nobc.html.contains("仅用于教学"), "{}", nobc.html);
}

fn state(name: &'static str, v: &[f64]) -> Vec<(&'static str, Vec<f64>)> {
    vec![(name, v.to_vec())]
}

#[test]
fn narration_says_what_the_state_did() {
    let names = vec!["x".to_string(), "y".to_string()];
    let (before, after) = (
        state("exp_avg_sq", &[1.0, 1.0]),
        state("exp_avg_sq", &[0.5, 4.0]),
    );
    let f = Facts {
        id: "adam",
        names: &names,
        t: 5,
        lr: 0.1,
        g: &[0.1, 3.0],
        g_next: Some(&[0.1, 2.0]),
        step: &[-0.1, -0.05],
        before: &before,
        after: &after,
        eff_before: Some(vec![0.1, 0.1]),
        eff_after: Some(vec![0.12, 0.05]),
        fallback: false,
        nobc_scale: 3.16,
        unadapted: false,
    };
    let en = narrate(&f, Lang::En);
    assert!(
        en.contains("v grew in y, so the effective step in y shrank (0.1 → 0.05)"),
        "{en}"
    );
    assert!(
        en.contains("v fell in x, so the effective step in x grew"),
        "{en}"
    );
    assert!(en.contains("steepest in y"), "{en}");
    let zh = narrate(&f, Lang::Zh);
    assert!(
        zh.contains("v 在 y 方向变大，所以 y 方向的有效步长变小"),
        "{zh}"
    );
    // Momentum that moves uphill in y has carried it past the valley floor.
    let (b0, b1) = (
        state("momentum_buffer", &[1.0, -2.0]),
        state("momentum_buffer", &[1.5, -1.0]),
    );
    let m = Facts {
        id: "momentum",
        step: &[-0.1, 0.2],
        g: &[0.5, 1.0],
        g_next: Some(&[0.4, 1.5]),
        before: &b0,
        after: &b1,
        eff_before: None,
        eff_after: None,
        ..f
    };
    let en = narrate(&m, Lang::En);
    assert!(en.contains("The velocity b grew in x"), "{en}");
    assert!(en.contains("The velocity b shrank in y"), "{en}");
    assert!(en.contains("carried it past the valley floor in y"), "{en}");
    // SGD: step = −η·g; a sign change of the gradient is a crossing.
    let sgd = Facts {
        id: "sgd",
        g_next: Some(&[-0.4, 1.5]),
        before: &Vec::new(),
        after: &Vec::new(),
        ..m
    };
    let en = narrate(&sgd, Lang::En);
    assert!(en.contains("step = −η·g = (-0.1, 0.2)"), "{en}");
    assert!(en.contains("crossed the valley floor in x"), "{en}");
    assert!(narrate(&Facts { t: 0, ..sgd }, Lang::Zh).contains("起点"));
}

#[test]
fn every_family_narrates_its_first_and_later_steps() {
    let surf = surface::build(&SurfaceSpec {
        id: "rosenbrock".into(),
        ..Default::default()
    })
    .unwrap();
    for kind in optim::CATALOG {
        let mut config = RunConfig::new(kind.id, [-1.2, 1.0], 5);
        config.settings = s(&[("lr", 1e-4)]);
        let t = run(&*surf, &config).unwrap();
        let first = explain(&*surf, kind.id, &config.settings, &t, 1, Lang::En).unwrap();
        let later = explain(&*surf, kind.id, &config.settings, &t, 4, Lang::En).unwrap();
        assert!(
            first.narration.starts_with("Step 1:"),
            "{}",
            first.narration
        );
        assert!(
            later.narration.starts_with("Step 4:"),
            "{}",
            later.narration
        );
        // Something beyond the opening sentence, for every family.
        assert!(
            later.narration.matches(". ").count() >= 1,
            "{}: {}",
            kind.id,
            later.narration
        );
    }
    let _ = formula::SYMBOLS;
}

/// Point i's symbols for a task's formula: a regression's (xᵢ, yᵢ), a labelled point's
/// (x1ᵢ, x2ᵢ) and its label yᵢ.
fn point_env(env: &mut Env, p: &gradscape::engine::task::data::DataPoint) {
    use gradscape::engine::task::data::Group;
    match p.group {
        Group::Class0 | Group::Class1 => {
            env.set("x1i", vec![p.x]);
            env.set("x2i", vec![p.y]);
            env.set("yi", vec![f64::from(u8::from(p.group == Group::Class1))]);
        }
        _ => {
            env.set("xi", vec![p.x]);
            env.set("yi", vec![p.y]);
        }
    }
}

#[test]
fn task_formulas_are_the_tasks_losses() {
    use gradscape::engine::formula::task_html;
    use gradscape::engine::scene::Task;
    use gradscape::engine::task::data::Group;
    use gradscape::engine::task::{self, TaskSpec};
    // Every task at its defaults, and the polynomial with an L2 term.
    let mut specs: Vec<_> = Task::ALL.iter().map(|&k| (k, s(&[]))).collect();
    specs.push((Task::Polynomial, s(&[("degree", 6.0), ("l2", 0.05)])));
    // A small LCG: parameters in [−2, 2).
    let mut seed = 7u64;
    let mut rand = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0
    };
    for (kind, settings) in specs {
        let t = task::build(&TaskSpec {
            settings,
            ..TaskSpec::new(kind, 3)
        })
        .unwrap();
        let lines = parse_rule(&t.formula()).unwrap();
        let (point, penalty): (Vec<_>, Vec<_>) = lines
            .iter()
            .cloned()
            .partition(|l| formula::SYMBOLS[l.target].0 != "penalty");
        assert_eq!(formula::SYMBOLS[point.last().unwrap().target].0, "loss");
        let train: Vec<_> = t
            .points()
            .iter()
            .filter(|p| p.group != Group::Val)
            .collect();
        assert_eq!(train.len(), t.sample_count().unwrap());
        for _ in 0..5 {
            let p: Vec<f64> = (0..t.dim()).map(|_| rand()).collect();
            let mut env = Env::new();
            for (name, v) in t.param_names().iter().zip(&p) {
                env.set(name, vec![*v]);
            }
            env.set("wj", p.clone());
            let losses: Vec<f64> = train
                .iter()
                .map(|pt| {
                    point_env(&mut env, pt);
                    env.run(&point).unwrap();
                    env.get("loss").unwrap()[0]
                })
                .collect();
            let r = penalty
                .first()
                .map_or(0.0, |l| env.eval(&l.expr).unwrap()[0]);
            let mean =
                |idx: &[usize]| idx.iter().map(|&i| losses[i]).sum::<f64>() / idx.len() as f64;
            let all: Vec<usize> = (0..train.len()).collect();
            let want = t.value(&p);
            let got = mean(&all) + r;
            assert!(close(got, want), "{kind:?} at {p:?}: {got} vs {want}");
            // A mini-batch's loss is its points' mean (plus the same penalty).
            let batch = [0, 3, 5, 8];
            let mut g = vec![0.0; p.len()];
            let want = t.batch_value_grad(&p, &batch, &mut g);
            assert!(close(mean(&batch) + r, want), "{kind:?} batch");
        }
        // n, the batch and the penalty's strength appear as numbers.
        let n = t.sample_count().unwrap();
        let html = task_html(t.as_ref(), None);
        check_markup(&html);
        assert!(
            html.contains(&format!("<mfrac><mn>1</mn><mn>{n}</mn></mfrac>")),
            "{html}"
        );
        let batched = task_html(t.as_ref(), Some(10));
        check_markup(&batched);
        assert!(batched.contains("<mo>∈</mo><mi>B</mi>") && batched.contains("<mn>10</mn>"));
        assert_eq!(penalty.is_empty(), !html.contains("<mi>R</mi>"));
        if !penalty.is_empty() {
            assert!(html.contains("<mn>0.05</mn>"), "{html}");
            assert!(
                html.contains("<mo>∑</mo>") && html.contains("<msub><mi>P</mi><mi>j</mi></msub>")
            );
        }
    }
}

#[test]
fn a_cards_rule_follows_its_convention() {
    use gradscape::engine::formula::card_rule;
    let torch = card_rule("adagrad", &[], Lang::En);
    let keras = card_rule("adagrad", &s(&[("keras", 1.0)]), Lang::En);
    check_markup(&torch);
    check_markup(&keras);
    // ε outside the root (PyTorch), inside it (Keras), from the rule table.
    assert!(
        torch.contains("<msqrt><mi>s</mi></msqrt><mo>+</mo><mi>ε</mi>"),
        "{torch}"
    );
    assert!(
        keras.contains("<msqrt><mrow><mi>s</mi><mo>+</mo><mi>ε</mi></mrow></msqrt>"),
        "{keras}"
    );
    assert!(keras.starts_with("<strong>Keras 3 convention</strong>") && !torch.contains("Keras"));
    // Momentum's Keras form keeps η in the velocity; the teaching variant says what it is.
    let m = card_rule("momentum", &s(&[("keras", 1.0)]), Lang::Zh);
    assert!(
        m.contains("Keras 3 约定") && m.contains("<mi>b</mi><mo>←</mo>"),
        "{m}"
    );
    assert!(card_rule("adam_nobc", &[], Lang::En).contains("teaching only"));
    // Only the branches in force: a weight-decay line once λ ≠ 0.
    assert!(!torch.contains("<mi>λ</mi>"));
    assert!(card_rule("adagrad", &s(&[("weight_decay", 0.1)]), Lang::En).contains("<mi>λ</mi>"));
    assert_eq!(card_rule("adagrad", &s(&[("eps", -1.0)]), Lang::En), "");
}

#[test]
fn a_zero_gradient_is_narrated_as_zero() {
    let names = vec!["x".to_string(), "y".to_string()];
    let none = Vec::new();
    let f = Facts {
        id: "adam",
        names: &names,
        t: 3,
        lr: 0.1,
        g: &[0.0, 0.0],
        g_next: Some(&[0.0, 0.0]),
        step: &[0.0, 0.0],
        before: &none,
        after: &none,
        eff_before: None,
        eff_after: None,
        fallback: false,
        nobc_scale: 3.16,
        unadapted: false,
    };
    let en = narrate(&f, Lang::En);
    assert!(
        en.contains("exactly zero") && en.contains("nothing moves"),
        "{en}"
    );
    assert!(!en.contains("uphill"), "{en}");
    assert!(narrate(&f, Lang::Zh).contains("梯度恰好为零"));
    let carried = Facts {
        id: "momentum",
        step: &[-0.5, 0.0],
        ..f
    };
    let en = narrate(&carried, Lang::En);
    assert!(
        en.contains("the step (-0.5, 0) is only what the optimizer carries"),
        "{en}"
    );
    assert!(narrate(&carried, Lang::Zh).contains("动量"));
    // From a real run: SGD started at the quadratic's minimum does not move.
    let surf = surface::build(&SurfaceSpec {
        id: "quadratic".into(),
        ..Default::default()
    })
    .unwrap();
    let config = RunConfig::new("sgd", [0.0, 0.0], 3);
    let t = run(&*surf, &config).unwrap();
    let e = explain(&*surf, "sgd", &[], &t, 2, Lang::En).unwrap();
    assert!(e.narration.contains("nothing moves"), "{}", e.narration);
}
