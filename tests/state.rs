#![cfg(not(target_arch = "wasm32"))]
//! The scene and its URL codec: the documented example, precedence, one notice per bad key with
//! a fallback, exact round trips, and no panic on any input.

use gradscape::engine::optim;
use gradscape::engine::param::Kind;
use gradscape::engine::run::MAX_STEPS;
use gradscape::engine::scene::{
    DataDist, Dataset, DrawPlane, Lang, OptimizerEntry, Panel, Scene, Task, Theme, MAX_OPTIMIZERS,
    MAX_VIEW_SPAN, MIN_VIEW_SPAN,
};
use gradscape::engine::schedule::{self, Rule, Schedule};
use gradscape::engine::surface::{self, SurfaceSpec};
use gradscape::engine::task::data::Data;
use gradscape::engine::url::{decode, encode, Decoded, KEYS};
use proptest::prelude::*;

fn hash(h: &str) -> Decoded {
    decode("", h)
}

fn spec(id: &str, params: &[(&str, f64)], expr: Option<&str>) -> SurfaceSpec {
    SurfaceSpec {
        id: id.to_string(),
        params: params.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        expr: expr.map(str::to_string),
    }
}

#[test]
fn the_design_example_decodes() {
    let d = decode(
        "",
        "#v=1&surface=rosenbrock&start=-1.2,1&steps=500&opt=adam(lr=0.01,beta1=0.9),sgd(lr=0.001)\
         &sched=cosine(t_max=500)&noise=0.1&seed=7&view=-2,2,-1,3&t=500&lang=zh&theme=dark\
         &embed=1&hide=controls,loss&projector=1&task=linear&n=100&data_noise=1&batch=10",
    );
    assert_eq!(d.notices, Vec::<String>::new());
    let expected = Scene {
        surface: spec("rosenbrock", &[], None),
        start: Some(vec![-1.2, 1.0]),
        steps: 500,
        optimizers: vec![
            OptimizerEntry::new("adam", &[("lr", 0.01), ("beta1", 0.9)]),
            OptimizerEntry::new("sgd", &[("lr", 0.001)]),
        ],
        schedule: Schedule {
            rule: Rule::Cosine {
                t_max: 500.0,
                eta_min: 0.0,
            },
            warmup: 0.0,
        },
        noise: 0.1,
        seed: 7,
        view: Some([-2.0, 2.0, -1.0, 3.0]),
        t: Some(500),
        lang: Some(Lang::Zh),
        theme: Some(Theme::Dark),
        projector: true,
        embed: true,
        hide: vec![Panel::Controls, Panel::Loss],
        vectors: false,
        three_d: false,
        task: Some(Task::Linear),
        n: Some(100),
        data_noise: Some(1.0),
        batch: Some(10),
        ..Scene::default()
    };
    assert_eq!(d.scene, expected);
    assert_eq!(
        encode(&expected),
        "v=1&surface=rosenbrock&start=-1.2,1&steps=500&opt=adam(lr=0.01,beta1=0.9),sgd(lr=0.001)\
         &sched=cosine&noise=0.1&seed=7&view=-2,2,-1,3&t=500&lang=zh&theme=dark&projector=1\
         &embed=1&hide=controls,loss&task=linear&n=100&data_noise=1&batch=10"
    );
}

#[test]
fn the_first_screen_encodes_short_and_readable() {
    let s = Scene::default();
    assert_eq!(
        encode(&s),
        "v=1&surface=rosenbrock&opt=sgd(lr=0.001),momentum(lr=0.001,momentum=0.9),adam(lr=0.05)"
    );
    assert_eq!(
        decode("", ""),
        Decoded {
            scene: s.clone(),
            notices: vec![]
        }
    );
    assert_eq!(hash(&encode(&s)).scene, s);
}

#[test]
fn the_hash_wins_over_the_query_and_prefixes_are_optional() {
    let d = decode("?steps=100&seed=3&embed=1", "#steps=200&lang=zh");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(
        (d.scene.steps, d.scene.seed, d.scene.embed, d.scene.lang),
        (200, 3, true, Some(Lang::Zh))
    );
    assert_eq!(decode("steps=100&seed=3&embed=1", "steps=200&lang=zh"), d);
    // A bad hash value falls back to the default, not to the query's value.
    let d = decode("steps=100", "steps=abc");
    assert_eq!(d.scene.steps, 300);
    assert_eq!(d.notices.len(), 1);
    // Within one string the last occurrence wins.
    assert_eq!(hash("steps=10&steps=20").scene.steps, 20);
}

