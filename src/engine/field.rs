//! A surface sampled on a pixel grid, with the numbers the page needs to draw it: a colour
//! scale normalised to [0, 1] for the heat-map and contour lines for the overlay.
//!
//! The UI only maps [`Field::normalised`] to colours and strokes [`Contour`] polylines; all the
//! sampling and geometry lives here so it is tested natively.
//!
//! Contours are marching squares written by hand rather than taken from a crate: it is ~150
//! lines with no dependencies (the wasm bundle has a size budget), and it works directly on the
//! grid the heat-map already sampled instead of resampling the surface.

use super::surface::Surface;

/// How values map to colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColourScale {
    /// Proportional to f − min.
    Linear,
    /// Proportional to ln(1 + f − min): surfaces whose values span decades (Rosenbrock) would
    /// otherwise show one colour everywhere but the walls. Offsetting by min keeps it defined
    /// for surfaces with negative values.
    Log,
}

impl ColourScale {
    /// Distance of `v` above `min` in this scale's space; values below `min` count as `min`.
    fn forward(self, v: f64, min: f64) -> f64 {
        let d = (v - min).max(0.0);
        match self {
            ColourScale::Linear => d,
            ColourScale::Log => d.ln_1p(),
        }
    }

    /// Inverse of [`ColourScale::forward`].
    fn inverse(self, s: f64, min: f64) -> f64 {
        match self {
            ColourScale::Linear => min + s,
            ColourScale::Log => min + s.exp_m1(),
        }
    }
}

/// `surface` sampled at the pixel centres of a `width × height` grid over `view`.
#[derive(Clone, Debug)]
pub struct Field {
    view: [f64; 4],
    width: usize,
    height: usize,
    values: Vec<f64>,
    range: Option<(f64, f64)>,
    scale: ColourScale,
    /// `scale.forward(max, min)`, kept so `normalised` is one division per pixel.
    top: f64,
}

/// The contour lines of one level, in world (x, y) coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Contour {
    pub level: f64,
    /// Polylines; a closed loop repeats its first point at the end.
    pub lines: Vec<Vec<[f64; 2]>>,
}

impl Field {
    /// Samples `surface` over `view = [x0, x1, y0, y1]`, row-major with row 0 at the top
    /// (largest y), as a canvas lays out pixels.
    pub fn sample(
        surface: &dyn Surface,
        view: [f64; 4],
        width: usize,
        height: usize,
        scale: ColourScale,
    ) -> Field {
        let [x0, x1, y0, y1] = view;
        let dx = (x1 - x0) / width as f64;
        let dy = (y1 - y0) / height as f64;
        let mut values = Vec::with_capacity(width * height);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for row in 0..height {
            let y = y1 - (row as f64 + 0.5) * dy;
            for col in 0..width {
                let v = surface.value([x0 + (col as f64 + 0.5) * dx, y]);
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
                values.push(v);
            }
        }
        let range = (lo <= hi).then_some((lo, hi));
        let top = range.map_or(0.0, |(lo, hi)| scale.forward(hi, lo));
        Field {
            view,
            width,
            height,
            values,
            range,
            scale,
            top,
        }
    }

    pub fn view(&self) -> [f64; 4] {
        self.view
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// The samples, row-major, top row first; non-finite where the surface is undefined.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    pub fn scale(&self) -> ColourScale {
        self.scale
    }

    /// `(min, max)` over the finite samples; `None` when no sample is finite.
    pub fn range(&self) -> Option<(f64, f64)> {
        self.range
    }

    /// Where `v` falls between min (0) and max (1) in the colour scale, clamped; `None` for
    /// non-finite `v` (the UI paints those as "undefined"). A constant field maps to 0.
    pub fn normalised(&self, v: f64) -> Option<f64> {
        let (lo, _) = self.range?;
        if !v.is_finite() {
            return None;
        }
        if self.top <= 0.0 {
            return Some(0.0);
        }
        Some((self.scale.forward(v, lo) / self.top).min(1.0))
    }

