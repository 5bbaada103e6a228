//! The task switch (surfaces | linear | polynomial | logistic) and, on a task, its settings:
//! the task's schema parameters, how its data are made, and the batch size. Every control
//! writes the scene; the task, its runs and its views follow from it.

use leptos::prelude::*;

use super::slot::when;

use super::controls::{ParamControl, SchemaControls};
use super::model::Model;
use crate::engine::param::{Kind, Param, Scale};
use crate::engine::scene::{DataDist, Dataset, DrawPlane, Scene, Task, MAX_DATA_POINTS};
use crate::engine::task;
use crate::i18n::{f, t, Msg};

const BATCH: Param = Param {
    key: "batch",
    label: "mini-batch size",
    default: 10.0,
    min: 1.0,
    max: MAX_DATA_POINTS as f64,
    slider: (1.0, 1000.0),
    kind: Kind::Whole(Scale::Log),
    help: "points per gradient step, reshuffled every epoch (1 = one sample at a time)",
};

/// The point-cloud noise the moons get when chosen and no noise was set: their half circles
/// are a unit apart, so σ = 0.1 shows the crescents (scikit-learn's examples use about as much).
const MOONS_NOISE: f64 = 0.1;

/// Switches to `task` (or back to the surface): the old start, view, playhead and edited data
/// mean nothing there, and rates tuned for one problem crawl or explode on another.
pub fn switch_task(model: Model, task: Option<Task>) {
    model.scene.update(|s| {
        s.task = task;
        s.start = None;
        s.view = None;
        s.t = None;
        s.data = None;
    });
    model.retune();
}

/// The task's schema values in force (the defaults where the scene leaves one open).
fn task_values(s: &Scene) -> Vec<(String, f64)> {
    [
        ("n", s.n.map(|v| v as f64)),
        ("data_noise", s.data_noise),
        ("degree", s.degree.map(|v| v as f64)),
        ("l2", s.l2),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_string(), v?)))
    .collect()
}

