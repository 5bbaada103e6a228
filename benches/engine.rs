//! Engine throughput: steps per second of every catalogued optimizer on Rosenbrock (2,000
//! steps each, and 100,000-step runs of three), the page's whole scene (10 optimizers × 2,000
//! steps) on one shared surface, and the heat-map layer's engine work (sample a 256² grid,
//! paint 512², 14 contour levels), and issue 13's sweeps.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gradscape::engine::field::{ColourScale, Field};
use gradscape::engine::optim::{build, CATALOG};
use gradscape::engine::run::{run, run_all, RunConfig};
use gradscape::engine::scene::Task;
use gradscape::engine::surface::{self, Surface, SurfaceSpec};
use gradscape::engine::sweep::{Axis, Method, Search, Sweep};
use gradscape::engine::task::{self, TaskSpec};
use std::hint::black_box;
use std::time::Duration;

const STEPS: usize = 2000;
const START: [f64; 2] = [-1.2, 1.0];

fn rosenbrock() -> Box<dyn Surface> {
    surface::build(&SurfaceSpec {
        id: "rosenbrock".into(),
        ..Default::default()
    })
    .expect("rosenbrock is catalogued")
}

/// Steps a run actually took: a run that diverges stops early, and throughput should count
/// only the steps it did.
fn steps_taken(s: &dyn Surface, c: &RunConfig) -> u64 {
    run(s, c).expect("catalogue defaults are valid").last_step() as u64
}

fn per_optimizer(c: &mut Criterion) {
    let s = rosenbrock();
    let mut group = c.benchmark_group("rosenbrock_2000_steps");
    for kind in CATALOG {
        let config = RunConfig::new(kind.id, START, STEPS);
        group.throughput(Throughput::Elements(steps_taken(&*s, &config)));
        group.bench_function(kind.id, |b| b.iter(|| run(&*s, black_box(&config))));
    }
    group.finish();
}

/// The optimizer's update alone (the gradient given): what "an Adam step is about 40 flops"
/// refers to, without the surface's dual-number evaluation or the trajectory's bookkeeping.
fn update_only(c: &mut Criterion) {
    let mut group = c.benchmark_group("update_only_2000_steps");
    group.throughput(Throughput::Elements(STEPS as u64));
    for kind in CATALOG {
        let hessian = [2.0, 0.5, 0.5, 1.0];
        group.bench_function(kind.id, |b| {
            b.iter(|| {
                let mut opt = build(kind.id, &[], 2).expect("catalogue defaults are valid");
                let mut p = START;
                for k in 0..STEPS {
                    let g = [1.0 + (k & 7) as f64 * 0.1, -0.5];
                    opt.step(&mut p, black_box(&g), 1e-3, Some(&hessian));
                }
                p
            })
        });
    }
    group.finish();
}

/// One run at the page's step limit: what a 100,000-step scene costs per optimizer, the
/// trajectory's allocation and growth included.
fn long_run(c: &mut Criterion) {
    let s = rosenbrock();
    let mut group = c.benchmark_group("rosenbrock_100000_steps");
    for id in ["sgd", "adam", "newton"] {
        let config = RunConfig::new(id, START, 100_000);
        group.throughput(Throughput::Elements(steps_taken(&*s, &config)));
        group.bench_function(id, |b| b.iter(|| run(&*s, black_box(&config))));
    }
    group.finish();
}

fn scene(c: &mut Criterion) {
    let s = rosenbrock();
    let configs: Vec<RunConfig> = CATALOG
        .iter()
        .cycle()
        .take(10)
        .map(|k| RunConfig::new(k.id, START, STEPS))
        .collect();
    let total: u64 = configs.iter().map(|c| steps_taken(&*s, c)).sum();
    let mut group = c.benchmark_group("scene");
    group.throughput(Throughput::Elements(total));
    group.bench_function("10_optimizers_x_2000_steps", |b| {
        b.iter(|| run_all(&*s, black_box(&configs)))
    });
    group.finish();
}

/// What the page computes when a surface's heat-map is not cached, for a 512² plotting area:
/// the native side of the browser's `gradscape:heatmap` measure (which adds wasm's overhead).
fn heatmap(c: &mut Criterion) {
    let colours = [[0, 0, 0, 255]; 256];
    let mut group = c.benchmark_group("heatmap_512");
    for id in ["rosenbrock", "rastrigin", "himmelblau"] {
        let s = surface::build(&SurfaceSpec {
            id: id.into(),
            ..Default::default()
        })
        .expect("catalogued");
        let scale = if s.info().log_scale {
            ColourScale::Log
        } else {
            ColourScale::Linear
        };
        group.bench_function(id, |b| {
            b.iter(|| {
                let field = Field::sample(&*s, s.info().view, 256, 256, scale);
                let rgba = field.paint(512, 512, &colours, [250, 250, 250, 255]);
                (rgba, field.contours(&field.levels(14)))
            })
        });
    }
    group.finish();
}

/// Issue 13's figures: a 64 × 64 grid × 500 steps of Adam on Rosenbrock (2 M steps) on every
/// core, and Hyperband with R = 81, η = 3 over (lr, β₁) on logistic regression (1,000 points,
/// full batch).
fn sweep(c: &mut Criterion) {
    let s = rosenbrock();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let grid = Sweep::new(
        RunConfig::new("adam", START, 500),
        Axis::parse("lr=1e-4:1:log:64", 64).expect("valid axis"),
        Axis::parse("beta1=0:0.99:lin:64", 64).expect("valid axis"),
        Some(1e-3),
    )
    .expect("valid sweep");
    let mut group = c.benchmark_group("sweep");
    group.throughput(Throughput::Elements(64 * 64 * 500));
    group.bench_function("grid_64x64x500_adam_rosenbrock", |b| {
        b.iter(|| {
            let mut search = Search::new(grid.clone(), Method::Grid, 0).expect("valid search");
            search.run_parallel(&*s, threads).expect("runs");
            search
        })
    });
    let mut spec = TaskSpec::new(Task::Logistic, 0);
    spec.settings.push(("n".into(), 1000.0));
    let t = task::build(&spec).expect("logistic builds");
    let band = Sweep::new(
        RunConfig::new("adam", t.start(), 81),
        Axis::parse("lr=1e-4:1:log", 16).expect("valid axis"),
        Axis::parse("beta1=0:0.99:lin", 16).expect("valid axis"),
        None,
    )
    .expect("valid sweep");
    let method = Method::Hyperband {
        max_steps: 81,
        eta: 3.0,
    };
    let mut plan = Search::new(band.clone(), method, 1).expect("valid search");
    plan.run_parallel(t.as_problem(), threads).expect("runs");
    group.throughput(Throughput::Elements(plan.spent() as u64));
    group.bench_function("hyperband_81_3_logistic_1000", |b| {
        b.iter(|| {
            let mut search = Search::new(band.clone(), method, 1).expect("valid search");
            search.run_parallel(t.as_problem(), threads).expect("runs");
            search
        })
    });
    group.finish();
}

fn quick() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = quick();
    targets = per_optimizer, update_only, long_run, scene, heatmap, sweep
}
criterion_main!(benches);
