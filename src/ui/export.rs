//! The Share dialog's Export section: the scene's trajectories as CSV and JSON files and its
//! Python scripts on the clipboard, all written by [`crate::engine::export`] (what `gradscape
//! export` prints, byte for byte); PNGs of the surface view and the loss chart; a WebM of the
//! race.
//!
//! Pictures are composited from the layer canvases as they are on screen (device pixels), with
//! a footer band below for the legend and the scene's figures, so nothing covers a path.
//! Like the rest of the dialog, the buttons are static markup read by one delegated listener
//! ([`run`]); every outcome, refusals included, is text in the dialog's status line.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};

use super::canvas::{self, device_pixel_ratio};
use super::model::Model;
use super::palette;
use super::playback;
use super::share::{find, set_status};
use crate::draw::theme::css;
use crate::engine::export::{self, Format};
use crate::engine::scene::Panel;
use crate::i18n::{f, t, Msg};

/// The section's markup: each button names what it does in `data-export`.
pub fn markup() -> String {
    let [export, csv, json, png, png_loss, webm_title, webm, script] = [
        Msg::Export,
        Msg::CsvTitle,
        Msg::JsonTitle,
        Msg::PngSurface,
        Msg::PngLoss,
        Msg::WebmTitle,
        Msg::Record,
        Msg::Script,
    ]
    .map(t);
    let [pytorch, optax] = ["PyTorch", "optax"].map(|l| f(Msg::CopyScript, &[l]));
    format!(
        "<fieldset class=\"export\"><legend>{export}</legend>\
     <div class=\"export-row\">\
     <button data-export=\"csv\" data-testid=\"export-csv\" title=\"{csv}\">CSV</button>\
     <button data-export=\"json\" data-testid=\"export-json\" title=\"{json}\">JSON</button>\
     <button data-export=\"png\" data-testid=\"export-png\">{png}</button>\
     <button data-export=\"png-loss\" data-testid=\"export-png-loss\">{png_loss}</button>\
     <button data-export=\"webm\" data-testid=\"export-webm\" title=\"{webm_title}\">{webm}</button>\
     </div><div class=\"export-row\">\
     <button data-export=\"pytorch\" data-testid=\"copy-pytorch\">{pytorch}</button>\
     <button data-export=\"optax\" data-testid=\"copy-optax\">{optax}</button>\
     </div>\
     <textarea readonly rows=\"8\" wrap=\"off\" hidden data-testid=\"export-script\" aria-label=\"{script}\"></textarea>\
     </fieldset>"
    )
}

/// Does what the export button `what` says, reporting in `root`'s status line.
pub fn run(root: &Element, what: &str, model: Model) {
    set_status(root, "");
    let done = match what {
        "csv" => save_text(model, Format::Csv, "text/csv"),
        "json" => save_text(model, Format::Json, "application/json"),
        "pytorch" => return copy_script(root, model, Format::Pytorch, "PyTorch"),
        "optax" => return copy_script(root, model, Format::Optax, "optax"),
        "png" => save_png(root, model, Picture::Surface),
        "png-loss" => save_png(root, model, Picture::Loss),
        "webm" => record(root, model),
        _ => return,
    };
    match done {
        Ok(text) | Err(text) => set_status(root, &text),
    }
}

/// `gradscape-<task or surface>.<ext>`.
fn file_name(model: Model, ext: &str) -> String {
    let what = model.scene.with_untracked(|s| match s.task {
        Some(t) => t.id().to_string(),
        None => s.surface.id.clone(),
    });
    format!("gradscape-{what}.{ext}")
}

/// Runs the scene's export in `format`: the text and the engine's list of failed or diverged
/// cards.
fn write(model: Model, format: Format) -> Result<(String, Vec<String>), String> {
    let e = model.scene.with_untracked(|s| export::export(s, format))?;
    let problems = e.problems();
    Ok((e.text, problems))
}

/// `message`, then the engine's problems with the runs, if any.
fn with_problems(message: String, problems: &[String]) -> String {
    if problems.is_empty() {
        message
    } else {
        format!("{message}. {}", problems.join("; "))
    }
}

fn save_text(model: Model, format: Format, mime: &str) -> Result<String, String> {
    let (text, problems) = write(model, format)?;
    let name = file_name(model, format.id());
    download(&blob(&JsValue::from_str(&text), mime)?, &name)?;
    Ok(with_problems(f(Msg::Saved, &[&name]), &problems))
}

fn blob(part: &JsValue, mime: &str) -> Result<web_sys::Blob, String> {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let parts = js_sys::Array::of1(part);
    web_sys::Blob::new_with_blob_sequence_and_options(&parts, &bag)
        .map_err(|_| t(Msg::RefusedFile).to_string())
}

