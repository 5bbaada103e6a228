//! The page's reactive model: one signal per thing a user sets, mirrored from and into the
//! engine's [`Scene`] (which the URL encodes). Trajectories are memos, one per optimizer, so an
//! input on one card recomputes only that card's path.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::noise::NoiseConfig;
use crate::engine::optim;
use crate::engine::run::{run, suggest_lr, RunConfig, Trajectory};
use crate::engine::schedule::Schedule;
use crate::engine::state::{Lang, OptimizerEntry, Panel, Scene, Theme};
use crate::engine::surface::{self, Surface, SurfaceSpec};

/// A trajectory or the reason there is none.
pub type Outcome = Result<Arc<Trajectory>, String>;

/// One optimizer on the page.
#[derive(Clone, Copy)]
pub struct Racer {
    /// Stable key for the card list (ids may repeat: "Adam vs Adam").
    pub uid: usize,
    pub id: &'static str,
    /// Colour and dash slot.
    pub slot: usize,
    /// Every hyperparameter in schema order (defaults filled in).
    pub settings: RwSignal<Vec<(String, f64)>>,
    pub hidden: RwSignal<bool>,
    pub outcome: Memo<Outcome>,
}

impl Racer {
    /// Display name, e.g. "Adam".
    pub fn name(&self) -> &'static str {
        optim::kind(self.id).map_or(self.id, |k| k.name)
    }
}

/// Everything the page shows, as signals. `Copy`, so closures capture it freely.
#[derive(Clone, Copy)]
pub struct Model {
    pub spec: RwSignal<SurfaceSpec>,
    pub surface: RwSignal<Arc<dyn Surface>>,
    /// `None` = the surface's default start.
    pub start: RwSignal<Option<[f64; 2]>>,
    pub steps: RwSignal<usize>,
    pub schedule: RwSignal<Schedule>,
    pub noise: RwSignal<f64>,
    pub seed: RwSignal<u64>,
    /// `None` = the surface's own view.
    pub view: RwSignal<Option<[f64; 4]>>,
    pub racers: RwSignal<Vec<Racer>>,
    next_uid: RwSignal<usize>,
    pub t: RwSignal<usize>,
    pub playing: RwSignal<bool>,
    /// Playback speed in steps per second.
    pub speed: RwSignal<f64>,
    pub vectors: RwSignal<bool>,
    pub three_d: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
    pub theme: RwSignal<Theme>,
    pub embed: RwSignal<bool>,
    pub hide: RwSignal<Vec<Panel>>,
    /// Messages for the user (bad URL keys, rejected inputs); newest last.
    pub notices: RwSignal<Vec<String>>,
    /// The scene's regression keys, kept so a copied link does not lose them.
    rest: StoredValue<Scene>,
}

/// The most optimizers a page holds; enough for any race, bounded for speed.
pub const MAX_RACERS: usize = 16;

impl Model {
    /// Signals for `scene`, with `notices` (from decoding the URL) shown to the user.
    pub fn new(scene: Scene, mut notices: Vec<String>) -> Self {
        let (surface, notices) = match surface::build(&scene.surface) {
            Ok(s) => (Arc::<dyn Surface>::from(s), notices),
            Err(e) => {
                notices.push(format!("surface: {e}"));
                (default_surface(), notices)
            }
        };
        let model = Model {
            spec: RwSignal::new(scene.surface.clone()),
            surface: RwSignal::new(surface),
            start: RwSignal::new(scene.start),
            steps: RwSignal::new(scene.steps),
            schedule: RwSignal::new(scene.schedule),
            noise: RwSignal::new(scene.noise),
            seed: RwSignal::new(scene.seed),
            view: RwSignal::new(scene.view),
            racers: RwSignal::new(Vec::new()),
            next_uid: RwSignal::new(0),
            t: RwSignal::new(scene.playhead()),
            playing: RwSignal::new(false),
            speed: RwSignal::new(60.0),
            vectors: RwSignal::new(scene.vectors),
            three_d: RwSignal::new(scene.three_d),
            lang: RwSignal::new(scene.lang),
            theme: RwSignal::new(scene.theme),
            embed: RwSignal::new(scene.embed),
            hide: RwSignal::new(scene.hide.clone()),
            notices: RwSignal::new(notices),
            rest: StoredValue::new(scene.clone()),
        };
        for entry in &scene.optimizers {
            model.add(entry);
        }
        model
    }

    /// The scene these signals describe (for the URL).
    pub fn scene(&self) -> Scene {
        let mut scene = self.rest.get_value();
        scene.surface = self.spec.get();
        scene.start = self.start.get();
        scene.steps = self.steps.get();
        scene.schedule = self.schedule.get();
        scene.noise = self.noise.get();
        scene.seed = self.seed.get();
        scene.view = self.view.get();
        scene.optimizers = self
            .racers
            .get()
            .iter()
            .map(|r| OptimizerEntry {
                id: r.id.to_string(),
                settings: non_default(r.id, &r.settings.get()),
                hidden: r.hidden.get(),
            })
            .collect();
        let t = self.t.get();
        scene.t = (t != scene.steps).then_some(t);
        scene.lang = self.lang.get();
        scene.theme = self.theme.get();
        scene.embed = self.embed.get();
        scene.hide = self.hide.get();
        scene.vectors = self.vectors.get();
        scene.three_d = self.three_d.get();
        scene
    }

