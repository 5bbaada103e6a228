//! The loss chart, in four layers: plotters draws the axes, grid and labels (only when the
//! axis range, size or theme change); the curves and divergence marks go straight onto two
//! canvases, because plotters cannot dash lines and the curves are downsampled per pixel column
//! anyway: curves that did not change on a kept canvas, changed ones on a live canvas above it;
//! the playhead and legend go on the top one, redrawn per frame while playing.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Path2d};

use super::canvas::{cleared, clip_to_plot, weight};
use super::path_cache::PathCache;
use crate::draw::chart::{decade_label, linear_label, step_label, Axis, ChartFrame, LegendLayout};
use crate::draw::theme::{self, Ink};
use crate::engine::run::Trajectory;
use crate::i18n::{f, t, Msg};

/// One optimizer's loss curve, as the layer plan ([`crate::draw::layers`]) compares them:
/// equal series over equal frames draw equal pixels. Holding the `Arc` keeps the run alive, so
/// a pointer match can never be a new run at a reused address.
#[derive(Clone)]
pub struct Series {
    /// The run the losses come from: an unchanged run reuses its outline.
    pub trajectory: Arc<Trajectory>,
    /// CSS colour, e.g. `"#1f77b4"`.
    pub colour: &'static str,
    /// Canvas dash pattern in CSS px; empty = solid. Dashes tell series apart without colour.
    pub dash: &'static [f64],
    /// The step at which the run diverged, if it did: marked with ✕ at its last finite loss.
    pub diverged_at: Option<usize>,
}

impl PartialEq for Series {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.trajectory, &other.trajectory)
            && self.colour == other.colour
            && self.dash == other.dash
    }
}

/// Background, text and grid colours for one theme, from the stylesheet's ink.
struct Palette {
    background: RGBColor,
    text: RGBColor,
    axis: RGBColor,
    grid: RGBColor,
    fine_grid: RGBColor,
    /// CSS colour of the playhead line.
    playhead: String,
    /// Translucent background laid over the steps after the playhead.
    veil: String,
}

fn palette(ink: &Ink) -> Palette {
    let rgb = |[r, g, b]: [u8; 3]| RGBColor(r, g, b);
    Palette {
        background: rgb(ink.background),
        text: rgb(ink.text),
        axis: rgb(ink.axis),
        grid: rgb(ink.grid),
        fine_grid: rgb(ink.fine_grid),
        playhead: theme::css(ink.text, 0.75),
        veil: theme::css(ink.background, 0.6),
    }
}

/// CSS form of a palette colour, for the raw canvas context.
fn css(c: RGBColor) -> String {
    theme::css([c.0, c.1, c.2], 1.0)
}

/// One line of the legend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LegendEntry {
    pub label: &'static str,
    pub colour: &'static str,
    pub dash: &'static [f64],
}

