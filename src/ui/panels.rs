//! Left-hand panels: the surface (with its parameters or a custom formula), the run settings
//! shared by every optimizer (steps, schedule, gradient noise), and adding optimizers.

use leptos::prelude::*;

use super::slot::when;

use super::controls::{ParamControl, SchemaControls};
use super::model::Model;
use crate::engine::call::Call;
use crate::engine::optim;
use crate::engine::param::{Kind, Param, Scale, Schema};
use crate::engine::run::MAX_STEPS;
use crate::engine::scene::OptimizerEntry;
use crate::engine::schedule::{self, Schedule};
use crate::engine::surface::{self, SurfaceError, SurfaceSpec};
use crate::i18n::{cat, f, phrases, t, Msg};

const STEPS: Param = Param {
    key: "steps",
    label: "steps",
    default: 300.0,
    min: 0.0,
    max: MAX_STEPS as f64,
    slider: (10.0, 3000.0),
    kind: Kind::Whole(Scale::Log),
    help: "how many updates every optimizer takes",
};

const NOISE: Param = Param {
    key: "noise",
    label: "gradient noise σ",
    default: 0.0,
    min: 0.0,
    max: 1e3,
    slider: (0.0, 5.0),
    kind: Kind::Number(Scale::Linear),
    help: "Gaussian noise added to every gradient (same seed, same noise)",
};

const SEED: Param = Param {
    key: "seed",
    label: "noise seed",
    default: 0.0,
    min: 0.0,
    max: 1e9,
    slider: (0.0, 100.0),
    kind: Kind::Whole(Scale::Linear),
    help: "the random stream of the gradient noise",
};

/// The parameter every schedule takes besides its own.
const WARMUP: Schema = &[schedule::WARMUP];

/// Tries `spec`; on success it becomes the surface and the start and view reset to its own.
fn switch_surface(
    model: Model,
    spec: SurfaceSpec,
    reset_framing: bool,
) -> Result<(), SurfaceError> {
    surface::build(&spec)?;
    model.scene.update(|s| {
        if reset_framing {
            s.start = None;
            s.view = None;
        }
        s.surface = spec;
    });
    if reset_framing {
        model.retune();
    }
    Ok(())
}

#[component]
#[inline(never)]
pub fn SurfacePanel(model: Model) -> impl IntoView {
    let expr_text = RwSignal::new(
        model
            .spec
            .get_untracked()
            .expr
            .unwrap_or_else(|| "x^2 + 3*y^2 + sin(3*x)".to_string()),
    );
    let expr_error = RwSignal::new(None::<(usize, String)>);
    // What the select shows: "custom" stays chosen while its formula does not parse yet, so
    // the field stays open to fix it (the previous surface keeps drawing meanwhile).
    let chosen = RwSignal::new(model.spec.get_untracked().id);
    let choose = move |id: String| {
        chosen.set(id.clone());
        let expr = (id == "custom").then(|| expr_text.get_untracked());
        let spec = SurfaceSpec {
            id,
            params: Vec::new(),
            expr,
        };
        match switch_surface(model, spec, true) {
            Ok(()) => expr_error.set(None),
            Err(SurfaceError::Parse { position, message }) => {
                expr_error.set(Some((position, message)));
            }
            Err(e) => {
                model.notify(f(Msg::KeepSurface, &[&e.to_string()]));
                chosen.set(model.spec.get_untracked().id);
            }
        }
    };
    let apply_expr = move |text: String| {
        expr_text.set(text.clone());
        let spec = SurfaceSpec {
            id: "custom".into(),
            params: Vec::new(),
            expr: Some(text),
        };
        let reset = model.spec.get_untracked().id != "custom";
        match switch_surface(model, spec, reset) {
            Ok(()) => expr_error.set(None),
            Err(SurfaceError::Parse { position, message }) => {
                expr_error.set(Some((position, message)));
            }
            Err(e) => expr_error.set(Some((0, e.to_string()))),
        }
    };
    // Rebuilt only when the surface id changes, so a slider keeps its drag while it moves.
    let surface_id = Memo::new(move |_| model.spec.with(|s| s.id.clone()));
    let params = move || {
        let id = surface_id.get();
        let Ok(kind) = surface::kind(&id) else {
            return None;
        };
        if chosen.get() != id {
            return None;
        }
        let values = Signal::derive(move || model.spec.with(|s| s.params.clone()));
        let set = Callback::new(move |(key, v): (&'static str, f64)| {
            let mut spec = model.spec.get_untracked();
            spec.params.retain(|(k, _)| k != key);
            spec.params.push((key.to_string(), v));
            switch_surface(model, spec, false).map_err(|e| e.to_string())
        });
        let on_error = Callback::new(move |e: String| model.notify(e));
        Some(
            view! { <SchemaControls schema=kind.schema values=values set=set on_error=on_error /> },
        )
    };
    let is_custom = move || chosen.get() == "custom";
    view! {
        <section class="panel">
            <label class="field">
                <span>{t(Msg::Surface)}</span>
                <select
                    data-testid="surface-select"
                    name="surface"
                    prop:value=move || chosen.get()
                    on:change=move |ev| choose(event_target_value(&ev))
                >
                    {surface::CATALOG
                        .iter()
                        .map(|k| view! { <option value=k.id>{cat(k.name)}</option> })
                        .collect_view()}
                </select>
            </label>
            {when(is_custom, move || view! {
                <label class="field">
                    <span>"f(x, y) ="</span>
                    <input
                        type="text"
                        name="expr"
                        class="expr"
                        spellcheck="false"
                        autocomplete="off"
                        prop:value=move || expr_text.get()
                        on:change=move |ev| apply_expr(event_target_value(&ev))
                    />
                </label>
                {move || {
                    expr_error
                        .get()
                        .map(|(pos, message)| {
                            let text = expr_text.get();
                            let caret = format!("{}^", " ".repeat(pos.min(text.chars().count())));
                            view! {
                                <div class="expr-error" role="alert" data-testid="expr-error">
                                    <pre>{text}"\n"{caret}</pre>
                                    <p>{f(Msg::ExprAt, &[&(pos + 1).to_string(), &phrases(&message)])}</p>
                                    <p class="muted">{t(Msg::ExprStays)}</p>
                                </div>
                            }
                        })
                }}
                <p class="muted small">{t(Msg::ExprHelp)}</p>
            })}
            {params}
        </section>
    }
}

