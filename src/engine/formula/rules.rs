//! Every optimizer's update rule as the lines it runs at step t, for its hyperparameters (only
//! the branches in force: no weight-decay line at λ = 0, RMSprop's centred lines only when
//! centred, RAdam's rectified step only once ρₜ > 5, …). tests/formula.rs evaluates these lines
//! and compares them with each optimizer's own step, for every optimizer and both conventions,
//! so the formula shown is the one that runs.
//!
//! Names are the schema keys and PyTorch's state names ([`super::SYMBOLS`]); `g` enters as the
//! gradient the update used and `theta` as the point it was taken at.

use crate::engine::param::Values;
use crate::engine::scene::Lang;

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

/// Where the seed articles (../shared/seeds) write this rule differently from the code, in
/// `lang`; empty where they agree or do not cover it.
pub fn seed_note(id: &str, keras: bool, lang: Lang) -> &'static str {
    let zh = lang == Lang::Zh;
    match id {
        "adam" | "amsgrad" | "adamw" if keras => {
            if zh {
                "Keras 把 ε 加在未修正的 √v 上：相当于 PyTorch 中的 ε·√(1−β₂ᵗ)，前几步影响更大。种子文章 000 写成 √(v̂ + ε)，三者都不相同。"
            } else {
                "Keras adds ε to the uncorrected √v: PyTorch's ε times √(1−β₂ᵗ), which weighs more in the first steps. Seed article 000 writes √(v̂ + ε), which is neither."
            }
        }
        "adam" | "amsgrad" | "adamw" => {
            if zh {
                "种子文章 000 把 ε 放在根号里 √(v̂ + ε)，001、003 与 PyTorch 一致放在外面；002 的公式 θ − α·m/(1 − β₁ᵗ) 完全没有 √v̂；004 的 αₜ = η/(1 − β₁ᵗ)/√(1 − β₂ᵗ) 去掉了 v，代码还把残差而不是梯度送进 m 和 v：这些都不是 Adam。"
            } else {
                "Seed article 000 puts ε inside the root, √(v̂ + ε); 001 and 003 put it outside, as PyTorch does. 002's θ − α·m/(1 − β₁ᵗ) has no √v̂ at all, and 004's αₜ = η/(1 − β₁ᵗ)/√(1 − β₂ᵗ) drops v and feeds residuals, not gradients, into m and v: none of these is Adam."
            }
        }
        "adam_nobc" => {
            if zh {
                "不是 PyTorch 的算法，仅用于教学：没有偏差修正（m̂、v̂），第 t 步被放大 (1−β₁ᵗ)/√(1−β₂ᵗ) 倍，默认 β 下第一步约为 3 倍。"
            } else {
                "Not in PyTorch: teaching only. Without bias correction (m̂, v̂) step t is scaled by (1−β₁ᵗ)/√(1−β₂ᵗ): about 3× at t = 1 with the default betas."
            }
        }
        "rmsprop" => {
            if zh {
                "种子文章 000、001、002 写成 η/√(v + ε)：这是 Keras 的放法（keras=1）；PyTorch 把 ε 加在根号外。"
            } else {
                "Seed articles 000, 001 and 002 write η/√(v + ε): Keras's placement (keras=1); PyTorch adds ε outside the root."
            }
        }
        "adagrad" => {
            if zh {
                "种子文章 001、002 写成 √(G + ε)：这是 Keras 的放法（Keras 还让 s 从 0.1 开始）；002 的代码用 g/√(g·g) 代替累积和，那不是 AdaGrad。"
            } else {
                "Seed articles 001 and 002 write √(G + ε): Keras's placement (Keras also starts s at 0.1); 002's code divides g by √(g·g), not by the running sum, which is not AdaGrad."
            }
        }
        "momentum" | "nesterov" => {
            if zh {
                "种子文章 001 写成 v = γv + η∇J、θ ← θ − v：即 Keras 的形式（η 在速度里），学习率不变时路径相同；003 写成平均 v = βv + (1 − β)∇J，相当于这里的 dampening = momentum。"
            } else {
                "Seed article 001 writes v = γv + η∇J, θ ← θ − v: Keras's form (η inside the velocity), the same path while η is constant; 003 writes the average v = βv + (1 − β)∇J, which is dampening = momentum here."
            }
        }
        "nadam" => {
            if zh {
                "Keras 的 μₜ 用 0.96ᵗ；PyTorch 用 0.96^(tψ)，ψ = 0.004 时预热慢 250 倍。"
            } else {
                "Keras's μₜ uses 0.96ᵗ; PyTorch's 0.96^(tψ), with ψ = 0.004, warms up 250 times more slowly."
            }
        }
        _ => "",
    }
}