/// Draws the axes, grid and labels with plotters; returns the plotting area's pixel ranges.
/// Both axes are plain f64 ranges, a log axis being drawn in log10(loss): the surface view uses
/// the same coordinate type, so the wasm carries one copy of plotters' generic chart code.
fn axes(
    root: &DrawingArea<CanvasBackend, Shift>,
    steps: usize,
    ((lo, hi), log): Axis,
    quantity: &str,
    pal: &Palette,
    dpr: f64,
) -> Option<(Range<i32>, Range<i32>)> {
    // Labels and their room grow with the projector weight.
    let text = dpr * weight();
    let label = (FontFamily::SansSerif, 12.0 * text)
        .into_font()
        .color(&pal.text);
    let desc = (FontFamily::SansSerif, 13.0 * text)
        .into_font()
        .color(&pal.text);
    // Labels at least 16 px apart, so a short chart (an embed's) gets fewer, not a pile-up.
    let room = ((f64::from(root.dim_in_pixel().1) / text - 56.0) / 16.0).max(2.0) as usize;
    let (y, y_labels, light) = if log {
        let (a, b) = (lo.log10(), hi.log10());
        // One tick per decade while they fit; plotters thins them out past a dozen.
        (a..b, ((b - a) as usize + 1).min(12).min(room), 0)
    } else {
        (lo..hi, 6.min(room), 4)
    };
    let steps = steps.max(1);
    let mut chart = ChartBuilder::on(root)
        .margin((10.0 * text) as u32)
        .x_label_area_size((36.0 * text) as u32)
        .y_label_area_size((64.0 * text) as u32)
        .build_cartesian_2d(0.0..steps as f64, y)
        .ok()?;
    chart
        .configure_mesh()
        .x_desc(t(Msg::AxisStep))
        .y_desc(if log {
            f(Msg::LogAxis, &[quantity])
        } else {
            quantity.to_string()
        })
        // A few steps get one tick each, so there are never fractional ticks between them.
        .x_labels((steps + 1).min(10))
        .x_label_formatter(&step_label)
        .y_labels(y_labels)
        .y_label_formatter(if log { &decade_label } else { &linear_label })
        .label_style(label)
        .axis_desc_style(desc)
        .axis_style(pal.axis.stroke_width(dpr.max(1.0) as u32))
        .bold_line_style(pal.grid.stroke_width(1))
        .light_line_style(pal.fine_grid.stroke_width(1))
        .max_light_lines(light)
        .draw()
        .ok()?;
    Some(chart.plotting_area().get_pixel_range())
}

/// Draws the background, axes, grid and labels for steps 0…`steps` and `axis` (linear 0…1
/// when there is none), the y axis named `quantity`. `dpr` scales every size (the canvas is sized in device pixels).
/// Returns the plotting frame for the curves and hover read-outs, or `None` if the canvas
/// cannot be drawn on.
pub fn draw_axes(
    canvas: &HtmlCanvasElement,
    axis: Option<Axis>,
    quantity: &str,
    steps: usize,
    dpr: f64,
    ink: &Ink,
) -> Option<ChartFrame> {
    let pal = palette(ink);
    let root = CanvasBackend::with_canvas_object(canvas.clone())?.into_drawing_area();
    root.fill(&pal.background).ok()?;
    let axis = axis.unwrap_or(((0.0, 1.0), false));
    let (xr, yr) = axes(&root, steps, axis, quantity, &pal, dpr)?;
    let (y_range, log) = axis;
    root.present().ok()?;
    Some(ChartFrame {
        left: f64::from(xr.start),
        top: f64::from(yr.start),
        width: f64::from(xr.end - xr.start),
        height: f64::from(yr.end - yr.start),
        steps: steps.max(1),
        y_range,
        log,
    })
}

thread_local! {
    /// Curve outlines by (frame, pixel ratio bits).
    static CURVES: RefCell<PathCache<(ChartFrame, u64)>> = const { RefCell::new(PathCache::new()) };
}

/// Clears `canvas` and draws the curves of `series` and their divergence marks over `frame`
/// (from [`draw_axes`] on the canvas beneath).
pub fn draw_curves(
    canvas: &HtmlCanvasElement,
    frame: &ChartFrame,
    series: &[Series],
    dpr: f64,
) -> Option<()> {
    let ctx = cleared(canvas)?;
    let outlines = CURVES.with_borrow_mut(|cache| {
        cache.outlines(
            series
                .iter()
                .map(|s| (s.trajectory.clone(), (*frame, dpr.to_bits()))),
            |tr, (frame, _)| {
                let outline = Path2d::new().ok()?;
                let end = tr.losses.len().min(frame.steps + 1);
                trace(&outline, frame, &tr.losses, 0..end);
                Some(outline)
            },
        )
    });
    clip_to_plot(&ctx, [frame.left, frame.top, frame.width, frame.height]);
    for (s, outline) in series.iter().zip(&outlines) {
        if let Some(outline) = outline {
            stroke_series(&ctx, outline, s, dpr);
        }
    }
    ctx.set_line_dash(&js_sys::Array::new()).ok()?;
    for s in series {
        if let Some(at) = s.diverged_at {
            mark_divergence(&ctx, frame, s, at, dpr);
        }
    }
    ctx.restore();
    Some(())
}

