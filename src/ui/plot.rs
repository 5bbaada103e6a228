//! The surface view's drawing: plotters for axes and labels, the engine's sampled [`Field`] put
//! straight into the plotting area with its contour lines (cached by the caller per
//! surface/view/size), and the paths, heads and arrows on a transparent overlay per frame.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData, Path2d};

use super::path_cache::PathCache;
use super::perf;
use crate::engine::field::{ColourScale, Field};
use crate::engine::run::Trajectory;
use crate::engine::surface::Surface;

/// Where the plotting area sits inside the canvas, in device pixels, and which region of the
/// (x, y) plane it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub view: [f64; 4],
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
}

pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// The 2-D context of a layer canvas, wiped clear for a redraw.
pub fn cleared(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    let ctx = context(canvas)?;
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    Some(ctx)
}

/// Ink colours for light and dark themes.
pub struct Ink {
    pub background: RGBColor,
    pub text: RGBColor,
}

pub fn ink(dark: bool) -> Ink {
    if dark {
        Ink {
            background: RGBColor(0x16, 0x18, 0x22),
            text: RGBColor(0xdd, 0xdf, 0xea),
        }
    } else {
        Ink {
            background: RGBColor(0xff, 0xff, 0xff),
            text: RGBColor(0x22, 0x22, 0x2e),
        }
    }
}

/// Clears `canvas` and draws the axes of `view`; returns the plotting frame, where
/// [`draw_layer`] puts the heat-map.
pub fn draw_axes(
    canvas: &HtmlCanvasElement,
    view: [f64; 4],
    dpr: f64,
    dark: bool,
) -> Option<Frame> {
    let ink = ink(dark);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&ink.background).ok()?;
    let font = (FontFamily::SansSerif, (13.0 * dpr) as u32)
        .into_font()
        .color(&ink.text);
    let mut chart = ChartBuilder::on(&root)
        .margin((8.0 * dpr) as u32)
        .x_label_area_size((26.0 * dpr) as u32)
        .y_label_area_size((44.0 * dpr) as u32)
        .build_cartesian_2d(view[0]..view[1], view[2]..view[3])
        .ok()?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(font)
        .axis_style(ink.text)
        .x_labels(9)
        .y_labels(9)
        .draw()
        .ok()?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    Some(Frame {
        left: f64::from(xr.start),
        top: f64::from(yr.start),
        width: f64::from(xr.end - xr.start),
        height: f64::from(yr.end - yr.start),
        view,
    })
}

/// Puts the heat-map and contours of `surface` into `frame`'s plotting area. `key` names the
/// surface and its parameters for the layer cache.
pub fn draw_layer(
    canvas: &HtmlCanvasElement,
    surface: &dyn Surface,
    key: &str,
    frame: Frame,
    dpr: f64,
) -> Option<()> {
    let (w, h) = (frame.width as usize, frame.height as usize);
    let [x0, x1, y0, y1] = frame.view;
    let key = format!("{key}|{x0},{x1},{y0},{y1}|{w}x{h}");
    let layer = match cached(&key) {
        Some(layer) => layer,
        None => {
            let layer = perf::measure("gradscape:heatmap", || {
                render_layer(surface, frame.view, w, h)
            });
            let layer = Rc::new(layer?);
            remember(key, layer.clone());
            layer
        }
    };
    // The ImageData is a view into wasm memory, valid only until the next allocation: make it
    // right before handing it to the canvas.
    let image = ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&layer.rgba),
        layer.width,
        layer.height,
    )
    .ok()?;
    let ctx = context(canvas)?;
    ctx.put_image_data(&image, frame.left, frame.top).ok()?;
    stroke_contours(&ctx, &layer.contours, frame, dpr);
    Some(())
}

/// The expensive part of the surface view: colours and contour lines of one surface, view and
/// size. Switching back to a surface reuses it instead of sampling it again.
struct Layer {
    rgba: Vec<u8>,
    width: u32,
    height: u32,
    contours: Vec<Vec<[f64; 2]>>,
}

/// How many layers stay cached (each is width × height × 4 bytes).
const CACHED_LAYERS: usize = 6;

thread_local! {
    static LAYERS: RefCell<Vec<(String, Rc<Layer>)>> = const { RefCell::new(Vec::new()) };
}