#[test]
fn plus_is_a_space_only_in_the_query() {
    let d = hash("surface=custom&expr=x^2+3*y^2");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(d.scene.surface.expr.as_deref(), Some("x^2+3*y^2"));
    let d = decode("surface=custom&expr=x^2+3*y^2", "");
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    assert!(d.notices[0].starts_with("expr: "), "{:?}", d.notices);
    assert_eq!(d.scene, Scene::default());
    assert_eq!(decode("theme=dark&lang=+zh", "").scene.lang, Some(Lang::Zh));
}

#[test]
fn a_percent_encoded_custom_expression_decodes() {
    let d = hash("surface=custom&expr=x%5E2%2B3*y%5E2");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(d.scene.surface, spec("custom", &[], Some("x^2+3*y^2")));
    assert_eq!(
        encode(&d.scene),
        "v=1&surface=custom&expr=x^2%2B3*y^2\
         &opt=sgd(lr=0.001),momentum(lr=0.001,momentum=0.9),adam(lr=0.05)"
    );
    // The query form is percent-decoded the same way; `expr` alone implies a custom surface.
    let q = decode("?expr=sin(x)%20*%20cos(y)", "");
    assert!(q.notices.is_empty(), "{:?}", q.notices);
    assert_eq!(
        q.scene.surface,
        spec("custom", &[], Some("sin(x) * cos(y)"))
    );
    // Spaces and '+' survive the trip.
    let s = Scene {
        surface: spec("custom", &[], Some("x^2 + y^2 + pi")),
        ..Scene::default()
    };
    let text = encode(&s);
    assert!(text.contains("expr=x^2%20%2B%20y^2%20%2B%20pi"), "{text}");
    assert_eq!(hash(&text).scene, s);
}

#[test]
fn surface_parameters_use_the_call_syntax() {
    let d = hash("surface=quadratic(kappa=50,theta=30)");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(
        d.scene.surface,
        spec("quadratic", &[("kappa", 50.0), ("theta", 30.0)], None)
    );
    assert!(encode(&d.scene).starts_with("v=1&surface=quadratic(kappa=50,theta=30)&opt="));
}

/// Each link sets one bad value: it must give exactly one notice, naming the key, and leave
/// the first screen unchanged.
#[test]
fn every_bad_value_gives_one_notice_and_falls_back() {
    let cases: &[(&str, &str)] = &[
        ("v=2", "v"),
        ("surface=nope", "surface"),
        ("surface=quadratic(kappa=0)", "surface"),
        ("surface=quadratic(zeta=1)", "surface"),
        ("surface=quadratic(kappa=", "surface"),
        ("surface=custom", "expr"),
        ("surface=custom&expr=x^", "expr"),
        ("surface=custom&expr=", "expr"),
        ("expr=2x", "expr"),
        ("surface=rosenbrock&expr=x", "expr"),
        ("surface=bogus&expr=x", "surface"),
        ("start=1", "start"),
        ("start=a,b", "start"),
        ("start=1,2,3", "start"),
        ("start=inf,0", "start"),
        ("steps=100001", "steps"),
        ("steps=-1", "steps"),
        ("steps=1.5", "steps"),
        ("steps=", "steps"),
        ("opt=adamm", "opt"),
        ("opt=adam(lrr=1)", "opt"),
        ("opt=adam(lr=-1)", "opt"),
        ("opt=adam(lr=0.1", "opt"),
        ("opt=sgd(hidden=2)", "opt"),
        ("opt=rmsprop(centered=0.5)", "opt"),
        ("opt=adamm,sgdd", "opt"),
        ("sched=warp", "sched"),
        ("sched=cosine(t_max=0)", "sched"),
        ("sched=step(step_size=1.5)", "sched"),
        ("sched=cosine(period=3)", "sched"),
        ("noise=-1", "noise"),
        ("noise=nan", "noise"),
        ("seed=-1", "seed"),
        ("seed=1.5", "seed"),
        ("view=1,0,0,1", "view"),
        ("view=0,1,1,1", "view"),
        ("view=0,1,2", "view"),
        ("view=-1e308,1e308,-1e308,1e308", "view"),
        ("view=0,1e-12,0,1", "view"),
        ("view=0,1e10,0,1", "view"),
        ("t=-1", "t"),
        ("lang=fr", "lang"),
        ("theme=blue", "theme"),
        ("embed=2", "embed"),
        ("hide=sidebar", "hide"),
        ("vectors=yes", "vectors"),
        ("3d=on", "3d"),
        ("stretch=fill", "stretch"),
        ("task=cubic", "task"),
        ("n=0", "n"),
        ("n=10001", "n"),
        ("data_noise=-1", "data_noise"),
        ("batch=0", "batch"),
        ("steps=%G0", "steps"),
        ("steps=10%", "steps"),
        ("steps=%FF", "steps"),
        ("steps=1&steps=%", "steps"),
        ("zoom=2", "zoom"),
        ("zoom=2&zoom=3", "zoom"),
        ("%ZZ=1", "%ZZ"),
    ];
    for (link, key) in cases {
        let d = hash(link);
        assert_eq!(d.notices.len(), 1, "{link}: {:?}", d.notices);
        assert!(
            d.notices[0].starts_with(&format!("{key}: ")),
            "{link}: {:?}",
            d.notices
        );
        let expected = if *link == "steps=1&steps=%" {
            // The bad second value is ignored; the good first one stays.
            Scene {
                steps: 1,
                ..Scene::default()
            }
        } else {
            Scene::default()
        };
        assert_eq!(d.scene, expected, "{link}");
    }
}

