#![cfg(not(target_arch = "wasm32"))]
//! Divergence sweep: every optimizer on every surface at learning rates from 1e-6 to 1e3, plain,
//! with noise and a cosine schedule, and with state recording. Whatever happens numerically, a
//! run must end cleanly: finished with finite values, or diverged with a reason and only finite
//! values reported, never a panic and never a NaN on the page.

use gradscape::engine::noise::NoiseConfig;
use gradscape::engine::optim;
use gradscape::engine::run::{self, RunConfig, Status, Trajectory};
use gradscape::engine::schedule::Schedule;
use gradscape::engine::surface::{self, Surface, SurfaceSpec};
use std::panic::{self, AssertUnwindSafe};

const STEPS: usize = 500;
const LRS: [f64; 5] = [1e-6, 1e-3, 1.0, 10.0, 1e3];
/// Custom expressions: smooth, periodic, a log pole at x = 0 and a pole on both axes.
const EXPRS: [&str; 4] = ["x^2+y^2", "sin(x)*cos(y)", "ln(x)+y^2", "1/(x*y)"];

/// Every built-in surface with default parameters, then `custom` with each of [`EXPRS`].
fn specs() -> Vec<SurfaceSpec> {
    let builtin = surface::CATALOG
        .iter()
        .filter(|k| k.id != "custom")
        .map(|k| SurfaceSpec {
            id: k.id.to_string(),
            ..SurfaceSpec::default()
        });
    let custom = EXPRS.iter().map(|e| SurfaceSpec {
        id: "custom".to_string(),
        params: Vec::new(),
        expr: Some(e.to_string()),
    });
    builtin.chain(custom).collect()
}

fn name(spec: &SurfaceSpec) -> String {
    match &spec.expr {
        Some(e) => format!("custom({e})"),
        None => spec.id.clone(),
    }
}

/// How one sweep variant changes the plain config.
#[derive(Clone, Copy, Debug)]
enum Variant {
    Plain,
    /// σ = 1 gradient noise and a cosine schedule over the run.
    NoisyCosine,
    RecordState,
    /// A rate that grows tenfold per update, overflowing to +∞ within the run.
    ExplodingSchedule,
    /// Noise so large that the noisy gradient can overflow while the true one is finite.
    HugeNoise,
}

const VARIANTS: [Variant; 5] = [
    Variant::Plain,
    Variant::NoisyCosine,
    Variant::RecordState,
    Variant::ExplodingSchedule,
    Variant::HugeNoise,
];

fn config(optimizer: &str, start: [f64; 2], lr: f64, variant: Variant) -> RunConfig {
    let mut c = RunConfig::new(optimizer, start, STEPS);
    c.settings.push(("lr".to_string(), lr));
    match variant {
        Variant::Plain => {}
        Variant::NoisyCosine => {
            c.noise = NoiseConfig {
                sigma: 1.0,
                seed: 7,
            };
            c.schedule = Schedule::parse("cosine(t_max=500,eta_min=0)").unwrap();
        }
        Variant::RecordState => c.record_state = true,
        Variant::ExplodingSchedule => {
            c.schedule = Schedule::parse("exponential(gamma=10)").unwrap();
        }
        Variant::HugeNoise => {
            c.noise = NoiseConfig {
                sigma: 1e308,
                seed: 3,
            };
        }
    }
    c
}

/// The first NaN or infinity among `values`, by index.
fn first_bad<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<(usize, f64)> {
    values
        .into_iter()
        .copied()
        .enumerate()
        .find(|(_, v)| !v.is_finite())
}

