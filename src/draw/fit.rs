//! The fit view's framing and hit-testing, without a browser: the region that shows a dataset
//! with room around it, and which point a click or drag grabs.

use super::viewport::Bounds;
use crate::engine::task::data::DataPoint;

/// Where a dataset is shown: its points' box (regressions: x at least 0…1, where the generated
/// data lie) widened by an eighth on every side, never empty.
pub fn data_view(points: &[DataPoint], regression: bool) -> Bounds {
    let (mut x0, mut x1, mut y0, mut y1) = if regression {
        (0.0, 1.0, f64::INFINITY, f64::NEG_INFINITY)
    } else {
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        )
    };
    for p in points.iter().filter(|p| p.x.is_finite() && p.y.is_finite()) {
        x0 = x0.min(p.x);
        x1 = x1.max(p.x);
        y0 = y0.min(p.y);
        y1 = y1.max(p.y);
    }
    let widen = |lo: f64, hi: f64| -> (f64, f64) {
        if !(lo.is_finite() && hi.is_finite()) {
            return (0.0, 1.0);
        }
        let pad = ((hi - lo) / 8.0).max(0.25);
        (lo - pad, hi + pad)
    };
    let (x0, x1) = widen(x0, x1);
    let (y0, y1) = widen(y0, y1);
    [x0, x1, y0, y1]
}

/// The point within `radius` (world units along each axis: `[rx, ry]`) of `at` that is
/// nearest to it in those units, if any.
pub fn nearest(points: &[DataPoint], at: [f64; 2], radius: [f64; 2]) -> Option<usize> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                i,
                ((p.x - at[0]) / radius[0]).hypot((p.y - at[1]) / radius[1]),
            )
        })
        .filter(|(_, d)| *d <= 1.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}
