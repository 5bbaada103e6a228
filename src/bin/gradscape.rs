//! The `gradscape` command line: the scripting face of the engine.
//!
//! argv is parsed by hand (no clap): a flag's value is always the next argument, so
//! `--start -1.2,1` works as users type it, as does `--start=-1.2,1`.
//!
//! Exit status: 0 success; 2 bad usage (unknown subcommand, flag, id, key or value — one line
//! on stderr naming the valid choices); 3 the run diverged (the rows up to the last finite point
//! are printed, the reason goes to stderr).

use gradscape::engine::call;
use gradscape::engine::diverge;
use gradscape::engine::export;
use gradscape::engine::noise::MiniBatch;
use gradscape::engine::optim;
use gradscape::engine::param::{self, Kind, Param, Scale};
use gradscape::engine::problem::Problem;
use gradscape::engine::run::{self, RunConfig, Status, MAX_STEPS};
use gradscape::engine::scene::{DataDist, Dataset, Task};
use gradscape::engine::schedule::{self, Schedule};
use gradscape::engine::surface::{self, SurfaceSpec};
use gradscape::engine::sweep::{Axis, Evaluation, Method, Search, Sweep, METHODS};
use gradscape::engine::task::data::{self, Columns, Group};
use gradscape::engine::task::{self, LearningTask, TaskSpec};
use gradscape::engine::url;
use serde_json::{json, Value};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
gradscape — PyTorch-exact optimizers on 2-D loss surfaces and small learning tasks

USAGE:
  gradscape trace --surface ID --optimizer ID [options]
  gradscape data --task ID [task options]
  gradscape fit --task ID --optimizer ID [task options] [fit options]
  gradscape sweep (--surface ID | --task ID) --optimizer ID --x AXIS --y AXIS [options]
  gradscape list [--format text|json]
  gradscape export --scene LINK [--format csv|json|pytorch|optax]
  gradscape --help

TRACE prints one row per point (step 0 is the start, so --steps N gives N + 1 rows):
  --surface ID        a surface id (see `gradscape list`); `custom` with --expr
  --param KEY=VALUE   a surface parameter, e.g. --param kappa=10 (repeatable)
  --expr TEXT         f(x, y) for the custom surface, e.g. \"x^2+3*y^2\"
  --optimizer ID      an optimizer id (see `gradscape list`)
  --set KEY=VALUE     a hyperparameter, PyTorch names, e.g. --set lr=0.01 (repeatable)
  --start X,Y         start point (default: the surface's), e.g. --start -1.2,1
  --steps N           number of updates, 0…100000 (default 500)
  --sched CALL        learning-rate schedule, e.g. \"cosine(t_max=500,eta_min=0)\"
  --noise SIGMA       Gaussian gradient noise σ (default 0)
  --seed N            noise seed (default 0)
  --format csv|json   csv (default): step,x,y,loss; json: config and all arrays

DATA prints a task's dataset: x,y (linear), x,y,split (polynomial; split = train|val),
x1,x2,label (logistic). Task options, shared with FIT (defaults: `gradscape list`):
  --task ID           linear, polynomial or logistic
  --n N               number of generated points
  --seed N            seed of the data, the mini-batch shuffle and the gradient noise (default 0)
  --data-noise A      noise amplitude of the data
  --data-dist D       uniform (default) or gaussian label noise (linear, polynomial)
  --degree D          polynomial degree, 1…12
  --l2 L              polynomial L2 strength (in the gradient, never in the loss shown)
  --dataset D         blobs (default) or moons (logistic)
  --data FILE         your own points as CSV (x,y or x1,x2,label; optional header line)
  --format csv|json

FIT prints step,loss,<parameter names> (polynomial adds val_loss after loss, logistic
accuracy), loss being the full-data training loss; --steps N gives N + 1 rows:
  --optimizer ID, --set KEY=VALUE, --sched CALL, --noise SIGMA   as for trace
  --batch full|K      full batch (default) or seeded mini-batches of K points
  --start A,B,…       one number per parameter (default: all 0)
  --steps N           number of updates, 0…100000 (default 500)
SWEEP maps two hyperparameters of one optimizer: every evaluation is the trace (surface) or
fit (task) run with those two values, so it takes their flags (--surface, --param, --expr,
--start, --task and its flags, --set, --steps, --sched, --noise, --batch). --seed seeds the
noise, the data, the batches and the random configurations.
  --x KEY=LO:HI[:lin|log][:N]   an axis: a hyperparameter or a schedule parameter, N values
  --y KEY=LO:HI[:lin|log][:N]   (default lin, N = 16), e.g. --x lr=1e-4:1:log:16
  --method M          grid (default): every cell; random: --samples N (default 64) points;
                      halving, hyperband (Li et al. 2018): --max-steps R (default 81) and
                      --eta E (default 3) instead of --steps
  --threshold L       grid, random: add first_below, the first step whose loss is below L
  --format csv|json   grid, random: <x>,<y>,final_loss,status,steps_run (one row per cell or
                      sample); halving, hyperband: bracket,rung,config,steps,<x>,<y>,
                      final_loss,status (one row per evaluation; json adds advanced and best)

EXPORT prints every card of a page's scene, as the page's export buttons write it:
  --scene LINK        the page's link: a full URL, its '#…' hash, or '?query#hash'
  --format FORMAT     csv (default): optimizer,index,step,x,y,loss, one block per card in
                      card order (index from 0; hidden cards included); json: the link, the
                      settings and every card's id, settings, status and points; pytorch,
                      optax: a Python script that reproduces the scene and prints one line
                      per card: its id and final x y
  Keys of the link that are unknown or invalid are warnings on stderr (the rest is exported).

Values use Rust's shortest round-trip float text. Flags also take --flag=value.

EXIT STATUS: 0 ok; 2 bad usage (the message names the valid choices);
3 the run diverged (rows up to the last finite point are printed, the reason on stderr);
for export, a card diverged or could not run (the others are printed; each reason on stderr).
";

fn main() -> ExitCode {
    match utf8_args().and_then(|args| dispatch(&args)) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("gradscape: {}", one_line(&message));
            ExitCode::from(2)
        }
    }
}

