//! The formula panel: the surface's formula and the selected card's update rule at the
//! playhead with its numbers, as the engine writes them (MathML text from
//! [`crate::engine::formula`], every token generated there, so it is set as HTML), and the
//! step's narration in a polite live region (quiet while playing).

use leptos::prelude::*;

use super::model::Model;
use crate::engine::formula::{explain, surface_html, task_html};
use crate::engine::scene::minibatch;

#[component]
#[inline(never)]
pub fn FormulaPanel(model: Model) -> impl IntoView {
    // The tree is re-mounted when the language changes, so reading it once is enough.
    let lang = crate::i18n::lang();
    // A task's loss with the selected card's batch (its own, else the scene's).
    let surface = Memo::new(move |_| match model.task.get() {
        Ok(Some(task)) => {
            let card = model
                .selected_racer()
                .and_then(|r| r.batch.try_get().flatten());
            let batch = model.scene.with(|s| minibatch(true, card, s.batch, 0));
            task_html(task.as_ref(), batch.map(|m| m.size))
        }
        _ => model.surface.with(|s| {
            let info = s.info();
            surface_html(&info.expr, &crate::i18n::phrases(&info.formula))
        }),
    });
    let explained = Memo::new(move |_| {
        let racer = model.selected_racer()?;
        let t = model.t.get();
        // `try_get`: a removed card's memos are disposed before the card list changes.
        let settings = racer.settings.try_get()?;
        let outcome = racer.outcome.try_get()?.ok()?;
        model.with_problem(|p| explain(p, racer.id, &settings, &outcome, t, lang))
    });
    view! {
        <div class="formula" data-testid="formula">
            <p class="f-narration" aria-live="polite">
                {move || {
                    if model.playing.get() {
                        String::new()
                    } else {
                        explained.with(|e| e.as_ref().map(|e| e.narration.clone()).unwrap_or_default())
                    }
                }}
            </p>
            <div
                class="f-rule"
                inner_html=super::html(move || {
                    let rule = explained.with(|e| e.as_ref().map(|e| e.html.clone()).unwrap_or_default());
                    surface.get() + &rule
                })
            ></div>
        </div>
    }
}