/// Clears `overlay` and draws the playhead at `playhead` over `frame`, veiling the steps after
/// it so the curves read as solid up to the playhead and faded beyond; the legend of `series`
/// goes on top of the veil (bottom right with `low`).
pub fn draw_playhead(
    overlay: &HtmlCanvasElement,
    frame: &ChartFrame,
    legend: &[LegendEntry],
    low: bool,
    playhead: usize,
    dpr: f64,
    ink: &Ink,
) -> Option<()> {
    let pal = palette(ink);
    let ctx = cleared(overlay)?;
    let x = frame.x_of(playhead.min(frame.steps) as f64);
    ctx.set_fill_style_str(&pal.veil);
    ctx.fill_rect(x, frame.top, frame.left + frame.width - x, frame.height);
    ctx.set_stroke_style_str(&pal.playhead);
    ctx.set_line_width(1.5 * dpr);
    ctx.begin_path();
    ctx.move_to(x, frame.top);
    ctx.line_to(x, frame.top + frame.height);
    ctx.stroke();
    draw_legend(&ctx, frame, legend, low, &pal, dpr);
    Some(())
}

/// Strokes one curve's outline in its colour and dash.
fn stroke_series(ctx: &CanvasRenderingContext2d, outline: &Path2d, s: &Series, dpr: f64) {
    let dash: js_sys::Array = s.dash.iter().map(|d| JsValue::from(d * dpr)).collect();
    // A failed dash only means a solid line.
    let _ = ctx.set_line_dash(&dash);
    ctx.set_stroke_style_str(s.colour);
    ctx.set_line_width(2.0 * dpr * weight());
    ctx.stroke_with_path(outline);
}

/// Adds the curve over `range` to `outline`, keeping only the lowest and highest point
/// of each pixel column (in step order): at most two points per pixel, and spikes survive. A
/// loss that cannot be shown breaks the line.
fn trace(outline: &Path2d, frame: &ChartFrame, losses: &[f64], range: Range<usize>) {
    let mut pen = Pen::new(outline);
    // The current pixel column and its (step, y pixel) extremes.
    let mut column: Option<(i64, [(usize, f64); 2])> = None;
    let flush = |[a, b]: [(usize, f64); 2], pen: &mut Pen| {
        let pts = if a.0 <= b.0 { [a, b] } else { [b, a] };
        for (i, (step, y)) in pts.into_iter().enumerate() {
            if i == 1 && step == pts[0].0 {
                break;
            }
            pen.to(frame.x_of(step as f64), y);
        }
    };
    for step in range {
        let Some((_, y)) = losses.get(step).and_then(|&l| frame.pixel_of(step, l)) else {
            if let Some((_, col)) = column.take() {
                flush(col, &mut pen);
            }
            pen.lift();
            continue;
        };
        let x = frame.x_of(step as f64).floor() as i64;
        match &mut column {
            Some((c, pts)) if *c == x => {
                if y < pts[0].1 {
                    pts[0] = (step, y);
                }
                if y > pts[1].1 {
                    pts[1] = (step, y);
                }
            }
            _ => {
                if let Some((_, col)) = column.take() {
                    flush(col, &mut pen);
                }
                column = Some((x, [(step, y); 2]));
            }
        }
    }
    if let Some((_, col)) = column {
        flush(col, &mut pen);
    }
    pen.lift();
}

/// Emits a polyline into an outline, holding back points that stay within half a pixel of the
/// last drawn height: a converged curve is a long flat run, and every canvas call costs.
struct Pen<'a> {
    ctx: &'a Path2d,
    last: Option<(f64, f64)>,
    held: Option<(f64, f64)>,
}

impl<'a> Pen<'a> {
    fn new(ctx: &'a Path2d) -> Self {
        Pen {
            ctx,
            last: None,
            held: None,
        }
    }

    fn to(&mut self, x: f64, y: f64) {
        match self.last {
            None => {
                self.ctx.move_to(x, y);
                self.last = Some((x, y));
            }
            Some((_, ly)) if (y - ly).abs() < 0.5 => self.held = Some((x, y)),
            Some(_) => {
                if let Some((hx, hy)) = self.held.take() {
                    self.ctx.line_to(hx, hy);
                }
                self.ctx.line_to(x, y);
                self.last = Some((x, y));
            }
        }
    }

