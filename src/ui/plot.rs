//! The surface view's geometry and drawing: plotters for axes and labels, the cached heat-map
//! put straight into the plotting area, and the optimizer path on a transparent overlay.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::heatmap;
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
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Draws axes, labels and the heat-map of `surface` on `canvas`; returns the plotting frame.
pub fn draw_surface(canvas: &HtmlCanvasElement, surface: &dyn Surface, dpr: f64) -> Option<Frame> {
    let info = surface.info();
    let view = info.view;
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let font = (13.0 * dpr) as u32;
    let mut chart = ChartBuilder::on(&root)
        .margin((10.0 * dpr) as u32)
        .x_label_area_size((28.0 * dpr) as u32)
        .y_label_area_size((40.0 * dpr) as u32)
        .build_cartesian_2d(view[0]..view[1], view[2]..view[3])
        .ok()?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(("sans-serif", font))
        .draw()
        .ok()?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let frame = Frame {
        left: f64::from(xr.start),
        top: f64::from(yr.start),
        width: f64::from(xr.end - xr.start),
        height: f64::from(yr.end - yr.start),
        view,
    };
    let (w, h) = (frame.width as usize, frame.height as usize);
    let pixels = heatmap::render(surface, view, w, h, info.log_scale);
    let image =
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), w as u32, h as u32).ok()?;
    context(canvas)?
        .put_image_data(&image, frame.left, frame.top)
        .ok()?;
    Some(frame)
}

/// Clears the overlay and draws `path` with its start and head markers, and the minima.
pub fn draw_path(
    overlay: &HtmlCanvasElement,
    frame: &Frame,
    path: &[[f64; 2]],
    minima: &[[f64; 2]],
    colour: &str,
    dpr: f64,
) -> Option<()> {
    let ctx = context(overlay)?;
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(overlay.width()),
        f64::from(overlay.height()),
    );
    ctx.save();
    ctx.begin_path();
    ctx.rect(frame.left, frame.top, frame.width, frame.height);
    ctx.clip();
    for m in minima {
        let (px, py) = frame.to_pixel(*m);
        ctx.set_fill_style_str("#ffffff");
        ctx.set_font(&format!("{}px sans-serif", (16.0 * dpr) as u32));
        ctx.fill_text("★", px - 6.0 * dpr, py + 6.0 * dpr).ok()?;
    }
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.5 * dpr);
    ctx.set_line_join("round");
    ctx.begin_path();
    for (i, p) in path.iter().enumerate() {
        let (px, py) = frame.to_pixel(*p);
        if i == 0 {
            ctx.move_to(px, py);
        } else {
            ctx.line_to(px, py);
        }
    }
    ctx.stroke();
    for (p, r, fill) in [(path.first(), 6.0, "#ffffff"), (path.last(), 5.0, colour)] {
        if let Some(p) = p {
            let (px, py) = frame.to_pixel(*p);
            ctx.begin_path();
            ctx.arc(px, py, r * dpr, 0.0, std::f64::consts::TAU).ok()?;
            ctx.set_fill_style_str(fill);
            ctx.fill();
            ctx.set_stroke_style_str("#111111");
            ctx.set_line_width(1.5 * dpr);
            ctx.stroke();
        }
    }
    ctx.restore();
    Some(())
}