/// The arguments as text: `std::env::args` would panic on a non-UTF-8 one.
fn utf8_args() -> Result<Vec<String>, String> {
    std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string().map_err(|a| {
                format!(
                    "argument '{}' is not UTF-8; valid: UTF-8 text",
                    a.to_string_lossy()
                )
            })
        })
        .collect()
}

/// Errors echo what the user typed; escaping control characters keeps the message one line.
fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn dispatch(args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        None => {
            Err("missing subcommand; valid: trace, data, fit, sweep, list, export (see --help)".into())
        }
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some("trace") => trace(&args[1..]),
        Some("data") => data_command(&args[1..]),
        Some("fit") => fit(&args[1..]),
        Some("list") => list(&args[1..]),
        Some("export") => export_scene(&args[1..]),
        Some("sweep") => sweep_command(&args[1..]),
        Some(other) => Err(format!(
            "unknown subcommand '{other}'; valid: trace, data, fit, sweep, list, export (see --help)"
        )),
    }
}

/// Splits `--name value` / `--name=value` pairs, checking names against `valid`.
/// `Ok(None)` means `--help` was asked for.
fn flags(
    command: &str,
    args: &[String],
    valid: &[&'static str],
) -> Result<Option<Vec<(&'static str, String)>>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--help" || arg == "-h" {
            return Ok(None);
        }
        let all = || {
            let all: Vec<String> = valid.iter().map(|v| format!("--{v}")).collect();
            all.join(", ")
        };
        let Some(body) = arg.strip_prefix("--") else {
            return Err(format!(
                "{command}: unexpected argument '{arg}'; valid: {} (see --help)",
                all()
            ));
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let Some(&name) = valid.iter().find(|v| **v == name) else {
            return Err(format!(
                "{command}: unknown flag '--{name}'; valid: {}",
                all()
            ));
        };
        let value = match inline {
            Some(v) => v,
            None => it.next().cloned().ok_or_else(|| {
                format!(
                    "{command}: --{name} needs a value; valid: --{name} VALUE or --{name}=VALUE"
                )
            })?,
        };
        out.push((name, value));
    }
    Ok(Some(out))
}

fn format_flag(value: &str, valid: &[&str]) -> Result<bool, String> {
    match value {
        "csv" | "text" if valid.contains(&value) => Ok(false),
        "json" => Ok(true),
        _ => Err(format!(
            "unknown --format '{value}'; valid: {}",
            valid.join(", ")
        )),
    }
}

fn number(flag: &str, text: &str) -> Result<f64, String> {
    call::parse_value(text)
        .ok_or_else(|| format!("--{flag} '{text}' is not a number; valid: a finite number"))
}

fn key_value(flag: &str, text: &str) -> Result<(String, f64), String> {
    let (k, v) = text.split_once('=').ok_or_else(|| {
        format!("--{flag} '{text}' is not KEY=VALUE; valid: e.g. --{flag} lr=0.01")
    })?;
    Ok((k.trim().to_string(), number(flag, v)?))
}

fn ids<T>(catalog: &[T], id: impl Fn(&T) -> &str) -> String {
    catalog.iter().map(id).collect::<Vec<_>>().join(", ")
}

