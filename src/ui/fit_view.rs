//! The fit view of a learning task: the data and, in each optimizer's colour, its model at the
//! playhead (the line or curve of a regression; the decision boundary of logistic regression,
//! with the first shown optimizer's probability shaded). The least-squares fit, where there is
//! one, is the dashed grey reference.
//!
//! The data are the user's to edit: a click adds a point (logistic: of the class chosen
//! beside the view), dragging moves one, Shift-click (or a right click) removes one, and
//! Ctrl+Z undoes; from the keyboard, arrows move a cross, Enter adds and Delete removes. Edits go
//! into the scene (`data=`), so a copied link carries them.

use leptos::html;
use leptos::prelude::*;

use super::slot::when;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::{
    self, clip_to_plot, device_pixel_ratio, size_canvas, use_css_size, use_still_canvas, Still,
};
use super::effect::effect;
use super::model::Model;
use super::palette;
use super::plot::{self, Stroke};
use crate::draw::fit::{data_view, nearest};
use crate::draw::layers::Layers;
use crate::draw::viewport::Frame;
use crate::engine::scene::Task;
use crate::engine::task::data::{self, Columns, Data, DataPoint, Group, MAX_URL_DATA_POINTS};
use crate::engine::task::LearningTask;
use crate::i18n::{f, t, Msg};

/// Colours of the two classes (blue and vermilion of the Okabe–Ito set the paths also use).
const CLASS: [&str; 2] = ["#0072b2", "#d55e00"];
const CLASS_RGB: [[u8; 3]; 2] = [[0, 114, 178], [213, 94, 0]];

/// Grab radius of a point, CSS px.
const GRAB_PX: f64 = 9.0;

/// The task's points as editable data (what an edit starts from).
fn as_data(task: &dyn LearningTask) -> Data {
    let points = task.points();
    if task.kind() == Task::Logistic {
        Data::Labeled(
            points
                .iter()
                .map(|p| ([p.x, p.y], p.group == Group::Class1))
                .collect(),
        )
    } else {
        Data::Xy(points.iter().map(|p| [p.x, p.y]).collect())
    }
}

fn draw_points(
    ctx: &CanvasRenderingContext2d,
    f: Frame,
    points: &[DataPoint],
    dpr: f64,
    ink: &str,
) {
    let r = 3.5 * dpr;
    for p in points {
        let (x, y) = f.to_pixel([p.x, p.y]);
        ctx.begin_path();
        match p.group {
            Group::Class1 => {
                // Squares for class 1, so the classes differ without colour too.
                ctx.rect(x - r, y - r, 2.0 * r, 2.0 * r);
            }
            _ => {
                let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
            }
        }
        let (fill, line) = match p.group {
            Group::Train => (Some(ink), ink),
            Group::Val => (None, ink),
            Group::Class0 => (Some(CLASS[0]), ink),
            Group::Class1 => (Some(CLASS[1]), ink),
        };
        if let Some(fill) = fill {
            ctx.set_fill_style_str(fill);
            ctx.fill();
        }
        ctx.set_line_width(dpr);
        ctx.set_stroke_style_str(line);
        ctx.stroke();
    }
}

/// A regression's prediction across the view.
fn draw_curve(ctx: &CanvasRenderingContext2d, f: Frame, task: &dyn LearningTask, p: &[f64]) {
    let samples = (f.width as usize / 3).clamp(16, 400);
    ctx.begin_path();
    for k in 0..=samples {
        let x = f.view[0] + (f.view[1] - f.view[0]) * k as f64 / samples as f64;
        let (px, py) = f.to_pixel([x, task.predict(p, [x, 0.0])]);
        if k == 0 {
            ctx.move_to(px, py);
        } else {
            ctx.line_to(px, py);
        }
    }
    ctx.stroke();
}

/// Logistic regression's boundary w1·x1 + w2·x2 + b = 0: a straight line, drawn across the view.
fn draw_boundary(ctx: &CanvasRenderingContext2d, f: Frame, p: &[f64]) {
    let (w1, w2, b) = (p[0], p[1], p[2]);
    let [x0, x1, y0, y1] = f.view;
    let ends = if w2.abs() >= w1.abs() {
        if w2 == 0.0 {
            return;
        }
        [[x0, -(w1 * x0 + b) / w2], [x1, -(w1 * x1 + b) / w2]]
    } else {
        [[-(w2 * y0 + b) / w1, y0], [-(w2 * y1 + b) / w1, y1]]
    };
    let (ax, ay) = f.to_pixel(ends[0]);
    let (bx, by) = f.to_pixel(ends[1]);
    ctx.begin_path();
    ctx.move_to(ax, ay);
    ctx.line_to(bx, by);
    ctx.stroke();
}