#[test]
fn notices_say_what_is_valid() {
    let d = hash("opt=adamm");
    assert!(
        d.notices[0]
            .starts_with("opt: unknown optimizer 'adamm'; valid: sgd, momentum, nesterov, adagrad"),
        "{:?}",
        d.notices
    );
    assert!(d.notices[0].ends_with("using the default optimizers"));
    let d = hash("steps=100001");
    assert_eq!(
        d.notices,
        ["steps: '100001' is not valid; valid: a whole number from 0 to 100000; using the default"]
    );
    let d = hash("lang=fr");
    assert_eq!(
        d.notices,
        ["lang: 'fr' is not valid; valid: en, zh; using the default"]
    );
    let d = hash("sched=warp");
    assert!(d.notices[0].contains("valid: constant, step, exponential, cosine"));
    let d = hash("zoom=2");
    assert!(d.notices[0].starts_with("zoom: unknown key, ignored; valid keys: v, surface, expr"));
    // Echoed user text is cut short.
    let long = "z".repeat(5000);
    let d = hash(&format!("lang={long}"));
    assert!(d.notices[0].chars().count() < 200, "{}", d.notices[0]);
}

#[test]
fn a_bad_optimizer_drops_only_itself() {
    let d = hash("opt=adamm(lr=1),sgd(lr=0.1),adam(lr=-1),momentum(lr=0.01,hidden=1)");
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    let n = &d.notices[0];
    assert!(n.starts_with("opt: unknown optimizer 'adamm'"), "{n}");
    assert!(n.contains("adam: lr = -1 is out of range"), "{n}");
    assert!(n.ends_with("kept the others"), "{n}");
    let mut hidden = OptimizerEntry::new("momentum", &[("lr", 0.01)]);
    hidden.hidden = true;
    assert_eq!(
        d.scene.optimizers,
        vec![OptimizerEntry::new("sgd", &[("lr", 0.1)]), hidden]
    );
    assert!(encode(&d.scene).contains("&opt=sgd(lr=0.1),momentum(lr=0.01,hidden=1)"));
}

#[test]
fn optimizer_lists_can_be_empty_but_not_huge() {
    let d = hash("opt=");
    assert!(d.notices.is_empty());
    assert!(d.scene.optimizers.is_empty());
    assert!(encode(&d.scene).ends_with("&opt="));
    assert_eq!(hash(&encode(&d.scene)).scene, d.scene);

    let many = vec!["sgd"; MAX_OPTIMIZERS + 5].join(",");
    let d = hash(&format!("opt={many}"));
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    let limit = format!("at most {MAX_OPTIMIZERS}");
    assert!(d.notices[0].contains(&limit), "{:?}", d.notices);
    assert_eq!(d.scene.optimizers.len(), MAX_OPTIMIZERS);
}

