//! The loss chart's numbers without the canvas: where the plotting area is and how steps and
//! losses map to its pixels, the y axis (log or linear, and its range) and the tick labels
//! (the linear ones label the surface view's axes too, through [`span_label`]).

/// Where the plotting area sits in the canvas (device pixels) and what it shows: enough to turn
/// a pointer position into a step and a (step, loss) into a pixel for the hover read-out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartFrame {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    /// x shows steps 0…`steps`.
    pub steps: usize,
    /// y shows `y_range.0`…`y_range.1` (bottom to top).
    pub y_range: (f64, f64),
    /// Whether y is logarithmic.
    pub log: bool,
}

impl ChartFrame {
    /// The step under canvas x coordinate `px` (device pixels), or `None` outside the plot.
    pub fn step_at_pixel(&self, px: f64) -> Option<usize> {
        let t = (px - self.left) / self.width;
        if !(0.0..=1.0).contains(&t) {
            return None;
        }
        Some(((t * self.steps as f64).round() as usize).min(self.steps))
    }

    /// Canvas pixel (device pixels) of `loss` at `step`, clamped to the plotting area; `None`
    /// when the loss cannot be shown (non-finite, or ≤ 0 on a log axis).
    pub fn pixel_of(&self, step: usize, loss: f64) -> Option<(f64, f64)> {
        let t = self.y_fraction(loss)?;
        Some((self.x_of(step as f64), self.top + (1.0 - t) * self.height))
    }

    /// Canvas x (device pixels) of `step`.
    pub fn x_of(&self, step: f64) -> f64 {
        self.left + step / self.steps.max(1) as f64 * self.width
    }

    /// Height of `loss` as a fraction of the plot (0 bottom, 1 top), clamped.
    fn y_fraction(&self, loss: f64) -> Option<f64> {
        let (lo, hi) = self.y_range;
        let t = if self.log {
            if loss <= 0.0 {
                return None;
            }
            (loss.ln() - lo.ln()) / (hi.ln() - lo.ln())
        } else {
            (loss - lo) / (hi - lo)
        };
        t.is_finite().then(|| t.clamp(0.0, 1.0))
    }
}

/// The y axis: its range (bottom, top) and whether it is logarithmic.
pub type Axis = ((f64, f64), bool);

/// One run as the y axis sees it: its losses and whether it diverged.
pub type Run<'a> = (&'a [f64], bool);

/// Smallest and largest finite loss of `losses`; `lo > hi` when there is none.
fn extent(losses: &[f64]) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in losses {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    (lo, hi)
}

/// The y axis: log when every finite loss is positive (losses span decades), linear otherwise
/// (six-hump camel and Styblinski–Tang go negative). The range covers the runs that did not
/// diverge, when there are any: a blow-up to 1e13 would otherwise flatten every other curve
/// (diverged curves run off the edge, where their ✕ is clamped). Log bounds snap to whole
/// decades so the axis always has labelled ticks; `None` when there is no finite loss at all.
pub fn y_axis(runs: &[Run]) -> Option<Axis> {
    // One pass over each run's losses (on every input, for every shown run).
    let (mut all, mut kept) = (
        (f64::INFINITY, f64::NEG_INFINITY),
        (f64::INFINITY, f64::NEG_INFINITY),
    );
    for &(losses, diverged) in runs {
        let (lo, hi) = extent(losses);
        all = (all.0.min(lo), all.1.max(hi));
        if !diverged {
            kept = (kept.0.min(lo), kept.1.max(hi));
        }
    }
    let (all_lo, all_hi) = all;
    if all_lo > all_hi {
        return None;
    }
    let (lo, hi) = if kept.0 <= kept.1 { kept } else { all };
    if all_lo > 0.0 {
        // Kept within ±300 decades so the bounds (and their logs) stay finite and non-zero.
        let a = lo.log10().floor().clamp(-300.0, 299.0);
        let b = hi.log10().ceil().clamp(a + 1.0, 300.0);
        return Some(((10f64.powf(a), 10f64.powf(b)), true));
    }
    // Finite span even when a diverging run reaches ±1e308.
    let (lo, hi) = (lo.max(-1e300), hi.min(1e300));
    let pad = if hi > lo {
        0.05 * (hi - lo)
    } else {
        lo.abs().max(1.0) * 0.1
    };
    Some(((lo - pad, hi + pad), false))
}

