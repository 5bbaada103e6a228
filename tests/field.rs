#![cfg(not(target_arch = "wasm32"))]
//! The sampled field: grid orientation, range and colour scale, contour levels, and marching
//! squares geometry (points lie on the level set, loops close, saddles and holes behave).

use gradscape::engine::field::{ColourScale, Contour, Field};
use gradscape::engine::surface::{build, Surface, SurfaceSpec, CATALOG};
use proptest::prelude::*;

fn surface(id: &str) -> Box<dyn Surface> {
    build(&SurfaceSpec {
        id: id.into(),
        ..Default::default()
    })
    .unwrap()
}

fn custom(expr: &str) -> Box<dyn Surface> {
    build(&SurfaceSpec {
        id: "custom".into(),
        expr: Some(expr.into()),
        ..Default::default()
    })
    .unwrap()
}

fn sample(s: &dyn Surface, w: usize, h: usize, scale: ColourScale) -> Field {
    Field::sample(s, s.info().view, w, h, scale)
}

fn is_closed(line: &[[f64; 2]]) -> bool {
    line.len() > 2 && line.first() == line.last()
}

fn points(c: &Contour) -> impl Iterator<Item = [f64; 2]> + '_ {
    c.lines.iter().flatten().copied()
}

#[test]
fn top_row_is_largest_y_and_columns_run_left_to_right() {
    let view = [-1.0, 3.0, 10.0, 20.0];
    let (w, h) = (4, 5);
    let fy = Field::sample(&*custom("y"), view, w, h, ColourScale::Linear);
    let fx = Field::sample(&*custom("x"), view, w, h, ColourScale::Linear);
    assert_eq!(fy.values().len(), w * h);
    // Pixel centres: dy = 2, dx = 1.
    for row in 0..h {
        for col in 0..w {
            assert_eq!(fy.values()[row * w + col], 20.0 - (row as f64 + 0.5) * 2.0);
            assert_eq!(fx.values()[row * w + col], -1.0 + (col as f64 + 0.5));
        }
    }
    assert_eq!((fy.width(), fy.height(), fy.view()), (w, h, view));
}

#[test]
fn min_and_max_of_the_quadratic_are_at_the_centre_and_corner_pixels() {
    let q = surface("quadratic");
    let f = sample(&*q, 80, 60, ColourScale::Linear);
    let [x0, x1, y0, y1] = f.view();
    let (dx, dy) = ((x1 - x0) / 80.0, (y1 - y0) / 60.0);
    let (lo, hi) = f.range().unwrap();
    // Even grids straddle the origin: the nearest centres are half a pixel away.
    assert!((lo - q.value([dx / 2.0, dy / 2.0])).abs() < 1e-12);
    assert!((hi - q.value([x0 + dx / 2.0, y1 - dy / 2.0])).abs() < 1e-12);
    assert_eq!(f.scale(), ColourScale::Linear);
}

#[test]
fn non_finite_samples_are_ignored_by_the_range_and_not_normalised() {
    let s = custom("ln(x)");
    let view = [-1.0, 1.0, -1.0, 1.0];
    let f = Field::sample(&*s, view, 20, 10, ColourScale::Linear);
    let bad = f.values().iter().filter(|v| !v.is_finite()).count();
    assert_eq!(bad, 100, "the left half (x < 0) is undefined");
    let (lo, hi) = f.range().unwrap();
    // The nearest finite centres are x = 0.05 and x = 0.95.
    assert!((lo - 0.05f64.ln()).abs() < 1e-12);
    assert!((hi - 0.95f64.ln()).abs() < 1e-12);
    for &v in f.values() {
        assert_eq!(f.normalised(v).is_some(), v.is_finite());
    }
    assert_eq!(f.normalised(f64::NAN), None);
    assert_eq!(f.normalised(f64::NEG_INFINITY), None);
}

#[test]
fn a_field_with_no_finite_sample_has_no_range_levels_or_lines() {
    let f = Field::sample(
        &*custom("ln(x)"),
        [-2.0, -1.0, 0.0, 1.0],
        8,
        8,
        ColourScale::Log,
    );
    assert_eq!(f.range(), None);
    assert_eq!(f.normalised(1.0), None);
    assert!(f.levels(5).is_empty());
    assert!(f.contours(&[0.0])[0].lines.is_empty());
}

