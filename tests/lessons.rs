//! Every lesson's scene loads from its link with no notice, and shows what its text claims:
//! one predicate per lesson on the engine's runs (the numbers the page draws).

use gradscape::engine::export::{run_scene, SceneRuns};
use gradscape::engine::run::{Status, Trajectory};
use gradscape::engine::scene::Lang;
use gradscape::engine::scene::Scene;
use gradscape::engine::schedule::Schedule;
use gradscape::engine::task;
use gradscape::engine::url::decode;
use gradscape::i18n::tr;
use gradscape::lessons::LESSONS;

/// A lesson's scene and every card's run (each must run).
struct Runs {
    scene: Scene,
    cards: Vec<Trajectory>,
}

fn runs_of(scene: Scene) -> Runs {
    let SceneRuns { cards, .. } = run_scene(&scene).expect("the scene's problem builds");
    let cards = cards
        .into_iter()
        .map(|c| {
            c.outcome
                .unwrap_or_else(|e| panic!("card {} did not run: {e}", c.index))
        })
        .collect();
    Runs { scene, cards }
}

fn load(hash: &str) -> Runs {
    let d = decode("", hash);
    assert!(d.notices.is_empty(), "{hash}: {:?}", d.notices);
    runs_of(d.scene)
}

fn diverged(t: &Trajectory) -> bool {
    matches!(t.status, Status::Diverged { .. })
}

fn last(t: &Trajectory) -> f64 {
    *t.losses.last().unwrap()
}

/// The mean loss over steps `a..b`.
fn mean(t: &Trajectory, a: usize, b: usize) -> f64 {
    t.losses[a..b].iter().sum::<f64>() / (b - a) as f64
}

/// The length of update `k` (from point k − 1 to point k), and its per-coordinate moves.
fn step(t: &Trajectory, k: usize) -> (f64, Vec<f64>) {
    let d: Vec<f64> = (t.params_at(k).iter().zip(t.params_at(k - 1)))
        .map(|(a, b)| a - b)
        .collect();
    (d.iter().map(|v| v * v).sum::<f64>().sqrt(), d)
}

fn point(t: &Trajectory, k: usize) -> [f64; 2] {
    let p = t.params_at(k);
    [p[0], p[1]]
}

/// The validation losses of a polynomial-task run, step by step.
fn val_losses(r: &Runs, card: usize) -> Vec<f64> {
    let spec = r.scene.task_spec().expect("a task");
    let task = task::build(&spec).unwrap();
    task::metrics(task.as_ref(), &r.cards[card]).expect("the task has a validation loss")
}

fn near(p: [f64; 2], q: [f64; 2], tol: f64) -> bool {
    (p[0] - q[0]).abs() < tol && (p[1] - q[1]).abs() < tol
}

