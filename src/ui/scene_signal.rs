//! The page's one state, the engine's [`Scene`], and its parts as memos of their own.
//!
//! After each write, every follower compares its part with the scene and wakes the part's
//! memo (through the part's own trigger) only if it changed, so a write wakes the readers of
//! what changed and marks nothing else. As memos of the scene signal, the parts were marked
//! on every write with everything drawn from them (Leptos marks the whole graph below a changed
//! signal before any memo compares): on an lr input, every card's memos and what reads them.

use leptos::prelude::*;

use crate::engine::scene::Scene;

/// Brings something that follows the scene (a part, the cards' entries) up to date with it.
type Follow = Box<dyn Fn(&Scene)>;

/// The scene and the parts that follow it. `Copy`, like the signals it holds.
#[derive(Clone, Copy)]
pub struct SceneSignal {
    scene: RwSignal<Scene>,
    followers: StoredValue<Vec<Follow>, LocalStorage>,
}

impl SceneSignal {
    pub fn new(scene: Scene) -> Self {
        SceneSignal {
            scene: RwSignal::new(scene),
            followers: StoredValue::new_local(Vec::new()),
        }
    }

    /// A part of the scene that wakes its readers only when it changes: for the model's own
    /// parts, which live as long as the page (a component's part is [`SceneSignal::memo`]).
    /// The memo tracks a trigger that a write pulls only when the part differs.
    #[inline(never)]
    pub fn part<T>(&self, f: fn(&Scene) -> T) -> Memo<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let scene = self.scene;
        let changed = Trigger::new();
        let part = Memo::new(move |_| {
            changed.track();
            scene.with_untracked(f)
        });
        self.follow(move |s| {
            if part.with_untracked(|was| *was != f(s)) {
                changed.notify();
            }
        });
        part
    }

    /// Calls `f` with the scene after each write (untracked), for the life of the page.
    pub fn follow(&self, f: impl Fn(&Scene) + 'static) {
        self.followers.update_value(|all| all.push(Box::new(f)));
    }

    /// A memo of one part of the scene, disposed with the component that asks for it.
    pub fn memo<T>(&self, f: fn(&Scene) -> T) -> Memo<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let scene = self.scene;
        Memo::new(move |_| scene.with(f))
    }

    /// Changes the scene, then the parts that changed.
    pub fn update(&self, f: impl FnOnce(&mut Scene)) {
        self.scene.update(f);
        self.catch_up();
    }

    /// Replaces the scene, then the parts that changed.
    pub fn set(&self, scene: Scene) {
        self.scene.set(scene);
        self.catch_up();
    }

    /// Runs every follower on the scene as it is now.
    fn catch_up(&self) {
        self.scene.with_untracked(|s| {
            self.followers
                .with_value(|all| all.iter().for_each(|f| f(s)))
        });
    }

    /// `f` of the whole scene, tracked: its caller wakes on every write.
    pub fn with<R>(&self, f: impl FnOnce(&Scene) -> R) -> R {
        self.scene.with(f)
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&Scene) -> R) -> R {
        self.scene.with_untracked(f)
    }

    /// Wakes the caller on every write.
    pub fn track(&self) {
        self.scene.track();
    }
}
