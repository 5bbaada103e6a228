//! The loss chart under the surface: loss against step for every visible optimizer, the
//! playhead as a vertical line, and a hover read-out of each optimizer's loss at that step.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;

use super::effect::effect;

use super::canvas::{self, device_pixel_ratio, size_canvas, use_css_size, use_still_canvas, Still};
use super::loss_chart::{self, LegendEntry, Series};
use super::model::{Model, Racer};
use super::palette;
use super::quiet::Quiet;
use crate::draw::chart::{self, ChartFrame};
use crate::draw::layers::Layers;
use crate::engine::run::{Status, Trajectory};
use crate::engine::scene::Panel;
use crate::engine::task;
use crate::i18n::{f, t, Msg};

/// How long the loss axis stays held after an input that changed its fit (ms).
const AXIS_HOLD_MS: f64 = 400.0;

/// The chart's view of each shown optimizer.
fn series(shown: &[(Racer, Arc<Trajectory>)]) -> Vec<Series> {
    shown
        .iter()
        .map(|(racer, tr)| Series {
            trajectory: tr.clone(),
            colour: palette::colour(racer.slot),
            dash: palette::dash(racer.slot),
            diverged_at: match tr.status {
                Status::Diverged { step, .. } => Some(step),
                _ => None,
            },
        })
        .collect()
}

/// Metric runs already computed, by the run they came from (held, so its address is not
/// reused while it is a key): an input on one card recomputes that card's metric only.
type MetricCache = Vec<(Arc<Trajectory>, Arc<Trajectory>)>;

/// The learning task's extra metric of every shown run, as runs whose "losses" are that
/// metric (validation loss or accuracy), so one chart draws either. Empty without a metric.
fn metric_runs(model: Model, cache: StoredValue<MetricCache>) -> Vec<(Racer, Arc<Trajectory>)> {
    let Ok(Some(t)) = model.task.get() else {
        return Vec::new();
    };
    let shown = model.visible_outcomes();
    let mut out = Vec::new();
    cache.update_value(|c| {
        c.retain(|(from, _)| shown.iter().any(|(_, tr)| Arc::ptr_eq(from, tr)));
        out = shown
            .into_iter()
            .filter_map(|(racer, tr)| {
                if let Some((_, m)) = c.iter().find(|(from, _)| Arc::ptr_eq(from, &tr)) {
                    return Some((racer, m.clone()));
                }
                let values = task::metrics(t.as_ref(), &tr)?;
                let m = Arc::new(Trajectory {
                    losses: values,
                    ..(*tr).clone()
                });
                c.push((tr, m.clone()));
                Some((racer, m))
            })
            .collect();
    });
    out
}

