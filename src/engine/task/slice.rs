//! A learning task's loss over a drawing plane, as a 2-D [`Surface`]: what the page's
//! surface view draws (heat-map, contours, the optimum, the hover read-out) for a task. The
//! paths it shows are the runs' own points, which the task projects onto its own plane (or
//! [`Plane::redraw`] onto another).

use std::sync::Arc;

use super::{LearningTask, Plane};
use crate::engine::scene::Task;
use crate::engine::surface::{Surface, SurfaceInfo};

/// The objective the optimizers follow (the L2 penalty included, so the contours and the
/// gradient agree with the paths), restricted to the plane.
pub struct Slice {
    task: Arc<dyn LearningTask>,
    plane: Plane,
    /// The view, when not the task's box seen along the plane.
    view: Option<[f64; 4]>,
}

impl Slice {
    /// The loss over the task's own plane.
    pub fn new(task: Arc<dyn LearningTask>) -> Self {
        let plane = task.plane().clone();
        Slice {
            task,
            plane,
            view: None,
        }
    }

    /// The loss over `plane` (e.g. [`super::pca_plane`]) in `view` (e.g.
    /// [`super::view_around`] the paths).
    pub fn on(task: Arc<dyn LearningTask>, plane: Plane, view: [f64; 4]) -> Self {
        Slice {
            task,
            plane,
            view: Some(view),
        }
    }

    fn plane(&self) -> &Plane {
        &self.plane
    }
}

/// The most parameters [`Slice::value`] lifts onto the stack (a degree-12 polynomial has 13).
const LIFTED_ON_STACK: usize = 16;

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `aᵀ H b` for a row-major n × n `h`.
fn quadratic_form(a: &[f64], h: &[f64], b: &[f64]) -> f64 {
    let n = a.len();
    (0..n)
        .map(|i| a[i] * (0..n).map(|j| h[i * n + j] * b[j]).sum::<f64>())
        .sum()
}

impl Surface for Slice {
    /// On the stack up to [`LIFTED_ON_STACK`] parameters (every task's size): the heat-map and
    /// its contours evaluate this once per cell, and an allocation each made a task's map
    /// twice as slow as a built-in surface's.
    fn value(&self, q: [f64; 2]) -> f64 {
        let n = self.plane.origin.len();
        if n <= LIFTED_ON_STACK {
            let mut p = [0.0; LIFTED_ON_STACK];
            self.plane.lift_into(q, &mut p[..n]);
            return self.task.value(&p[..n]);
        }
        self.task.value(&self.plane().lift(q))
    }

    fn value_grad(&self, q: [f64; 2]) -> (f64, [f64; 2]) {
        let p = self.plane().lift(q);
        let mut g = vec![0.0; p.len()];
        let v = self.task.value_grad(&p, &mut g);
        (v, [dot(&g, &self.plane().u), dot(&g, &self.plane().v)])
    }

    fn value_grad_hessian(&self, q: [f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        let p = self.plane().lift(q);
        let n = p.len();
        let (mut g, mut h) = (vec![0.0; n], vec![0.0; n * n]);
        let v = self.task.value_grad_hessian(&p, &mut g, &mut h);
        let (u, w) = (&self.plane().u, &self.plane().v);
        let uw = quadratic_form(u, &h, w);
        (
            v,
            [dot(&g, u), dot(&g, w)],
            [
                [quadratic_form(u, &h, u), uw],
                [uw, quadratic_form(w, &h, w)],
            ],
        )
    }

    /// Empty: a task's script is written from the task itself
    /// ([`crate::engine::export`]), and a slice is never a scene's surface.
    fn python(&self) -> String {
        String::new()
    }

    /// The view spans the task's box along each drawn direction; the optimum (where one
    /// exists) is the marked minimum.
    fn info(&self) -> SurfaceInfo {
        let plane = self.plane();
        let bounds = self.task.bounds();
        let centre: Vec<f64> = bounds.iter().map(|[lo, hi]| (lo + hi) / 2.0).collect();
        let [cx, cy] = plane.project(&centre);
        let reach = |axis: &[f64]| -> f64 {
            axis.iter()
                .zip(&bounds)
                .map(|(a, [lo, hi])| a.abs() * (hi - lo) / 2.0)
                .sum()
        };
        let (hx, hy) = (reach(&plane.u), reach(&plane.v));
        SurfaceInfo {
            view: self.view.unwrap_or([cx - hx, cx + hx, cy - hy, cy + hy]),
            minima: self
                .task
                .optimum()
                .map(|o| vec![plane.project(o)])
                .unwrap_or_default(),
            default_start: plane.project(&self.task.start()),
            log_scale: true,
            formula: formula(self.task.kind(), self.task.points().len()),
            expr: String::new(),
        }
    }
}

/// The loss as the page states it.
fn formula(task: Task, n: usize) -> String {
    match task {
        Task::Linear => format!("MSE = (1/{n}) Σ (w·xᵢ + b − yᵢ)², over (w, b)"),
        Task::Polynomial => format!(
            "MSE = mean over the training points of (Σⱼ wⱼ·Pⱼ(2xᵢ − 1) − yᵢ)² + l2·Σⱼ≥1 wⱼ², \
             Legendre Pⱼ ({n} points, some held out)"
        ),
        Task::Logistic => format!(
            "BCE = −(1/{n}) Σ [yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ))], zᵢ = w1·x1ᵢ + w2·x2ᵢ + b"
        ),
    }
}
