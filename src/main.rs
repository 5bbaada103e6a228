//! Browser entry point: install the panic hook and mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(gradscape::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gradscape-web runs in the browser: `make serve` builds and serves it.");
    std::process::exit(2);
}
