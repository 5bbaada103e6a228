//! The `gradscape` binary: output shape, argument handling, errors, and parity with the
//! reference trajectories in tests/fixtures.

use gradscape::engine::{optim, schedule, surface};
use std::process::{Command, Output};

fn gradscape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The (x, y) of each CSV row after checking the header and step numbering.
fn rows(csv: &str) -> Vec<[f64; 2]> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("step,x,y,loss"));
    lines
        .enumerate()
        .map(|(k, line)| {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 4, "{line}");
            assert_eq!(f[0], k.to_string());
            [f[1].parse().unwrap(), f[2].parse().unwrap()]
        })
        .collect()
}

const ROSENBROCK_SGD: &[&str] = &[
    "trace",
    "--surface",
    "rosenbrock",
    "--optimizer",
    "sgd",
    "--set",
    "lr=0.001",
    "--steps",
    "50",
];

#[test]
fn trace_prints_a_header_and_steps_plus_one_rows() {
    let o = gradscape(&[ROSENBROCK_SGD, &["--start", "-1.2,1"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let r = rows(&stdout(&o));
    assert_eq!(r.len(), 51);
    assert_eq!(r[0], [-1.2, 1.0]);
}

#[test]
fn negative_start_works_with_a_space_and_with_equals() {
    let spaced = gradscape(&[ROSENBROCK_SGD, &["--start", "-1.2,1"]].concat());
    let joined = gradscape(&[ROSENBROCK_SGD, &["--start=-1.2,1"]].concat());
    assert!(spaced.status.success() && joined.status.success());
    assert_eq!(stdout(&spaced), stdout(&joined));
}

#[test]
fn unknown_optimizer_lists_the_valid_ids_and_exits_2() {
    let o = gradscape(&["trace", "--surface", "rosenbrock", "--optimizer", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("unknown optimizer 'nope'"), "{e}");
    for k in optim::CATALOG {
        assert!(e.contains(k.id), "{e}");
    }
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    for args in [
        &["frobnicate"][..],
        &[],
        &["trace", "--surface", "nowhere", "--optimizer", "sgd"],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--wat",
            "1",
        ],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--set",
            "foo=1",
        ],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--set",
            "lr=abc",
        ],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--steps",
            "100001",
        ],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--start",
            "1",
        ],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--sched",
            "linear",
        ],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--format",
            "xml",
        ],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--param",
            "kappa=0",
        ],
        &["trace", "--surface", "quadratic", "--optimizer"],
        &["list", "--format", "yaml"],
        &[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--expr",
            "x^2",
        ],
    ] {
        let o = gradscape(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{args:?}: {e}");
        assert!(e.starts_with("gradscape: "), "{e}");
    }
    let e = stderr(&gradscape(&[
        "trace",
        "--surface",
        "nowhere",
        "--optimizer",
        "sgd",
    ]));
    for k in surface::CATALOG {
        assert!(e.contains(k.id), "{e}");
    }
}

