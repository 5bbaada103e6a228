//! The canvas colours of one theme, read from the stylesheet's custom properties: the CSS is
//! the one table of theme colours, so a canvas never disagrees with the panel it sits on.

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// What the canvases paint besides the optimizers' own colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ink {
    /// Behind every plot (the CSS `--panel`).
    pub background: Rgb,
    /// Labels and the surface view's axes (`--ink`).
    pub text: Rgb,
    /// The loss chart's axis lines (`--plot-axis`).
    pub axis: Rgb,
    /// Major and minor grid lines (`--plot-grid`, `--plot-fine-grid`).
    pub grid: Rgb,
    pub fine_grid: Rgb,
}

/// The custom properties [`Ink::read`] asks for, in field order.
pub const PROPERTIES: [&str; 5] = [
    "--panel",
    "--ink",
    "--plot-axis",
    "--plot-grid",
    "--plot-fine-grid",
];

impl Ink {
    /// The light theme, used where the stylesheet does not say (it always should).
    pub const FALLBACK: Ink = Ink {
        background: [0xff, 0xff, 0xff],
        text: [0x1d, 0x1d, 0x28],
        axis: [0x77, 0x77, 0x77],
        grid: [0xdd, 0xdd, 0xdd],
        fine_grid: [0xf0, 0xf0, 0xf0],
    };

    /// The ink from `property(name)` for each of [`PROPERTIES`] (the computed value, such as
    /// `" #181b25"`); a missing or unreadable one keeps its fallback.
    pub fn read(property: impl Fn(&str) -> Option<String>) -> Ink {
        let f = Ink::FALLBACK;
        let get =
            |name: &str, fallback: Rgb| property(name).and_then(|v| hex(&v)).unwrap_or(fallback);
        Ink {
            background: get(PROPERTIES[0], f.background),
            text: get(PROPERTIES[1], f.text),
            axis: get(PROPERTIES[2], f.axis),
            grid: get(PROPERTIES[3], f.grid),
            fine_grid: get(PROPERTIES[4], f.fine_grid),
        }
    }
}

/// `#rrggbb` or `#rgb` (what a CSS minifier makes of `#ffffff`; surrounding spaces allowed) as
/// bytes.
pub fn hex(text: &str) -> Option<Rgb> {
    let digits = text.trim().strip_prefix('#')?.as_bytes();
    // Byte arithmetic, not string slicing: no char-boundary checks, nothing to panic.
    let nibble = |i: usize| char::from(digits[i]).to_digit(16);
    let (width, repeat) = match digits.len() {
        6 => (2, 1),
        3 => (1, 17),
        _ => return None,
    };
    let byte = |c: usize| {
        let v = (0..width).try_fold(0, |acc, k| Some(acc * 16 + nibble(c * width + k)?))?;
        Some((v * repeat) as u8)
    };
    Some([byte(0)?, byte(1)?, byte(2)?])
}

/// CSS text for `c` at opacity `alpha` (1 = opaque), for the raw canvas context.
pub fn css([r, g, b]: Rgb, alpha: f64) -> String {
    if alpha >= 1.0 {
        format!("rgb({r},{g},{b})")
    } else {
        format!("rgba({r},{g},{b},{alpha})")
    }
}