    /// A `width × height` RGBA image of the field (row-major, top row first), for a heat-map
    /// drawn at a finer resolution than the field was sampled at: each pixel's shade is
    /// interpolated bilinearly between the four nearest samples, then looked up in `colours`
    /// (index 0 = min, 255 = max). Pixels next to a non-finite sample get `undefined`.
    /// Interpolating shades rather than sampling every pixel is what keeps a redraw cheap.
    pub fn paint(
        &self,
        width: usize,
        height: usize,
        colours: &[[u8; 4]; 256],
        undefined: [u8; 4],
    ) -> Vec<u8> {
        let mut rgba = vec![0; width * height * 4];
        let (cw, ch) = (self.width, self.height);
        if cw == 0 || ch == 0 {
            return rgba;
        }
        // Shades in 0…255 as f32: the precision of a colour index, at half the memory traffic.
        let shade: Vec<f32> = self
            .values
            .iter()
            .map(|&v| self.normalised(v).map_or(f32::NAN, |s| (s * 255.0) as f32))
            .collect();
        // Where output pixel `i` of `n` falls on the `m` samples: the sample before it and the
        // weight of the one after (pixel centres map to sample centres).
        let place = |i: usize, n: usize, m: usize| -> (usize, f32) {
            if m == 1 {
                return (0, 0.0);
            }
            let c = ((i as f64 + 0.5) * m as f64 / n as f64 - 0.5).clamp(0.0, (m - 1) as f64);
            let i0 = (c.floor() as usize).min(m - 2);
            (i0, (c - i0 as f64) as f32)
        };
        let columns: Vec<(usize, f32)> = (0..width).map(|col| place(col, width, cw)).collect();
        let mut line = vec![0f32; cw];
        for (row, out) in rgba.chunks_exact_mut(width * 4).enumerate() {
            let (r0, fy) = place(row, height, ch);
            let r1 = (r0 + 1).min(ch - 1);
            let (upper, lower) = (&shade[r0 * cw..][..cw], &shade[r1 * cw..][..cw]);
            for ((l, &u), &d) in line.iter_mut().zip(upper).zip(lower) {
                *l = u + (d - u) * fy;
            }
            paint_row(out, &line, &columns, colours, undefined);
        }
        rgba
    }

    /// `count` contour levels evenly spaced in the colour scale's space, strictly between min
    /// and max, so lines match the colour bands (geometric above min on a log scale).
    pub fn levels(&self, count: usize) -> Vec<f64> {
        let Some((lo, _)) = self.range else {
            return Vec::new();
        };
        if self.top <= 0.0 {
            return Vec::new();
        }
        (1..=count)
            .map(|i| {
                let s = self.top * i as f64 / (count + 1) as f64;
                self.scale.inverse(s, lo)
            })
            .collect()
    }

    /// Contour lines for each of `levels` (same order) by marching squares over the sampled
    /// grid. Crossings are linearly interpolated along cell edges; cells with a non-finite
    /// corner are skipped; saddle cells are resolved by the average of their corners. Segments
    /// are joined into polylines so the canvas strokes each line in one path.
    pub fn contours(&self, levels: &[f64]) -> Vec<Contour> {
        let mut links = Links::new(self.horizontal_edges() + self.width * self.height);
        self.segments(levels)
            .iter()
            .zip(levels)
            .map(|(segs, &level)| Contour {
                level,
                lines: join(segs, &mut links, |id| self.crossing(id, level)),
            })
            .collect()
    }

    /// Number of horizontal edges (between horizontally adjacent samples); vertical edges are
    /// numbered after them. An edge id names a crossing point independently of which of its two
    /// cells found it, which is what lets segments be joined.
    fn horizontal_edges(&self) -> usize {
        self.height * self.width.saturating_sub(1)
    }

    /// The segments of each of `levels`, each as a pair of edge ids. One pass over the cells
    /// for all levels: a cell is only examined for the levels between its lowest and highest
    /// corner, so most cells cost a min/max and one binary search.
    fn segments(&self, levels: &[f64]) -> Vec<Vec<[usize; 2]>> {
        let w = self.width;
        let hz = self.horizontal_edges();
        let mut segs = vec![Vec::new(); levels.len()];
        // Level indices sorted by level; NaN levels never cross anything.
        let mut order: Vec<usize> = (0..levels.len()).filter(|&i| !levels[i].is_nan()).collect();
        sort_indices(&mut order, &|a, b| levels[a].total_cmp(&levels[b]));
        let sorted: Vec<f64> = order.iter().map(|&i| levels[i]).collect();
        let rows = self.values.chunks_exact(w.max(1));
        for (r, (upper, lower)) in rows.clone().zip(rows.skip(1)).enumerate() {
            let edges = RowEdges {
                top: r * (w - 1),
                bottom: (r + 1) * (w - 1),
                left: hz + r * w,
            };
            row_segments(upper, lower, edges, (&sorted, &order, levels), &mut segs);
        }
        segs
    }

