#![cfg(not(target_arch = "wasm32"))]
//! The 3-D view's camera and mesh: the centre stays put, full turns are the identity, the box
//! always fits on screen, quads come back to front with shades in [0, 1], holes stay holes.

use std::f64::consts::{PI, TAU};

use gradscape::engine::field::{ColourScale, Field};
use gradscape::engine::projection::{mesh, to_unit, Camera, MAX_PITCH, MIN_PITCH};
use gradscape::engine::surface::{build, Surface, SurfaceSpec};
use proptest::prelude::*;

fn custom(expr: &str) -> Box<dyn Surface> {
    build(&SurfaceSpec {
        id: "custom".into(),
        expr: Some(expr.into()),
        ..Default::default()
    })
    .unwrap()
}

fn field(expr: &str, w: usize, h: usize) -> Field {
    Field::sample(
        &*custom(expr),
        [-2.0, 2.0, -1.0, 3.0],
        w,
        h,
        ColourScale::Linear,
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn centre_projects_to_centre() {
    for yaw in [-3.0, -0.6, 0.0, 1.0, 2.5] {
        for pitch in [MIN_PITCH, 0.6, 1.2, MAX_PITCH] {
            let s = Camera { yaw, pitch }.project([0.0, 0.0, 0.5]);
            assert!(close(s.u, 0.0) && close(s.v, 0.0) && close(s.depth, 0.0));
        }
    }
}

#[test]
fn front_view_axes() {
    // yaw 0: x goes right, +y goes away, z goes up.
    let c = Camera {
        yaw: 0.0,
        pitch: 0.5,
    };
    let o = c.project([0.0, 0.0, 0.5]);
    assert!(c.project([1.0, 0.0, 0.5]).u > o.u);
    assert!(c.project([0.0, 1.0, 0.5]).depth > o.depth);
    assert!(c.project([0.0, 1.0, 0.5]).v > o.v);
    assert!(c.project([0.0, 0.0, 1.0]).v > o.v);
    assert!(c.project([0.0, 0.0, 1.0]).depth < o.depth);
}

#[test]
fn pitch_is_clamped_and_bad_angles_fall_back() {
    let low = Camera {
        yaw: 0.0,
        pitch: -5.0,
    };
    let min = Camera {
        yaw: 0.0,
        pitch: MIN_PITCH,
    };
    assert_eq!(low.project([0.3, 0.7, 0.9]), min.project([0.3, 0.7, 0.9]));
    assert_eq!(low.sane().pitch, MIN_PITCH);
    assert_eq!(low.orbit(0.0, 10.0).pitch, MAX_PITCH);
    let nan = Camera {
        yaw: f64::NAN,
        pitch: f64::INFINITY,
    };
    assert_eq!(nan.sane(), Camera::default().sane());
    let s = nan.project([1.0, -1.0, 0.0]);
    assert!(s.u.is_finite() && s.v.is_finite() && s.depth.is_finite());
}

proptest! {
    #[test]
    fn full_turn_is_identity(
        yaw in -10.0..10.0f64,
        pitch in -1.0..2.0f64,
        x in -1.0..1.0f64,
        y in -1.0..1.0f64,
        z in 0.0..1.0f64,
    ) {
        let a = Camera { yaw, pitch }.project([x, y, z]);
        let b = Camera { yaw: yaw + TAU, pitch }.project([x, y, z]);
        prop_assert!(close(a.u, b.u) && close(a.v, b.v) && close(a.depth, b.depth));
        let wrapped = Camera { yaw, pitch }.sane().yaw;
        prop_assert!((-PI..PI).contains(&wrapped));
    }

    #[test]
    fn box_fits_on_screen(
        yaw in -4.0..4.0f64,
        pitch in -1.0..2.0f64,
        x in -1.0..=1.0f64,
        y in -1.0..=1.0f64,
        z in 0.0..=1.0f64,
    ) {
        let s = Camera { yaw, pitch }.project([x, y, z]);
        prop_assert!(s.u.abs() <= 1.0 && s.v.abs() <= 1.0 && s.depth.abs() <= 1.0);
    }

    #[test]
    fn shading_in_unit_interval(yaw in -4.0..4.0f64, pitch in -1.0..2.0f64) {
        let f = field("sin(3*x)*cos(2*y) + x^2", 40, 30);
        for q in mesh(&f, 3, Camera { yaw, pitch }) {
            prop_assert!((0.0..=1.0).contains(&q.shade));
            prop_assert!((0.0..=1.0).contains(&q.height));
        }
    }
}

#[test]
fn mesh_covers_grid_with_last_row_and_column() {
    let f = field("x + y", 50, 40);
    // Stops 0, 4, …, 48, 49 → 13 intervals across; 0, 4, …, 36, 39 → 10 down.
    let quads = mesh(&f, 4, Camera::default());
    assert_eq!(quads.len(), 13 * 10);
    // step 1 is the full grid; step 0 is treated as 1.
    assert_eq!(mesh(&f, 1, Camera::default()).len(), 49 * 39);
    assert_eq!(mesh(&f, 0, Camera::default()).len(), 49 * 39);
}

#[test]
fn back_to_front_for_front_camera() {
    // A flat field seen from the front: rows further up the view (larger y) are farther away
    // and must come first.
    let f = field("0*x + 1", 30, 30);
    let cam = Camera {
        yaw: 0.0,
        pitch: 0.7,
    };
    let quads = mesh(&f, 3, cam);
    assert!(!quads.is_empty());
    assert!(quads.windows(2).all(|w| w[0].depth >= w[1].depth));
    // The first quad is on the far (top) row: its corners are the highest on screen.
    let top = |q: &gradscape::engine::projection::Quad| {
        q.corners.iter().map(|c| c[1]).fold(f64::MIN, f64::max)
    };
    let highest = quads.iter().map(top).fold(f64::MIN, f64::max);
    assert!(close(top(&quads[0]), highest));
    let lowest = quads.iter().map(top).fold(f64::MAX, f64::min);
    assert!(close(top(quads.last().unwrap()), lowest));
}

#[test]
fn depth_order_for_a_tilted_plane() {
    // Depth sorting also holds for relief: a plane rising towards +y, seen from the front.
    let f = field("y", 20, 20);
    let quads = mesh(
        &f,
        2,
        Camera {
            yaw: 0.3,
            pitch: 0.4,
        },
    );
    assert!(quads.windows(2).all(|w| w[0].depth >= w[1].depth));
    // Facing the viewer and the light from above, the slope is lit more than the ambient.
    assert!(quads.iter().all(|q| q.shade > 0.35));
}

#[test]
fn holes_are_left_out() {
    // ln(x) is undefined for x ≤ 0: the left half of [-2, 2] makes no quads.
    let f = field("ln(x)", 20, 10);
    let quads = mesh(&f, 1, Camera::default());
    assert!(!quads.is_empty());
    assert!(quads.len() <= 9 * 9);
    for q in &quads {
        assert!(q.corners.iter().flatten().all(|c| c.is_finite()));
    }
}

#[test]
fn empty_and_constant_fields() {
    let f = field("0*x + 2", 8, 8);
    let quads = mesh(&f, 1, Camera::default());
    assert_eq!(quads.len(), 49);
    assert!(quads.iter().all(|q| q.height == 0.0));
    let one = field("x", 1, 1);
    assert!(mesh(&one, 4, Camera::default()).is_empty());
}

#[test]
fn unit_coordinates() {
    let view = [-2.0, 2.0, -1.0, 3.0];
    assert_eq!(to_unit(view, [0.0, 1.0]), Some([0.0, 0.0]));
    assert_eq!(to_unit(view, [-2.0, 3.0]), Some([-1.0, 1.0]));
    assert_eq!(to_unit(view, [2.5, 0.0]), None);
    assert_eq!(to_unit(view, [f64::NAN, 0.0]), None);
}
