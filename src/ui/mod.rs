//! The Leptos front end (wasm32 only): renders engine output, never re-implements maths.
//!
//! [`model::Model`] holds the scene (the one state) and what derives from it; panels and cards
//! edit it; the surface view and the loss chart draw the engine's trajectories; the URL hash
//! mirrors the scene so a copied link reproduces the demo.
//!
//! The components the page ([`mount`]) places once are `#[inline(never)]`: inlined, their
//! bodies were compiled into the page's view more than once (thirteen of them out of line:
//! 4.3 KB gzipped less). A card, built per optimizer, is smaller inlined. Parts shown on a
//! condition go through [`slot::when`], not `<Show>` (which compiles its subtree twice).

mod announce;
mod canvas;
mod cards;
mod controls;
mod effect;
mod export;
mod fit_view;
mod formula;
mod lessons;
mod loss_chart;
mod loss_view;
pub mod model;
mod palette;
mod panels;
mod path_cache;
mod perf;
mod playback;
mod plot;
mod quiet;
mod scene_signal;
mod share;
pub mod slot;
mod surface_view;
mod sweep_view;
mod task_panel;
mod view3d;
pub mod worker;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use effect::effect;

use crate::engine::scene::{Lang, Panel, Theme};
use crate::engine::url;
use crate::i18n::{self, t, Msg};
use announce::ReadOut;
use cards::OptimizerCard;
use fit_view::FitView;
use formula::FormulaPanel;
use lessons::Lessons;
use loss_view::LossView;
use model::Model;
use panels::{AddOptimizer, RunPanel, SurfacePanel};
use playback::Playbar;
use quiet::Quiet;
use share::Share;
use slot::when;
use surface_view::SurfaceView;
use sweep_view::SweepView;
use task_panel::TaskPanel;

/// Engine-written HTML for `inner_html`, behind one boxed type so every such element shares
/// one compiled copy of the reactive inner-HTML code (about 1 KB of wasm per closure type).
pub(crate) type Html = Box<dyn Fn() -> String + Send + Sync>;

pub(crate) fn html(f: impl Fn() -> String + Send + Sync + 'static) -> Html {
    Box::new(f)
}

/// The scene from the page's address (query and hash; the hash wins) and what was wrong in it.
fn scene_from_location() -> url::Decoded {
    let location = web_sys::window().map(|w| w.location());
    let part = |f: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
        location
            .as_ref()
            .and_then(|l| f(l).ok())
            .unwrap_or_default()
    };
    url::decode(
        &part(web_sys::Location::search),
        &part(web_sys::Location::hash),
    )
}

/// Mirrors the scene into the hash (replaceState, no history entries) once the user pauses:
/// each address change makes Chromium fetch the favicon again and parse it (a millisecond or
/// two of main-thread time), so a slider drag writes the link once when it stops, not on every
/// input. Not while playing either: the playhead moves every frame (and the timing entries each
/// rewrite leaves grew the heap in a soak). Pausing writes it.
fn sync_url(model: Model) {
    // The address we expect to overwrite: read when a quiet period starts and after a
    // navigation is loaded (only those change it; our own writes happen after the period),
    // not on every input of a drag. The scene is encoded once, when it writes.
    let seen = StoredValue::new(None::<String>);
    let write = Quiet::new(URL_QUIET_MS, move || write_link(model, seen));
    effect(move || {
        if model.playing.get() {
            return;
        }
        model.scene.track();
        if write.poke().started {
            seen.set_value(address());
        }
    });
    // A hash edited by hand, or by the page embedding this one in an iframe, describes a new
    // scene: load it in place (no reload, so an embed keeps its frame and state). Our own
    // writes go through replaceState, which fires no hashchange; a hash that already says
    // what is on screen changes nothing.
    let edited = window_event_listener(leptos::ev::hashchange, move |_| {
        let ours = format!("#{}", model.scene.with_untracked(url::encode));
        let now = address();
        if now.as_deref() != Some(ours.as_str()) {
            let decoded = scene_from_location();
            model.load(decoded.scene, decoded.notices);
            seen.set_value(now);
            playback::refresh_full_links(model);
        }
    });
    on_cleanup(move || edited.remove());
}

fn address() -> Option<String> {
    web_sys::window().and_then(|w| w.location().hash().ok())
}

