//! The race in words, for screen readers and for a teacher without a mouse: a *read out*
//! button (and the `A` key) puts the step and every optimizer's loss into a polite live region;
//! a visually hidden summary under it says the same once the race pauses. Keyboard shortcuts for
//! the playbar (Space or K: play / pause, → or `.`: one step, Home or 0: reset) act when no
//! control has the focus, so they never steal a key from a field or the surface view.

use leptos::prelude::*;

use super::effect::effect;
use super::model::Model;
use super::playback::{play, step_once};
use super::quiet::Quiet;
use crate::i18n::{f, t, Msg};

/// One sentence per card at the playhead, best first, after the step: what a student would
/// read off the loss chart.
fn summary(model: Model) -> String {
    let at = model.t.get_untracked();
    let rows: Vec<(f64, String)> = model
        .racers
        .get_untracked()
        .into_iter()
        .map(|r| {
            let name = r.name();
            r.outcome.with_untracked(|o| match o {
                Ok(tr) => {
                    let i = tr.index_at(at);
                    let loss = tr.losses[i];
                    if tr.status_at(at) == "diverged" {
                        (f64::INFINITY, f(Msg::SayDiverged, &[name, &i.to_string()]))
                    } else {
                        (loss, f(Msg::SayLoss, &[name, &format!("{loss:.4e}")]))
                    }
                }
                Err(_) => (f64::INFINITY, f(Msg::SayFailed, &[name])),
            })
        })
        .collect();
    // Lowest loss first, ties in card order, through the crate's one sort instance.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    crate::engine::field::sort_indices(&mut order, &|a, b| {
        rows[a].0.total_cmp(&rows[b].0).then(a.cmp(&b))
    });
    let mut text = f(
        Msg::SayStep,
        &[&at.to_string(), &model.steps.get_untracked().to_string()],
    );
    for i in order {
        text.push(' ');
        text.push_str(&rows[i].1);
    }
    text
}

/// Whether a key press belongs to the focused control rather than to the page.
fn focus_takes_keys() -> bool {
    document().active_element().is_some_and(|e| {
        matches!(
            e.tag_name().as_str(),
            "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "CANVAS" | "A" | "DIALOG"
        ) || e.get_attribute("tabindex").is_some()
    })
}

/// How long the race must stay still before the summary is rewritten (ms).
const SUMMARY_QUIET_MS: f64 = 250.0;

#[component]
#[inline(never)]
pub fn ReadOut(model: Model) -> impl IntoView {
    let spoken = RwSignal::new(String::new());
    let say = move || spoken.set(summary(model));
    // Rewritten once the race pauses: not per frame while playing, nor per input of a drag (a
    // change of this text, hidden as it is, cost a layout and a paint of the page: 0.8 ms).
    let standing = RwSignal::new(String::new());
    let rewrite = Quiet::new(SUMMARY_QUIET_MS, move || {
        standing.try_set(summary(model));
    });
    effect(move || {
        if model.playing.get() {
            return;
        }
        model.t.track();
        for r in model.racers.get() {
            r.outcome.track();
        }
        rewrite.poke();
    });
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || focus_takes_keys() {
            return;
        }
        match ev.key().as_str() {
            " " | "k" | "K" => {
                if model.playing.get_untracked() {
                    model.playing.set(false);
                } else {
                    play(model);
                }
            }
            "ArrowRight" | "." => step_once(model),
            "Home" | "0" => {
                model.playing.set(false);
                model.set_t(0);
            }
            "a" | "A" => say(),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());
    view! {
        <div class="read-out">
            <button data-testid="read-out" title=t(Msg::ReadOutTitle) on:click=move |_| say()>
                {t(Msg::ReadOut)}
            </button>
            <p class="sr-only" data-testid="announce" role="status" aria-live="polite">
                {move || spoken.get()}
            </p>
            <p class="sr-only" data-testid="race-summary">
                {move || standing.get()}
            </p>
        </div>
    }
}