/// What the task's controls show, as one memo: every scene update (each input on a card)
/// would otherwise write every field's value again, and each such write forces a style and
/// layout pass.
#[derive(Clone, PartialEq)]
struct Shown {
    values: Vec<(String, f64)>,
    batch: Option<usize>,
    /// `data_dist`, `dataset` and `plane` as their ids.
    words: [&'static str; 3],
    /// More than two parameters: a plane to choose.
    planes: bool,
}

fn shown(s: &Scene) -> Shown {
    Shown {
        values: task_values(s),
        batch: s.batch,
        words: [s.data_dist.id(), s.dataset.id(), s.plane.id()],
        planes: s.task.is_some_and(|t| task::dim(t, s.degree) > 2),
    }
}

/// Sets one of the task's schema parameters; a new degree changes the parameter count, so
/// the start goes back to the default.
fn set_task_value(model: Model, task: Task, key: &str, v: f64) -> Result<(), String> {
    let param = task::entry(task)
        .schema
        .iter()
        .find(|p| p.key == key)
        .ok_or_else(|| f(Msg::NoTaskParam, &[task.id(), key]))?;
    param.check(v)?;
    model.scene.update(|s| match key {
        "n" => s.n = Some(v as usize),
        "data_noise" => s.data_noise = Some(v),
        "degree" => {
            s.degree = Some(v as usize);
            s.start = None;
            s.view = None;
        }
        _ => s.l2 = Some(v),
    });
    Ok(())
}

#[component]
#[inline(never)]
pub fn TaskPanel(model: Model) -> impl IntoView {
    let task = Memo::new(move |_| model.scene.with(|s| s.task));
    let on_error = Callback::new(move |e: String| model.notify(e));
    let choose = move |ev| {
        let id = event_target_value(&ev);
        let t = Task::ALL.iter().copied().find(|t| t.id() == id);
        switch_task(model, t);
    };
    let settings = move || {
        let chosen = task.get()?;
        let now = model.scene.memo(shown);
        let values = Signal::derive(move || now.with(|s| s.values.clone()));
        let set = Callback::new(move |(key, v): (&'static str, f64)| {
            set_task_value(model, chosen, key, v)
        });
        let regression = chosen != Task::Logistic;
        let batch_on = move || now.with(|s| s.batch.is_some());
        let batch = Signal::derive(move || now.with(|s| s.batch.unwrap_or(10) as f64));
        let set_batch = Callback::new(move |v: f64| {
            BATCH.check(v)?;
            model.scene.update(|s| s.batch = Some(v as usize));
            Ok(())
        });
        Some(view! {
            <SchemaControls schema=task::entry(chosen).schema values=values set=set on_error=on_error />
            {if regression {
                view! {
                    <label class="field">
                        <span>{t(Msg::LabelNoise)}</span>
                        <select
                            name="data_dist"
                            prop:value=move || now.with(|s| s.words[0])
                            on:change=move |ev| {
                                let id = event_target_value(&ev);
                                if let Some(d) = DataDist::ALL.iter().find(|d| d.id() == id) {
                                    model.scene.update(|s| s.data_dist = *d);
                                }
                            }
                        >
                            <option value="uniform">{t(Msg::Uniform)}</option>
                            <option value="gaussian">{t(Msg::Gaussian)}</option>
                        </select>
                    </label>
                }
                    .into_any()
            } else {
                view! {
                    <label class="field">
                        <span>{t(Msg::PointClouds)}</span>
                        <select
                            name="dataset"
                            prop:value=move || now.with(|s| s.words[1])
                            on:change=move |ev| {
                                let id = event_target_value(&ev);
                                if let Some(d) = Dataset::ALL.iter().find(|d| d.id() == id) {
                                    model.scene.update(|s| {
                                        s.dataset = *d;
                                        // At the default σ = 0.3 the moons blur into blobs.
                                        if *d == Dataset::Moons && s.data_noise.is_none() {
                                            s.data_noise = Some(MOONS_NOISE);
                                        }
                                    });
                                }
                            }
                        >
                            <option value="blobs">{t(Msg::TwoBlobs)}</option>
                            <option value="moons">{t(Msg::TwoMoons)}</option>
                        </select>
                    </label>
                }
                    .into_any()
            }}
            <label class="field" hidden=move || !now.with(|s| s.planes)>
                    <span>{t(Msg::DrawPlaneLabel)}</span>
                    <select
                        name="plane"
                        prop:value=move || now.with(|s| s.words[2])
                        on:change=move |ev| {
                            let id = event_target_value(&ev);
                            if let Some(p) = DrawPlane::ALL.iter().find(|p| p.id() == id) {
                                model.scene.update(|s| s.plane = *p);
                            }
                        }
                    >
                        <option value="weights">{t(Msg::PlaneWeights)}</option>
                        <option value="pca">{t(Msg::PlanePcaOption)}</option>
                    </select>
            </label>
            <label class="param toggle" title=t(Msg::FullBatchTitle)>
                <input
                    type="checkbox"
                    name="minibatch"
                    prop:checked=batch_on
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        model.scene.update(|s| s.batch = on.then_some(s.batch.unwrap_or(10)));
                    }
                />
                {t(Msg::MiniBatches)}
            </label>
            {when(batch_on, move || view! {
                <ParamControl param=BATCH value=batch set=set_batch on_error=on_error />
            })}
        })
    };
    view! {
        <section class="panel">
            <label class="field">
                <span>{t(Msg::Problem)}</span>
                <select
                    data-testid="task-select"
                    name="task"
                    prop:value=move || task.get().map_or("surface", Task::id)
                    on:change=choose
                >
                    <option value="surface">{t(Msg::ASurface)}</option>
                    <option value="linear">{t(Msg::LinearTask)}</option>
                    <option value="polynomial">{t(Msg::PolynomialTask)}</option>
                    <option value="logistic">{t(Msg::LogisticTask)}</option>
                </select>
            </label>
            {settings}
        </section>
    }
}
