//! The Leptos front end (wasm32 only): renders engine output, never re-implements maths.