fn cached(key: &str) -> Option<Rc<Layer>> {
    LAYERS.with_borrow(|l| l.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
}

fn remember(key: String, layer: Rc<Layer>) {
    LAYERS.with_borrow_mut(|l| {
        if l.len() >= CACHED_LAYERS {
            l.remove(0);
        }
        l.push((key, layer));
    });
}

/// Samples the surface on a half-resolution grid (a quarter of the evaluations, the
/// expensive part) and paints the full-resolution heat-map from it ([`Field::paint`]);
/// contours come from the same grid, so lines and colours agree.
fn render_layer(surface: &dyn Surface, view: [f64; 4], w: usize, h: usize) -> Option<Layer> {
    let scale = if surface.info().log_scale {
        ColourScale::Log
    } else {
        ColourScale::Linear
    };
    let field = Field::sample(
        surface,
        view,
        w.div_ceil(2).max(2),
        h.div_ceil(2).max(2),
        scale,
    );
    let mut colours = [[0, 0, 0, 255]; 256];
    for (i, c) in colours.iter_mut().enumerate() {
        let [r, g, b] = colorous::CIVIDIS.eval_rational(i, 256).as_array();
        *c = [r, g, b, 255];
    }
    let rgba = field.paint(w, h, &colours, [250, 250, 250, 255]);
    let contours = field
        .contours(&field.levels(14))
        .into_iter()
        .flat_map(|c| c.lines)
        .collect();
    Some(Layer {
        rgba,
        width: u32::try_from(w).ok()?,
        height: u32::try_from(h).ok()?,
        contours,
    })
}

fn stroke_contours(
    ctx: &CanvasRenderingContext2d,
    lines: &[Vec<[f64; 2]>],
    frame: Frame,
    dpr: f64,
) {
    ctx.save();
    ctx.set_line_width(dpr);
    ctx.set_stroke_style_str("rgba(255,255,255,0.35)");
    ctx.begin_path();
    for line in lines {
        for (i, p) in line.iter().enumerate() {
            let (px, py) = frame.to_pixel(*p);
            if i == 0 {
                ctx.move_to(px, py);
            } else {
                ctx.line_to(px, py);
            }
        }
    }
    ctx.stroke();
    ctx.restore();
}

/// Arrows at one path's head, in world units.
pub struct HeadArrows {
    /// −∇f: the direction of steepest descent.
    pub descent: [f64; 2],
    /// Velocity or first moment, if the optimizer carries one.
    pub carried: Option<[f64; 2]>,
    /// The update actually taken from the head.
    pub step: Option<[f64; 2]>,
}

/// One optimizer's path up to the playhead.
pub struct PathDraw<'a> {
    pub colour: &'a str,
    pub dash: &'a [f64],
    /// The run whose points these are: unchanged runs reuse their outline.
    pub trajectory: &'a Arc<Trajectory>,
    pub points: &'a [[f64; 2]],
    /// The run diverged and the playhead reached its end: mark the end with ✕.
    pub diverged: bool,
    pub arrows: Option<HeadArrows>,
}

/// Clears the overlay and draws minima, paths, heads, arrows and the start handle.
pub fn draw_overlay(
    overlay: &HtmlCanvasElement,
    frame: Frame,
    paths: &[PathDraw],
    start: [f64; 2],
    minima: &[[f64; 2]],
    dpr: f64,
) -> Option<()> {
    let ctx = cleared(overlay)?;
    ctx.save();
    ctx.begin_path();
    ctx.rect(frame.left, frame.top, frame.width, frame.height);
    ctx.clip();
    ctx.set_line_join("round");
    ctx.set_line_cap("round");
    for m in minima {
        let (px, py) = frame.to_pixel(*m);
        star(&ctx, px, py, 7.0 * dpr)?;
    }
    let outlines = OUTLINES.with_borrow_mut(|cache| {
        cache.outlines(
            paths
                .iter()
                .map(|p| (p.trajectory.clone(), (p.points.len(), frame, dpr.to_bits()))),
            |tr, &(len, frame, _)| outline(&tr.points[..len], frame, dpr),
        )
    });
    for (path, outline) in paths.iter().zip(&outlines) {
        if let Some(outline) = outline {
            stroke_path(&ctx, outline, path.dash, path.colour, dpr)?;
        }
    }
    for path in paths {
        if let (Some(a), Some(head)) = (&path.arrows, path.points.last()) {
            draw_arrows(&ctx, frame, *head, a, dpr)?;
        }
        if let Some(head) = path.points.last() {
            let (px, py) = frame.to_pixel(*head);
            if path.diverged {
                cross(&ctx, px, py, 7.0 * dpr, path.colour, dpr);
            } else {
                disc(&ctx, px, py, 5.0 * dpr, path.colour, dpr)?;
            }
        }
    }
    let (sx, sy) = frame.to_pixel(start);
    disc(&ctx, sx, sy, 7.0 * dpr, "#ffffff", dpr)?;
    ctx.restore();
    Some(())
}

thread_local! {
    /// Outlines by (points drawn, frame, pixel ratio bits).
    static OUTLINES: RefCell<PathCache<(usize, Frame, u64)>> = const { RefCell::new(PathCache::new()) };
}

/// The polyline through `points` in canvas pixels. Points closer than a device pixel to the
/// last kept one are skipped (a converged path piles thousands of points on one pixel); the
/// last point is always kept. `None` for fewer than two points.
fn outline(points: &[[f64; 2]], frame: Frame, dpr: f64) -> Option<Path2d> {
    if points.len() < 2 {
        return None;
    }
    let outline = Path2d::new().ok()?;
    let mut last = frame.to_pixel(points[0]);
    outline.move_to(last.0, last.1);
    let end = points.len() - 1;
    for (i, p) in points.iter().enumerate().skip(1) {
        let (px, py) = frame.to_pixel(*p);
        if i == end || (px - last.0).abs() + (py - last.1).abs() >= dpr {
            outline.line_to(px, py);
            last = (px, py);
        }
    }
    Some(outline)
}

