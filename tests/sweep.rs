//! Hyperparameter sweeps: a cell is a `trace` run bit for bit, searches are reproducible from
//! their seed, Hyperband's brackets follow Li et al. 2018, and the heavy-ball optimum shows up
//! where Polyak put it.

use gradscape::engine::noise::MiniBatch;
use gradscape::engine::param::Scale;
use gradscape::engine::problem::Problem;
use gradscape::engine::run::{run, RunConfig};
use gradscape::engine::scene::Task;
use gradscape::engine::schedule::Schedule;
use gradscape::engine::surface::{self, Surface, SurfaceSpec};
use gradscape::engine::sweep::plan::{self, Bracket};
use gradscape::engine::sweep::*;
use gradscape::engine::task::{self, TaskSpec};

fn surface(id: &str, params: &[(&str, f64)]) -> Box<dyn Surface> {
    surface::build(&SurfaceSpec {
        id: id.into(),
        params: params.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        expr: None,
    })
    .unwrap()
}

fn axis(key: &str, lo: f64, hi: f64, scale: Scale, count: usize) -> Axis {
    Axis {
        key: key.into(),
        lo,
        hi,
        scale,
        count,
    }
}

fn adam_sweep(steps: usize) -> Sweep {
    Sweep::new(
        RunConfig::new("adam", [-1.2, 1.0], steps),
        axis("lr", 1e-4, 1.0, Scale::Log, 7),
        axis("beta1", 0.0, 0.99, Scale::Linear, 5),
        Some(1e-2),
    )
    .unwrap()
}

/// The outcome a single run with these settings gives, computed without the sweep.
fn single<P: Problem + ?Sized>(problem: &P, config: &RunConfig) -> Outcome {
    let t = run(problem, config).unwrap();
    Outcome {
        final_loss: *t.losses.last().unwrap(),
        diverged: t.status.label() == "diverged",
        steps_run: t.last_step(),
        first_below: None,
    }
}

#[test]
fn a_grid_cell_is_the_single_run_with_those_values_bit_for_bit() {
    let s = surface("rosenbrock", &[]);
    let mut search = Search::new(adam_sweep(300), Method::Grid, 0).unwrap();
    search.run_parallel(&*s, 2).unwrap();
    assert_eq!(search.evaluations().len(), 35);
    for (i, e) in search.evaluations().iter().enumerate() {
        assert_eq!(e.config, i);
        let mut config = RunConfig::new("adam", [-1.2, 1.0], 300);
        config.settings = vec![
            ("lr".into(), search.sweep.x.value(i % 7)),
            ("beta1".into(), search.sweep.y.value(i / 7)),
        ];
        let want = single(&*s, &config);
        assert_eq!(
            e.outcome.final_loss.to_bits(),
            want.final_loss.to_bits(),
            "cell {i}"
        );
        assert_eq!(e.outcome.diverged, want.diverged);
        assert_eq!(e.outcome.steps_run, want.steps_run);
        let t = run(&*s, &config).unwrap();
        let below = t.losses.iter().position(|&l| l < 1e-2);
        assert_eq!(e.outcome.first_below, below);
    }
    assert!(search
        .evaluations()
        .iter()
        .any(|e| e.outcome.first_below.is_some()));
    // Grid ends are the axis ends exactly.
    assert_eq!(search.evaluations()[0].at, [1e-4, 0.0]);
    assert_eq!(search.evaluations()[34].at, [1.0, 0.99]);
}

#[test]
fn a_diverged_cell_is_its_diverged_run_and_ranks_last() {
    let s = surface("rosenbrock", &[]);
    let sweep = Sweep::new(
        RunConfig::new("momentum", [-1.2, 1.0], 200),
        axis("lr", 1e-4, 0.1, Scale::Log, 4),
        axis("momentum", 0.0, 0.9, Scale::Linear, 2),
        None,
    )
    .unwrap();
    let mut search = Search::new(sweep, Method::Grid, 0).unwrap();
    search.run_parallel(&*s, 2).unwrap();
    let diverged: Vec<_> = search
        .evaluations()
        .iter()
        .filter(|e| e.outcome.diverged)
        .collect();
    assert!(!diverged.is_empty() && diverged.len() < 8);
    for e in diverged {
        let mut c = RunConfig::new("momentum", [-1.2, 1.0], 200);
        c.settings = vec![("lr".into(), e.at[0]), ("momentum".into(), e.at[1])];
        let want = single(&*s, &c);
        assert!(want.diverged);
        assert_eq!(e.outcome, want);
        assert_eq!(e.outcome.status(), "diverged");
        assert_eq!(e.outcome.rank(), f64::INFINITY);
    }
    assert!(!search.best().unwrap().outcome.diverged);
}