#[test]
fn unknown_keys_are_named_then_counted() {
    let d = hash("a=1&b=2&c=3&d=4&e=5&f=6&g=7&steps=9&a=8&=1");
    assert_eq!(d.scene.steps, 9);
    assert_eq!(d.notices.len(), 6, "{:?}", d.notices);
    let keys: Vec<&str> = d.notices[..5]
        .iter()
        .map(|n| n.split(':').next().unwrap())
        .collect();
    assert_eq!(keys, ["a", "b", "c", "d", "e"]);
    assert_eq!(d.notices[5], "3 more unknown keys were ignored");
    assert!(hash("=1").notices[0].starts_with("(empty key): unknown key"));
}

#[test]
fn hide_drops_unknown_panels_and_repeats() {
    let d = hash("hide=loss,sidebar,loss,header");
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    assert!(d.notices[0].starts_with("hide: unknown panel 'sidebar'"));
    assert!(d.notices[0].contains("valid: controls, loss, legend, toolbar, header, formula"));
    assert_eq!(d.scene.hide, vec![Panel::Loss, Panel::Header]);
}

#[test]
fn every_hide_key_round_trips_with_embed() {
    let d = hash("embed=1&hide=formula,toolbar,legend,header,loss,controls");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let ids: Vec<&str> = d.scene.hide.iter().map(|p| p.id()).collect();
    assert_eq!(
        ids,
        ["formula", "toolbar", "legend", "header", "loss", "controls"]
    );
    assert_eq!(Panel::ALL.len(), ids.len());
    let link = encode(&d.scene);
    assert!(
        link.contains("&embed=1&hide=formula,toolbar,legend,header,loss,controls"),
        "{link}"
    );
    assert_eq!(hash(&link).scene, d.scene);
}

#[test]
fn a_newer_version_still_decodes_best_effort() {
    let d = hash("v=2&steps=10&theme=dark");
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    assert!(
        d.notices[0].starts_with("v: version '2'"),
        "{:?}",
        d.notices
    );
    assert_eq!((d.scene.steps, d.scene.theme), (10, Some(Theme::Dark)));
    // Without `v` a hand-written link is read as v=1, silently.
    assert!(hash("steps=10").notices.is_empty());
}

#[test]
fn flags_and_view_keys_round_trip() {
    let d = hash("vectors=1&3d=true&embed=0&view=-3,3,-2,2.5&t=9999&steps=10&stretch=1");
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let s = &d.scene;
    assert!(s.vectors && s.three_d && !s.embed && s.stretch);
    assert_eq!(s.view, Some([-3.0, 3.0, -2.0, 2.5]));
    assert_eq!(s.playhead(), 10);
    assert_eq!(
        encode(s),
        "v=1&surface=rosenbrock&steps=10\
         &opt=sgd(lr=0.001),momentum(lr=0.001,momentum=0.9),adam(lr=0.05)\
         &view=-3,3,-2,2.5&stretch=1&t=9999&vectors=1&3d=1"
    );
    // True aspect is the default and is not written.
    assert!(!hash("stretch=0").scene.stretch);
    assert!(!encode(&Scene::default()).contains("stretch"));
}

#[test]
fn run_configs_carry_the_scene() {
    let s = hash("steps=50&noise=0.5&seed=4&sched=exponential(gamma=0.9)&start=0.5,0.25").scene;
    let runs = s.run_configs(&[9.0, 9.0]);
    assert_eq!(runs.len(), 3);
    for (run, o) in runs.iter().zip(&s.optimizers) {
        assert_eq!(run.optimizer, o.id);
        assert_eq!(run.settings, o.settings);
        assert_eq!(run.start, [0.5, 0.25]);
        assert_eq!(run.steps, 50);
        assert_eq!((run.noise.sigma, run.noise.seed), (0.5, 4));
        assert_eq!(run.schedule, s.schedule);
    }
    let d = Scene::default();
    assert_eq!(d.start_or(&[-1.5, 2.0]), [-1.5, 2.0]);
    assert_eq!(d.run_configs(&[-1.5, 2.0])[0].start, [-1.5, 2.0]);
    assert_eq!(d.playhead(), 300);
    assert_eq!(Scene { t: Some(7), ..d }.playhead(), 7);
}

