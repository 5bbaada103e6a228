//! A part of the page shown while a condition holds: an effect mounts it into an empty
//! `display: contents` element when the condition turns true and unmounts it (disposing its
//! state) when it turns false, so each showing is a fresh build. `<Show>` rebuilds its
//! children in place instead, which compiles a second copy of the whole subtree it holds: the
//! page's `<Show>`s around its panels cost 15 KB gzipped.

use std::cell::RefCell;

use leptos::html;
use leptos::prelude::*;
use leptos::reactive::owner::WeakOwner;
use leptos::tachys::view::{Mountable, Render};
use wasm_bindgen::JsCast;

use super::effect::effect;

/// A built part of the page in its element, with the owner of its signals and effects.
/// Dropping it unmounts the part and disposes them (explicitly: something inside may still
/// hold the owner).
pub struct Part {
    owner: Owner,
    state: Box<dyn Mountable>,
}

impl Part {
    /// Builds `child` under a new owner, a child of `under` (if it is still there), and
    /// appends it to `parent`.
    pub fn mount<V: IntoView + 'static>(
        under: Option<&WeakOwner>,
        parent: &web_sys::Element,
        child: impl FnOnce() -> V,
    ) -> Part {
        let owner = match under.and_then(WeakOwner::upgrade) {
            Some(o) => o.with(Owner::new),
            None => Owner::new(),
        };
        let state = owner.with(|| {
            let mut state = child().into_view().build();
            state.mount(parent, None);
            state
        });
        Part {
            owner,
            state: Box::new(state),
        }
    }
}

impl Drop for Part {
    fn drop(&mut self) {
        self.state.unmount();
        self.owner.cleanup();
    }
}

/// `child` while `cond` holds, in place (the slot takes no box of its own in the layout).
pub fn when<V: IntoView + 'static>(
    cond: impl Fn() -> bool + 'static,
    child: impl Fn() -> V + Clone + 'static,
) -> impl IntoView {
    slot(
        Box::new(cond),
        Box::new(move |under, parent| Part::mount(under, parent, child.clone())),
    )
}

/// Builds a part under an owner into an element.
type Builder = dyn Fn(Option<&WeakOwner>, &web_sys::Element) -> Part;

/// The slot itself, compiled once: only the building of each part is its own code.
fn slot(cond: Box<dyn Fn() -> bool>, mount: Box<Builder>) -> impl IntoView {
    let slot = NodeRef::<html::Div>::new();
    // Parts are owned by the owner of what placed the slot, not by the effect: an effect
    // disposes what it owns each time it runs again. Weakly: the part must not keep it.
    let owner = Owner::current().map(|o| o.downgrade());
    let shown = RefCell::new(None::<Part>);
    effect(move || {
        let on = cond();
        let Some(element) = slot.get() else {
            return;
        };
        if on == shown.borrow().is_some() {
            return;
        }
        let old = shown.borrow_mut().take();
        drop(old); // unmounts it
        if on {
            let parent: &web_sys::Element = element.unchecked_ref();
            *shown.borrow_mut() = Some(mount(owner.as_ref(), parent));
        }
    });
    view! { <div class="slot" node_ref=slot></div> }
}