#[test]
fn help_prints_usage() {
    let o = gradscape(&["--help"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("gradscape trace"));
    assert!(gradscape(&["trace", "--help"]).status.success());
}

#[test]
fn divergence_prints_the_good_rows_and_exits_3() {
    let o = gradscape(&[
        "trace",
        "--surface",
        "quadratic",
        "--optimizer",
        "sgd",
        "--set",
        "lr=1",
        "--steps",
        "100",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let r = rows(&stdout(&o));
    assert!(r.len() < 101 && r.len() > 1);
    assert!(r.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
    let e = stderr(&o);
    assert!(e.contains("diverged at step"), "{e}");
    // f = ½(x² + 10y²): the explanation names λ = 10, the bound 2/λ and a rate that works.
    assert!(e.contains("largest eigenvalue is λ = 10 "), "{e}");
    assert!(e.contains("η·λ < 2, that is η < 0.2 here"), "{e}");
    assert!(e.contains("--set lr=0.1 does not diverge"), "{e}");
}

#[test]
fn options_change_the_path() {
    let base = [ROSENBROCK_SGD, &["--start", "-1.2,1"]].concat();
    let plain = stdout(&gradscape(&base));
    let noisy = |seed: &str| {
        stdout(&gradscape(
            &[&base[..], &["--noise", "0.5", "--seed", seed]].concat(),
        ))
    };
    assert_eq!(noisy("7"), noisy("7"));
    assert_ne!(noisy("7"), noisy("8"));
    assert_ne!(noisy("7"), plain);
    let sched = stdout(&gradscape(
        &[&base[..], &["--sched", "step(step_size=1, gamma=0)"]].concat(),
    ));
    let r = rows(&sched);
    assert!(r[2..].iter().all(|p| *p == r[1]));
    let q = |kappa: &str| {
        stdout(&gradscape(&[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "sgd",
            "--param",
            kappa,
        ]))
    };
    assert_ne!(q("kappa=10"), q("kappa=20"));
}

#[test]
fn json_holds_the_config_and_the_arrays() {
    let o = gradscape(&[ROSENBROCK_SGD, &["--start=-1.2,1", "--format", "json"]].concat());
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["surface"]["id"], "rosenbrock");
    assert_eq!(v["optimizer"]["id"], "sgd");
    assert_eq!(v["optimizer"]["hyper"]["lr"], 0.001);
    assert_eq!(v["steps"], 50);
    assert_eq!(v["schedule"], "constant");
    assert_eq!(v["points"].as_array().unwrap().len(), 51);
    assert_eq!(v["losses"].as_array().unwrap().len(), 51);
    assert_eq!(v["lrs"].as_array().unwrap().len(), 50);
    assert_eq!(v["status"]["kind"], "finished");
    // serde_json (without `float_roundtrip`) may parse a float 1 ulp off, so read the printed
    // points text directly: it must carry the very numbers the CSV does.
    let out = stdout(&o);
    let from = out.find("\"points\":[[").unwrap() + "\"points\":[[".len();
    let body = &out[from..from + out[from..].find("]]").unwrap()];
    let points: Vec<[f64; 2]> = body
        .split("],[")
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            [x.parse().unwrap(), y.parse().unwrap()]
        })
        .collect();
    let csv = rows(&stdout(&gradscape(
        &[ROSENBROCK_SGD, &["--start=-1.2,1"]].concat(),
    )));
    assert_eq!(points, csv);
}

#[test]
fn list_names_every_catalogue_entry() {
    let text = stdout(&gradscape(&["list"]));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&gradscape(&["list", "--format", "json"]))).unwrap();
    let ids = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    let want = |c: Vec<&str>| c.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        ids("surfaces"),
        want(surface::CATALOG.iter().map(|k| k.id).collect())
    );
    assert_eq!(
        ids("optimizers"),
        want(optim::CATALOG.iter().map(|k| k.id).collect())
    );
    assert_eq!(
        ids("schedules"),
        want(schedule::CATALOG.iter().map(|k| k.id).collect())
    );
    for id in ids("surfaces")
        .iter()
        .chain(&ids("optimizers"))
        .chain(&ids("schedules"))
    {
        assert!(
            text.contains(&format!("  {id} — ")),
            "{id} missing from text list"
        );
    }
    for (k, entry) in optim::CATALOG
        .iter()
        .zip(json["optimizers"].as_array().unwrap())
    {
        assert_eq!(entry["schema"].as_array().unwrap().len(), k.schema.len());
        assert_eq!(entry["pytorch"], k.pytorch);
    }
}

/// Every reference case whose optimizer and surface exist, through the CLI, row by row.
#[test]
fn matches_the_reference_trajectories() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/optimizer_trajectories.json"
    ))
    .unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut checked = 0;
    for case in &cases {
        let (surf, opt) = (
            case["surface"].as_str().unwrap(),
            case["optimizer"].as_str().unwrap(),
        );
        if optim::kind(opt).is_err() || surface::kind(surf).is_err() {
            println!("skipped {opt} on {surf}: not in the catalogue yet");
            continue;
        }
        let start = case["start"].as_array().unwrap();
        let mut args: Vec<String> = vec![
            "trace".into(),
            "--surface".into(),
            surf.into(),
            "--optimizer".into(),
            opt.into(),
            "--start".into(),
            format!(
                "{},{}",
                start[0].as_f64().unwrap(),
                start[1].as_f64().unwrap()
            ),
            "--steps".into(),
            case["steps"].as_u64().unwrap().to_string(),
        ];
        for (k, v) in case["hyper"].as_object().unwrap() {
            args.push("--set".into());
            args.push(format!("{k}={}", v.as_f64().unwrap()));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = gradscape(&args);
        assert!(o.status.success(), "{opt} on {surf}: {}", stderr(&o));
        let got = rows(&stdout(&o));
        let want = case["trajectory"].as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{opt} on {surf}");
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            for i in 0..2 {
                let r = w[i].as_f64().unwrap();
                assert!(
                    (g[i] - r).abs() <= 1e-7 + 1e-6 * r.abs(),
                    "{opt} on {surf}, step {k}, coordinate {i}: {} vs reference {r}",
                    g[i]
                );
            }
        }
        checked += 1;
    }
    println!("checked {checked} of {} reference cases", cases.len());
    assert!(checked > 0, "no reference case could run");
}

