//! The surface view's drawing: plotters for axes and labels at true aspect, the engine's sampled
//! [`Field`] put straight into the plotting area with its contour lines and minima (cached per
//! surface/view/size), and the paths on two transparent layers: unchanged paths on a kept canvas,
//! changed ones with every head, arrow and the start handle on the live canvas above it.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData, Path2d};

use super::canvas::{cleared, clip_to_plot, context, weight};
use super::path_cache::PathCache;
use super::perf;
use crate::draw::chart::span_label;
use crate::draw::theme::Ink;
use crate::draw::thin::thin;
use crate::draw::viewport::{self, Bounds, Frame};
use crate::engine::field::{ColourScale, Field};
use crate::engine::run::Trajectory;
use crate::engine::surface::Surface;

/// Clears `canvas` and draws the axes of the region `wanted`, widened along one axis to true
/// aspect ([`viewport::true_aspect`]) for the plotting area the axes leave when `equal_aspect`
/// (parameter space), stretched to it otherwise (the fit view's data space, whose axes are
/// different quantities); returns the plotting frame (with the view actually shown), where
/// [`draw_layer`] puts the heat-map.
pub fn draw_axes(
    canvas: &HtmlCanvasElement,
    wanted: Bounds,
    dpr: f64,
    ink: &Ink,
    equal_aspect: bool,
) -> Option<Frame> {
    let rgb = |[r, g, b]: [u8; 3]| RGBColor(r, g, b);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&rgb(ink.background)).ok()?;
    // Labels and their room grow with the projector weight.
    let text = dpr * weight();
    let font = (FontFamily::SansSerif, (13.0 * text) as u32)
        .into_font()
        .color(&rgb(ink.text));
    let chart = |view: Bounds| {
        ChartBuilder::on(&root)
            .margin((8.0 * text) as u32)
            .x_label_area_size((26.0 * text) as u32)
            .y_label_area_size((44.0 * text) as u32)
            .build_cartesian_2d(view[0]..view[1], view[2]..view[3])
            .ok()
    };
    // The plotting area does not depend on the range: measure it, then fit the range to it.
    let (xr, yr) = chart(wanted)?.plotting_area().get_pixel_range();
    let (width, height) = (f64::from(xr.end - xr.start), f64::from(yr.end - yr.start));
    let view = if equal_aspect {
        viewport::true_aspect(wanted, width, height)
    } else {
        wanted
    };
    let mut chart = chart(view)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(font)
        .axis_style(rgb(ink.text))
        .x_labels(9)
        .y_labels(9)
        // Short labels without float noise: `0`, not `-2.2e-16`, at a tick a rounding error off zero.
        .x_label_formatter(&|v| span_label(*v, view[1] - view[0]))
        .y_label_formatter(&|v| span_label(*v, view[3] - view[2]))
        .draw()
        .ok()?;
    Some(Frame {
        left: f64::from(xr.start),
        top: f64::from(yr.start),
        width,
        height,
        view,
    })
}