#[test]
fn a_cell_on_a_learning_task_with_batches_noise_and_a_schedule_axis_is_its_single_run() {
    let t = task::build(&TaskSpec::new(Task::Logistic, 4)).unwrap();
    let mut base = RunConfig::new("sgd", t.start(), 120);
    base.schedule = Schedule::parse("cosine(t_max=100)").unwrap();
    base.minibatch = Some(MiniBatch { size: 10, seed: 4 });
    base.noise.sigma = 0.05;
    base.noise.seed = 4;
    let sweep = Sweep::new(
        base.clone(),
        axis("lr", 0.01, 1.0, Scale::Log, 3),
        axis("t_max", 10.0, 200.0, Scale::Linear, 4),
        None,
    )
    .unwrap();
    let mut search = Search::new(sweep, Method::Grid, 4).unwrap();
    assert!(search.run_while(t.as_problem(), || true).unwrap());
    for e in search.evaluations() {
        let mut c = base.clone();
        c.settings = vec![("lr".into(), e.at[0])];
        c.schedule = Schedule::parse(&format!("cosine(t_max={})", e.at[1])).unwrap();
        let want = single(t.as_problem(), &c);
        assert_eq!(e.outcome.final_loss.to_bits(), want.final_loss.to_bits());
    }
}

#[test]
fn the_parallel_search_records_what_the_sliced_one_records() {
    let s = surface("rosenbrock", &[]);
    for method in [
        Method::Grid,
        Method::Random { samples: 20 },
        Method::Hyperband {
            max_steps: 27,
            eta: 3.0,
        },
    ] {
        let mut a = Search::new(adam_sweep(100), method, 9).unwrap();
        a.run_parallel(&*s, 2).unwrap();
        let mut b = Search::new(adam_sweep(100), method, 9).unwrap();
        // One evaluation per slice, as the page's tightest frame budget would.
        while !b.run_while(&*s, || false).unwrap() {}
        assert_eq!(a.evaluations(), b.evaluations(), "{method:?}");
    }
}

#[test]
fn random_halving_and_hyperband_are_reproducible_from_their_seed() {
    let s = surface("rosenbrock", &[]);
    for method in [
        Method::Random { samples: 30 },
        Method::Halving {
            max_steps: 81,
            eta: 3.0,
        },
        Method::Hyperband {
            max_steps: 81,
            eta: 3.0,
        },
    ] {
        let go = |seed| {
            let mut search = Search::new(adam_sweep(200), method, seed).unwrap();
            let planned = search.planned();
            search.run_parallel(&*s, 2).unwrap();
            // What the page weighs before starting is what the search then allots.
            let longest = search.evaluations().iter().map(|e| e.steps).max();
            assert_eq!(planned, (search.spent() as u64, longest.unwrap()));
            search.evaluations().to_vec()
        };
        let (a, b, c) = (go(1), go(1), go(2));
        assert_eq!(a, b, "{method:?}");
        assert_ne!(a, c, "{method:?}: another seed draws other configurations");
        // Draws stay in the box.
        for e in &a {
            assert!((1e-4..=1.0).contains(&e.at[0]) && (0.0..=0.99).contains(&e.at[1]));
        }
    }
}

/// Algorithm 1 of Li et al. written out again with whole numbers (η an integer): the sizes
/// each bracket's rungs must have.
fn paper(r: usize, eta: usize) -> Vec<(usize, Vec<(usize, usize)>)> {
    let mut s_max = 0;
    while eta.pow(s_max + 1) <= r {
        s_max += 1;
    }
    let s_max = s_max as usize;
    (0..=s_max)
        .rev()
        .map(|s| {
            // n = ⌈(s_max + 1)·η^s/(s + 1)⌉, r_i = R·η^(i−s)
            let num = (s_max + 1) * eta.pow(s as u32);
            let n = num.div_ceil(s + 1);
            let rungs = (0..=s)
                .map(|i| {
                    let n_i = n / eta.pow(i as u32);
                    let r_i = (r as f64 / eta.pow((s - i) as u32) as f64).round() as usize;
                    (n_i, r_i.max(1))
                })
                .collect();
            (s, rungs)
        })
        .collect()
}

