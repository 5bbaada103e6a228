//! The mean-squared-error objective shared by the linear and polynomial fits: `y ≈ φ(x)·θ`
//! over fixed features φ, optionally with a per-coordinate L2 penalty.
//!
//! The full-data loss is a quadratic form, `θᵀGθ − 2θ·c + e` with `G = ΦᵀΦ/n`, `c = Φᵀy/n`,
//! `e = yᵀy/n`, so those sufficient statistics are computed once and a full-batch value,
//! gradient or Hessian costs O(m²) for m features, whatever the number of points. Only a
//! mini-batch gradient visits the points (O(batch·m)).

/// `G`, `c` and `e` of one set of points (training or validation).
pub(super) struct Moments {
    m: usize,
    gram: Vec<f64>,
    moment: Vec<f64>,
    energy: f64,
}

impl Moments {
    /// The statistics of `targets` against `features` (row-major, `m` per point). No points
    /// give all zeros (a loss of 0).
    pub(super) fn of(features: &[f64], targets: &[f64], m: usize) -> Self {
        let mut gram = vec![0.0; m * m];
        let mut moment = vec![0.0; m];
        let mut energy = 0.0;
        for (row, &y) in features.chunks_exact(m).zip(targets) {
            for i in 0..m {
                moment[i] += row[i] * y;
                for j in 0..m {
                    gram[i * m + j] += row[i] * row[j];
                }
            }
            energy += y * y;
        }
        let n = targets.len().max(1) as f64;
        gram.iter_mut()
            .chain(moment.iter_mut())
            .for_each(|v| *v /= n);
        Moments {
            m,
            gram,
            moment,
            energy: energy / n,
        }
    }

    /// Mean squared residual at `theta`, with `2(Gθ − c)` (its gradient) written to `grad`
    /// when given. Clamped at 0: near an exact fit the expanded form can round below zero,
    /// which a log-scale loss chart could not draw.
    pub(super) fn mse(&self, theta: &[f64], mut grad: Option<&mut [f64]>) -> f64 {
        let m = self.m;
        let mut quad = 0.0;
        for i in 0..m {
            let gi: f64 = (0..m).map(|j| self.gram[i * m + j] * theta[j]).sum();
            quad += theta[i] * (gi - 2.0 * self.moment[i]);
            if let Some(g) = grad.as_deref_mut() {
                g[i] = 2.0 * (gi - self.moment[i]);
            }
        }
        (quad + self.energy).max(0.0)
    }
}

/// Training data, its statistics, and the penalty weights `λⱼ` of `Σ λⱼ θⱼ²`.
pub(super) struct LeastSquares {
    m: usize,
    features: Vec<f64>,
    targets: Vec<f64>,
    train: Moments,
    penalty: Vec<f64>,
}

impl LeastSquares {
    pub(super) fn new(features: Vec<f64>, targets: Vec<f64>, penalty: Vec<f64>) -> Self {
        let m = penalty.len();
        let train = Moments::of(&features, &targets, m);
        LeastSquares {
            m,
            features,
            targets,
            train,
            penalty,
        }
    }

    pub(super) fn samples(&self) -> usize {
        self.targets.len()
    }

    /// The training MSE alone (what runs record).
    pub(super) fn data_loss(&self, theta: &[f64]) -> f64 {
        self.train.mse(theta, None)
    }

    fn penalty(&self, theta: &[f64], grad: Option<&mut [f64]>) -> f64 {
        if let Some(g) = grad {
            for ((g, l), t) in g.iter_mut().zip(&self.penalty).zip(theta) {
                *g += 2.0 * l * t;
            }
        }
        self.penalty.iter().zip(theta).map(|(l, t)| l * t * t).sum()
    }

    /// The objective (MSE + penalty) and its gradient.
    pub(super) fn value_grad(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        self.train.mse(theta, Some(&mut *grad)) + self.penalty(theta, Some(grad))
    }

    pub(super) fn value(&self, theta: &[f64]) -> f64 {
        self.train.mse(theta, None) + self.penalty(theta, None)
    }

    /// The constant Hessian `2(G + diag λ)`.
    pub(super) fn hessian(&self, out: &mut [f64]) {
        for (o, g) in out.iter_mut().zip(&self.train.gram) {
            *o = 2.0 * g;
        }
        for (i, l) in self.penalty.iter().enumerate() {
            out[i * self.m + i] += 2.0 * l;
        }
    }

    /// The objective over the points `indices`: their mean squared residual plus the penalty,
    /// so the batch of all points gives the full objective.
    pub(super) fn batch_value_grad(
        &self,
        theta: &[f64],
        indices: &[usize],
        grad: &mut [f64],
    ) -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut sum = 0.0;
        for &i in indices {
            let row = &self.features[i * self.m..(i + 1) * self.m];
            let r: f64 = row.iter().zip(theta).map(|(f, t)| f * t).sum::<f64>() - self.targets[i];
            sum += r * r;
            for (g, f) in grad.iter_mut().zip(row) {
                *g += 2.0 * r * f;
            }
        }
        let k = indices.len().max(1) as f64;
        grad.iter_mut().for_each(|g| *g /= k);
        sum / k + self.penalty(theta, Some(grad))
    }

    /// The minimiser of the objective by the normal equations `(G + diag λ)θ = c`, or `None`
    /// when they are singular (fewer distinct points than features and no penalty).
    pub(super) fn optimum(&self) -> Option<Vec<f64>> {
        let mut a = self.train.gram.clone();
        for (i, l) in self.penalty.iter().enumerate() {
            a[i * self.m + i] += l;
        }
        solve(a, self.train.moment.clone())
    }
}

/// `x` with `A x = b` (A row-major, n × n) by Gaussian elimination with partial pivoting, or
/// `None` when a pivot is negligible next to A's largest entry (A singular to working
/// precision).
pub(super) fn solve(mut a: Vec<f64>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    let scale = a.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if scale == 0.0 || !scale.is_finite() {
        return None;
    }
    for col in 0..n {
        let pivot =
            (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        if a[pivot * n + col].abs() <= 1e-12 * scale {
            return None;
        }
        for k in 0..n {
            a.swap(col * n + k, pivot * n + k);
        }
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row * n + col] / a[col * n + col];
            for k in col..n {
                a[row * n + k] -= f * a[col * n + k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let rest: f64 = (row + 1..n).map(|k| a[row * n + k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row * n + row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}
