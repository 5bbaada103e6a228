//! The playhead: play / pause / step / reset, speed, and a scrub slider over 0…steps.
//! Play animates `t` with requestAnimationFrame, advancing by speed × elapsed time. Embedded
//! (`embed=1`), the stylesheet keeps only play, reset and the slider, and shows the link that
//! opens the same scene as the full page (CSS, not a `slot::when`: hiding costs no wasm bytes).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::model::Model;
use crate::engine::{number, url};
use crate::i18n::{f, t, Msg};

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Schedules the next animation frame while playing; `carry` keeps fractional steps.
fn tick(model: Model, last: f64, carry: f64) {
    request_animation_frame(move || {
        if !model.playing.get_untracked() {
            return;
        }
        let now = now_ms();
        let advance = carry + (now - last) / 1000.0 * model.speed.get_untracked();
        let whole = advance.floor();
        let steps = model.steps.get_untracked();
        let t = (model.t.get_untracked() + whole as usize).min(steps);
        if whole >= 1.0 {
            model.set_t(t);
        }
        if t >= steps {
            model.playing.set(false);
        } else {
            tick(model, now, advance - whole);
        }
    });
}

/// This scene on the full page: the page's own path (whatever sub-path it is hosted on), the
/// hash without `embed` and `hide`.
fn full_page_link(model: Model) -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let hash = model.scene.with_untracked(|s| {
        let mut full = s.clone();
        full.embed = false;
        full.hide.clear();
        url::encode(&full)
    });
    format!("{path}#{hash}")
}

/// Points the "open full page" link at the scene: when the address is rewritten, and when
/// the link is followed (a click fires before it navigates); not on every input, as encoding
/// the scene costs.
pub fn refresh_full_links(model: Model) {
    let Ok(links) = document().query_selector_all("a.open-full") else {
        return;
    };
    let href = full_page_link(model);
    for i in 0..links.length() {
        if let Some(a) = links
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        {
            let _ = a.set_attribute("href", &href);
        }
    }
}

/// One step forward, paused.
pub fn step_once(model: Model) {
    model.playing.set(false);
    model.set_t(model.t.get_untracked() + 1);
}

pub fn play(model: Model) {
    if model.t.get_untracked() >= model.steps.get_untracked() {
        model.set_t(0);
    }
    model.playing.set(true);
    tick(model, now_ms(), 0.0);
}

#[component]
#[inline(never)]
pub fn Playbar(model: Model) -> impl IntoView {
    let toggle = move |_| {
        if model.playing.get_untracked() {
            model.playing.set(false);
        } else {
            play(model);
        }
    };
    let step = move |_| step_once(model);
    let reset = move |_| {
        model.playing.set(false);
        model.set_t(0);
    };
    view! {
        <div class="playbar">
            <button data-testid="play" class="primary" on:click=toggle>
                {move || t(if model.playing.get() { Msg::Pause } else { Msg::Play })}
            </button>
            <button data-testid="step" class="full-only" on:click=step title=t(Msg::StepTitle)>{t(Msg::Step)}</button>
            <button data-testid="reset" on:click=reset title=t(Msg::ResetTitle)>{t(Msg::Reset)}</button>
            <input
                type="range"
                name="t"
                class="scrub"
                aria-label=t(Msg::Playhead)
                min="0"
                max=move || model.steps.get()
                step="1"
                prop:value=move || model.t.get().to_string()
                on:input=move |ev| {
                    model.playing.set(false);
                    if let Ok(t) = event_target_value(&ev).parse::<usize>() {
                        model.set_t(t);
                    }
                }
            />
            <span class="t-readout">
                {move || format!("t = {} / {}", model.t.get(), model.steps.get())}
            </span>
            <label class="speed full-only" title=t(Msg::SpeedTitle)>
                <span>{t(Msg::Speed)}</span>
                <input
                    type="range"
                    name="speed"
                    min="0"
                    max="3"
                    step="0.01"
                    prop:value=move || model.speed.get().log10().to_string()
                    on:input=move |ev| {
                        if let Some(v) = number::parse(&event_target_value(&ev)) {
                            model.speed.set(10f64.powf(v.clamp(0.0, 3.0)).round());
                        }
                    }
                />
                <span>{move || f(Msg::PerSecond, &[&model.speed.get().to_string()])}</span>
            </label>
            <label class="speed full-only" title=t(Msg::ThreeDTitle)>
                <input
                    type="checkbox"
                    name="3d"
                    prop:checked=move || model.three_d.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        model.scene.update(|s| s.three_d = on)
                    }
                />
                <span>{t(Msg::ThreeD)}</span>
            </label>
            <a
                class="open-full"
                data-testid="open-full"
                href=full_page_link(model)
                on:click=move |_| refresh_full_links(model)
                target="_blank"
                rel="noopener"
            >
                {t(Msg::OpenFull)}
            </a>
        </div>
    }
}
