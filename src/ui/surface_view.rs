//! The surface view: a cached heat-map canvas, a kept layer of the paths an input did not
//! change and a live layer on top (the changed paths, heads, arrows, start handle), at true
//! aspect unless "1:1" is turned off (`stretch`). The start moves by click or tap, drag (mouse or touch) and arrow keys; the view zooms by
//! wheel, pinch, `+`/`-` and buttons, pans by a drag with Shift (or Alt, Ctrl, ⌘) or two fingers,
//! and "fit" returns to the surface's own region. A hover read-out names the point.

use leptos::html;
use leptos::prelude::*;

use super::slot::when;

use super::effect::effect;

use super::canvas::{
    self, device_pixel_ratio, size_canvas, use_canvas, use_css_size, use_still_canvas, Still,
};
use super::model::Model;
use super::palette;
use super::perf;
use super::plot::{self, HeadArrows, PathDraw, Stroke};
use super::view3d;
use crate::draw::layers::Layers;
use crate::draw::region::Region;
use crate::draw::viewport::{self, snap, Frame};
use crate::engine::field::{ColourScale, Field};
use crate::engine::projection::Camera;
use crate::i18n::{self, f, Msg};

/// Grid of the 3-D view's field: the mesh takes about 48 quads across it.
const FIELD_3D: usize = 145;

/// One wheel notch (100 px of `deltaY`) zooms by this factor.
const WHEEL_ZOOM: f64 = 1.2;
/// The zoom buttons' and keys' factor.
const STEP_ZOOM: f64 = 1.5;

/// A pan or pinch under way: where it started on screen (CSS px) and the view then.
#[derive(Clone, Copy)]
struct Gesture {
    from: (f64, f64),
    /// Finger distance at the start of a pinch (0 for a pan).
    spread: f64,
    view: [f64; 4],
}

/// On a learning task, which plane of parameter space the view shows.
fn plane_caption(model: Model) -> Option<String> {
    let pca = model.pca.with(Option::is_some);
    model.task.with(|t| {
        let t = t.as_ref().ok()?.as_ref()?;
        let [a, b] = &t.plane().axes;
        let at = i18n::t(if t.optimum().is_some() {
            Msg::TheOptimum
        } else {
            Msg::TheReference
        });
        Some(if t.dim() == 2 {
            f(Msg::PlaneTwo, &[a, b])
        } else if pca {
            f(Msg::PlanePca, &[at])
        } else {
            f(Msg::PlaneMany, &[a, b, &(t.dim() - 2).to_string(), at])
        })
    })
}

/// Sizes and places the live layer over the region of the view (`css` pixels) that `paths`
/// and the start handle at `start` cover, arrows included; returns its origin in canvas pixels.
fn place_live(
    live: &web_sys::HtmlCanvasElement,
    f: Frame,
    paths: &[&PathDraw],
    start: [f64; 2],
    css: (f64, f64),
    dpr: f64,
) -> (f64, f64) {
    // Arrows are drawn at a fixed 46 px plus their head; the step arrow ends at the next point.
    let reach = if paths.iter().any(|p| p.arrows.is_some()) {
        60.0
    } else {
        0.0
    };
    let pixels = paths
        .iter()
        .flat_map(|p| {
            let next = p.arrows.as_ref().and_then(|a| a.step).zip(p.points.last());
            let next = next.map(|(d, h)| [h[0] + d[0], h[1] + d[1]]);
            p.points.iter().copied().chain(next)
        })
        .chain([start])
        .map(|q| f.to_pixel(q))
        .map(|(x, y)| (x / dpr, y / dpr));
    let heads = paths
        .iter()
        .filter_map(|p| p.points.last())
        .map(|&q| f.to_pixel(q))
        .flat_map(|(x, y)| {
            [
                (x / dpr - reach, y / dpr - reach),
                (x / dpr + reach, y / dpr + reach),
            ]
        });
    // The widest mark: the start handle's 7 px disc with its ring, or a path's casing.
    let margin = 7.0 + 4.0 * canvas::weight();
    let region = Region::covering(pixels.chain(heads), margin, css).unwrap_or(Region {
        left: 0.0,
        top: 0.0,
        width: 0.0,
        height: 0.0,
    });
    size_canvas(live, (region.width, region.height), dpr);
    // Through the CSSOM (a strict CSP forbids style attributes), and only when the region
    // moved: a style write costs a layout.
    let style = web_sys::HtmlElement::style(live);
    let place = [
        ("left", region.left),
        ("top", region.top),
        ("width", region.width),
        ("height", region.height),
    ];
    for (property, px) in place {
        let value = format!("{px}px");
        if style.get_property_value(property).ok().as_deref() != Some(value.as_str()) {
            let _ = style.set_property(property, &value);
        }
    }
    (region.left * dpr, region.top * dpr)
}

