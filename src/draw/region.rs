//! The part of a layer that a redraw touches. A software-rastered canvas is copied to the
//! compositor whole after every change, at a cost that grows with its area (about 1.4 ms for a
//! 905 × 398 canvas on the benchmark machine, more than stroking the path on it). So the live
//! layer of the surface view is a canvas only as large as what changed on it, placed over the
//! plot: a slider drag re-uploads the box around one path, not the whole view.

/// A rectangle in CSS pixels, on the [`SNAP`] grid (so a drag that moves a path a little
/// keeps the same canvas), inside the box it was cut from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Region {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// The grid regions snap to, in CSS pixels.
pub const SNAP: f64 = 64.0;

impl Region {
    /// The smallest region on the grid holding every finite point of `points` (CSS pixels)
    /// grown by `margin`, cut to the box `[0, width] × [0, height]`; `None` when no finite
    /// point lies within reach of the box.
    pub fn covering(
        points: impl IntoIterator<Item = (f64, f64)>,
        margin: f64,
        (width, height): (f64, f64),
    ) -> Option<Region> {
        let mut span: Option<[f64; 4]> = None;
        for (x, y) in points {
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            let s = span.get_or_insert([x, x, y, y]);
            *s = [s[0].min(x), s[1].max(x), s[2].min(y), s[3].max(y)];
        }
        let [x0, x1, y0, y1] = span?;
        let cut = |lo: f64, hi: f64, end: f64| {
            let lo = ((lo - margin) / SNAP).floor() * SNAP;
            let hi = ((hi + margin) / SNAP).ceil() * SNAP;
            let (lo, hi) = (lo.clamp(0.0, end), hi.clamp(0.0, end));
            (hi > lo).then_some((lo, hi - lo))
        };
        let (left, width) = cut(x0, x1, width)?;
        let (top, height) = cut(y0, y1, height)?;
        Some(Region {
            left,
            top,
            width,
            height,
        })
    }
}
