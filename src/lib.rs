//! gradscape: see how optimizers move.
//!
//! [`engine`] holds all the maths and is plain Rust; [`ui`] (wasm32 only) renders it with Leptos.

pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
mod wasm_math;