/// The rows of a CSV with `header`, as numbers where they parse (labels and splits as text).
fn csv_rows(csv: &str, header: &str) -> Vec<Vec<String>> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(header), "{csv}");
    lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

#[test]
fn data_prints_each_tasks_columns_seeded() {
    let linear = gradscape(&["data", "--task", "linear", "--n", "50", "--seed", "3"]);
    assert!(linear.status.success(), "{}", stderr(&linear));
    let rows = csv_rows(&stdout(&linear), "x,y");
    assert_eq!(rows.len(), 50);
    assert!(rows
        .iter()
        .all(|r| r.len() == 2 && (0.0..1.0).contains(&num(&r[0]))));
    let again = gradscape(&["data", "--task", "linear", "--n", "50", "--seed", "3"]);
    assert_eq!(stdout(&again), stdout(&linear));
    let other = gradscape(&["data", "--task", "linear", "--n", "50", "--seed", "4"]);
    assert_ne!(stdout(&other), stdout(&linear));

    let poly = gradscape(&["data", "--task", "polynomial", "--n", "30", "--seed", "1"]);
    let rows = csv_rows(&stdout(&poly), "x,y,split");
    assert_eq!(rows.len(), 30);
    let val = rows.iter().filter(|r| r[2] == "val").count();
    assert_eq!(val, 10);
    assert!(rows.iter().all(|r| r[2] == "val" || r[2] == "train"));

    let moons = [
        "data",
        "--task",
        "logistic",
        "--dataset",
        "moons",
        "--n",
        "40",
    ];
    let rows = csv_rows(&stdout(&gradscape(&moons)), "x1,x2,label");
    assert_eq!(rows.len(), 40);
    assert_eq!(rows.iter().filter(|r| r[2] == "1").count(), 20);
    assert!(rows.iter().all(|r| r[2] == "0" || r[2] == "1"));

    let json = gradscape(&["data", "--task", "linear", "--n", "3", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(doc["points"].as_array().unwrap().len(), 3);
}

#[test]
fn fit_converges_to_the_least_squares_line_of_the_printed_data() {
    let task = [
        "--task",
        "linear",
        "--n",
        "100",
        "--seed",
        "3",
        "--data-noise",
        "1",
    ];
    let data = csv_rows(&stdout(&gradscape(&[&["data"][..], &task].concat())), "x,y");
    let xy: Vec<(f64, f64)> = data.iter().map(|r| (num(&r[0]), num(&r[1]))).collect();
    // w = cov(x, y) / var(x), b = ȳ − w·x̄.
    let n = xy.len() as f64;
    let (mx, my) = (
        xy.iter().map(|p| p.0).sum::<f64>() / n,
        xy.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let w = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
        / xy.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>();
    let b = my - w * mx;
    let args = [
        "fit",
        "--optimizer",
        "momentum",
        "--set",
        "lr=0.1",
        "--steps",
        "3000",
    ];
    let o = gradscape(&[&args[..], &task].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o), "step,loss,w,b");
    assert_eq!(rows.len(), 3001);
    assert_eq!(rows[0][2..], ["0", "0"]);
    let last = &rows[3000];
    assert!(
        (num(&last[2]) - w).abs() < 1e-6 && (num(&last[3]) - b).abs() < 1e-6,
        "{last:?}"
    );
    let mse = xy.iter().map(|(x, y)| (w * x + b - y).powi(2)).sum::<f64>() / n;
    assert!((num(&last[1]) - mse).abs() < 1e-9);
}

#[test]
fn fit_prints_the_metric_after_loss_and_takes_batches() {
    let poly = [
        "fit",
        "--task",
        "polynomial",
        "--degree",
        "4",
        "--l2",
        "0.01",
        "--optimizer",
        "adam",
        "--set",
        "lr=0.05",
        "--steps",
        "20",
        "--batch",
        "5",
    ];
    let o = gradscape(&poly);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o), "step,loss,val_loss,w0,w1,w2,w3,w4");
    assert_eq!(rows.len(), 21);
    let logistic = [
        "fit",
        "--task",
        "logistic",
        "--optimizer",
        "sgd",
        "--set",
        "lr=1",
        "--steps",
        "50",
        "--batch=full",
        "--start",
        "-1,0.5,2",
    ];
    let o = gradscape(&logistic);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o), "step,loss,accuracy,w1,w2,b");
    assert_eq!(rows[0][3..], ["-1", "0.5", "2"]);
    let acc = num(&rows[50][2]);
    assert!(acc > 0.9 && acc <= 1.0, "{acc}");
    let a = gradscape(&[&poly[..], &["--seed", "2"]].concat());
    let b = gradscape(&[&poly[..], &["--seed", "2"]].concat());
    assert_eq!(stdout(&a), stdout(&b));
    assert_ne!(stdout(&a), stdout(&o));
}