/// The probability of class 1 as a coarse tint under the points.
fn shade(ctx: &CanvasRenderingContext2d, f: Frame, task: &dyn LearningTask, p: &[f64]) {
    let cell = (f.width / 90.0).max(4.0);
    let (cols, rows) = (
        (f.width / cell).ceil() as usize,
        (f.height / cell).ceil() as usize,
    );
    for r in 0..rows {
        for c in 0..cols {
            let (px, py) = (f.left + c as f64 * cell, f.top + r as f64 * cell);
            let Some(at) = f.to_world(px + cell / 2.0, py + cell / 2.0) else {
                continue;
            };
            let prob = task.predict(p, at);
            let (class, strength) = if prob >= 0.5 {
                (1, prob * 2.0 - 1.0)
            } else {
                (0, 1.0 - prob * 2.0)
            };
            let [red, green, blue] = CLASS_RGB[class];
            ctx.set_fill_style_str(&format!(
                "rgba({red},{green},{blue},{})",
                (strength * 0.28 * 100.0).round() / 100.0
            ));
            ctx.fill_rect(px, py, cell, cell);
        }
    }
}

/// Clears `canvas` and draws each stroke's model (line, curve or decision boundary) at its last
/// point drawn, in its optimizer's colour and dash. The strokes are the surface view's
/// ([`Stroke`]: one run up to the playhead), so both views share one layer plan.
fn draw_models(
    canvas: &HtmlCanvasElement,
    task: &dyn LearningTask,
    strokes: &[Stroke],
    dpr: f64,
) -> Option<CanvasRenderingContext2d> {
    let ctx = canvas::cleared(canvas)?;
    let Some(f) = strokes.first().map(|s| s.frame) else {
        return Some(ctx);
    };
    clip_to_plot(&ctx, [f.left, f.top, f.width, f.height]);
    ctx.set_line_width(2.5 * dpr * canvas::weight());
    for s in strokes {
        let p = s.trajectory.params_at(s.len - 1);
        if p.iter().any(|v| !v.is_finite()) {
            continue;
        }
        let dash = js_sys::Array::new();
        for d in s.dash {
            dash.push(&(d * dpr).into());
        }
        let _ = ctx.set_line_dash(&dash);
        ctx.set_stroke_style_str(s.colour);
        if task.kind() == Task::Logistic {
            draw_boundary(&ctx, f, p);
        } else {
            draw_curve(&ctx, f, task, p);
        }
    }
    ctx.restore();
    Some(ctx)
}