    /// The shown optimizers that have a trajectory, with it: what every view draws.
    pub fn visible_outcomes(&self) -> Vec<(Racer, Arc<Trajectory>)> {
        self.racers
            .get()
            .into_iter()
            .filter(|r| !r.hidden.get())
            .filter_map(|r| r.outcome.get().ok().map(|o| (r, o)))
            .collect()
    }

    /// The start point in force.
    pub fn start_point(&self) -> [f64; 2] {
        self.start
            .get()
            .unwrap_or_else(|| self.surface.with(|s| s.info().default_start))
    }

    /// The view in force.
    pub fn view_bounds(&self) -> [f64; 4] {
        self.view
            .get()
            .unwrap_or_else(|| self.surface.with(|s| s.info().view))
    }

    pub fn notify(&self, message: impl Into<String>) {
        let message = message.into();
        self.notices.update(|n| {
            n.retain(|m| m != &message);
            n.push(message);
            if n.len() > 4 {
                n.remove(0);
            }
        });
    }

    /// Adds an optimizer card; refuses (with a notice) past [`MAX_RACERS`] or for a bad entry.
    pub fn add(&self, entry: &OptimizerEntry) {
        if self.racers.with_untracked(Vec::len) >= MAX_RACERS {
            self.notify(format!("At most {MAX_RACERS} optimizers fit on one page."));
            return;
        }
        let kind = match optim::kind(&entry.id) {
            Ok(k) => k,
            Err(e) => return self.notify(e),
        };
        let settings: Vec<(String, f64)> = match optim::hyper(kind.id, &entry.settings) {
            Ok(h) => h.iter().map(|(k, v)| (k.to_string(), v)).collect(),
            Err(e) => return self.notify(e),
        };
        let uid = self.next_uid.get_untracked();
        self.next_uid.set(uid + 1);
        let used: Vec<usize> = self
            .racers
            .with_untracked(|r| r.iter().map(|r| r.slot).collect());
        let slot = (0..).find(|s| !used.contains(s)).unwrap_or(0);
        let settings = RwSignal::new(settings);
        let model = *self;
        let id = kind.id;
        let outcome =
            Memo::new_with_compare(move |_| model.compute(id, &settings.get()), |_, _| true);
        let racer = Racer {
            uid,
            id,
            slot,
            settings,
            hidden: RwSignal::new(entry.hidden),
            outcome,
        };
        self.racers.update(|r| r.push(racer));
    }

    /// Removes the card `uid` and frees its signals.
    pub fn remove(&self, uid: usize) {
        let mut gone = None;
        self.racers.update(|r| {
            if let Some(i) = r.iter().position(|x| x.uid == uid) {
                gone = Some(r.remove(i));
            }
        });
        if let Some(r) = gone {
            r.outcome.dispose();
            r.settings.dispose();
            r.hidden.dispose();
        }
    }

    /// Gives every optimizer the engine's suggested learning rate for the current surface
    /// (after a surface switch: a rate tuned for Rosenbrock crawls on a bowl).
    pub fn retune(&self) {
        let surface = self.surface.get_untracked();
        for racer in self.racers.get_untracked() {
            let settings = racer.settings.get_untracked();
            let config = untrack(|| self.config(racer.id, &settings));
            if let Some(lr) = suggest_lr(surface.as_ref(), &config) {
                racer.settings.update(|s| {
                    if let Some(slot) = s.iter_mut().find(|(k, _)| k == "lr") {
                        slot.1 = lr;
                    }
                });
            }
        }
    }

    /// One optimizer's whole trajectory with everything shared in force.
    fn compute(&self, id: &str, settings: &[(String, f64)]) -> Outcome {
        let surface = self.surface.get();
        run(surface.as_ref(), &self.config(id, settings)).map(Arc::new)
    }

    /// The run of optimizer `id` with `settings` and everything shared in force.
    fn config(&self, id: &str, settings: &[(String, f64)]) -> RunConfig {
        let mut config = RunConfig::new(id, self.start_point(), self.steps.get());
        config.settings = settings.to_vec();
        config.schedule = self.schedule.get();
        config.noise = NoiseConfig {
            sigma: self.noise.get(),
            seed: self.seed.get(),
        };
        config.record_state = self.vectors.get();
        config
    }
}

/// Only the settings that differ from the schema's defaults: short, readable links.
fn non_default(id: &str, settings: &[(String, f64)]) -> Vec<(String, f64)> {
    let Ok(kind) = optim::kind(id) else {
        return settings.to_vec();
    };
    settings
        .iter()
        .filter(|(k, v)| {
            kind.schema
                .iter()
                .find(|h| h.key == k)
                .is_none_or(|h| h.default != *v)
        })
        .cloned()
        .collect()
}

/// The surface of an empty scene, used when the requested one cannot be built. The default
/// scene's surface always builds (a native test checks it), so the fallback never runs twice.
pub fn default_surface() -> Arc<dyn Surface> {
    let spec = Scene::default().surface;
    let built = surface::build(&spec).or_else(|_| {
        surface::build(&SurfaceSpec {
            id: "quadratic".into(),
            ..Default::default()
        })
    });
    match built {
        Ok(s) => Arc::from(s),
        Err(e) => unreachable!("built-in surfaces build: {e}"),
    }
}