#[test]
fn diverging_fit_exits_3_with_the_finite_rows() {
    let args = [
        "fit",
        "--task",
        "linear",
        "--optimizer",
        "sgd",
        "--set",
        "lr=5",
        "--steps",
        "100",
    ];
    let o = gradscape(&args);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o), "step,loss,w,b");
    assert!(rows.len() < 101 && rows.len() > 1);
    assert!(rows.iter().flatten().all(|v| num(v).is_finite()));
    assert!(stderr(&o).contains("diverged at step"), "{}", stderr(&o));
}

#[test]
fn fit_and_data_refuse_bad_flags_with_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["data"],
            "missing --task; valid: linear, polynomial, logistic",
        ),
        (
            &["data", "--task", "cubic"],
            "unknown --task 'cubic'; valid: linear",
        ),
        (
            &["data", "--task", "linear", "--degree", "3"],
            "no parameter 'degree'",
        ),
        (
            &["data", "--task", "polynomial", "--degree", "13"],
            "degree ≤ 12",
        ),
        (
            &["data", "--task", "logistic", "--dataset", "rings"],
            "valid: blobs, moons",
        ),
        (&["fit", "--task", "linear"], "missing --optimizer"),
        (
            &[
                "fit",
                "--task",
                "linear",
                "--optimizer",
                "sgd",
                "--batch",
                "x",
            ],
            "valid: full or",
        ),
        (
            &[
                "fit",
                "--task",
                "linear",
                "--optimizer",
                "sgd",
                "--batch",
                "101",
            ],
            "1 ≤ batch ≤ 100",
        ),
        (
            &[
                "fit",
                "--task",
                "linear",
                "--optimizer",
                "sgd",
                "--start",
                "1,2,3",
            ],
            "two finite",
        ),
        (
            &["data", "--task", "linear", "--data", "/nonexistent/x.csv"],
            "cannot read",
        ),
    ];
    for (args, want) in cases {
        let o = gradscape(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(e.contains(want), "{args:?}: {e}");
    }
}

#[test]
fn data_flag_reads_a_csv_and_names_bad_lines() {
    let dir = std::env::temp_dir().join(format!("gradscape-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.csv");
    std::fs::write(&good, "x,y\n0,1\n1,3\n\n2,5\n").unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "0,1\n1,abc\n").unwrap();
    let good = good.to_str().unwrap();
    let o = gradscape(&["data", "--task", "linear", "--data", good]);
    assert_eq!(csv_rows(&stdout(&o), "x,y").len(), 3);
    let o = gradscape(&[
        "fit",
        "--task",
        "linear",
        "--data",
        good,
        "--optimizer",
        "newton",
        "--set",
        "damping=0",
        "--steps",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o), "step,loss,w,b");
    let (w, b) = (num(&rows[1][2]), num(&rows[1][3]));
    assert!(
        (w - 2.0).abs() < 1e-12 && (b - 1.0).abs() < 1e-12,
        "{rows:?}"
    );
    let o = gradscape(&["data", "--task", "linear", "--data", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2: expected 2 numbers, found \"abc\""),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn list_shows_tasks_with_their_parameters() {
    let text = stdout(&gradscape(&["list"]));
    assert!(text.contains("TASKS"));
    assert!(text.contains("degree = 3 (1 … 12"), "{text}");
    assert!(text.contains("dataset = blobs (one of blobs, moons)"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&gradscape(&["list", "--format", "json"]))).unwrap();
    let ids: Vec<&str> = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["linear", "polynomial", "logistic"]);
    assert_eq!(json["tasks"][0]["params"][0]["default"], 100.0);
}

const EXPORT_LINK: &str =
    "https://example.org/gradscape/?embed=1#surface=rosenbrock&steps=20&opt=adam(lr=0.05),sgd(lr=0.001,hidden=1)";

#[test]
fn export_csv_has_one_header_and_every_cards_rows() {
    for link in [
        EXPORT_LINK,
        "#surface=rosenbrock&steps=20&opt=adam(lr=0.05),sgd(lr=0.001,hidden=1)",
    ] {
        let o = gradscape(&["export", "--scene", link]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stderr(&o), "");
        let out = stdout(&o);
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some("optimizer,index,step,x,y,loss"));
        let rows: Vec<&str> = lines.collect();
        assert_eq!(
            rows.len(),
            2 * 21,
            "both cards (one hidden), steps + 1 rows each"
        );
        assert!(rows[0].starts_with("adam,0,0,-1.2,1,"), "{}", rows[0]);
        assert!(rows[21].starts_with("sgd,1,0,"), "{}", rows[21]);
    }
}

