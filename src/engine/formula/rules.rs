//! Every optimizer's update rule as the lines it runs at step t, for its hyperparameters (only
//! the branches in force: no weight-decay line at λ = 0, RMSprop's centred lines only when
//! centred, RAdam's rectified step only once ρₜ > 5, …). tests/formula.rs evaluates these lines
//! and compares them with each optimizer's own step, for every optimizer and both conventions,
//! so the formula shown is the one that runs.
//!
//! Names are the schema keys and PyTorch's state names ([`super::SYMBOLS`]); `g` enters as the
//! gradient the update used and `theta` as the point it was taken at.

use crate::engine::param::Values;
use crate::i18n::Msg;

/// What decides which lines apply: the settings, the step number `t` (from 1) and, for
/// Newton, whether the optimizer fell back to a gradient step.
pub struct Ctx<'a> {
    pub id: &'a str,
    pub h: &'a Values,
    pub t: u64,
    pub fallback: bool,
}

/// Each optimizer's lines, `;`-separated; a line may start with `TAGS|`, and then applies only
/// when every tag holds (see [`holds`]). One table, so the code that picks lines is one loop.
const RULES: &[(&str, &str)] = &[
    ("sgd", "W|g <- g + weight_decay*theta; theta <- theta - lr*g"),
    (
        "momentum",
        "PW|g <- g + weight_decay*theta; KW|theta <- theta - lr*weight_decay*theta;\
         Kd|momentum_buffer <- momentum*momentum_buffer + lr*g;\
         KD|momentum_buffer <- momentum*momentum_buffer + lr*(1 - dampening)*g;\
         K|theta <- theta - momentum_buffer; P1|momentum_buffer <- g;\
         PNd|momentum_buffer <- momentum*momentum_buffer + g;\
         PND|momentum_buffer <- momentum*momentum_buffer + (1 - dampening)*g;\
         P|theta <- theta - lr*momentum_buffer",
    ),
    (
        "nesterov",
        "PW|g <- g + weight_decay*theta; KW|theta <- theta - lr*weight_decay*theta;\
         K|momentum_buffer <- momentum*momentum_buffer + lr*g;\
         K|theta <- theta - (momentum*momentum_buffer + lr*g); P1|momentum_buffer <- g;\
         PN|momentum_buffer <- momentum*momentum_buffer + g;\
         P|theta <- theta - lr*(g + momentum*momentum_buffer)",
    ),
    (
        "adagrad",
        "PW|g <- g + weight_decay*theta; KW|theta <- theta - lr*weight_decay*theta;\
         L|clr = lr/(1 + (t - 1)*lr_decay); sum <- sum + g^2;\
         PL|theta <- theta - clr*g/(sqrt(sum) + eps); Pl|theta <- theta - lr*g/(sqrt(sum) + eps);\
         KL|theta <- theta - clr*g/sqrt(sum + eps); Kl|theta <- theta - lr*g/sqrt(sum + eps)",
    ),
    (
        "rmsprop",
        "PW|g <- g + weight_decay*theta; KW|theta <- theta - lr*weight_decay*theta;\
         square_avg <- alpha*square_avg + (1 - alpha)*g^2;\
         C|grad_avg <- alpha*grad_avg + (1 - alpha)*g;\
         PC|denom = sqrt(max(square_avg - grad_avg^2, 0)) + eps; Pc|denom = sqrt(square_avg) + eps;\
         KC|denom = sqrt(max(square_avg - grad_avg^2, 0) + eps); Kc|denom = sqrt(square_avg + eps);\
         PM|momentum_buffer <- momentum*momentum_buffer + g/denom;\
         PM|theta <- theta - lr*momentum_buffer;\
         KM|momentum_buffer <- momentum*momentum_buffer + lr*g/denom;\
         KM|theta <- theta - momentum_buffer; m|theta <- theta - lr*g/denom",
    ),
    (
        "adadelta",
        "W|g <- g + weight_decay*theta; square_avg <- rho*square_avg + (1 - rho)*g^2;\
         delta = sqrt(acc_delta + eps)/sqrt(square_avg + eps)*g;\
         acc_delta <- rho*acc_delta + (1 - rho)*delta^2; theta <- theta - lr*delta",
    ),
    (
        "adam",
        "PW|g <- g + weight_decay*theta; KW|theta <- theta - lr*weight_decay*theta; MOMENTS;\
         P|mhat = exp_avg/(1 - beta1^t); P|vhat = exp_avg_sq/(1 - beta2^t);\
         P|theta <- theta - lr*mhat/(sqrt(vhat) + eps); K|ALPHA;\
         K|theta <- theta - alpha_t*exp_avg/(sqrt(exp_avg_sq) + eps)",
    ),
    (
        "amsgrad",
        "PW|g <- g + weight_decay*theta; KW|theta <- theta - lr*weight_decay*theta; MOMENTS;\
         max_exp_avg_sq <- max(max_exp_avg_sq, exp_avg_sq);\
         P|mhat = exp_avg/(1 - beta1^t); P|vhat = max_exp_avg_sq/(1 - beta2^t);\
         P|theta <- theta - lr*mhat/(sqrt(vhat) + eps); K|ALPHA;\
         K|theta <- theta - alpha_t*exp_avg/(sqrt(max_exp_avg_sq) + eps)",
    ),
    (
        "adamw",
        "PW|theta <- theta*(1 - lr*weight_decay); KW|theta <- theta - lr*weight_decay*theta;\
         MOMENTS; P|mhat = exp_avg/(1 - beta1^t); P|vhat = exp_avg_sq/(1 - beta2^t);\
         P|theta <- theta - lr*mhat/(sqrt(vhat) + eps); K|ALPHA;\
         K|theta <- theta - alpha_t*exp_avg/(sqrt(exp_avg_sq) + eps)",
    ),
    (
        "adam_nobc",
        "W|g <- g + weight_decay*theta; MOMENTS; theta <- theta - lr*exp_avg/(sqrt(exp_avg_sq) + eps)",
    ),
    (
        "adamax",
        "PW|g <- g + weight_decay*theta; KW|theta <- theta - lr*weight_decay*theta;\
         exp_avg <- beta1*exp_avg + (1 - beta1)*g; clr = lr/(1 - beta1^t);\
         P|exp_inf <- max(beta2*exp_inf, abs(g) + eps); P|theta <- theta - clr*exp_avg/exp_inf;\
         K|exp_inf <- max(beta2*exp_inf, abs(g)); K|theta <- theta - clr*exp_avg/(exp_inf + eps)",
    ),
    (
        "nadam",
        "PW|g <- g + weight_decay*theta; KW|theta <- theta - lr*weight_decay*theta;\
         P|mu_t = beta1*(1 - 0.5*0.96^(t*momentum_decay));\
         P|mu_next = beta1*(1 - 0.5*0.96^((t + 1)*momentum_decay));\
         K|mu_t = beta1*(1 - 0.5*0.96^t); K|mu_next = beta1*(1 - 0.5*0.96^(t + 1));\
         mu_product <- mu_product*mu_t; MOMENTS; denom = sqrt(exp_avg_sq/(1 - beta2^t)) + eps;\
         theta <- theta - lr*(1 - mu_t)/(1 - mu_product)*g/denom \
         - lr*mu_next/(1 - mu_product*mu_next)*exp_avg/denom",
    ),
    (
        "radam",
        "W|g <- g + weight_decay*theta; MOMENTS; mhat = exp_avg/(1 - beta1^t);\
         rho_inf = 2/(1 - beta2) - 1; rho_t = rho_inf - 2*t*beta2^t/(1 - beta2^t);\
         R|r = sqrt((rho_t - 4)*(rho_t - 2)*rho_inf/((rho_inf - 4)*(rho_inf - 2)*rho_t));\
         R|theta <- theta - lr*mhat*r*sqrt(1 - beta2^t)/(sqrt(exp_avg_sq) + eps);\
         r|theta <- theta - lr*mhat",
    ),
    (
        "lion",
        "c = beta1*exp_avg + (1 - beta1)*g; W|theta <- theta - lr*(sign(c) + weight_decay*theta);\
         w|theta <- theta - lr*sign(c); exp_avg <- beta2*exp_avg + (1 - beta2)*g",
    ),
    (
        "newton",
        "f|theta <- theta - lr*hinv(g); F|theta <- theta - lr*g",
    ),
];