#[test]
fn normalised_spans_zero_to_one_and_clamps() {
    for scale in [ColourScale::Linear, ColourScale::Log] {
        for id in ["rosenbrock", "styblinski_tang", "saddle"] {
            let f = sample(&*surface(id), 64, 48, scale);
            let (lo, hi) = f.range().unwrap();
            assert_eq!(f.normalised(lo), Some(0.0), "{id} {scale:?}");
            assert_eq!(f.normalised(hi), Some(1.0), "{id} {scale:?}");
            assert_eq!(f.normalised(lo - 1.0), Some(0.0));
            assert_eq!(f.normalised(hi + 1.0), Some(1.0));
            for &v in f.values() {
                let n = f.normalised(v).unwrap();
                assert!((0.0..=1.0).contains(&n), "{id} {scale:?}: {v} -> {n}");
            }
        }
    }
}

#[test]
fn log_scale_lifts_values_near_the_minimum() {
    let r = surface("rosenbrock");
    let lin = sample(&*r, 64, 64, ColourScale::Linear);
    let log = sample(&*r, 64, 64, ColourScale::Log);
    let (lo, hi) = lin.range().unwrap();
    let v = lo + 0.01 * (hi - lo);
    assert!(log.normalised(v).unwrap() > 0.3);
    assert!(lin.normalised(v).unwrap() < 0.011);
}

#[test]
fn a_constant_field_maps_to_zero_and_has_no_levels() {
    let f = Field::sample(
        &*custom("0*x + 2"),
        [0.0, 1.0, 0.0, 1.0],
        4,
        4,
        ColourScale::Log,
    );
    assert_eq!(f.range(), Some((2.0, 2.0)));
    assert_eq!(f.normalised(2.0), Some(0.0));
    assert!(f.levels(4).is_empty());
}

#[test]
fn linear_levels_are_evenly_spaced_strictly_inside_the_range() {
    let f = sample(&*surface("quadratic"), 50, 50, ColourScale::Linear);
    let (lo, hi) = f.range().unwrap();
    let l = f.levels(4);
    assert_eq!(l.len(), 4);
    let step = (hi - lo) / 5.0;
    for (i, v) in l.iter().enumerate() {
        assert!((v - (lo + step * (i + 1) as f64)).abs() < 1e-12 * hi);
    }
    assert!(f.levels(0).is_empty());
}

#[test]
fn log_levels_are_geometric_above_the_minimum() {
    let f = sample(&*surface("rosenbrock"), 128, 128, ColourScale::Log);
    let (lo, hi) = f.range().unwrap();
    let l = f.levels(8);
    assert_eq!(l.len(), 8);
    assert!(l.windows(2).all(|p| p[0] < p[1]));
    assert!(lo < l[0] && l[7] < hi);
    // 1 + level − min is a geometric sequence from 1 to 1 + max − min.
    let g: Vec<f64> = l.iter().map(|v| 1.0 + v - lo).collect();
    let ratio = (1.0 + hi - lo).powf(1.0 / 9.0);
    assert!((g[0] / ratio - 1.0).abs() < 1e-9);
    for p in g.windows(2) {
        assert!((p[1] / p[0] / ratio - 1.0).abs() < 1e-9, "{g:?}");
    }
    // Half the levels sit in the lowest 2% of the range, where the valley is.
    assert!(l[3] < lo + 0.02 * (hi - lo));
}

#[test]
fn quadratic_contours_are_closed_ellipses_on_the_level_set() {
    let q = surface("quadratic"); // ½(x² + 10y²) over [-4, 4] × [-3, 3]
    let (w, h) = (201, 151);
    let f = sample(&*q, w, h, ColourScale::Linear);
    let (dx, dy) = (8.0 / w as f64, 6.0 / h as f64);
    let levels = [0.2, 1.0, 3.0, 7.5];
    let contours = f.contours(&levels);
    assert_eq!(contours.len(), levels.len());
    for (c, &level) in contours.iter().zip(&levels) {
        assert_eq!(c.level, level);
        assert_eq!(c.lines.len(), 1, "one ellipse at {level}");
        let line = &c.lines[0];
        assert!(is_closed(line), "closed at {level}");
        // Linear interpolation along an edge of length d errs by at most f''·d²/8 (f_yy = 10).
        let tol = 10.0 * dy * dy / 8.0 + 1e-12;
        for p in line {
            assert!((q.value(*p) - level).abs() <= tol, "{p:?} at {level}");
        }
        // Consecutive points are in one cell: the segments were joined in order.
        for s in line.windows(2) {
            assert!((s[1][0] - s[0][0]).abs() <= dx + 1e-12);
            assert!((s[1][1] - s[0][1]).abs() <= dy + 1e-12);
            assert_ne!(s[0], s[1]);
        }
        // The whole ellipse: semi-axes √(2c) and √(2c/10).
        let xmax = line.iter().map(|p| p[0].abs()).fold(0.0, f64::max);
        let ymax = line.iter().map(|p| p[1].abs()).fold(0.0, f64::max);
        assert!((xmax - (2.0 * level).sqrt()).abs() < dx, "{level}: {xmax}");
        assert!((ymax - (0.2 * level).sqrt()).abs() < dy, "{level}: {ymax}");
    }
}