/// The loss chart, or with `metric` the chart of the learning task's extra metric: the
/// validation loss of a polynomial fit (over-fitting shows as it rises while the training loss
/// falls) or the accuracy of logistic regression.
#[component]
#[inline(never)]
pub fn LossView(model: Model, #[prop(optional)] metric: bool) -> impl IntoView {
    let holder = NodeRef::<html::Div>::new();
    let axes = NodeRef::<html::Canvas>::new();
    let kept = NodeRef::<html::Canvas>::new();
    let curves = NodeRef::<html::Canvas>::new();
    let veil = NodeRef::<html::Canvas>::new();
    let size = use_css_size(holder);
    let frame = RwSignal::new(None::<ChartFrame>);
    let hover = RwSignal::new(None::<usize>);
    // What the chart draws: computed when the runs change, not when the playhead moves.
    let cache = StoredValue::new(MetricCache::new());
    let shown = Memo::new_with_compare(
        move |_| {
            if metric {
                metric_runs(model, cache)
            } else {
                model.visible_outcomes()
            }
        },
        |_, _| true,
    );
    let quantity = move || match model
        .task
        .with(|t| t.as_ref().ok().flatten().and_then(|t| t.metric_name()))
    {
        Some("accuracy") if metric => Msg::Accuracy,
        Some(_) if metric => Msg::ValLoss,
        _ => Msg::Loss,
    };
    // Memos, so that an input which leaves the axis range and the legend as they were redraws
    // neither the axes nor the legend.
    let axis = Memo::new(move |_| {
        if quantity() == Msg::Accuracy {
            return Some(((0.0, 1.0), false));
        }
        shown.with(|shown| {
            let runs: Vec<_> = shown
                .iter()
                .map(|(_, tr)| (&tr.losses[..], matches!(tr.status, Status::Diverged { .. })))
                .collect();
            chart::y_axis(&runs)
        })
    });
    // What is drawn: the fitted axis, held wider while inputs come quickly (chart::hold). An
    // input is any change of the runs, whether or not it moved the fit: a drag whose inputs
    // leave the fit alone for a while still holds the axis. One refit timer is out at a time.
    let held = RwSignal::new(None::<chart::Axis>);
    let refit = Quiet::new(AXIS_HOLD_MS, move || {
        let fitted = axis.try_get_untracked().flatten();
        if held.try_get_untracked().flatten() != fitted {
            held.try_set(fitted);
        }
    });
    effect(move || {
        shown.with(|_| ());
        let fitted = axis.get();
        let quick = refit.poke().quick;
        let next = match (untrack(|| held.get()), fitted) {
            (Some(shown), Some(fitted)) if quick => Some(chart::hold(shown, fitted)),
            _ => fitted,
        };
        if untrack(|| held.get()) != next {
            held.set(next);
        }
    });
    let legend = Memo::new(move |_| {
        if model.hide.with(|h| h.contains(&Panel::Legend)) {
            return Vec::new();
        }
        shown
            .get()
            .iter()
            .map(|(racer, _)| LegendEntry {
                label: racer.name(),
                colour: palette::colour(racer.slot),
                dash: palette::dash(racer.slot),
            })
            .collect::<Vec<_>>()
    });

    use_still_canvas(axes, size, move |c, dpr, _| {
        let ink = canvas::ink(model);
        let f = loss_chart::draw_axes(c, held.get(), t(quantity()), model.steps.get(), dpr, &ink);
        if frame.get_untracked() != f {
            frame.set(f);
        }
    });

    // Curves drawn last time stay on the kept layer; only changed ones are stroked anew.
    let layers = StoredValue::new(Layers::<(Series, ChartFrame, u64)>::new());
    let kept_still = Still::new();
    effect(move || {
        let (Some(live), Some(under), Some(css), Some(f)) =
            (curves.get(), kept.get(), size.get(), frame.get())
        else {
            return;
        };
        let dpr = device_pixel_ratio();
        let resized = size_canvas(&live, css, dpr) | kept_still.size(&under, css, dpr);
        let wanted: Vec<_> = series(&shown.get())
            .into_iter()
            .map(|s| (s, f, dpr.to_bits()))
            .collect();
        let Some(plan) = layers.try_update_value(|l| {
            if resized {
                l.reset();
            }
            l.plan(&wanted)
        }) else {
            return;
        };
        let only_series = |keys: Vec<(Series, ChartFrame, u64)>| -> Vec<Series> {
            keys.into_iter().map(|(s, _, _)| s).collect()
        };
        if let Some(k) = plan.kept {
            loss_chart::draw_curves(kept_still.canvas(&under), &f, &only_series(k), dpr);
            kept_still.present(&under);
        }
        loss_chart::draw_curves(&live, &f, &only_series(plan.live), dpr);
    });

    // The playhead and legend, on the top layer: what changes every frame while playing.
    use_still_canvas(veil, size, move |c, dpr, _| {
        let Some(f) = frame.get() else {
            return;
        };
        let ink = canvas::ink(model);
        let low = quantity() == Msg::Accuracy;
        legend.with(|l| loss_chart::draw_playhead(c, &f, l, low, model.t.get(), dpr, &ink));
    });

    let on_move = move |ev: web_sys::PointerEvent| {
        let px = f64::from(ev.offset_x()) * device_pixel_ratio();
        hover.set(frame.get_untracked().and_then(|f| f.step_at_pixel(px)));
    };
    let on_click = move |ev: web_sys::PointerEvent| {
        let px = f64::from(ev.offset_x()) * device_pixel_ratio();
        if let Some(k) = frame.get_untracked().and_then(|f| f.step_at_pixel(px)) {
            model.playing.set(false);
            model.set_t(k);
        }
    };
    let readout = move || {
        let k = hover.get()?;
        let parts: Vec<String> = shown
            .get()
            .iter()
            .map(|(racer, o)| match o.losses.get(k) {
                Some(l) => format!("{} {l:.6}", racer.name()),
                None => format!("{} —", racer.name()),
            })
            .collect();
        Some(f(Msg::StepNote, &[&k.to_string(), &parts.join(" · ")]))
    };

    view! {
        <div class="loss-view" data-testid=if metric { "metric-chart" } else { "loss-chart" }>
            <div class="loss-holder" node_ref=holder>
                <canvas node_ref=axes class="axes" aria-hidden="true"></canvas>
                <canvas node_ref=kept class="curves-kept" aria-hidden="true"></canvas>
                <canvas node_ref=curves class="curves" aria-hidden="true"></canvas>
                <canvas
                    node_ref=veil
                    class="playhead"
                    role="img"
                    aria-label=t(Msg::LossAria)
                    on:pointermove=on_move
                    on:pointerleave=move |_| hover.set(None)
                    on:pointerdown=on_click
                ></canvas>
            </div>
            <p class="hover-readout">
                {move || readout().unwrap_or_else(|| f(Msg::LossHover, &[t(quantity())]))}
            </p>
        </div>
    }
}