/// Whether tag `c` holds in `x`: `K`/`P` Keras or PyTorch convention, `W`/`w` weight decay
/// on/off, `1`/`N` the first or a later step, `D`/`d` dampening in force or not, `L`/`l` a
/// learning-rate decay or none, `C`/`c` centred or not, `M`/`m` momentum or none, `R`/`r`
/// RAdam's rectified step or not (ρₜ > 5), `F`/`f` Newton's gradient fallback or not.
fn holds(c: u8, x: &Ctx) -> bool {
    let get = |key: &str| x.h.iter().find(|(k, _)| *k == key).map_or(0.0, |(_, v)| v);
    let on = match c.to_ascii_uppercase() {
        b'K' => get("keras") != 0.0,
        b'P' => get("keras") == 0.0,
        b'W' => get("weight_decay") != 0.0,
        b'1' => x.t == 1,
        b'N' => x.t > 1,
        // PyTorch ignores dampening without momentum.
        b'D' => get("dampening") != 0.0 && get("momentum") != 0.0,
        b'L' => get("lr_decay") != 0.0,
        b'C' => get("centered") != 0.0,
        b'M' => get("momentum") > 0.0,
        b'R' => {
            let b2 = get("beta2");
            let rho_inf = 2.0 / (1.0 - b2) - 1.0;
            let b2t = libm::pow(b2, x.t as f64);
            rho_inf - 2.0 * x.t as f64 * b2t / (1.0 - b2t) > 5.0
        }
        _ => x.fallback,
    };
    on == (c.is_ascii_uppercase() || c == b'1')
}

