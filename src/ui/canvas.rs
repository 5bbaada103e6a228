//! What every canvas on the page shares: a backing store sized for the device pixel ratio, a
//! clear 2-D context, the theme's ink read from the stylesheet, the effect that redraws a
//! canvas when what it shows changes.

use leptos::html;
use leptos::prelude::*;

use super::effect::effect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmapRenderingContext};

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use super::model::Model;
use crate::draw::theme::Ink;
use crate::engine::scene::Theme;

pub fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 3.0)
}

/// Gives `canvas` a backing store of `css × dpr` pixels; returns whether it changed (which
/// also clears it).
pub fn size_canvas(canvas: &HtmlCanvasElement, css: (f64, f64), dpr: f64) -> bool {
    let (w, h) = ((css.0 * dpr).round() as u32, (css.1 * dpr).round() as u32);
    let changed = canvas.width() != w || canvas.height() != h;
    if changed {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    changed
}

/// The CSS size of the element behind `node` once it is laid out, kept current by a
/// ResizeObserver: what the canvases inside it size themselves by. An observer rather than the
/// window's resize event, because the element also changes size when the window does not: an
/// embedding iframe resized, a panel hidden by a new hash, a notice appearing above it.
pub fn use_css_size(node: NodeRef<html::Div>) -> RwSignal<Option<(f64, f64)>> {
    let size = RwSignal::new(None::<(f64, f64)>);
    let measure = move || {
        let Some(el) = node.get_untracked() else {
            return;
        };
        let (w, h) = (f64::from(el.client_width()), f64::from(el.client_height()));
        let s = (w > 0.0 && h > 0.0).then_some((w, h));
        if s.is_some() && s != size.get_untracked() {
            size.set(s);
        }
    };
    let callback = Closure::<dyn FnMut()>::new(measure);
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
    let kept = StoredValue::new_local((observer, callback));
    effect(move || {
        if let Some(el) = node.get() {
            measure();
            kept.with_value(|(o, _)| o.as_ref().map(|o| o.observe(&el)));
        }
    });
    on_cleanup(move || {
        kept.try_with_value(|(o, _)| o.as_ref().map(web_sys::ResizeObserver::disconnect));
    });
    size
}

/// Redraws `canvas` whenever what `draw` reads changes (and once it is mounted and laid out),
/// with its backing store sized to `size` first. `draw` gets the canvas, the pixel ratio and
/// whether the resize just cleared it.
pub fn use_canvas(
    canvas: NodeRef<html::Canvas>,
    size: RwSignal<Option<(f64, f64)>>,
    draw: impl Fn(&HtmlCanvasElement, f64, bool) + 'static,
) {
    effect(move || {
        let (Some(c), Some(css)) = (canvas.get(), size.get()) else {
            return;
        };
        let dpr = device_pixel_ratio();
        let resized = size_canvas(&c, css, dpr);
        draw(&c, dpr, resized);
    });
}

/// A layer that changes only now and then (a heat-map, kept paths, axes), drawn in a detached
/// 2-D canvas and shown as an ImageBitmap on a `bitmaprenderer` canvas. Chromium's software
/// compositor copies every visible 2-D canvas again on each frame in which anything on the
/// page changes, drawn or not (measured: four unchanged 905 × 398 canvases cost 2.1 ms per
/// text change, one 0.3 ms); a bitmap is handed over once.
#[derive(Clone)]
pub struct Still {
    /// The detached canvas, or none if it could not be made (then layers draw in place).
    scratch: Option<HtmlCanvasElement>,
    /// Presents so far: a bitmap that arrives after a newer present is dropped.
    presents: Rc<Cell<u64>>,
}

impl Still {
    pub fn new() -> Self {
        let scratch = document()
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into().ok());
        Still {
            scratch,
            presents: Rc::new(Cell::new(0)),
        }
    }

    /// Sizes the drawing canvas `css × dpr` like `layer`; whether that cleared it.
    pub fn size(&self, layer: &HtmlCanvasElement, css: (f64, f64), dpr: f64) -> bool {
        let resized = size_canvas(layer, css, dpr);
        self.scratch
            .as_ref()
            .map_or(resized, |s| size_canvas(s, css, dpr))
    }

    /// The canvas to draw `layer`'s content in.
    pub fn canvas<'a>(&'a self, layer: &'a HtmlCanvasElement) -> &'a HtmlCanvasElement {
        self.scratch.as_ref().unwrap_or(layer)
    }

    /// Shows what the canvas holds on `layer`, as soon as it is a bitmap (within the frame).
    pub fn present(&self, layer: &HtmlCanvasElement) {
        let Some(scratch) = &self.scratch else {
            return;
        };
        let mine = self.presents.get() + 1;
        self.presents.set(mine);
        let Ok(bitmap) = window().create_image_bitmap_with_html_canvas_element(scratch) else {
            return;
        };
        let (layer, presents) = (layer.clone(), self.presents.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(bitmap) = wasm_bindgen_futures::JsFuture::from(bitmap).await else {
                return;
            };
            if presents.get() != mine {
                return;
            }
            let shown = layer
                .get_context("bitmaprenderer")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<ImageBitmapRenderingContext>().ok());
            if let Some(ctx) = shown {
                ctx.transfer_from_image_bitmap(&bitmap.unchecked_into());
            }
        });
    }
}

