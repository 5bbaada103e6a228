//! The page's effects, through one boxed closure type: `Effect::new` is generic over its
//! closure, and each instance carried its own copy of the effect machinery into the wasm.

use leptos::prelude::*;

/// Runs `f` now and again whenever a signal it read changes (as `Effect::new` does).
pub fn effect(f: impl Fn() + 'static) {
    run_boxed(Box::new(f));
}

fn run_boxed(f: Box<dyn Fn()>) {
    Effect::new(move |_| f());
}