/// The rule text of step `x.t` (see [`super::parse_rule`]): the lines whose tags hold.
pub fn rule(x: &Ctx) -> String {
    let text = RULES.iter().find(|(id, _)| *id == x.id).map_or("", |r| r.1);
    let mut out = String::new();
    for line in text.split(';') {
        let (tags, line) = line.split_once('|').unwrap_or(("", line));
        if tags.trim().bytes().all(|c| holds(c, x)) {
            let line = match line.trim() {
                "MOMENTS" => {
                    "exp_avg <- beta1*exp_avg + (1 - beta1)*g;\
                              exp_avg_sq <- beta2*exp_avg_sq + (1 - beta2)*g^2"
                }
                "ALPHA" => "alpha_t = lr*sqrt(1 - beta2^t)/(1 - beta1^t)",
                l => l,
            };
            out.push_str(line);
            out.push(';');
        }
    }
    out
}

/// Where the seed articles (the Chinese articles the product grew from) write this rule
/// differently from the code; `None` where they agree or do not cover it.
pub fn seed_note(id: &str, keras: bool) -> Option<Msg> {
    Some(match id {
        "adam" | "amsgrad" | "adamw" if keras => Msg::SeedAdamKeras,
        "adam" | "amsgrad" | "adamw" => Msg::SeedAdam,
        "adam_nobc" => Msg::SeedNobc,
        "rmsprop" => Msg::SeedRmsprop,
        "adagrad" => Msg::SeedAdagrad,
        "momentum" | "nesterov" => Msg::SeedMomentum,
        "nadam" => Msg::SeedNadam,
        _ => return None,
    })
}
