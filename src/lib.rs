//! gradscape: see how optimizers move.
//!
//! [`engine`] holds all the maths and is plain Rust; [`ui`] (wasm32 only) renders it with Leptos.

pub mod draw;
pub mod engine;
pub mod i18n;
pub mod lessons;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
mod wasm_math;

/// The page's heap: talc instead of std's dlmalloc on wasm32, for a smaller module. It grows wasm
/// memory as needed and reuses freed blocks (the heap soak in `tests/browser/bench.mjs`).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
