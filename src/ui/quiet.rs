//! "Once the inputs pause": an action that runs when no input has come for a while, with one
//! timer out at a time however many inputs come. The link, the loss axis's refit and the race
//! summary wait for a pause, so a drag pays for none of them per input.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use super::playback::now_ms;

/// What [`Quiet::poke`] found.
pub struct Poke {
    /// The previous input came less than the quiet period ago.
    pub quick: bool,
    /// No pause was awaited: this input starts one.
    pub started: bool,
}

/// Shared by the effect that pokes it and the timer it sets (plain cells: the timer may
/// outlive the view, and arena values instead cost the page 0.6 KB of generic code).
#[derive(Clone)]
pub struct Quiet(Rc<Inner>);

struct Inner {
    /// When the last input came (ms).
    last: Cell<f64>,
    waiting: Cell<bool>,
    ms: f64,
    then: Box<dyn Fn()>,
}

impl Quiet {
    /// Runs `then` once `ms` pass with no [`Quiet::poke`].
    pub fn new(ms: f64, then: impl Fn() + 'static) -> Self {
        Quiet(Rc::new(Inner {
            last: Cell::new(f64::NEG_INFINITY),
            waiting: Cell::new(false),
            ms,
            then: Box::new(then),
        }))
    }

    /// An input, now.
    pub fn poke(&self) -> Poke {
        let q = &self.0;
        let now = now_ms();
        let quick = now - q.last.get() < q.ms;
        q.last.set(now);
        let started = !q.waiting.replace(true);
        if started {
            self.wait(q.ms);
        }
        Poke { quick, started }
    }

    /// Checks after `ms` whether the pause has come, and waits on if not.
    fn wait(&self, ms: f64) {
        let me = self.clone();
        set_timeout(
            move || {
                let q = &me.0;
                let left = q.last.get() + q.ms - now_ms();
                if left > 1.0 {
                    me.wait(left.ceil());
                    return;
                }
                q.waiting.set(false);
                (q.then)();
            },
            Duration::from_millis(ms as u64),
        );
    }
}