/// Hands `blob` to the browser as a download named `name`.
fn download(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let refused = |_| t(Msg::RefusedDownload).to_string();
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(refused)?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(refused)?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has its own reference by the time a second has passed.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(1),
    );
    Ok(())
}

/// Puts the script on the clipboard; where the clipboard is refused, or the engine refuses the
/// script (a task scene, too much noise), the dialog says so and shows what it has.
fn copy_script(root: &Element, model: Model, format: Format, library: &'static str) {
    let Some(area) = find::<web_sys::HtmlTextAreaElement>(root, "[data-testid=export-script]")
    else {
        return;
    };
    let (text, problems) = match write(model, format) {
        Ok(w) => w,
        Err(e) => {
            area.set_hidden(true);
            return set_status(root, &e);
        }
    };
    area.set_value(&text);
    let promise = window().navigator().clipboard().write_text(&text);
    let root = root.clone();
    leptos::task::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        let message = if copied {
            area.set_hidden(true);
            f(Msg::CopiedScript, &[library])
        } else {
            area.set_hidden(false);
            area.select();
            f(Msg::NoClipboard, &[library])
        };
        set_status(&root, &with_problems(message, &problems));
    });
}

/// What a picture shows.
#[derive(Clone, Copy)]
enum Picture {
    Surface,
    Loss,
}

/// The layer canvases of `picture` as shown, bottom first.
fn layers(model: Model, picture: Picture) -> Vec<HtmlCanvasElement> {
    let selector = match picture {
        // In 3-D the flat layers stay in the page, hidden under the solid view.
        Picture::Surface if model.three_d.get_untracked() => {
            "[data-testid=surface-view] canvas.solid"
        }
        Picture::Surface => "[data-testid=surface-view] canvas",
        Picture::Loss => "[data-testid=loss-chart] canvas",
    };
    let Ok(list) = document().query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .filter(|c: &HtmlCanvasElement| c.width() > 0 && c.height() > 0)
        .collect()
}

/// One footer line: an optimizer's colour and dash (none for the scene's own line) and text.
type Line = (Option<(&'static str, &'static [f64])>, String);

/// A loss as a short figure: six decimals, or scientific where those would hide it.
fn figure(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() < 1e-3 || v.abs() >= 1e6 {
        format!("{v:.4e}")
    } else {
        format!("{v:.6}")
    }
}

/// The footer: the scene's surface and playhead, then each shown optimizer with its learning
/// rate and its loss at the playhead (or where it diverged). All figures are the engine's.
fn footer(model: Model) -> Vec<Line> {
    let t = model.t.get_untracked();
    let steps = model.steps.get_untracked();
    let formula = model.surface.with_untracked(|s| s.info().formula.clone());
    let id = model.spec.with_untracked(|s| s.id.clone());
    let mut lines: Vec<Line> = vec![(
        None,
        f(
            Msg::FooterHead,
            &[
                &id,
                &crate::i18n::phrases(&formula),
                &t.to_string(),
                &steps.to_string(),
            ],
        ),
    )];
    for racer in model.racers.get_untracked() {
        if racer.hidden.get_untracked() {
            continue;
        }
        let lr = racer.settings.with_untracked(|s| {
            s.iter()
                .find(|(k, _)| k == "lr")
                .map(|(_, v)| format!(" · lr {v}"))
                .unwrap_or_default()
        });
        let how = match racer.outcome.get_untracked() {
            Err(e) => f(Msg::DidNotRun, &[&crate::i18n::phrases(&e)]),
            Ok(tr) => {
                let i = tr.index_at(t);
                let loss = tr.losses.get(i).map_or_else(String::new, |&l| figure(l));
                if tr.status_at(t) == "diverged" {
                    f(Msg::DivergedLoss, &[&i.to_string(), &loss])
                } else {
                    f(Msg::LossAt, &[&loss, &i.to_string()])
                }
            }
        };
        let style = (palette::colour(racer.slot), palette::dash(racer.slot));
        lines.push((Some(style), format!("{}{lr} · {how}", racer.name())));
    }
    lines
}

/// Height in CSS px of one footer line and of the footer's margin.
const ROW: f64 = 18.0;
const PAD: f64 = 8.0;

/// The footer's height in device pixels for `lines` lines.
fn footer_height(lines: usize, dpr: f64) -> u32 {
    ((PAD * 2.0 + ROW * lines as f64) * dpr).round() as u32
}