#[component]
#[inline(never)]
pub fn FitView(model: Model) -> impl IntoView {
    let holder = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let kept = NodeRef::<html::Canvas>::new();
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let size = use_css_size(holder);
    let frame = RwSignal::new(None::<Frame>);
    let task = Signal::derive(move || model.task.get().ok().flatten());
    // Data edits: the previous data (None = generated), newest last.
    let undo = StoredValue::new(Vec::<Option<Data>>::new());
    let dragging = StoredValue::new(None::<usize>);
    let class_one = RwSignal::new(false);
    // The keyboard's pointer, as a fraction of the view (shown while the canvas has focus).
    let cursor = RwSignal::new(None::<[f64; 2]>);
    // Logistic regression's shading follows the first shown optimizer only: an input on
    // another card leaves it (and the axes and points drawn with it) as drawn.
    let shaded = Memo::new(move |_| {
        task.with(|t| t.as_ref().is_some_and(|t| t.kind() == Task::Logistic))
            .then(|| {
                let t = model.t.get();
                let first = model.visible_outcomes().into_iter().next()?.1;
                Some(first.params_at(first.index_at(t)).to_vec())
            })
            .flatten()
    });

    // Axes, shading, the least-squares reference and the points: only when the data, the size,
    // the look or the shaded optimizer change.
    use_still_canvas(base, size, move |c, dpr, _| {
        let Some(task) = task.get() else {
            return;
        };
        let ink = canvas::ink(model);
        let text = format!("rgb({},{},{})", ink.text[0], ink.text[1], ink.text[2]);
        let view = data_view(task.points(), task.kind() != Task::Logistic);
        let drawn = plot::draw_axes(c, view, dpr, &ink, false);
        let (Some(f), Some(ctx)) = (drawn, canvas::context(c)) else {
            return;
        };
        clip_to_plot(&ctx, [f.left, f.top, f.width, f.height]);
        if let Some(p) = shaded.get() {
            shade(&ctx, f, task.as_ref(), &p);
        }
        if let Some(opt) = task.optimum().filter(|_| task.kind() != Task::Logistic) {
            ctx.set_line_width(2.5 * dpr * canvas::weight());
            let _ = ctx.set_line_dash(&js_sys::Array::of2(
                &(6.0 * dpr).into(),
                &(5.0 * dpr).into(),
            ));
            ctx.set_stroke_style_str("rgba(128,128,128,0.8)");
            draw_curve(&ctx, f, task.as_ref(), opt);
            let _ = ctx.set_line_dash(&js_sys::Array::new());
        }
        draw_points(&ctx, f, task.points(), dpr, &text);
        ctx.restore();
        if frame.get_untracked() != drawn {
            frame.set(drawn);
        }
    });

    // Each optimizer's model: those an input did not change stay on the kept layer; only the
    // changed ones are drawn, on the live layer, with the keyboard's cross.
    let layers = StoredValue::new(Layers::<Stroke>::new());
    let kept_still = Still::new();
    effect(move || {
        let (Some(live), Some(under), Some(f), Some(css), Some(task)) = (
            canvas_ref.get(),
            kept.get(),
            frame.get(),
            size.get(),
            task.get(),
        ) else {
            return;
        };
        let dpr = device_pixel_ratio();
        let resized = size_canvas(&live, css, dpr) | kept_still.size(&under, css, dpr);
        let t = model.t.get();
        // The line weight (projector mode) is part of the key, as the pixel ratio.
        model.projector.track();
        let scale = dpr * canvas::weight();
        let strokes: Vec<Stroke> = model
            .visible_outcomes()
            .into_iter()
            .map(|(racer, tr)| Stroke {
                len: tr.index_at(t) + 1,
                trajectory: tr,
                colour: palette::colour(racer.slot),
                dash: palette::dash(racer.slot),
                frame: f,
                dpr: scale,
                arrows: false,
            })
            .collect();
        let Some(plan) = layers.try_update_value(|l| {
            if resized {
                l.reset();
            }
            l.plan(&strokes)
        }) else {
            return;
        };
        if let Some(k) = plan.kept {
            draw_models(kept_still.canvas(&under), task.as_ref(), &k, dpr);
            kept_still.present(&under);
        }
        let Some(ctx) = draw_models(&live, task.as_ref(), &plan.live, dpr) else {
            return;
        };
        if let Some([u, v]) = cursor.get() {
            let ink = canvas::ink(model);
            let text = format!("rgb({},{},{})", ink.text[0], ink.text[1], ink.text[2]);
            let (x, y) = (f.left + u * f.width, f.top + (1.0 - v) * f.height);
            let r = 8.0 * dpr;
            ctx.set_line_width(1.5 * dpr * canvas::weight());
            ctx.set_stroke_style_str(&text);
            ctx.begin_path();
            ctx.move_to(x - r, y);
            ctx.line_to(x + r, y);
            ctx.move_to(x, y - r);
            ctx.line_to(x, y + r);
            ctx.stroke();
        }
    });

    // Replaces the data, remembering what they were for Ctrl+Z; refuses what a link cannot
    // carry.
    let edit = move |change: &dyn Fn(&mut Data)| {
        let Some(task) = task.get_untracked() else {
            return;
        };
        let mut data = model
            .scene
            .with_untracked(|s| s.data.clone())
            .unwrap_or_else(|| as_data(task.as_ref()));
        change(&mut data);
        if data.len() > MAX_URL_DATA_POINTS {
            return model.notify(f(
                Msg::TooManyPoints,
                &[&MAX_URL_DATA_POINTS.to_string(), &data.len().to_string()],
            ));
        }
        let before = model.scene.with_untracked(|s| s.data.clone());
        undo.update_value(|u| {
            u.push(before);
            if u.len() > 50 {
                u.remove(0);
            }
        });
        model.scene.update(|s| s.data = Some(data));
    };
    let world = move |ev: &web_sys::PointerEvent| -> Option<([f64; 2], [f64; 2])> {
        let f = frame.get_untracked()?;
        let dpr = device_pixel_ratio();
        let at = f.to_world(
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        )?;
        let per_px = [
            (f.view[1] - f.view[0]) / f.width * dpr,
            (f.view[3] - f.view[2]) / f.height * dpr,
        ];
        Some((at, [per_px[0] * GRAB_PX, per_px[1] * GRAB_PX]))
    };
    let grabbed = move |ev: &web_sys::PointerEvent| -> Option<usize> {
        let (at, reach) = world(ev)?;
        task.with_untracked(|t| nearest(t.as_ref()?.points(), at, reach))
    };
    let remove = move |i: usize| {
        edit(&|d| match d {
            Data::Xy(v) if i < v.len() => {
                v.remove(i);
            }
            Data::Labeled(v) if i < v.len() => {
                v.remove(i);
            }
            _ => {}
        })
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some((at, _)) = world(&ev) else {
            return;
        };
        match grabbed(&ev) {
            Some(i) if ev.shift_key() => remove(i),
            Some(i) => {
                dragging.set_value(Some(i));
                if let Some(c) = canvas_ref.get_untracked() {
                    let _ = c.set_pointer_capture(ev.pointer_id());
                }
                // One undo step for the whole drag.
                edit(&|_| {});
            }
            None => {
                let label = class_one.get_untracked();
                edit(&|d| match d {
                    Data::Xy(v) => v.push(at),
                    Data::Labeled(v) => v.push((at, label)),
                });
            }
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let (Some(i), Some((at, _))) = (dragging.get_value(), world(&ev)) else {
            return;
        };
        model.scene.update(|s| match &mut s.data {
            Some(Data::Xy(v)) if i < v.len() => v[i] = at,
            Some(Data::Labeled(v)) if i < v.len() => v[i].0 = at,
            _ => {}
        });
    };
    let on_up = move |_| dragging.set_value(None);
    // A right click removes the point under it (as Shift-click does).
    let on_context = move |ev: web_sys::MouseEvent| {
        ev.prevent_default();
        let Some(f) = frame.get_untracked() else {
            return;
        };
        let dpr = device_pixel_ratio();
        let Some(at) = f.to_world(
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        ) else {
            return;
        };
        let reach = [
            (f.view[1] - f.view[0]) / f.width * dpr * GRAB_PX,
            (f.view[3] - f.view[2]) / f.height * dpr * GRAB_PX,
        ];
        if let Some(i) = task.with_untracked(|t| nearest(t.as_ref()?.points(), at, reach)) {
            remove(i);
        }
    };
    // Keyboard editing: arrows move a cross (Shift: ten times further), Enter or Space adds a
    // point there, Delete or Backspace removes the point under it, Ctrl+Z undoes.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if (ev.ctrl_key() || ev.meta_key()) && key == "z" {
            ev.prevent_default();
            return undo_last(model, undo);
        }
        let Some(f) = frame.get_untracked() else {
            return;
        };
        let [u, v] = cursor.get_untracked().unwrap_or([0.5, 0.5]);
        let k = if ev.shift_key() { 0.1 } else { 0.02 };
        let world = [
            f.view[0] + u * (f.view[1] - f.view[0]),
            f.view[2] + v * (f.view[3] - f.view[2]),
        ];
        let moved = match key.as_str() {
            "ArrowLeft" => [u - k, v],
            "ArrowRight" => [u + k, v],
            "ArrowUp" => [u, v + k],
            "ArrowDown" => [u, v - k],
            "Enter" | " " => {
                ev.prevent_default();
                let label = class_one.get_untracked();
                return edit(&|d| match d {
                    Data::Xy(p) => p.push(world),
                    Data::Labeled(p) => p.push((world, label)),
                });
            }
            "Delete" | "Backspace" => {
                ev.prevent_default();
                let dpr = device_pixel_ratio();
                let reach = [
                    (f.view[1] - f.view[0]) / f.width * dpr * GRAB_PX,
                    (f.view[3] - f.view[2]) / f.height * dpr * GRAB_PX,
                ];
                if let Some(i) =
                    task.with_untracked(|t| nearest(t.as_ref()?.points(), world, reach))
                {
                    remove(i);
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(moved.map(|c| c.clamp(0.0, 1.0))));
    };
    let csv_text = RwSignal::new(String::new());
    let load_csv = move || {
        let Some(task) = task.get_untracked() else {
            return;
        };
        let columns = if task.kind() == Task::Logistic {
            Columns::Labeled
        } else {
            Columns::Xy
        };
        match data::parse_csv(&csv_text.get_untracked(), columns) {
            Ok(d) => edit(&|old| *old = d.clone()),
            Err(e) => model.notify(f(Msg::CsvNotLoaded, &[&e])),
        }
    };
    let logistic = move || task.with(|t| t.as_ref().is_some_and(|t| t.kind() == Task::Logistic));
    let legend = move || {
        task.with(|task| match task.as_ref().map(|task| task.kind()) {
            Some(Task::Polynomial) => t(Msg::LegendPolynomial),
            Some(Task::Logistic) => t(Msg::LegendLogistic),
            _ => t(Msg::LegendLinear),
        })
    };

    view! {
        <div class="fit-view" data-testid="fit-view">
            <div class="fit-holder" node_ref=holder>
                <canvas
                    node_ref=canvas_ref
                    class="fit-live"
                    tabindex="0"
                    role="img"
                    aria-label=t(Msg::FitAria)
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_up
                    on:contextmenu=on_context
                    on:keydown=on_key
                    on:focus=move |_| cursor.set(Some(cursor.get_untracked().unwrap_or([0.5, 0.5])))
                    on:blur=move |_| cursor.set(None)
                ></canvas>
                <canvas node_ref=base class="fit-axes" aria-hidden="true"></canvas>
                <canvas node_ref=kept class="fit-kept" aria-hidden="true"></canvas>
            </div>
            <p class="small muted">{legend}</p>
            <div class="data-tools">
                {when(logistic, move || view! {
                    <label class="param toggle">
                        <input
                            type="checkbox"
                            name="add_class"
                            prop:checked=move || class_one.get()
                            on:change=move |ev| class_one.set(event_target_checked(&ev))
                        />
                        {t(Msg::NewClassOne)}
                    </label>
                })}
                <button
                    data-testid="data-undo"
                    on:click=move |_| undo_last(model, undo)
                >
                    {t(Msg::Undo)}
                </button>
                <button
                    data-testid="data-regenerate"
                    title=t(Msg::NewDataTitle)
                    on:click=move |_| {
                        model.scene.update(|s| {
                            s.data = None;
                            s.seed = s.seed.wrapping_add(1);
                        });
                    }
                >
                    {t(Msg::NewData)}
                </button>
                <button
                    data-testid="data-clear"
                    on:click=move |_| edit(&|d| match d {
                        Data::Xy(v) => v.clear(),
                        Data::Labeled(v) => v.clear(),
                    })
                >
                    {t(Msg::Clear)}
                </button>
            </div>
            <details class="csv">
                <summary>{t(Msg::PasteCsv)}</summary>
                <textarea
                    name="csv"
                    rows="4"
                    placeholder=t(Msg::CsvPlaceholder)
                    prop:value=move || csv_text.get()
                    on:input=move |ev| csv_text.set(event_target_value(&ev))
                ></textarea>
                <div class="data-tools">
                    <button data-testid="csv-load" on:click=move |_| load_csv()>
                        {t(Msg::UsePoints)}
                    </button>
                    <input
                        type="file"
                        accept=".csv,text/csv,text/plain"
                        on:change=move |ev| {
                            let file = event_target::<web_sys::HtmlInputElement>(&ev)
                                .files()
                                .and_then(|f| f.get(0));
                            if let Some(file) = file {
                                let text = wasm_bindgen_futures::JsFuture::from(file.text());
                                leptos::task::spawn_local(async move {
                                    if let Ok(t) = text.await {
                                        csv_text.set(t.as_string().unwrap_or_default());
                                        load_csv();
                                    }
                                });
                            }
                        }
                    />
                </div>
            </details>
        </div>
    }
}

/// Restores the data before the last edit.
fn undo_last(model: Model, undo: StoredValue<Vec<Option<Data>>>) {
    let mut last = None;
    undo.update_value(|u| last = u.pop());
    if let Some(previous) = last {
        model.scene.update(|s| s.data = previous);
    }
}
