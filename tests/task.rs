#![cfg(not(target_arch = "wasm32"))]
//! Learning tasks: exact derivatives (full and mini-batch) against finite differences, optima
//! against closed forms computed here by other routes, seeded data and batches, over-fitting,
//! logistic regression on separable data, the drawing planes, and the data parsers.

use gradscape::engine::noise::MiniBatch;
use gradscape::engine::run::{run, RunConfig, Status, Trajectory};
use gradscape::engine::scene::{DataDist, Dataset, Task};
use gradscape::engine::task::data::{self, Columns, Data, Group};
use gradscape::engine::task::{self, LearningTask, Plane, TaskSpec};
use proptest::prelude::*;

fn build(task: Task, settings: &[(&str, f64)], seed: u64) -> Box<dyn LearningTask> {
    let spec = TaskSpec {
        settings: settings.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        ..TaskSpec::new(task, seed)
    };
    task::build(&spec).unwrap()
}

fn fit(t: &dyn LearningTask, config: &RunConfig) -> Trajectory {
    run(t.as_problem(), config).unwrap()
}

/// Every task in a few shapes, mini-batch-able, with a point to differentiate at.
fn cases() -> Vec<(String, Box<dyn LearningTask>)> {
    let mut out: Vec<(String, Box<dyn LearningTask>)> = vec![
        ("linear".into(), build(Task::Linear, &[("n", 40.0)], 1)),
        (
            "polynomial d=5 l2=0.01".into(),
            build(
                Task::Polynomial,
                &[("n", 40.0), ("degree", 5.0), ("l2", 0.01)],
                2,
            ),
        ),
        (
            "polynomial d=12".into(),
            build(Task::Polynomial, &[("n", 40.0), ("degree", 12.0)], 3),
        ),
        ("logistic blobs".into(), build(Task::Logistic, &[], 4)),
    ];
    let moons = TaskSpec {
        dataset: Dataset::Moons,
        data_dist: DataDist::Gaussian,
        ..TaskSpec::new(Task::Logistic, 5)
    };
    out.push(("logistic moons".into(), task::build(&moons).unwrap()));
    out
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

/// Central differences of `f` at `p`.
fn fd_grad(f: &dyn Fn(&[f64]) -> f64, p: &[f64]) -> Vec<f64> {
    (0..p.len())
        .map(|i| {
            let h = 1e-6 * (1.0 + p[i].abs());
            let (mut a, mut b) = (p.to_vec(), p.to_vec());
            a[i] += h;
            b[i] -= h;
            (f(&a) - f(&b)) / (2.0 * h)
        })
        .collect()
}

fn points_for(dim: usize) -> Vec<Vec<f64>> {
    vec![
        vec![0.0; dim],
        (0..dim).map(|i| 0.3 - 0.2 * i as f64).collect(),
        (0..dim)
            .map(|i| if i % 2 == 0 { 1.5 } else { -0.7 })
            .collect(),
    ]
}

#[test]
fn gradients_and_hessians_match_finite_differences() {
    for (name, t) in cases() {
        let n = t.dim();
        for p in points_for(n) {
            let value = |q: &[f64]| t.value(q);
            let exact = t.gradient(&p);
            for (i, (e, f)) in exact.iter().zip(fd_grad(&value, &p)).enumerate() {
                assert!(close(*e, f, 1e-6), "{name} at {p:?}: ∂{i} {e} vs {f}");
            }
            let h = t.hessian(&p);
            for i in 0..n {
                let gi = |q: &[f64]| t.gradient(q)[i];
                for (j, f) in fd_grad(&gi, &p).into_iter().enumerate() {
                    assert!(
                        close(h[i * n + j], f, 1e-5),
                        "{name} at {p:?}: H[{i}][{j}] {} vs {f}",
                        h[i * n + j]
                    );
                }
            }
        }
    }
}

#[test]
fn mini_batch_gradients_match_finite_differences_and_the_full_batch() {
    for (name, t) in cases() {
        let n = t.dim();
        let samples = t.sample_count().unwrap();
        let batch: Vec<usize> = (0..samples).filter(|i| i % 3 == 1).collect();
        let all: Vec<usize> = (0..samples).rev().collect();
        for p in points_for(n) {
            let mut g = vec![0.0; n];
            let batch_value = |q: &[f64]| t.batch_value_grad(q, &batch, &mut vec![0.0; n]);
            t.batch_value_grad(&p, &batch, &mut g);
            for (e, f) in g.iter().zip(fd_grad(&batch_value, &p)) {
                assert!(close(*e, f, 1e-6), "{name}: batch ∂ {e} vs {f}");
            }
            let full_value = t.batch_value_grad(&p, &all, &mut g);
            assert!(close(full_value, t.value(&p), 1e-12), "{name}");
            for (a, b) in g.iter().zip(t.gradient(&p)) {
                assert!(
                    close(*a, b, 1e-12),
                    "{name}: all-index batch {a} vs full {b}"
                );
            }
        }
    }
}

/// The least-squares line by the textbook 2×2 formula: w = cov(x, y)/var(x), b = ȳ − w·x̄.
fn least_squares_line(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let w = sxy / sxx;
    (w, my - w * mx)
}

#[test]
fn converged_linear_fit_is_the_closed_form_least_squares_line() {
    for seed in [0, 3, 9] {
        let t = build(Task::Linear, &[("n", 100.0), ("data_noise", 1.0)], seed);
        let xy: Vec<(f64, f64)> = t.points().iter().map(|p| (p.x, p.y)).collect();
        let (w, b) = least_squares_line(&xy);
        let opt = t.optimum().unwrap();
        assert!(
            (opt[0] - w).abs() < 1e-9 && (opt[1] - b).abs() < 1e-9,
            "{opt:?}"
        );
        let mut config = RunConfig::new("momentum", t.start(), 20_000);
        config.settings = vec![("lr".into(), 0.1)];
        config.converge_tol = Some(1e-10);
        let traj = fit(&*t, &config);
        assert!(
            matches!(traj.status, Status::Converged { .. }),
            "{:?}",
            traj.status
        );
        let end = traj.params_at(traj.last_step());
        assert!(
            (end[0] - w).abs() < 1e-6 && (end[1] - b).abs() < 1e-6,
            "{end:?} vs {w}, {b}"
        );
        // The data are y = 3x + noise: the fit is near slope 3.
        assert!((w - 3.0).abs() < 1.0, "w = {w}");
        // The recorded loss is the plain MSE at the recorded point.
        let mse = xy
            .iter()
            .map(|(x, y)| (end[0] * x + end[1] - y).powi(2))
            .sum::<f64>()
            / 100.0;
        assert!(close(traj.losses[traj.last_step()], mse, 1e-9));
    }
}

/// The regularised normal equations solved here from scratch: features 1, t, (3t² − 1)/2 of
/// t = 2x − 1 written out, Gauss–Jordan without pivoting (the matrix is positive definite).
fn quadratic_fit(points: &[(f64, f64)], l2: f64) -> [f64; 3] {
    let n = points.len() as f64;
    let mut a = [[0.0; 4]; 3];
    for &(x, y) in points {
        let t = 2.0 * x - 1.0;
        let f = [1.0, t, (3.0 * t * t - 1.0) / 2.0];
        for i in 0..3 {
            for j in 0..3 {
                a[i][j] += f[i] * f[j] / n;
            }
            a[i][3] += f[i] * y / n;
        }
    }
    a[1][1] += l2;
    a[2][2] += l2;
    for c in 0..3 {
        let p = a[c][c];
        a[c].iter_mut().for_each(|v| *v /= p);
        let pivot_row = a[c];
        for (r, row) in a.iter_mut().enumerate() {
            if r != c {
                let f = row[c];
                row.iter_mut().zip(pivot_row).for_each(|(v, p)| *v -= f * p);
            }
        }
    }
    [a[0][3], a[1][3], a[2][3]]
}

#[test]
fn polynomial_optimum_solves_the_normal_equations_with_and_without_l2() {
    for l2 in [0.0, 0.05] {
        let t = build(
            Task::Polynomial,
            &[("n", 60.0), ("degree", 2.0), ("l2", l2)],
            5,
        );
        let train: Vec<(f64, f64)> = t
            .points()
            .iter()
            .filter(|p| p.group == Group::Train)
            .map(|p| (p.x, p.y))
            .collect();
        assert_eq!(train.len(), 40, "a third of 60 validates");
        let expected = quadratic_fit(&train, l2);
        let opt = t.optimum().unwrap();
        for (a, b) in opt.iter().zip(expected) {
            assert!((a - b).abs() < 1e-9, "l2 = {l2}: {opt:?} vs {expected:?}");
        }
        let mut config = RunConfig::new("sgd", t.start(), 50_000);
        config.settings = vec![("lr".into(), 0.5)];
        config.converge_tol = Some(1e-10);
        let traj = fit(&*t, &config);
        let end = traj.params_at(traj.last_step());
        for (a, b) in end.iter().zip(expected) {
            assert!(
                (a - b).abs() < 1e-6,
                "l2 = {l2}: run ends at {end:?}, not {expected:?}"
            );
        }
        // The loss shown is the training MSE without the penalty.
        let mse = train
            .iter()
            .map(|&(x, y)| (t.predict(end, [x, 0.0]) - y).powi(2))
            .sum::<f64>()
            / train.len() as f64;
        assert!(close(traj.losses[traj.last_step()], mse, 1e-9));
        if l2 > 0.0 {
            assert!(t.value(end) > mse, "the objective includes the penalty");
        }
        // Undamped Newton with the exact, constant Hessian lands on the optimum in one step.
        let mut newton = RunConfig::new("newton", t.start(), 1);
        newton.settings = vec![("damping".into(), 0.0)];
        let newton = fit(&*t, &newton);
        for (a, b) in newton.params_at(1).iter().zip(expected) {
            assert!((a - b).abs() < 1e-9, "newton {:?}", newton.params_at(1));
        }
    }
}

#[test]
fn over_fitting_shows_and_l2_tames_it() {
    let settings = |l2: f64| {
        [
            ("n", 20.0),
            ("degree", 12.0),
            ("data_noise", 0.3),
            ("l2", l2),
        ]
    };
    let mut config = RunConfig::new("adam", vec![0.0; 13], 20_000);
    config.settings = vec![("lr".into(), 0.05)];
    let plain = build(Task::Polynomial, &settings(0.0), 1);
    let t = fit(&*plain, &config);
    assert_eq!(t.status, Status::Finished);
    let val = task::metrics(&*plain, &t).unwrap();
    let best = (0..val.len())
        .min_by(|&a, &b| val[a].total_cmp(&val[b]))
        .unwrap();
    let end = t.last_step();
    assert!(
        best < end / 2,
        "validation loss is lowest early (step {best})"
    );
    assert!(
        val[end] > 1.5 * val[best],
        "then rises: {} → {}",
        val[best],
        val[end]
    );
    assert!(t.losses[end] < t.losses[best], "while training loss falls");
    let ridge = build(Task::Polynomial, &settings(1e-3), 1);
    let r = fit(&*ridge, &config);
    let rval = task::metrics(&*ridge, &r).unwrap();
    assert!(
        rval[end] < val[end],
        "l2 lowers the final validation loss: {} vs {}",
        rval[end],
        val[end]
    );
}

#[test]
fn logistic_on_separable_data_grows_the_weights_without_nan() {
    let t = build(Task::Logistic, &[("data_noise", 0.1)], 2);
    let mut config = RunConfig::new("sgd", t.start(), 20_000);
    config.settings = vec![("lr".into(), 1.0)];
    let traj = fit(&*t, &config);
    assert_eq!(traj.status, Status::Finished);
    assert!(traj
        .params
        .iter()
        .chain(&traj.losses)
        .all(|v| v.is_finite()));
    let norm = |i: usize| {
        let p = traj.params_at(i);
        (p[0] * p[0] + p[1] * p[1]).sqrt()
    };
    assert!(norm(20_000) > norm(2_000) + 1.0 && norm(2_000) > norm(200));
    assert!(traj.losses[20_000] < 1e-3 && traj.losses[20_000] < traj.losses[2_000]);
    assert_eq!(task::metrics(&*t, &traj).unwrap()[20_000], 1.0);
    assert!(t.optimum().is_none());
    // Huge logits stay finite: loss ≈ |z| on the wrong side, 0 on the right one.
    assert!(t.value(&[1e6, 1e6, 0.0]).abs() < 1e-300 + 1e-9);
    assert!(t.value(&[-1e6, -1e6, 0.0]).is_finite());
}

#[test]
fn one_seed_decides_data_and_batches() {
    let xs = |seed| {
        build(Task::Polynomial, &[], seed)
            .points()
            .iter()
            .map(|p| (p.x, p.y, p.group))
            .collect::<Vec<_>>()
    };
    assert_eq!(xs(7), xs(7));
    assert_ne!(xs(7), xs(8));
    let t = build(Task::Linear, &[], 7);
    let mut config = RunConfig::new("sgd", t.start(), 200);
    config.settings = vec![("lr".into(), 0.1)];
    let batched = |seed| RunConfig {
        minibatch: Some(MiniBatch { size: 10, seed }),
        ..config.clone()
    };
    let a = fit(&*t, &batched(1));
    assert_eq!(a, fit(&*t, &batched(1)));
    assert_ne!(a.params, fit(&*t, &batched(2)).params);
    assert_ne!(a.params, fit(&*t, &config).params);
    // The recorded loss is the full-data loss, whatever the batch.
    for i in [0, 50, 200] {
        assert!(close(a.losses[i], t.value(a.params_at(i)), 1e-12));
    }
    assert_eq!(task::epoch(200, Some(10), 100), 20.0);
    assert_eq!(task::epoch(200, None, 100), 200.0);
}

#[test]
fn planes_project_and_lift_consistently() {
    let poly = build(Task::Polynomial, &[("degree", 4.0)], 1);
    let plane = poly.plane();
    let opt = poly.optimum().unwrap().to_vec();
    assert_eq!(
        poly.project(&opt),
        [opt[0], opt[1]],
        "w0, w1 shown as they are"
    );
    let lifted = plane.lift([0.25, -2.0]);
    assert_eq!(plane.project(&lifted), [0.25, -2.0]);
    assert_eq!(lifted[2..], opt[2..], "other weights held at the optimum");
    let lin = build(Task::Linear, &[], 1);
    assert_eq!(
        lin.project(&[1.5, -0.5]),
        [1.5, -0.5],
        "the (w, b) plane itself"
    );
    assert_eq!(lin.plane().axes, ["w".to_string(), "b".to_string()]);

    // Points in the plane spanned by (1, 1, 0, 0)/√2 and (0, 0, 0, 1) around an origin.
    let origin = [1.0, 2.0, 3.0, 4.0];
    let s = std::f64::consts::FRAC_1_SQRT_2;
    let pts: Vec<Vec<f64>> = (0..20)
        .map(|k| {
            let (a, b) = (k as f64 * 0.3 - 2.0, ((k * 7) % 5) as f64 * 0.1);
            vec![1.0 + a * s, 2.0 + a * s, 3.0, 4.0 + b]
        })
        .collect();
    let pca = Plane::pca(&origin, pts.iter().map(Vec::as_slice)).unwrap();
    for p in &pts {
        let back = pca.lift(pca.project(p));
        for (x, y) in back.iter().zip(p) {
            assert!((x - y).abs() < 1e-9, "{back:?} vs {p:?}");
        }
    }
    assert!(
        Plane::pca(&origin, [&origin[..]]).is_none(),
        "no spread, no plane"
    );
}

#[test]
fn scene_drives_the_task_and_its_batches() {
    use gradscape::engine::url::decode;
    let d = decode(
        "",
        "task=polynomial&degree=5&l2=0.01&n=50&batch=8&seed=3&data_dist=gaussian",
    );
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let spec = d.scene.task_spec().unwrap();
    let t = task::build(&spec).unwrap();
    assert_eq!(t.dim(), 6);
    assert_eq!(t.sample_count(), Some(34), "50 points, a third held out");
    let configs = d.scene.run_configs(&t.start());
    assert_eq!(configs[0].start, vec![0.0; 6]);
    assert_eq!(configs[0].minibatch, Some(MiniBatch { size: 8, seed: 3 }));
    // A surface scene ignores batch: surfaces have no data to sample.
    let s = decode("", "batch=8").scene;
    assert_eq!(s.run_configs(&[0.0, 0.0])[0].minibatch, None);
    assert!(s.task_spec().is_none());
}

#[test]
fn user_data_replaces_the_generated_points() {
    let text = "x,y\n0,1\n\n1,3\n2,5\n";
    let spec = TaskSpec {
        data: Some(data::parse_csv(text, Columns::Xy).unwrap()),
        ..TaskSpec::new(Task::Linear, 0)
    };
    let t = task::build(&spec).unwrap();
    assert_eq!(t.points().len(), 3);
    let opt = t.optimum().unwrap();
    assert!(
        (opt[0] - 2.0).abs() < 1e-12 && (opt[1] - 1.0).abs() < 1e-12,
        "{opt:?}"
    );
    let wrong = TaskSpec {
        task: Task::Logistic,
        ..spec
    };
    assert!(task::build(&wrong).err().unwrap().contains("x1,x2,label"));
}

#[test]
fn parser_errors_name_the_line_and_the_reason() {
    let e = |text: &str, c| data::parse_csv(text, c).unwrap_err();
    assert_eq!(
        e("x,y\n1,2\n3,abc\n", Columns::Xy),
        "line 3: expected 2 numbers, found \"abc\""
    );
    assert_eq!(
        e("1,2\n\n3\n", Columns::Xy),
        "line 3: expected 2 numbers, found 1"
    );
    assert_eq!(
        e("1,2,0\n1,2,2\n", Columns::Labeled),
        "line 2: label must be 0 or 1, found \"2\""
    );
    assert!(e("x,y\n", Columns::Xy).contains("no data points"));
    let big = "1,2\n".repeat(10_001);
    assert!(e(&big, Columns::Xy).contains("at most 10000"));
    let u = data::parse_url("0.1,0.2;0.3,x", Columns::Xy).unwrap_err();
    assert_eq!(u, "point 2: expected 2 numbers, found \"x\"");
    let many = vec!["1,2"; 501].join(";");
    assert!(data::parse_url(&many, Columns::Xy)
        .unwrap_err()
        .contains("at most 500"));
    let d = data::parse_csv("x1,x2,label\r\n1.5,-2,1\r\n0,0,0\r\n", Columns::Labeled).unwrap();
    assert_eq!(
        d,
        Data::Labeled(vec![([1.5, -2.0], true), ([0.0, 0.0], false)])
    );
}

#[test]
fn task_keys_round_trip_through_links() {
    use gradscape::engine::url::{decode, encode};
    let link = "v=1&surface=rosenbrock&start=0.5,-1,2&opt=sgd(lr=0.1)&seed=4&task=logistic\
                &n=80&data_noise=0.25&batch=16&dataset=moons&data=0.1,0.2,1;-3e-7,4,0";
    let d = decode("", link);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(encode(&d.scene), link);
    assert_eq!(d.scene.start, Some(vec![0.5, -1.0, 2.0]));
    assert_eq!(
        d.scene.data,
        Some(Data::Labeled(vec![
            ([0.1, 0.2], true),
            ([-3e-7, 4.0], false)
        ]))
    );
    let poly = "v=1&surface=rosenbrock&start=1,2,3,4,5,6,7,8,9,10,11,12,13&opt=adam\
                &task=polynomial&data_dist=gaussian&degree=12&l2=0.001&plane=pca\
                &data=0.5,1.25;0.75,-0.5";
    let d = decode("", poly);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    assert_eq!(encode(&d.scene), poly);
    assert_eq!(d.scene.plane, gradscape::engine::scene::DrawPlane::Pca);
    let bad_plane = decode("", "task=logistic&plane=diagonal");
    assert_eq!(bad_plane.scene.plane, Default::default());
    assert!(
        bad_plane.notices[0].starts_with("plane:"),
        "{:?}",
        bad_plane.notices
    );

    let full = decode("", "task=linear&batch=full");
    assert!(full.notices.is_empty(), "{:?}", full.notices);
    assert_eq!(full.scene.batch, None);
    // A start of the wrong length for what it starts falls back with one notice.
    for bad in [
        "start=1,2,3",
        "task=linear&start=1,2,3",
        "task=polynomial&degree=2&start=1,2",
    ] {
        let d = decode("", bad);
        assert_eq!(d.scene.start, None, "{bad}");
        assert_eq!(d.notices.len(), 1, "{bad}: {:?}", d.notices);
        assert!(d.notices[0].starts_with("start:"), "{:?}", d.notices);
    }
    let stray = decode("", "data=1,2");
    assert_eq!(stray.scene.data, None);
    assert!(stray.notices[0].starts_with("data:"), "{:?}", stray.notices);
    let bad = decode("", "task=linear&data=1,2;3");
    assert_eq!(bad.scene.data, None);
    assert!(bad.notices[0].contains("point 2"), "{:?}", bad.notices);
}

proptest! {
    #[test]
    fn data_parsers_never_panic(text in prop_oneof![
        any::<String>(),
        "[-0-9.,;e\\n xyabel]{0,200}",
    ]) {
        for c in [Columns::Xy, Columns::Labeled] {
            if let Ok(d) = data::parse_csv(&text, c) {
                prop_assert!(!d.is_empty());
            }
            if let Ok(d) = data::parse_url(&text, c) {
                // What parses prints back to the same points.
                prop_assert_eq!(data::parse_url(&d.to_url(), c).unwrap(), d);
            }
        }
        let link = format!("task=logistic&data={text}");
        gradscape::engine::url::decode("", &link);
    }
}

#[test]
fn the_plane_slice_is_the_loss_on_the_plane_with_exact_derivatives() {
    use gradscape::engine::surface::Surface;
    use gradscape::engine::task::slice::Slice;
    use std::sync::Arc;
    for (name, t) in cases() {
        let t: Arc<dyn LearningTask> = Arc::from(t);
        let plane = t.plane().clone();
        let slice = Slice::new(t.clone());
        let info = slice.info();
        let [x0, x1, y0, y1] = info.view;
        assert!(x0 < x1 && y0 < y1, "{name}: {:?}", info.view);
        assert_eq!(info.default_start, plane.project(&t.start()), "{name}");
        if let Some(o) = t.optimum() {
            let [ox, oy] = plane.project(o);
            assert!((x0..=x1).contains(&ox) && (y0..=y1).contains(&oy), "{name}");
            assert_eq!(info.minima, vec![[ox, oy]]);
        }
        for q in [[0.3, -0.4], [1.2, 0.7], [-0.8, 2.0]] {
            let p = plane.lift(q);
            assert_eq!(Surface::value(&slice, q), t.value(&p), "{name}");
            let f = |a: &[f64]| Surface::value(&slice, [a[0], a[1]]);
            let fd = fd_grad(&f, &q);
            let (_, g, h) = slice.value_grad_hessian(q);
            assert!(
                close(g[0], fd[0], 1e-5) && close(g[1], fd[1], 1e-5),
                "{name}: {g:?} vs {fd:?}"
            );
            let gx = |a: &[f64]| slice.value_grad([a[0], a[1]]).1[0];
            let fd_h = fd_grad(&gx, &q);
            assert!(
                close(h[0][0], fd_h[0], 1e-4) && close(h[0][1], fd_h[1], 1e-4),
                "{name}: {h:?} vs {fd_h:?}"
            );
            assert_eq!(h[0][1], h[1][0]);
        }
    }
}

#[test]
fn pca_plane_passes_through_the_optimum_and_carries_the_projected_paths() {
    use gradscape::engine::surface::Surface;
    use gradscape::engine::task::slice::Slice;
    use std::sync::Arc;
    let runs = |t: &dyn LearningTask| -> Vec<Trajectory> {
        [("sgd", 0.1), ("momentum", 0.05), ("adam", 0.05)]
            .iter()
            .map(|&(id, lr)| {
                let mut c = RunConfig::new(id, t.start(), 300);
                c.settings = vec![("lr".into(), lr)];
                fit(t, &c)
            })
            .collect()
    };
    let poly: Arc<dyn LearningTask> = Arc::from(build(Task::Polynomial, &[("degree", 5.0)], 2));
    let logistic: Arc<dyn LearningTask> = Arc::from(build(Task::Logistic, &[], 4));
    for (name, t) in [("polynomial", poly), ("logistic", logistic)] {
        let paths = runs(t.as_ref());
        let refs: Vec<&Trajectory> = paths.iter().collect();
        let plane = task::pca_plane(t.as_ref(), &refs).unwrap();
        assert_eq!(plane.axes, ["PC1".to_string(), "PC2".to_string()]);
        // Through the optimum (logistic: the reference point at the centre of its box).
        let through: Vec<f64> = t.optimum().map_or_else(
            || t.bounds().iter().map(|[a, b]| (a + b) / 2.0).collect(),
            <[f64]>::to_vec,
        );
        assert_eq!(plane.origin, through, "{name}");
        assert_eq!(plane.project(&through), [0.0, 0.0], "{name}");
        // Orthonormal directions.
        let dot = |a: &[f64], b: &[f64]| -> f64 { a.iter().zip(b).map(|(x, y)| x * y).sum() };
        assert!(close(dot(&plane.u, &plane.u), 1.0, 1e-12), "{name}");
        assert!(close(dot(&plane.v, &plane.v), 1.0, 1e-12), "{name}");
        assert!(dot(&plane.u, &plane.v).abs() < 1e-12, "{name}");
        // The paths drawn on it are their parameters projected; gradients likewise.
        for tr in &paths {
            let drawn = plane.redraw(tr);
            assert_eq!(drawn.points.len(), tr.points.len());
            assert_eq!(drawn.params, tr.params);
            assert_eq!(drawn.losses, tr.losses);
            for i in [0, 1, 150, tr.last_step()] {
                assert_eq!(drawn.points[i], plane.project(tr.params_at(i)), "{name}");
            }
            let k = tr.last_step() - 1;
            assert_eq!(drawn.grads[k], plane.project_tangent(tr.gradient_at(k)));
        }
        // It keeps more of the paths' spread about the origin than the default plane does:
        // the leading two principal directions maximise the projected variance.
        let spread = |p: &Plane| -> f64 {
            paths
                .iter()
                .flat_map(|tr| tr.params.chunks_exact(tr.dim))
                .map(|x| {
                    let d: Vec<f64> = x.iter().zip(&through).map(|(a, o)| a - o).collect();
                    let q = p.project_tangent(&d);
                    q[0] * q[0] + q[1] * q[1]
                })
                .sum()
        };
        assert!(spread(&plane) >= spread(t.plane()) - 1e-9, "{name}");
        // The surface view's slice over it: the optimum (where there is one) at the origin, the
        // loss there the task's.
        let drawn: Vec<[f64; 2]> = paths
            .iter()
            .flat_map(|tr| plane.redraw(tr).points)
            .collect();
        let view = task::view_around(drawn.iter().copied());
        for [x, y] in drawn.iter().copied().chain([[0.0, 0.0]]) {
            assert!(
                view[0] < x && x < view[1] && view[2] < y && y < view[3],
                "{name}"
            );
        }
        let slice = Slice::on(t.clone(), plane.clone(), view);
        assert_eq!(slice.info().view, view);
        if t.optimum().is_some() {
            assert_eq!(slice.info().minima, vec![[0.0, 0.0]], "{name}");
        }
        assert_eq!(Surface::value(&slice, [0.0, 0.0]), t.value(&through));
        let q = [0.4, -0.3];
        assert_eq!(Surface::value(&slice, q), t.value(&plane.lift(q)));
    }
    // A single straight path spans one direction: no plane.
    let lin = build(Task::Polynomial, &[("degree", 3.0)], 1);
    let mut c = RunConfig::new("sgd", lin.optimum().unwrap().to_vec(), 5);
    c.settings = vec![("lr".into(), 0.1)];
    let still = fit(&*lin, &c);
    assert!(task::pca_plane(&*lin, &[&still]).is_none());
}
