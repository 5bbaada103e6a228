//! Colours and dash patterns that tell optimizers apart, also in greyscale and for colour-blind
//! viewers (Okabe–Ito colours, paired with distinct dashes).

const COLOURS: [&str; 8] = [
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#ffffff",
];

const DASHES: [&[f64]; 4] = [&[], &[8.0, 4.0], &[2.0, 3.0], &[10.0, 3.0, 2.0, 3.0]];

/// The colour of the optimizer in `slot`.
pub fn colour(slot: usize) -> &'static str {
    COLOURS[slot % COLOURS.len()]
}

/// The dash pattern (CSS px) of the optimizer in `slot`: solid for the first eight, then the
/// colours repeat with a new dash so that ten or more optimizers stay distinct.
pub fn dash(slot: usize) -> &'static [f64] {
    DASHES[(slot / COLOURS.len() + slot) % DASHES.len()]
}
