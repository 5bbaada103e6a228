//! SGD family: plain, heavy-ball momentum and Nesterov momentum (`torch.optim.SGD`).

use super::{Hyper, HyperParam, Kind, Optimizer, Scale, StepNote};

pub(super) const LR: HyperParam = HyperParam {
    key: "lr",
    label: "learning rate",
    default: 1e-3,
    min: 0.0,
    max: 1e4,
    slider: (1e-5, 10.0),
    kind: Kind::Number(Scale::Log),
    help: "step size η",
};

pub(super) const WEIGHT_DECAY: HyperParam = HyperParam {
    key: "weight_decay",
    label: "weight decay",
    default: 0.0,
    min: 0.0,
    max: 10.0,
    slider: (0.0, 1.0),
    kind: Kind::Number(Scale::Linear),
    help: "L2 penalty λ added to the gradient: g ← g + λθ",
};

pub(super) const SGD_SCHEMA: &[HyperParam] = &[LR, WEIGHT_DECAY];

/// Plain gradient descent: θ ← θ − η (g + λθ).
pub(super) struct Sgd {
    weight_decay: f64,
}

pub(super) fn make_sgd(h: &Hyper, _n: usize) -> Box<dyn Optimizer> {
    Box::new(Sgd {
        weight_decay: h.get("weight_decay"),
    })
}

impl Optimizer for Sgd {
    fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, _: Option<&[f64]>) -> StepNote {
        for (p, &g) in params.iter_mut().zip(grad) {
            let g = g + self.weight_decay * *p;
            *p -= lr * g;
        }
        StepNote::default()
    }
    fn state(&self) -> Vec<(&'static str, Vec<f64>)> {
        Vec::new()
    }
}
