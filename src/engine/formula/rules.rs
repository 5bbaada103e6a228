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

impl Ctx<'_> {
    fn get(&self, key: &str) -> f64 {
        if self.h.schema().iter().any(|p| p.key == key) {
            self.h.get(key)
        } else {
            0.0
        }
    }
    fn keras(&self) -> bool {
        self.get("keras") != 0.0
    }
}

/// The rule text of step `c.t` (see [`super::parse_rule`]).
pub fn rule(c: &Ctx) -> String {
    let mut r = String::new();
    let wd = c.get("weight_decay") != 0.0;
    let keras = c.keras();
    let decoupled = keras || c.id == "adamw" || c.id == "lion";
    if wd && !decoupled && c.id != "newton" {
        r += "g <- g + weight_decay*theta;";
    }
    if wd && keras {
        r += "theta <- theta - lr*weight_decay*theta;";
    }
    let tau = if c.get("dampening") != 0.0 && c.get("momentum") != 0.0 {
        "(1 - dampening)*"
    } else {
        ""
    };
    let moments = "exp_avg <- beta1*exp_avg + (1 - beta1)*g;\
                   exp_avg_sq <- beta2*exp_avg_sq + (1 - beta2)*g^2;";
    match c.id {
        "sgd" => r += "theta <- theta - lr*g",
        "momentum" | "nesterov" if keras => {
            r += &format!("momentum_buffer <- momentum*momentum_buffer + lr*{tau}g;");
            r += if c.id == "nesterov" {
                "theta <- theta - (momentum*momentum_buffer + lr*g)"
            } else {
                "theta <- theta - momentum_buffer"
            };
        }
        "momentum" | "nesterov" => {
            r += &if c.t == 1 {
                "momentum_buffer <- g;".to_string()
            } else {
                format!("momentum_buffer <- momentum*momentum_buffer + {tau}g;")
            };
            r += if c.id == "nesterov" {
                "theta <- theta - lr*(g + momentum*momentum_buffer)"
            } else {
                "theta <- theta - lr*momentum_buffer"
            };
        }
        "adagrad" => {
            let lr = if c.get("lr_decay") != 0.0 {
                r += "clr = lr/(1 + (t - 1)*lr_decay);";
                "clr"
            } else {
                "lr"
            };
            r += "sum <- sum + g^2;";
            r += &if keras {
                format!("theta <- theta - {lr}*g/sqrt(sum + eps)")
            } else {
                format!("theta <- theta - {lr}*g/(sqrt(sum) + eps)")
            };
        }
        "rmsprop" => {
            r += "square_avg <- alpha*square_avg + (1 - alpha)*g^2;";
            let v = if c.get("centered") != 0.0 {
                r += "grad_avg <- alpha*grad_avg + (1 - alpha)*g;";
                "max(square_avg - grad_avg^2, 0)"
            } else {
                "square_avg"
            };
            r += &if keras {
                format!("denom = sqrt({v} + eps);")
            } else {
                format!("denom = sqrt({v}) + eps;")
            };
            r += match (c.get("momentum") > 0.0, keras) {
                (true, true) => {
                    "momentum_buffer <- momentum*momentum_buffer + lr*g/denom;\
                                 theta <- theta - momentum_buffer"
                }
                (true, false) => {
                    "momentum_buffer <- momentum*momentum_buffer + g/denom;\
                                  theta <- theta - lr*momentum_buffer"
                }
                _ => "theta <- theta - lr*g/denom",
            };
        }
        "adadelta" => {
            r += "square_avg <- rho*square_avg + (1 - rho)*g^2;\
                  delta = sqrt(acc_delta + eps)/sqrt(square_avg + eps)*g;\
                  acc_delta <- rho*acc_delta + (1 - rho)*delta^2;\
                  theta <- theta - lr*delta";
        }
        "adam" | "amsgrad" | "adamw" | "adam_nobc" => {
            if c.id == "adamw" && wd && !keras {
                r += "theta <- theta*(1 - lr*weight_decay);";
            }
            r += moments;
            let v = if c.id == "amsgrad" {
                r += "max_exp_avg_sq <- max(max_exp_avg_sq, exp_avg_sq);";
                "max_exp_avg_sq"
            } else {
                "exp_avg_sq"
            };
            r += &if c.id == "adam_nobc" {
                format!("theta <- theta - lr*exp_avg/(sqrt({v}) + eps)")
            } else if keras {
                format!(
                    "alpha_t = lr*sqrt(1 - beta2^t)/(1 - beta1^t);\
                     theta <- theta - alpha_t*exp_avg/(sqrt({v}) + eps)"
                )
            } else {
                format!(
                    "mhat = exp_avg/(1 - beta1^t); vhat = {v}/(1 - beta2^t);\
                     theta <- theta - lr*mhat/(sqrt(vhat) + eps)"
                )
            };
        }
        "adamax" => {
            r += "exp_avg <- beta1*exp_avg + (1 - beta1)*g; clr = lr/(1 - beta1^t);";
            r += if keras {
                "exp_inf <- max(beta2*exp_inf, abs(g)); theta <- theta - clr*exp_avg/(exp_inf + eps)"
            } else {
                "exp_inf <- max(beta2*exp_inf, abs(g) + eps); theta <- theta - clr*exp_avg/exp_inf"
            };
        }
        "nadam" => {
            let psi = if keras { "" } else { "*momentum_decay" };
            r += &format!(
                "mu_t = beta1*(1 - 0.5*0.96^(t{psi})); mu_next = beta1*(1 - 0.5*0.96^((t + 1){psi}));\
                 mu_product <- mu_product*mu_t;"
            );
            r += moments;
            r += "denom = sqrt(exp_avg_sq/(1 - beta2^t)) + eps;\
                  theta <- theta - lr*(1 - mu_t)/(1 - mu_product)*g/denom \
                  - lr*mu_next/(1 - mu_product*mu_next)*exp_avg/denom";
        }
        "radam" => {
            r += moments;
            r += "mhat = exp_avg/(1 - beta1^t); rho_inf = 2/(1 - beta2) - 1;\
                  rho_t = rho_inf - 2*t*beta2^t/(1 - beta2^t);";
            let b2 = c.get("beta2");
            let rho_inf = 2.0 / (1.0 - b2) - 1.0;
            let b2t = libm::pow(b2, c.t as f64);
            let rho_t = rho_inf - 2.0 * c.t as f64 * b2t / (1.0 - b2t);
            r += if rho_t > 5.0 {
                "r = sqrt((rho_t - 4)*(rho_t - 2)*rho_inf/((rho_inf - 4)*(rho_inf - 2)*rho_t));\
                 theta <- theta - lr*mhat*r*sqrt(1 - beta2^t)/(sqrt(exp_avg_sq) + eps)"
            } else {
                "theta <- theta - lr*mhat"
            };
        }
        "lion" => {
            r += "c = beta1*exp_avg + (1 - beta1)*g;";
            r += if wd {
                "theta <- theta - lr*(sign(c) + weight_decay*theta);"
            } else {
                "theta <- theta - lr*sign(c);"
            };
            r += "exp_avg <- beta2*exp_avg + (1 - beta2)*g";
        }
        "newton" if c.fallback => r += "theta <- theta - lr*g",
        "newton" => r += "theta <- theta - lr*hinv(g)",
        _ => {}
    }
    r
}

/// Where the seed articles (../shared/seeds) write this rule differently from the code; `None`
/// where they agree or do not cover it.
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
