//! The 3-D surface view's geometry: an orthographic orbit camera and a coarse shaded mesh of a
//! [`Field`], sorted back to front so the canvas can paint it with the painter's algorithm.
//!
//! It lives in the engine (not the UI) so the maths is tested natively; the UI only maps
//! screen coordinates to pixels and fills polygons.
//!
//! World coordinates: x and y are the view normalised to [-1, 1] (y up the view, as on the
//! heat-map), z is the field's colour-scale position in [0, 1] (so a log-scaled field is
//! log-scaled in height too). Screen coordinates (u right, v up) of anything inside that box lie
//! in [-1, 1] for every camera; depth grows away from the viewer.

use super::field::{sort_indices, Field};

/// Height of the world box relative to its width of 2: tall enough to show relief, short
/// enough that a steep wall does not hide the whole surface.
const Z_SCALE: f64 = 1.0;

/// Radius of the world box's bounding sphere: dividing by it keeps every projection of the box
/// inside [-1, 1] whatever the camera, so the caller can size the canvas once.
const FIT: f64 = 1.5; // sqrt(1 + 1 + (Z_SCALE / 2)^2)

/// Pitch limits: above the horizon so the surface never flips, short of straight down so the
/// relief never vanishes completely.
pub const MIN_PITCH: f64 = 0.1;
pub const MAX_PITCH: f64 = 1.5;

/// Light from the upper left, slightly in front of the viewer, in screen space (u, v, depth),
/// unit length. Fixed to the viewer so the side facing the user is always lit.
const LIGHT: [f64; 3] = [-0.4 / LIGHT_NORM, 0.7 / LIGHT_NORM, -0.6 / LIGHT_NORM];
const LIGHT_NORM: f64 = 1.004_987_562_112_089; // sqrt(0.16 + 0.49 + 0.36)

/// Shade of a face turned away from the light: without it steep walls would be black.
const AMBIENT: f64 = 0.35;

/// An orbit camera looking at the centre of the world box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Rotation about the vertical axis, radians; 0 looks along +y, as the heat-map is seen.
    pub yaw: f64,
    /// Elevation above the horizontal plane, radians; clamped to [`MIN_PITCH`, `MAX_PITCH`]
    /// wherever it is used.
    pub pitch: f64,
}

impl Default for Camera {
    /// A three-quarter view from the front left, which shows most surfaces' relief well.
    fn default() -> Self {
        Camera {
            yaw: -0.6,
            pitch: 0.6,
        }
    }
}

/// A point on screen: `u` right and `v` up, both in [-1, 1] for points of the world box, and
/// `depth` growing away from the viewer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Screen {
    pub u: f64,
    pub v: f64,
    pub depth: f64,
}

/// One mesh cell ready to paint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quad {
    /// Screen (u, v) of the corners, in order around the cell.
    pub corners: [[f64; 2]; 4],
    /// Mean normalised height of the corners in [0, 1]: the colour-scale position.
    pub height: f64,
    /// Brightness factor in [0, 1] (Lambert plus ambient) to multiply the colour by.
    pub shade: f64,
    /// Depth of the cell's footprint (its centre at mid height); quads are sorted by it,
    /// largest (farthest) first. For a height field seen from above, painting footprints far to
    /// near is exact, whereas sorting by mean corner depth lets a tall cell in front be painted
    /// before a low cell behind it.
    pub depth: f64,
}

/// Sines and cosines of a camera, computed once per mesh rather than once per point.
struct Basis {
    sy: f64,
    cy: f64,
    sp: f64,
    cp: f64,
}

impl Camera {
    /// The camera with a finite yaw wrapped to [-π, π) and pitch clamped to its limits;
    /// non-finite angles fall back to the default view.
    pub fn sane(self) -> Camera {
        let d = Camera::default();
        let yaw = if self.yaw.is_finite() {
            self.yaw
        } else {
            d.yaw
        };
        let pitch = if self.pitch.is_finite() {
            self.pitch
        } else {
            d.pitch
        };
        Camera {
            yaw: (yaw + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU)
                - std::f64::consts::PI,
            pitch: pitch.clamp(MIN_PITCH, MAX_PITCH),
        }
    }

    /// The camera turned by `d_yaw` and tilted by `d_pitch` radians (drag to rotate).
    pub fn orbit(self, d_yaw: f64, d_pitch: f64) -> Camera {
        Camera {
            yaw: self.yaw + d_yaw,
            pitch: self.pitch + d_pitch,
        }
        .sane()
    }

    /// Screen position of world point `[x, y, z]` (x, y in [-1, 1], z normalised to [0, 1]).
    pub fn project(self, p: [f64; 3]) -> Screen {
        self.basis().project(p)
    }

    fn basis(self) -> Basis {
        let c = self.sane();
        let (sy, cy) = c.yaw.sin_cos();
        let (sp, cp) = c.pitch.sin_cos();
        Basis { sy, cy, sp, cp }
    }
}

impl Basis {
    /// Rotates a world-space vector (z already scaled and centred) into screen space
    /// (u, v, depth). The map is orthonormal, so it serves points and normals alike.
    fn rotate(&self, [x, y, z]: [f64; 3]) -> [f64; 3] {
        let x1 = x * self.cy - y * self.sy;
        let y1 = x * self.sy + y * self.cy;
        [x1, y1 * self.sp + z * self.cp, y1 * self.cp - z * self.sp]
    }

