//! The run layer: trajectories, divergence, schedules, noise, limits.

use gradscape::engine::noise::NoiseConfig;
use gradscape::engine::optim;
use gradscape::engine::run::{run, run_all, RunConfig, Status, Trajectory, MAX_STEPS};
use gradscape::engine::schedule::Schedule;
use gradscape::engine::surface::{self, Surface, SurfaceSpec};

fn surface(id: &str) -> Box<dyn Surface> {
    surface::build(&SurfaceSpec {
        id: id.into(),
        ..Default::default()
    })
    .unwrap()
}

fn sgd(lr: f64, start: [f64; 2], steps: usize) -> RunConfig {
    let mut c = RunConfig::new("sgd", start, steps);
    c.settings = vec![("lr".into(), lr)];
    c
}

fn assert_consistent(t: &Trajectory) {
    let n = t.points.len();
    assert!(n >= 1);
    assert_eq!(t.losses.len(), n);
    assert_eq!(t.grad_norms.len(), n);
    assert_eq!(t.grads.len(), n - 1);
    assert_eq!(t.lrs.len(), n - 1);
    for p in &t.points {
        assert!(p[0].is_finite() && p[1].is_finite(), "{p:?}");
    }
    assert!(t.losses.iter().all(|l| l.is_finite()));
}

#[test]
fn sgd_on_the_quadratic_follows_the_closed_form() {
    // f = ½(x² + κy²), κ = 10: x_k = (1 − η)^k x₀, y_k = (1 − κη)^k y₀.
    let (lr, x0, y0) = (0.05, 3.0, 1.5);
    let t = run(&*surface("quadratic"), &sgd(lr, [x0, y0], 100)).unwrap();
    assert_eq!(t.status, Status::Finished);
    assert_eq!(t.points.len(), 101);
    assert_consistent(&t);
    for (k, p) in t.points.iter().enumerate() {
        let x = (1.0 - lr).powi(k as i32) * x0;
        let y = (1.0 - 10.0 * lr).powi(k as i32) * y0;
        assert!((p[0] - x).abs() <= 1e-12 * (1.0 + x.abs()), "x at {k}");
        assert!((p[1] - y).abs() <= 1e-12 * (1.0 + y.abs()), "y at {k}");
        let loss = 0.5 * (p[0] * p[0] + 10.0 * p[1] * p[1]);
        assert!((t.losses[k] - loss).abs() <= 1e-12 * (1.0 + loss));
    }
    assert!(t.lrs.iter().all(|&l| l == lr));
    assert_eq!(t.grads[0], [x0, 10.0 * y0]);
}

#[test]
fn a_huge_learning_rate_diverges_and_the_path_stops() {
    // Along y the factor is 1 − 10·1 = −9: it leaves the view within a few steps.
    let t = run(&*surface("quadratic"), &sgd(1.0, [3.0, 1.5], 1000)).unwrap();
    assert_consistent(&t);
    let Status::Diverged { step, reason } = &t.status else {
        panic!("expected divergence, got {:?}", t.status)
    };
    assert_eq!(t.points.len(), *step, "points end at the last good point");
    assert!(
        reason.contains("y left the view by a factor of 1000"),
        "{reason}"
    );
    assert_eq!(t.status.label(), "diverged");
    assert_eq!(t.status_at(0), "running");
    assert_eq!(t.status_at(5000), "diverged");
    assert_eq!(t.index_at(5000), t.last_step());
}

#[test]
fn nan_never_reaches_the_reported_points() {
    let s = surface("rosenbrock");
    for lr in [0.01, 0.1, 1.0, 100.0, 1e4] {
        let t = run(&*s, &sgd(lr, [-1.2, 1.0], 5000)).unwrap();
        assert_consistent(&t);
        assert!(
            matches!(t.status, Status::Diverged { .. }),
            "lr {lr}: {:?}",
            t.status
        );
    }
}

#[test]
fn steps_are_capped() {
    let s = surface("quadratic");
    let e = run(&*s, &sgd(0.1, [1.0, 1.0], MAX_STEPS + 1)).unwrap_err();
    assert!(e.contains("100000"), "{e}");
    assert!(run(&*s, &sgd(0.1, [1.0, 1.0], 0)).unwrap().points.len() == 1);
}