/// [`use_canvas`] for a [`Still`] layer: `draw` paints its canvas, which is then shown.
pub fn use_still_canvas(
    canvas: NodeRef<html::Canvas>,
    size: RwSignal<Option<(f64, f64)>>,
    draw: impl Fn(&HtmlCanvasElement, f64, bool) + 'static,
) {
    let still = Still::new();
    effect(move || {
        let (Some(c), Some(css)) = (canvas.get(), size.get()) else {
            return;
        };
        let dpr = device_pixel_ratio();
        let resized = still.size(&c, css, dpr);
        draw(still.canvas(&c), dpr, resized);
        still.present(&c);
    });
}

pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// The 2-D context of a layer canvas, wiped clear for a redraw, drawing in canvas pixels.
pub fn cleared(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    let ctx = context(canvas)?;
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    Some(ctx)
}

/// The canvases' line and label scale in tenths: 10, or more in projector mode.
static WEIGHT_TENTHS: AtomicU32 = AtomicU32::new(10);

/// The canvases' line and label scale: 1, or more in projector mode.
pub fn weight() -> f64 {
    f64::from(WEIGHT_TENTHS.load(Ordering::Relaxed)) / 10.0
}

/// How much thicker lines and larger canvas labels are in projector mode.
const PROJECTOR_WEIGHT: f64 = 1.75;

/// The canvas ink of the model's theme and projector mode (tracked, so a drawing effect that
/// asks redraws when either changes), read from the stylesheet's custom properties on
/// `<body>`. The body's `dark` class, `<html>`'s `projector` class and the line [`weight`] are
/// set here first, so a canvas effect that runs before the page's own effects still reads the
/// look it was asked for.
pub fn ink(model: Model) -> Ink {
    let dark = model.theme.get() == Theme::Dark;
    let projector = model.projector.get();
    if let Some((look, ink)) = INK.get() {
        if look == (dark, projector) {
            return ink;
        }
    }
    let weight = if projector { PROJECTOR_WEIGHT } else { 1.0 };
    WEIGHT_TENTHS.store((weight * 10.0).round() as u32, Ordering::Relaxed);
    if let Some(root) = document().document_element() {
        let _ = root.class_list().toggle_with_force("projector", projector);
    }
    let Some(body) = document().body() else {
        return Ink::FALLBACK;
    };
    let _ = body.class_list().toggle_with_force("dark", dark);
    let style = window().get_computed_style(&body).ok().flatten();
    let styled = Cell::new(false);
    let ink = Ink::read(|name| {
        let value = style.as_ref()?.get_property_value(name).ok()?;
        styled.set(styled.get() || !value.is_empty());
        Some(value)
    });
    // Kept only once the stylesheet answered: before it loads, every property reads empty.
    if styled.get() {
        INK.set(Some(((dark, projector), ink)));
    }
    ink
}

thread_local! {
    /// The last ink read, and the (dark, projector) look it was read for. Reading computed
    /// style forces a style recalculation in the middle of the script, and every canvas
    /// effect asked for it on every input.
    static INK: Cell<Option<((bool, bool), Ink)>> = const { Cell::new(None) };
}

/// Saves `ctx`'s state and clips it to the plotting area at (`left`, `top`) of `width` ×
/// `height`, with round joins and caps: how every path layer starts (restore when done).
pub fn clip_to_plot(ctx: &CanvasRenderingContext2d, [left, top, width, height]: [f64; 4]) {
    ctx.save();
    ctx.begin_path();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.set_line_join("round");
    ctx.set_line_cap("round");
}
