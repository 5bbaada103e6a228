//! Browser entry point: install the panic hook and mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // In a Web Worker the module only answers jobs (src/ui/worker.rs).
    if web_sys::window().is_none() {
        return;
    }
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        gradscape::ui::mount(body).forget();
    }
}

/// A Web Worker's entry point (`gradscape::ui::worker`). Exported here: only the binary's own
/// exports reach the module.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn run_job(key: &str) -> js_sys::Array {
    gradscape::ui::worker::run_job(key)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gradscape-web runs in the browser: `make serve` builds and serves it.");
    std::process::exit(2);
}
