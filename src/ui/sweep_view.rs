//! The sweep view: a map of one card's final loss over two of its hyperparameters (or the
//! schedule's parameters), by grid, random search, successive halving or Hyperband, computed by
//! the engine ([`crate::engine::sweep`]) in back-to-back tasks of a few milliseconds each,
//! redrawn at most once per animation frame, with a progress bar and Cancel. Clicking the map
//! loads that setting into the card. Searches too big for the page are refused up front.
//!
//! The controls are one small form with one delegated `change` listener that reads every field
//! by name (a Leptos handler per field would cost bytes for nothing); finished searches are
//! cached by their inputs, so going back to a map shows it at once.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::canvas::{self, use_canvas, use_css_size};
use super::controls::exact;
use super::effect::effect;
use super::model::{Model, Racer};
use super::plot;
use crate::draw::theme::{css, Ink};
use crate::engine::optim;
use crate::engine::param::{Kind, Param, Scale};
use crate::engine::run::RunConfig;
use crate::engine::schedule;
use crate::engine::sweep::{self, Axis, Method, Search, Sweep, METHODS};
use crate::i18n::{f, t, Msg};

/// Milliseconds of engine work per task. Each slice is a task of its own, so input and frames
/// wait at most this long, far from a 50 ms long task, while the engine gets most of the time
/// (one slice per animation frame left it a third).
const SLICE_MS: f64 = 5.0;
/// Evaluations (steps × one step's cost, as the cards' cap counts them) a search may take on
/// the page, in all and in one run: about ten seconds of a surface's steps, and one run well
/// inside a slice's task (logistic regression's 6·10⁶ took about 120 ms). `Msg::SweepTooBig`
/// states both.
const MAX_SWEEP_WORK: u64 = 50_000_000;
const MAX_EVAL_WORK: u64 = 2_000_000;
/// Milliseconds between redraws while a search runs: a frame that changes the page costs
/// several milliseconds of the main thread (style, paint, commit), so redrawing every frame
/// left the engine half the time; ten updates a second still show the map filling in.
const REDRAW_MS: f64 = 100.0;
/// Finished maps kept, by their inputs.
const CACHED: usize = 8;

/// What the form says.
#[derive(Clone, Debug, PartialEq)]
struct Form {
    card: usize,
    x: Axis,
    y: Axis,
    method: &'static str,
    samples: usize,
    max_steps: usize,
    eta: f64,
    threshold: Option<f64>,
}

/// The parameters a card's run can be swept over: its optimizer's numbers, then its schedule's.
fn candidates(config: &RunConfig) -> Vec<Param> {
    let schema = optim::kind(&config.optimizer).map_or(&[][..], |k| k.schema);
    schema
        .iter()
        .chain(config.schedule.kind().schema)
        .chain([&schedule::WARMUP])
        .filter(|p| p.kind != Kind::Bool)
        .copied()
        .collect()
}

/// An axis over `p`'s slider range, log where its slider is.
fn axis_for(p: &Param, count: usize) -> Axis {
    Axis {
        key: p.key.to_string(),
        lo: p.slider.0,
        hi: p.slider.1,
        scale: if p.log_slider() {
            Scale::Log
        } else {
            Scale::Linear
        },
        count,
    }
}

/// The first form for a card: its learning rate against its second hyperparameter.
fn default_form(card: usize, config: &RunConfig) -> Option<Form> {
    let c = candidates(config);
    let x = c.iter().find(|p| p.key == "lr").or(c.first())?;
    let y = c.iter().find(|p| p.key != x.key)?;
    Some(Form {
        card,
        x: axis_for(x, 32),
        y: axis_for(y, 32),
        method: "grid",
        samples: 64,
        max_steps: 81,
        eta: 3.0,
        threshold: Some(1e-3),
    })
}

/// `<option>`s of `values` with `labels`.
fn options<'a>(values: impl Iterator<Item = (String, &'a str)>) -> String {
    values
        .map(|(v, label)| format!("<option value=\"{v}\">{label}</option>"))
        .collect()
}

