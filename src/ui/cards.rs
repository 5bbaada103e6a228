//! Optimizer cards: one per racer, carrying its live values at the playhead as `data-*`
//! attributes (the page's test and embedding contract) and its schema-generated controls.

use leptos::prelude::*;

use super::slot::when;

use super::controls::{exact, rounded, SchemaControls};
use super::model::{Model, Racer};
use super::palette;
use crate::engine::formula::card_rule;
use crate::engine::optim;
use crate::engine::run::Status;
use crate::i18n::{cat, f, phrases, t, Msg};

/// Values at the playhead for the card's attributes and read-out.
struct Head {
    step: usize,
    status: &'static str,
    x: f64,
    y: f64,
    loss: f64,
}

#[component]
pub fn OptimizerCard(model: Model, racer: Racer) -> impl IntoView {
    let kind = optim::kind(racer.id).ok();
    let name = cat(racer.name());
    // The tree is re-mounted when the language changes, so reading it once is enough.
    let lang = crate::i18n::lang();
    let pytorch = cat(kind.map_or("", |k| k.pytorch));
    // None while a worker computes the run: the previous path stays drawn, but its values are
    // not shown as current.
    let head = Memo::new(move |_| {
        if racer.pending.get() {
            return None;
        }
        let t = model.t.get();
        racer.outcome.with(|o| match o {
            Ok(tr) => {
                let i = tr.index_at(t);
                let [x, y] = tr.points[i];
                Some((i, tr.status_at(t), x, y, tr.losses[i]))
            }
            Err(_) => None,
        })
    });
    let head_of = move || {
        head.get().map(|(step, status, x, y, loss)| Head {
            step,
            status,
            x,
            y,
            loss,
        })
    };
    // A learning task's whole parameter vector (a surface's is data-x, data-y).
    // Tracks whether a task is on, not the whole scene: removing this card changes the scene
    // before the card is gone, and its run must not be read then.
    let on_task = model.on_task;
    let params = move || {
        if !on_task.get() || racer.pending.get() {
            return None;
        }
        let t = model.t.get();
        racer
            .outcome
            .try_with(|o| {
                let tr = o.as_ref().ok()?;
                let p = tr.params_at(tr.index_at(t));
                Some(p.iter().map(|v| exact(*v)).collect::<Vec<_>>().join(","))
            })
            .flatten()
    };
    // While a worker computes the run, `data-status` is "pending" and the other values empty.
    let attr = move |f: fn(&Head) -> String, pending: &'static str| {
        move || match head_of() {
            Some(h) => f(&h),
            None if racer.pending.get() => pending.to_string(),
            None => String::new(),
        }
    };
    let problem = move || {
        if racer.pending.get() {
            return Some(t(Msg::Computing).to_string());
        }
        racer.outcome.with(|o| match o {
            Err(e) => Some(phrases(e)),
            Ok(tr) => match &tr.status {
                Status::Diverged { step, reason } if model.t.get() >= tr.last_step() => {
                    Some(f(Msg::DivergedAt, &[&step.to_string(), &phrases(reason)]))
                }
                _ => None,
            },
        })
    };
    let set = Callback::new(move |(key, v): (&'static str, f64)| {
        model.set_settings(racer.uid, &[(key.to_string(), v)])
    });
    // Why it diverged, once the playhead reaches the end of a diverged run (one Hessian):
    // computed when the run or that moment changes, not per frame.
    let at_end = Memo::new(move |_| {
        let t = model.t.get();
        racer
            .outcome
            .with(|o| o.as_ref().is_ok_and(|tr| t >= tr.last_step()))
    });
    let diagnosis = Memo::new(move |_| {
        if !at_end.get() {
            return None;
        }
        racer
            .outcome
            .with(|o| o.as_ref().ok().and_then(|tr| model.diagnose(&racer, tr)))
    });
    // The engine's reasons, in sentences under the status line.
    let explanation = move || {
        let d = diagnosis.get()?;
        let mut text = f(
            Msg::WhyGrowth,
            &[&d.onset.to_string(), &rounded(d.lambda_max), &rounded(d.lr)],
        );
        if let Some(b) = &d.bound {
            text += " ";
            text += &f(Msg::WhyBound, &[name, b.rule, &rounded(b.max_lr)]);
        }
        if d.lambda_min < 0.0 {
            text += " ";
            text += &f(Msg::WhyRidge, &[&rounded(d.lambda_min)]);
        }
        Some(text)
    };
    let notes = move || {
        racer.outcome.with(|o| {
            o.as_ref().ok().and_then(|tr| {
                tr.notes
                    .first()
                    .map(|(k, why)| f(Msg::StepNote, &[&k.to_string(), &phrases(why)]))
            })
        })
    };
    // With the arrows on: the head's gradient norm and, for adaptive methods, the
    // per-coordinate effective learning rate the engine recorded.
    let vector_readout = move || {
        if !model.vectors.get() {
            return None;
        }
        let t = model.t.get();
        racer.outcome.with(|o| {
            let tr = o.as_ref().ok()?;
            let i = tr.index_at(t);
            let mut text = format!("‖∇f‖ = {:.4}", tr.grad_norms[i]);
            if let Some([ex, ey]) = tr.carried.get(i).and_then(|c| c.effective_lr) {
                text.push_str(&f(
                    Msg::EffectiveLr,
                    &[&format!("{ex:.3e}"), &format!("{ey:.3e}")],
                ));
            }
            Some(text)
        })
    };
    let schema = kind.map(|k| k.schema).unwrap_or_default();
    let on_error = Callback::new(move |e: String| model.notify(e));
    let controls = view! {
        <SchemaControls schema=schema values=racer.settings set=set on_error=on_error />
    };
    let colour = palette::colour(racer.slot);
    let dash = palette::dash(racer.slot);
    // A style property, not a `style` attribute: set through the CSSOM, it runs under a
    // `style-src 'self'` policy (see README, Embedding).
    let swatch = if dash.is_empty() {
        colour.to_string()
    } else {
        format!("repeating-linear-gradient(90deg,{colour} 0 5px,transparent 5px 8px)")
    };
    view! {
        <article
            class="card"
            tabindex="-1"
            class:selected=move || model.selected_racer().is_some_and(|r| r.uid == racer.uid)
            class:diverged=move || head_of().is_some_and(|h| h.status == "diverged")
            class:hidden-path=move || racer.hidden.get()
            data-testid="optimizer-card"
            data-optimizer=racer.id
            data-status=attr(|h| h.status.to_string(), "pending")
            data-step=attr(|h| h.step.to_string(), "")
            data-x=attr(|h| exact(h.x), "")
            data-y=attr(|h| exact(h.y), "")
            data-loss=attr(|h| exact(h.loss), "")
            data-params=params
        >
            <header class="card-head">
                <span class="swatch" style:background=swatch></span>
                <h2 title=pytorch>{name}</h2>
                <label class="eye" title=t(Msg::ShowHide)>
                    <input
                        type="checkbox"
                        name="visible"
                        prop:checked=move || !racer.hidden.get()
                        on:change=move |ev| model.set_hidden(racer.uid, !event_target_checked(&ev))
                    />
                    {t(Msg::Show)}
                </label>
                <button
                    class="remove"
                    title=t(Msg::RemoveTitle)
                    aria-label=t(Msg::Remove)
                    on:click=move |_| model.remove(racer.uid)
                >
                    "×"
                </button>
            </header>
            // The rule table's lines in force (formula::rules), as MathML the engine writes.
            // `try_with`: removing this card disposes its memos before the card is gone.
            <p
                class="rule"
                title=pytorch
                inner_html=super::html(move || {
                    racer.settings.try_with(|s| card_rule(racer.id, s, lang)).unwrap_or_default()
                })
            ></p>
            {controls}
            {when(move || on_task.get(), move || view! {
                <label class="field" title=t(Msg::CardBatchTitle)>
                    <span>{t(Msg::CardBatch)}</span>
                    <select
                        name="card_batch"
                        prop:value=move || racer.batch.get().map_or("scene".to_string(), |b| b.to_string())
                        on:change=move |ev| {
                            let v = event_target_value(&ev).parse::<usize>().ok();
                            model.set_card_batch(racer.uid, v);
                        }
                    >
                        <option value="scene">{t(Msg::AsTask)}</option>
                        <option value="0">{t(Msg::FullBatch)}</option>
                        <option value="1">{t(Msg::OneSample)}</option>
                        <option value="10">"10"</option>
                        <option value="100">"100"</option>
                    </select>
                </label>
            })}
            <p class="readout">
                {move || {
                    head_of()
                        .map(|h| {
                            f(
                                Msg::Readout,
                                &[
                                    &h.step.to_string(),
                                    &format!("{:.4}", h.x),
                                    &format!("{:.4}", h.y),
                                    &format!("{:.6}", h.loss),
                                ],
                            )
                        })
                        .unwrap_or_default()
                }}
            </p>
            <p class="readout vectors-readout">{vector_readout}</p>
            <p class="card-problem" role="status">{problem}</p>
            <p class="card-why">{explanation}</p>
            <button
                class="fix"
                data-testid="fix-lr"
                title=t(Msg::FixLrTitle)
                prop:hidden=move || diagnosis.with(Option::is_none)
                on:click=move |_| {
                    // The search runs the scene again: only when asked.
                    let found = diagnosis
                        .with_untracked(|d| d.as_ref().and_then(|d| model.stable_rate(&racer, d)));
                    match found {
                        Some(lr) => {
                            if let Err(e) = set.run(("lr", lr)) {
                                model.notify(e);
                            }
                        }
                        None => model.notify(t(Msg::NoStableRate)),
                    }
                }
            >
                {t(Msg::FixLr)}
            </button>
            <p class="card-note">{notes}</p>
        </article>
    }
}
