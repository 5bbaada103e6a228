//! The Leptos front end (wasm32 only): renders engine output, never re-implements maths.

mod heatmap;
pub mod loss_chart;
mod plot;
pub mod view3d;

use std::sync::Arc;

use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::engine::optim;
use crate::engine::run::{run, RunConfig};
use crate::engine::surface::{self, Surface, SurfaceSpec};

const CANVAS_CSS: (f64, f64) = (640.0, 480.0);
const STEPS: usize = 200;
const PATH_COLOUR: &str = "#ff7f0e";

/// The gradient-descent path from the surface's default start, as the engine computes it.
fn descend(surface: &dyn Surface, lr: f64) -> Vec<[f64; 2]> {
    let mut config = RunConfig::new("sgd", surface.info().default_start, STEPS);
    config.settings = vec![("lr".to_string(), lr)];
    run(surface, &config).map(|t| t.points).unwrap_or_default()
}

fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0)
}

/// Sizes a canvas for sharp drawing on HiDPI screens.
fn size_canvas(canvas: &HtmlCanvasElement, dpr: f64) {
    canvas.set_width((CANVAS_CSS.0 * dpr) as u32);
    canvas.set_height((CANVAS_CSS.1 * dpr) as u32);
}

#[component]
pub fn App() -> impl IntoView {
    let lr_kind = optim::kind("sgd")
        .ok()
        .and_then(|k| k.schema.iter().find(|h| h.key == "lr"));
    let (lr_min, lr_max) = lr_kind.map_or((1e-5, 10.0), |h| h.slider);
    let surface_id = RwSignal::new("rosenbrock".to_string());
    let surface: RwSignal<Option<Arc<dyn Surface>>> = RwSignal::new(
        surface::build(&SurfaceSpec {
            id: "rosenbrock".into(),
            ..Default::default()
        })
        .ok()
        .map(Arc::from),
    );
    let lr = RwSignal::new(1e-3);
    let notice = RwSignal::new(None::<String>);
    let frame = RwSignal::new(None::<plot::Frame>);
    let base = NodeRef::<leptos::html::Canvas>::new();
    let overlay = NodeRef::<leptos::html::Canvas>::new();

    let choose_surface = move |id: String| match surface::build(&SurfaceSpec {
        id: id.clone(),
        ..Default::default()
    }) {
        Ok(s) => {
            surface.set(Some(Arc::from(s)));
            surface_id.set(id);
            notice.set(None);
        }
        Err(e) => notice.set(Some(format!("{e}. Keeping the current surface."))),
    };

    let set_lr = move |text: String, log_slider: bool| {
        let value = text
            .trim()
            .parse::<f64>()
            .ok()
            .map(|v| if log_slider { 10f64.powf(v) } else { v });
        let schema = optim::hyper("sgd", &[("lr".to_string(), value.unwrap_or(f64::NAN))]);
        match (value, schema) {
            (Some(v), Ok(_)) => {
                lr.set(v);
                notice.set(None);
            }
            (_, Err(e)) => notice.set(Some(format!("{e}. Keeping lr = {}.", lr.get_untracked()))),
            (None, _) => notice.set(Some(format!("'{text}' is not a number"))),
        }
    };

    // The heat-map and axes: only when the surface changes.
    Effect::new(move |_| {
        let (Some(canvas), Some(s)) = (base.get(), surface.get()) else {
            return;
        };
        let dpr = device_pixel_ratio();
        size_canvas(&canvas, dpr);
        frame.set(plot::draw_surface(&canvas, s.as_ref(), dpr));
    });

    let path = Memo::new(move |_| {
        surface
            .get()
            .map(|s| descend(s.as_ref(), lr.get()))
            .unwrap_or_default()
    });

    // The path: on every lr or surface change, on the overlay only.
    Effect::new(move |_| {
        let (Some(canvas), Some(f), Some(s)) = (overlay.get(), frame.get(), surface.get()) else {
            return;
        };
        let dpr = device_pixel_ratio();
        if canvas.width() != (CANVAS_CSS.0 * dpr) as u32 {
            size_canvas(&canvas, dpr);
        }
        path.with(|p| plot::draw_path(&canvas, &f, p, &s.info().minima, PATH_COLOUR, dpr));
    });

    let head = move || path.with(|p| p.last().copied()).unwrap_or([f64::NAN; 2]);
    let loss = move || surface.get().map_or(f64::NAN, |s| s.value(head()));

    view! {
        <header class="top">
            <h1>"gradscape"</h1>
            <p class="tagline">"See how optimizers move"</p>
        </header>
        <main class="layout">
            <section class="controls" data-testid="controls">
                <label class="field">
                    <span>"Surface"</span>
                    <select
                        data-testid="surface-select"
                        prop:value=move || surface_id.get()
                        on:change=move |ev| choose_surface(event_target_value(&ev))
                    >
                        {surface::CATALOG
                            .iter()
                            .map(|k| view! { <option value=k.id>{k.name}</option> })
                            .collect_view()}
                    </select>
                </label>
                <div
                    class="card"
                    data-testid="optimizer-card"
                    data-optimizer="sgd"
                    data-step=move || path.with(|p| p.len().saturating_sub(1))
                    data-x=move || head()[0].to_string()
                    data-y=move || head()[1].to_string()
                    data-loss=move || loss().to_string()
                >
                    <h2><span class="swatch" style:background=PATH_COLOUR></span>"Gradient descent"</h2>
                    <label class="field">
                        <span>"learning rate η"</span>
                        <input
                            type="range"
                            name="lr"
                            min=lr_min.log10()
                            max=lr_max.log10()
                            step="0.01"
                            prop:value=move || lr.get().log10().to_string()
                            on:input=move |ev| set_lr(event_target_value(&ev), true)
                        />
                        <input
                            type="number"
                            name="lr"
                            class="exact"
                            step="any"
                            prop:value=move || lr.get().to_string()
                            on:change=move |ev| set_lr(event_target_value(&ev), false)
                        />
                    </label>
                    <p class="readout">
                        "step " {move || path.with(|p| p.len().saturating_sub(1))} " · f = "
                        {move || format!("{:.6}", loss())}
                    </p>
                </div>
                <p class="notice" data-testid="notice" role="status">
                    {move || notice.get().unwrap_or_default()}
                </p>
            </section>
            <section class="view" data-testid="surface-view">
                <div class="stack">
                    <canvas node_ref=base class="base"></canvas>
                    <canvas node_ref=overlay class="overlay"></canvas>
                </div>
                <p class="formula" data-testid="formula">
                    {move || surface.get().map(|s| s.info().formula).unwrap_or_default()}
                </p>
            </section>
        </main>
    }
}
