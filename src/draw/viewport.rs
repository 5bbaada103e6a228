//! The surface view's window on the (x, y) plane. A surface declares the region worth seeing;
//! the view shows at least that region with one unit of x as long on screen as one unit of y,
//! widening whichever axis has room to spare, so circles stay circles and a gradient meets its
//! contour at a right angle. Stretched (`stretch=1`, for axes that are different quantities),
//! it shows exactly that region, with a scale of its own on each axis.

use crate::engine::number;

/// `[x0, x1, y0, y1]` with x0 < x1 and y0 < y1.
pub type Bounds = [f64; 4];

use crate::engine::scene::{MAX_VIEW_SPAN as MAX_SPAN, MIN_VIEW_SPAN as MIN_SPAN};

/// Where the plotting area sits inside the canvas, in device pixels, and which region of the
/// (x, y) plane it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub view: Bounds,
}

impl Frame {
    /// Canvas pixel of the point `p`.
    pub fn to_pixel(self, p: [f64; 2]) -> (f64, f64) {
        let [x0, x1, y0, y1] = self.view;
        (
            self.left + (p[0] - x0) / (x1 - x0) * self.width,
            self.top + (y1 - p[1]) / (y1 - y0) * self.height,
        )
    }

    /// The point under canvas pixel `(px, py)`, if it lies in the plotting area.
    pub fn to_world(self, px: f64, py: f64) -> Option<[f64; 2]> {
        let [x0, x1, y0, y1] = self.view;
        let (u, v) = ((px - self.left) / self.width, (py - self.top) / self.height);
        ((0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&v))
            .then_some([x0 + u * (x1 - x0), y1 - v * (y1 - y0)])
    }

    /// World units per canvas pixel along x and along y (equal at true aspect).
    pub fn units_per_pixel(self) -> [f64; 2] {
        let [x0, x1, y0, y1] = self.view;
        [(x1 - x0) / self.width, (y1 - y0) / self.height]
    }
}

fn spans([x0, x1, y0, y1]: Bounds) -> (f64, f64) {
    (x1 - x0, y1 - y0)
}

fn valid(b: Bounds) -> bool {
    let (sx, sy) = spans(b);
    b.iter().all(|v| v.is_finite()) && sx > 0.0 && sy > 0.0
}

/// `wanted` widened about its centre along one axis so that a `width × height` pixel area
/// shows both axes at the same scale. The axis that already fills its side keeps its exact
/// bounds (so a default view's tick labels stay round). Degenerate input comes back as given.
pub fn true_aspect(wanted: Bounds, width: f64, height: f64) -> Bounds {
    if !(valid(wanted) && width > 0.0 && height > 0.0) {
        return wanted;
    }
    let [x0, x1, y0, y1] = wanted;
    let (sx, sy) = spans(wanted);
    if sx / width >= sy / height {
        let half = sx / width * height / 2.0;
        let c = (y0 + y1) / 2.0;
        [x0, x1, c - half, c + half]
    } else {
        let half = sy / height * width / 2.0;
        let c = (x0 + x1) / 2.0;
        [c - half, c + half, y0, y1]
    }
}

/// `view` scaled by `factor` (< 1 zooms in) about `anchor`, which stays where it is on screen.
/// Both axes scale alike, so the aspect is kept. A zoom past the span limits leaves `view` as it was.
pub fn zoom(view: Bounds, anchor: [f64; 2], factor: f64) -> Bounds {
    let [x0, x1, y0, y1] = view;
    let [ax, ay] = anchor;
    let z = [
        ax + (x0 - ax) * factor,
        ax + (x1 - ax) * factor,
        ay + (y0 - ay) * factor,
        ay + (y1 - ay) * factor,
    ];
    let (sx, sy) = spans(z);
    let within = |s: f64| (MIN_SPAN..=MAX_SPAN).contains(&s);
    if factor > 0.0 && valid(z) && within(sx) && within(sy) {
        z
    } else {
        view
    }
}

/// `view` moved by `(dx, dy)` in world units.
pub fn pan(view: Bounds, dx: f64, dy: f64) -> Bounds {
    let [x0, x1, y0, y1] = view;
    let moved = [x0 + dx, x1 + dx, y0 + dy, y1 + dy];
    if valid(moved) {
        moved
    } else {
        view
    }
}

/// `p` rounded to a grid of about a thousandth of the view along each axis: a pixel cannot be
/// placed more precisely anyway, and links carry `start=-1.234,0.87` instead of seventeen
/// digits. Per axis, so a stretched view whose y spans a thousandth of its x keeps its y.
pub fn snap(p: [f64; 2], view: Bounds) -> [f64; 2] {
    let (sx, sy) = spans(view);
    [
        round_to_decade(p[0], sx / 1000.0),
        round_to_decade(p[1], sy / 1000.0),
    ]
}

/// The view rounded to a few significant digits of its span, for the link: `view=` stays
/// readable after a wheel zoom, and a reload shows the same window to well under a pixel.
pub fn tidy(view: Bounds) -> Bounds {
    let (sx, sy) = spans(view);
    let tidied = view.map(|v| round_to_decade(v, sx.min(sy) / 10_000.0));
    if valid(tidied) {
        tidied
    } else {
        view
    }
}

/// `v` rounded to the power of ten at or below `grain` (`v` itself when there is none),
/// reprinted through its decimal text so 0.1 + 0.2-style noise does not reach a link.
fn round_to_decade(v: f64, grain: f64) -> f64 {
    let step = 10f64.powf(grain.log10().floor());
    if !(step.is_finite() && step > 0.0) {
        return v;
    }
    let r = (v / step).round() * step;
    let digits = (-step.log10()).max(0.0) as usize;
    number::parse(&format!("{r:.digits$}")).unwrap_or(r)
}
