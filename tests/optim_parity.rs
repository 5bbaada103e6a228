//! Parity of every optimizer with reference trajectories (optax / Keras 3 in float64, with
//! hyperparameters where their rules equal PyTorch's), plus hand-computed steps.

use gradscape::engine::optim::{self, Optimizer};
use gradscape::engine::surface::{self, SurfaceSpec};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Case {
    surface: String,
    optimizer: String,
    hyper: BTreeMap<String, f64>,
    start: [f64; 2],
    steps: usize,
    lib: String,
    note: String,
    trajectory: Vec<[f64; 2]>,
    loss: Vec<f64>,
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-7 + 1e-6 * want.abs()
}

#[test]
fn every_reference_trajectory_matches() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/optimizer_trajectories.json"
    ))
    .unwrap();
    let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 13);
    let mut failures = Vec::new();
    for case in &cases {
        let note = if case.note.is_empty() {
            String::new()
        } else {
            format!("; {}", case.note)
        };
        let name = format!(
            "{} on {} {:?} ({}{note})",
            case.optimizer, case.surface, case.hyper, case.lib
        );
        assert_eq!(case.trajectory.len(), case.steps + 1, "{name}");
        let settings: Vec<(String, f64)> =
            case.hyper.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let lr = optim::hyper(&case.optimizer, &settings).unwrap().get("lr");
        let mut opt = optim::build(&case.optimizer, &settings, 2).unwrap();
        let s = surface::build(&SurfaceSpec {
            id: case.surface.clone(),
            ..Default::default()
        })
        .unwrap();
        let mut p = case.start;
        let mut worst = 0.0f64;
        for k in 0..=case.steps {
            let (loss, g, h) = if opt.needs_hessian() {
                let (v, g, h) = s.value_grad_hessian(p);
                (v, g, Some([h[0][0], h[0][1], h[1][0], h[1][1]]))
            } else {
                let (v, g) = s.value_grad(p);
                (v, g, None)
            };
            let want = case.trajectory[k];
            worst = worst.max((p[0] - want[0]).abs().max((p[1] - want[1]).abs()));
            if !(close(p[0], want[0]) && close(p[1], want[1]) && close(loss, case.loss[k])) {
                failures.push(format!(
                    "{name}: step {k}: got {p:?} (loss {loss}), want {want:?} (loss {})",
                    case.loss[k]
                ));
                break;
            }
            if k < case.steps {
                opt.step(&mut p, &g, lr, h.as_ref().map(|h| &h[..]));
            }
        }
        println!("{name}: max |Δ| = {worst:e}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn run(id: &str, settings: &[(&str, f64)], p: &mut [f64], grads: &[&[f64]]) -> Box<dyn Optimizer> {
    let settings: Vec<(String, f64)> = settings.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let lr = optim::hyper(id, &settings).unwrap().get("lr");
    let mut opt = optim::build(id, &settings, p.len()).unwrap();
    for g in grads {
        assert_eq!(opt.step(p, g, lr, None), Default::default());
    }
    opt
}

fn assert_all_close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= 1e-12 * (1.0 + w.abs()),
            "got {got:?}, want {want:?}"
        );
    }
}

fn state_of(opt: &dyn Optimizer, key: &str) -> Vec<f64> {
    opt.state()
        .into_iter()
        .find(|(k, _)| *k == key)
        .unwrap_or_else(|| panic!("no state '{key}'"))
        .1
}

fn names(opt: &dyn Optimizer) -> Vec<&'static str> {
    opt.state().into_iter().map(|(k, _)| k).collect()
}

#[test]
fn momentum_seeds_the_buffer_with_the_first_gradient_then_dampens() {
    let s = [("lr", 0.1), ("momentum", 0.9), ("dampening", 0.5)];
    let mut p = [1.0];
    let opt = run("momentum", &s, &mut p, &[&[2.0], &[4.0]]);
    // b₁ = 2 (no dampening on step 1), b₂ = 0.9·2 + 0.5·4 = 3.8.
    assert_all_close(&p, &[1.0 - 0.1 * 2.0 - 0.1 * 3.8]);
    assert_all_close(opt.carried_direction().unwrap(), &[3.8]);
    assert_eq!(names(&*opt), ["momentum_buffer"]);
}

#[test]
fn momentum_zero_ignores_dampening_like_pytorch() {
    let s = [("lr", 0.1), ("momentum", 0.0), ("dampening", 0.5)];
    let mut p = [1.0];
    run("momentum", &s, &mut p, &[&[2.0], &[4.0]]);
    assert_all_close(&p, &[1.0 - 0.2 - 0.4]);
}