/// Writes the scene into the address (it has not changed for [`URL_QUIET_MS`]) and the
/// full-page link with it, unless the address moved on from `seen` by a navigation that is
/// not loaded yet.
fn write_link(model: Model, seen: StoredValue<Option<String>>) {
    if model.playing.get_untracked() {
        return; // pausing writes
    }
    let hash = format!("#{}", model.scene.with_untracked(url::encode));
    let now = address();
    // The address changed since the scene last did (a link followed, a hash typed) and its
    // hashchange has not been handled yet: writing now would undo that navigation before
    // the page sees it. The scene it loads writes again.
    if now != seen.get_value() && now.as_deref() != Some(hash.as_str()) {
        return;
    }
    if let Some(w) = web_sys::window() {
        if now.as_deref() != Some(hash.as_str()) {
            let _ = w.history().and_then(|h| {
                h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash))
            });
        }
    }
    playback::refresh_full_links(model);
}

/// How long the scene must stay unchanged before the link is rewritten.
const URL_QUIET_MS: f64 = 250.0;

/// Mounts the page into `parent`. The state (the model, the link, the document's language,
/// title and theme) lives in the returned handle's owner, the page's elements in a tree built
/// afresh in each language: rebuilt in place instead, the page's one big view type compiled
/// a second copy of its whole tree (4.7 KB gzipped). Dropping the handle unmounts the page.
pub fn mount(parent: web_sys::HtmlElement) -> leptos::mount::UnmountHandle<web_sys::Comment> {
    leptos::mount::mount_to(parent.clone(), move || state(parent))
}

/// The page's state and the effect that mounts its tree into `parent` in the language in
/// force, handing the focus on to the same control in the new tree (a keyboard user who
/// just picked a language stays on the language select).
fn state(parent: web_sys::HtmlElement) {
    let decoded = scene_from_location();
    let model = Model::new(decoded.scene, decoded.notices);
    sync_url(model);

    // A task that cannot be built (its data) says why; the page shows the surface meanwhile.
    effect(move || {
        if let Err(e) = model.task.get() {
            model.notify(i18n::f(Msg::TaskError, &[&e]));
        }
    });
    effect(move || {
        if let Some(body) = document().body() {
            let _ = body.class_list().toggle_with_force("dark", dark(model));
        }
    });
    // The language in force: the link's, else the browser's.
    let browser = i18n::from_browser(&window().navigator().language().unwrap_or_default());
    let lang = Memo::new(move |_| model.scene.with(|s| s.lang).unwrap_or(browser));
    effect(move || {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", i18n::html_lang(lang.get()));
        }
        document().set_title(i18n::tr(lang.get(), Msg::PageTitle));
    });
    // The lesson being taught: page state that outlives a re-mount (a switch of language).
    let lesson = RwSignal::new(None::<usize>);
    // The tree belongs to the page's owner, not to the effect (which disposes what it owns
    // each time it runs again).
    let root = Owner::current().map(|o| o.downgrade());
    let mounted = std::cell::RefCell::new(None::<slot::Part>);
    effect(move || {
        let language = lang.get();
        let focused = document()
            .active_element()
            .and_then(|e| e.get_attribute("data-testid"));
        let old = mounted.borrow_mut().take();
        drop(old);
        i18n::set_lang(language);
        let tree = slot::Part::mount(root.as_ref(), &parent, move || page(model, lang, lesson));
        *mounted.borrow_mut() = Some(tree);
        // Once the tree's parts are in (they mount from effects of their own).
        let parent = parent.clone();
        let refocus = move || {
            let again = focused.and_then(|id| {
                parent
                    .query_selector(&format!("[data-testid=\"{id}\"]"))
                    .ok()
                    .flatten()
            });
            if let Some(e) = again.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = e.focus();
            }
        };
        set_timeout(refocus, std::time::Duration::ZERO);
    });
}

fn dark(model: Model) -> bool {
    model.theme.get() == Theme::Dark
}

