//! The 3-D surface view: the engine's shaded mesh painted back to front on a raw canvas
//! context (no plotters: it has no use for axes here and would be slower), with the optimizer
//! paths drawn on the surface. Cheap enough (~2,300 quads) to redraw on every pointer move.

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::{context, weight};
use crate::draw::theme::{css, Ink};
use crate::draw::thin::thin;

use crate::engine::field::Field;
use crate::engine::projection::{mesh, to_unit, Camera};

/// Quads across the longer side of the field: coarse enough to stay fast, fine enough to show
/// the relief of multimodal surfaces.
const QUADS_ACROSS: usize = 48;

/// Drag sensitivity: a drag across a ~300 px view turns about half a circle.
const RADIANS_PER_CSS_PX: f64 = 0.01;

/// The camera after a pointer drag of (`dx_css`, `dy_css`) CSS pixels: right turns the surface
/// right, down tilts it towards a top view (grab-and-pull). Pitch stays clamped.
pub fn rotate(camera: Camera, dx_css: f64, dy_css: f64) -> Camera {
    camera.orbit(dx_css * RADIANS_PER_CSS_PX, dy_css * RADIANS_PER_CSS_PX)
}

/// A path to draw on the surface: (CSS colour, points in world (x, y), loss at each point).
pub type SurfacePath<'a> = (&'a str, &'a [[f64; 2]], &'a [f64]);

/// Maps screen (u, v) in [-1, 1] to canvas pixels, centred, y down, keeping the aspect ratio.
struct Viewport {
    cx: f64,
    cy: f64,
    scale: f64,
}

impl Viewport {
    fn pixel(&self, [u, v]: [f64; 2]) -> (f64, f64) {
        (self.cx + u * self.scale, self.cy - v * self.scale)
    }
}

/// Draws `field` as a shaded 3-D mesh seen by `camera`, and `paths` on it: each path is
/// (CSS colour, points in world (x, y), loss per point — pass both up to the playhead). Heights
/// use the field's colour scale (log-aware); points outside the view or with a non-finite loss
/// break the path. `dpr` scales line widths; `ink` gives the background.
pub fn draw_3d(
    canvas: &HtmlCanvasElement,
    field: &Field,
    paths: &[SurfacePath],
    camera: Camera,
    dpr: f64,
    ink: &Ink,
) -> Option<()> {
    let ctx = context(canvas)?;
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    let dark = ink.background.iter().map(|&c| u32::from(c)).sum::<u32>() < 3 * 128;
    let (edge, floor) = if dark {
        ("rgba(0, 0, 0, 0.35)", "rgba(255, 255, 255, 0.25)")
    } else {
        ("rgba(0, 0, 0, 0.2)", "rgba(0, 0, 0, 0.25)")
    };
    ctx.set_fill_style_str(&css(ink.background, 1.0));
    ctx.fill_rect(0.0, 0.0, w, h);
    // Every projection of the world box lies in [-1, 1]: a small margin is enough.
    let vp = Viewport {
        cx: w / 2.0,
        cy: h / 2.0,
        scale: 0.48 * w.min(h),
    };
    ctx.set_line_join("round");

    // The floor outline (z = 0), behind everything, so the view's extent and orientation show
    // even where the surface is undefined.
    ctx.set_stroke_style_str(floor);
    ctx.set_line_width(dpr);
    ctx.begin_path();
    for (i, c) in [
        [-1.0, -1.0],
        [1.0, -1.0],
        [1.0, 1.0],
        [-1.0, 1.0],
        [-1.0, -1.0],
    ]
    .iter()
    .enumerate()
    {
        let s = camera.project([c[0], c[1], 0.0]);
        let (x, y) = vp.pixel([s.u, s.v]);
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();

    let step = field
        .width()
        .max(field.height())
        .div_ceil(QUADS_ACROSS)
        .max(1);
    ctx.set_stroke_style_str(edge);
    ctx.set_line_width(0.5 * dpr);
    for q in mesh(field, step, camera) {
        let [r, g, b] = colorous::CIVIDIS.eval_continuous(q.height).as_array();
        let lit = |c: u8| (f64::from(c) * q.shade).round();
        ctx.set_fill_style_str(&format!("rgb({}, {}, {})", lit(r), lit(g), lit(b)));
        ctx.begin_path();
        let (x, y) = vp.pixel(q.corners[0]);
        ctx.move_to(x, y);
        for c in &q.corners[1..] {
            let (x, y) = vp.pixel(*c);
            ctx.line_to(x, y);
        }
        ctx.close_path();
        ctx.fill();
        // The edge also hides the anti-aliasing seams between neighbouring quads.
        ctx.stroke();
    }

    let view = field.view();
    let to_pixel = |p: [f64; 2], loss: f64| {
        let [x, y] = to_unit(view, p)?;
        let s = camera.project([x, y, field.normalised(loss)?]);
        Some(vp.pixel([s.u, s.v]))
    };
    for &(colour, points, losses) in paths {
        draw_path(&ctx, &to_pixel, colour, points, losses, dpr, dark)?;
    }
    Some(())
}

/// One path on the surface, placed by `to_pixel` (`None` breaks the line): a halo then the
/// colour, so it stands out on any part of the colour scale, then a white start dot and a head
/// dot in its colour.
fn draw_path(
    ctx: &CanvasRenderingContext2d,
    to_pixel: &dyn Fn([f64; 2], f64) -> Option<(f64, f64)>,
    colour: &str,
    points: &[[f64; 2]],
    losses: &[f64],
    dpr: f64,
    dark: bool,
) -> Option<()> {
    let pixels: Vec<Option<(f64, f64)>> = points
        .iter()
        .zip(losses)
        .map(|(&p, &loss)| to_pixel(p, loss))
        .collect();
    // Each unbroken run thinned to what the screen shows, as in the 2-D view: a long path
    // hovering near a minimum would otherwise stroke 10⁵ overlapping segments, twice.
    ctx.begin_path();
    for run in pixels.split(Option::is_none) {
        // (every entry of a run is Some: `split` leaves the Nones out)
        let kept = thin(run.iter().map(|p| p.unwrap_or_default()), dpr);
        if let Some(&(x, y)) = kept.first() {
            ctx.move_to(x, y);
            for &(x, y) in &kept[1..] {
                ctx.line_to(x, y);
            }
        }
    }
    ctx.set_stroke_style_str(if dark {
        "rgba(0, 0, 0, 0.6)"
    } else {
        "rgba(255, 255, 255, 0.7)"
    });
    ctx.set_line_width(4.5 * dpr * weight());
    ctx.stroke();
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.5 * dpr * weight());
    ctx.stroke();
    let first = pixels.iter().flatten().next();
    let last = pixels.iter().flatten().next_back();
    for (p, r, fill) in [(first, 5.0, "#ffffff"), (last, 4.5, colour)] {
        if let Some(&(x, y)) = p {
            ctx.begin_path();
            ctx.arc(x, y, r * dpr, 0.0, std::f64::consts::TAU).ok()?;
            ctx.set_fill_style_str(fill);
            ctx.fill();
            ctx.set_stroke_style_str("#111111");
            ctx.set_line_width(1.2 * dpr);
            ctx.stroke();
        }
    }
    Some(())
}
