//! The lessons panel: a list of links, one per [`LESSONS`] scene, and the chosen lesson's text
//! and question. A link is a plain `#hash` (it can be copied or opened in a new tab); following
//! it loads the scene in place through the page's hashchange path ([`Model::load`]). Each link
//! carries the page's language, theme and projector mode, so a lesson keeps the room's setup.
//!
//! The list is one markup string with a delegated click listener (as the Share dialog is):
//! nothing in it comes from the user, and a view per item would cost wasm bytes for nothing.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::model::Model;
use crate::engine::url;
use crate::i18n::{t, Msg};
use crate::lessons::{Lesson, LESSONS};

/// Lesson `l`'s link: its scene with the page's own settings.
fn link(model: Model, l: &Lesson) -> String {
    let mut scene = url::decode("", l.hash).scene;
    model.scene.with_untracked(|s| {
        scene.lang = s.lang;
        scene.theme = s.theme;
        scene.projector = s.projector;
    });
    format!("#{}", url::encode(&scene))
}

/// The link to lesson `i` as an `<a>`.
fn anchor(model: Model, i: usize, text: &str) -> String {
    format!(
        "<a href=\"{}\" data-lesson=\"{i}\">{text}</a>",
        link(model, &LESSONS[i])
    )
}

#[component]
#[inline(never)]
pub fn Lessons(model: Model, chosen: RwSignal<Option<usize>>) -> impl IntoView {
    // The page settings the links carry: the list is rewritten when they change.
    let settings = Memo::new(move |_| model.scene.with(|s| (s.theme, s.projector)));
    let list = move || {
        settings.track();
        let items: String = (0..LESSONS.len())
            .map(|i| format!("<li>{}</li>", anchor(model, i, t(LESSONS[i].title))))
            .collect();
        format!("<ol>{items}</ol>")
    };
    let details = NodeRef::<leptos::html::Details>::new();
    // A followed link names its lesson; the list closes so the scene is in view.
    let pick = move |ev: leptos::ev::MouseEvent| {
        let lesson = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-lesson]").ok().flatten())
            .and_then(|e| e.get_attribute("data-lesson")?.parse::<usize>().ok());
        if let Some(i) = lesson.filter(|i| *i < LESSONS.len()) {
            chosen.set(Some(i));
            if let Some(d) = details.get() {
                d.set_open(false);
            }
        }
    };
    let text = move || {
        let i = chosen.get()?;
        let l = &LESSONS[i];
        let next = (i + 1 < LESSONS.len()).then(|| anchor(model, i + 1, t(Msg::NextLesson)));
        Some(view! {
            <article class="lesson" data-testid="lesson" data-lesson-id=l.id>
                <h2>{t(l.title)}</h2>
                <p>{t(l.text)}</p>
                <p class="ask">
                    <strong>{t(Msg::Ask)}</strong>
                    " "
                    {t(l.ask)}
                </p>
                <p class="next" inner_html=next></p>
            </article>
        })
    };
    view! {
        <div class="lessons-panel" on:click=pick>
            <details class="lessons" data-testid="lessons" node_ref=details>
                <summary title=t(Msg::LessonsTitle)>{t(Msg::Lessons)}</summary>
                <nav inner_html=super::html(list)></nav>
            </details>
            {text}
        </div>
    }
}