#[test]
fn contours_clipped_by_the_view_are_open_and_end_at_the_edge_samples() {
    let q = surface("quadratic");
    let f = sample(&*q, 80, 60, ColourScale::Linear);
    // √(2·12) ≈ 4.9 > 4: the ellipse leaves the view on the left and right.
    let c = &f.contours(&[12.0])[0];
    assert_eq!(c.lines.len(), 2);
    for line in &c.lines {
        assert!(!is_closed(line));
        for end in [line[0], line[line.len() - 1]] {
            assert!((end[0].abs() - (4.0 - 0.05)).abs() < 1e-12, "{end:?}");
        }
    }
}

#[test]
fn a_saddle_produces_open_lines() {
    let s = surface("saddle"); // x² − y² over [-2, 2]²
    let (w, h) = (100, 100);
    let f = sample(&*s, w, h, ColourScale::Linear);
    let d = 4.0 / w as f64;
    for level in [-1.0, -0.25, 0.0, 0.5, 2.0] {
        let c = &f.contours(&[level])[0];
        assert!(!c.lines.is_empty(), "{level}");
        for line in &c.lines {
            assert!(
                !is_closed(line),
                "{level}: a hyperbola branch does not close"
            );
            for p in line {
                assert!((s.value(*p) - level).abs() <= 2.0 * d * d / 8.0 + 1e-12);
            }
        }
        if level != 0.0 {
            assert_eq!(c.lines.len(), 2, "{level}: two branches");
        }
    }
}

#[test]
fn saddle_cells_are_resolved_by_the_centre_average() {
    // x·y on a 2 × 2 grid: tl = br = −¼, tr = bl = ¼, centre average 0.
    let f = Field::sample(
        &*custom("x*y"),
        [-1.0, 1.0, -1.0, 1.0],
        2,
        2,
        ColourScale::Linear,
    );
    let quadrants = |level: f64| -> Vec<[bool; 2]> {
        let c = &f.contours(&[level])[0];
        assert_eq!(c.lines.len(), 2, "{level}");
        let mut q: Vec<[bool; 2]> = c
            .lines
            .iter()
            .map(|line| {
                assert_eq!(line.len(), 2);
                let m = [
                    (line[0][0] + line[1][0]) / 2.0,
                    (line[0][1] + line[1][1]) / 2.0,
                ];
                [m[0] > 0.0, m[1] > 0.0]
            })
            .collect();
        q.sort();
        q
    };
    // Centre below 0.1: the high corners tr and bl are cut off separately.
    assert_eq!(quadrants(0.1), vec![[false, false], [true, true]]);
    // Centre above −0.1: the high corners join through it, so the low tl and br are cut off.
    assert_eq!(quadrants(-0.1), vec![[false, true], [true, false]]);
}

#[test]
fn levels_outside_the_range_produce_no_lines() {
    let f = sample(&*surface("himmelblau"), 64, 64, ColourScale::Log);
    let (lo, hi) = f.range().unwrap();
    for c in f.contours(&[lo - 1.0, hi + 1.0, hi * 10.0, f64::NAN]) {
        assert!(c.lines.is_empty(), "{}", c.level);
    }
    assert!(f.contours(&[]).is_empty());
}

#[test]
fn cells_with_an_undefined_corner_are_skipped() {
    let s = custom("ln(x)");
    let (w, h) = (40, 20);
    let f = Field::sample(&*s, [-1.0, 1.0, -1.0, 1.0], w, h, ColourScale::Linear);
    let dx = 2.0 / w as f64;
    for c in f.contours(&f.levels(5)) {
        // ln is vertical-level: each level is one vertical line x = e^c, open.
        assert_eq!(c.lines.len(), 1, "{}", c.level);
        for p in points(&c) {
            assert!(p[0] > 0.0 && p.iter().all(|v| v.is_finite()));
            // Interpolation of ln across one cell: |ln''|·dx²/8 at the left-most crossing.
            let tol = dx * dx / (8.0 * (p[0] - dx).powi(2));
            assert!((s.value(p) - c.level).abs() <= tol, "{p:?} at {}", c.level);
        }
    }
}

