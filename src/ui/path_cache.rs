//! Canvas outlines of trajectories kept from one redraw to the next. An lr input recomputes one
//! optimizer, so the other paths reuse their `Path2d` instead of crossing into JS once per point
//! again: per redraw, those calls were most of the drawing's cost.

use std::sync::Arc;

use web_sys::Path2d;

use crate::engine::run::Trajectory;

/// Outlines drawn last time, each with the trajectory it traces and what else it depends on
/// (`K`: the frame, the last step drawn, the pixel ratio). Holding the `Arc` keeps the
/// trajectory alive, so a pointer match can never be a new run at a reused address.
pub struct PathCache<K> {
    kept: Vec<(Arc<Trajectory>, K, Path2d)>,
}

impl<K: PartialEq> PathCache<K> {
    pub const fn new() -> Self {
        PathCache { kept: Vec::new() }
    }

    /// One outline per `(trajectory, key)`, in order: the kept one when both match, otherwise
    /// what `build` makes (`None` when it cannot). Only this redraw's outlines are kept.
    pub fn outlines(
        &mut self,
        wanted: impl IntoIterator<Item = (Arc<Trajectory>, K)>,
        build: impl Fn(&Trajectory, &K) -> Option<Path2d>,
    ) -> Vec<Option<Path2d>> {
        let mut old = std::mem::take(&mut self.kept);
        wanted
            .into_iter()
            .map(|(trajectory, key)| {
                let hit = old
                    .iter()
                    .position(|(t, k, _)| Arc::ptr_eq(t, &trajectory) && *k == key);
                let path = match hit {
                    Some(i) => Some(old.swap_remove(i).2),
                    None => build(&trajectory, &key),
                };
                if let Some(p) = &path {
                    self.kept.push((trajectory, key, p.clone()));
                }
                path
            })
            .collect()
    }
}