#[component]
#[inline(never)]
pub fn SurfaceView(model: Model) -> impl IntoView {
    let stack = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let kept = NodeRef::<html::Canvas>::new();
    let live = NodeRef::<html::Canvas>::new();
    let overlay = NodeRef::<html::Canvas>::new();
    let size = use_css_size(stack);
    let frame = RwSignal::new(None::<Frame>);
    let hover = RwSignal::new(None::<[f64; 2]>);
    let dragging = RwSignal::new(false);
    let solid = NodeRef::<html::Canvas>::new();
    let camera = RwSignal::new(Camera::default());
    let orbit_from = RwSignal::new(None::<(f64, f64)>);
    let gesture = RwSignal::new(None::<Gesture>);
    // Pointers down on the view (id, CSS position): two make a pinch.
    let pointers = StoredValue::new(Vec::<(i32, (f64, f64))>::new());
    // A finger down on the view that may become a tap (moving the start when it lifts) or the
    // first finger of a pinch (then it must not have moved the start).
    let tap = StoredValue::new(None::<i32>);
    let layers = StoredValue::new(Layers::<Stroke>::new());
    let kept_still = Still::new();
    let stretch = model.scene.memo(|s| s.stretch);

    // Heat-map, contours, minima and axes: only when the surface, view, aspect, size or theme
    // change.
    use_still_canvas(base, size, move |canvas, dpr, _| {
        let ink = canvas::ink(model);
        let key = model.surface_key();
        let drawn = plot::draw_axes(canvas, model.view_bounds(), dpr, &ink, !stretch.get());
        if let Some(f) = drawn {
            model.surface.with(|s| {
                plot::draw_layer(canvas, s.as_ref(), &key, f, dpr, model.eval_cost());
                plot::draw_minima(canvas, f, &s.info().minima, dpr);
            });
        }
        // Unchanged frames must not redraw the paths.
        if frame.get_untracked() != drawn {
            frame.set(drawn);
        }
    });

    // Paths, heads, arrows: every time anything they show changes. Paths drawn last time stay
    // on the kept layer with their heads; only the ones that changed are stroked, on the live
    // layer, a canvas just large enough for them and the start handle (crate::draw::region).
    effect(move || {
        let (Some(live), Some(under), Some(top), Some(f), Some(css)) = (
            live.get(),
            kept.get(),
            overlay.get(),
            frame.get(),
            size.get(),
        ) else {
            return;
        };
        let dpr = device_pixel_ratio();
        // The overlay only takes pointers and keys; it is sized with the view, never drawn.
        let resized = kept_still.size(&under, css, dpr) | size_canvas(&top, css, dpr);
        let t = model.t.get();
        let vectors = model.vectors.get();
        let outcomes = model.drawn_outcomes();
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
                    points: &tr.points[..=i],
                    diverged: tr.status_at(t) == "diverged",
                    arrows,
                }
            })
            .collect();
        let strokes: Vec<Stroke> = outcomes
            .iter()
            .zip(&paths)
            .map(|((racer, tr), p)| Stroke {
                trajectory: tr.clone(),
                len: p.points.len(),
                colour: palette::colour(racer.slot),
                dash: palette::dash(racer.slot),
                frame: f,
                dpr,
                arrows: vectors,
            })
            .collect();
        let plan = layers.try_update_value(|l| {
            if resized {
                l.reset();
            }
            l.plan(&strokes)
        });
        let Some(plan) = plan else {
            return;
        };
        let drawn = |keys: &[Stroke]| -> Vec<&PathDraw> {
            keys.iter()
                .filter_map(|k| strokes.iter().position(|s| s == k))
                .map(|i| &paths[i])
                .collect()
        };
        if let Some(kept_strokes) = plan.kept {
            let canvas = kept_still.canvas(&under);
            plot::draw_paths(canvas, &kept_strokes, (0.0, 0.0));
            plot::draw_heads(canvas, f, &drawn(&kept_strokes), None, dpr, (0.0, 0.0));
            kept_still.present(&under);
        }
        let live_paths = drawn(&plan.live);
        let start = model.start_point();
        let origin = place_live(&live, f, &live_paths, start, css, dpr);
        plot::draw_paths(&live, &plan.live, origin);
        plot::draw_heads(&live, f, &live_paths, Some(start), dpr, origin);
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
                    let (cols, rows) = plot::grid(FIELD_3D, FIELD_3D, model.eval_cost());
                    Field::sample(s.as_ref(), view, cols, rows, scale)
                })
            })
        },
        |_, _| true,
    );
    use_canvas(solid, size, move |canvas, dpr, _| {
        let ink = canvas::ink(model);
        let t = model.t.get();
        let outcomes = model.drawn_outcomes();
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
                view3d::draw_3d(canvas, f, &paths, cam, dpr, &ink);
            }
        });
    });

    // The view in force on screen (true aspect), or the wanted one before the first frame.
    let shown = move || {
        frame
            .get_untracked()
            .map_or_else(|| model.view_bounds(), |f| f.view)
    };
    let set_view = move |v: [f64; 4]| model.scene.update(|s| s.view = Some(viewport::tidy(v)));
    let zoom_by = move |factor: f64, anchor: Option<[f64; 2]>| {
        let v = shown();
        let centre = [(v[0] + v[1]) / 2.0, (v[2] + v[3]) / 2.0];
        set_view(viewport::zoom(v, anchor.unwrap_or(centre), factor));
    };
    // The world point under CSS pixel (x, y) of the view, unsnapped.
    let world_at_css = move |x: f64, y: f64| -> Option<[f64; 2]> {
        let dpr = device_pixel_ratio();
        frame.get_untracked()?.to_world(x * dpr, y * dpr)
    };
    let world_at = move |ev: &web_sys::PointerEvent| -> Option<[f64; 2]> {
        let f = frame.get_untracked()?;
        let p = world_at_css(f64::from(ev.offset_x()), f64::from(ev.offset_y()))?;
        Some(snap(p, f.view))
    };
    // World units per CSS pixel along x and y (equal at true aspect).
    let units_per_px = move || {
        frame.get_untracked().map_or([0.0; 2], |f| {
            f.units_per_pixel().map(|u| u * device_pixel_ratio())
        })
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
    let capture = move |ev: &web_sys::PointerEvent| {
        if let Some(c) = overlay.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let at = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        pointers.update_value(|p| {
            p.retain(|(id, _)| *id != ev.pointer_id());
            p.push((ev.pointer_id(), at));
        });
        let touches = pointers.with_value(Vec::len);
        let modifier = ev.shift_key() || ev.alt_key() || ev.ctrl_key() || ev.meta_key();
        if touches == 2 {
            // A second finger: stop moving the start, pinch the view instead.
            dragging.set(false);
            tap.set_value(None);
            let (a, b) = pointers.with_value(|p| (p[0].1, p[1].1));
            gesture.set(Some(Gesture {
                from: ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0),
                spread: (a.0 - b.0).hypot(a.1 - b.1).max(1.0),
                view: shown(),
            }));
        } else if modifier || ev.button() == 1 {
            ev.prevent_default();
            capture(&ev);
            gesture.set(Some(Gesture {
                from: at,
                spread: 0.0,
                view: shown(),
            }));
        } else if near_start(&ev) {
            dragging.set(true);
            capture(&ev);
        } else if ev.pointer_type() == "touch" {
            capture(&ev);
            tap.set_value(Some(ev.pointer_id()));
        } else if let Some(p) = world_at(&ev) {
            model.set_start_at(p);
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let at = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        pointers.update_value(|p| {
            if let Some(slot) = p.iter_mut().find(|(id, _)| *id == ev.pointer_id()) {
                slot.1 = at;
            }
        });
        if let Some(g) = gesture.get_untracked() {
            let upp = units_per_px();
            let (now, spread) = pointers.with_value(|p| match p.as_slice() {
                [a, b] => (
                    ((a.1 .0 + b.1 .0) / 2.0, (a.1 .1 + b.1 .1) / 2.0),
                    (a.1 .0 - b.1 .0).hypot(a.1 .1 - b.1 .1),
                ),
                _ => (at, 0.0),
            });
            // Scale about where the gesture began, then follow the fingers' midpoint.
            let mut v = g.view;
            if g.spread > 0.0 && spread > 0.0 {
                let f = frame.get_untracked();
                let anchor = f.and_then(|f| {
                    let dpr = device_pixel_ratio();
                    // Anchor in the gesture's starting view.
                    Frame { view: g.view, ..f }.to_world(g.from.0 * dpr, g.from.1 * dpr)
                });
                if let Some(anchor) = anchor {
                    v = viewport::zoom(v, anchor, g.spread / spread);
                }
            }
            let scale = (v[1] - v[0]) / (g.view[1] - g.view[0]);
            v = viewport::pan(
                v,
                -(now.0 - g.from.0) * upp[0] * scale,
                (now.1 - g.from.1) * upp[1] * scale,
            );
            set_view(v);
            return;
        }
        let p = world_at(&ev);
        if dragging.get_untracked() {
            if let Some(p) = p {
                model.set_start_at(p);
            }
        }
        hover.set(p);
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| p.retain(|(id, _)| *id != ev.pointer_id()));
        let tapped = tap.get_value() == Some(ev.pointer_id()) && gesture.get_untracked().is_none();
        tap.set_value(None);
        if tapped && ev.type_() == "pointerup" {
            if let Some(p) = world_at(&ev) {
                model.set_start_at(p);
            }
        }
        dragging.set(false);
        gesture.set(None);
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        // Lines and pages (deltaMode 1, 2) count as notches; pixels as hundredths of one.
        let notches = match ev.delta_mode() {
            0 => ev.delta_y() / 100.0,
            _ => ev.delta_y().signum(),
        };
        let anchor = world_at_css(f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        zoom_by(WHEEL_ZOOM.powf(notches.clamp(-5.0, 5.0)), anchor);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let [x0, x1, y0, y1] = shown();
        let k = if ev.shift_key() { 0.1 } else { 0.01 };
        let (dx, dy) = match ev.key().as_str() {
            "ArrowLeft" => (-k * (x1 - x0), 0.0),
            "ArrowRight" => (k * (x1 - x0), 0.0),
            "ArrowUp" => (0.0, k * (y1 - y0)),
            "ArrowDown" => (0.0, -k * (y1 - y0)),
            "+" | "=" => return zoom_by(1.0 / STEP_ZOOM, None),
            "-" | "_" => return zoom_by(STEP_ZOOM, None),
            "0" => return model.scene.update(|s| s.view = None),
            "1" => return model.scene.update(|s| s.stretch = !s.stretch),
            _ => return,
        };
        ev.prevent_default();
        let [sx, sy] = model.start_point();
        let p = snap([sx + dx, sy + dy], [x0, x1, y0, y1]);
        model.set_start_at(p);
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
                {when(move || model.three_d.get(), move || view! {
                    <canvas
                        node_ref=solid
                        class="solid"
                        role="img"
                        aria-label=i18n::t(Msg::SolidAria)
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
                })}
                <canvas node_ref=base class="base" aria-hidden="true"></canvas>
                <canvas node_ref=kept class="paths" aria-hidden="true"></canvas>
                <canvas node_ref=live class="live" aria-hidden="true"></canvas>
                <canvas
                    node_ref=overlay
                    class="overlay"
                    class:panning=move || gesture.get().is_some()
                    tabindex="0"
                    role="img"
                    aria-label=i18n::t(Msg::SurfaceAria)
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_up
                    on:pointerleave=move |_| hover.set(None)
                    on:wheel=on_wheel
                    on:keydown=on_key
                ></canvas>
                <div class="view-tools">
                    <button
                        data-testid="zoom-in"
                        title=i18n::t(Msg::ZoomInTitle)
                        aria-label=i18n::t(Msg::ZoomIn)
                        on:click=move |_| zoom_by(1.0 / STEP_ZOOM, None)
                    >
                        "+"
                    </button>
                    <button
                        data-testid="zoom-out"
                        title=i18n::t(Msg::ZoomOutTitle)
                        aria-label=i18n::t(Msg::ZoomOut)
                        on:click=move |_| zoom_by(STEP_ZOOM, None)
                    >
                        "−"
                    </button>
                    <button
                        data-testid="zoom-fit"
                        title=i18n::t(Msg::FitTitle)
                        on:click=move |_| model.scene.update(|s| s.view = None)
                    >
                        {i18n::t(Msg::Fit)}
                    </button>
                    <button
                        data-testid="true-aspect"
                        title=i18n::t(Msg::TrueAspectTitle)
                        aria-label=i18n::t(Msg::TrueAspect)
                        aria-pressed=move || (!stretch.get()).to_string()
                        on:click=move |_| model.scene.update(|s| s.stretch = !s.stretch)
                    >
                        "1:1"
                    </button>
                </div>
            </div>
            <p class="hover-readout" data-testid="hover-readout">
                {move || readout().unwrap_or_else(|| plane_caption(model).unwrap_or_else(|| i18n::t(Msg::SurfaceHover).into()))}
            </p>
        </div>
    }
}
