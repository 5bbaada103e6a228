//! Controls generated from engine schemas: one per [`Param`] of an optimizer, a surface, a
//! schedule or the run settings, never hand-written per owner. A slider and an exact numeric
//! field share the schema key as `name`; toggles are checkboxes.

use leptos::prelude::*;

use crate::engine::number;
use crate::engine::param::{Kind, Param, Schema};
use crate::i18n::{cat, f, Msg};

/// Shortest text that round-trips, for the exact field and `data-*` attributes.
pub fn exact(v: f64) -> String {
    format!("{v}")
}

/// `v` in an exact field: [`exact`], tiny values as `1e-7` (a field shows a few digits, and
/// `0.000000…` would hide ε).
fn field_text(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-4 {
        format!("{v:e}")
    } else {
        exact(v)
    }
}

/// `v` to four significant digits for figures in sentences: 0.7692, 38.46, 2.595e6.
pub fn rounded(v: f64) -> String {
    let magnitude = libm::log10(v.abs()).floor();
    if !(-3.0..4.0).contains(&magnitude) {
        return format!("{v:.3e}");
    }
    let text = format!("{v:.*}", (3.0 - magnitude) as usize);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// One control per parameter of `schema`. `values` are the settings in force (a key that is
/// missing shows its default); `set((key, value))` validates and applies one value, and an
/// `Err` goes to `on_error` while the control snaps back to the value in force.
#[component]
pub fn SchemaControls(
    schema: Schema,
    #[prop(into)] values: Signal<Vec<(String, f64)>>,
    set: Callback<(&'static str, f64), Result<(), String>>,
    on_error: Callback<String>,
) -> impl IntoView {
    schema
        .iter()
        .map(|p| {
            let (key, default) = (p.key, p.default);
            let value = Signal::derive(move || {
                values.with(|vs| {
                    vs.iter()
                        .find(|(k, _)| k == key)
                        .map_or(default, |(_, v)| *v)
                })
            });
            let set = Callback::new(move |v: f64| set.run((key, v)));
            view! { <ParamControl param=*p value=value set=set on_error=on_error /> }
        })
        .collect_view()
}

/// A slider + exact field (or a toggle) for `param`. `set` validates and applies a value; an
/// `Err` is shown to the user by the caller and the control snaps back to the value in force.
#[component]
pub fn ParamControl(
    param: Param,
    #[prop(into)] value: Signal<f64>,
    set: Callback<f64, Result<(), String>>,
    on_error: Callback<String>,
) -> impl IntoView {
    let apply = move |v: f64| {
        if let Err(e) = set.run(v) {
            on_error.run(e);
        }
    };
    let (help, label) = (cat(param.help), cat(param.label));
    match param.kind {
        Kind::Bool => view! {
            <label class="param toggle" title=help>
                <input
                    type="checkbox"
                    name=param.key
                    prop:checked=move || value.get() != 0.0
                    on:change=move |ev| apply(if event_target_checked(&ev) { 1.0 } else { 0.0 })
                />
                <span>{label}</span>
            </label>
        }
        .into_any(),
        Kind::Number(_) | Kind::Whole(_) => {
            let log = param.log_slider();
            let whole = matches!(param.kind, Kind::Whole(_));
            let (lo, hi) = param.slider;
            let (min, max, step) = if log {
                (lo.log10(), hi.log10(), 0.01)
            } else if whole {
                (lo, hi, ((hi - lo) / 1000.0).round().max(1.0))
            } else {
                (lo, hi, (hi - lo) / 1000.0)
            };
            let slider_value = move || {
                let v = value.get();
                let s = if log { v.max(lo).log10() } else { v };
                s.to_string()
            };
            let from_slider = move |text: String| match number::parse(&text) {
                // Round the log slider to 3 significant digits (clean, readable values), and a
                // whole-number parameter's slider to a whole number.
                Some(s) => {
                    let v = if log { round_sig(10f64.powf(s), 3) } else { s };
                    apply(if whole { v.round() } else { v })
                }
                None => on_error.run(f(Msg::NotANumber, &[param.key, &text])),
            };
            // A rejected entry snaps the field back to the value in force.
            let from_field = move |ev: leptos::ev::Event| {
                let input = event_target::<web_sys::HtmlInputElement>(&ev);
                let text = input.value();
                match number::parse(text.trim()) {
                    Some(v) => apply(v),
                    None => on_error.run(f(Msg::NotANumber, &[param.key, &text])),
                }
                input.set_value(&field_text(value.get_untracked()));
            };
            view! {
                <div class="param" title=help>
                    <span class="param-label">
                        {label}
                        {(param.label != param.key).then(|| view! { <code>{param.key}</code> })}
                    </span>
                    <div class="param-row">
                        <input
                            type="range"
                            name=param.key
                            aria-label=label
                            min=min
                            max=max
                            step=step
                            prop:value=slider_value
                            on:input=move |ev| from_slider(event_target_value(&ev))
                        />
                        <input
                            type="number"
                            name=param.key
                            aria-label=label
                            class="exact"
                            step=if whole { "1" } else { "any" }
                            prop:value=move || field_text(value.get())
                            on:change=from_field
                        />
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

/// `v` rounded to `digits` significant digits.
fn round_sig(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}
