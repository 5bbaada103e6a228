//! The surface view: a cached heat-map canvas under an overlay that is redrawn per frame, with
//! the start point movable by click, drag (mouse or touch) and arrow keys, and a hover read-out.

use leptos::html;
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use super::model::Model;
use super::palette;
use super::perf;
use super::plot::{self, Frame, HeadArrows, PathDraw};
use super::view3d;
use crate::engine::field::{ColourScale, Field};
use crate::engine::number;
use crate::engine::projection::Camera;
use crate::engine::state::Theme;

/// Grid of the 3-D view's field: the mesh takes about 48 quads across it.
const FIELD_3D: usize = 145;

pub fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 3.0)
}

/// Gives `canvas` a backing store of `css × dpr` pixels; returns whether it changed.
pub fn size_canvas(canvas: &HtmlCanvasElement, css: (f64, f64), dpr: f64) -> bool {
    let (w, h) = ((css.0 * dpr).round() as u32, (css.1 * dpr).round() as u32);
    let changed = canvas.width() != w || canvas.height() != h;
    if changed {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    changed
}

/// The CSS size of the element behind `node` once it is laid out, kept current as the window
/// resizes: what the canvases inside it size themselves by.
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
    Effect::new(move |_| {
        if node.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    size
}

/// `p` rounded to a grid of about a thousandth of the view: a pixel cannot be placed more
/// precisely anyway, and links carry `start=-1.234,0.87` instead of seventeen digits.
fn snap(p: [f64; 2], view: [f64; 4]) -> [f64; 2] {
    let span = (view[1] - view[0]).max(view[3] - view[2]);
    let step = 10f64.powf((span / 1000.0).log10().floor());
    p.map(|v| {
        let r = (v / step).round() * step;
        // Reprint through the decimal text so 0.1 + 0.2-style noise does not reach the link.
        number::parse(&format!("{r:.*}", (-step.log10()).max(0.0) as usize)).unwrap_or(r)
    })
}

#[component]
pub fn SurfaceView(model: Model) -> impl IntoView {
    let stack = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let overlay = NodeRef::<html::Canvas>::new();
    let size = use_css_size(stack);
    let frame = RwSignal::new(None::<Frame>);
    let hover = RwSignal::new(None::<[f64; 2]>);
    let dragging = RwSignal::new(false);
    let solid = NodeRef::<html::Canvas>::new();
    let camera = RwSignal::new(Camera::default());
    let orbit_from = RwSignal::new(None::<(f64, f64)>);

    // Heat-map, contours and axes: only when the surface, view, size or theme change.
    Effect::new(move |_| {
        let (Some(canvas), Some(css)) = (base.get(), size.get()) else {
            return;
        };
        let dark = model.theme.get() == Theme::Dark;
        let view = model.view_bounds();
        let dpr = device_pixel_ratio();
        size_canvas(&canvas, css, dpr);
        let key = model.spec.with(|s| {
            let params: Vec<String> = s.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!(
                "{}({})|{}",
                s.id,
                params.join(","),
                s.expr.as_deref().unwrap_or("")
            )
        });
        let drawn = plot::draw_axes(&canvas, view, dpr, dark);
        if let Some(f) = drawn {
            model
                .surface
                .with(|s| plot::draw_layer(&canvas, s.as_ref(), &key, f, dpr));
        }
        // Unchanged frames must not redraw the overlay.
        if frame.get_untracked() != drawn {
            frame.set(drawn);
        }
    });

    // Paths, heads, arrows: every time anything they show changes.
    Effect::new(move |_| {
        let (Some(canvas), Some(f), Some(css)) = (overlay.get(), frame.get(), size.get()) else {
            return;
        };
        let dpr = device_pixel_ratio();
        size_canvas(&canvas, css, dpr);
        let t = model.t.get();
        let vectors = model.vectors.get();
        let outcomes = model.visible_outcomes();
        let paths: Vec<PathDraw> = outcomes
            .iter()
            .map(|(racer, tr)| {
                let i = tr.index_at(t);
                let arrows = vectors.then(|| HeadArrows {
                    descent: tr.grads.get(i).map_or([0.0; 2], |g| [-g[0], -g[1]]),
                    // The update moves against the carried sum of gradients.
                    carried: tr
                        .carried
                        .get(i)
                        .and_then(|c| c.direction)
                        .map(|d| [-d[0], -d[1]]),
                    step: tr.points.get(i + 1).map(|n| {
                        let p = tr.points[i];
                        [n[0] - p[0], n[1] - p[1]]
                    }),
                });
                PathDraw {
                    colour: palette::colour(racer.slot),
                    dash: palette::dash(racer.slot),
                    trajectory: tr,
                    points: &tr.points[..=i],
                    diverged: tr.status_at(t) == "diverged",
                    arrows,
                }
            })
            .collect();
        let minima = model.surface.with(|s| s.info().minima);
        plot::draw_overlay(&canvas, f, &paths, model.start_point(), &minima, dpr);
        if paths.iter().any(|p| p.points.len() > 1) {
            perf::mark_once("gradscape:first-path");
        }
    });

    // The 3-D view's coarse field: only while the view is shown, once per surface and view.
    let field_3d = Memo::new_with_compare(
        move |_| {
            model.three_d.get().then(|| {
                let view = model.view_bounds();
                model.surface.with(|s| {
                    let scale = if s.info().log_scale {
                        ColourScale::Log
                    } else {
                        ColourScale::Linear
                    };
                    Field::sample(s.as_ref(), view, FIELD_3D, FIELD_3D, scale)
                })
            })
        },
        |_, _| true,
    );
    Effect::new(move |_| {
        let (Some(canvas), Some(css)) = (solid.get(), size.get()) else {
            return;
        };
        let dpr = device_pixel_ratio();
        size_canvas(&canvas, css, dpr);
        let dark = model.theme.get() == Theme::Dark;
        let t = model.t.get();
        let outcomes = model.visible_outcomes();
        let paths: Vec<view3d::SurfacePath> = outcomes
            .iter()
            .map(|(racer, tr)| {
                let i = tr.index_at(t);
                (
                    palette::colour(racer.slot),
                    &tr.points[..=i],
                    &tr.losses[..=i],
                )
            })
            .collect();
        let cam = camera.get();
        field_3d.with(|f| {
            if let Some(f) = f {
                view3d::draw_3d(&canvas, f, &paths, cam, dpr, dark);
            }
        });
    });

    let world_at = move |ev: &web_sys::PointerEvent| -> Option<[f64; 2]> {
        let dpr = device_pixel_ratio();
        let f = frame.get_untracked()?;
        let p = f.to_world(
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        )?;
        Some(snap(p, f.view))
    };
    let near_start = move |ev: &web_sys::PointerEvent| -> bool {
        let Some(f) = frame.get_untracked() else {
            return false;
        };
        let dpr = device_pixel_ratio();
        let (sx, sy) = f.to_pixel(model.start_point());
        let (px, py) = (
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        );
        (sx - px).hypot(sy - py) <= 14.0 * dpr
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if near_start(&ev) {
            dragging.set(true);
            if let Some(c) = overlay.get_untracked() {
                let _ = c.set_pointer_capture(ev.pointer_id());
            }
        } else if let Some(p) = world_at(&ev) {
            model.start.set(Some(p));
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let p = world_at(&ev);
        if dragging.get_untracked() {
            if let Some(p) = p {
                model.start.set(Some(p));
            }
        }
        hover.set(p);
    };
    let on_up = move |_: web_sys::PointerEvent| dragging.set(false);
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let [x0, x1, y0, y1] = model.view_bounds();
        let k = if ev.shift_key() { 0.1 } else { 0.01 };
        let (dx, dy) = match ev.key().as_str() {
            "ArrowLeft" => (-k * (x1 - x0), 0.0),
            "ArrowRight" => (k * (x1 - x0), 0.0),
            "ArrowUp" => (0.0, k * (y1 - y0)),
            "ArrowDown" => (0.0, -k * (y1 - y0)),
            _ => return,
        };
        ev.prevent_default();
        let [sx, sy] = model.start_point();
        model
            .start
            .set(Some(snap([sx + dx, sy + dy], [x0, x1, y0, y1])));
    };

    let readout = move || {
        hover.get().map(|p| {
            let (f, g) = model.surface.with(|s| s.value_grad(p));
            format!(
                "x = {:.4}  y = {:.4}  f = {:.6}  ‖∇f‖ = {:.4}",
                p[0],
                p[1],
                f,
                g[0].hypot(g[1])
            )
        })
    };

    view! {
        <div class="surface-view" data-testid="surface-view">
            <div class="stack" class:solid-mode=move || model.three_d.get() node_ref=stack>
                <Show when=move || model.three_d.get()>
                    <canvas
                        node_ref=solid
                        class="solid"
                        role="img"
                        aria-label="3-D surface with optimizer paths; drag to rotate"
                        on:pointerdown=move |ev: web_sys::PointerEvent| {
                            orbit_from.set(Some((f64::from(ev.client_x()), f64::from(ev.client_y()))));
                            if let Some(c) = solid.get_untracked() {
                                let _ = c.set_pointer_capture(ev.pointer_id());
                            }
                        }
                        on:pointermove=move |ev: web_sys::PointerEvent| {
                            if let Some((x, y)) = orbit_from.get_untracked() {
                                let (nx, ny) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
                                camera.update(|c| *c = view3d::rotate(*c, nx - x, ny - y));
                                orbit_from.set(Some((nx, ny)));
                            }
                        }
                        on:pointerup=move |_| orbit_from.set(None)
                        on:pointercancel=move |_| orbit_from.set(None)
                    ></canvas>
                </Show>
                <canvas node_ref=base class="base" aria-hidden="true"></canvas>
                <canvas
                    node_ref=overlay
                    class="overlay"
                    tabindex="0"
                    role="img"
                    aria-label="loss surface with optimizer paths; click or drag to move the start, arrow keys nudge it"
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_up
                    on:pointerleave=move |_| hover.set(None)
                    on:keydown=on_key
                ></canvas>
            </div>
            <p class="hover-readout" data-testid="hover-readout">
                {move || readout().unwrap_or_else(|| "hover for x, y, f(x, y), ‖∇f‖ · click or drag to move the start".into())}
            </p>
        </div>
    }
}
