//! Component tests in headless Chromium (wasm-bindgen-test): the app mounts into a fresh
//! element and renders its controls from the engine's catalogues.
#![cfg(target_arch = "wasm32")]

use gradscape::engine::surface;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Leptos run its effects (they are scheduled, not synchronous).
async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("a window");
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

#[wasm_bindgen_test]
async fn app_mounts_into_a_fresh_element() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), gradscape::ui::App);
    next_tick().await;

    let options = host
        .query_selector_all("[data-testid=surface-select] option")
        .unwrap();
    assert_eq!(options.length() as usize, surface::CATALOG.len());
    let card = host
        .query_selector("[data-testid=optimizer-card]")
        .unwrap()
        .expect("an optimizer card");
    let step: usize = card.get_attribute("data-step").unwrap().parse().unwrap();
    assert!(step > 0, "the path should have moved");
    let x: f64 = card.get_attribute("data-x").unwrap().parse().unwrap();
    assert!(x.is_finite());
    let canvas: web_sys::HtmlCanvasElement = host
        .query_selector("canvas.base")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(canvas.width() > 0);
    drop(handle);
}
