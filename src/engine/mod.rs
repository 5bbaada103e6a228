//! The engine: pure Rust maths with no web dependencies, tested natively. The page and the CLI
//! both render what it computes. Runs drive an N-dimensional [`problem::Problem`]; a 2-D
//! [`surface::Surface`] is one kind of it, drawn as it is.

pub mod call;
pub mod diverge;
pub mod export;
pub mod expr;
pub mod field;
pub mod formula;
pub mod job;
pub mod noise;
pub mod number;
pub mod optim;
pub mod param;
pub mod problem;
pub mod projection;
pub mod run;
pub mod scalar;
pub mod scene;
pub mod schedule;
pub mod share;
pub mod surface;
pub mod sweep;
pub mod task;
pub mod url;
