//! The page's drawing decisions, natively: true aspect, zoom and pan, snapping, the layer plan
//! that keeps unchanged paths from being re-stroked, polyline thinning, the theme's ink and
//! the loss chart's legend layout.

use gradscape::draw::chart::LegendLayout;
use gradscape::draw::layers::{Layers, Plan};
use gradscape::draw::theme::{self, Ink};
use gradscape::draw::thin::thin;
use gradscape::draw::viewport::{pan, snap, tidy, true_aspect, zoom, Frame};
use gradscape::engine::surface::{self, SurfaceSpec};

/// World units per pixel along x and along y.
fn scales(v: [f64; 4], w: f64, h: f64) -> (f64, f64) {
    ((v[1] - v[0]) / w, (v[3] - v[2]) / h)
}

#[test]
fn true_aspect_makes_both_axes_one_scale_and_keeps_the_wanted_region() {
    for (w, h) in [
        (1000.0, 600.0),
        (390.0, 700.0),
        (512.0, 512.0),
        (1.0, 900.0),
    ] {
        for id in surface::CATALOG
            .iter()
            .map(|k| k.id)
            .filter(|&id| id != "custom")
        {
            let spec = SurfaceSpec {
                id: id.into(),
                ..Default::default()
            };
            let wanted = surface::build(&spec).unwrap().info().view;
            let v = true_aspect(wanted, w, h);
            let (sx, sy) = scales(v, w, h);
            assert!(
                ((sx - sy) / sx).abs() < 1e-12,
                "{id} at {w}×{h}: {sx} vs {sy}"
            );
            // Only widened: the wanted region is still all in view, centred.
            assert!(
                v[0] <= wanted[0] && v[1] >= wanted[1] && v[2] <= wanted[2] && v[3] >= wanted[3]
            );
            let centre = |v: [f64; 4]| [(v[0] + v[1]) / 2.0, (v[2] + v[3]) / 2.0];
            let (a, b) = (centre(v), centre(wanted));
            assert!(
                (a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12,
                "{id} off centre"
            );
            // One axis keeps its exact bounds.
            assert!(
                (v[0] == wanted[0] && v[1] == wanted[1])
                    || (v[2] == wanted[2] && v[3] == wanted[3])
            );
        }
    }
}

#[test]
fn true_aspect_returns_degenerate_input_unchanged() {
    let v = [-1.0, 1.0, -1.0, 1.0];
    assert_eq!(true_aspect(v, 0.0, 100.0), v);
    assert_eq!(true_aspect(v, f64::NAN, 100.0), v);
    let flat = [1.0, 1.0, 0.0, 2.0];
    assert_eq!(true_aspect(flat, 100.0, 100.0), flat);
}

#[test]
fn zoom_keeps_the_anchor_and_the_aspect() {
    let v = [-2.0, 2.0, -1.0, 3.0];
    let anchor = [0.5, 1.5];
    let z = zoom(v, anchor, 0.5);
    assert_eq!(z, [-0.75, 1.25, 0.25, 2.25]);
    // The anchor sits at the same fraction of the view before and after.
    let frac = |v: [f64; 4]| {
        (
            (anchor[0] - v[0]) / (v[1] - v[0]),
            (anchor[1] - v[2]) / (v[3] - v[2]),
        )
    };
    assert_eq!(frac(v), frac(z));
    let (w0, h0) = (v[1] - v[0], v[3] - v[2]);
    let (w1, h1) = (z[1] - z[0], z[3] - z[2]);
    assert!((w0 / h0 - w1 / h1).abs() < 1e-12);
    // Zooming out again returns the view.
    assert_eq!(zoom(z, anchor, 2.0), v);
}

#[test]
fn zoom_refuses_to_collapse_or_explode_the_view() {
    let v = [-2.0, 2.0, -1.0, 3.0];
    assert_eq!(zoom(v, [0.0, 0.0], 1e-12), v);
    assert_eq!(zoom(v, [0.0, 0.0], 1e12), v);
    assert_eq!(zoom(v, [0.0, 0.0], 0.0), v);
    assert_eq!(zoom(v, [0.0, 0.0], -1.0), v);
    assert_eq!(zoom(v, [f64::NAN, 0.0], 0.5), v);
}

#[test]
fn pan_moves_both_bounds_and_rejects_non_finite_moves() {
    let v = [-2.0, 2.0, -1.0, 3.0];
    assert_eq!(pan(v, 1.0, -0.5), [-1.0, 3.0, -1.5, 2.5]);
    assert_eq!(pan(v, f64::INFINITY, 0.0), v);
}

#[test]
fn snap_rounds_to_a_thousandth_of_the_view_with_clean_decimals() {
    assert_eq!(
        snap([0.123456, -1.98765], [-2.0, 2.0, -1.0, 3.0]),
        [0.123, -1.988]
    );
    assert_eq!(
        snap([12.3456, 7.0], [-50.0, 50.0, -50.0, 50.0]),
        [12.3, 7.0]
    );
    // No float noise reaches the link: 0.1 + 0.2 snaps to 0.3 exactly.
    assert_eq!(snap([0.1 + 0.2, 0.0], [-1.0, 1.0, -1.0, 1.0]), [0.3, 0.0]);
    let p = [0.5, 0.25];
    assert_eq!(snap(p, [0.0, 0.0, 0.0, 0.0]), p);
    // Each axis on its own grid: a stretched view whose y spans a thousandth of its x.
    assert_eq!(
        snap([12.3456, 0.0123456], [-50.0, 50.0, 0.0, 0.1]),
        [12.3, 0.0123]
    );
}

#[test]
fn a_frame_measures_units_per_pixel_on_each_axis() {
    let f = Frame {
        left: 40.0,
        top: 8.0,
        width: 400.0,
        height: 200.0,
        view: [-2.0, 2.0, 0.0, 0.1],
    };
    assert_eq!(f.units_per_pixel(), [0.01, 0.0005]);
    // A pixel right and a pixel down move the world point by those amounts.
    let [a, b] = [
        f.to_world(140.0, 58.0).unwrap(),
        f.to_world(141.0, 59.0).unwrap(),
    ];
    assert!(((b[0] - a[0]) - 0.01).abs() < 1e-12 && ((a[1] - b[1]) - 0.0005).abs() < 1e-12);
}

#[test]
fn tidy_rounds_the_view_well_under_a_pixel() {
    let v = [
        -2.000_000_123_4,
        2.000_000_987,
        -1.333_333_333_3,
        3.666_666_666_6,
    ];
    let t = tidy(v);
    assert_eq!(t, [-2.0, 2.0, -1.3333, 3.6667]);
    for (a, b) in v.iter().zip(t) {
        // A 4000-pixel-wide view moves by less than a tenth of a pixel.
        assert!((a - b).abs() < 4.0 / 4000.0 / 10.0);
    }
}

/// A layer key: the path's name and the step it is drawn to.
type Key = (&'static str, usize);

#[test]
fn first_redraw_draws_everything_live() {
    let mut layers = Layers::<Key>::new();
    let all = [("adam", 300), ("sgd", 300)];
    assert_eq!(
        layers.plan(&all),
        Plan {
            kept: None,
            live: all.to_vec()
        }
    );
}

#[test]
fn a_changed_path_is_stroked_alone_and_the_rest_move_to_the_kept_layer_once() {
    let mut layers = Layers::<Key>::new();
    let ten: Vec<Key> = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
        .into_iter()
        .map(|n| (n, 2000))
        .collect();
    layers.plan(&ten);
    // An input on "g" makes a new run (its key changes): the nine others go to the kept layer.
    let mut now = ten.clone();
    now[6] = ("g2", 2000);
    let plan = layers.plan(&now);
    let nine: Vec<Key> = ten.iter().copied().filter(|k| k.0 != "g").collect();
    assert_eq!(plan.kept.as_deref(), Some(nine.as_slice()));
    assert_eq!(plan.live, vec![("g2", 2000)]);
    // Further inputs on the same card leave the kept layer alone.
    for k in ["g3", "g4", "g5"] {
        now[6] = (k, 2000);
        assert_eq!(
            layers.plan(&now),
            Plan {
                kept: None,
                live: vec![(k, 2000)]
            }
        );
    }
    // A redraw with nothing new (arrows toggled) leaves every path where it was.
    assert_eq!(
        layers.plan(&now),
        Plan {
            kept: None,
            live: vec![("g5", 2000)]
        }
    );
    // Moving on to another card re-strokes the kept layer once, then only that card.
    now[2] = ("c2", 2000);
    let plan = layers.plan(&now);
    assert!(plan.kept.is_some());
    assert_eq!(plan.live, vec![("c2", 2000)]);
    now[2] = ("c3", 2000);
    assert_eq!(layers.plan(&now).kept, None);
}

#[test]
fn a_playhead_move_puts_every_path_on_the_live_layer_and_empties_the_kept_one() {
    let mut layers = Layers::<Key>::new();
    layers.plan(&[("a", 10), ("b", 10)]);
    layers.plan(&[("a", 10), ("b2", 10)]);
    let plan = layers.plan(&[("a", 11), ("b2", 11)]);
    assert_eq!(plan.kept, Some(vec![]));
    assert_eq!(plan.live, vec![("a", 11), ("b2", 11)]);
    // Playing on: the kept layer stays empty and is not touched again.
    assert_eq!(layers.plan(&[("a", 12), ("b2", 12)]).kept, None);
}

#[test]
fn hiding_a_path_redraws_the_kept_layer_without_it() {
    let mut layers = Layers::<Key>::new();
    layers.plan(&[("a", 5), ("b", 5), ("c", 5)]);
    layers.plan(&[("a", 5), ("b", 5), ("c2", 5)]);
    let plan = layers.plan(&[("b", 5), ("c2", 5)]);
    assert_eq!(plan.kept, Some(vec![("b", 5)]));
    assert_eq!(plan.live, vec![("c2", 5)]);
    // Hiding the live one leaves the kept layer alone.
    let plan = layers.plan(&[("b", 5)]);
    assert_eq!(plan.kept, None);
    assert!(plan.live.is_empty());
}

#[test]
fn reset_forgets_what_was_drawn() {
    let mut layers = Layers::<Key>::new();
    layers.plan(&[("a", 5)]);
    layers.reset();
    assert_eq!(layers.plan(&[("a", 5)]).live, vec![("a", 5)]);
}

#[test]
fn thinning_keeps_ends_and_one_point_per_pixel() {
    let pts: Vec<(f64, f64)> = (0..1000).map(|i| (f64::from(i) * 0.01, 0.0)).collect();
    let kept = thin(pts.iter().copied(), 1.0);
    assert_eq!(kept.first(), Some(&(0.0, 0.0)));
    assert_eq!(kept.last(), pts.last());
    assert!(kept.len() <= 12, "{} points kept for 10 pixels", kept.len());
    for w in kept.windows(2).take(kept.len() - 2) {
        assert!((w[1].0 - w[0].0).abs() + (w[1].1 - w[0].1).abs() >= 1.0);
    }
    // A path that moves at least a pixel per step keeps every point.
    let wide: Vec<(f64, f64)> = (0..50)
        .map(|i| (f64::from(i) * 3.0, f64::from(i)))
        .collect();
    assert_eq!(thin(wide.iter().copied(), 1.0), wide);
    assert!(thin(std::iter::empty(), 1.0).is_empty());
    assert_eq!(thin([(1.0, 1.0)].into_iter(), 1.0), vec![(1.0, 1.0)]);
}

#[test]
fn ink_reads_css_hex_and_falls_back_per_property() {
    assert_eq!(theme::hex(" #181b25"), Some([0x18, 0x1b, 0x25]));
    // A minifier writes #ffffff as #fff.
    assert_eq!(theme::hex("#fff"), Some([0xff, 0xff, 0xff]));
    assert_eq!(theme::hex("#1a3"), Some([0x11, 0xaa, 0x33]));
    assert_eq!(theme::hex("#ffff"), None);
    assert_eq!(theme::hex("rgb(1,2,3)"), None);
    assert_eq!(theme::hex("#gg0000"), None);
    let ink = Ink::read(|name| (name == "--panel").then(|| "#181b25".to_string()));
    assert_eq!(ink.background, [0x18, 0x1b, 0x25]);
    assert_eq!(ink.text, Ink::FALLBACK.text);
    assert_eq!(theme::css([1, 2, 3], 1.0), "rgb(1,2,3)");
    assert_eq!(theme::css([1, 2, 3], 0.5), "rgba(1,2,3,0.5)");
}

/// The stylesheet defines every property the canvases read, in both themes and both projector
/// themes, as `#rrggbb`.
#[test]
fn the_stylesheet_defines_the_canvas_ink_for_both_themes() {
    let css =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/main.css")).unwrap();
    for block in [
        ":root {",
        "body.dark {",
        "html.projector body:not(.dark) {",
        "html.projector body.dark {",
    ] {
        let start = css.find(block).unwrap_or_else(|| panic!("{block} missing"));
        let body = &css[start..start + css[start..].find('}').unwrap()];
        for name in theme::PROPERTIES {
            let line = body
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{name}:")))
                .unwrap_or_else(|| panic!("{name} missing in {block}"));
            let value = line.split(':').nth(1).unwrap().trim().trim_end_matches(';');
            assert!(
                theme::hex(value).is_some(),
                "{name} in {block} is not #rrggbb: {value}"
            );
        }
    }
}

mod chart {
    use gradscape::draw::chart::{
        decade_label, linear_label, span_label, step_label, y_axis, ChartFrame,
    };

    #[test]
    fn the_y_axis_is_log_in_whole_decades_when_every_loss_is_positive() {
        let a = [24.2, 3.0, 0.004];
        let b = [5.0, 0.5];
        assert_eq!(
            y_axis(&[(&a, false), (&b, false)]),
            Some(((1e-3, 100.0), true))
        );
        // One decade at least, even for a flat run.
        assert_eq!(
            y_axis(&[(&[2.0, 2.0][..], false)]),
            Some(((1.0, 10.0), true))
        );
    }

    #[test]
    fn a_diverged_run_does_not_stretch_the_axis_but_counts_when_alone() {
        let fine = [10.0, 1.0];
        let blown = [10.0, 1e13, f64::INFINITY];
        assert_eq!(
            y_axis(&[(&fine, false), (&blown, true)]),
            Some(((1.0, 10.0), true))
        );
        assert_eq!(y_axis(&[(&blown, true)]), Some(((10.0, 1e13), true)));
    }

    #[test]
    fn the_y_axis_is_linear_and_padded_when_losses_go_negative_and_none_without_losses() {
        let camel = [2.0, -1.0316];
        let ((lo, hi), log) = y_axis(&[(&camel, false)]).unwrap();
        assert!(!log);
        let pad = 0.05 * (2.0 + 1.0316);
        assert!((lo - (-1.0316 - pad)).abs() < 1e-12 && (hi - (2.0 + pad)).abs() < 1e-12);
        assert_eq!(y_axis(&[(&[f64::NAN][..], false)]), None);
        assert_eq!(y_axis(&[]), None);
        // Near the edge of f64 the bounds stay finite.
        let ((lo, hi), _) = y_axis(&[(&[-1e308, 1e308][..], false)]).unwrap();
        assert!(lo.is_finite() && hi.is_finite() && lo < hi);
        let ((lo, hi), _) = y_axis(&[(&[1e-320, 1e308][..], false)]).unwrap();
        assert!(lo > 0.0 && hi.is_finite() && lo < hi);
    }

    #[test]
    fn tick_labels_are_short_and_free_of_float_noise() {
        assert_eq!(decade_label(&2.0), "100");
        assert_eq!(decade_label(&-3.0), "0.001");
        assert_eq!(decade_label(&-5.0), "1e-5");
        assert_eq!(decade_label(&6.0), "1e6");
        assert_eq!(decade_label(&0.5), "");
        assert_eq!(step_label(&250.0), "250");
        assert_eq!(step_label(&12.5), "");
        assert_eq!(linear_label(&(0.1 + 0.2)), "0.3");
        assert_eq!(linear_label(&-0.00001), "-1.0e-5");
        assert_eq!(linear_label(&-0.0), "0");
        assert_eq!(linear_label(&123456.0), "1.2e5");
        assert_eq!(span_label(-2.2e-16, 1.6), "0");
        assert_eq!(span_label(0.2, 1.6), "0.2");
        assert_eq!(span_label(-1e-12, 1e-6), "-1.0e-12");
    }

    #[test]
    fn the_frame_maps_steps_and_losses_to_pixels_and_back() {
        let f = ChartFrame {
            left: 50.0,
            top: 10.0,
            width: 300.0,
            height: 100.0,
            steps: 300,
            y_range: (1e-2, 1e2),
            log: true,
        };
        assert_eq!(f.step_at_pixel(50.0), Some(0));
        assert_eq!(f.step_at_pixel(200.0), Some(150));
        assert_eq!(f.step_at_pixel(350.0), Some(300));
        assert_eq!(f.step_at_pixel(49.0), None);
        assert_eq!(f.step_at_pixel(351.0), None);
        let (x, y) = f.pixel_of(150, 1.0).unwrap();
        assert!((x - 200.0).abs() < 1e-12 && (y - 60.0).abs() < 1e-9);
        // Clamped to the plot; unshowable losses give no pixel.
        assert_eq!(f.pixel_of(0, 1e9).map(|p| p.1), Some(10.0));
        assert_eq!(f.pixel_of(0, 0.0), None);
        assert_eq!(f.pixel_of(0, f64::NAN), None);
        let linear = ChartFrame {
            log: false,
            y_range: (-1.0, 1.0),
            ..f
        };
        assert_eq!(linear.pixel_of(0, 0.0).map(|p| p.1), Some(60.0));
        assert!(linear.pixel_of(0, -0.5).is_some());
    }
}

#[test]
fn the_frame_maps_world_points_to_pixels_and_back_inside_the_plot_only() {
    use gradscape::draw::viewport::Frame;
    let f = Frame {
        left: 60.0,
        top: 8.0,
        width: 800.0,
        height: 400.0,
        view: [-4.0, 4.0, -1.0, 3.0],
    };
    assert_eq!(f.to_pixel([-4.0, 3.0]), (60.0, 8.0));
    assert_eq!(f.to_pixel([4.0, -1.0]), (860.0, 408.0));
    assert_eq!(f.to_world(460.0, 208.0), Some([0.0, 1.0]));
    assert_eq!(f.to_world(59.0, 208.0), None);
    assert_eq!(f.to_world(460.0, 409.0), None);
    let p = [1.25, -0.5];
    let (px, py) = f.to_pixel(p);
    let back = f.to_world(px, py).unwrap();
    assert!((back[0] - p[0]).abs() < 1e-12 && (back[1] - p[1]).abs() < 1e-12);
}

mod fit {
    use gradscape::draw::fit::{data_view, nearest};
    use gradscape::engine::task::data::{DataPoint, Group};

    fn p(x: f64, y: f64) -> DataPoint {
        DataPoint {
            x,
            y,
            group: Group::Train,
        }
    }

    #[test]
    fn the_view_holds_every_point_with_room_and_never_collapses() {
        let pts = [p(0.2, 1.0), p(0.9, 3.5)];
        let [x0, x1, y0, y1] = data_view(&pts, true);
        assert!(
            x0 < 0.0 && x1 > 1.0,
            "regressions show x from 0 to 1 at least"
        );
        assert!(y0 < 1.0 && y1 > 3.5);
        assert_eq!(data_view(&[], true), [-0.25, 1.25, 0.0, 1.0]);
        let one = data_view(&[p(2.0, 2.0)], false);
        assert!(one[0] < 2.0 && one[1] > 2.0 && one[2] < 2.0 && one[3] > 2.0);
        assert_eq!(data_view(&[p(f64::NAN, 1.0)], false), [0.0, 1.0, 0.0, 1.0]);
    }

    #[test]
    fn a_click_grabs_the_nearest_point_within_reach_only() {
        let pts = [p(0.0, 0.0), p(1.0, 0.0), p(1.05, 0.0)];
        assert_eq!(nearest(&pts, [1.04, 0.0], [0.1, 0.1]), Some(2));
        assert_eq!(nearest(&pts, [0.5, 0.0], [0.1, 0.1]), None);
        // Reach is per axis: a tall narrow radius.
        assert_eq!(nearest(&pts, [0.0, 0.9], [0.1, 1.0]), Some(0));
    }
}

#[test]
fn the_legend_keeps_its_scale_where_it_fits() {
    let l = LegendLayout::fit(10, 100.0, 700.0, 300.0, 1.0);
    assert_eq!((l.scale, l.columns, l.rows), (1.0, 1, 10));
    assert!(l.height <= 300.0 && l.width <= 700.0, "{l:?}");
    // A shorter plot flows the entries into columns before shrinking them.
    let l = LegendLayout::fit(10, 100.0, 700.0, 100.0, 1.0);
    assert_eq!(l.scale, 1.0);
    assert!(l.columns > 1 && l.rows * l.columns >= 10, "{l:?}");
    assert!(l.height <= 100.0 && l.width <= 700.0, "{l:?}");
}

#[test]
fn the_legend_shrinks_instead_of_spilling_over_the_axes() {
    // Projector mode (1.75) on a short chart, four long Chinese labels: the case that overlapped.
    let l = LegendLayout::fit(4, 190.0, 740.0, 80.0, 1.75);
    assert!(l.scale < 1.75 && l.scale >= 0.875, "{l:?}");
    assert!(l.width <= 740.0 - l.pad && l.height <= 80.0, "{l:?}");
    assert!(l.rows * l.columns >= 4);
    // Nothing fits: half scale, at least one column, every entry placed.
    let l = LegendLayout::fit(16, 300.0, 200.0, 50.0, 1.0);
    assert_eq!(l.scale, 0.5);
    assert!(l.columns >= 1 && l.rows * l.columns >= 16, "{l:?}");
    let none = LegendLayout::fit(0, 0.0, 200.0, 50.0, 1.0);
    assert_eq!(none.rows, 0);
}

mod region {
    use gradscape::draw::region::{Region, SNAP};

    #[test]
    fn covers_the_points_and_margin_on_the_grid() {
        let r = Region::covering([(100.0, 70.0), (130.0, 200.0)], 10.0, (905.0, 398.0)).unwrap();
        assert_eq!(
            r,
            Region {
                left: 64.0,
                top: 0.0,
                width: 128.0,
                height: 256.0
            }
        );
        for v in [r.left, r.top, r.width, r.height] {
            assert_eq!(v % SNAP, 0.0);
        }
    }

    #[test]
    fn is_cut_to_the_box() {
        let r = Region::covering([(-500.0, -20.0), (2000.0, 390.0)], 10.0, (905.0, 398.0));
        assert_eq!(
            r,
            Some(Region {
                left: 0.0,
                top: 0.0,
                width: 905.0,
                height: 398.0
            })
        );
    }

    #[test]
    fn skips_what_cannot_be_drawn() {
        let none = Region::covering(
            [(f64::NAN, 1.0), (f64::INFINITY, 2.0)],
            10.0,
            (905.0, 398.0),
        );
        assert_eq!(none, None);
        assert_eq!(Region::covering([], 10.0, (905.0, 398.0)), None);
        // A diverged path far outside the box, with nothing inside it.
        assert_eq!(Region::covering([(5e3, 5e3)], 10.0, (905.0, 398.0)), None);
        let one = Region::covering([(f64::NAN, 1.0), (300.0, 300.0)], 0.0, (905.0, 398.0));
        assert_eq!(one.map(|r| (r.left, r.top)), Some((256.0, 256.0)));
    }
}

#[test]
fn a_held_axis_only_widens_and_a_new_scale_kind_replaces_it() {
    use gradscape::draw::chart::hold;
    let shown = ((1e-6, 1e2), true);
    assert_eq!(hold(shown, ((1e-3, 1e2), true)), shown);
    assert_eq!(hold(shown, ((1e-9, 1e1), true)), ((1e-9, 1e2), true));
    assert_eq!(hold(shown, ((1e-8, 1e4), true)), ((1e-8, 1e4), true));
    // A run going negative switches to a linear axis: no union of log and linear bounds.
    assert_eq!(hold(shown, ((-2.0, 5.0), false)), ((-2.0, 5.0), false));
}
