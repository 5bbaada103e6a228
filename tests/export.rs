//! Scene exports (src/engine/export): CSV and JSON carry exactly the engine's runs; the Python
//! scripts compile, their surface formulas equal the engine's, and, where optax or torch is
//! installed (`make test` installs both in a venv and sets `$PYTHON`), they reproduce every
//! final point, on surfaces and on the learning tasks.

use gradscape::engine::export::{self, Format};
use gradscape::engine::run;
use gradscape::engine::scene::Scene;
use gradscape::engine::surface::{self, SurfaceSpec};
use gradscape::engine::url;
use std::io::Write;
use std::process::{Command, Stdio};

fn scene(hash: &str) -> Scene {
    let d = url::decode("", hash);
    assert!(d.notices.is_empty(), "{hash}: {:?}", d.notices);
    d.scene
}

/// Every optimizer, several of them off their defaults (weight decay, dampening, centered
/// momentum, lr_decay), so every branch of both generators is written.
const ALL_OPTIMIZERS: &str = "sgd(lr=0.05,weight_decay=0.1),momentum(lr=0.01,dampening=0.3),\
momentum(lr=0.01),nesterov(lr=0.01,momentum=0.8),\
adagrad(lr=0.5,lr_decay=0.01,initial_accumulator_value=0.1,weight_decay=0.01),\
rmsprop(lr=0.01),rmsprop(lr=0.01,momentum=0.5,centered=1),adadelta(lr=1,weight_decay=0.01),\
adam(lr=0.05,weight_decay=0.01),amsgrad(lr=0.1),adamw(lr=0.1,weight_decay=0.1),adamax(lr=0.1),\
nadam(lr=0.1),radam(lr=0.1),lion(lr=0.01,weight_decay=0.1),newton(lr=0.5,hidden=1)";

const SCHEDULES: &[&str] = &[
    "constant",
    "step(step_size=20,gamma=0.5)",
    "exponential(gamma=0.98)",
    "cosine(t_max=60,eta_min=0.001)",
    "inverse_time(decay=0.05)",
    "cosine(t_max=60,warmup=10)",
    "step(step_size=30,gamma=0.5,warmup=5)",
];

/// Learning-task scenes: each task, mini-batches (the scene's and a card's own), noise, a
/// schedule, L2, a user's own points, and the optimizers whose scripts differ on tasks.
const TASK_SCENES: &[&str] = &[
    "task=linear&n=50&seed=3&steps=300&opt=sgd(lr=0.1,batch=1),sgd(lr=0.1,batch=0),adagrad(lr=0.5),newton(lr=0.5)",
    "task=polynomial&degree=12&l2=0.01&n=40&steps=200&batch=8&opt=adam(lr=0.05),momentum(lr=0.1,dampening=0.3),adamw(lr=0.05,weight_decay=0.1),nesterov(lr=0.1,batch=0)",
    "task=polynomial&data_dist=gaussian&degree=2&steps=60&data=0.5,1.25;0.75,-0.5;0.1,0.3;0.9,2&opt=rmsprop(lr=0.01,centered=1),lion(lr=0.01)",
    "task=logistic&dataset=moons&n=60&seed=5&steps=40&batch=8&noise=0.05&sched=cosine(t_max=40)&opt=adam(lr=0.05),sgd(lr=0.5,batch=0),newton(lr=0.5),nadam(lr=0.02),radam(lr=0.05)",
    "task=logistic&steps=30&data=0.1,0.2,1;-3e-7,4,0;1,1,1;-1,-2,0&opt=amsgrad(lr=0.1),adamax(lr=0.1),adadelta(lr=1)",
];

/// Scenes that together cover every optimizer, schedule, surface, noise, a custom
/// expression and every learning task.
fn scenes() -> Vec<Scene> {
    let mut out = Vec::new();
    for (i, sched) in SCHEDULES.iter().enumerate() {
        let noise = if i % 2 == 0 { "" } else { "&noise=0.1&seed=3" };
        out.push(scene(&format!(
            "surface=quadratic(kappa=5,theta=20)&start=3,1.5&steps=80&sched={sched}{noise}&opt={ALL_OPTIMIZERS}"
        )));
    }
    for k in surface::CATALOG.iter().filter(|k| k.id != "custom") {
        out.push(scene(&format!(
            "surface={}&steps=40&opt=adam(lr=0.01),newton(lr=0.2),nesterov(lr=0.001,momentum=0)",
            k.id
        )));
    }
    out.push(scene(
        "expr=x%5E2%20%2B%203*y%5E2%20-%20cos(x*y)&steps=50&opt=sgd(lr=0.05),lion(lr=0.01)",
    ));
    out.extend(TASK_SCENES.iter().map(|s| scene(s)));
    out
}