    /// Ends the current stretch (a gap in the curve, or its end).
    fn lift(&mut self) {
        if let Some((hx, hy)) = self.held.take() {
            self.ctx.line_to(hx, hy);
        }
        self.last = None;
    }
}

/// Draws ✕ in the series colour at its last displayable loss at or before step `at`.
fn mark_divergence(
    ctx: &CanvasRenderingContext2d,
    frame: &ChartFrame,
    s: &Series,
    at: usize,
    dpr: f64,
) {
    let losses = &s.trajectory.losses;
    let last = losses.len().min(at + 1).min(frame.steps + 1);
    let Some((px, py)) = (0..last).rev().find_map(|k| frame.pixel_of(k, losses[k])) else {
        return;
    };
    let r = 5.0 * dpr;
    ctx.set_stroke_style_str(s.colour);
    ctx.set_line_width(2.5 * dpr * weight());
    ctx.begin_path();
    ctx.move_to(px - r, py - r);
    ctx.line_to(px + r, py + r);
    ctx.move_to(px - r, py + r);
    ctx.line_to(px + r, py - r);
    ctx.stroke();
}

/// A legend in the plot's top-right corner: a sample of each line (colour and dash) and its
/// label, on a translucent panel so curves behind it stay visible. Entries that do not fit in
/// one column of the plot's height flow into more columns, and a legend too large for the plot
/// (projector mode, a short chart, long labels) is drawn smaller ([`LegendLayout::fit`]).
fn draw_legend(
    ctx: &CanvasRenderingContext2d,
    frame: &ChartFrame,
    legend: &[LegendEntry],
    low: bool,
    pal: &Palette,
    dpr: f64,
) {
    if legend.is_empty() {
        return;
    }
    ctx.set_font(&format!("{}px sans-serif", (12.0 * dpr).round()));
    let label_width = legend
        .iter()
        .map(|e| ctx.measure_text(e.label).map_or(0.0, |m| m.width()))
        .fold(0.0, f64::max);
    let scale = dpr * weight(); // a larger legend in projector mode
    let layout = LegendLayout::fit(
        legend.len(),
        label_width / dpr,
        frame.width,
        frame.height,
        scale,
    );
    let LegendLayout {
        rows,
        row,
        sample,
        pad,
        column_width: column_w,
        width: w,
        height: h,
        ..
    } = layout;
    let dpr = layout.scale;
    ctx.set_font(&format!("{}px sans-serif", (12.0 * dpr).round()));
    // Top right, or with `low` bottom right, where an accuracy curve (rising to the top)
    // leaves room.
    let y0 = if low {
        frame.top + frame.height - h - pad
    } else {
        frame.top + pad
    };
    let x0 = frame.left + frame.width - w - pad;
    ctx.set_global_alpha(0.85);
    ctx.set_fill_style_str(&css(pal.background));
    ctx.fill_rect(x0, y0, w, h);
    ctx.set_global_alpha(1.0);
    ctx.set_text_baseline("middle");
    ctx.set_text_align("left");
    for (i, e) in legend.iter().enumerate() {
        let x = x0 + pad + column_w * (i / rows) as f64;
        let y = y0 + pad + row * ((i % rows) as f64 + 0.5);
        let dash: js_sys::Array = e.dash.iter().map(|d| JsValue::from(d * dpr)).collect();
        let _ = ctx.set_line_dash(&dash);
        ctx.set_stroke_style_str(e.colour);
        ctx.set_line_width(2.0 * dpr * weight());
        ctx.begin_path();
        ctx.move_to(x, y);
        ctx.line_to(x + sample, y);
        ctx.stroke();
        ctx.set_fill_style_str(&css(pal.text));
        // Text that fails to draw only leaves a gap in the legend.
        let _ = ctx.fill_text(e.label, x + pad + sample, y);
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}
