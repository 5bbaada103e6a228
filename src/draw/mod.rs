//! The page's drawing decisions that need no browser: the surface view's geometry (true
//! aspect, zoom, pan, snapping), the loss chart's axis and labels, which canvas layer an input invalidates and how much of it, and how a polyline is
//! thinned to the pixels it covers, and the theme colours the canvases read from the CSS.
//! Plain Rust, so native tests reach it; `ui` only applies it.

pub mod chart;
pub mod fit;
pub mod layers;
pub mod region;
pub mod theme;
pub mod thin;
pub mod viewport;