/// Puts the heat-map and contours of `surface` into `frame`'s plotting area. `key` names the
/// surface and its parameters for the layer cache; `cost` is what one evaluation costs
/// relative to a built-in surface (a logistic loss visits every data point), which thins the
/// sampled grid so the heat-map takes about as long as a built-in one.
pub fn draw_layer(
    canvas: &HtmlCanvasElement,
    surface: &dyn Surface,
    key: &str,
    frame: Frame,
    dpr: f64,
    cost: usize,
) -> Option<()> {
    let (w, h) = (frame.width as usize, frame.height as usize);
    let [x0, x1, y0, y1] = frame.view;
    let key = format!("{key}|{x0},{x1},{y0},{y1}|{w}x{h}");
    let layer = match cached(&key) {
        Some(layer) => layer,
        None => {
            let layer = perf::measure("gradscape:heatmap", || {
                render_layer(surface, frame.view, w, h, cost)
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

/// A `cols` × `rows` sampling grid thinned (keeping its shape, at least 24 across) until its
/// samples times `cost` stay within what a built-in surface's full grid costs.
pub fn grid(cols: usize, rows: usize, cost: usize) -> (usize, usize) {
    const BUDGET: f64 = 400.0 * 300.0;
    let scale = (BUDGET / (cols * rows * cost.max(1)) as f64)
        .sqrt()
        .min(1.0);
    let thin = |n: usize| ((n as f64 * scale) as usize).clamp(24.min(n), n);
    (thin(cols), thin(rows))
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
fn render_layer(
    surface: &dyn Surface,
    view: [f64; 4],
    w: usize,
    h: usize,
    cost: usize,
) -> Option<Layer> {
    let scale = if surface.info().log_scale {
        ColourScale::Log
    } else {
        ColourScale::Linear
    };
    let (cols, rows) = grid(w.div_ceil(2).max(2), h.div_ceil(2).max(2), cost);
    let field = Field::sample(surface, view, cols, rows, scale);
    let rgba = field.paint(w, h, &colour_map(), [250, 250, 250, 255]);
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

/// The page's one colour map (cividis: ordered in lightness, readable with colour-blindness),
/// index 0 = lowest, as opaque RGBA.
pub fn colour_map() -> [[u8; 4]; 256] {
    let mut colours = [[0, 0, 0, 255]; 256];
    for (i, c) in colours.iter_mut().enumerate() {
        let [r, g, b] = colorous::CIVIDIS.eval_rational(i, 256).as_array();
        *c = [r, g, b, 255];
    }
    colours
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
    pub points: &'a [[f64; 2]],
    /// The run diverged and the playhead reached its end: mark the end with ✕.
    pub diverged: bool,
    pub arrows: Option<HeadArrows>,
}

/// What one stroked path depends on, as the layer plan ([`crate::draw::layers`]) compares
/// them: equal strokes draw equal pixels. Holding the `Arc` keeps the run alive, so a pointer
/// match can never be a new run at a reused address.
#[derive(Clone)]
pub struct Stroke {
    pub trajectory: Arc<Trajectory>,
    /// Points drawn (the playhead's index + 1).
    pub len: usize,
    pub colour: &'static str,
    pub dash: &'static [f64],
    pub frame: Frame,
    pub dpr: f64,
    /// The head's arrows are drawn (the surface view draws heads on the path's layer).
    pub arrows: bool,
}

impl PartialEq for Stroke {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.trajectory, &other.trajectory)
            && self.len == other.len
            && self.colour == other.colour
            && self.dash == other.dash
            && self.frame == other.frame
            && self.dpr.to_bits() == other.dpr.to_bits()
            && self.arrows == other.arrows
    }
}

/// Clears `canvas` and strokes `strokes` into `frame`'s plotting area, in order; the canvas
/// covers the view from `origin` (canvas pixels) on.
pub fn draw_paths(
    canvas: &HtmlCanvasElement,
    strokes: &[Stroke],
    origin: (f64, f64),
) -> Option<()> {
    let ctx = cleared(canvas)?;
    let Some(first) = strokes.first() else {
        return Some(());
    };
    let frame = first.frame;
    let _ = ctx.translate(-origin.0, -origin.1);
    clip_to_plot(&ctx, [frame.left, frame.top, frame.width, frame.height]);
    let outlines = OUTLINES.with_borrow_mut(|cache| {
        cache.outlines(
            strokes
                .iter()
                .map(|s| (s.trajectory.clone(), (s.len, s.frame, s.dpr.to_bits()))),
            |tr, &(len, frame, _)| outline(&tr.points[..len], frame, first.dpr),
        )
    });
    for (s, outline) in strokes.iter().zip(&outlines) {
        if let Some(outline) = outline {
            stroke_path(&ctx, outline, s.dash, s.colour, s.dpr)?;
        }
    }
    ctx.restore();
    Some(())
}

/// Draws these paths' heads (✕ where one diverged) and arrows, then the start handle if
/// given, over what `canvas` holds (the paths of its layer; the canvas covers the view from
/// `origin` on, in canvas pixels).
pub fn draw_heads(
    canvas: &HtmlCanvasElement,
    frame: Frame,
    paths: &[&PathDraw],
    start: Option<[f64; 2]>,
    dpr: f64,
    origin: (f64, f64),
) -> Option<()> {
    let ctx = context(canvas)?;
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, -origin.0, -origin.1);
    clip_to_plot(&ctx, [frame.left, frame.top, frame.width, frame.height]);
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
    if let Some(start) = start {
        let (sx, sy) = frame.to_pixel(start);
        disc(&ctx, sx, sy, 7.0 * dpr, "#ffffff", dpr)?;
    }
    ctx.restore();
    Some(())
}

/// Stars at the surface's minima, on the heat-map layer (they change only with it).
pub fn draw_minima(
    canvas: &HtmlCanvasElement,
    frame: Frame,
    minima: &[[f64; 2]],
    dpr: f64,
) -> Option<()> {
    let ctx = context(canvas)?;
    clip_to_plot(&ctx, [frame.left, frame.top, frame.width, frame.height]);
    for m in minima {
        let (px, py) = frame.to_pixel(*m);
        star(&ctx, px, py, 7.0 * dpr)?;
    }
    ctx.restore();
    Some(())
}

thread_local! {
    /// Outlines by (points drawn, frame, pixel ratio bits).
    static OUTLINES: RefCell<PathCache<(usize, Frame, u64)>> = const { RefCell::new(PathCache::new()) };
}

/// The polyline through `points` in canvas pixels, thinned to one point per device pixel
/// ([`thin`]). `None` for fewer than two points.
fn outline(points: &[[f64; 2]], frame: Frame, dpr: f64) -> Option<Path2d> {
    if points.len() < 2 {
        return None;
    }
    let outline = Path2d::new().ok()?;
    let kept = thin(points.iter().map(|p| frame.to_pixel(*p)), dpr);
    for (i, (px, py)) in kept.into_iter().enumerate() {
        if i == 0 {
            outline.move_to(px, py);
        } else {
            outline.line_to(px, py);
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
    ctx.set_line_width(4.5 * dpr * weight());
    ctx.stroke_with_path(outline);
    ctx.set_line_dash(&pattern).ok()?;
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.5 * dpr * weight());
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
    ctx.set_line_width(2.5 * dpr * weight());
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
    ctx.set_line_width(1.5 * dpr * weight());
    ctx.stroke();
    Some(())
}

pub fn cross(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64, colour: &str, dpr: f64) {
    for (width, style) in [
        (5.0 * dpr * weight(), "#111111"),
        (2.5 * dpr * weight(), colour),
    ] {
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

pub fn star(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64) -> Option<()> {
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
