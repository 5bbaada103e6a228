//! The Share dialog: the page's link, and an `<iframe>` snippet with toggles for what the
//! embed hides and its size. Both come from [`crate::engine::share`], so what a documentation
//! author pastes is exactly the scene on screen. Its Export section is [`super::export`].
//!
//! The dialog's markup is one static string and its inputs are read through three delegated
//! listeners: written as a Leptos view with a reactive binding per field, it cost 12 KB of
//! gzipped wasm (each element and closure is its own monomorphised type), this costs 2.
//! Nothing from the scene is ever inserted as markup: the link and the snippet are set as
//! field values.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::effect::effect;
use super::export;
use super::model::Model;
use crate::engine::scene::Panel;
use crate::engine::share::{iframe_snippet, page_link, DEFAULT_EMBED_SIZE};
use crate::i18n::{phrases, t, Msg};

/// The dialog's fixed markup; [`Panel::ALL`] supplies the hide toggles.
fn skeleton() -> String {
    let toggles: String = Panel::ALL
        .iter()
        .map(|p| {
            let checked = if *p == Panel::Controls {
                " checked"
            } else {
                ""
            };
            let label = t(match p {
                Panel::Controls => Msg::PanelControls,
                Panel::Loss => Msg::PanelLoss,
                Panel::Legend => Msg::PanelLegend,
                Panel::Toolbar => Msg::PanelToolbar,
                Panel::Header => Msg::PanelHeader,
                Panel::Formula => Msg::PanelFormula,
            });
            format!(
                "<label><input type=\"checkbox\" name=\"{}\"{checked}>{label}</label>",
                p.id()
            )
        })
        .collect();
    let (w, h) = DEFAULT_EMBED_SIZE;
    let export = export::markup();
    let [title, link, copy, without, width, height, code, close] = [
        Msg::ShareTitle,
        Msg::PageLink,
        Msg::Copy,
        Msg::EmbedWithout,
        Msg::Width,
        Msg::Height,
        Msg::EmbedCode,
        Msg::Close,
    ]
    .map(t);
    format!(
        "<h2>{title}</h2>\
         <div class=\"field\"><span id=\"share-link-label\">{link}</span><div class=\"copy-row\">\
         <input readonly aria-labelledby=\"share-link-label\" data-testid=\"share-link\"><button data-copy>{copy}</button></div></div>\
         <fieldset class=\"embed-hide\"><legend>{without}</legend>{toggles}</fieldset>\
         <div class=\"embed-size\">\
         <label class=\"field\"><span>{width}</span><input type=\"number\" name=\"width\" min=\"200\" max=\"4000\" step=\"10\" value=\"{w}\"></label>\
         <label class=\"field\"><span>{height}</span><input type=\"number\" name=\"height\" min=\"200\" max=\"4000\" step=\"10\" value=\"{h}\"></label>\
         </div>\
         <div class=\"field\"><span id=\"share-snippet-label\">{code}</span><div class=\"copy-row\">\
         <textarea readonly rows=\"5\" aria-labelledby=\"share-snippet-label\" data-testid=\"share-snippet\"></textarea><button data-copy>{copy}</button></div></div>\
         {export}\
         <p class=\"small muted\" role=\"status\" aria-live=\"polite\"></p>\
         <form method=\"dialog\"><button class=\"primary\">{close}</button></form>"
    )
}

/// The page's address without its hash: where links point.
fn base() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    match href.split_once('#') {
        Some((base, _)) => base.to_string(),
        None => href,
    }
}

/// The element under `root` that `selector` finds.
pub(super) fn find<T: JsCast>(root: &web_sys::Element, selector: &str) -> Option<T> {
    root.query_selector(selector)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// What the toggles and size fields say: the panels to hide and the size, or why the size is
/// not valid.
fn embed_choice(root: &web_sys::Element) -> (Vec<Panel>, Result<(u32, u32), &'static str>) {
    let hide = Panel::ALL
        .iter()
        .copied()
        .filter(|p| {
            find::<web_sys::HtmlInputElement>(root, &format!("input[name=\"{}\"]", p.id()))
                .is_some_and(|i| i.checked())
        })
        .collect();
    let side = |name: &str| {
        find::<web_sys::HtmlInputElement>(root, &format!("input[name=\"{name}\"]"))
            .and_then(|i| i.value().parse::<u32>().ok())
            .filter(|v| (200..=4000).contains(v))
    };
    let size = side("width").zip(side("height")).ok_or(t(Msg::SizeError));
    (hide, size)
}

pub(super) fn set_status(root: &web_sys::Element, text: &str) {
    if let Some(p) = find::<web_sys::Element>(root, "[role=status]") {
        p.set_text_content(Some(&phrases(text)));
    }
}

/// Writes the link and the snippet for the scene and the dialog's choices.
fn fill(root: &web_sys::Element, model: Model) {
    let base = base();
    if let Some(link) = find::<web_sys::HtmlInputElement>(root, "[data-testid=share-link]") {
        link.set_value(&model.scene.with(|s| page_link(&base, s)));
    }
    let (hide, size) = embed_choice(root);
    match size {
        Ok(size) => {
            if let Some(area) =
                find::<web_sys::HtmlTextAreaElement>(root, "[data-testid=share-snippet]")
            {
                area.set_value(&model.scene.with(|s| iframe_snippet(&base, s, &hide, size)));
            }
        }
        Err(why) => set_status(root, why),
    }
}

/// Selects the field beside `button` and puts its text on the clipboard; the selection stays,
/// so Ctrl+C works where the clipboard is refused (an iframe without the permission).
fn copy_beside(root: web_sys::Element, button: &web_sys::Element) {
    let Some(row) = button.parent_element() else {
        return;
    };
    let text = if let Some(input) = find::<web_sys::HtmlInputElement>(&row, "input") {
        input.select();
        input.value()
    } else if let Some(area) = find::<web_sys::HtmlTextAreaElement>(&row, "textarea") {
        area.select();
        area.value()
    } else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        set_status(&root, t(if copied { Msg::Copied } else { Msg::SelectCopy }));
    });
}

#[component]
#[inline(never)]
pub fn Share(model: Model) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // Only an open dialog follows the scene: while it is closed, playing costs nothing here.
    let open = RwSignal::new(false);
    let root = move || dialog.get().map(web_sys::Element::from);
    effect(move || {
        if open.get() {
            model.scene.track();
            if let Some(root) = root() {
                fill(&root, model);
            }
        }
    });
    let show = move |_| {
        if let Some(d) = dialog.get() {
            set_status(&d, "");
            let _ = d.show_modal();
            open.set(true);
        }
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        let button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let (Some(button), Some(root)) = (button, root()) else {
            return;
        };
        if button.has_attribute("data-copy") {
            copy_beside(root, &button);
        } else if let Some(what) = button.get_attribute("data-export") {
            export::run(&root, &what, model);
        }
    };
    let on_change = move |_| {
        if let Some(root) = root() {
            set_status(&root, "");
            fill(&root, model);
        }
    };

    view! {
        <button data-testid="share" on:click=show>
            {t(Msg::ShareButton)}
        </button>
        <dialog
            node_ref=dialog
            class="share-dialog"
            inner_html=skeleton()
            on:close=move |_| open.set(false)
            on:click=on_click
            on:change=on_change
        ></dialog>
    }
}