#[test]
fn bad_configs_say_what_is_valid() {
    let s = surface("quadratic");
    let e = run(&*s, &RunConfig::new("nope", [1.0, 1.0], 5)).unwrap_err();
    assert!(e.contains("unknown optimizer 'nope'"), "{e}");
    for k in optim::CATALOG {
        assert!(e.contains(k.id), "{e}");
    }
    let mut c = sgd(0.1, [1.0, 1.0], 5);
    c.settings.push(("betas".into(), 0.9));
    assert!(run(&*s, &c).unwrap_err().contains("valid: lr"));
    let e = run(&*s, &sgd(0.1, [f64::NAN, 1.0], 5)).unwrap_err();
    assert!(e.contains("not finite"), "{e}");
    let mut c = sgd(0.1, [1.0, 1.0], 5);
    c.noise.sigma = -1.0;
    assert!(run(&*s, &c).is_err());
}

#[test]
fn noise_is_reproducible() {
    let s = surface("rosenbrock");
    let noisy = |seed| {
        let mut c = sgd(1e-3, [-1.2, 1.0], 300);
        c.noise = NoiseConfig { sigma: 0.5, seed };
        run(&*s, &c).unwrap()
    };
    let (a, b, c) = (noisy(7), noisy(7), noisy(8));
    assert_eq!(a, b);
    assert_ne!(a.points, c.points);
    let clean = run(&*s, &sgd(1e-3, [-1.2, 1.0], 300)).unwrap();
    assert_ne!(a.points, clean.points);
    // The recorded gradient is the noisy one; the norm is of the exact gradient.
    let exact = s.value_grad([-1.2, 1.0]).1;
    assert_eq!(clean.grads[0], exact);
    assert_ne!(a.grads[0], exact);
    assert_eq!(a.grad_norms[0], clean.grad_norms[0]);
}

#[test]
fn schedule_is_applied() {
    let mut c = sgd(0.1, [3.0, 1.5], 20);
    c.schedule = Schedule::parse("step(step_size=1,gamma=0)").unwrap();
    let t = run(&*surface("quadratic"), &c).unwrap();
    assert_eq!(t.points.len(), 21);
    assert_ne!(t.points[1], t.points[0], "the first update moves");
    assert!(
        t.points[1..].iter().all(|p| *p == t.points[1]),
        "later ones do not"
    );
    assert_eq!(t.lrs[0], 0.1);
    assert!(t.lrs[1..].iter().all(|&l| l == 0.0));
}

#[test]
fn converges_early_with_a_tolerance() {
    let mut c = sgd(0.05, [3.0, 1.5], 10_000);
    c.converge_tol = Some(1e-6);
    let t = run(&*surface("quadratic"), &c).unwrap();
    let Status::Converged { step } = t.status else {
        panic!("{:?}", t.status)
    };
    assert_eq!(t.last_step(), step);
    assert!(t.grad_norms[step] <= 1e-6 && t.grad_norms[step - 1] > 1e-6);
    assert_eq!(t.status.label(), "finished");
    assert_eq!(t.status_at(step - 1), "running");
}

#[test]
fn states_are_recorded_only_on_request() {
    let s = surface("quadratic");
    let mut c = sgd(0.05, [3.0, 1.5], 10);
    assert!(run(&*s, &c).unwrap().states.is_empty());
    c.record_state = true;
    assert_eq!(run(&*s, &c).unwrap().states.len(), 11);
}

#[test]
fn carried_direction_and_effective_lr_are_recorded_with_the_state() {
    let s = surface("quadratic");
    let mut c = RunConfig::new("adam", [3.0, 1.5], 5);
    c.settings = vec![("lr".into(), 0.1)];
    assert!(run(&*s, &c).unwrap().carried.is_empty());
    c.record_state = true;
    let t = run(&*s, &c).unwrap();
    assert_eq!(t.carried.len(), 6);
    // Adam's first moment after one update is (1 − β₁)·g.
    let m = t.carried[1].direction.expect("adam carries a first moment");
    assert!((m[0] - 0.1 * t.grads[0][0]).abs() < 1e-15);
    assert!(t.carried[1].effective_lr.is_some());
    let mut plain = RunConfig::new("sgd", [3.0, 1.5], 2);
    plain.record_state = true;
    assert_eq!(run(&*s, &plain).unwrap().carried[1].direction, None);
}

#[test]
fn every_optimizer_runs_on_every_surface_and_run_all_matches() {
    for sk in surface::CATALOG {
        let spec = SurfaceSpec {
            id: sk.id.into(),
            ..Default::default()
        };
        // Surfaces that need more than an id (e.g. a custom expression) are covered elsewhere.
        let Ok(s) = surface::build(&spec) else {
            continue;
        };
        let start = s.info().default_start;
        let configs: Vec<RunConfig> = optim::CATALOG
            .iter()
            .map(|k| RunConfig::new(k.id, start, 200))
            .collect();
        let all = run_all(&*s, &configs);
        for (c, r) in configs.iter().zip(all) {
            let t = r.unwrap_or_else(|e| panic!("{} on {}: {e}", c.optimizer, sk.id));
            assert_consistent(&t);
            assert_eq!(t, run(&*s, c).unwrap());
        }
    }
}