#[test]
fn every_segment_appears_once() {
    // Rastrigin has many small closed loops and open lines: joined polylines must together
    // use each cell crossing exactly as often as the cells produce them (each interior point
    // is shared by two segments, so no point repeats except a loop's closing point).
    let f = sample(&*surface("rastrigin"), 97, 83, ColourScale::Linear);
    for c in f.contours(&f.levels(6)) {
        let mut seen: Vec<[u64; 2]> = Vec::new();
        for line in &c.lines {
            let body = if is_closed(line) {
                &line[..line.len() - 1]
            } else {
                &line[..]
            };
            seen.extend(body.iter().map(|p| [p[0].to_bits(), p[1].to_bits()]));
        }
        let n = seen.len();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), n, "a crossing point repeats at {}", c.level);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn contour_points_lie_inside_the_view(
        k in 0..CATALOG.len() - 1,
        w in 2usize..40,
        h in 2usize..40,
        fracs in prop::collection::vec(0.0f64..1.0, 1..6),
        log in any::<bool>(),
    ) {
        let s = surface(CATALOG[k].id);
        let view = s.info().view;
        let scale = if log { ColourScale::Log } else { ColourScale::Linear };
        let f = Field::sample(&*s, view, w, h, scale);
        let (lo, hi) = f.range().unwrap();
        let levels: Vec<f64> = fracs.iter().map(|t| lo + t * (hi - lo)).collect();
        let [x0, x1, y0, y1] = view;
        for c in f.contours(&levels) {
            for line in &c.lines {
                prop_assert!(line.len() >= 2);
            }
            for p in points(&c) {
                prop_assert!(x0 <= p[0] && p[0] <= x1 && y0 <= p[1] && p[1] <= y1, "{:?}", p);
            }
        }
    }
}

/// Colour `i` is grey level `i`: a painted pixel reads back as its shade index.
fn greys() -> [[u8; 4]; 256] {
    std::array::from_fn(|i| [i as u8, i as u8, i as u8, 255])
}

const UNDEFINED: [u8; 4] = [250, 0, 250, 255];

fn pixel(rgba: &[u8], w: usize, row: usize, col: usize) -> [u8; 4] {
    rgba[(row * w + col) * 4..][..4].try_into().unwrap()
}

#[test]
fn painting_at_the_sampled_size_colours_each_sample_by_its_shade() {
    let f = sample(&*surface("rosenbrock"), 37, 23, ColourScale::Log);
    let rgba = f.paint(37, 23, &greys(), UNDEFINED);
    assert_eq!(rgba.len(), 37 * 23 * 4);
    for row in 0..23 {
        for col in 0..37 {
            let s = f.normalised(f.values()[row * 37 + col]).unwrap();
            let expected = (s * 255.0).round() as u8;
            let got = pixel(&rgba, 37, row, col)[0];
            assert!(
                got.abs_diff(expected) <= 1,
                "({row}, {col}): {got} vs {expected}"
            );
        }
    }
}

#[test]
fn painting_twice_as_fine_interpolates_a_linear_surface_exactly_inside() {
    // f = x over [0, 1]: the shade of a pixel is 255 × (its x − the first sample's x) / span.
    let (w, h) = (40, 10);
    let f = Field::sample(
        &*custom("x"),
        [0.0, 1.0, 0.0, 1.0],
        w,
        h,
        ColourScale::Linear,
    );
    let rgba = f.paint(2 * w, 2 * h, &greys(), UNDEFINED);
    let (first, last) = (0.5 / w as f64, 1.0 - 0.5 / w as f64);
    for col in 0..2 * w {
        let x = (col as f64 + 0.5) / (2 * w) as f64;
        let expected = (255.0 * ((x - first) / (last - first)).clamp(0.0, 1.0)).round();
        for row in 0..2 * h {
            let got = f64::from(pixel(&rgba, 2 * w, row, col)[0]);
            assert!(
                (got - expected).abs() <= 1.0,
                "col {col}: {got} vs {expected}"
            );
        }
    }
}

#[test]
fn pixels_next_to_an_undefined_sample_are_painted_undefined_and_the_rest_are_not() {
    // ln(x) is undefined for x < 0: the left half of the samples.
    let f = Field::sample(
        &*custom("ln(x)"),
        [-1.0, 1.0, -1.0, 1.0],
        20,
        10,
        ColourScale::Linear,
    );
    let rgba = f.paint(40, 20, &greys(), UNDEFINED);
    for row in 0..20 {
        for col in 0..40 {
            let p = pixel(&rgba, 40, row, col);
            // Pixel columns 0–20 touch a sample with x < 0 (the boundary pixel 20 blends
            // samples 9 and 10), columns 21–39 only finite ones.
            assert_eq!(p == UNDEFINED, col <= 20, "({row}, {col}): {p:?}");
        }
    }
    assert!(Field::sample(
        &*custom("x"),
        [0.0, 1.0, 0.0, 1.0],
        1,
        1,
        ColourScale::Linear
    )
    .paint(3, 2, &greys(), UNDEFINED)
    .chunks(4)
    .all(|p| p == [0, 0, 0, 255]));
}