#[test]
fn nesterov_looks_ahead_along_the_buffer() {
    let s = [("lr", 0.1), ("momentum", 0.9), ("weight_decay", 0.5)];
    let mut p = [1.0];
    run("nesterov", &s, &mut p, &[&[2.0]]);
    // g = 2 + 0.5·1 = 2.5, b = 2.5, step = g + μb = 4.75.
    assert_all_close(&p, &[1.0 - 0.475]);
}

#[test]
fn adagrad_divides_by_the_root_of_the_sum_and_decays_the_rate() {
    let s = [
        ("lr", 0.1),
        ("lr_decay", 1.0),
        ("initial_accumulator_value", 5.0),
        ("eps", 0.0),
    ];
    let mut p = [1.0];
    let opt = run("adagrad", &s, &mut p, &[&[2.0], &[4.0]]);
    // s = 9 then 25; rates 0.1 then 0.1/2.
    assert_all_close(&p, &[1.0 - 0.1 * 2.0 / 3.0 - 0.05 * 4.0 / 5.0]);
    assert_all_close(&state_of(&*opt, "sum"), &[25.0]);
    assert_all_close(&opt.effective_lr().unwrap(), &[0.05 / 5.0]);
}

#[test]
fn centered_rmsprop_with_momentum_uses_the_running_variance() {
    let s = [
        ("lr", 0.1),
        ("alpha", 0.5),
        ("eps", 0.0),
        ("momentum", 0.5),
        ("centered", 1.0),
    ];
    let mut p = [1.0];
    let opt = run("rmsprop", &s, &mut p, &[&[2.0]]);
    // v = 2, ḡ = 1, d = √(2 − 1) = 1, b = 2.
    assert_all_close(&p, &[0.8]);
    assert_eq!(
        names(&*opt),
        ["step", "square_avg", "momentum_buffer", "grad_avg"]
    );
    assert_all_close(opt.carried_direction().unwrap(), &[2.0]);
}

#[test]
fn adadelta_scales_by_the_ratio_of_running_roots() {
    let s = [("lr", 0.5), ("rho", 0.75), ("eps", 1.0)];
    let mut p = [1.0];
    let opt = run("adadelta", &s, &mut p, &[&[2.0]]);
    // v = 0.25·4 = 1, Δ = √1/√2 · 2 = √2, u = 0.25·2 = 0.5.
    assert_all_close(&p, &[1.0 - 0.5 * 2f64.sqrt()]);
    assert_all_close(&state_of(&*opt, "acc_delta"), &[0.5]);
    assert_all_close(&opt.effective_lr().unwrap(), &[0.5 / 2f64.sqrt()]);
}

#[test]
fn adam_first_step_moves_each_coordinate_by_lr() {
    let mut p = [1.0, -1.0];
    let opt = run(
        "adam",
        &[("lr", 0.1), ("eps", 0.0)],
        &mut p,
        &[&[3.0, -0.01]],
    );
    assert_all_close(&p, &[0.9, -0.9]);
    assert_eq!(names(&*opt), ["step", "exp_avg", "exp_avg_sq"]);
    // η/(1−β₁) / (|g|·√(1−β₂)/√(1−β₂)) = 1/|g|, times m = 0.1·g gives η.
    assert_all_close(&opt.effective_lr().unwrap(), &[1.0 / 3.0, 100.0]);
}

#[test]
fn amsgrad_keeps_the_largest_second_moment() {
    let s = [("lr", 0.1), ("beta1", 0.0), ("beta2", 0.5), ("eps", 0.0)];
    let mut p = [0.0];
    let opt = run("amsgrad", &s, &mut p, &[&[4.0], &[0.0]]);
    // v: 8 then 4; v̂ stays 8; step 2 has m = 0, so only step 1 moved: 4/(√8/√0.5) = 1.
    assert_all_close(&p, &[-0.1]);
    assert_all_close(&state_of(&*opt, "max_exp_avg_sq"), &[8.0]);
    assert_all_close(&state_of(&*opt, "exp_avg_sq"), &[4.0]);
}

#[test]
fn adamw_decays_the_weights_before_the_step() {
    let s = [("lr", 0.1), ("weight_decay", 0.5), ("eps", 0.0)];
    let mut p = [2.0];
    run("adamw", &s, &mut p, &[&[1.0]]);
    assert_all_close(&p, &[2.0 * 0.95 - 0.1]);
}

