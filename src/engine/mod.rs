//! The engine: pure Rust maths with no web dependencies, tested natively. The page and the CLI
//! both render what it computes.

pub mod expr;
pub mod field;
pub mod optim;
pub mod scalar;
pub mod surface;
