//! Self-contained Python scripts that reproduce a scene with PyTorch or optax, in float64.
//!
//! A script defines the surface as `loss(x, y)` ([`crate::engine::surface::Formula::python`],
//! functions through the alias `M`), or a learning task's data and loss ([`super::task_script`]),
//! as `objective(q, batch=None)` over the parameter vector; races every card that ran from the scene's start for the
//! updates the engine kept (a diverged card stops where the engine stopped it), and prints one
//! line per card in card order: the optimizer's id, then its final parameters, each as
//! Python's `repr` (shortest round-trip), separated by spaces: `adam 0.9999 0.9998`.
//!
//! PyTorch scripts use `torch.optim` and `torch.optim.lr_scheduler` as documented; optax
//! scripts use optax's transformations where they equal PyTorch's rule for any value of the
//! hyperparameters, and a short commented `GradientTransformation` where they do not. Lion
//! (not in `torch.optim`) and damped Newton (in neither) are written out in the script.
//! Gradient noise cannot be regenerated in Python (ChaCha8), so the engine's own samples are
//! embedded, which is why noisy scenes are limited to [`MAX_NOISY_UPDATES`].

use super::{task_script, value, CardRun, SceneRuns};
use crate::engine::noise::{GaussianNoise, NoiseConfig};
use crate::engine::scene::Scene;
use crate::engine::schedule::Rule;
use crate::engine::surface;
use crate::engine::task;
use crate::engine::url;
use std::fmt::Write;

/// The most updates a noisy scene's script embeds samples for: about 0.5 MB of text.
pub const MAX_NOISY_UPDATES: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavour {
    Pytorch,
    Optax,
}

/// A float literal that Python reads back as the same `f64`.
pub(super) fn lit(v: f64) -> String {
    format!("{v:?}")
}

/// A whole number as a Python int (PyTorch's counts are ints), anything else as a float.
fn count(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        lit(v)
    }
}

fn flag(v: f64) -> &'static str {
    if v != 0.0 {
        "True"
    } else {
        "False"
    }
}

const TORCH_HEAD: &str = "\
import math

import torch

torch.set_default_dtype(torch.float64)
M = torch  # the array module the problem below is written in
";

const OPTAX_HEAD: &str = "\
import math

import jax

