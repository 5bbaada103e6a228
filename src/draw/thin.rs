//! Polylines thinned to what a screen can show: a converged path piles thousands of points on
//! one pixel, and each point kept is a call across into the canvas and a segment to raster.

/// The points of `pixels` worth drawing: the first, every point at least `min_step` (Manhattan
/// distance, in pixels) from the last one kept, and always the last.
pub fn thin(pixels: impl ExactSizeIterator<Item = (f64, f64)>, min_step: f64) -> Vec<(f64, f64)> {
    let end = pixels.len().saturating_sub(1);
    let mut kept: Vec<(f64, f64)> = Vec::new();
    for (i, p) in pixels.enumerate() {
        let far = kept
            .last()
            .is_none_or(|last| (p.0 - last.0).abs() + (p.1 - last.1).abs() >= min_step);
        if i == 0 || i == end || far {
            kept.push(p);
        }
    }
    kept
}