#[test]
fn csv_is_every_cards_run_bit_for_bit() {
    let s = scene("surface=rosenbrock&steps=30&opt=adam(lr=0.05),sgd(lr=0.001,hidden=1),adam(lr=0.05)&noise=0.2&seed=9");
    let e = export::export(&s, Format::Csv).unwrap();
    let surf = surface::build(&s.surface).unwrap();
    let configs = s.run_configs(&surf.info().default_start);
    let mut lines = e.text.lines();
    assert_eq!(lines.next(), Some("optimizer,index,step,x,y,loss"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3 * 31, "every card, hidden included, 0…steps");
    for (index, config) in configs.iter().enumerate() {
        let t = run::run(&*surf, config).unwrap();
        let block = &rows[index * 31..(index + 1) * 31];
        for (step, row) in block.iter().enumerate() {
            assert_eq!(row[0], config.optimizer);
            assert_eq!(row[1], index.to_string());
            assert_eq!(row[2], step.to_string());
            let x: f64 = row[3].parse().unwrap();
            let y: f64 = row[4].parse().unwrap();
            let loss: f64 = row[5].parse().unwrap();
            assert_eq!(x.to_bits(), t.params_at(step)[0].to_bits());
            assert_eq!(y.to_bits(), t.params_at(step)[1].to_bits());
            assert_eq!(loss.to_bits(), t.losses[step].to_bits());
        }
    }
    assert!(e.problems().is_empty());
}

#[test]
fn json_carries_the_link_settings_and_the_same_numbers() {
    let s = scene("surface=booth&steps=20&opt=adam(lr=0.5),momentum(lr=0.01,hidden=1)");
    let csv = export::export(&s, Format::Csv).unwrap().text;
    let doc: serde_json::Value =
        serde_json::from_str(&export::export(&s, Format::Json).unwrap().text).unwrap();
    let link = doc["link"].as_str().unwrap();
    assert_eq!(
        url::decode("", link).scene,
        s,
        "the link reproduces the scene"
    );
    assert_eq!(doc["param_names"], serde_json::json!(["x", "y"]));
    let cards = doc["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[1]["hidden"], true);
    assert_eq!(cards[1]["settings"]["momentum"], 0.9, "defaults filled in");
    assert_eq!(cards[0]["status"]["kind"], "finished");
    let mut from_json = Vec::new();
    for c in cards {
        let points = c["params"].as_array().unwrap();
        for (step, (p, l)) in points
            .iter()
            .zip(c["losses"].as_array().unwrap())
            .enumerate()
        {
            from_json.push(format!(
                "{},{},{step},{},{},{}",
                c["id"].as_str().unwrap(),
                c["index"],
                p[0].as_f64().unwrap(),
                p[1].as_f64().unwrap(),
                l.as_f64().unwrap()
            ));
        }
    }
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows, from_json);
}

#[test]
fn diverged_and_failing_cards_are_reported() {
    // ln(x) at the default start (2, 1.5) is fine; sgd with a huge rate leaves the view.
    let s = scene("surface=saddle&steps=200&opt=sgd(lr=0.6),adam(lr=0.01)");
    let e = export::export(&s, Format::Csv).unwrap();
    let problems = e.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("card 0 (sgd) diverged at step"),
        "{problems:?}"
    );
    let s = scene("expr=ln(x)&start=-1,0&opt=sgd");
    let e = export::export(&s, Format::Json).unwrap();
    assert!(
        e.problems()[0].contains("did not run"),
        "{:?}",
        e.problems()
    );
    let doc: serde_json::Value = serde_json::from_str(&e.text).unwrap();
    assert!(doc["cards"][0]["error"].is_string());
}