/// Strokes an outline with a dark, opaque casing under its colour (a translucent one made
/// software raster blend every pixel: a third of the cost of a slider input).
fn stroke_path(
    ctx: &CanvasRenderingContext2d,
    outline: &Path2d,
    dash: &[f64],
    colour: &str,
    dpr: f64,
) -> Option<()> {
    let pattern = js_sys::Array::new();
    for d in dash {
        pattern.push(&(d * dpr).into());
    }
    ctx.set_line_dash(&js_sys::Array::new()).ok()?;
    ctx.set_stroke_style_str("#202028");
    ctx.set_line_width(4.5 * dpr);
    ctx.stroke_with_path(outline);
    ctx.set_line_dash(&pattern).ok()?;
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.5 * dpr);
    ctx.stroke_with_path(outline);
    ctx.set_line_dash(&js_sys::Array::new()).ok()?;
    Some(())
}

/// Arrow lengths: directions are drawn at a fixed length (their magnitudes differ by decades
/// across surfaces and are printed on the card instead); the step is drawn true to scale.
fn draw_arrows(
    ctx: &CanvasRenderingContext2d,
    frame: Frame,
    head: [f64; 2],
    arrows: &HeadArrows,
    dpr: f64,
) -> Option<()> {
    let (hx, hy) = frame.to_pixel(head);
    let fixed = 46.0 * dpr;
    let to_screen = |d: [f64; 2]| {
        let (ex, ey) = frame.to_pixel([head[0] + d[0], head[1] + d[1]]);
        (ex - hx, ey - hy)
    };
    let unit = |d: [f64; 2]| {
        let (dx, dy) = to_screen(d);
        let n = dx.hypot(dy);
        (n > 0.0 && n.is_finite()).then(|| (dx / n * fixed, dy / n * fixed))
    };
    if let Some((dx, dy)) = unit(arrows.descent) {
        arrow(ctx, hx, hy, dx, dy, "#ff4d4d", dpr)?;
    }
    if let Some((dx, dy)) = arrows.carried.and_then(unit) {
        arrow(ctx, hx, hy, dx, dy, "#4dc3ff", dpr)?;
    }
    if let Some(step) = arrows.step {
        let (dx, dy) = to_screen(step);
        if dx.is_finite() && dy.is_finite() && dx.hypot(dy) > 0.5 {
            arrow(ctx, hx, hy, dx, dy, "#7dff7d", dpr)?;
        }
    }
    Some(())
}

fn arrow(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    dx: f64,
    dy: f64,
    colour: &str,
    dpr: f64,
) -> Option<()> {
    let (ex, ey) = (x + dx, y + dy);
    let len = dx.hypot(dy).max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let head = (8.0 * dpr).min(len * 0.6);
    ctx.set_stroke_style_str(colour);
    ctx.set_fill_style_str(colour);
    ctx.set_line_width(2.5 * dpr);
    ctx.begin_path();
    ctx.move_to(x, y);
    ctx.line_to(ex - ux * head * 0.8, ey - uy * head * 0.8);
    ctx.stroke();
    ctx.begin_path();
    ctx.move_to(ex, ey);
    ctx.line_to(
        ex - ux * head - uy * head * 0.5,
        ey - uy * head + ux * head * 0.5,
    );
    ctx.line_to(
        ex - ux * head + uy * head * 0.5,
        ey - uy * head - ux * head * 0.5,
    );
    ctx.close_path();
    ctx.fill();
    Some(())
}

fn disc(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    r: f64,
    fill: &str,
    dpr: f64,
) -> Option<()> {
    ctx.begin_path();
    ctx.arc(x, y, r, 0.0, std::f64::consts::TAU).ok()?;
    ctx.set_fill_style_str(fill);
    ctx.fill();
    ctx.set_stroke_style_str("#111111");
    ctx.set_line_width(1.5 * dpr);
    ctx.stroke();
    Some(())
}

fn cross(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64, colour: &str, dpr: f64) {
    for (width, style) in [(5.0 * dpr, "#111111"), (2.5 * dpr, colour)] {
        ctx.set_stroke_style_str(style);
        ctx.set_line_width(width);
        ctx.begin_path();
        ctx.move_to(x - r, y - r);
        ctx.line_to(x + r, y + r);
        ctx.move_to(x + r, y - r);
        ctx.line_to(x - r, y + r);
        ctx.stroke();
    }
}

fn star(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64) -> Option<()> {
    ctx.begin_path();
    for i in 0..10 {
        let a = std::f64::consts::PI * (f64::from(i) / 5.0 - 0.5);
        let rr = if i % 2 == 0 { r } else { r * 0.45 };
        let (px, py) = (x + rr * a.cos(), y + rr * a.sin());
        if i == 0 {
            ctx.move_to(px, py);
        } else {
            ctx.line_to(px, py);
        }
    }
    ctx.close_path();
    ctx.set_fill_style_str("#ffffff");
    ctx.fill();
    ctx.set_stroke_style_str("#111111");
    ctx.set_line_width(1.0);
    ctx.stroke();
    Some(())
}