    /// World coordinates where `level` crosses edge `id`, interpolated linearly.
    fn crossing(&self, id: usize, level: f64) -> [f64; 2] {
        let w = self.width;
        let hz = self.horizontal_edges();
        let (a, b) = if id < hz {
            let (r, c) = (id / (w - 1), id % (w - 1));
            ((r, c), (r, c + 1))
        } else {
            let (r, c) = ((id - hz) / w, (id - hz) % w);
            ((r, c), (r + 1, c))
        };
        let va = self.values[a.0 * w + a.1];
        let vb = self.values[b.0 * w + b.1];
        let t = (level - va) / (vb - va);
        let [pa, pb] = [self.centre(a), self.centre(b)];
        [pa[0] + t * (pb[0] - pa[0]), pa[1] + t * (pb[1] - pa[1])]
    }

    /// World coordinates of the centre of pixel `(row, col)`.
    fn centre(&self, (row, col): (usize, usize)) -> [f64; 2] {
        let [x0, x1, y0, y1] = self.view;
        [
            x0 + (col as f64 + 0.5) * (x1 - x0) / self.width as f64,
            y1 - (row as f64 + 0.5) * (y1 - y0) / self.height as f64,
        ]
    }
}

/// Appends the segments of `level` in one cell, given its corners clockwise from top-left
/// and the edges between them (edge k joins corner k and corner k + 1).
fn cell_segments(corners: [f64; 4], edges: [usize; 4], level: f64, out: &mut Vec<[usize; 2]>) {
    let above = corners.map(|v| v > level);
    let mut crossed = [0; 4];
    let mut n = 0;
    for k in 0..4 {
        if above[k] != above[(k + 1) % 4] {
            crossed[n] = edges[k];
            n += 1;
        }
    }
    if n == 2 {
        out.push([crossed[0], crossed[1]]);
    } else if n == 4 {
        // Saddle: tl and br share a side. If the centre does too, they are joined through it,
        // so cut off tr and bl; otherwise cut off tl and br.
        let [top, right, bottom, left] = edges;
        let centre_above = corners.iter().sum::<f64>() / 4.0 > level;
        if centre_above == above[0] {
            out.push([top, right]);
            out.push([bottom, left]);
        } else {
            out.push([left, top]);
            out.push([right, bottom]);
        }
    }
}