    fn world(p: [f64; 3]) -> [f64; 3] {
        [p[0], p[1], (p[2] - 0.5) * Z_SCALE]
    }

    fn project(&self, p: [f64; 3]) -> Screen {
        let [u, v, depth] = self.rotate(Basis::world(p));
        Screen {
            u: u / FIT,
            v: v / FIT,
            depth: depth / FIT,
        }
    }

    /// Depth of the centre of the footprint of the cell with world corners `c`, at mid height.
    fn footprint_depth(&self, c: [[f64; 3]; 4]) -> f64 {
        let x = c.iter().map(|p| p[0]).sum::<f64>() / 4.0;
        let y = c.iter().map(|p| p[1]).sum::<f64>() / 4.0;
        self.project([x, y, 0.5]).depth
    }

    /// Lambert shade of the face through world points `c` (in order around it), lit from
    /// [`LIGHT`]; two-sided, so a face seen from behind is shaded by its visible side.
    fn shade(&self, c: [[f64; 3]; 4]) -> f64 {
        let [a, b, d, e] = c.map(Basis::world);
        // Normal from the diagonals: robust for non-planar quads.
        let p = [d[0] - a[0], d[1] - a[1], d[2] - a[2]];
        let q = [e[0] - b[0], e[1] - b[1], e[2] - b[2]];
        let n = [
            p[1] * q[2] - p[2] * q[1],
            p[2] * q[0] - p[0] * q[2],
            p[0] * q[1] - p[1] * q[0],
        ];
        let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
        if len <= 0.0 || !len.is_finite() {
            return 1.0;
        }
        let mut s = self.rotate(n.map(|c| c / len));
        if s[2] > 0.0 {
            // Facing away from the viewer: light the side the viewer sees.
            s = s.map(|c| -c);
        }
        let lambert = (s[0] * LIGHT[0] + s[1] * LIGHT[1] + s[2] * LIGHT[2]).max(0.0);
        (AMBIENT + (1.0 - AMBIENT) * lambert).clamp(0.0, 1.0)
    }
}

/// Where `p` falls in `view = [x0, x1, y0, y1]` normalised to [-1, 1]², or `None` outside the
/// view (or non-finite), so paths can break there instead of smearing along the edge.
pub fn to_unit(view: [f64; 4], p: [f64; 2]) -> Option<[f64; 2]> {
    let [x0, x1, y0, y1] = view;
    let u = [
        -1.0 + 2.0 * (p[0] - x0) / (x1 - x0),
        -1.0 + 2.0 * (p[1] - y0) / (y1 - y0),
    ];
    u.iter().all(|c| (-1.0..=1.0).contains(c)).then_some(u)
}

/// Sample indices every `step` along `0..n`, always ending at `n - 1` so the mesh spans the
/// whole view.
fn stops(n: usize, step: usize) -> Vec<usize> {
    let mut s: Vec<usize> = (0..n).step_by(step.max(1)).collect();
    if n > 0 && s.last() != Some(&(n - 1)) {
        s.push(n - 1);
    }
    s
}

/// The field as quads over every `step`-th sample (plus the last row and column), projected by
/// `camera` and sorted back to front. Cells with an undefined corner are left out (a hole).
/// Heights are [`Field::normalised`], so log-scaled fields are log-scaled in height too.
pub fn mesh(field: &Field, step: usize, camera: Camera) -> Vec<Quad> {
    let (w, h) = (field.width(), field.height());
    let values = field.values();
    let basis = camera.basis();
    let cols = stops(w, step);
    let rows = stops(h, step);
    // World point and screen position of every grid stop, row by row.
    let grid: Vec<Option<([f64; 3], Screen)>> = rows
        .iter()
        .flat_map(|&r| cols.iter().map(move |&c| (r, c)))
        .map(|(r, c)| {
            let z = field.normalised(*values.get(r * w + c)?)?;
            let p = [
                -1.0 + 2.0 * (c as f64 + 0.5) / w as f64,
                1.0 - 2.0 * (r as f64 + 0.5) / h as f64,
                z,
            ];
            Some((p, basis.project(p)))
        })
        .collect();
    let n = cols.len();
    let mut quads = Vec::with_capacity(grid.len());
    for r in 0..rows.len().saturating_sub(1) {
        for c in 0..n.saturating_sub(1) {
            // Clockwise from the top-left on the heat-map.
            let ids = [
                r * n + c,
                r * n + c + 1,
                (r + 1) * n + c + 1,
                (r + 1) * n + c,
            ];
            let [Some(p0), Some(p1), Some(p2), Some(p3)] = ids.map(|i| grid[i]) else {
                continue;
            };
            let world = [p0.0, p1.0, p2.0, p3.0];
            let screen = [p0.1, p1.1, p2.1, p3.1];
            quads.push(Quad {
                corners: screen.map(|s| [s.u, s.v]),
                height: world.iter().map(|p| p[2]).sum::<f64>() / 4.0,
                shade: basis.shade(world),
                depth: basis.footprint_depth(world),
            });
        }
    }
    // Farthest first, through the engine's one sort instance (see `sort_indices`).
    let mut order: Vec<usize> = (0..quads.len()).collect();
    sort_indices(&mut order, &|a, b| {
        quads[b].depth.total_cmp(&quads[a].depth)
    });
    order.into_iter().map(|i| quads[i]).collect()
}