/// The axis to draw while inputs come in quick succession: `shown` widened to hold `fitted`
/// (the same scale kind), so a drag that moves one run's range does not rescale and redraw
/// every curve on each input; the chart fits again once the inputs pause. A change of scale
/// kind takes `fitted` at once.
pub fn hold(shown: Axis, fitted: Axis) -> Axis {
    let (((a, b), log), ((c, d), fitted_log)) = (shown, fitted);
    if log != fitted_log {
        return fitted;
    }
    ((a.min(c), b.max(d)), log)
}

/// Tick label for a log axis, whose coordinate is log10(loss): only whole decades get one,
/// in exponent form outside [1e-3, 1e4] (`2e-5`), plain inside.
pub fn decade_label(exponent: &f64) -> String {
    if (exponent - exponent.round()).abs() > 1e-9 {
        return String::new();
    }
    let v = 10f64.powf(exponent.round());
    if (1e-3..=1e4).contains(&v) {
        plain(v)
    } else {
        format!("{v:.0e}")
    }
}

/// Tick label for the step axis: whole steps only.
pub fn step_label(step: &f64) -> String {
    if (step - step.round()).abs() > 1e-9 {
        String::new()
    } else {
        format!("{}", step.round())
    }
}

/// Tick label for a linear axis: short, with an exponent only for very large or small values.
pub fn linear_label(v: &f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{v:.1e}")
    } else {
        plain(*v)
    }
}

/// [`linear_label`] for a tick on an axis spanning `span`: a tick within a billionth of the span
/// of zero is zero (plotters places it at a rounding error such as −2.2e-16).
pub fn span_label(v: f64, span: f64) -> String {
    if v.abs() <= span.abs() * 1e-9 {
        "0".into()
    } else {
        linear_label(&v)
    }
}

/// `v` to four decimals without trailing zeros, so float noise in tick values never shows.
fn plain(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// Where a chart's legend goes: its scale (1 = 12 px text), its grid of entries and its
/// panel's size, in canvas pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LegendLayout {
    pub scale: f64,
    pub rows: usize,
    pub columns: usize,
    pub row: f64,
    pub sample: f64,
    pub pad: f64,
    pub column_width: f64,
    pub width: f64,
    pub height: f64,
}

impl LegendLayout {
    /// The layout of `count` entries whose widest label is `label_width` px at scale 1, in a
    /// plot of `width` × `height` px: the largest scale from `scale` down to half of it at
    /// which the panel fits the plot, with as few columns as the plot's height allows. A
    /// projector's larger text or a short chart shrink the legend instead of letting it spill
    /// over the axes; at half scale, entries that still do not fit run below the plot.
    pub fn fit(count: usize, label_width: f64, width: f64, height: f64, scale: f64) -> Self {
        let at = |s: f64| {
            let (row, sample, pad) = (16.0 * s, 22.0 * s, 6.0 * s);
            let column_width = 2.0 * pad + sample + label_width * s;
            let fit_rows = ((height - 3.0 * pad) / row).floor().max(1.0) as usize;
            let fit_columns = (((width - 2.0 * pad) / column_width).floor() as usize).max(1);
            let columns = count
                .div_ceil(fit_rows.min(count).max(1))
                .clamp(1, fit_columns);
            let rows = count.div_ceil(columns);
            let layout = LegendLayout {
                scale: s,
                rows,
                columns,
                row,
                sample,
                pad,
                column_width,
                width: pad + column_width * columns as f64,
                height: 2.0 * pad + row * rows as f64,
            };
            let fits = rows <= fit_rows && layout.width <= width - pad;
            (layout, fits)
        };
        let mut s = scale;
        loop {
            let (layout, fits) = at(s);
            if fits || s <= scale * 0.5 {
                return layout;
            }
            s = (s * 0.9).max(scale * 0.5);
        }
    }
}