#[component]
#[inline(never)]
pub fn RunPanel(model: Model) -> impl IntoView {
    let steps = Signal::derive(move || model.steps.get() as f64);
    let set_steps = Callback::new(move |v: f64| {
        STEPS.check(v)?;
        model.set_steps(v as usize);
        Ok(())
    });
    let noise = Signal::derive(move || model.noise.get());
    let set_noise = Callback::new(move |v: f64| {
        NOISE.check(v)?;
        model.scene.update(|s| s.noise = v);
        Ok(())
    });
    let seed = Signal::derive(move || model.seed.get() as f64);
    let set_seed = Callback::new(move |v: f64| {
        SEED.check(v)?;
        model.scene.update(|s| s.seed = v as u64);
        Ok(())
    });
    let on_error = Callback::new(move |e: String| model.notify(e));

    let choose_schedule = move |id: String| match Schedule::from_call(&Call {
        name: id,
        args: Vec::new(),
    }) {
        Ok(s) => model.scene.update(|scene| scene.schedule = s),
        Err(e) => model.notify(e),
    };
    let schedule_id = Memo::new(move |_| model.schedule.with(|s| s.kind().id));
    let schedule_values = Signal::derive(move || model.schedule.with(|s| s.to_call().args));
    let set_schedule = Callback::new(move |(key, v): (&'static str, f64)| {
        let mut call = model.schedule.get_untracked().to_call();
        call.args.retain(|(k, _)| k != key);
        call.args.push((key.to_string(), v));
        let s = Schedule::from_call(&call)?;
        model.scene.update(|scene| scene.schedule = s);
        Ok(())
    });
    let schedule_params = move || {
        let kind = schedule::kind(schedule_id.get()).ok()?;
        Some(view! {
            <SchemaControls
                schema=kind.schema
                values=schedule_values
                set=set_schedule
                on_error=on_error
            />
        })
    };
    view! {
        <section class="panel">
            <ParamControl param=STEPS value=steps set=set_steps on_error=on_error />
            <label class="field">
                <span>{t(Msg::Schedule)}</span>
                <select
                    name="sched"
                    prop:value=move || model.schedule.with(|s| s.kind().id)
                    on:change=move |ev| choose_schedule(event_target_value(&ev))
                >
                    {schedule::CATALOG
                        .iter()
                        .map(|k| view! { <option value=k.id>{cat(k.name)}</option> })
                        .collect_view()}
                </select>
            </label>
            <p class="rule">{move || model.schedule.with(|s| s.kind().rule)}</p>
            {schedule_params}
            <SchemaControls schema=WARMUP values=schedule_values set=set_schedule on_error=on_error />
            <ParamControl param=NOISE value=noise set=set_noise on_error=on_error />
            {when(move || model.noise.get() > 0.0, move || view! {
                <ParamControl param=SEED value=seed set=set_seed on_error=on_error />
            })}
            <label class="param toggle">
                <input
                    type="checkbox"
                    name="vectors"
                    prop:checked=move || model.vectors.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        model.scene.update(|s| s.vectors = on)
                    }
                />
                <span>{t(Msg::Vectors)}</span>
            </label>
        </section>
    }
}

#[component]
#[inline(never)]
pub fn AddOptimizer(model: Model) -> impl IntoView {
    let choice = RwSignal::new("adam".to_string());
    view! {
        <div class="add-optimizer">
            <select
                name="new-optimizer"
                aria-label=t(Msg::OptimizerToAdd)
                prop:value=move || choice.get()
                on:change=move |ev| choice.set(event_target_value(&ev))
            >
                {optim::CATALOG
                    .iter()
                    .map(|k| view! { <option value=k.id>{cat(k.name)}</option> })
                    .collect_view()}
            </select>
            <button
                data-testid="add-optimizer"
                class="primary"
                on:click=move |_| {
                    model.add(&OptimizerEntry {
                        id: choice.get_untracked(),
                        settings: Vec::new(),
                        hidden: false,
                        batch: None,
                    })
                }
            >
                {t(Msg::AddOptimizer)}
            </button>
        </div>
    }
}