/// Applies a flag that `trace` and `fit` share (`--optimizer`, `--set`, `--steps`, `--sched`,
/// `--noise`) to `config`; `false` for any other flag.
fn run_flag(config: &mut RunConfig, name: &str, value: &str) -> Result<bool, String> {
    match name {
        "optimizer" => config.optimizer = value.to_string(),
        "set" => config.settings.push(key_value(name, value)?),
        "steps" => {
            config.steps = value.trim().parse().map_err(|_| {
                format!("--steps '{value}' is not a whole number; valid: 0…{MAX_STEPS}")
            })?
        }
        "sched" => {
            // Syntax errors say where; `from_call` errors already list what is valid.
            let c = call::parse_call(value).map_err(|e| {
                format!("--sched '{value}': {e}; valid: ID or ID(KEY=VALUE,…), e.g. \"cosine(t_max=500)\"")
            })?;
            config.schedule = Schedule::from_call(&c)?;
        }
        "noise" => config.noise.sigma = number(name, value)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Applies a flag that describes a surface (`--surface`, `--param`, `--expr`, `--start`);
/// `false` for any other flag.
fn surface_flag(
    spec: &mut SurfaceSpec,
    start: &mut Option<[f64; 2]>,
    name: &str,
    value: &str,
) -> Result<bool, String> {
    match name {
        "surface" => spec.id = value.to_string(),
        "param" => spec.params.push(key_value(name, value)?),
        "expr" => spec.expr = Some(value.to_string()),
        "start" => {
            let xy: Vec<&str> = value.split(',').collect();
            let [x, y] = xy[..] else {
                return Err(format!(
                    "--start '{value}' is not X,Y; valid: two numbers, e.g. --start -1.2,1"
                ));
            };
            *start = Some([number(name, x)?, number(name, y)?]);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The surface the flags describe (`--expr` alone means `--surface custom`).
fn build_surface(
    command: &str,
    spec: &mut SurfaceSpec,
) -> Result<Box<dyn surface::Surface>, String> {
    if spec.id.is_empty() {
        if spec.expr.is_none() {
            return Err(format!(
                "{command}: missing --surface; valid: {}",
                ids(surface::CATALOG, |k| k.id)
            ));
        }
        spec.id = "custom".into();
    }
    if spec.id == "custom" && spec.expr.is_none() {
        return Err("--surface custom needs --expr; valid: e.g. --expr \"x^2+3*y^2\"".into());
    }
    if spec.expr.is_some() && spec.id != "custom" {
        return Err(format!(
            "--expr only applies to --surface custom, not '{}'; valid: --surface custom --expr TEXT",
            spec.id
        ));
    }
    surface::build(spec).map_err(|e| match &e {
        surface::SurfaceError::Parse { .. } => {
            format!("--expr: {e}; valid: f(x, y) such as \"x^2+3*y^2\" (see --help)")
        }
        surface::SurfaceError::Invalid(_) => e.to_string(),
    })
}

fn trace(args: &[String]) -> Result<ExitCode, String> {
    const VALID: &[&str] = &[
        "surface",
        "optimizer",
        "set",
        "param",
        "expr",
        "start",
        "steps",
        "sched",
        "noise",
        "seed",
        "format",
    ];
    let Some(flags) = flags("trace", args, VALID)? else {
        print!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let mut spec = SurfaceSpec::default();
    let mut config = RunConfig::new("", [f64::NAN; 2], 500);
    let mut start = None;
    let mut json = false;
    for (name, value) in flags {
        if run_flag(&mut config, name, &value)?
            || surface_flag(&mut spec, &mut start, name, &value)?
        {
            continue;
        }
        match name {
            "seed" => config.noise.seed = seed(&value)?,
            _ => json = format_flag(&value, &["csv", "json"])?,
        }
    }
    let surf = build_surface("trace", &mut spec)?;
    if config.optimizer.is_empty() {
        return Err(format!(
            "trace: missing --optimizer; valid: {}",
            ids(optim::CATALOG, |k| k.id)
        ));
    }
    let hyper = optim::hyper(&config.optimizer, &config.settings)?;
    config.start = start.unwrap_or(surf.info().default_start).to_vec();
    let t = run::run(&*surf, &config)?;

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if json {
        let params: serde_json::Map<String, Value> = surface::kind(&spec.id)
            .map(|k| k.schema)
            .unwrap_or(&[])
            .iter()
            .map(|p| {
                let given = spec.params.iter().rev().find(|(k, _)| k == p.key);
                (p.key.to_string(), json!(given.map_or(p.default, |g| g.1)))
            })
            .collect();
        let hyper: serde_json::Map<String, Value> = hyper
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let doc = json!({
            "surface": { "id": spec.id, "params": params, "expr": spec.expr },
            "optimizer": { "id": config.optimizer, "hyper": hyper },
            "start": config.start,
            "steps": config.steps,
            "schedule": config.schedule.to_string(),
            "noise": config.noise,
            "status": t.status,
            "points": t.points,
            "losses": t.losses,
            "grad_norms": t.grad_norms,
            "grads": t.grads,
            "lrs": t.lrs,
            "notes": t.notes,
        });
        writeln!(out, "{doc}")
    } else {
        writeln!(out, "step,x,y,loss").and_then(|()| {
            t.points
                .iter()
                .zip(&t.losses)
                .enumerate()
                .try_for_each(|(k, (p, l))| writeln!(out, "{k},{},{},{l}", p[0], p[1]))
        })
    };
    // A closed pipe (`| head`) is the reader's choice, not an error worth a message.
    drop(written.and_then(|()| out.flush()));
    Ok(report_divergence(&*surf, &config, &t))
}

/// Exit 0, or, when the run diverged, 3 with the reason and the engine's diagnosis on stderr:
/// the curvature where the blow-up began, the stability bound it broke, a rate that works.
fn report_divergence<P: Problem + ?Sized>(
    problem: &P,
    config: &run::RunConfig,
    t: &run::Trajectory,
) -> ExitCode {
    let Status::Diverged { step, reason } = &t.status else {
        return ExitCode::SUCCESS;
    };
    eprintln!("gradscape: diverged at step {step}: {reason}");
    if let Some(d) = diverge::diagnose(problem, config, t) {
        eprintln!(
            "gradscape: the loss grew at every step from step {}, where the Hessian's largest eigenvalue is λ = {} and the learning rate η = {}",
            d.onset, d.lambda_max, d.lr
        );
        if let Some(b) = &d.bound {
            eprintln!(
                "gradscape: {} is stable only while {}, that is η < {} here",
                config.optimizer, b.rule, b.max_lr
            );
        }
        if let Some(fix) = diverge::stable_rate(problem, config, &d) {
            eprintln!("gradscape: --set lr={fix} does not diverge");
        }
    }
    ExitCode::from(3)
}

/// The flags `data` and `fit` share: they describe the task.
const TASK_FLAGS: &[&str] = &[
    "task",
    "n",
    "seed",
    "data-noise",
    "data-dist",
    "degree",
    "l2",
    "dataset",
    "data",
    "format",
];

fn seed(text: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "--seed '{text}' is not a whole number; valid: 0…{}",
            u64::MAX
        )
    })
}

fn word<T: Copy>(
    flag: &str,
    text: &str,
    all: &[T],
    id: fn(T) -> &'static str,
) -> Result<T, String> {
    all.iter().copied().find(|w| id(*w) == text).ok_or_else(|| {
        let valid: Vec<&str> = all.iter().map(|w| id(*w)).collect();
        format!("unknown --{flag} '{text}'; valid: {}", valid.join(", "))
    })
}

/// What the shared flags of `data` and `fit` say: the task, built, and its spec; whether JSON
/// was asked for; the other flags, in order.
struct TaskFlags {
    task: Box<dyn LearningTask>,
    spec: TaskSpec,
    json: bool,
    rest: Vec<(&'static str, String)>,
}

fn task_from_flags(command: &str, flags: Vec<(&'static str, String)>) -> Result<TaskFlags, String> {
    let mut kind = None;
    let mut spec = TaskSpec::new(Task::Linear, 0);
    let mut file = None;
    let mut json = false;
    let mut rest = Vec::new();
    for (name, value) in flags {
        match name {
            "task" => kind = Some(word(name, &value, Task::ALL, Task::id)?),
            "seed" => spec.seed = seed(&value)?,
            "n" | "data-noise" | "degree" | "l2" => {
                let key = name.replace('-', "_");
                spec.settings.push((key, number(name, &value)?));
            }
            "data-dist" => spec.data_dist = word(name, &value, DataDist::ALL, DataDist::id)?,
            "dataset" => spec.dataset = word(name, &value, Dataset::ALL, Dataset::id)?,
            "data" => file = Some(value),
            "format" => json = format_flag(&value, &["csv", "json"])?,
            _ => rest.push((name, value)),
        }
    }
    let Some(kind) = kind else {
        return Err(format!(
            "{command}: missing --task; valid: {}",
            ids(task::CATALOG, |e| e.id)
        ));
    };
    spec.task = kind;
    if let Some(path) = file {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("--data '{path}': cannot read it ({e}); valid: a CSV file"))?;
        let columns = match kind {
            Task::Logistic => Columns::Labeled,
            Task::Linear | Task::Polynomial => Columns::Xy,
        };
        spec.data =
            Some(data::parse_csv(&text, columns).map_err(|e| format!("--data '{path}': {e}"))?);
    }
    Ok(TaskFlags {
        task: task::build(&spec)?,
        spec,
        json,
        rest,
    })
}

/// The CSV header of a task's dataset.
fn data_columns(kind: Task) -> [&'static str; 3] {
    match kind {
        Task::Linear => ["x", "y", ""],
        Task::Polynomial => ["x", "y", "split"],
        Task::Logistic => ["x1", "x2", "label"],
    }
}

fn data_command(args: &[String]) -> Result<ExitCode, String> {
    let Some(flags) = flags("data", args, TASK_FLAGS)? else {
        print!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let TaskFlags {
        task: t,
        spec,
        json,
        ..
    } = task_from_flags("data", flags)?;
    let [a, b, c] = data_columns(spec.task);
    let text = if json {
        let points: Vec<Value> = t
            .points()
            .iter()
            .map(|p| match p.group {
                Group::Class0 | Group::Class1 => {
                    json!({ a: p.x, b: p.y, c: p.group == Group::Class1 })
                }
                _ if c.is_empty() => json!({ a: p.x, b: p.y }),
                g => json!({ a: p.x, b: p.y, c: g.id() }),
            })
            .collect();
        format!(
            "{}\n",
            json!({ "task": spec.task.id(), "seed": spec.seed, "points": points })
        )
    } else {
        let mut s = if c.is_empty() {
            format!("{a},{b}\n")
        } else {
            format!("{a},{b},{c}\n")
        };
        for p in t.points() {
            if c.is_empty() {
                s += &format!("{},{}\n", p.x, p.y);
            } else {
                s += &format!("{},{},{}\n", p.x, p.y, p.group.id());
            }
        }
        s
    };
    drop(std::io::stdout().lock().write_all(text.as_bytes()));
    Ok(ExitCode::SUCCESS)
}

/// `--batch full` (`None`) or a mini-batch size, seeded by the task's seed.
fn batch(value: &str, seed: u64) -> Result<Option<MiniBatch>, String> {
    if value.trim() == "full" {
        return Ok(None);
    }
    let size = value.trim().parse().map_err(|_| {
        format!("--batch '{value}' is not valid; valid: full or a whole number ≥ 1")
    })?;
    Ok(Some(MiniBatch { size, seed }))
}

/// A comma-separated list of numbers (a task's `--start`).
fn numbers(flag: &str, value: &str) -> Result<Vec<f64>, String> {
    value.split(',').map(|v| number(flag, v)).collect()
}

fn fit(args: &[String]) -> Result<ExitCode, String> {
    const FIT_FLAGS: &[&str] = &[
        "optimizer",
        "set",
        "batch",
        "steps",
        "sched",
        "noise",
        "start",
    ];
    let valid: Vec<&'static str> = TASK_FLAGS.iter().chain(FIT_FLAGS).copied().collect();
    let Some(flags) = flags("fit", args, &valid)? else {
        print!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let TaskFlags {
        task: t,
        spec,
        json,
        rest,
    } = task_from_flags("fit", flags)?;
    let mut config = RunConfig::new("", t.start(), 500);
    config.noise.seed = spec.seed;
    for (name, value) in rest {
        if run_flag(&mut config, name, &value)? {
            continue;
        }
        match name {
            "batch" => config.minibatch = batch(&value, spec.seed)?,
            _ => config.start = numbers(name, &value)?,
        }
    }
    if config.optimizer.is_empty() {
        return Err(format!(
            "fit: missing --optimizer; valid: {}",
            ids(optim::CATALOG, |k| k.id)
        ));
    }
    let hyper = optim::hyper(&config.optimizer, &config.settings)?;
    let traj = run::run(t.as_problem(), &config)?;
    let metric = task::metrics(&*t, &traj);
    let names = t.param_names();

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if json {
        let hyper: serde_json::Map<String, Value> = hyper
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let params: Vec<&[f64]> = (0..=traj.last_step()).map(|i| traj.params_at(i)).collect();
        let mut doc = json!({
            "task": { "id": spec.task.id(), "settings": spec.settings, "seed": spec.seed },
            "optimizer": { "id": config.optimizer, "hyper": hyper },
            "names": names,
            "start": config.start,
            "steps": config.steps,
            "batch": config.minibatch.map(|b| b.size),
            "schedule": config.schedule.to_string(),
            "noise": config.noise,
            "status": traj.status,
            "params": params,
            "losses": traj.losses,
            "grad_norms": traj.grad_norms,
            "lrs": traj.lrs,
        });
        if let (Some(name), Some(values)) = (t.metric_name(), &metric) {
            doc[name] = json!(values);
        }
        writeln!(out, "{doc}")
    } else {
        let extra = t.metric_name().map(|m| format!(",{m}")).unwrap_or_default();
        writeln!(out, "step,loss{extra},{}", names.join(",")).and_then(|()| {
            (0..=traj.last_step()).try_for_each(|k| {
                let mut row = format!("{k},{}", traj.losses[k]);
                if let Some(m) = &metric {
                    row += &format!(",{}", m[k]);
                }
                for v in traj.params_at(k) {
                    row += &format!(",{v}");
                }
                writeln!(out, "{row}")
            })
        })
    };
    drop(written.and_then(|()| out.flush()));
    Ok(report_divergence(t.as_problem(), &config, &traj))
}

/// The flags `sweep` takes besides a task's: the run's, the surface's and the search's.
const SWEEP_FLAGS: &[&str] = &[
    "surface",
    "param",
    "expr",
    "start",
    "optimizer",
    "set",
    "steps",
    "sched",
    "noise",
    "batch",
    "x",
    "y",
    "method",
    "samples",
    "max-steps",
    "eta",
    "threshold",
];

/// What `sweep` runs on: a surface or a learning task.
enum Target {
    Surface(Box<dyn surface::Surface>),
    Task(Box<dyn LearningTask>),
}

fn sweep_command(args: &[String]) -> Result<ExitCode, String> {
    let valid: Vec<&'static str> = TASK_FLAGS.iter().chain(SWEEP_FLAGS).copied().collect();
    let Some(flags) = flags("sweep", args, &valid)? else {
        print!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let surface_only = ["surface", "param", "expr"];
    let (target, seed, json, rest) = if flags.iter().any(|(n, _)| *n == "task") {
        if let Some((n, _)) = flags.iter().find(|(n, _)| surface_only.contains(n)) {
            return Err(format!(
                "sweep: --{n} does not apply to a task; valid: --task with its flags, or --surface"
            ));
        }
        let t = task_from_flags("sweep", flags)?;
        (Target::Task(t.task), t.spec.seed, t.json, t.rest)
    } else {
        let mut spec = SurfaceSpec::default();
        let mut start = None;
        let (mut seed_value, mut json, mut rest) = (0, false, Vec::new());
        for (name, value) in flags {
            if surface_flag(&mut spec, &mut start, name, &value)? {
                continue;
            }
            match name {
                "seed" => seed_value = seed(&value)?,
                "format" => json = format_flag(&value, &["csv", "json"])?,
                "n" | "data-noise" | "data-dist" | "degree" | "l2" | "dataset" | "data"
                | "batch" => {
                    return Err(format!(
                        "sweep: --{name} needs a task; valid: --task {} with it",
                        ids(task::CATALOG, |e| e.id)
                    ))
                }
                _ => rest.push((name, value)),
            }
        }
        let surf = build_surface("sweep", &mut spec)?;
        let start = start.unwrap_or(surf.info().default_start);
        rest.insert(0, ("start", format!("{},{}", start[0], start[1])));
        (Target::Surface(surf), seed_value, json, rest)
    };
    let default_start = match &target {
        Target::Task(t) => t.start(),
        Target::Surface(_) => Vec::new(),
    };
    let mut config = RunConfig::new("", default_start, 500);
    config.noise.seed = seed;
    let (mut x, mut y, mut method, mut threshold) = (None, None, "grid".to_string(), None);
    let (mut samples, mut max_steps, mut eta, mut steps_given) = (None, None, None, false);
    let whole = |name: &str, value: &str| -> Result<usize, String> {
        value.trim().parse().map_err(|_| {
            format!("--{name} '{value}' is not a whole number; valid: e.g. --{name} 81")
        })
    };
    for (name, value) in rest {
        steps_given |= name == "steps";
        if run_flag(&mut config, name, &value)? {
            continue;
        }
        match name {
            "start" => config.start = numbers(name, &value)?,
            "batch" => config.minibatch = batch(&value, seed)?,
            "x" => x = Some(Axis::parse(&value, 16)?),
            "y" => y = Some(Axis::parse(&value, 16)?),
            "method" => method = value,
            "samples" => samples = Some(whole(name, &value)?),
            "max-steps" => max_steps = Some(whole(name, &value)?),
            "eta" => eta = Some(number(name, &value)?),
            _ => threshold = Some(number(name, &value)?),
        }
    }
    if config.optimizer.is_empty() {
        return Err(format!(
            "sweep: missing --optimizer; valid: {}",
            ids(optim::CATALOG, |k| k.id)
        ));
    }
    let kind = optim::kind(&config.optimizer)?;
    let (Some(x), Some(y)) = (x, y) else {
        return Err(format!(
            "sweep: needs --x and --y, e.g. --x lr=1e-4:1:log:16 --y {}=0:0.99:lin:8; valid keys for {}: {}",
            kind.schema.get(1).map_or("weight_decay", |p| p.key),
            kind.id,
            param::key_list(kind.schema)
        ));
    };
    let budgeted = matches!(method.as_str(), "halving" | "hyperband");
    let misplaced = [
        ("samples", samples.is_some() && method != "random"),
        ("max-steps", max_steps.is_some() && !budgeted),
        ("eta", eta.is_some() && !budgeted),
        ("steps", steps_given && budgeted),
        ("threshold", threshold.is_some() && budgeted),
    ];
    if let Some((flag, _)) = misplaced.iter().find(|(_, bad)| *bad) {
        let valid = match *flag {
            "samples" => "--method random",
            "max-steps" | "eta" => "--method halving or hyperband",
            _ => "--method grid or random (halving and hyperband budget steps by --max-steps)",
        };
        return Err(format!(
            "sweep: --{flag} does not apply to --method {method}; valid: with {valid}"
        ));
    }
    let (r, e) = (max_steps.unwrap_or(81), eta.unwrap_or(3.0));
    let method = match method.as_str() {
        "grid" => Method::Grid,
        "random" => Method::Random {
            samples: samples.unwrap_or(64),
        },
        "halving" => Method::Halving {
            max_steps: r,
            eta: e,
        },
        "hyperband" => Method::Hyperband {
            max_steps: r,
            eta: e,
        },
        other => {
            return Err(format!(
                "unknown --method '{other}'; valid: {}",
                METHODS.join(", ")
            ))
        }
    };
    let sweep = Sweep::new(config, x, y, threshold)?;
    let mut search = Search::new(sweep, method, seed)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    match &target {
        Target::Surface(s) => search.run_parallel(&**s, threads)?,
        Target::Task(t) => search.run_parallel(t.as_problem(), threads)?,
    }

    let sweep = &search.sweep;
    let (xn, yn) = (sweep.x.key.as_str(), sweep.y.key.as_str());
    let text = if json {
        let axis = |a: &Axis| {
            json!({
                "key": a.key, "lo": a.lo, "hi": a.hi, "count": a.count,
                "scale": if a.scale == Scale::Log { "log" } else { "lin" },
            })
        };
        let row = |e: &Evaluation| {
            let [vx, vy] = sweep.used(e.at);
            let mut r = json!({
                xn: vx, yn: vy,
                "final_loss": e.outcome.final_loss,
                "status": e.outcome.status(),
                "steps_run": e.outcome.steps_run,
            });
            if budgeted {
                r["bracket"] = json!(e.bracket);
                r["rung"] = json!(e.rung);
                r["config"] = json!(e.config);
                r["steps"] = json!(e.steps);
                r["advanced"] = json!(e.advanced);
            } else if sweep.threshold.is_some() {
                r["first_below"] = json!(e.outcome.first_below);
            }
            r
        };
        let doc = json!({
            "method": search.method.id(),
            "optimizer": sweep.base.optimizer,
            "x": axis(&sweep.x),
            "y": axis(&sweep.y),
            "threshold": sweep.threshold,
            "evaluations": search.evaluations().iter().map(row).collect::<Vec<_>>(),
            "best": search.best().map(row),
            "spent": search.spent(),
        });
        format!("{doc}\n")
    } else if budgeted {
        let mut s = format!("bracket,rung,config,steps,{xn},{yn},final_loss,status\n");
        for e in search.evaluations() {
            let [vx, vy] = sweep.used(e.at);
            s += &format!(
                "{},{},{},{},{vx},{vy},{},{}\n",
                e.bracket,
                e.rung,
                e.config,
                e.steps,
                e.outcome.final_loss,
                e.outcome.status()
            );
        }
        s
    } else {
        let below = if sweep.threshold.is_some() {
            ",first_below"
        } else {
            ""
        };
        let mut s = format!("{xn},{yn},final_loss,status,steps_run{below}\n");
        for e in search.evaluations() {
            let [vx, vy] = sweep.used(e.at);
            s += &format!(
                "{vx},{vy},{},{},{}",
                e.outcome.final_loss,
                e.outcome.status(),
                e.outcome.steps_run
            );
            if sweep.threshold.is_some() {
                s += &format!(
                    ",{}",
                    e.outcome
                        .first_below
                        .map_or(String::new(), |k| k.to_string())
                );
            }
            s.push('\n');
        }
        s
    };
    drop(std::io::stdout().lock().write_all(text.as_bytes()));
    Ok(ExitCode::SUCCESS)
}

/// A whole-number parameter lists as a number (its range check says the rest).
fn param_json(p: &Param) -> Value {
    let (kind, scale) = match p.kind {
        Kind::Bool => ("bool", None),
        Kind::Number(Scale::Linear) | Kind::Whole(Scale::Linear) => ("number", Some("linear")),
        Kind::Number(Scale::Log) | Kind::Whole(Scale::Log) => ("number", Some("log")),
    };
    json!({
        "key": p.key, "label": p.label, "default": p.default, "min": p.min, "max": p.max,
        "slider": [p.slider.0, p.slider.1], "kind": kind, "scale": scale, "help": p.help,
    })
}

/// Surface parameters, whose sliders span their whole range, list without a scale.
fn surface_param_json(p: &Param) -> Value {
    json!({
        "key": p.key, "label": p.label, "default": p.default, "min": p.min, "max": p.max,
        "help": p.help,
    })
}

fn param_line(p: &Param) -> String {
    let range = match p.kind {
        Kind::Bool => "true|false".to_string(),
        Kind::Number(s) | Kind::Whole(s) => format!(
            "{} … {}, {}",
            p.min,
            p.max,
            if s == Scale::Log { "log" } else { "linear" }
        ),
    };
    format!(
        "    {} = {} ({range}) {}: {}",
        p.key, p.default, p.label, p.help
    )
}

/// The word-valued keys of task `id`, each with its words, the default first.
fn task_choices(id: &str) -> Vec<(&'static str, Vec<&'static str>)> {
    let dist = ("data_dist", DataDist::ALL.iter().map(|d| d.id()).collect());
    let dataset = ("dataset", Dataset::ALL.iter().map(|d| d.id()).collect());
    match id {
        "logistic" => vec![dataset],
        _ => vec![dist],
    }
}

fn list(args: &[String]) -> Result<ExitCode, String> {
    let Some(flags) = flags("list", args, &["format"])? else {
        print!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let mut json = false;
    for (_, value) in flags {
        json = format_flag(&value, &["text", "json"])?;
    }
    // Surfaces that cannot be built from their id alone (custom) are listed without framing.
    let surfaces: Vec<(&surface::SurfaceKind, Option<surface::SurfaceInfo>)> = surface::CATALOG
        .iter()
        .map(|k| {
            let spec = SurfaceSpec {
                id: k.id.into(),
                ..Default::default()
            };
            (k, surface::build(&spec).ok().map(|s| s.info()))
        })
        .collect();
    let text = if json {
        let doc = json!({
            "surfaces": surfaces.iter().map(|(k, info)| json!({
                "id": k.id, "name": k.name,
                "params": k.schema.iter().map(surface_param_json).collect::<Vec<_>>(),
                "view": info.as_ref().map(|i| i.view),
                "minima": info.as_ref().map(|i| &i.minima),
                "default_start": info.as_ref().map(|i| i.default_start),
                "log_scale": info.as_ref().map(|i| i.log_scale),
                "formula": info.as_ref().map(|i| &i.formula),
            })).collect::<Vec<_>>(),
            "optimizers": optim::CATALOG.iter().map(|k| json!({
                "id": k.id, "name": k.name, "pytorch": k.pytorch, "rule": k.rule,
                "schema": k.schema.iter().map(param_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "tasks": task::CATALOG.iter().map(|k| json!({
                "id": k.id, "name": k.name, "pytorch": k.pytorch, "rule": k.rule,
                "params": k.schema.iter().map(param_json).collect::<Vec<_>>(),
                "choices": task_choices(k.id).iter().map(|(key, words)| json!({
                    "key": key, "values": words, "default": words[0],
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "schedules": schedule::CATALOG.iter().map(|k| json!({
                "id": k.id, "name": k.name, "pytorch": k.pytorch, "rule": k.rule,
                "params": k.schema.iter().chain([&schedule::WARMUP]).map(param_json)
                    .collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        format!("{doc}\n")
    } else {
        let mut s = String::from("SURFACES\n");
        for (k, info) in &surfaces {
            s += &format!("  {} — {}\n", k.id, k.name);
            if let Some(i) = info {
                let minima: Vec<String> = i
                    .minima
                    .iter()
                    .map(|m| format!("({}, {})", m[0], m[1]))
                    .collect();
                s += &format!(
                    "    f = {}\n    view x {} … {}, y {} … {}; minima {}; default start ({}, {})\n",
                    i.formula,
                    i.view[0],
                    i.view[1],
                    i.view[2],
                    i.view[3],
                    if minima.is_empty() {
                        "none".into()
                    } else {
                        minima.join(" ")
                    },
                    i.default_start[0],
                    i.default_start[1]
                );
            }
            for p in k.schema {
                s += &format!(
                    "    {} = {} ({} … {}) {}: {}\n",
                    p.key, p.default, p.min, p.max, p.label, p.help
                );
            }
        }
        s += "\nOPTIMIZERS (--set KEY=VALUE)\n";
        for k in optim::CATALOG {
            s += &format!(
                "  {} — {} (PyTorch {}): {}\n",
                k.id, k.name, k.pytorch, k.rule
            );
            for p in k.schema {
                s += &(param_line(p) + "\n");
            }
        }
        s += "\nSCHEDULES (--sched \"ID(KEY=VALUE,…)\"; update k uses the rate below)\n";
        for k in schedule::CATALOG {
            s += &format!("  {} — {} ({}): {}\n", k.id, k.name, k.pytorch, k.rule);
            for p in k.schema {
                s += &(param_line(p) + "\n");
            }
        }
        s += &format!(
            "  every schedule also takes:\n{}\n",
            param_line(&schedule::WARMUP)
        );
        s += "\nTASKS (gradscape data|fit --task ID; flags --n, --data-noise, … as keys with - for _)\n";
        for k in task::CATALOG {
            s += &format!(
                "  {} — {} (PyTorch {}): {}\n",
                k.id, k.name, k.pytorch, k.rule
            );
            for p in k.schema {
                s += &(param_line(p) + "\n");
            }
            for (key, words) in task_choices(k.id) {
                s += &format!("    {key} = {} (one of {})\n", words[0], words.join(", "));
            }
        }
        s
    };
    drop(std::io::stdout().lock().write_all(text.as_bytes()));
    Ok(ExitCode::SUCCESS)
}

/// The query and hash of a page link given whole (`https://…/?q#h`), as `?q#h`, as `#h` or as
/// the bare hash text; an error when no part of it is a scene key, so a mistyped argument is
/// not silently exported as the default scene.
fn read_link(link: &str) -> Result<url::Decoded, String> {
    let (before, hash) = match link.split_once('#') {
        Some((before, hash)) => (before, hash),
        None if link.contains('?') => (link, ""),
        None => ("", link),
    };
    let query = before.split_once('?').map_or("", |(_, q)| q);
    let has_scene_key = [query, hash].iter().any(|part| {
        part.split('&')
            .any(|pair| url::KEYS.contains(&pair.split('=').next().unwrap_or("")))
    });
    if !has_scene_key {
        return Err(format!(
            "export: --scene '{link}' is not a page link; valid: a link such as \
             'https://…/#surface=rosenbrock&opt=adam(lr=0.01)', its '#…' hash or '?query#hash'"
        ));
    }
    Ok(url::decode(query, hash))
}

fn export_scene(args: &[String]) -> Result<ExitCode, String> {
    let Some(flags) = flags("export", args, &["scene", "format"])? else {
        print!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let mut link = None;
    let mut format = export::Format::Csv;
    for (name, value) in flags {
        match name {
            "scene" => link = Some(value),
            _ => format = export::Format::parse(&value).map_err(|e| format!("--format: {e}"))?,
        }
    }
    let link = link.ok_or("export: missing --scene; valid: --scene LINK (the page's link)")?;
    let decoded = read_link(&link)?;
    for notice in &decoded.notices {
        eprintln!("gradscape: warning: {}", one_line(notice));
    }
    let written = export::export(&decoded.scene, format)?;
    let mut out = std::io::stdout().lock();
    drop(
        out.write_all(written.text.as_bytes())
            .and_then(|()| out.flush()),
    );
    let problems = written.problems();
    for p in &problems {
        eprintln!("gradscape: {}", one_line(p));
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