/// Checks the trajectory contract: lengths agree, every reported value is finite, and the
/// status matches how far the path got.
fn check(t: &Trajectory, c: &RunConfig) -> Result<(), String> {
    let n = t.points.len();
    if n == 0 || t.losses.len() != n || t.grad_norms.len() != n {
        return Err(format!(
            "lengths: {n} points, {} losses, {} grad norms",
            t.losses.len(),
            t.grad_norms.len()
        ));
    }
    if t.grads.len() != n - 1 || t.lrs.len() != n - 1 {
        return Err(format!(
            "{n} points but {} grads and {} lrs",
            t.grads.len(),
            t.lrs.len()
        ));
    }
    let flat = |v: &[[f64; 2]]| v.iter().flatten().copied().collect::<Vec<f64>>();
    let fields: [(&str, Vec<f64>); 5] = [
        ("points", flat(&t.points)),
        ("losses", t.losses.clone()),
        ("grad_norms", t.grad_norms.clone()),
        ("grads", flat(&t.grads)),
        ("lrs", t.lrs.clone()),
    ];
    for (field, values) in &fields {
        if let Some((i, v)) = first_bad(values) {
            return Err(format!("{field}[{i}] = {v}"));
        }
    }
    if c.record_state {
        if t.states.len() != n || t.carried.len() != n {
            return Err(format!(
                "{n} points but {} states and {} carried",
                t.states.len(),
                t.carried.len()
            ));
        }
        // Buffers may legitimately saturate to +∞ (g² overflowing), but a NaN is a bug.
        for (k, state) in t.states.iter().enumerate() {
            for (buffer, values) in state {
                if let Some(v) = values.iter().find(|v| v.is_nan()) {
                    return Err(format!("states[{k}].{buffer} holds {v}"));
                }
            }
        }
        for (k, carried) in t.carried.iter().enumerate() {
            let arrows = carried.direction.iter().chain(&carried.effective_lr);
            if arrows.flatten().any(|v| v.is_nan()) {
                return Err(format!("carried[{k}] = {carried:?}"));
            }
        }
    }
    match &t.status {
        Status::Finished if n == c.steps + 1 => Ok(()),
        Status::Converged { step } if *step == n - 1 => Ok(()),
        Status::Diverged { step, reason } if *step == n && *step <= c.steps => {
            if reason.trim().is_empty() {
                Err("diverged without a reason".to_string())
            } else {
                Ok(())
            }
        }
        s => Err(format!("status {s:?} with {n} points of {}", c.steps)),
    }
}

/// Runs `f`, turning a panic into an error that carries its message.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(format!("panicked: {msg}"))
    })
}

fn build(spec: &SurfaceSpec) -> Box<dyn Surface> {
    surface::build(spec).unwrap_or_else(|e| panic!("{}: {e}", name(spec)))
}

#[derive(Default)]
struct Tally {
    runs: usize,
    finished: usize,
    converged: usize,
    diverged: usize,
    failures: Vec<String>,
}

#[test]
fn every_optimizer_surface_and_rate_ends_cleanly() {
    let mut tally = Tally::default();
    for spec in specs() {
        let surf = build(&spec);
        let start = surf.info().default_start;
        for opt in optim::CATALOG {
            for lr in LRS {
                for variant in VARIANTS {
                    let c = config(opt.id, start, lr, variant);
                    let case = format!("{} on {} lr={lr} {variant:?}", opt.id, name(&spec));
                    tally.runs += 1;
                    let outcome = guarded(|| {
                        let t = run::run(&*surf, &c)?;
                        check(&t, &c)?;
                        Ok(t.status)
                    });
                    match outcome {
                        Ok(Status::Finished) => tally.finished += 1,
                        Ok(Status::Converged { .. }) => tally.converged += 1,
                        Ok(Status::Diverged { .. }) => tally.diverged += 1,
                        Err(e) => tally.failures.push(format!("{case}: {e}")),
                    }
                }
            }
        }
    }
    println!(
        "sweep: {} runs, {} finished, {} converged, {} diverged, {} failed",
        tally.runs,
        tally.finished,
        tally.converged,
        tally.diverged,
        tally.failures.len()
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {} runs failed:\n{}",
        tally.failures.len(),
        tally.runs,
        tally.failures.join("\n")
    );
}

#[test]
fn a_start_where_the_loss_is_not_finite_is_a_clear_error() {
    for (expr, start) in [("ln(x)+y^2", [-1.0, 0.0]), ("1/(x*y)", [0.0, 1.0])] {
        let spec = SurfaceSpec {
            id: "custom".to_string(),
            params: Vec::new(),
            expr: Some(expr.to_string()),
        };
        let surf = build(&spec);
        for opt in optim::CATALOG {
            let e = run::run(&*surf, &config(opt.id, start, 0.1, Variant::Plain)).unwrap_err();
            assert!(e.contains("valid starts"), "{expr} {}: {e}", opt.id);
        }
    }
}