#[test]
fn scripts_are_deterministic_and_noise_is_capped() {
    let s = scene("surface=rosenbrock&steps=50&noise=0.1&opt=adam(lr=0.05)");
    for f in [Format::Pytorch, Format::Optax] {
        let a = export::export(&s, f).unwrap().text;
        assert_eq!(a, export::export(&s, f).unwrap().text);
        assert_eq!(a.matches("\n    [").count(), 50, "one noise row per update");
    }
    let long = scene("surface=rosenbrock&steps=20000&noise=0.1&opt=sgd");
    let e = export::export(&long, Format::Optax).unwrap_err();
    assert!(e.contains("at most 10000"), "{e}");
    assert!(export::export(&long, Format::Csv).is_ok());
}

#[test]
fn task_scripts_embed_the_data_and_each_cards_batches() {
    let s = scene("task=linear&n=7&seed=2&steps=9&batch=3&opt=sgd(lr=0.1),adam(lr=0.1,batch=0),sgd(lr=0.2,batch=1)");
    let text = export::export(&s, Format::Pytorch).unwrap().text;
    assert_eq!(text.matches("0.0, 0.0").count(), 1, "START only: {text}");
    // 7 points → batches of 3, 3, 1 per epoch; the batch-1 card draws 9 singletons.
    assert!(text.contains("BATCHES_3 = [\n"), "{text}");
    assert!(text.contains("BATCHES_1 = [\n"), "{text}");
    let rows = |name: &str| {
        let block = text.split(&format!("{name} = [\n")).nth(1).unwrap();
        let block = block.split("\n]").next().unwrap();
        block
            .lines()
            .map(|l| l.matches(',').count())
            .collect::<Vec<_>>()
    };
    assert_eq!(rows("BATCHES_3"), [3, 3, 1, 3, 3, 1, 3, 3, 1]);
    assert_eq!(rows("BATCHES_1"), [1; 9]);
    assert!(text.contains("race(lambda params: torch.optim.SGD(params, lr=0.1, weight_decay=0.0), 0.1, 9, BATCHES_3)"), "{text}");
    assert!(
        text.contains(", 9))\n"),
        "the full-batch card passes no batches"
    );
    let big = scene("task=logistic&n=1000&steps=3000&batch=100&opt=sgd");
    let e = export::export(&big, Format::Optax).unwrap_err();
    assert!(e.contains("over 200000 indices"), "{e}");
    assert!(export::export(&big, Format::Csv).is_ok());
}

/// `$PYTHON` if set (e.g. a venv with optax, for a manual run), else `python3`.
fn interpreter() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

fn python3() -> Option<()> {
    let ok = Command::new(interpreter())
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: python3 not found; Python checks skipped");
    }
    ok.then_some(())
}