/// Sorts `v` by `cmp` (unstable). Every sort in the engine goes through here: one heapsort on
/// `usize` with a `dyn` comparison, a few hundred bytes of wasm where each instance of the
/// standard sort (one per element type and closure) is about 4.5 KB. O(n log n) in every case;
/// the largest input, the 3-D view's quads, is a few thousand.
pub(crate) fn sort_indices(v: &mut [usize], cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) {
    let less = |a: usize, b: usize| cmp(a, b) == std::cmp::Ordering::Less;
    let sift = |v: &mut [usize], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(v[child], v[child + 1]) {
            child += 1;
        }
        if !less(v[root], v[child]) {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

fn min(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

fn max(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

/// Where the edge ids of one row of cells start: its top and bottom horizontal edges and its
/// left vertical edge.
#[derive(Clone, Copy)]
struct RowEdges {
    top: usize,
    bottom: usize,
    left: usize,
}

/// The segments of one row of cells between the samples `upper` and `lower`, for `levels`
/// given with their sorted values and the order that sorts them. Called once per row for the
/// same reason as [`paint_row`].
#[inline(never)]
fn row_segments(
    upper: &[f64],
    lower: &[f64],
    row: RowEdges,
    (sorted, order, levels): (&[f64], &[usize], &[f64]),
    segs: &mut [Vec<[usize; 2]>],
) {
    for (c, (u, l)) in upper.windows(2).zip(lower.windows(2)).enumerate() {
        let (tl, tr, bl, br) = (u[0], u[1], l[0], l[1]);
        if !(tl.is_finite() & tr.is_finite() & bl.is_finite() & br.is_finite()) {
            continue;
        }
        // A level crosses the cell iff some corner is above it and some is not. Plain
        // comparisons: the corners are finite, and native builds would otherwise call
        // fmin/fmax for NaN handling.
        let lo = min(min(tl, tr), min(bl, br));
        let hi = max(max(tl, tr), max(bl, br));
        let first = sorted.partition_point(|&l| l < lo);
        if sorted.get(first).is_none_or(|&l| l >= hi) {
            continue;
        }
        let last = first + sorted[first..].partition_point(|&l| l < hi);
        let left = row.left + c;
        // Edges in clockwise corner order: edge k joins corner k and corner k + 1.
        let edges = [row.top + c, left + 1, row.bottom + c, left];
        for &i in &order[first..last] {
            cell_segments([tl, tr, br, bl], edges, levels[i], &mut segs[i]);
        }
    }
}

/// One row of [`Field::paint`] from its row of interpolated shades. A function of its own, called
/// once per row, so that a browser can switch it to optimised code between rows: a loop inside
/// one long call stays in the baseline tier it started in.
#[inline(never)]
fn paint_row(
    out: &mut [u8],
    line: &[f32],
    columns: &[(usize, f32)],
    colours: &[[u8; 4]; 256],
    undefined: [u8; 4],
) {
    let last = line.len() - 1;
    for (px, &(c0, fx)) in out.chunks_exact_mut(4).zip(columns) {
        let a = line[c0];
        let b = line[(c0 + 1).min(last)];
        let v = a + (b - a) * fx;
        px.copy_from_slice(if v.is_nan() {
            &undefined
        } else {
            // `as` saturates: negative noise goes to 0, and 255.5 to 255.
            &colours[((v + 0.5) as usize).min(255)]
        });
    }
}

/// No segment: an empty slot in [`Links`].
const NONE: u32 = u32::MAX;

/// For each edge id, the (at most two) segments ending on it: a table over every edge of the
/// grid, filled and emptied per level, so joining is linear in the segments (sorting the ends
/// instead was most of the contouring time).
struct Links(Vec<[u32; 2]>);

impl Links {
    fn new(edges: usize) -> Self {
        Links(vec![[NONE; 2]; edges])
    }

    fn add(&mut self, id: usize, segment: usize) {
        let slot = &mut self.0[id];
        let free = usize::from(slot[0] != NONE);
        slot[free] = segment as u32;
    }

    fn at(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        self.0[id]
            .iter()
            .filter(|&&s| s != NONE)
            .map(|&s| s as usize)
    }
}

/// Joins segments (pairs of edge ids) into polylines of points. Every edge is shared by at most
/// two cells and each cell touches an edge with at most one segment, so each id has at most two
/// segments and chains are unambiguous. Open chains start from an end of degree one (in edge
/// order); what is left afterwards are closed loops. `links` is empty on entry and on return.
fn join(
    segs: &[[usize; 2]],
    links: &mut Links,
    point: impl Fn(usize) -> [f64; 2],
) -> Vec<Vec<[f64; 2]>> {
    for (s, &[a, b]) in segs.iter().enumerate() {
        links.add(a, s);
        links.add(b, s);
    }
    let mut used = vec![false; segs.len()];
    let mut lines = Vec::new();
    let mut walk = |start: usize, used: &mut Vec<bool>| {
        let mut line = vec![point(start)];
        let mut id = start;
        while let Some(s) = links.at(id).find(|&s| !used[s]) {
            used[s] = true;
            id = if segs[s][0] == id {
                segs[s][1]
            } else {
                segs[s][0]
            };
            line.push(point(id));
        }
        lines.push(line);
    };
    let mut open_ends: Vec<usize> = segs
        .iter()
        .flatten()
        .copied()
        .filter(|&id| links.0[id][1] == NONE)
        .collect();
    sort_indices(&mut open_ends, &|a, b| a.cmp(&b));
    for id in open_ends {
        if links.at(id).any(|s| !used[s]) {
            walk(id, &mut used);
        }
    }
    for s in 0..segs.len() {
        if !used[s] {
            walk(segs[s][0], &mut used);
        }
    }
    for &[a, b] in segs {
        links.0[a] = [NONE; 2];
        links.0[b] = [NONE; 2];
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::sort_indices;

    #[test]
    fn sort_indices_orders_like_the_standard_sort() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for n in 0..200 {
            let keys: Vec<u64> = (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed % 17 // many ties
                })
                .collect();
            let mut ours: Vec<usize> = (0..n).collect();
            sort_indices(&mut ours, &|a, b| keys[a].cmp(&keys[b]));
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            assert_eq!(ours.iter().map(|&i| keys[i]).collect::<Vec<_>>(), sorted);
            ours.sort_unstable();
            assert!(ours.iter().copied().eq(0..n), "a permutation");
        }
    }
}