#[test]
fn export_json_parses_and_matches_the_csv_row_count() {
    let o = gradscape(&["export", "--scene", EXPORT_LINK, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let cards = doc["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0]["params"].as_array().unwrap().len(), 21);
    assert_eq!(cards[1]["hidden"], true);
    assert!(doc["link"]
        .as_str()
        .unwrap()
        .starts_with("#v=1&surface=rosenbrock"));
}

#[test]
fn export_scripts_compile() {
    for format in ["pytorch", "optax"] {
        let o = gradscape(&["export", "--scene", EXPORT_LINK, "--format", format]);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains("report(\"adam\", race("), "{script}");
        let compiled = Command::new("python3")
            .args([
                "-c",
                "import sys; compile(sys.argv[1], 'scene', 'exec')",
                &script,
            ])
            .output();
        match compiled {
            Ok(c) => assert!(c.status.success(), "{format}: {}", stderr(&c)),
            Err(_) => eprintln!("note: python3 not found; {format} script not compiled"),
        }
    }
}

#[test]
fn export_warns_about_bad_keys_and_still_exports() {
    let o = gradscape(&[
        "export",
        "--scene",
        "#surface=booth&steps=5&opt=sgd&bogus=1&noise=-1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 2, "{e}");
    assert!(
        e.lines().all(|l| l.starts_with("gradscape: warning: ")),
        "{e}"
    );
    assert!(e.contains("bogus") && e.contains("noise"), "{e}");
    assert_eq!(stdout(&o).lines().count(), 1 + 6);
}

#[test]
fn export_usage_errors_exit_2_with_one_line() {
    for args in [
        &["export", "--scene", "hello"][..],
        &["export", "--scene", "https://example.org/"],
        &["export", "--scene", ""],
        &["export"],
        &["export", "--scene", EXPORT_LINK, "--format", "xml"],
        &[
            "export",
            "--scene",
            "#surface=rosenbrock&steps=20000&noise=0.1&opt=sgd",
            "--format",
            "optax",
        ],
    ] {
        let o = gradscape(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{args:?}: {e}");
        assert!(e.contains("valid"), "{args:?}: {e}");
    }
    let e = stderr(&gradscape(&["export", "--scene", "hello"]));
    assert!(e.contains("not a page link"), "{e}");
    let e = stderr(&gradscape(&[
        "export",
        "--scene",
        EXPORT_LINK,
        "--format",
        "xml",
    ]));
    assert!(e.contains("csv, json, pytorch, optax"), "{e}");
}

#[test]
fn export_reports_a_diverging_card_and_exits_3() {
    let o = gradscape(&[
        "export",
        "--scene",
        "#surface=saddle&steps=200&opt=adam(lr=0.01),sgd(lr=0.6)",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("card 1 (sgd) diverged at step"), "{e}");
    let out = stdout(&o);
    assert_eq!(out.lines().filter(|l| l.starts_with("adam,")).count(), 201);
    assert!(
        out.lines().any(|l| l.starts_with("sgd,1,")),
        "the kept rows are printed"
    );
}

#[test]
fn export_of_a_task_scene_equals_fit_row_for_row() {
    let o = gradscape(&[
        "export",
        "--scene",
        "#task=linear&n=20&seed=4&steps=30&opt=sgd(lr=0.1),adam(lr=0.05)",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("optimizer,index,step,w,b,loss"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2 * 31);
    for (index, (id, lr)) in [("sgd", "0.1"), ("adam", "0.05")].iter().enumerate() {
        let fit = gradscape(&[
            "fit",
            "--task",
            "linear",
            "--n",
            "20",
            "--seed",
            "4",
            "--steps",
            "30",
            "--optimizer",
            id,
            "--set",
            &format!("lr={lr}"),
        ]);
        assert!(fit.status.success(), "{}", stderr(&fit));
        // fit: step,loss,w,b — export: optimizer,index,step,w,b,loss.
        for (k, line) in stdout(&fit).lines().skip(1).enumerate() {
            let f: Vec<&str> = line.split(',').collect();
            let want = format!("{id},{index},{},{},{},{}", f[0], f[2], f[3], f[1]);
            assert_eq!(rows[index * 31 + k], want);
        }
    }
    let script = gradscape(&[
        "export",
        "--scene",
        "#task=linear&opt=sgd",
        "--format",
        "optax",
    ]);
    assert!(script.status.success(), "{}", stderr(&script));
    assert!(stdout(&script).contains("def objective(q, batch=None):"));
    let too_many = gradscape(&[
        "export",
        "--scene",
        "#task=logistic&n=1000&steps=3000&batch=100&opt=sgd",
        "--format",
        "pytorch",
    ]);
    assert_eq!(too_many.status.code(), Some(2));
    assert!(stderr(&too_many).contains("valid: fewer steps or smaller batches, or csv or json"));
}

/// The CSV rows of `o` after checking its header.
fn table(o: &Output, header: &str) -> Vec<Vec<String>> {
    assert!(o.status.success(), "{}", stderr(o));
    let text = stdout(o);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(header));
    lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

const QUADRATIC_SWEEP: &[&str] = &[
    "sweep",
    "--surface",
    "quadratic",
    "--optimizer",
    "momentum",
    "--start",
    "3,1.5",
    "--steps",
    "200",
    "--x",
    "lr=1e-4:1:log:16",
    "--y",
    "momentum=0:0.99:lin:8",
];

#[test]
fn sweep_prints_one_row_per_cell_each_equal_to_its_trace() {
    let rows = table(
        &gradscape(QUADRATIC_SWEEP),
        "lr,momentum,final_loss,status,steps_run",
    );
    assert_eq!(rows.len(), 16 * 8);
    assert_eq!(rows[0][..2], ["0.0001".to_string(), "0".to_string()]);
    assert_eq!(rows[127][..2], ["1".to_string(), "0.99".to_string()]);
    for row in [&rows[0], &rows[37], &rows[100], &rows[127]] {
        let trace = gradscape(&[
            "trace",
            "--surface",
            "quadratic",
            "--optimizer",
            "momentum",
            "--start",
            "3,1.5",
            "--steps",
            "200",
            "--set",
            &format!("lr={}", row[0]),
            "--set",
            &format!("momentum={}", row[1]),
        ]);
        let text = stdout(&trace);
        let last: Vec<&str> = text.lines().last().unwrap().split(',').collect();
        assert_eq!(last[3], row[2], "the final loss, to the last digit");
        assert_eq!(last[0], row[4]);
        let diverged = trace.status.code() == Some(3);
        assert_eq!(row[3], if diverged { "diverged" } else { "finished" });
    }
    assert!(
        rows.iter().any(|r| r[3] == "diverged"),
        "lr = 1 with momentum 0.99 diverges"
    );
}

#[test]
fn sweep_on_a_task_equals_fit_and_threshold_adds_a_column() {
    let rows = table(
        &gradscape(&[
            "sweep",
            "--task",
            "logistic",
            "--seed",
            "3",
            "--batch",
            "10",
            "--optimizer",
            "sgd",
            "--steps",
            "100",
            "--x",
            "lr=0.01:1:log:3",
            "--y",
            "weight_decay=0:0.1:lin:2",
            "--threshold",
            "0.5",
        ]),
        "lr,weight_decay,final_loss,status,steps_run,first_below",
    );
    assert_eq!(rows.len(), 6);
    for row in &rows {
        let fit = gradscape(&[
            "fit",
            "--task",
            "logistic",
            "--seed",
            "3",
            "--batch",
            "10",
            "--optimizer",
            "sgd",
            "--steps",
            "100",
            "--set",
            &format!("lr={}", row[0]),
            "--set",
            &format!("weight_decay={}", row[1]),
        ]);
        let text = stdout(&fit);
        let losses: Vec<f64> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
            .collect();
        assert_eq!(losses.last().unwrap().to_string(), row[2]);
        let below = losses.iter().position(|&l| l < 0.5);
        assert_eq!(below.map(|k| k.to_string()).unwrap_or_default(), row[5]);
    }
}

#[test]
fn hyperband_prints_every_evaluation_reproducibly() {
    let args = [
        "sweep",
        "--method",
        "hyperband",
        "--max-steps",
        "81",
        "--eta",
        "3",
        "--seed",
        "1",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "adam",
        "--x",
        "lr=1e-4:1:log",
        "--y",
        "beta1=0:0.99:lin",
    ];
    let header = "bracket,rung,config,steps,lr,beta1,final_loss,status";
    let rows = table(&gradscape(&args), header);
    assert_eq!(
        rows.len(),
        206,
        "Table 1 of Li et al.: 143 + 49 + 21 + 10 + 5"
    );
    assert_eq!(rows, table(&gradscape(&args), header));
    assert_eq!(rows[0][..4], ["4", "0", "0", "1"].map(String::from));
    assert_eq!(rows[205][..2], ["0", "0"].map(String::from));
    assert_eq!(rows[205][3], "81");
    let mut other = args.to_vec();
    other[8] = "2";
    assert_ne!(rows, table(&gradscape(&other), header));
    // Random search: the grid's columns, one row per sample.
    let random = table(
        &gradscape(&[
            "sweep",
            "--method",
            "random",
            "--samples",
            "5",
            "--seed",
            "1",
            "--surface",
            "rosenbrock",
            "--optimizer",
            "adam",
            "--steps",
            "50",
            "--x",
            "lr=1e-4:1:log",
            "--y",
            "beta1=0:0.99",
        ]),
        "lr,beta1,final_loss,status,steps_run",
    );
    assert_eq!(random.len(), 5);
    // JSON says which configurations advanced and which was best.
    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&gradscape(&json))).unwrap();
    let evals = doc["evaluations"].as_array().unwrap();
    assert_eq!(evals.len(), 206);
    let advanced = evals.iter().filter(|e| e["advanced"] == true).count();
    assert_eq!(advanced, 206 - 81 - 34 - 15 - 8 - 5);
    assert_eq!(doc["method"], "hyperband");
    assert!(doc["best"]["final_loss"].is_number());
}

#[test]
fn sweep_refuses_bad_flags_naming_what_is_valid() {
    let base = ["sweep", "--surface", "rosenbrock", "--optimizer", "adam"];
    for (extra, want) in [
        (&["--x", "lr=1e-3:1:log"][..], "needs --x and --y"),
        (
            &["--x", "momentum=0:1", "--y", "lr=1e-3:1"],
            "valid: lr, beta1, beta2, eps, weight_decay, warmup",
        ),
        (&["--x", "lr=1e-3", "--y", "beta1=0:1"], "valid: KEY=LO:HI"),
        (
            &["--x", "lr=1e-3:1", "--y", "beta1=0:1", "--method", "bayes"],
            "valid: grid, random, halving, hyperband",
        ),
        (
            &["--x", "lr=1e-3:1", "--y", "beta1=0:1", "--samples", "4"],
            "--method random",
        ),
        (
            &[
                "--x",
                "lr=1e-3:1",
                "--y",
                "beta1=0:1",
                "--method",
                "hyperband",
                "--eta",
                "1",
            ],
            "eta",
        ),
        (
            &["--x", "lr=1e-3:1", "--y", "beta1=0:1", "--batch", "10"],
            "needs a task",
        ),
        (
            &["--x", "lr=1e-3:1", "--y", "beta1=0:1", "--wat", "1"],
            "unknown flag '--wat'",
        ),
    ] {
        let o = gradscape(&[&base[..], extra].concat());
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(stdout(&o).is_empty());
        let e = stderr(&o);
        assert!(e.contains(want), "{extra:?}: {e}");
        assert_eq!(e.lines().count(), 1);
    }
    let o = gradscape(&[
        "sweep",
        "--task",
        "linear",
        "--surface",
        "booth",
        "--optimizer",
        "sgd",
    ]);
    assert!(stderr(&o).contains("does not apply to a task"));
}