/// Runs `python3 -c code` ([`interpreter`]), with `stdin` piped in; stdout, or the failure.
fn python(code: &str, stdin: &str) -> Result<String, String> {
    let mut child = Command::new(interpreter())
        .args(["-c", code])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    if o.status.success() {
        Ok(String::from_utf8(o.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

#[test]
fn every_script_compiles() {
    if python3().is_none() {
        return;
    }
    // Compiles each script read from stdin, separated by NUL, without writing .pyc files.
    let code = "import sys\nfor i, s in enumerate(sys.stdin.read().split('\\0')):\n    compile(s, f'script{i}', 'exec')\n";
    let mut all = Vec::new();
    for s in scenes() {
        for f in [Format::Pytorch, Format::Optax] {
            all.push(export::export(&s, f).unwrap().text);
        }
    }
    python(code, &all.join("\0")).unwrap();
}

/// Points away from singularities and minima, so relative errors mean something.
const POINTS: &[[f64; 2]] = &[[0.7, -1.3], [-1.9, 0.4], [2.6, 1.1], [-0.35, -2.2]];

#[test]
fn python_formulas_equal_the_engine_with_math() {
    if python3().is_none() {
        return;
    }
    let mut specs: Vec<SurfaceSpec> = surface::CATALOG
        .iter()
        .filter(|k| k.id != "custom")
        .map(|k| SurfaceSpec {
            id: k.id.into(),
            ..Default::default()
        })
        .collect();
    specs.push(SurfaceSpec {
        id: "quadratic".into(),
        params: vec![("kappa".into(), 50.0), ("theta".into(), -30.0)],
        expr: None,
    });
    specs.push(SurfaceSpec {
        id: "rosenbrock".into(),
        params: vec![("a".into(), -1.5), ("b".into(), 10.0)],
        expr: None,
    });
    for expr in [
        "x^2 + 3*y^2",
        "-x^2 - (-y)^3 + 2^-x",
        "sin(x)*cos(y) + tan(x/3) + exp(-y^2) + ln(x^2 + 1) + log(2 + y^2)",
        "sqrt(abs(x*y) + 1) + tanh(x - y) + pi*e - x^(-2) + abs(y)^1.5",
        "(x - 1)^2/(y^2 + 1) - 1e-3*x*y + 2.5E+1",
    ] {
        specs.push(SurfaceSpec {
            id: "custom".into(),
            params: vec![],
            expr: Some(expr.into()),
        });
    }
    // One line per formula: the Python text, then the engine's value at each point.
    let mut input = String::new();
    let mut expected = Vec::new();
    for spec in &specs {
        let s = surface::build(spec).unwrap();
        input += &s.python();
        input.push('\n');
        expected.push(POINTS.iter().map(|&p| s.value(p)).collect::<Vec<f64>>());
    }
    let points = format!("{POINTS:?}");
    let code = format!(
        "import math, sys\nM = math\nfor line in sys.stdin.read().splitlines():\n    \
         f = eval('lambda x, y: ' + line)\n    print(*(repr(f(x, y)) for x, y in {points}))\n"
    );
    let out = python(&code, &input).unwrap();
    for ((line, want), spec) in out.lines().zip(&expected).zip(&specs) {
        for (got, want) in line.split(' ').zip(want) {
            let got: f64 = got.parse().unwrap();
            let tol = 1e-12 * want.abs().max(1e-300);
            assert!(
                (got - want).abs() <= tol,
                "{spec:?}: python {got}, engine {want}"
            );
        }
    }
    assert_eq!(out.lines().count(), specs.len());
}

/// Runs every scene's script if its library imports, all in one interpreter (the imports
/// dominate a script's time), each in a fresh namespace with its own captured output, and
/// compares each printed final point with the engine's.
fn check_script_against_engine(format: Format, module: &str) {
    if python3().is_none() || python(&format!("import {module}"), "").is_err() {
        eprintln!("note: {module} is not importable; the {format:?} scripts were not run");
        return;
    }
    let exports: Vec<_> = scenes()
        .iter()
        .map(|s| export::export(s, format).unwrap())
        .collect();
    let texts: Vec<&str> = exports.iter().map(|e| e.text.as_str()).collect();
    let code = "import contextlib, io, sys\n\
                for s in sys.stdin.read().split('\\0'):\n    \
                    out = io.StringIO()\n    \
                    with contextlib.redirect_stdout(out):\n        \
                        exec(compile(s, 'script', 'exec'), {'__name__': '__main__'})\n    \
                    sys.stdout.write(out.getvalue() + '\\0')\n";
    let all = python(code, &texts.join("\0")).unwrap();
    assert_eq!(
        all.matches('\0').count(),
        exports.len(),
        "one output per script"
    );
    for (e, out) in exports.iter().zip(all.split('\0')) {
        let ran: Vec<_> = e.runs.cards.iter().filter(|c| c.outcome.is_ok()).collect();
        assert_eq!(out.lines().count(), ran.len());
        for (line, card) in out.lines().zip(ran) {
            let mut fields = line.split(' ');
            assert_eq!(fields.next(), Some(card.id.as_str()));
            let t = card.outcome.as_ref().unwrap();
            assert_eq!(
                line.split(' ').count(),
                1 + e.runs.param_names.len(),
                "{line}"
            );
            for (got, want) in fields.zip(t.params_at(t.last_step())) {
                let got: f64 = got.parse().unwrap();
                assert!(
                    (got - want).abs() <= 1e-6 * (1.0 + want.abs()),
                    "{}: card {} ({}): script {got}, engine {want}",
                    e.text.lines().next().unwrap_or(""),
                    card.index,
                    card.id
                );
            }
        }
    }
}

#[test]
fn optax_scripts_reproduce_the_engine_when_optax_is_installed() {
    check_script_against_engine(Format::Optax, "optax");
}

#[test]
fn pytorch_scripts_reproduce_the_engine_when_torch_is_installed() {
    check_script_against_engine(Format::Pytorch, "torch");
}

/// The scene's JSON as serde_json writes it from a `Value`: the oracle for the hand-written
/// writer, which keeps serde_json out of the page's wasm.
fn serde_json_doc(scene: &Scene, runs: &export::SceneRuns) -> String {
    use serde_json::{json, Map, Value};
    let map = |entries: &[(String, f64)]| -> Map<String, Value> {
        entries.iter().map(|(k, v)| (k.clone(), json!(v))).collect()
    };
    let cards: Vec<Value> = runs
        .cards
        .iter()
        .map(|c| {
            let mut card = json!({
                "index": c.index,
                "id": c.id,
                "settings": map(&c.values),
                "hidden": c.hidden,
            });
            match &c.outcome {
                Ok(t) => {
                    let params: Vec<&[f64]> = (0..t.losses.len()).map(|i| t.params_at(i)).collect();
                    card["status"] = json!(t.status);
                    card["params"] = json!(params);
                    card["losses"] = json!(t.losses);
                }
                Err(e) => card["error"] = json!(e),
            }
            card
        })
        .collect();
    let doc = json!({
        "link": format!("#{}", url::encode(scene)),
        "surface": {
            "id": scene.surface.id,
            "params": map(&scene.surface.params),
            "expr": scene.surface.expr,
        },
        "start": runs.start,
        "steps": scene.steps,
        "schedule": scene.schedule.to_string(),
        "noise": { "sigma": scene.noise, "seed": scene.seed },
        "param_names": runs.param_names,
        "cards": cards,
    });
    format!("{doc}\n")
}

#[test]
fn json_is_byte_for_byte_what_serde_json_writes() {
    let mut all = scenes();
    for hash in [
        // Diverged (huge numbers, then a reason), a card that cannot run, a converged card.
        "surface=saddle&steps=200&opt=sgd(lr=0.6),adam(lr=0.01)",
        "expr=ln(x)&start=-1,0&opt=sgd",
        "surface=quadratic&steps=3000&opt=newton",
        "expr=%22x%22%5E2%2By%5E2&opt=sgd",
        "task=linear&steps=30&opt=sgd(lr=0.3),adam(lr=0.1)",
        "task=logistic&steps=30&noise=0.05&seed=2&opt=adam(lr=0.1)",
    ] {
        all.push(url::decode("", hash).scene);
    }
    for s in &all {
        let runs = export::run_scene(s).unwrap();
        assert_eq!(
            export::json(s, &runs),
            serde_json_doc(s, &runs),
            "{}",
            url::encode(s)
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
    #[test]
    fn json_numbers_are_serde_jsons(bits in proptest::prelude::any::<u64>(), pick in 0usize..8) {
        // Any bit pattern, and values near the notation's edges (1e-5, 1e16, integers).
        let v = match pick {
            0 => f64::from_bits(bits),
            1 => (bits % 100_000) as f64 * 1e-10,
            2 => (bits % 1_000_000) as f64 * 1e11,
            3 => (bits as i64 >> 20) as f64,
            _ => f64::from_bits(bits) % 1e18,
        };
        let mut ours = String::new();
        export::json_number(&mut ours, v);
        let theirs = serde_json::json!(v).to_string();
        if ours != theirs {
            // An exact tie in the last digit: Rust rounds it up, serde_json to even. Both are
            // shortest round-trip texts of v, in the same notation, one digit apart.
            let (a, b) = (ours.as_bytes(), theirs.as_bytes());
            let last = a.iter().zip(b).rposition(|(x, y)| x != y);
            let shared = last.map_or(0, |i| a[..i].iter().zip(b).filter(|(x, y)| x != y).count());
            proptest::prop_assert!(a.len() == b.len() && shared == 0, "{} vs {}", ours, theirs);
            proptest::prop_assert_eq!(ours.parse::<f64>().unwrap().to_bits(), v.to_bits());
        }
    }
}