/// Draws `layers` (all of one size) at the top of `out`, at 1:1 over their own size, and the
/// footer under them, in the theme's colours. `out` must be at least as wide as the layers and
/// as tall as the layers plus the footer.
fn compose(
    out: &CanvasRenderingContext2d,
    layers: &[HtmlCanvasElement],
    lines: &[Line],
    model: Model,
    dpr: f64,
) {
    let Some(first) = layers.first() else {
        return;
    };
    let (w, h) = (f64::from(first.width()), f64::from(first.height()));
    let ink = untrack(|| canvas::ink(model));
    out.set_fill_style_str(&css(ink.background, 1.0));
    out.fill_rect(0.0, 0.0, w, h + f64::from(footer_height(lines.len(), dpr)));
    // A layer may cover only part of the view (the surface's live layer): at its offset.
    for layer in layers {
        let (x, y) = (layer.offset_left(), layer.offset_top());
        let (x, y) = (f64::from(x) * dpr, f64::from(y) * dpr);
        let _ = out.draw_image_with_html_canvas_element(layer, x, y);
    }
    out.set_font(&format!("{}px sans-serif", (12.0 * dpr).round()));
    out.set_text_baseline("middle");
    out.set_text_align("left");
    out.set_line_width(2.0 * dpr);
    for (i, (style, text)) in lines.iter().enumerate() {
        let y = h + (PAD + ROW * (i as f64 + 0.5)) * dpr;
        let mut x = PAD * dpr;
        if let Some((colour, dash)) = style {
            let dash: js_sys::Array = dash.iter().map(|d| JsValue::from(d * dpr)).collect();
            let _ = out.set_line_dash(&dash);
            out.set_stroke_style_str(colour);
            out.begin_path();
            out.move_to(x, y);
            out.line_to(x + 22.0 * dpr, y);
            out.stroke();
            x += 30.0 * dpr;
        }
        out.set_fill_style_str(&css(ink.text, 1.0));
        let _ = out.fill_text(text, x, y);
    }
}

/// A new canvas holding the composite of `picture` and its footer.
fn snapshot(model: Model, picture: Picture) -> Result<HtmlCanvasElement, String> {
    let layers = layers(model, picture);
    let first = layers.first().ok_or(t(match picture {
        Picture::Surface => Msg::SurfaceHidden,
        Picture::Loss => Msg::LossHidden,
    }))?;
    let dpr = device_pixel_ratio();
    let lines = footer(model);
    let out: HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(|_| t(Msg::NoCanvas).to_string())?
        .unchecked_into();
    out.set_width(first.width());
    out.set_height(first.height() + footer_height(lines.len(), dpr));
    let ctx = canvas::context(&out).ok_or(t(Msg::NoCanvas))?;
    compose(&ctx, &layers, &lines, model, dpr);
    Ok(out)
}

fn save_png(root: &Element, model: Model, picture: Picture) -> Result<String, String> {
    if matches!(picture, Picture::Loss) && model.hide.with_untracked(|h| h.contains(&Panel::Loss)) {
        return Err(t(Msg::LossHidden).into());
    }
    let out = snapshot(model, picture)?;
    let name = match picture {
        Picture::Surface => file_name(model, "png"),
        Picture::Loss => file_name(model, "loss.png"),
    };
    let (w, h) = (out.width(), out.height());
    let root = root.clone();
    let saved = name.clone();
    let done = Closure::once_into_js(move |blob: JsValue| {
        let result = match blob.dyn_into::<web_sys::Blob>() {
            Ok(b) => download(&b, &saved)
                .map(|()| f(Msg::SavedPng, &[&saved, &w.to_string(), &h.to_string()])),
            Err(_) => Err(t(Msg::PngFailed).into()),
        };
        match result {
            Ok(t) | Err(t) => set_status(&root, &t),
        }
    });
    out.to_blob(done.unchecked_ref())
        .map_err(|_| t(Msg::PngFailed).to_string())?;
    Ok(f(Msg::Encoding, &[&name]))
}

/// Frames per second of the recording.
const FPS: f64 = 30.0;

/// Animation frames held on step 0 before playing and on the last step after (half a second
/// each at 60 Hz): the video opens on the start and ends on the result.
const HOLD: u32 = 30;

/// A recording under way: the recorder, the canvas it captures and the dialog it reports to.
struct Recording {
    recorder: web_sys::MediaRecorder,
    ctx: CanvasRenderingContext2d,
    out: HtmlCanvasElement,
    root: Element,
}