/// The claim of lesson `id`, checked on its runs.
fn check(id: &str, r: &Runs) {
    let c = &r.cards;
    match id {
        "learning-rate" => {
            let [small, right, large, divergent] = [&c[0], &c[1], &c[2], &c[3]];
            assert!(!diverged(small) && !diverged(right) && !diverged(large));
            assert!(diverged(divergent), "η = 0.25 > 2/10 must diverge");
            assert!(last(small) > 0.1, "η = 0.01 still crawls: {}", last(small));
            assert!(last(right) < 1e-6 && last(right) < last(large) / 100.0);
            // Too large: y changes sign at every one of the first steps (the zig-zag).
            assert!((1..10).all(|k| large.params_at(k)[1] * large.params_at(k - 1)[1] < 0.0));
        }
        "ill-conditioning" => {
            let (sgd, momentum) = (&c[0], &c[1]);
            assert!((1..20).all(|k| sgd.params_at(k)[1] * sgd.params_at(k - 1)[1] < 0.0));
            assert!(
                last(momentum) * 5.0 < last(sgd),
                "{} vs {}",
                last(momentum),
                last(sgd)
            );
        }
        "nesterov" => {
            let (momentum, nesterov) = (&c[0], &c[1]);
            assert!(
                last(nesterov) * 100.0 < last(momentum),
                "{} vs {}",
                last(nesterov),
                last(momentum)
            );
            // And Nesterov is the first to diverge when both rates go up (the question).
            let mut faster = r.scene.clone();
            for o in &mut faster.optimizers {
                o.settings.retain(|(k, _)| k != "lr");
                o.settings.push(("lr".into(), 0.03));
            }
            let f = runs_of(faster);
            assert!(!diverged(&f.cards[0]) && diverged(&f.cards[1]));
        }
        "saddle" => {
            let (sgd, adam) = (&c[0], &c[1]);
            let (ys, ya) = (sgd.params_at(100)[1].abs(), adam.params_at(100)[1].abs());
            assert!(ya > 5.0 * ys, "Adam's |y| {ya} vs SGD's {ys}");
            assert!(last(adam) < 0.0 && last(sgd) > 0.0);
            // SGD's distance from the ridge grows by 1 + 2η per step (f_yy = −2).
            let ratio = sgd.params_at(2)[1] / sgd.params_at(1)[1];
            assert!((ratio - 1.02).abs() < 1e-12, "{ratio}");
        }
        "rosenbrock" => {
            let (sgd, momentum, newton) = (&c[0], &c[1], &c[2]);
            assert!(
                sgd.losses[10] < 5.0 && sgd.losses[0] > 20.0,
                "into the valley fast"
            );
            assert!(last(sgd) > 0.1, "then crawls: {}", last(sgd));
            assert!(last(momentum) < 1e-4, "{}", last(momentum));
            assert!(newton.losses[10] < 1e-12 && near(point(newton, 10), [1.0, 1.0], 1e-9));
        }
        "adagrad-rmsprop" => {
            let (adagrad, rmsprop) = (&c[0], &c[1]);
            assert!(step(adagrad, 1000).0 < step(adagrad, 200).0 / 2.0);
            assert!(step(rmsprop, 1000).0 > step(rmsprop, 200).0);
            assert!(last(rmsprop) < last(adagrad));
            assert!(r.scene.vectors, "the cards show the effective rates");
        }
        "adam-first-steps" => {
            let (adam, sgd) = (&c[0], &c[1]);
            let (_, d) = step(adam, 1);
            assert!(d.iter().all(|v| (v.abs() - 0.1).abs() < 1e-6), "{d:?}");
            let (_, g) = step(sgd, 1);
            assert!((g[1] / g[0] - 5.0).abs() < 1e-9, "{g:?}");
            // Without the correction: η(1 − β₁)/√(1 − β₂) ≈ 3.16η per coordinate.
            let (_, n) = step(&c[2], 1);
            let want = 0.1 * 0.1 / 0.001f64.sqrt();
            assert!(n.iter().all(|v| (v.abs() - want).abs() < 1e-6), "{n:?}");
        }
        "himmelblau" => {
            let (sgd, momentum) = (&c[0], &c[1]);
            let (ps, pm) = (point(sgd, 300), point(momentum, 300));
            assert!(near(ps, [3.584428, -1.848127], 1e-3), "{ps:?}");
            assert!(near(pm, [3.0, 2.0], 1e-3), "{pm:?}");
            assert!(last(sgd) < 1e-6 && last(momentum) < 1e-6);
        }
        "rastrigin" => {
            for t in c {
                assert!(
                    last(t) > 1.0,
                    "no card reaches the global minimum: {}",
                    last(t)
                );
            }
            for t in &c[..2] {
                let p = point(t, 1000);
                assert!(
                    near(p, [-1.99, 1.99], 0.01) && (last(t) - 7.96).abs() < 0.01,
                    "{p:?}"
                );
            }
            assert!(last(&c[2]) > last(&c[0]));
        }
        "schedules" => {
            let t = &c[0];
            assert!(mean(t, 50, 100) > 30.0 * mean(t, 250, 300));
            let mut constant = r.scene.clone();
            constant.schedule = Schedule::default();
            let k = runs_of(constant);
            assert!(mean(&k.cards[0], 250, 300) > 10.0 * mean(t, 250, 300));
        }
        "gradient-noise" => {
            let (fast, slow) = (&c[0], &c[1]);
            assert!(
                mean(fast, 5, 20) < mean(slow, 5, 20),
                "the larger rate gets near first"
            );
            assert!(mean(slow, 200, 300) * 10.0 < mean(fast, 200, 300));
            assert!((mean(fast, 200, 300) - 0.3).abs() < 0.1);
        }
        "batch-size" => {
            let (one, ten, full) = (&c[0], &c[1], &c[2]);
            let spec = r.scene.task_spec().unwrap();
            let task = task::build(&spec).unwrap();
            let best = task.value(task.optimum().unwrap());
            assert!(
                (last(full) - best) / best < 1e-2,
                "full batch reaches the fit: {} vs {best}",
                last(full)
            );
            assert!(last(one) > last(full) && last(ten) >= last(full));
            assert!(
                ten.losses.windows(2).any(|w| w[1] > w[0]),
                "batch 10 wobbles"
            );
            // The full batch never goes up; batch 1 does, often.
            assert!(full.losses.windows(2).all(|w| w[1] <= w[0] + 1e-15));
            let rises = one.losses.windows(2).filter(|w| w[1] > w[0]).count();
            assert!(rises > 50, "batch 1 jitters: {rises} rises");
        }
        "over-fitting" => {
            let t = &c[0];
            let val = val_losses(r, 0);
            let lowest = val.iter().cloned().fold(f64::INFINITY, f64::min);
            let at = val.iter().position(|v| *v == lowest).unwrap();
            assert!(at < 1000, "lowest early: step {at}");
            assert!(val[3000] > 10.0 * lowest, "{} vs {lowest}", val[3000]);
            assert!(
                t.losses[3000] < t.losses[300],
                "the training loss still falls"
            );
        }
        "l2" => {
            let val = val_losses(r, 0);
            assert!(val[3000] < 0.05, "{}", val[3000]);
            let mut plain = r.scene.clone();
            plain.l2 = None;
            let p = runs_of(plain);
            let plain_val = val_losses(&p, 0);
            assert!(plain_val[3000] > 1.0 && val[3000] * 10.0 < plain_val[3000]);
            let (with, without) = (last(&c[0]), last(&p.cards[0]));
            assert!(
                with > without && (with - 0.0083).abs() < 1e-4 && (without - 0.0063).abs() < 1e-4
            );
        }
        "seed-article-adam" => {
            let (adam, momentum) = (&c[0], &c[1]);
            let (_, d) = step(adam, 1);
            assert!(d.iter().all(|v| (v.abs() - 0.01).abs() < 1e-9), "{d:?}");
            let (_, m) = step(momentum, 1);
            // The averaged momentum's first step is η·g: the gradient at w = b = 0.
            let g = momentum.gradient_at(0);
            assert!(
                m.iter().zip(g).all(|(s, g)| (s + 0.01 * g).abs() < 1e-12),
                "{m:?} {g:?}"
            );
            assert!((m[0].abs() - 0.024).abs() < 5e-4 && (m[1].abs() - 0.034).abs() < 5e-4);
            // The article's data: n = 100, y = 3x + noise; both fits head for w ≈ 3.
            assert_eq!(r.scene.n, Some(100));
            assert!(adam.params_at(1000)[0] > 2.0 && momentum.params_at(1000)[0] > 2.0);
        }
        other => panic!("lesson '{other}' has no check: add one"),
    }
}

#[test]
fn every_lesson_loads_and_shows_what_its_text_claims() {
    assert!(LESSONS.len() >= 12);
    for lesson in LESSONS {
        check(lesson.id, &load(lesson.hash));
    }
}

#[test]
fn lessons_have_unique_ids_and_every_text_in_both_languages() {
    for (i, l) in LESSONS.iter().enumerate() {
        assert!(LESSONS[..i].iter().all(|m| m.id != l.id), "{} twice", l.id);
        assert!(!l.hash.starts_with('#'));
        for m in [l.title, l.text, l.ask] {
            assert!(tr(Lang::Zh, m) != tr(Lang::En, m), "{}: {m:?}", l.id);
        }
    }
}
