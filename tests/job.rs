#![cfg(not(target_arch = "wasm32"))]
//! Jobs for the page's Web Worker: a card's job reruns the card exactly (bit for bit), its key
//! ignores what does not change a run, and trajectories survive their flat form bit for bit.

use gradscape::engine::job::{from_flat, job, to_flat, Runner};
use gradscape::engine::run::{run, Status, Trajectory};
use gradscape::engine::scene::{OptimizerEntry, Scene, Theme};
use gradscape::engine::task;
use gradscape::engine::url;

fn scene(hash: &str) -> Scene {
    let d = url::decode("", hash);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    d.scene
}

/// Every float's bits, so that -0.0 ≠ 0.0 and NaN = NaN.
fn bits(t: &Trajectory) -> Vec<u64> {
    let mut all: Vec<f64> = t.params.clone();
    all.extend(t.points.iter().flatten());
    all.extend(&t.losses);
    all.extend(&t.grad_norms);
    all.extend(&t.gradients);
    all.extend(t.grads.iter().flatten());
    all.extend(&t.lrs);
    all.iter().map(|v| v.to_bits()).collect()
}

fn same(a: &Trajectory, b: &Trajectory) {
    assert_eq!(bits(a), bits(b));
    assert_eq!(a, b);
}

/// The scene's own runs, as the page makes them (every setting spelled out, the task's start).
fn direct(s: &Scene) -> Vec<Trajectory> {
    let t = task::build(&s.task_spec().unwrap()).unwrap();
    let mut configs = s.run_configs(&t.start());
    for (c, o) in configs.iter_mut().zip(&s.optimizers) {
        c.settings = o.values().unwrap();
    }
    configs
        .iter()
        .map(|c| run(t.as_problem(), c).unwrap())
        .collect()
}

const LOGISTIC: &str = "#task=logistic&n=200&steps=300&opt=sgd(lr=0.1),adam(lr=0.05),\
                        newton(lr=1),sgd(lr=0.5,batch=10),rmsprop(lr=10)";

#[test]
fn a_job_reruns_its_card_bit_for_bit() {
    for hash in [
        LOGISTIC,
        "#task=logistic&dataset=moons&n=150&seed=9&noise=0.3&sched=cosine(t_max=200)&steps=200\
         &start=0.5,-1,0.25&opt=nadam(lr=0.02),nesterov(lr=0.05,momentum=0.8)",
        "#task=polynomial&degree=12&l2=0.001&n=60&steps=400&batch=5&opt=adam(lr=0.01)",
        "#task=linear&data=0.1,1;0.5,2.2;0.9,2.5&steps=100&opt=sgd(lr=0.3)",
    ] {
        let s = scene(hash);
        let mut runner = Runner::default();
        for (i, want) in direct(&s).iter().enumerate() {
            let got = runner.run(&job(&s, i).unwrap()).unwrap();
            same(&got, want);
        }
    }
}

#[test]
fn trajectories_survive_their_flat_form() {
    let mut runs = direct(&scene(LOGISTIC));
    // Every kind of note and status, whatever the runs above produced.
    runs[0].notes = vec![
        (3, gradscape::engine::optim::NOTES[0]),
        (7, gradscape::engine::optim::NOTES[1]),
    ];
    runs[1].status = Status::Converged { step: 299 };
    runs[2].status = Status::Diverged {
        step: 12,
        reason: "the loss became inf".into(),
    };
    for t in &runs {
        let (floats, reason) = to_flat(t);
        same(&from_flat(&floats, &reason).unwrap(), t);
        // Anything cut or padded is refused, never misread.
        assert!(from_flat(&floats[..floats.len() - 1], &reason).is_err());
        let mut longer = floats.clone();
        longer.push(0.0);
        assert!(from_flat(&longer, &reason).is_err());
        assert!(from_flat(&[], "").is_err());
        let mut odd = floats.clone();
        odd[0] = 0.5;
        assert!(from_flat(&odd, &reason).is_err());
    }
}

#[test]
fn a_job_key_changes_with_the_run_only() {
    let s = scene(LOGISTIC);
    let key = job(&s, 1).unwrap();
    let mut shown = s.clone();
    shown.t = Some(10);
    shown.theme = Some(Theme::Dark);
    shown.view = Some([-1.0, 1.0, -1.0, 1.0]);
    shown.vectors = true;
    shown.optimizers[1].hidden = true;
    shown.optimizers.remove(0);
    assert_eq!(job(&shown, 0).unwrap(), key);
    let mut faster = s.clone();
    faster.optimizers[1] = OptimizerEntry::new("adam", &[("lr", 0.06)]);
    assert_ne!(job(&faster, 1).unwrap(), key);
    assert!(job(&s, 9).is_none());
    assert!(job(&Scene::default(), 0).is_none());
    // A runner caches its task, and a new task is built when the job's changes.
    let mut runner = Runner::default();
    let a = runner.run(&key).unwrap();
    let mut other = s.clone();
    other.seed = 5;
    let b = runner.run(&job(&other, 1).unwrap()).unwrap();
    assert_ne!(a.losses, b.losses);
    same(&runner.run(&key).unwrap(), &a);
    assert!(runner.run("task=nonsense").is_err());
}
