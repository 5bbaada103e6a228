//! Which strokes go on which canvas. Stroking a long dashed path is the expensive part of a
//! redraw in a software-rastered canvas, and a slider input changes one optimizer's path while
//! the other nine stay as they were. So every drawn set of paths lives on two canvases: a *kept*
//! layer holding the paths that did not change, redrawn only when that set changes, and a *live*
//! layer on top holding the ones that just changed. Dragging one card's slider re-strokes one
//! path; moving on to another card re-strokes the kept layer once.

/// What the previous redraw put on each layer. `K` identifies one drawn path completely (the
/// run it traces, how much of it, the frame it is drawn in): equal keys draw equal pixels.
#[derive(Debug)]
pub struct Layers<K> {
    kept: Vec<K>,
    live: Vec<K>,
}

/// What one redraw must do.
#[derive(Debug, PartialEq)]
pub struct Plan<K> {
    /// `Some(keys)`: clear the kept layer and stroke these, in order; `None`: leave it as it is.
    pub kept: Option<Vec<K>>,
    /// Clear the live layer and stroke these, in order (always: the live layer is cheap).
    pub live: Vec<K>,
}

impl<K> Default for Layers<K> {
    fn default() -> Self {
        Layers::new()
    }
}

impl<K> Layers<K> {
    /// Nothing drawn yet.
    pub const fn new() -> Self {
        Layers {
            kept: Vec::new(),
            live: Vec::new(),
        }
    }
}

impl<K: Clone + PartialEq> Layers<K> {
    /// Splits `wanted` (every path to show, in drawing order). When some paths are new, the
    /// ones drawn last time (on either layer) go to the kept layer and the new ones to the live
    /// layer; when none is new (arrows toggled, a path hidden), each path stays where it was.
    /// The first redraw, a playhead move or a new frame changes every key, so everything is live
    /// and the kept layer empties once.
    pub fn plan(&mut self, wanted: &[K]) -> Plan<K> {
        let was_kept = |k: &K| self.kept.contains(k);
        let was_live = |k: &K| self.live.contains(k);
        let any_new = wanted.iter().any(|k| !was_kept(k) && !was_live(k));
        let (kept, live): (Vec<K>, Vec<K>) = if any_new {
            wanted
                .iter()
                .cloned()
                .partition(|k| was_kept(k) || was_live(k))
        } else {
            wanted.iter().cloned().partition(|k| was_kept(k))
        };
        let redraw_kept = kept != self.kept;
        self.kept = kept;
        self.live = live.clone();
        Plan {
            kept: redraw_kept.then(|| self.kept.clone()),
            live,
        }
    }

    /// Forgets what is drawn (the canvases were resized, which clears them).
    pub fn reset(&mut self) {
        self.kept.clear();
        self.live.clear();
    }
}