#[test]
fn suggested_learning_rates_converge_and_stay_in_view() {
    let s = surface("quadratic");
    let c = RunConfig::new("sgd", [3.0, 1.5], 100);
    let lr = gradscape::engine::run::suggest_lr(&*s, &c).expect("a rate");
    // On ½(x² + 10y²), plain GD converges only for lr < 2/10; the best rate is just below.
    assert!((0.1..0.2).contains(&lr), "lr = {lr}");
    let saddle = surface("saddle");
    let start = saddle.info().default_start;
    let lr = gradscape::engine::run::suggest_lr(&*saddle, &RunConfig::new("adam", start, 300))
        .expect("a rate");
    let mut run_cfg = RunConfig::new("adam", start, 300);
    run_cfg.settings = vec![("lr".into(), lr)];
    let t = run(&*saddle, &run_cfg).unwrap();
    let [x0, x1, y0, y1] = saddle.info().view;
    let (mx, my) = ((x1 - x0) * 0.25, (y1 - y0) * 0.25);
    assert!(t
        .points
        .iter()
        .all(|p| p[0] >= x0 - mx && p[0] <= x1 + mx && p[1] >= y0 - my && p[1] <= y1 + my));
}

/// A summary's numbers, read off the full run.
fn summary_of(t: &Trajectory, threshold: Option<f64>) -> gradscape::engine::run::Summary {
    gradscape::engine::run::Summary {
        final_loss: *t.losses.last().unwrap(),
        last_step: t.last_step(),
        first_below: threshold.and_then(|th| t.losses.iter().position(|&l| l < th)),
        status: t.status.clone(),
    }
}

#[test]
fn a_summary_is_the_full_run_to_the_last_digit() {
    use gradscape::engine::noise::MiniBatch;
    use gradscape::engine::run::{summarise, Summary};
    use gradscape::engine::scene::Task;
    use gradscape::engine::task::{self, TaskSpec};
    let same = |got: Summary, want: Summary, what: &str| {
        assert_eq!(
            got.final_loss.to_bits(),
            want.final_loss.to_bits(),
            "{what}"
        );
        assert_eq!(got, want, "{what}");
    };
    let mut statuses = std::collections::BTreeSet::new();
    // Every optimizer on a few surfaces, at a gentle and a reckless rate, some converging early,
    // with noise and a schedule: finished, converged and diverged runs.
    for kind in optim::CATALOG {
        for id in ["rosenbrock", "quadratic", "himmelblau"] {
            for (lr, tol, sigma) in [(0.01, None, 0.0), (3.0, Some(1e-3), 0.0), (0.1, None, 0.5)] {
                let mut c = RunConfig::new(kind.id, [-1.2, 1.0], 300);
                if kind.schema.iter().any(|p| p.key == "lr") {
                    c.settings = vec![("lr".into(), lr)];
                }
                c.converge_tol = tol;
                c.noise = NoiseConfig { sigma, seed: 7 };
                c.schedule = Schedule::parse("cosine(t_max=200)").unwrap();
                let s = surface(id);
                let t = run(&*s, &c).unwrap();
                statuses.insert(t.status.label().to_string() + &format!("{:?}", tol.is_some()));
                for th in [None, Some(1e-2), Some(f64::INFINITY)] {
                    let what = format!("{} on {id} at lr {lr}, threshold {th:?}", kind.id);
                    same(summarise(&*s, &c, th).unwrap(), summary_of(&t, th), &what);
                }
            }
        }
    }
    assert!(statuses.len() >= 3, "{statuses:?}");
    // A learning task with mini-batches, as `&dyn Problem` (the page's type).
    let task = task::build(&TaskSpec::new(Task::Logistic, 3)).unwrap();
    let mut c = RunConfig::new("adam", task.start(), 150);
    c.settings = vec![("lr".into(), 0.05)];
    c.minibatch = Some(MiniBatch { size: 8, seed: 3 });
    let t = run(task.as_problem(), &c).unwrap();
    same(
        summarise(task.as_problem(), &c, Some(0.5)).unwrap(),
        summary_of(&t, Some(0.5)),
        "logistic",
    );
    // Errors are the run's errors.
    c.steps = MAX_STEPS + 1;
    assert_eq!(
        summarise(task.as_problem(), &c, None).unwrap_err(),
        run(task.as_problem(), &c).unwrap_err()
    );
}