/// Plays the race from step 0 to the end while a `MediaRecorder` records a composite of the
/// surface view (redrawn every animation frame), then downloads it.
fn record(root: &Element, model: Model) -> Result<String, String> {
    let has = |name: &str| js_sys::Reflect::has(&window(), &JsValue::from_str(name));
    if !has("MediaRecorder").unwrap_or(false) {
        return Err(t(Msg::NoRecorder).into());
    }
    if !web_sys::MediaRecorder::is_type_supported("video/webm") {
        return Err(t(Msg::NoWebm).into());
    }
    model.playing.set(false);
    model.set_t(0);
    // Size is fixed for the whole recording: later frames are scaled into the first's box.
    let first = snapshot(model, Picture::Surface)?;
    let out: HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(|_| t(Msg::NoCanvas).to_string())?
        .unchecked_into();
    // Encoders want even sizes.
    out.set_width(first.width() & !1);
    out.set_height(first.height() & !1);
    let ctx = canvas::context(&out).ok_or(t(Msg::NoCanvas))?;
    // The first frame: Chromium's recorder starts (and fires `start`) on the stream's first.
    let _ = ctx.draw_image_with_html_canvas_element(&first, 0.0, 0.0);
    let stream = out
        .capture_stream_with_frame_request_rate(FPS)
        .map_err(|_| t(Msg::NoCapture))?;
    let options = web_sys::MediaRecorderOptions::new();
    options.set_mime_type("video/webm");
    let recorder =
        web_sys::MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &options)
            .map_err(|_| t(Msg::RefusedRecord))?;
    let chunks = js_sys::Array::new();
    let keep = chunks.clone();
    let on_data = Closure::<dyn Fn(web_sys::BlobEvent)>::new(move |ev: web_sys::BlobEvent| {
        if let Some(b) = ev.data().filter(|b| b.size() > 0.0) {
            keep.push(&b);
        }
    });
    recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
    let status = root.clone();
    let on_stop = Closure::once_into_js(move || {
        // The last chunk has arrived: the data listener can go.
        drop(on_data);
        let saved = web_sys::BlobPropertyBag::new();
        saved.set_type("video/webm");
        let text = match web_sys::Blob::new_with_blob_sequence_and_options(&chunks, &saved) {
            Ok(b) if b.size() > 0.0 => download(&b, "gradscape-race.webm").map(|()| {
                let kb = format!("{:.0}", b.size() / 1024.0);
                f(Msg::SavedWebm, &["gradscape-race.webm", &kb])
            }),
            _ => Err(t(Msg::EmptyRecording).into()),
        };
        set_recording(&status, false);
        match text {
            Ok(t) | Err(t) => set_status(&status, &t),
        }
    });
    recorder.set_onstop(Some(on_stop.unchecked_ref()));
    // The encoder may take a moment to start (longer on a busy machine): frames drawn before
    // then would be lost, so the race starts once the recorder has.
    let rec = Recording {
        recorder: recorder.clone(),
        ctx,
        out,
        root: root.clone(),
    };
    let on_start = Closure::once_into_js(move || frame(model, rec, HOLD, HOLD));
    recorder.set_onstart(Some(on_start.unchecked_ref()));
    recorder.start().map_err(|_| t(Msg::RefusedRecord))?;
    set_recording(root, true);
    Ok(t(Msg::Recording).into())
}

/// One recording at a time: the button is disabled while one runs.
fn set_recording(root: &Element, on: bool) {
    if let Some(b) = find::<web_sys::HtmlButtonElement>(root, "[data-export=webm]") {
        b.set_disabled(on);
    }
}

/// Draws one frame of the recording and schedules the next: `lead` frames on step 0, then
/// Play until it stops (the race ended or the user paused), then `tail` frames; then stops the
/// recorder.
fn frame(model: Model, rec: Recording, lead: u32, tail: u32) {
    request_animation_frame(move || {
        if let Ok(shot) = snapshot(model, Picture::Surface) {
            let _ = rec.ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                &shot,
                0.0,
                0.0,
                f64::from(rec.out.width()),
                f64::from(rec.out.height()),
            );
        }
        let (t, steps) = (model.t.get_untracked(), model.steps.get_untracked());
        if lead > 0 {
            if lead == 1 {
                playback::play(model);
            }
            set_status(&rec.root, crate::i18n::t(Msg::Recording));
            frame(model, rec, lead - 1, tail);
        } else if model.playing.get_untracked() {
            set_status(
                &rec.root,
                &f(Msg::RecordingStep, &[&t.to_string(), &steps.to_string()]),
            );
            frame(model, rec, 0, tail);
        } else if tail > 0 {
            frame(model, rec, 0, tail - 1);
        } else {
            set_status(&rec.root, &f(Msg::Encoding, &["gradscape-race.webm"]));
            let _ = rec.recorder.stop();
        }
    });
}