/// The form's markup for cards `names` and axis `keys`; values come from [`form_values`].
fn form_html(names: &[&str], keys: &[&str]) -> String {
    let cards = options(names.iter().enumerate().map(|(i, n)| (i.to_string(), *n)));
    let keys = options(keys.iter().map(|k| (k.to_string(), *k)));
    let text = |label: &str, name: &str| {
        format!("<label>{label} <input type=\"text\" name=\"{name}\"></label>")
    };
    let mut html = format!(
        "<label>{} <select name=\"sweep_card\">{cards}</select></label>",
        t(Msg::SweepCard)
    );
    for n in ["x", "y"] {
        html += &format!("<label>{n} <select name=\"sweep_{n}\">{keys}</select></label>");
        html += &text(t(Msg::SweepFrom), &format!("sweep_{n}_lo"));
        html += &text(t(Msg::SweepTo), &format!("sweep_{n}_hi"));
        html += &format!(
            "<select name=\"sweep_{n}_scale\" aria-label=\"{n} scale\"><option>lin</option><option>log</option></select>"
        );
        html += &text(t(Msg::SweepCells), &format!("sweep_{n}_n"));
    }
    let methods = options(METHODS.iter().map(|m| (m.to_string(), *m)));
    html += &format!(
        "<label>{} <select name=\"sweep_method\">{methods}</select></label>",
        t(Msg::SweepMethod)
    );
    for (label, name) in FIELDS {
        html += &text(label.map_or("η", t), name);
    }
    html
}

/// The method fields' labels and names (η is a symbol in every language).
const FIELDS: [(Option<Msg>, &str); 4] = [
    (Some(Msg::SweepSamples), "sweep_samples"),
    (Some(Msg::SweepMaxSteps), "sweep_r"),
    (None, "sweep_eta"),
    (Some(Msg::SweepThreshold), "sweep_threshold"),
];

/// Every field's value as the form shows it.
fn form_values(f: &Form) -> Vec<(String, String)> {
    let mut v = vec![("sweep_card".to_string(), f.card.to_string())];
    for (n, a) in [("x", &f.x), ("y", &f.y)] {
        v.push((format!("sweep_{n}"), a.key.clone()));
        v.push((format!("sweep_{n}_lo"), exact(a.lo)));
        v.push((format!("sweep_{n}_hi"), exact(a.hi)));
        let scale = if a.scale == Scale::Log { "log" } else { "lin" };
        v.push((format!("sweep_{n}_scale"), scale.to_string()));
        v.push((format!("sweep_{n}_n"), a.count.to_string()));
    }
    v.push(("sweep_method".into(), f.method.to_string()));
    v.push(("sweep_samples".into(), f.samples.to_string()));
    v.push(("sweep_r".into(), f.max_steps.to_string()));
    v.push(("sweep_eta".into(), exact(f.eta)));
    v.push((
        "sweep_threshold".into(),
        f.threshold.map(exact).unwrap_or_default(),
    ));
    v
}