/// A rate from suggest_lr's grid (1, 2, 5 × 10ᵏ, 1e-5…10) whose run neither diverges nor
/// leaves the view plus a quarter span: `None` from suggest_lr promises there is none.
fn in_view_rate(surf: &dyn Surface, plain: &RunConfig) -> Option<f64> {
    let [x0, x1, y0, y1] = surf.info().view;
    let (mx, my) = ((x1 - x0) * 0.25, (y1 - y0) * 0.25);
    let grid = (-5..=1).flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)));
    grid.filter(|lr| *lr <= 10.0).find(|&lr| {
        let c = config(
            &plain.optimizer,
            [plain.start[0], plain.start[1]],
            lr,
            Variant::Plain,
        );
        run::run(surf, &c).is_ok_and(|t| {
            !matches!(t.status, Status::Diverged { .. })
                && t.points.iter().all(|p| {
                    p[0] >= x0 - mx && p[0] <= x1 + mx && p[1] >= y0 - my && p[1] <= y1 + my
                })
        })
    })
}

#[test]
fn suggested_rates_do_not_diverge() {
    let (mut suggested, mut none) = (0, Vec::new());
    let mut failures = Vec::new();
    for spec in specs() {
        let surf = build(&spec);
        let start = surf.info().default_start;
        for opt in optim::CATALOG {
            let case = format!("{} on {}", opt.id, name(&spec));
            let plain = RunConfig::new(opt.id, start, STEPS);
            let outcome = guarded(|| {
                let Some(lr) = run::suggest_lr(&*surf, &plain) else {
                    return Ok(None);
                };
                let c = config(opt.id, start, lr, Variant::Plain);
                let t = run::run(&*surf, &c)?;
                check(&t, &c)?;
                match t.status {
                    Status::Diverged { step, reason } => {
                        Err(format!("lr={lr} diverged at {step}: {reason}"))
                    }
                    _ => Ok(Some(lr)),
                }
            });
            match outcome {
                Ok(Some(_)) => suggested += 1,
                Ok(None) => {
                    if let Some(lr) = in_view_rate(&*surf, &plain) {
                        failures.push(format!("{case}: None, but lr={lr} stays in view"));
                    }
                    none.push(case);
                }
                Err(e) => failures.push(format!("{case}: {e}")),
            }
        }
    }
    println!(
        "suggest_lr: {suggested} suggestions ran without diverging; none for {}: {}",
        none.len(),
        none.join(", ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every hyperparameter at the ends of its valid range, one at a time, from the default start
/// and from a global minimum (a zero gradient, where 0/0 lurks in adaptive denominators).
#[test]
fn hyperparameters_at_their_limits_end_cleanly() {
    let (mut runs, mut failures) = (0, Vec::new());
    for spec in specs() {
        let surf = build(&spec);
        let info = surf.info();
        let starts = std::iter::once(info.default_start).chain(info.minima.first().copied());
        for start in starts {
            for opt in optim::CATALOG {
                for h in opt.schema.iter().filter(|h| h.key != "lr") {
                    for value in [h.min, h.max] {
                        for lr in [1e-3, 1.0, 1e3] {
                            let mut c = config(opt.id, start, lr, Variant::RecordState);
                            c.settings.push((h.key.to_string(), value));
                            runs += 1;
                            let outcome = guarded(|| check(&run::run(&*surf, &c)?, &c));
                            if let Err(e) = outcome {
                                failures.push(format!(
                                    "{} {}={value} lr={lr} on {} from {start:?}: {e}",
                                    opt.id,
                                    h.key,
                                    name(&spec)
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    println!("limits: {runs} runs, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Regression: σ = 1e308 noise overflowed Lion's gradient to ±∞ while its sign step kept the
/// point finite, so the trajectory reported an infinite gradient instead of diverging.
#[test]
fn overflowing_noise_is_divergence_not_an_infinite_gradient() {
    let surf = build(&SurfaceSpec {
        id: "booth".to_string(),
        ..SurfaceSpec::default()
    });
    let c = config("lion", [0.0, 0.0], 1e-3, Variant::HugeNoise);
    let t = run::run(&*surf, &c).unwrap();
    check(&t, &c).unwrap();
    match t.status {
        Status::Diverged { reason, .. } => assert!(reason.contains("noisy gradient"), "{reason}"),
        s => panic!("{s:?}"),
    }
}