#[test]
fn hyperband_brackets_and_rungs_follow_the_paper() {
    // The paper's own table for R = 81, η = 3 (Table 1).
    let table: Vec<Vec<(usize, usize)>> = plan::hyperband(81, 3.0)
        .iter()
        .map(|b| b.rungs.iter().map(|r| (r.configs, r.steps)).collect())
        .collect();
    assert_eq!(
        table,
        vec![
            vec![(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
            vec![(34, 3), (11, 9), (3, 27), (1, 81)],
            vec![(15, 9), (5, 27), (1, 81)],
            vec![(8, 27), (2, 81)],
            vec![(5, 81)],
        ]
    );
    for (r, eta) in [
        (81, 3),
        (27, 3),
        (100, 4),
        (16, 2),
        (243, 3),
        (10, 3),
        (1, 2),
        (2, 2),
    ] {
        let got: Vec<(usize, Vec<(usize, usize)>)> = plan::hyperband(r, eta as f64)
            .iter()
            .map(|b: &Bracket| (b.s, b.rungs.iter().map(|r| (r.configs, r.steps)).collect()))
            .collect();
        assert_eq!(got, paper(r, eta), "R = {r}, η = {eta}");
        for b in plan::hyperband(r, eta as f64) {
            for w in b.rungs.windows(2) {
                assert_eq!(w[0].keep, w[0].configs / eta, "keep ⌊n_i/η⌋");
                assert_eq!(w[1].configs, w[0].keep);
            }
        }
        assert_eq!(
            plan::halving(r, eta as f64)[0],
            plan::hyperband(r, eta as f64)[0]
        );
    }
}

#[test]
fn a_search_runs_every_rung_and_advances_the_best() {
    let s = surface("rosenbrock", &[]);
    let mut search = Search::new(
        adam_sweep(100),
        Method::Hyperband {
            max_steps: 81,
            eta: 3.0,
        },
        5,
    )
    .unwrap();
    search.run_parallel(&*s, 2).unwrap();
    let evals = search.evaluations();
    assert_eq!(evals.len(), search.total());
    assert_eq!(
        search.total(),
        81 + 27 + 9 + 3 + 1 + 34 + 11 + 3 + 1 + 15 + 5 + 1 + 8 + 2 + 5
    );
    for b in search.brackets() {
        for (i, rung) in b.rungs.iter().enumerate() {
            let these: Vec<_> = evals
                .iter()
                .filter(|e| e.bracket == b.s && e.rung == i)
                .collect();
            assert_eq!(these.len(), rung.configs, "bracket {} rung {i}", b.s);
            assert!(these.iter().all(|e| e.steps == rung.steps));
            let up: Vec<_> = these.iter().filter(|e| e.advanced).collect();
            assert_eq!(up.len(), rung.keep);
            // Those that advanced are the best of their rung, and run next.
            let worst_up = up.iter().map(|e| e.outcome.rank()).fold(f64::MIN, f64::max);
            for e in these.iter().filter(|e| !e.advanced) {
                assert!(e.outcome.rank() >= worst_up);
            }
            if i + 1 < b.rungs.len() {
                let mut next: Vec<usize> = evals
                    .iter()
                    .filter(|e| e.bracket == b.s && e.rung == i + 1)
                    .map(|e| e.config)
                    .collect();
                let mut kept: Vec<usize> = up.iter().map(|e| e.config).collect();
                next.sort();
                kept.sort();
                assert_eq!(next, kept);
            }
        }
    }
    assert_eq!(search.spent(), evals.iter().map(|e| e.steps).sum::<usize>());
    let best = search.best().unwrap();
    assert!(evals
        .iter()
        .all(|e| e.outcome.rank() >= best.outcome.rank()));
}

/// Distill's "Why Momentum Really Works" phase diagram: on an ill-conditioned quadratic the
/// fastest cell is where Polyak's analysis puts it. The quadratic ½(x′² + κy′²) has Hessian
/// eigenvalues λ₁ = 1 and λₙ = κ; PyTorch's momentum is heavy ball with α = lr, β = momentum
/// (derived at [`polyak_optimum`]).
#[test]
fn momentum_is_fastest_near_polyaks_optimum_on_an_ill_conditioned_quadratic() {
    for kappa in [10.0, 100.0] {
        let s = surface("quadratic", &[("kappa", kappa)]);
        let (nx, ny) = (25, 25);
        let sweep = Sweep::new(
            RunConfig::new("momentum", [3.0, 1.5], 500),
            axis("lr", 1e-3, 1.0, Scale::Log, nx),
            axis("momentum", 0.0, 0.96, Scale::Linear, ny),
            Some(1e-12),
        )
        .unwrap();
        let mut search = Search::new(sweep, Method::Grid, 0).unwrap();
        search.run_parallel(&*s, 2).unwrap();
        let fastest = search
            .evaluations()
            .iter()
            .filter_map(|e| Some((e.outcome.first_below?, e)))
            .min_by_key(|(k, _)| *k)
            .unwrap()
            .1;
        let [alpha, beta] = polyak_optimum(1.0, kappa);
        let x = &search.sweep.x;
        let y = &search.sweep.y;
        let cell = |a: &Axis, v: f64, n: usize| a.fraction(v) * (n - 1) as f64;
        let dx = cell(x, fastest.at[0], nx) - cell(x, alpha, nx);
        let dy = cell(y, fastest.at[1], ny) - cell(y, beta, ny);
        assert!(
            dx.abs() <= 2.0 && dy.abs() <= 2.0,
            "κ = {kappa}: fastest at {:?}, Polyak's (α*, β*) = ({alpha}, {beta}), {dx:.2}, {dy:.2} cells away",
            fastest.at
        );
    }
    let [a, b] = polyak_optimum(1.0, 10.0);
    assert!((a - 0.230886).abs() < 1e-6 && (b - 0.269874).abs() < 1e-6);
}

#[test]
fn axes_parse_and_bad_ones_name_what_is_valid() {
    let a = Axis::parse("lr=1e-4:1:log:16", 8).unwrap();
    assert_eq!(a, axis("lr", 1e-4, 1.0, Scale::Log, 16));
    assert_eq!(a.value(0), 1e-4);
    assert_eq!(a.value(15), 1.0);
    assert!((a.value(5) - 1e-4 * 10f64.powf(4.0 * 5.0 / 15.0)).abs() < 1e-15);
    assert_eq!(Axis::parse("beta1=0:0.99", 8).unwrap().count, 8);
    assert_eq!(
        Axis::parse("beta1=0:0.99:lin", 8).unwrap().scale,
        Scale::Linear
    );
    for bad in ["lr", "lr=1", "lr=a:1", "lr=1:2:log:x", "lr=1:2:log:3:4"] {
        let e = Axis::parse(bad, 8).unwrap_err();
        assert!(e.contains("valid: KEY=LO:HI"), "{e}");
    }
    let base = RunConfig::new("adam", [-1.2, 1.0], 10);
    let err = |x: &str, y: &str| {
        Sweep::new(
            base.clone(),
            Axis::parse(x, 4).unwrap(),
            Axis::parse(y, 4).unwrap(),
            None,
        )
        .unwrap_err()
    };
    let e = err("momentum=0:1", "lr=1e-3:1:log");
    assert!(
        e.contains("unknown sweep axis 'momentum'") && e.contains("beta1") && e.contains("warmup"),
        "{e}"
    );
    assert!(err("lr=0:1:log", "beta1=0:0.9").contains("positive"));
    assert!(err("lr=1e-3:1", "lr=1e-3:1").contains("different"));
    assert!(err("lr=1e-3:1", "beta1=0:2").contains("beta1"));
    assert!(err("lr=1e-3:1:lin:0", "beta1=0:0.9").contains("valid: 1…"));
    let mut m = RunConfig::new("rmsprop", [-1.2, 1.0], 10);
    m.settings.clear();
    let e = Sweep::new(
        m,
        Axis::parse("centered=0:1", 2).unwrap(),
        Axis::parse("lr=0.1:1", 2).unwrap(),
        None,
    )
    .unwrap_err();
    assert!(e.contains("toggle"), "{e}");
    let sweep = Sweep::new(
        base,
        Axis::parse("lr=1e-3:1:log", 4).unwrap(),
        Axis::parse("beta1=0:0.9", 4).unwrap(),
        None,
    )
    .unwrap();
    for (method, want) in [
        (Method::Random { samples: 0 }, "samples"),
        (
            Method::Hyperband {
                max_steps: 0,
                eta: 3.0,
            },
            "max_steps",
        ),
        (
            Method::Halving {
                max_steps: 81,
                eta: 1.0,
            },
            "eta",
        ),
    ] {
        let e = Search::new(sweep.clone(), method, 0).unwrap_err();
        assert!(e.contains(want) && e.contains("valid"), "{e}");
    }
}

#[test]
fn shades_are_logarithmic_and_polyaks_target_follows_kappa() {
    let s = log_shades(&[Some(1e-4), Some(1e-2), Some(1.0), None, Some(f64::INFINITY)]);
    assert_eq!(s[0], 0.0);
    assert!((s[1] - 0.5).abs() < 1e-12);
    assert_eq!(s[2], 1.0);
    assert!(s[3].is_nan() && s[4].is_nan());
    let neg = log_shades(&[Some(-78.0), Some(-70.0), Some(100.0)]);
    assert!(neg.iter().all(|v| (0.0..=1.0).contains(v)) && neg[0] < neg[1] && neg[1] < neg[2]);
    assert_eq!(log_shades(&[Some(3.0), Some(3.0)]), vec![0.0, 0.0]);
    let spec = |params: Vec<(String, f64)>| SurfaceSpec {
        id: "quadratic".into(),
        params,
        expr: None,
    };
    assert_eq!(
        heavy_ball_target(&spec(vec![])),
        Some(polyak_optimum(1.0, 10.0))
    );
    assert_eq!(
        heavy_ball_target(&spec(vec![("kappa".into(), 100.0)])),
        Some(polyak_optimum(1.0, 100.0))
    );
    assert_eq!(heavy_ball_target(&SurfaceSpec::default()), None);
}