/// The page's tree, in the language [`i18n::set_lang`] set.
fn page(model: Model, lang: Memo<Lang>, lesson: RwSignal<Option<usize>>) -> impl IntoView {
    let shown = move |panel: Panel| move || !model.hide.with(|h| h.contains(&panel));
    let dark = move || dark(model);
    let on_task = move || model.on_task.get();
    let has_metric = move || {
        model.task.with(|t| {
            t.as_ref()
                .ok()
                .flatten()
                .is_some_and(|t| t.metric_name().is_some())
        })
    };
    // One delegated listener: focus inside a card (a click focuses the card itself, which has
    // tabindex=-1) selects it for the formula panel.
    let select = move |target: Option<web_sys::EventTarget>| {
        let card = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("article.card").ok().flatten());
        let index = card.and_then(|c| {
            let parent = c.parent_element()?;
            let kids = parent.children();
            (0..kids.length()).find(|&i| kids.item(i).as_ref() == Some(&c))
        });
        if let Some(r) =
            index.and_then(|i| model.racers.with_untracked(|r| r.get(i as usize).copied()))
        {
            if model.selected.get_untracked() != Some(r.uid) {
                model.selected.set(Some(r.uid));
            }
        }
    };
    view! {
    <div
        class="app"
        class:embed=move || model.embed.get()
        class:no-toolbar=move || !shown(Panel::Toolbar)()
    >
        {when(move || !model.embed.get() && shown(Panel::Header)(), move || view! {
            <header class="top">
                <h1>"gradscape"</h1>
                <p class="tagline">{t(Msg::Tagline)}</p>
                <div class="top-actions">
                    <select
                        data-testid="lang-select"
                        aria-label=t(Msg::Language)
                        on:change=move |ev| {
                            let id = event_target_value(&ev);
                            let chosen = Lang::ALL.iter().copied().find(|l| l.id() == id);
                            model.scene.update(|s| s.lang = chosen);
                        }
                    >
                        <option value="en" selected=lang.get_untracked() == Lang::En>"English"</option>
                        <option value="zh" selected=lang.get_untracked() == Lang::Zh>"简体中文"</option>
                    </select>
                    <Share model=model />
                    <button
                        class="projector"
                        aria-pressed=move || model.projector.get().to_string()
                        title=t(Msg::ProjectorTitle)
                        on:click=move |_| model.scene.update(|s| s.projector = !s.projector)
                    >
                        {t(Msg::Projector)}
                    </button>
                    <button
                        class="theme"
                        on:click=move |_| {
                            let next = if dark() { Theme::Light } else { Theme::Dark };
                            model.scene.update(|s| s.theme = Some(next))
                        }
                    >
                        {move || t(if dark() { Msg::ThemeLight } else { Msg::ThemeDark })}
                    </button>
                </div>
            </header>
        })}
        <main class="layout" class:no-controls=move || !shown(Panel::Controls)()>
            {when(shown(Panel::Controls), move || view! {
                <aside class="controls" data-testid="controls">
                    <TaskPanel model=model />
                    {when(move || !model.on_task.get(), move || view! { <SurfacePanel model=model /> })}
                    <RunPanel model=model />
                    <AddOptimizer model=model />
                    <div
                        class="cards"
                        on:focusin=move |ev| select(ev.target())
                    >
                        <For
                            each=move || model.racers.get()
                            key=|r| r.uid
                            children=move |r| view! { <OptimizerCard model=model racer=r /> }
                        />
                    </div>
                </aside>
            })}
            <section class="stage">
                <Lessons model=model chosen=lesson />
                <div class="notices" data-testid="notice" role="status">
                    {move || {
                        model
                            .notices
                            .get()
                            .into_iter()
                            .map(|n| view! { <p>{i18n::phrases(&n)}</p> })
                            .collect_view()
                    }}
                    <Show when=move || !model.notices.with(Vec::is_empty)>
                        <button class="dismiss" on:click=move |_| model.notices.set(Vec::new())>
                            {t(Msg::Dismiss)}
                        </button>
                    </Show>
                </div>
                <div class="views" class:with-fit=on_task>
                    {when(on_task, move || view! { <FitView model=model /> })}
                    <SurfaceView model=model />
                </div>
                <Playbar model=model />
                <ReadOut model=model />
                {when(shown(Panel::Loss), move || view! {
                    <LossView model=model />
                    {when(has_metric, move || view! { <LossView model=model metric=true /> })}
                })}
                {when(move || !model.embed.get(), move || view! { <SweepView model=model /> })}
                {when(shown(Panel::Formula), move || view! { <FormulaPanel model=model /> })}
            </section>
        </main>
    </div>
    }
}