jax.config.update(\"jax_enable_x64\", True)
import jax.numpy as jnp
import optax

M = jnp  # the array module the problem below is written in
";

const TORCH_RACE: &str = "

def race(make, lr, updates, batches=None):
    \"\"\"Runs the optimizer make([p]) for `updates` steps from START, update k on the data
    points batches[k] (all of them without batches); the final point.\"\"\"
    p = torch.tensor(START, requires_grad=True)
    opt = make([p])
    sched = schedule(opt, lr)
    for k in range(updates):
        opt.zero_grad()
        objective(p, None if batches is None else batches[k]).backward()
        if NOISE:
            p.grad += torch.tensor(NOISE[k])
        opt.step()
        if sched is not None:
            sched.step()
    return p.detach().tolist()
";

const OPTAX_RACE: &str = "

GRAD = jax.jit(jax.grad(objective))


def race(tx, updates, batches=None):
    \"\"\"Runs the transformation tx for `updates` steps from START, update k on the data
    points batches[k] (all of them without batches); the final point.\"\"\"
    p = jnp.array(START)
    state = tx.init(p)
    for k in range(updates):
        g = GRAD(p, None if batches is None else jnp.array(batches[k]))
        if NOISE:
            g = g + jnp.array(NOISE[k])
        u, state = tx.update(g, state, p)
        p = optax.apply_updates(p, u)
    return [float(v) for v in p]
";

const REPORT: &str = "

def report(name, point):
    print(name, *map(repr, point))
";

/// Shared by both flavours: the engine's Newton solve, operation for operation.
const NEWTON_DIRECTION: &str = "

def newton_direction(h, g, damping):
    \"\"\"Solves (H + damping*I) d = g by Cholesky exactly as gradscape does; None when
    H + damping*I is not positive definite (gradscape then takes a gradient step).\"\"\"
    n = len(g)
    L = [[0.0] * n for _ in range(n)]
    for j in range(n):
        d = h[j][j] + damping
        for k in range(j):
            d -= L[j][k] * L[j][k]
        if not (d > 0 and math.isfinite(d)):
            return None
        L[j][j] = math.sqrt(d)
        for i in range(j + 1, n):
            s = h[i][j]
            for k in range(j):
                s -= L[i][k] * L[j][k]
            L[i][j] = s / L[j][j]
    x = list(g)
    for i in range(n):
        for k in range(i):
            x[i] -= L[i][k] * x[k]
        x[i] /= L[i][i]
    for i in reversed(range(n)):
        for k in range(i + 1, n):
            x[i] -= L[k][i] * x[k]
        x[i] /= L[i][i]
    return x
";

const TORCH_LION: &str = "

class Lion(torch.optim.Optimizer):
    \"\"\"Lion (Chen et al. 2023, as optax.lion; not in torch.optim): c = b1*m + (1 - b1)*g,
    p -= lr*(sign(c) + weight_decay*p), then m = b2*m + (1 - b2)*g.\"\"\"

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group[\"betas\"]
            for p in group[\"params\"]:
                m = self.state[p].setdefault(\"exp_avg\", torch.zeros_like(p))
                c = b1 * m + (1 - b1) * p.grad
                p -= group[\"lr\"] * (torch.sign(c) + group[\"weight_decay\"] * p)
                m.mul_(b2).add_((1 - b2) * p.grad)
";

const TORCH_NEWTON: &str = "

class Newton(torch.optim.Optimizer):
    \"\"\"gradscape's damped Newton (in no library): p -= lr*(H + damping*I)^-1 g when that
    matrix is positive definite, else p -= lr*g; H is f's exact Hessian at p (autograd), g
    the gradient in p.grad (noise included).\"\"\"

    def __init__(self, params, f, lr=1.0, damping=1e-3):
        super().__init__(params, dict(lr=lr, damping=damping))
        self.f = f

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group[\"params\"]:
                with torch.enable_grad():
                    h = torch.autograd.functional.hessian(self.f, p.detach())
                d = newton_direction(h.tolist(), p.grad.tolist(), group[\"damping\"])
                p -= group[\"lr\"] * (p.grad if d is None else torch.tensor(d))
";

/// optax transformations for PyTorch rules optax lacks. Each returns the direction d that
/// `optax.scale_by_learning_rate` turns into the update −lr·d.
const OPTAX_CUSTOM: &[(&str, &str)] = &[
    (
        "pytorch_momentum",
        "

def pytorch_momentum(momentum, dampening):
    \"\"\"torch.optim.SGD's buffer: b = g on the first step, then b = momentum*b +
    (1 - dampening)*g. optax.trace has no dampening.\"\"\"
    def update(g, state, params=None):
        t, b = state
        b = g if t == 0 else momentum * b + (1 - dampening) * g
        return b, (t + 1, b)
    return optax.GradientTransformation(lambda p: (0, jnp.zeros_like(p)), update)
",
    ),
    (
        "pytorch_adagrad",
        "

def pytorch_adagrad(lr_decay, initial_accumulator_value, eps):
    \"\"\"torch.optim.Adagrad: s += g*g, d = g/(sqrt(s) + eps)/(1 + (t - 1)*lr_decay).
    optax.adagrad adds eps inside the root and has no lr_decay.\"\"\"
    def update(g, state, params=None):
        t, s = state[0] + 1, state[1] + g * g
        return g / (jnp.sqrt(s) + eps) / (1 + (t - 1) * lr_decay), (t, s)
    init = lambda p: (0, jnp.full_like(p, initial_accumulator_value))
    return optax.GradientTransformation(init, update)
",
    ),
    (
        "pytorch_rmsprop",
        "

def pytorch_rmsprop(alpha, eps, momentum, centered):
    \"\"\"torch.optim.RMSprop: v = alpha*v + (1 - alpha)*g*g; centered: a = alpha*a +
    (1 - alpha)*g and v - a*a under the root; with momentum b = momentum*b + g/den is the
    direction. optax.rmsprop applies lr before its momentum, which differs under a schedule.\"\"\"
    def update(g, state, params=None):
        v, a, b = state
        v = alpha * v + (1 - alpha) * g * g
        if centered:
            a = alpha * a + (1 - alpha) * g
            den = jnp.sqrt(jnp.maximum(v - a * a, 0.0)) + eps
        else:
            den = jnp.sqrt(v) + eps
        if momentum > 0:
            b = momentum * b + g / den
            return b, (v, a, b)
        return g / den, (v, a, b)
    zeros = lambda p: (jnp.zeros_like(p),) * 3
    return optax.GradientTransformation(zeros, update)
",
    ),
    (
        "pytorch_amsgrad",
        "

def pytorch_amsgrad(b1, b2, eps):
    \"\"\"torch.optim.Adam(amsgrad=True): the running maximum of the raw v, bias-corrected
    afterwards. optax.amsgrad takes the maximum of the bias-corrected v.\"\"\"
    def update(g, state, params=None):
        t, m, v, vmax = state
        t += 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = jnp.maximum(vmax, v)
        d = m / (1 - b1**t) / (jnp.sqrt(vmax) / math.sqrt(1 - b2**t) + eps)
        return d, (t, m, v, vmax)
    zeros = lambda p: (0,) + (jnp.zeros_like(p),) * 3
    return optax.GradientTransformation(zeros, update)
",
    ),
    (
        "pytorch_adamax",
        "

def pytorch_adamax(b1, b2, eps):
    \"\"\"torch.optim.Adamax: u = max(b2*u, |g| + eps), d = m/(1 - b1**t)/u. optax.adamax
    adds eps after the maximum.\"\"\"
    def update(g, state, params=None):
        t, m, u = state
        t += 1
        m = b1 * m + (1 - b1) * g
        u = jnp.maximum(b2 * u, jnp.abs(g) + eps)
        return m / (1 - b1**t) / u, (t, m, u)
    zeros = lambda p: (0, jnp.zeros_like(p), jnp.zeros_like(p))
    return optax.GradientTransformation(zeros, update)
",
    ),
    (
        "pytorch_nadam",
        "

def pytorch_nadam(b1, b2, eps, momentum_decay):
    \"\"\"torch.optim.NAdam with its momentum schedule mu_t = b1*(1 - 0.96**(t*psi)/2)
    (optax.nadam has none): d = (1 - mu_t)/(1 - P_t)*g/den + mu_{t+1}/(1 - P_t*mu_{t+1})*m/den,
    P_t the product of mu_1..mu_t, den = sqrt(v/(1 - b2**t)) + eps.\"\"\"
    mu = lambda t: b1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
    def update(g, state, params=None):
        t, prod, m, v = state
        t += 1
        prod *= mu(t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        den = jnp.sqrt(v / (1 - b2**t)) + eps
        d = (1 - mu(t)) / (1 - prod) * (g / den)
        d = d + mu(t + 1) / (1 - prod * mu(t + 1)) * (m / den)
        return d, (t, prod, m, v)
    zeros = lambda p: (0, 1.0, jnp.zeros_like(p), jnp.zeros_like(p))
    return optax.GradientTransformation(zeros, update)
",
    ),
    (
        "pytorch_radam",
        "

def pytorch_radam(b1, b2, eps):
    \"\"\"torch.optim.RAdam: rectified once rho_t > 5, eps added to sqrt(v) before the bias
    correction. optax.radam adds eps to the corrected root and rectifies at rho_t >= 5.\"\"\"
    rho_inf = 2 / (1 - b2) - 1
    def update(g, state, params=None):
        t, m, v = state
        t += 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        bc2 = 1 - b2**t
        rho = rho_inf - 2 * t * b2**t / bc2
        d = m / (1 - b1**t)
        if rho > 5:
            r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            d = d * (math.sqrt(bc2) / (jnp.sqrt(v) + eps)) * r
        return d, (t, m, v)
    zeros = lambda p: (0, jnp.zeros_like(p), jnp.zeros_like(p))
    return optax.GradientTransformation(zeros, update)
",
    ),
    (
        "damped_newton",
        "

HESSIAN = jax.hessian(objective)


def damped_newton(damping):
    \"\"\"gradscape's damped Newton (in no library): d = (H + damping*I)^-1 g when that matrix
    is positive definite, else d = g; H is the exact Hessian at the point (jax.hessian).\"\"\"
    def update(g, state, params):
        d = newton_direction(HESSIAN(params).tolist(), g.tolist(), damping)
        return (g if d is None else jnp.array(d)), state
    return optax.GradientTransformation(lambda p: (), update)
",
    ),
];

/// The script for `scene` whose cards ran as `runs`; an error when a noisy scene would need
/// more than [`MAX_NOISY_UPDATES`] embedded samples.
pub(super) fn script(scene: &Scene, runs: &SceneRuns, flavour: Flavour) -> Result<String, String> {
    // The Keras convention and the teaching variant have no torch.optim (or optax) class.
    let foreign = runs
        .cards
        .iter()
        .find(|c| c.id == "adam_nobc" || c.values.iter().any(|(k, v)| k == "keras" && *v != 0.0));
    if let Some(c) = foreign {
        return Err(format!(
            "card {} ({}) runs a rule torch.optim and optax do not have (the Keras convention or \
             Adam without bias correction); valid: csv or json, or keras=0",
            c.index, c.id
        ));
    }
    let names = runs.param_names.join(", ");
    let (problem, batches) = match scene.task_spec() {
        Some(spec) => {
            let task = task::build(&spec).map_err(|e| format!("task: {e}"))?;
            let samples = task.sample_count().unwrap_or(0);
            let (code, batches) = task_script::batches_code(scene, runs, samples)?;
            (
                task_script::problem_code(&spec, &*task, flavour)?
                    + "
" + &code,
                batches,
            )
        }
        None => {
            let surface = surface::build(&scene.surface).map_err(|e| format!("surface: {e}"))?;
            let code = format!(
                "# f({names}) = {formula}\n\
                 def loss({names}):\n    return {python}\n\n\n\
                 def objective(q, batch=None):\n    return loss(*q)\n",
                formula = surface.info().formula,
                python = surface.python(),
            );
            (code, vec![None; runs.cards.len()])
        }
    };
    let updates = |c: &CardRun| c.outcome.as_ref().map_or(0, |t| t.last_step());
    let most = runs.cards.iter().map(updates).max().unwrap_or(0);
    if scene.noise > 0.0 && most > MAX_NOISY_UPDATES {
        return Err(format!(
            "a script embeds gradscape's noise samples, and {most} noisy updates would make \
             it too large; valid: at most {MAX_NOISY_UPDATES} steps with noise, or noise = 0"
        ));
    }
    let (library, head) = match flavour {
        Flavour::Pytorch => ("PyTorch", TORCH_HEAD),
        Flavour::Optax => ("optax", OPTAX_HEAD),
    };
    let mut out = format!(
        "# gradscape scene #{link}\n\
         # Reproduces it with {library} in float64 and prints one line per optimizer card, in\n\
         # card order: the optimizer's id, then its final {names} (Python repr).\n\
         {head}\n\n{problem}\n\n",
        link = url::encode(scene),
    );
    let start: Vec<String> = runs.start.iter().map(|&v| lit(v)).collect();
    let _ = writeln!(out, "START = [{}]", start.join(", "));
    write_noise(&mut out, scene, runs.param_names.len(), most);
    out.push_str(&schedule_code(scene, flavour));
    let uses = |id: &str| runs.cards.iter().any(|c| c.outcome.is_ok() && c.id == id);
    match flavour {
        Flavour::Pytorch => {
            out.push_str(TORCH_RACE);
            if uses("lion") {
                out.push_str(TORCH_LION);
            }
            if uses("newton") {
                out.push_str(NEWTON_DIRECTION);
                out.push_str(TORCH_NEWTON);
            }
        }
        Flavour::Optax => {
            out.push_str(OPTAX_RACE);
            if uses("newton") {
                out.push_str(NEWTON_DIRECTION);
            }
            let cards: Vec<String> = runs
                .cards
                .iter()
                .filter(|c| c.outcome.is_ok())
                .map(|c| optax_transform(c, ""))
                .collect();
            for (name, code) in OPTAX_CUSTOM {
                if cards.iter().any(|c| c.contains(&format!("{name}("))) {
                    out.push_str(code);
                }
            }
        }
    }
    out.push_str(REPORT);
    out.push_str("\n\n");
    let lambda_lr = uses_lambda_lr(scene);
    for (card, batches) in runs.cards.iter().zip(&batches) {
        write_card(&mut out, card, flavour, lambda_lr, batches.as_deref());
    }
    Ok(out)
}

/// `NOISE`: the engine's σ·z for each of the first `updates` updates and each coordinate
/// (what the run adds to the gradient), or `None` without noise.
fn write_noise(out: &mut String, scene: &Scene, dim: usize, updates: usize) {
    if scene.noise <= 0.0 {
        out.push_str("NOISE = None\n");
        return;
    }
    let _ = writeln!(
        out,
        "# Gradient noise sigma = {}, seed {}: gradscape's own samples (ChaCha8, Box-Muller), added\n\
         # to the gradient of update k + 1, embedded because Python cannot regenerate that stream.\n\
         NOISE = [",
        lit(scene.noise),
        scene.seed
    );
    let mut noise = GaussianNoise::new(NoiseConfig {
        sigma: scene.noise,
        seed: scene.seed,
    });
    let mut sample = vec![0.0; dim];
    for _ in 0..updates {
        sample.fill(0.0);
        noise.perturb(&mut sample);
        let row: Vec<String> = sample.iter().map(|&v| lit(v)).collect();
        let _ = writeln!(out, "    [{}],", row.join(", "));
    }
    out.push_str("]\n");
}

/// Whether PyTorch needs `LambdaLR` for the scene's schedule (inverse-time decay or a warm-up,
/// which `torch.optim.lr_scheduler` has no class for).
fn uses_lambda_lr(scene: &Scene) -> bool {
    scene.schedule.warmup > 0.0 || matches!(scene.schedule.rule, Rule::InverseTime { .. })
}

/// `rate(s, lr)`: the engine's closed-form rate at scheduler step s (update s + 1).
fn rate_function(scene: &Scene) -> String {
    let s = &scene.schedule;
    let rule = match s.rule {
        Rule::Constant => "lr".to_string(),
        Rule::Step { step_size, gamma } => {
            format!("lr * {} ** math.floor(s / {})", lit(gamma), lit(step_size))
        }
        Rule::Exponential { gamma } => format!("lr * {} ** s", lit(gamma)),
        Rule::Cosine { t_max, eta_min } => {
            let m = lit(eta_min);
            format!(
                "{m} + (lr - {m}) * (1.0 + math.cos(math.pi * s / {})) / 2.0",
                lit(t_max)
            )
        }
        Rule::InverseTime { decay } => format!("lr / (1.0 + {} * s)", lit(decay)),
    };
    let body = if s.warmup > 0.0 {
        format!("({rule}) * min(1.0, (s + 1) / {})", lit(s.warmup))
    } else {
        rule
    };
    format!(
        "\n\ndef rate(s, lr):\n    \"\"\"gradscape's schedule {}: the rate of update s + 1.\"\"\"\n    return {body}\n",
        s
    )
}

/// `schedule(…)`: PyTorch's scheduler for an optimizer, or optax's rate for a base rate.
fn schedule_code(scene: &Scene, flavour: Flavour) -> String {
    let constant = scene.schedule == Default::default();
    match flavour {
        Flavour::Optax if constant => "\n\ndef schedule(lr):\n    return lr\n".into(),
        Flavour::Optax => {
            rate_function(scene)
                + "\n\ndef schedule(lr):\n    return lambda count: rate(int(count), lr)\n"
        }
        Flavour::Pytorch => {
            let head = "\n\ndef schedule(opt, lr):\n    return ";
            let sched = "torch.optim.lr_scheduler";
            if uses_lambda_lr(scene) {
                return rate_function(scene)
                    + head
                    + "torch.optim.lr_scheduler.LambdaLR(opt, lambda s: rate(s, lr))  \
                       # opt was built with lr=1.0\n";
            }
            let call = match scene.schedule.rule {
                Rule::Step { step_size, gamma } => format!(
                    "{sched}.StepLR(opt, step_size={}, gamma={})",
                    count(step_size),
                    lit(gamma)
                ),
                Rule::Exponential { gamma } => {
                    format!("{sched}.ExponentialLR(opt, gamma={})", lit(gamma))
                }
                Rule::Cosine { t_max, eta_min } => format!(
                    "{sched}.CosineAnnealingLR(opt, T_max={}, eta_min={})",
                    count(t_max),
                    lit(eta_min)
                ),
                Rule::Constant | Rule::InverseTime { .. } => "None".into(),
            };
            format!("{head}{call}\n")
        }
    }
}

/// One card: a comment with its settings, then the line that races and reports it (over the
/// embedded mini-batches `batches` when it used some).
fn write_card(
    out: &mut String,
    card: &CardRun,
    flavour: Flavour,
    lambda_lr: bool,
    batches: Option<&str>,
) {
    let settings: Vec<String> = card
        .values
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::engine::call::number(*v)))
        .collect();
    let _ = writeln!(
        out,
        "# card {}: {}({})",
        card.index,
        card.id,
        settings.join(", ")
    );
    let t = match &card.outcome {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(out, "# (not run: gradscape could not run it: {e})");
            return;
        }
    };
    if let crate::engine::run::Status::Diverged { step, reason } = &t.status {
        let _ = writeln!(
            out,
            "# gradscape stopped it at update {step} ({reason}); this runs the {} before",
            t.last_step()
        );
    }
    let lr = lit(value(card, "lr"));
    let batches = batches.map(|b| format!(", {b}")).unwrap_or_default();
    let line = match flavour {
        Flavour::Pytorch => {
            // With LambdaLR the optimizer's lr is a unit the scheduler multiplies by rate().
            let built_lr = if lambda_lr {
                "1.0".to_string()
            } else {
                lr.clone()
            };
            format!(
                "race(lambda params: {}, {lr}, {}{batches})",
                torch_optimizer(card, &built_lr),
                t.last_step()
            )
        }
        Flavour::Optax => format!(
            "race({}, {}{batches})",
            optax_transform(card, &lr),
            t.last_step()
        ),
    };
    let _ = writeln!(out, "report(\"{}\", {line})", card.id);
}

/// `key=value, …` for the card's hyperparameters `keys`.
fn kwargs(card: &CardRun, keys: &[&str]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| format!("{k}={}", lit(value(card, k))))
        .collect();
    parts.join(", ")
}

fn betas(card: &CardRun) -> String {
    format!(
        "betas=({}, {})",
        lit(value(card, "beta1")),
        lit(value(card, "beta2"))
    )
}

/// The `torch.optim` constructor (or the script's Lion / Newton) of a card over `params`.
fn torch_optimizer(card: &CardRun, lr: &str) -> String {
    let v = |k| value(card, k);
    let (class, rest) = match card.id.as_str() {
        "sgd" => ("torch.optim.SGD", kwargs(card, &["weight_decay"])),
        "momentum" => (
            "torch.optim.SGD",
            kwargs(card, &["momentum", "dampening", "weight_decay"]),
        ),
        // torch refuses nesterov=True without momentum; μ = 0 is plain SGD in the engine too.
        "nesterov" if v("momentum") == 0.0 => ("torch.optim.SGD", kwargs(card, &["weight_decay"])),
        "nesterov" => (
            "torch.optim.SGD",
            kwargs(card, &["momentum", "weight_decay"]) + ", nesterov=True",
        ),
        "adagrad" => (
            "torch.optim.Adagrad",
            kwargs(
                card,
                &[
                    "lr_decay",
                    "weight_decay",
                    "initial_accumulator_value",
                    "eps",
                ],
            ),
        ),
        "rmsprop" => (
            "torch.optim.RMSprop",
            kwargs(card, &["alpha", "eps", "weight_decay", "momentum"])
                + ", centered="
                + flag(v("centered")),
        ),
        "adadelta" => (
            "torch.optim.Adadelta",
            kwargs(card, &["rho", "eps", "weight_decay"]),
        ),
        "adam" | "amsgrad" | "adamw" | "adamax" | "radam" => {
            let class = match card.id.as_str() {
                "adamw" => "torch.optim.AdamW",
                "adamax" => "torch.optim.Adamax",
                "radam" => "torch.optim.RAdam",
                _ => "torch.optim.Adam",
            };
            let amsgrad = if card.id == "amsgrad" {
                ", amsgrad=True"
            } else {
                ""
            };
            let rest = kwargs(card, &["eps", "weight_decay"]);
            (class, format!("{}, {rest}{amsgrad}", betas(card)))
        }
        "nadam" => (
            "torch.optim.NAdam",
            format!(
                "{}, {}",
                betas(card),
                kwargs(card, &["eps", "weight_decay", "momentum_decay"])
            ),
        ),
        "lion" => (
            "Lion",
            format!("{}, {}", betas(card), kwargs(card, &["weight_decay"])),
        ),
        "newton" => (
            "Newton",
            format!("f=objective, {}", kwargs(card, &["damping"])),
        ),
        other => return format!("None  # unknown optimizer {other}"),
    };
    format!("{class}(params, lr={lr}, {rest})")
}

/// The optax transformation of a card with base rate `lr` (its text names the custom
/// transformations it needs, which is how [`script`] knows which to include).
fn optax_transform(card: &CardRun, lr: &str) -> String {
    let v = |k| lit(value(card, k));
    let sched = format!("schedule({lr})");
    let by_lr = format!("optax.scale_by_learning_rate({sched})");
    let decay = value(card, "weight_decay");
    // PyTorch's coupled L2: g + λθ before the rule.
    let coupled = |rule: String| -> String {
        if decay > 0.0 {
            format!(
                "optax.chain(optax.add_decayed_weights({}), {rule})",
                lit(decay)
            )
        } else {
            rule
        }
    };
    let custom = |rule: String| coupled(format!("optax.chain({rule}, {by_lr})"));
    let (b1, b2, eps) = (v("beta1"), v("beta2"), v("eps"));
    match card.id.as_str() {
        "sgd" => coupled(format!("optax.sgd({sched})")),
        "momentum" if value(card, "dampening") == 0.0 || value(card, "momentum") == 0.0 => {
            coupled(format!("optax.sgd({sched}, momentum={})", v("momentum")))
        }
        "momentum" => custom(format!(
            "pytorch_momentum({}, {})",
            v("momentum"),
            v("dampening")
        )),
        "nesterov" => coupled(format!(
            "optax.sgd({sched}, momentum={}, nesterov=True)",
            v("momentum")
        )),
        "adagrad" => custom(format!(
            "pytorch_adagrad({}, {}, {eps})",
            v("lr_decay"),
            v("initial_accumulator_value")
        )),
        "rmsprop" if value(card, "centered") == 0.0 && value(card, "momentum") == 0.0 => {
            coupled(format!(
                "optax.rmsprop({sched}, decay={}, eps={eps}, eps_in_sqrt=False)",
                v("alpha")
            ))
        }
        "rmsprop" => custom(format!(
            "pytorch_rmsprop({}, {eps}, {}, {})",
            v("alpha"),
            v("momentum"),
            flag(value(card, "centered"))
        )),
        "adadelta" => coupled(format!(
            "optax.adadelta({sched}, rho={}, eps={eps})",
            v("rho")
        )),
        "adam" => coupled(format!("optax.adam({sched}, b1={b1}, b2={b2}, eps={eps})")),
        "amsgrad" => custom(format!("pytorch_amsgrad({b1}, {b2}, {eps})")),
        "adamw" => format!(
            "optax.adamw({sched}, b1={b1}, b2={b2}, eps={eps}, weight_decay={})",
            lit(decay)
        ),
        "adamax" => custom(format!("pytorch_adamax({b1}, {b2}, {eps})")),
        "nadam" => custom(format!(
            "pytorch_nadam({b1}, {b2}, {eps}, {})",
            v("momentum_decay")
        )),
        "radam" => custom(format!("pytorch_radam({b1}, {b2}, {eps})")),
        // Decoupled: optax.lion applies the decay after the sign, as the engine does.
        "lion" => format!(
            "optax.lion({sched}, b1={b1}, b2={b2}, weight_decay={})",
            lit(decay)
        ),
        "newton" => format!("optax.chain(damped_newton({}), {by_lr})", v("damping")),
        other => format!("None  # unknown optimizer {other}"),
    }
}