/// The field `name` of the form under `root`, as text.
fn field(root: &web_sys::Element, name: &str) -> String {
    root.query_selector(&format!("[name={name}]"))
        .ok()
        .flatten()
        .and_then(|el| js_sys::Reflect::get(&el, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The form as the user left it: a new card or a new axis key starts from its defaults, a field
/// that does not parse keeps its old value.
fn read_form(
    root: &web_sys::Element,
    old: &Form,
    config_of: impl Fn(usize) -> Option<RunConfig>,
) -> Option<Form> {
    let card = field(root, "sweep_card").parse().unwrap_or(old.card);
    let config = config_of(card)?;
    if card != old.card {
        return default_form(card, &config);
    }
    let c = candidates(&config);
    let num = |name: &str, old: f64| {
        crate::engine::number::parse(field(root, name).trim()).unwrap_or(old)
    };
    let whole = |name: &str, old: usize| field(root, name).trim().parse().unwrap_or(old);
    let axis = |n: &str, old: &Axis| {
        let key = field(root, &format!("sweep_{n}"));
        let count = whole(&format!("sweep_{n}_n"), old.count).clamp(1, 128);
        match c.iter().find(|p| p.key == key) {
            Some(p) if key != old.key => axis_for(p, count),
            _ => Axis {
                key: old.key.clone(),
                lo: num(&format!("sweep_{n}_lo"), old.lo),
                hi: num(&format!("sweep_{n}_hi"), old.hi),
                scale: if field(root, &format!("sweep_{n}_scale")) == "log" {
                    Scale::Log
                } else {
                    Scale::Linear
                },
                count,
            },
        }
    };
    let method = field(root, "sweep_method");
    let threshold = field(root, "sweep_threshold");
    Some(Form {
        card,
        x: axis("x", &old.x),
        y: axis("y", &old.y),
        method: METHODS
            .iter()
            .find(|m| **m == method)
            .copied()
            .unwrap_or(old.method),
        samples: whole("sweep_samples", old.samples).clamp(1, 4096),
        max_steps: whole("sweep_r", old.max_steps).clamp(1, 10_000),
        eta: num("sweep_eta", old.eta),
        threshold: crate::engine::number::parse(threshold.trim()),
    })
}

fn method(f: &Form) -> Method {
    match f.method {
        "random" => Method::Random { samples: f.samples },
        "halving" => Method::Halving {
            max_steps: f.max_steps,
            eta: f.eta,
        },
        "hyperband" => Method::Hyperband {
            max_steps: f.max_steps,
            eta: f.eta,
        },
        _ => Method::Grid,
    }
}

/// What a map depends on: the drawn problem (its rebuild count), the sweep, the method, the seed.
type Key = (String, Sweep, Method, u64);

/// The search in progress (or shown), the cache of finished ones and the frame loop's state.
#[derive(Clone, Copy)]
struct Job {
    search: StoredValue<Option<Search>, LocalStorage>,
    key: StoredValue<Option<Key>, LocalStorage>,
    cache: StoredValue<Vec<(Key, Search)>, LocalStorage>,
    generation: StoredValue<u64>,
    running: RwSignal<bool>,
    /// Bumped when the search gained evaluations, at most once per frame: what the canvas,
    /// the progress bar and the status redraw on.
    version: RwSignal<u64>,
    /// When the last redraw was asked for; +∞ while it waits for its animation frame.
    drawing: StoredValue<f64>,
    error: RwSignal<Option<String>>,
    /// The port to post to: its channel's other end runs slices.
    port: StoredValue<Option<web_sys::MessagePort>, LocalStorage>,
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs slice `mine` as a task of its own: a message to the view's channel, queued behind
/// whatever input and rendering the browser has waiting (zero timeouts would be clamped to
/// 4 ms after a few; every browser with WebAssembly has `MessageChannel`).
fn post(job: Job, mine: u64) {
    job.port.with_value(|p| {
        if let Some(p) = p {
            let _ = p.post_message(&JsValue::from_f64(mine as f64));
        }
    });
}

/// A redraw at the next animation frame, unless one waits or the last was under
/// [`REDRAW_MS`] ago, however many slices finish meanwhile.
fn redraw_soon(job: Job) {
    let t = now();
    if t - job.drawing.get_value() < REDRAW_MS {
        return;
    }
    job.drawing.set_value(f64::INFINITY);
    request_animation_frame(move || {
        if job.drawing.try_set_value(t).is_none() {
            job.version.update(|v| *v += 1);
        }
    });
}

/// Runs the search for one slice, then posts the next, until it is done, cancelled or
/// replaced (a newer generation) or the view is gone.
fn slice(model: Model, job: Job, mine: u64) {
    if job.generation.try_get_value() != Some(mine) || !job.running.get_untracked() {
        return;
    }
    let deadline = now() + SLICE_MS;
    let result = job
        .search
        .try_update_value(|s| {
            let s = s.as_mut()?;
            Some(super::perf::measure("gradscape:sweep-slice", || {
                model.with_problem_untracked(|p| s.run_while(p, || now() < deadline))
            }))
        })
        .flatten();
    match result {
        Some(Ok(false)) => {
            redraw_soon(job);
            post(job, mine);
            return;
        }
        Some(Ok(true)) => {
            job.running.set(false);
            if let Some(done) = job.search.get_value() {
                job.cache.update_value(|c| {
                    if c.len() >= CACHED {
                        c.remove(0);
                    }
                    if let Some(key) = job.key.get_value() {
                        c.push((key, done));
                    }
                });
            }
        }
        Some(Err(e)) => {
            job.running.set(false);
            job.error.set(Some(e));
        }
        None => job.running.set(false),
    }
    job.version.update(|v| *v += 1);
}

/// The plotting area inside a `w × h` canvas: left, top, width, height (device pixels).
fn plot_area(w: f64, h: f64, dpr: f64) -> [f64; 4] {
    let (left, top) = (62.0 * dpr, 24.0 * dpr);
    [
        left,
        top,
        (w - left - 14.0 * dpr).max(1.0),
        (h - top - 40.0 * dpr).max(1.0),
    ]
}

/// A tick label: three significant digits.
fn tick(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let digits = 2 - v.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    exact((v * scale).round() / scale)
}

/// A loss (or a count of evaluations) in four significant digits, with a power of ten outside
/// 0.001…99,999 (by hand: the
/// standard `{:e}` formatting would bring its own float printer into the wasm).
fn loss_text(v: f64) -> String {
    let e = if v == 0.0 || !v.is_finite() {
        0
    } else {
        v.abs().log10().floor() as i32
    };
    if (-3..5).contains(&e) {
        let scale = 10f64.powi(3 - e);
        return exact((v * scale).round() / scale);
    }
    let m = (v / 10f64.powi(e) * 1000.0).round() / 1000.0;
    format!("{}e{e}", exact(m))
}

const DIVERGED: [u8; 4] = [214, 39, 40, 255];

/// Draws the map: cells (grid) or points (the other methods) in the one colour map, diverged
/// in red, the threshold's boundary, the card's setting and Polyak's optimum, with axes.
fn draw(
    canvas: &HtmlCanvasElement,
    dpr: f64,
    ink: &Ink,
    search: &Search,
    current: Option<[f64; 2]>,
    target: Option<[f64; 2]>,
) -> Option<()> {
    let ctx = canvas::cleared(canvas)?;
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    let [left, top, pw, ph] = plot_area(w, h, dpr);
    ctx.set_fill_style_str(&css(ink.background, 1.0));
    ctx.fill_rect(0.0, 0.0, w, h);
    let sweep = &search.sweep;
    let evals = search.evaluations();
    let shades = sweep::log_shades(
        &evals
            .iter()
            .map(|e| (!e.outcome.diverged).then_some(e.outcome.final_loss))
            .collect::<Vec<_>>(),
    );
    let colours = plot::colour_map();
    let colour = |i: usize| {
        let s = shades[i];
        if s.is_nan() {
            DIVERGED
        } else {
            colours[(s * 255.0) as usize]
        }
    };
    let to_px = |at: [f64; 2]| {
        (
            left + sweep.x.fraction(at[0]) * pw,
            top + (1.0 - sweep.y.fraction(at[1])) * ph,
        )
    };
    let (nx, ny) = (sweep.x.count, sweep.y.count);
    if search.method == Method::Grid {
        // One pixel per cell on a small canvas, scaled up unsmoothed: a redraw per frame costs
        // a few thousand pixels, not the plot's area.
        let mut rgba = vec![0u8; nx * ny * 4];
        for (row, line) in rgba.chunks_exact_mut(nx * 4).enumerate() {
            let first = (ny - 1 - row) * nx;
            for (col, px) in line.chunks_exact_mut(4).enumerate() {
                if first + col < evals.len() {
                    px.copy_from_slice(&colour(first + col));
                }
            }
        }
        let image =
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), nx as u32, ny as u32)
                .ok()?;
        let cells: HtmlCanvasElement = document().create_element("canvas").ok()?.dyn_into().ok()?;
        cells.set_width(nx as u32);
        cells.set_height(ny as u32);
        canvas::context(&cells)?
            .put_image_data(&image, 0.0, 0.0)
            .ok()?;
        ctx.set_image_smoothing_enabled(false);
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&cells, left, top, pw, ph)
            .ok()?;
        if sweep.threshold.is_some() {
            reached_boundary(&ctx, search, [left, top, pw, ph], dpr);
        }
    } else {
        let best = search.best().map(|b| b.config);
        for (i, e) in evals.iter().enumerate() {
            let (x, y) = to_px(e.at);
            let r = (2.5 + 1.5 * e.rung as f64) * dpr;
            let [cr, cg, cb, _] = colour(i);
            ctx.begin_path();
            ctx.arc(x, y, r, 0.0, std::f64::consts::TAU).ok()?;
            ctx.set_fill_style_str(&css([cr, cg, cb], 0.9));
            ctx.fill();
            if Some(e.config) == best {
                ctx.set_stroke_style_str(&css(ink.text, 1.0));
                ctx.set_line_width(2.5 * dpr);
                ctx.stroke();
            }
        }
    }
    ctx.set_stroke_style_str(&css(ink.text, 1.0));
    ctx.set_line_width(dpr);
    ctx.stroke_rect(left, top, pw, ph);
    ctx.set_fill_style_str(&css(ink.text, 1.0));
    ctx.set_font(&format!("{}px sans-serif", (12.0 * dpr).round()));
    for k in 0..=4 {
        let u = f64::from(k) / 4.0;
        ctx.set_text_align("center");
        let _ = ctx.fill_text(&tick(sweep.x.at(u)), left + u * pw, top + ph + 16.0 * dpr);
        ctx.set_text_align("right");
        let _ = ctx.fill_text(
            &tick(sweep.y.at(u)),
            left - 5.0 * dpr,
            top + (1.0 - u) * ph + 4.0 * dpr,
        );
    }
    ctx.set_text_align("center");
    let _ = ctx.fill_text(&sweep.x.key, left + pw / 2.0, top + ph + 34.0 * dpr);
    ctx.set_text_align("left");
    let _ = ctx.fill_text(&sweep.y.key, 4.0 * dpr, top - 8.0 * dpr);
    let inside = |at: [f64; 2]| {
        let (x, y) = to_px(at);
        (x >= left && x <= left + pw && y >= top && y <= top + ph).then_some((x, y))
    };
    if let Some((x, y)) = target.and_then(inside) {
        plot::star(&ctx, x, y, 9.0 * dpr);
    }
    if let Some((x, y)) = current.and_then(inside) {
        ctx.begin_path();
        ctx.arc(x, y, 6.0 * dpr, 0.0, std::f64::consts::TAU).ok()?;
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(3.0 * dpr);
        ctx.stroke();
        ctx.set_stroke_style_str("#111111");
        ctx.set_line_width(1.5 * dpr);
        ctx.stroke();
    }
    Some(())
}

/// The edges between grid cells that reached the threshold and cells that did not.
fn reached_boundary(
    ctx: &CanvasRenderingContext2d,
    search: &Search,
    [left, top, pw, ph]: [f64; 4],
    dpr: f64,
) {
    let (nx, ny) = (search.sweep.x.count, search.sweep.y.count);
    let evals = search.evaluations();
    let reached = |ix: usize, iy: usize| {
        evals
            .get(iy * nx + ix)
            .map(|e| e.outcome.first_below.is_some())
    };
    let (cw, ch) = (pw / nx as f64, ph / ny as f64);
    ctx.set_stroke_style_str("#ffffff");
    ctx.set_line_width(2.0 * dpr);
    ctx.begin_path();
    for iy in 0..ny {
        for ix in 0..nx {
            let Some(here) = reached(ix, iy) else {
                continue;
            };
            let (x0, y1) = (left + ix as f64 * cw, top + (ny - iy) as f64 * ch);
            if ix + 1 < nx && reached(ix + 1, iy).is_some_and(|r| r != here) {
                ctx.move_to(x0 + cw, y1 - ch);
                ctx.line_to(x0 + cw, y1);
            }
            if iy + 1 < ny && reached(ix, iy + 1).is_some_and(|r| r != here) {
                ctx.move_to(x0, y1 - ch);
                ctx.line_to(x0 + cw, y1 - ch);
            }
        }
    }
    ctx.stroke();
}

/// The evaluation under the plot position (`fx`, `fy`) (fractions of the axes, y upwards):
/// the grid cell there, or the nearest point.
fn pick(search: &Search, fx: f64, fy: f64) -> Option<usize> {
    let sweep = &search.sweep;
    let evals = search.evaluations();
    if !(0.0..=1.0).contains(&fx) || !(0.0..=1.0).contains(&fy) {
        return None;
    }
    if search.method == Method::Grid {
        let (nx, ny) = (sweep.x.count, sweep.y.count);
        let ix = ((fx * nx as f64) as usize).min(nx - 1);
        let iy = ((fy * ny as f64) as usize).min(ny - 1);
        let i = iy * nx + ix;
        return (i < evals.len()).then_some(i);
    }
    let d = |i: &usize| {
        let e = &evals[*i];
        (sweep.x.fraction(e.at[0]) - fx).hypot(sweep.y.fraction(e.at[1]) - fy)
    };
    (0..evals.len())
        .filter(|i| d(i) < 0.04)
        .min_by(|a, b| d(a).total_cmp(&d(b)))
}

/// The read-out of evaluation `i`.
fn describe(search: &Search, i: usize) -> String {
    let e = &search.evaluations()[i];
    let s = &search.sweep;
    let [vx, vy] = s.used(e.at);
    let mut text = f(
        Msg::SweepCell,
        &[
            &s.x.key,
            &tick(vx),
            &s.y.key,
            &tick(vy),
            &loss_text(e.outcome.final_loss),
            e.outcome.status(),
            &e.outcome.steps_run.to_string(),
        ],
    );
    if let Some(k) = e.outcome.first_below {
        text += &f(Msg::SweepBelow, &[&k.to_string()]);
    }
    if search.method != Method::Grid {
        let [b, r, c] = [e.bracket, e.rung, e.config].map(|v| v.to_string());
        text += &f(Msg::SweepRung, &[&b, &r, &c]);
    }
    text
}

#[component]
#[inline(never)]
pub fn SweepView(model: Model) -> impl IntoView {
    let open = RwSignal::new(false);
    let form = RwSignal::new(None::<Form>);
    let holder = NodeRef::<html::Div>::new();
    let plot_canvas = NodeRef::<html::Canvas>::new();
    let root = NodeRef::<html::Form>::new();
    let size = use_css_size(holder);
    let hover = RwSignal::new(None::<usize>);
    let job = Job {
        search: StoredValue::new_local(None),
        key: StoredValue::new_local(None),
        cache: StoredValue::new_local(Vec::new()),
        generation: StoredValue::new(0),
        running: RwSignal::new(false),
        version: RwSignal::new(0),
        drawing: StoredValue::new(f64::NEG_INFINITY),
        error: RwSignal::new(None),
        port: StoredValue::new_local(None),
    };
    // Slices run on one channel's messages, each carrying its generation.
    if let Ok(channel) = web_sys::MessageChannel::new() {
        // The event's `data` is read by reflection, which the page already binds.
        let on_message = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
            let data = js_sys::Reflect::get(&e, &JsValue::from_str("data"));
            if let Some(g) = data.ok().and_then(|d| d.as_f64()) {
                slice(model, job, g as u64);
            }
        });
        channel
            .port1()
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the page: the view mounts once (again only if embed
        // mode toggles), and a message for a view that is gone finds its generation disposed.
        on_message.forget();
        job.port.set_value(Some(channel.port2()));
    }
    let racer = move |card: usize| -> Option<Racer> {
        model.racers.with(|r| r.get(card).or(r.first()).copied())
    };
    let config_of = move |card: usize| racer(card).map(|r| model.run_config(&r));
    // A form for the card it follows, started over when that card is gone or its optimizer no
    // longer has the axis (cards removed or added).
    effect(move || {
        if !open.get() {
            return;
        }
        let current = form.get_untracked();
        let fits = current.as_ref().is_some_and(|f| {
            model.racers.with(|r| f.card < r.len())
                && config_of(f.card).is_some_and(|c| {
                    let keys = candidates(&c);
                    [&f.x.key, &f.y.key]
                        .iter()
                        .all(|k| keys.iter().any(|p| p.key == k.as_str()))
                })
        });
        if !fits {
            form.set(config_of(0).and_then(|c| default_form(0, &c)));
        }
    });
    // Any input restarts the search (or shows a cached one).
    effect(move || {
        if !open.get() {
            return;
        }
        let Some(f) = form.get() else {
            return;
        };
        let Some(r) = racer(f.card) else {
            return;
        };
        let base = model.run_config(&r);
        let surface = model.surface_key();
        let seed = base.noise.seed;
        // The card's own values of the two axes do not change the map (loading a cell sets
        // them): the base run carries the axes' first values instead.
        let search = Sweep::new(base, f.x.clone(), f.y.clone(), f.threshold)
            .and_then(|s| {
                let base = s.config([s.x.lo, s.y.lo], s.base.steps)?;
                Sweep::new(base, s.x, s.y, s.threshold)
            })
            .and_then(|s| Search::new(s, method(&f), seed));
        let key = search
            .as_ref()
            .ok()
            .map(|s| (surface, s.sweep.clone(), s.method, seed));
        if key.is_some() && job.key.with_value(|k| *k == key) {
            return;
        }
        job.key.set_value(key.clone());
        job.generation.update_value(|g| *g += 1);
        job.error.set(None);
        hover.set(None);
        // The page's cap, before anything runs: in all, and for its longest run.
        let search = search.and_then(|s| {
            // In u64: 32-bit usize would overflow (128² cells × 10⁵ steps × 10⁴ points).
            let cost = model.step_cost(s.sweep.base.minibatch.map(|m| m.size)) as u64;
            let (steps, longest) = s.planned();
            let work = steps * cost;
            if work > MAX_SWEEP_WORK || longest as u64 * cost > MAX_EVAL_WORK {
                let runs = s.total().to_string();
                return Err(crate::i18n::f(
                    Msg::SweepTooBig,
                    &[&runs, &loss_text(work as f64)],
                ));
            }
            Ok(s)
        });
        let search = match search {
            Ok(s) => s,
            Err(e) => {
                job.running.set(false);
                job.search.set_value(None);
                job.error.set(Some(e));
                job.version.update(|v| *v += 1);
                return;
            }
        };
        let cached = job.cache.with_value(|c| {
            c.iter()
                .find(|(k, _)| Some(k) == key.as_ref())
                .map(|(_, s)| s.clone())
        });
        let done = cached.is_some();
        job.search.set_value(Some(cached.unwrap_or(search)));
        job.running.set(!done);
        job.version.update(|v| *v += 1);
        if !done {
            post(job, job.generation.get_value());
        }
    });
    let cancel_or_run = move |_| {
        if job.running.get_untracked() {
            job.running.set(false);
            job.generation.update_value(|g| *g += 1);
            // The count shown may be a frame old.
            job.version.update(|v| *v += 1);
        } else if job
            .search
            .with_value(|s| s.as_ref().is_some_and(|s| !s.done()))
        {
            job.generation.update_value(|g| *g += 1);
            job.running.set(true);
            post(job, job.generation.get_value());
        }
    };
    // The card's own values of the two axes, and Polyak's optimum where it applies.
    let marks = move || {
        let f = form.get()?;
        let r = racer(f.card)?;
        let c = model.run_config(&r);
        let value = |key: &str| {
            c.settings
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| *v)
                .or_else(|| {
                    let call = c.schedule.to_call();
                    let given = call.args.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
                    given.or_else(|| {
                        candidates(&c)
                            .iter()
                            .find(|p| p.key == key)
                            .map(|p| p.default)
                    })
                })
        };
        let current = value(&f.x.key).zip(value(&f.y.key)).map(|(a, b)| [a, b]);
        let momentum = r.id == "momentum" && value("dampening") == Some(0.0);
        let target = (momentum && model.scene.with(|s| s.task.is_none()))
            .then(|| sweep::heavy_ball_target(&model.spec.get()))
            .flatten()
            .and_then(|[a, b]| match (f.x.key.as_str(), f.y.key.as_str()) {
                ("lr", "momentum") => Some([a, b]),
                ("momentum", "lr") => Some([b, a]),
                _ => None,
            });
        Some((current, target))
    };
    use_canvas(plot_canvas, size, move |canvas, dpr, _| {
        job.version.track();
        let ink = canvas::ink(model);
        let (current, target) = marks().unwrap_or((None, None));
        job.search.with_value(|s| {
            if let Some(s) = s {
                super::perf::measure("gradscape:sweep-draw", || {
                    draw(canvas, dpr, &ink, s, current, target)
                });
            }
        });
    });
    // Plot fractions under a pointer event.
    let at = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let (w, h) = size.get_untracked()?;
        let dpr = canvas::device_pixel_ratio();
        let [left, top, pw, ph] = plot_area(w * dpr, h * dpr, dpr);
        let (x, y) = (
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        );
        Some(((x - left) / pw, 1.0 - (y - top) / ph))
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let picked = at(&ev).and_then(|(fx, fy)| {
            job.search
                .with_value(|s| s.as_ref().and_then(|s| pick(s, fx, fy)))
        });
        if hover.get_untracked() != picked {
            hover.set(picked);
        }
    };
    let on_click = move |ev: web_sys::PointerEvent| {
        let Some((fx, fy)) = at(&ev) else {
            return;
        };
        let Some(f) = form.get_untracked() else {
            return;
        };
        let Some(r) = racer(f.card) else {
            return;
        };
        // Grid: the cell's values; otherwise the evaluation clicked (or nothing).
        let loaded = job.search.with_value(|s| {
            let s = s.as_ref()?;
            let i = pick(s, fx, fy)?;
            let e = &s.evaluations()[i];
            s.sweep.config(e.at, s.sweep.base.steps).ok()
        });
        let Some(c) = loaded else {
            return;
        };
        if let Err(e) = model.set_settings(r.uid, &c.settings) {
            model.notify(e);
        }
        if c.schedule != model.schedule.get_untracked() {
            model.scene.update(|s| s.schedule = c.schedule);
        }
    };
    let on_change = move |_| {
        let (Some(el), Some(old)) = (root.get_untracked(), form.get_untracked()) else {
            return;
        };
        let el: &web_sys::Element = el.unchecked_ref();
        if let Some(f) = read_form(el, &old, |c| {
            racer(c).map(|r| untrack(|| model.run_config(&r)))
        }) {
            if f != old {
                form.set(Some(f));
            }
        }
    };
    // The form is static markup written from `Form` (one string, no per-field Leptos view):
    // rebuilt when its choices change (another card, optimizer or schedule), otherwise only
    // its values are written back, so the field being typed in keeps its focus.
    let shape = StoredValue::new(String::new());
    effect(move || {
        let (Some(el), Some(f)) = (root.get(), form.get()) else {
            return;
        };
        let names: Vec<&'static str> = model.racers.with(|r| r.iter().map(|r| r.name()).collect());
        let keys: Vec<&'static str> = config_of(f.card)
            .map(|c| candidates(&c).iter().map(|p| p.key).collect())
            .unwrap_or_default();
        let now = format!("{}|{}", names.join(","), keys.join(","));
        let el: &web_sys::Element = el.unchecked_ref();
        if shape.with_value(|s| *s != now) {
            shape.set_value(now);
            el.set_inner_html(&form_html(&names, &keys));
        }
        for (name, value) in form_values(&f) {
            if let Ok(Some(field)) = el.query_selector(&format!("[name={name}]")) {
                let _ = js_sys::Reflect::set(
                    &field,
                    &JsValue::from_str("value"),
                    &JsValue::from_str(&value),
                );
            }
        }
    });
    let status = move || {
        job.version.track();
        if let Some(e) = job.error.get() {
            return e;
        }
        job.search.with_value(|s| {
            let Some(s) = s else {
                return String::new();
            };
            let counts = [s.evaluations().len(), s.total(), s.spent()].map(|v| v.to_string());
            let mut text = f(Msg::SweepStatus, &[&counts[0], &counts[1], &counts[2]]);
            if let Some(b) = s.best() {
                let [vx, vy] = s.sweep.used(b.at);
                text += &f(
                    Msg::SweepBest,
                    &[
                        &s.sweep.x.key,
                        &tick(vx),
                        &s.sweep.y.key,
                        &tick(vy),
                        &loss_text(b.outcome.final_loss),
                    ],
                );
            }
            text
        })
    };
    let progress = move || {
        job.version.track();
        job.search.with_value(|s| {
            s.as_ref()
                .map_or((0, 1), |s| (s.evaluations().len(), s.total().max(1)))
        })
    };
    let readout = move || {
        let i = hover.get()?;
        job.search.with_value(|s| {
            s.as_ref()
                .filter(|s| i < s.evaluations().len())
                .map(|s| describe(s, i))
        })
    };
    view! {
        <details
            class="sweep"
            data-testid="sweep-view"
            data-running=move || job.running.get().to_string()
            data-done=move || progress().0.to_string()
            data-total=move || progress().1.to_string()
            on:toggle=move |ev| {
                open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open());
            }
        >
            <summary>{t(Msg::SweepTitle)}</summary>
            <form class="sweep-form" node_ref=root on:change=on_change on:submit=|ev| ev.prevent_default()></form>
            <div class="sweep-progress">
                <progress max=move || progress().1 value=move || progress().0></progress>
                <button type="button" name="sweep_cancel" on:click=cancel_or_run>
                    {move || t(if job.running.get() { Msg::SweepCancel } else { Msg::SweepRun })}
                </button>
                <span class="muted small" role="status">{status}</span>
            </div>
            <div class="sweep-plot" node_ref=holder>
                <canvas
                    node_ref=plot_canvas
                    on:pointermove=on_move
                    on:pointerleave=move |_| hover.set(None)
                    on:pointerup=on_click
                ></canvas>
            </div>
            <p class="readout sweep-readout">{readout}</p>
            <p class="muted small">{t(Msg::SweepLegend)}</p>
        </details>
    }
}
