//! The surface heat-map: sampled once per surface and size into RGBA pixels, then cached by the
//! caller. Drawing it pixel by pixel through plotters would be far too slow.

use crate::engine::surface::Surface;

/// RGBA pixels (row-major, top row = largest y) of `surface` over `view` at `w × h`.
/// Colours use cividis (colour-blind safe); `log_scale` maps log(1 + f − min) instead of f.
pub fn render(
    surface: &dyn Surface,
    view: [f64; 4],
    w: usize,
    h: usize,
    log_scale: bool,
) -> Vec<u8> {
    let [x0, x1, y0, y1] = view;
    let mut values = Vec::with_capacity(w * h);
    for row in 0..h {
        let y = y1 - (row as f64 + 0.5) / h as f64 * (y1 - y0);
        for col in 0..w {
            let x = x0 + (col as f64 + 0.5) / w as f64 * (x1 - x0);
            values.push(surface.value([x, y]));
        }
    }
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let shade = |v: f64| -> f64 {
        if log_scale {
            (v - lo).ln_1p()
        } else {
            v - lo
        }
    };
    let top = shade(hi).max(f64::MIN_POSITIVE);
    let mut rgba = Vec::with_capacity(w * h * 4);
    for v in values {
        let [r, g, b] = if v.is_finite() {
            colorous::CIVIDIS.eval_continuous(shade(v) / top).as_array()
        } else {
            [255, 255, 255]
        };
        rgba.extend_from_slice(&[r, g, b, 255]);
    }
    rgba
}
