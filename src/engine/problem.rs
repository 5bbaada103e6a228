//! The N-dimensional objective that runs drive.
//!
//! A [`Problem`] is a function of a parameter vector `θ ∈ ℝⁿ`: its value, exact gradient and
//! (when a second-order optimizer asks) exact Hessian; optionally a stochastic gradient over a
//! sample of its data points (mini-batch SGD on a learning task); the names of its parameters;
//! a box of typical values per coordinate (what "diverged" and "stays in view" are judged
//! against); and the 2-D projection the page draws. A 2-D surface is one kind of problem (every
//! [`crate::engine::surface::Surface`] is one, projected by the identity); learning tasks are
//! another.
//!
//! Evaluations write into caller-owned slices rather than returning vectors so that a run
//! allocates its buffers once, not once per step: a 100,000-step run costs what it did when
//! the engine was 2-D only.

/// An objective of `dim()` parameters that [`crate::engine::run::run`] can minimise.
///
/// Slices passed in have length `dim()` (`hessian`: `dim()²`, row-major); implementations may
/// assume so.
pub trait Problem: Send + Sync {
    /// The number of parameters n.
    fn dim(&self) -> usize;

    /// One name per parameter, in order (`x`, `y` for surfaces; `w`, `b` for a linear fit):
    /// column headers for the CLI and labels for the page.
    fn param_names(&self) -> Vec<String>;

    fn value(&self, p: &[f64]) -> f64;

    /// The value, with the exact gradient written into `grad`.
    fn value_grad(&self, p: &[f64], grad: &mut [f64]) -> f64;

    /// The value, with the exact gradient written into `grad` and the exact Hessian into
    /// `hessian` (row-major n × n). Runs call it only for optimizers that need curvature.
    fn value_grad_hessian(&self, p: &[f64], grad: &mut [f64], hessian: &mut [f64]) -> f64;

    /// The loss a run records at `p`, given the objective `value` there: the objective itself,
    /// unless the problem minimises a penalised objective but reports the data loss alone (a
    /// polynomial fit with an L2 penalty reports its mean squared error, as the CLI's `loss`
    /// column and the page's loss chart promise).
    fn reported_loss(&self, p: &[f64], value: f64) -> f64 {
        let _ = p;
        value
    }

    /// How many data points a stochastic gradient can sample from, or `None` when the problem
    /// is not a sum over data (surfaces), in which case runs refuse mini-batches.
    fn sample_count(&self) -> Option<usize> {
        None
    }

    /// The value and gradient of the loss over the data points `indices` only (each index
    /// `< sample_count()`), scaled like the full loss (a mean over the batch when the full
    /// loss is a mean over the data), so that the batch of all indices gives the full gradient
    /// up to rounding. Called only when [`Problem::sample_count`] is `Some`; the default is
    /// the full gradient.
    fn batch_value_grad(&self, p: &[f64], indices: &[usize], grad: &mut [f64]) -> f64 {
        let _ = indices;
        self.value_grad(p, grad)
    }

    /// A box `[lo, hi]` per coordinate where the interesting part of the problem lies (a
    /// surface's view). A run counts as diverged once a coordinate strays more than
    /// [`crate::engine::run::ESCAPE_FACTOR`] times the box's longest side from the box's centre,
    /// and [`crate::engine::run::suggest_lr`] prefers rates whose path stays within the box
    /// widened by a quarter of each side.
    fn bounds(&self) -> Vec<[f64; 2]>;

    /// Where `p` is drawn on the page's 2-D plot. The default shows the first two coordinates
    /// (the second as 0 for a 1-D problem); surfaces are drawn as they are.
    fn project(&self, p: &[f64]) -> [f64; 2] {
        first_two(p)
    }

    /// The drawn direction of a vector `v` (a gradient, a velocity) attached at `p`: the
    /// differential of [`Problem::project`] at `p` applied to `v`. It must agree with
    /// `project`; the default agrees with the default `project`.
    fn project_tangent(&self, p: &[f64], v: &[f64]) -> [f64; 2] {
        let _ = p;
        first_two(v)
    }

    /// The exact gradient as a fresh vector: for tests and one-off callers, not per-step code.
    fn gradient(&self, p: &[f64]) -> Vec<f64> {
        let mut g = vec![0.0; self.dim()];
        self.value_grad(p, &mut g);
        g
    }

    /// The exact Hessian (row-major) as a fresh vector: for tests and one-off callers.
    fn hessian(&self, p: &[f64]) -> Vec<f64> {
        let n = self.dim();
        let (mut g, mut h) = (vec![0.0; n], vec![0.0; n * n]);
        self.value_grad_hessian(p, &mut g, &mut h);
        h
    }
}

fn first_two(v: &[f64]) -> [f64; 2] {
    [
        v.first().copied().unwrap_or(0.0),
        v.get(1).copied().unwrap_or(0.0),
    ]
}