#[test]
fn serde_round_trip_keeps_the_scene() {
    let s = hash(
        "surface=custom&expr=x*y&sched=step(step_size=10,gamma=0.5,warmup=3)&3d=1&hide=formula\
         &task=logistic&opt=lion(lr=0.0001,hidden=1)",
    )
    .scene;
    let json = serde_json::to_string(&s).unwrap();
    assert!(
        json.contains(r#""schedule":"step(step_size=10,gamma=0.5,warmup=3)""#),
        "{json}"
    );
    assert!(json.contains(r#""3d":true"#), "{json}");
    let back: Scene = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    // Missing fields take the defaults.
    let partial: Scene = serde_json::from_str(r#"{"steps": 42}"#).unwrap();
    assert_eq!(
        partial,
        Scene {
            steps: 42,
            ..Scene::default()
        }
    );
}

#[test]
fn huge_inputs_decode_quickly() {
    let inputs = [
        "(".repeat(200_000),
        format!("opt={}", "(".repeat(200_000)),
        format!("expr={}", "(".repeat(200_000)),
        format!("opt={}", vec!["adamm(lr=1)"; 20_000].join(",")),
        format!("hide={}", vec!["x"; 50_000].join(",")),
        "%".repeat(100_000),
        "&=".repeat(100_000),
        format!("zz{}", "&k=v".repeat(2_000)),
        (0..100_000)
            .map(|i| format!("k{i}=1"))
            .collect::<Vec<_>>()
            .join("&"),
    ];
    for input in inputs {
        let start = std::time::Instant::now();
        let d = decode(&input, &input);
        assert!(start.elapsed().as_secs_f64() < 10.0, "{}", &input[..20]);
        assert!(
            d.notices.iter().all(|n| n.chars().count() < 1000),
            "{:?}",
            d.notices
        );
    }
}

// ---- generated scenes ----

const EXPRS: &[&str] = &[
    "x^2 + 3*y^2",
    "sin(x)*cos(y)",
    "(x - 1)^2 + 100*(y - x^2)^2",
    "abs(x) + abs(y)",
    "exp(-(x^2+y^2)/2) * -1",
    "x*y",
];

fn in_range(min: f64, max: f64, u: f64) -> f64 {
    (min + u * (max - min)).clamp(min, max)
}

fn arb_surface() -> impl Strategy<Value = SurfaceSpec> {
    (
        0..surface::CATALOG.len(),
        prop::collection::vec((any::<prop::sample::Index>(), 0.0..=1.0f64), 0..3),
        prop::sample::select(EXPRS),
    )
        .prop_map(|(i, picks, expr)| {
            let k = &surface::CATALOG[i];
            let params = if k.schema.is_empty() {
                vec![]
            } else {
                picks
                    .iter()
                    .map(|(ix, u)| {
                        let p = &k.schema[ix.index(k.schema.len())];
                        (p.key.to_string(), in_range(p.min, p.max, *u))
                    })
                    .collect()
            };
            SurfaceSpec {
                id: k.id.to_string(),
                params,
                expr: (k.id == "custom").then(|| expr.to_string()),
            }
        })
}

fn arb_optimizer() -> impl Strategy<Value = OptimizerEntry> {
    (
        0..optim::CATALOG.len(),
        prop::collection::vec((any::<prop::sample::Index>(), 0.0..=1.0f64), 0..4),
        any::<bool>(),
        prop::option::of(0usize..=200),
    )
        .prop_map(|(i, picks, hidden, batch)| {
            let k = &optim::CATALOG[i];
            let settings = picks
                .iter()
                .map(|(ix, u)| {
                    let h = &k.schema[ix.index(k.schema.len())];
                    let v = match h.kind {
                        Kind::Bool => (*u >= 0.5) as u8 as f64,
                        Kind::Number(_) => in_range(h.min, h.max, *u),
                        Kind::Whole(_) => in_range(h.min, h.max, *u).round(),
                    };
                    (h.key.to_string(), v)
                })
                .collect();
            OptimizerEntry {
                id: k.id.to_string(),
                settings,
                hidden,
                batch,
            }
        })
}

fn arb_schedule() -> impl Strategy<Value = Schedule> {
    (
        0..schedule::CATALOG.len(),
        prop::collection::vec(0.0..=1.0f64, 2),
        prop::option::of(0.0..=1.0f64),
    )
        .prop_map(|(i, us, warmup)| {
            let k = &schedule::CATALOG[i];
            let mut args: Vec<(String, f64)> = k
                .schema
                .iter()
                .zip(&us)
                .map(|(p, u)| {
                    let v = in_range(p.min, p.max, *u);
                    let v = if p.key == "step_size" { v.round() } else { v };
                    (p.key.to_string(), v)
                })
                .collect();
            if let Some(w) = warmup {
                let p = schedule::WARMUP;
                args.push((p.key.to_string(), in_range(p.min, p.max, w)));
            }
            let call = gradscape::engine::call::Call {
                name: k.id.to_string(),
                args,
            };
            Schedule::from_call(&call).unwrap()
        })
}

fn finite() -> impl Strategy<Value = f64> {
    prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO
}

/// Views a link may carry: any centre, spans within the page's zoom limits.
fn arb_view() -> impl Strategy<Value = [f64; 4]> {
    let span = (MIN_VIEW_SPAN.log10()..=MAX_VIEW_SPAN.log10()).prop_map(|e| 10f64.powf(e));
    (-1e12f64..1e12, -1e12f64..1e12, span.clone(), span).prop_filter_map(
        "span lost to rounding",
        |(cx, cy, w, h)| {
            let v = [cx - w / 2.0, cx + w / 2.0, cy - h / 2.0, cy + h / 2.0];
            let ok = |s: f64| (MIN_VIEW_SPAN..=MAX_VIEW_SPAN).contains(&s);
            (ok(v[1] - v[0]) && ok(v[3] - v[2])).then_some(v)
        },
    )
}

fn arb_scene() -> impl Strategy<Value = Scene> {
    let core = (
        arb_surface(),
        prop::option::of(prop::collection::vec(finite(), 13)),
        0..=MAX_STEPS,
        prop::collection::vec(arb_optimizer(), 0..5),
        arb_schedule(),
        finite().prop_map(f64::abs),
        any::<u64>(),
        prop::option::of(arb_view()),
        prop::option::of(any::<usize>()),
    );
    let page = (
        prop::option::of(prop::sample::select(Lang::ALL)),
        (
            prop::option::of(prop::sample::select(Theme::ALL)),
            any::<bool>(),
        ),
        any::<bool>(),
        prop::sample::subsequence(Panel::ALL, 0..=Panel::ALL.len()).prop_shuffle(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    );
    let learning = (
        prop::option::of(prop::sample::select(Task::ALL)),
        prop::option::of(1..=10_000usize),
        prop::option::of(finite().prop_map(f64::abs)),
        prop::sample::select(DataDist::ALL),
        prop::option::of(1..=10_000usize),
        prop::option::of(1..=12usize),
        prop::option::of(finite().prop_map(f64::abs)),
        prop::sample::select(Dataset::ALL),
        prop::sample::select(DrawPlane::ALL),
        prop::option::of(prop::collection::vec(
            (finite(), finite(), any::<bool>()),
            1..20,
        )),
    );
    (core, page, learning).prop_map(
        |(
            (surface, start, steps, optimizers, schedule, noise, seed, view, t),
            (lang, (theme, projector), embed, hide, vectors, three_d, stretch),
            (task, n, data_noise, data_dist, batch, degree, l2, dataset, plane, points),
        )| {
            // A start has one number per parameter of what it starts.
            let dim = task.map_or(2, |t| gradscape::engine::task::dim(t, degree));
            let data = task.and(points).map(|p| match task {
                Some(Task::Logistic) => {
                    Data::Labeled(p.iter().map(|&(a, b, l)| ([a, b], l)).collect())
                }
                _ => Data::Xy(p.iter().map(|&(a, b, _)| [a, b]).collect()),
            });
            Scene {
                surface,
                start: start.map(|v| v[..dim].to_vec()),
                steps,
                optimizers,
                schedule,
                noise,
                seed,
                view,
                stretch,
                t,
                lang,
                theme,
                projector,
                embed,
                hide,
                vectors,
                three_d,
                task,
                n,
                data_noise,
                data_dist,
                batch,
                degree,
                l2,
                dataset,
                plane,
                data,
            }
        },
    )
}

/// Text that looks like a link: known and unknown keys with values drawn from the characters the
/// parsers care about.
fn linkish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(KEYS).prop_map(str::to_string).boxed();
    let key = prop_oneof![4 => key, 1 => "[a-z%0-9]{1,4}"];
    let value = prop_oneof![
        "[-+0-9a-z(),.=%&#_ eE^*/]{0,30}",
        "[a-z_]{1,8}\\(([a-z_0-9]{1,6}=[-0-9.e]{1,6},?){0,4}\\)?",
        "[-0-9.]{1,6},[-0-9.]{1,6}(,[-0-9.]{1,6},[-0-9.]{1,6})?",
        any::<String>(),
    ];
    prop::collection::vec((key, value), 0..8).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

const PIECES: &[&str] = &["(", "((x", "%", "&", "=", "a(b=1,"];

fn anything() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,300}",
        linkish(),
        (1..3000usize, prop::sample::select(PIECES))
            .prop_map(|(n, s)| format!("opt={}", s.repeat(n))),
        (0..200usize).prop_map(|n| format!("expr={}x{}", "(".repeat(n), ")".repeat(n))),
        "[a-z=&]{0,20}%[0-9A-F]?",
    ]
}

proptest! {
    #[test]
    fn valid_scenes_round_trip_exactly(s in arb_scene()) {
        let text = encode(&s);
        let d = decode("", &text);
        prop_assert!(d.notices.is_empty(), "{} -> {:?}", text, d.notices);
        prop_assert_eq!(&d.scene, &s);
        prop_assert_eq!(encode(&d.scene), text.clone());
        // The same link works as a query string, where '+' would mean a space.
        prop_assert_eq!(decode(&format!("?{text}"), "").scene, s);
    }

    #[test]
    fn any_input_decodes_without_panic_and_encodes_stably(
        query in anything(),
        hash in anything(),
    ) {
        let d = decode(&query, &hash);
        let text = encode(&d.scene);
        let again = decode("", &text);
        prop_assert!(again.notices.is_empty(), "{} -> {:?}", text, again.notices);
        prop_assert_eq!(&again.scene, &d.scene);
        prop_assert_eq!(encode(&again.scene), text);
    }
}

#[test]
fn tiny_and_huge_numbers_use_exponents_in_links() {
    let scene = Scene {
        optimizers: vec![OptimizerEntry::new(
            "adam",
            &[("eps", 1e-12), ("lr", 0.001)],
        )],
        ..Scene::default()
    };
    let text = encode(&scene);
    assert!(text.contains("adam(eps=1e-12,lr=0.001)"), "{text}");
    assert_eq!(decode("", &text).scene, scene);
}

#[test]
fn one_optimizer_limit_for_links_and_the_page() {
    // A link keeps the first MAX_OPTIMIZERS…
    let many = vec!["sgd"; MAX_OPTIMIZERS + 1].join(",");
    let mut scene = hash(&format!("opt={many}")).scene;
    assert_eq!(scene.optimizers.len(), MAX_OPTIMIZERS);
    // …and the page's add button (Scene::add_optimizer) refuses one more, by the same constant.
    let adam = OptimizerEntry::new("adam", &[]);
    let refused = scene.add_optimizer(&adam).unwrap_err();
    assert!(
        refused.contains(&format!("At most {MAX_OPTIMIZERS} optimizers")),
        "{refused}"
    );
    assert_eq!(scene.optimizers.len(), MAX_OPTIMIZERS);
    scene.optimizers.pop();
    assert_eq!(scene.add_optimizer(&adam), Ok("adam"));
    assert_eq!(scene.optimizers.len(), MAX_OPTIMIZERS);
    assert!(scene.add_optimizer(&adam).is_err());
}

#[test]
fn the_page_keeps_settings_in_link_form() {
    let mut scene = Scene {
        optimizers: Vec::new(),
        ..Scene::default()
    };
    // Defaults dropped, schema order, so one scene has one link.
    let given = OptimizerEntry::new("adam", &[("beta2", 0.99), ("beta1", 0.9), ("lr", 0.01)]);
    assert_eq!(scene.add_optimizer(&given), Ok("adam"));
    assert_eq!(
        scene.optimizers,
        vec![OptimizerEntry::new(
            "adam",
            &[("lr", 0.01), ("beta2", 0.99)]
        )]
    );
    assert!(encode(&scene).contains("&opt=adam(lr=0.01,beta2=0.99)"));
    // What a card shows: every value, defaults filled in, schema order.
    let values = scene.optimizers[0].values().unwrap();
    let keys: Vec<&str> = values.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        ["lr", "beta1", "beta2", "eps", "weight_decay", "keras"]
    );
    assert!(scene
        .add_optimizer(&OptimizerEntry::new("adam", &[("lr", -1.0)]))
        .is_err());
    assert!(scene
        .add_optimizer(&OptimizerEntry::new("nope", &[]))
        .is_err());
    assert_eq!(scene.optimizers.len(), 1);
}

#[test]
fn a_card_may_carry_its_own_batch_on_a_task() {
    let d = hash("task=linear&batch=10&opt=sgd(lr=0.1,batch=1),sgd(lr=0.1,batch=0),sgd(lr=0.1)");
    assert_eq!(d.notices, Vec::<String>::new());
    let batches: Vec<Option<usize>> = d.scene.optimizers.iter().map(|o| o.batch).collect();
    assert_eq!(batches, vec![Some(1), Some(0), None]);
    let sizes: Vec<Option<usize>> = d
        .scene
        .run_configs(&[0.0, 0.0])
        .iter()
        .map(|c| c.minibatch.map(|m| m.size))
        .collect();
    assert_eq!(
        sizes,
        vec![Some(1), None, Some(10)],
        "own batch, full batch, the scene's"
    );
    assert!(encode(&d.scene).contains("opt=sgd(lr=0.1,batch=1),sgd(lr=0.1,batch=0),sgd(lr=0.1)"));
    // On a surface a card's batch is kept in the link but runs full batch.
    let s = hash("opt=sgd(batch=3)").scene;
    assert_eq!(s.run_configs(&[0.0, 0.0])[0].minibatch, None);
    for bad in ["sgd(batch=1.5)", "sgd(batch=-1)", "sgd(batch=1e9)"] {
        let d = hash(&format!("opt={bad},adam"));
        assert_eq!(d.notices.len(), 1, "{bad}: {:?}", d.notices);
        assert!(d.notices[0].contains("batch"), "{:?}", d.notices);
    }
}

/// A language someone chose stays in the link, English included (without one the page follows
/// the browser, so an English choice on a Chinese browser must be written).
#[test]
fn a_chosen_language_is_kept_even_when_it_is_english() {
    let d = hash("lang=en");
    assert_eq!(d.scene.lang, Some(Lang::En));
    assert!(encode(&d.scene).contains("lang=en"));
    assert_eq!(hash("").scene.lang, None);
    assert!(!encode(&Scene::default()).contains("lang"));
}

#[test]
fn conventions_and_the_teaching_variant_round_trip() {
    // Per card, so PyTorch and Keras race side by side; `true` reads as 1.
    let d = hash(
        "opt=adam(keras=true),adam(keras=0),adam_nobc(lr=0.1),nadam(keras=1,momentum_decay=0.5)",
    );
    assert_eq!(d.notices, Vec::<String>::new());
    let link = encode(&d.scene);
    assert!(
        link.contains(
            "opt=adam(keras=1),adam(keras=0),adam_nobc(lr=0.1),nadam(keras=1,momentum_decay=0.5)"
        ),
        "{link}"
    );
    let again = decode("", &link);
    assert_eq!(again.scene, d.scene);
    assert_eq!(encode(&again.scene), link);
    // RAdam has no Keras counterpart: the key is refused with what is valid.
    let d = hash("opt=radam(keras=1)");
    assert_eq!(d.notices.len(), 1);
    assert!(d.notices[0].contains("keras"), "{:?}", d.notices);
}