#[test]
fn adamax_divides_by_the_infinity_norm() {
    let s = [("lr", 0.1), ("beta1", 0.5), ("beta2", 0.5), ("eps", 0.0)];
    let mut p = [0.0];
    let opt = run("adamax", &s, &mut p, &[&[4.0], &[1.0]]);
    // u: 4 then max(2, 1) = 2; m: 2 then 1.5; steps 0.1/0.5·2/4 and 0.1/0.75·1.5/2.
    assert_all_close(&p, &[-0.1 - 0.1]);
    assert_all_close(&state_of(&*opt, "exp_inf"), &[2.0]);
}

#[test]
fn nadam_warms_up_its_momentum() {
    let s = [("lr", 0.1), ("momentum_decay", 1.0), ("eps", 0.0)];
    let mut p = [0.0];
    let opt = run("nadam", &s, &mut p, &[&[2.0]]);
    let (mu1, mu2) = (
        0.9 * (1.0 - 0.5 * 0.96),
        0.9 * (1.0 - 0.5 * 0.96f64.powi(2)),
    );
    // d = |g|; the g term's coefficient is η exactly; m/d = 0.1.
    assert_all_close(&p, &[-0.1 - 0.1 * mu2 / (1.0 - mu1 * mu2) * 0.1]);
    assert_all_close(&state_of(&*opt, "mu_product"), &[mu1]);
}

#[test]
fn radam_takes_momentum_steps_until_rho_exceeds_five() {
    let s = [("lr", 0.1), ("beta1", 0.0)];
    let g: &[f64] = &[2.0];
    let mut p = [0.0];
    let opt = run("radam", &s, &mut p, &[g; 5]);
    // ρₜ for β₂ = 0.999 is about 1, 2, 3, 4, 5 (just under) for t = 1…5: five plain steps.
    assert_all_close(&p, &[-1.0]);
    assert_all_close(&opt.effective_lr().unwrap(), &[0.1]);
    let opt = run("radam", &s, &mut p, &[g; 6]);
    assert!(opt.effective_lr().unwrap()[0] < 0.1);
}

#[test]
fn lion_moves_by_the_sign_and_not_at_all_on_zero() {
    let s = [("lr", 0.1), ("weight_decay", 0.5)];
    let mut p = [1.0, 1.0];
    let opt = run("lion", &s, &mut p, &[&[-3.0, 0.0]]);
    assert_all_close(&p, &[1.0 + 0.1 - 0.05, 1.0 - 0.05]);
    assert_all_close(opt.carried_direction().unwrap(), &[-0.03, 0.0]);
}

#[test]
fn newton_reaches_the_quadratic_minimum_in_one_step() {
    let s = surface::build(&SurfaceSpec {
        id: "quadratic".into(),
        params: vec![("theta".into(), 30.0)],
        ..Default::default()
    })
    .unwrap();
    let mut opt = optim::build("newton", &[("damping".into(), 0.0)], 2).unwrap();
    assert!(opt.needs_hessian());
    let mut p = [3.0, 1.5];
    let (_, g, h) = s.value_grad_hessian(p);
    let note = opt.step(&mut p, &g, 1.0, Some(&[h[0][0], h[0][1], h[1][0], h[1][1]]));
    assert_eq!(note.fallback, None);
    assert!(p[0].abs() < 1e-12 && p[1].abs() < 1e-12, "{p:?}");
}

#[test]
fn newton_solves_a_three_by_three_damped_system() {
    let mut opt = optim::build("newton", &[("damping".into(), 1.0)], 3).unwrap();
    // H + I = [[4,2,0],[2,5,2],[0,2,6]]; x = (1, 1, 1) gives g = (6, 9, 8).
    let h = [3.0, 2.0, 0.0, 2.0, 4.0, 2.0, 0.0, 2.0, 5.0];
    let mut p = [1.0, 2.0, 3.0];
    let note = opt.step(&mut p, &[6.0, 9.0, 8.0], 0.5, Some(&h));
    assert_eq!(note.fallback, None);
    assert_all_close(&p, &[0.5, 1.5, 2.5]);
}

#[test]
fn newton_falls_back_to_a_gradient_step_on_a_saddle() {
    let mut opt = optim::build("newton", &[], 2).unwrap();
    let mut p = [1.0, 1.0];
    // Hessian of x² − y²: indefinite even after δ = 1e-3.
    let note = opt.step(&mut p, &[2.0, -2.0], 0.25, Some(&[2.0, 0.0, 0.0, -2.0]));
    assert!(note.fallback.unwrap().contains("not positive definite"));
    assert_all_close(&p, &[0.5, 1.5]);
    let note = opt.step(&mut p, &[1.0, -3.0], 0.25, None);
    assert!(note.fallback.unwrap().contains("no Hessian"));
}
