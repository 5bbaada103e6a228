//! The page's reactive model. The state is one signal holding the engine's [`Scene`] (what the
//! URL encodes, a [`SceneSignal`]); everything else here follows it (its parts and each card's
//! entry, woken by the write that changes them), is derived from those by memos, or is
//! page-only state that no link carries (playing, speed, notices). Trajectories are memos, one
//! per optimizer card, fed only by that card's scene entry and the run inputs all cards share,
//! so an input on one card recomputes only that card's path and moving the playhead recomputes
//! none.

use std::sync::Arc;

use leptos::prelude::*;

use super::scene_signal::SceneSignal;
use super::worker;
use crate::engine::diverge::{diagnose, stable_rate, Diagnosis};
use crate::engine::job;
use crate::engine::noise::NoiseConfig;
use crate::engine::optim;
use crate::engine::problem::Problem;
use crate::engine::run::{run, suggest_lr, RunConfig, Trajectory};
use crate::engine::scene::{self, DrawPlane, OptimizerEntry, Panel, Scene, Task, Theme};
use crate::engine::schedule::Schedule;
use crate::engine::surface::{self, Surface, SurfaceSpec};
use crate::engine::task::slice::Slice;
use crate::engine::task::{self, LearningTask, Plane, TaskSpec};
use crate::i18n::{f, t, Msg};

/// A trajectory or the reason there is none.
pub type Outcome = Result<Arc<Trajectory>, String>;

/// One optimizer card: the page-only wrapper around the scene entry at the same index of
/// `scene.optimizers` (`Model::racers` runs parallel to it).
#[derive(Clone, Copy)]
pub struct Racer {
    /// Stable key for the card list (ids may repeat: "Adam vs Adam").
    pub uid: usize,
    pub id: &'static str,
    /// Colour and dash slot.
    pub slot: usize,
    /// Every hyperparameter in schema order (defaults filled in), read from the scene entry.
    pub settings: Memo<Vec<(String, f64)>>,
    pub hidden: Memo<bool>,
    /// The card's own batch on a task (`Some(0)`: full batch), or `None` for the scene's.
    pub batch: Memo<Option<usize>>,
    pub outcome: Memo<Outcome>,
    /// While a worker computes the card's run (`outcome` is then the previous one, or
    /// [`Msg::Computing`]).
    pub pending: RwSignal<bool>,
    /// Set when a worker's answer for the card lands ([`worker::landed`]).
    arrived: RwSignal<bool>,
    /// The card's scene entry, set when a write changes it (so an input on one card wakes
    /// only that card's memos).
    entry: RwSignal<OptimizerEntry>,
}

impl Racer {
    /// Display name, e.g. "Adam".
    pub fn name(&self) -> &'static str {
        optim::kind(self.id).map_or(self.id, |k| crate::i18n::cat(k.name))
    }
}

/// The PCA plane in force (`plane=pca` on a task of more than two parameters) and the shown
/// paths drawn on it, by card uid.
pub struct Pca {
    pub plane: Plane,
    /// The region that shows the paths ([`task::view_around`]).
    pub view: [f64; 4],
    paths: Vec<(usize, Arc<Trajectory>)>,
}

/// What every card's run shares, besides the surface.
#[derive(Clone, PartialEq)]
struct RunInputs {
    start: Vec<f64>,
    steps: usize,
    schedule: Schedule,
    noise: NoiseConfig,
    on_task: bool,
    /// The scene's batch (a card may set its own).
    batch: Option<usize>,
    record_state: bool,
}

/// The scene's fields that [`RunInputs`], the task and the surface are built from. A card's run
/// tracks this one memo of the scene and reads those untracked: Leptos marks a node once per
/// path from a changed signal, and the run memos sit below the surface, task, start and run
/// inputs memos by about a dozen paths each, each walking everything drawn from the runs; with
/// one path an lr input marks about a quarter as many nodes.
#[derive(Clone, PartialEq)]
struct RunKey {
    surface: SurfaceSpec,
    task: Option<TaskSpec>,
    start: Option<Vec<f64>>,
    steps: usize,
    schedule: Schedule,
    noise: f64,
    seed: u64,
    batch: Option<usize>,
    vectors: bool,
}

impl RunKey {
    fn of(s: &Scene) -> Self {
        RunKey {
            surface: s.surface.clone(),
            task: s.task_spec(),
            start: s.start.clone(),
            steps: s.steps,
            schedule: s.schedule,
            noise: s.noise,
            seed: s.seed,
            batch: s.batch,
            vectors: s.vectors,
        }
    }
}

/// The scene as one signal, read-only views of its parts, the cards and page-only state.
/// `Copy`, so closures capture it freely. Write the scene with `model.scene.update(|s| …)`
/// (or the helpers below); the parts follow.
#[derive(Clone, Copy)]
pub struct Model {
    /// The state: what a copied link reproduces.
    pub scene: SceneSignal,
    pub spec: Memo<SurfaceSpec>,
    /// The scene's learning task, `Ok(None)` on a surface, or why it cannot be built (the
    /// page then shows the surface and says why).
    pub task: Memo<Result<Option<Arc<dyn LearningTask>>, String>>,
    /// What the surface view draws: the built `scene.surface`, or the task's loss over its
    /// drawing plane.
    pub surface: Memo<Arc<dyn Surface>>,
    /// `Some` while the PCA plane of the paths is shown (it moves with them).
    pub pca: Memo<Option<Arc<Pca>>>,
    /// Counts surface rebuilds: the heat-map's cache key.
    surface_generation: StoredValue<u64>,
    /// `None` = the problem's default start.
    pub start: Memo<Option<Vec<f64>>>,
    pub steps: Memo<usize>,
    pub schedule: Memo<Schedule>,
    pub noise: Memo<f64>,
    pub seed: Memo<u64>,
    /// `None` = the surface's own view.
    pub view: Memo<Option<[f64; 4]>>,
    /// The playhead, clamped to `steps`.
    pub t: Memo<usize>,
    pub vectors: Memo<bool>,
    pub three_d: Memo<bool>,
    /// The theme in force: the link's, else the system's (`prefers-color-scheme`).
    pub theme: Memo<Theme>,
    pub projector: Memo<bool>,
    pub embed: Memo<bool>,
    pub hide: Memo<Vec<Panel>>,
    /// A learning task is chosen (it may still fail to build: see `task`).
    pub on_task: Memo<bool>,
    run_inputs: Memo<RunInputs>,
    /// What a card's run depends on besides its own entry, read straight from the scene: the
    /// one thing a card's run tracks (see [`RunKey`]).
    run_key: Memo<RunKey>,
    /// One per `scene.optimizers` entry, in the same order.
    pub racers: RwSignal<Vec<Racer>>,
    next_uid: StoredValue<usize>,
    /// The model's own reactive owner: a card's memos live here, not in whichever component
    /// asked for the card, so re-mounting the tree (language, projector) never disposes them.
    owner: StoredValue<Option<Owner>>,
    pub playing: RwSignal<bool>,
    /// Playback speed in steps per second.
    pub speed: RwSignal<f64>,
    /// Messages for the user (bad URL keys, rejected inputs); newest last.
    pub notices: RwSignal<Vec<String>>,
    /// The card the formula panel explains (its uid; the first card when unset or gone).
    pub selected: RwSignal<Option<usize>>,
}

impl Model {
    /// The page for `scene`, with `notices` (from decoding the URL) shown to the user.
    pub fn new(mut scene: Scene, mut notices: Vec<String>) -> Self {
        let system_theme = if media_matches("(prefers-color-scheme: dark)") {
            Theme::Dark
        } else {
            Theme::Light
        };
        settle(&mut scene, &mut notices);
        let entries = std::mem::take(&mut scene.optimizers);
        let scene = SceneSignal::new(scene);
        let spec = scene.part(|s| s.surface.clone());
        let chosen_theme = scene.part(|s| s.theme);
        let task_spec = scene.part(Scene::task_spec);
        let task = Memo::new_with_compare(move |_| task_spec.with(build_task), |_, _| true);
        let racers = RwSignal::new(Vec::<Racer>::new());
        let wants_pca = scene.part(|s| s.plane == DrawPlane::Pca);
        let pca = Memo::new_with_compare(
            move |_| {
                let t = task.get().ok().flatten().filter(|t| t.dim() > 2);
                pca_of(t.filter(|_| wants_pca.get())?.as_ref(), racers)
            },
            // Recomputed only while the PCA plane is wanted; `None` stays quiet.
            |a, b| a.is_some_and(Option::is_some) || b.is_some_and(Option::is_some),
        );
        let generation = StoredValue::new(0u64);
        let surface = Memo::new_with_compare(
            move |_| {
                generation.update_value(|g| *g += 1);
                match task.get() {
                    Ok(Some(t)) => match pca.get() {
                        Some(p) => {
                            Arc::new(Slice::on(t, p.plane.clone(), p.view)) as Arc<dyn Surface>
                        }
                        None => Arc::new(Slice::new(t)),
                    },
                    _ => spec
                        .with(|s| surface::build(s).map_or_else(|_| default_surface(), Arc::from)),
                }
            },
            |_, _| true,
        );
        let start = scene.part(|s| s.start.clone());
        let run_key = scene.part(RunKey::of);
        let run_inputs = Memo::new(move |_| {
            let start = start.get().unwrap_or_else(|| match task.get() {
                Ok(Some(t)) => t.start(),
                _ => surface.with(|s| s.info().default_start.to_vec()),
            });
            run_key.with(|k| RunInputs {
                start,
                steps: k.steps,
                schedule: k.schedule,
                noise: NoiseConfig {
                    sigma: k.noise,
                    seed: k.seed,
                },
                on_task: k.task.is_some(),
                batch: k.batch,
                record_state: k.vectors,
            })
        });
        let model = Model {
            scene,
            spec,
            task,
            surface,
            pca,
            surface_generation: generation,
            start,
            steps: scene.part(|s| s.steps),
            schedule: scene.part(|s| s.schedule),
            noise: scene.part(|s| s.noise),
            seed: scene.part(|s| s.seed),
            view: scene.part(|s| s.view),
            t: scene.part(Scene::playhead),
            vectors: scene.part(|s| s.vectors),
            three_d: scene.part(|s| s.three_d),
            theme: Memo::new(move |_| chosen_theme.get().unwrap_or(system_theme)),
            projector: scene.part(|s| s.projector),
            embed: scene.part(|s| s.embed),
            hide: scene.part(|s| s.hide.clone()),
            on_task: scene.part(|s| s.task.is_some()),
            run_inputs,
            run_key,
            racers,
            next_uid: StoredValue::new(0),
            owner: StoredValue::new(Owner::current()),
            playing: RwSignal::new(false),
            speed: RwSignal::new(60.0),
            notices: RwSignal::new(notices),
            selected: RwSignal::new(None),
        };
        // Each card's entry follows its own: `scene.optimizers` and the cards run parallel,
        // except within `add` and `remove`, which put the card in or take it out themselves.
        scene.follow(move |s| {
            racers.with_untracked(|r| {
                if r.len() == s.optimizers.len() {
                    for (racer, now) in r.iter().zip(&s.optimizers) {
                        if racer.entry.with_untracked(|was| was != now) {
                            racer.entry.set(now.clone());
                        }
                    }
                }
            })
        });
        for entry in &entries {
            model.add(entry);
        }
        model
    }

    /// Replaces the whole scene (a hash edited by hand or by an embedding page): new cards,
    /// `notices` instead of the old ones, playback stopped.
    pub fn load(&self, mut scene: Scene, mut notices: Vec<String>) {
        settle(&mut scene, &mut notices);
        let entries = std::mem::take(&mut scene.optimizers);
        self.playing.set(false);
        for racer in self.racers.get_untracked() {
            self.remove(racer.uid);
        }
        self.scene.set(scene);
        for entry in &entries {
            self.add(entry);
        }
        self.notices.set(notices);
    }

    /// Moves the playhead (clamped to `steps`; the end is stored as "no `t`").
    pub fn set_t(&self, t: usize) {
        self.scene.update(|s| {
            let t = t.min(s.steps);
            s.t = (t < s.steps).then_some(t);
        });
    }

    /// Sets `steps`; a playhead at the end stays at the end.
    pub fn set_steps(&self, n: usize) {
        self.scene.update(|s| {
            s.steps = n;
            if s.t.is_some_and(|t| t >= n) {
                s.t = None;
            }
        });
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

    /// [`Model::visible_outcomes`] as the surface view draws them: on the PCA plane while it
    /// is shown.
    pub fn drawn_outcomes(&self) -> Vec<(Racer, Arc<Trajectory>)> {
        let mut shown = self.visible_outcomes();
        if let Some(p) = self.pca.get() {
            for (racer, tr) in &mut shown {
                if let Some((_, drawn)) = p.paths.iter().find(|(uid, _)| *uid == racer.uid) {
                    *tr = drawn.clone();
                }
            }
        }
        shown
    }

    /// The card the formula panel explains: the selected one, else the first.
    pub fn selected_racer(&self) -> Option<Racer> {
        let uid = self.selected.get();
        self.racers.with(|r| {
            r.iter()
                .find(|r| Some(r.uid) == uid)
                .or_else(|| r.first())
                .copied()
        })
    }

    /// `f` of the problem the cards run on: the task's, or the surface as a `dyn Problem`
    /// (one compiled copy of what takes it).
    pub fn with_problem<R>(&self, f: impl FnOnce(&dyn Problem) -> R) -> R {
        match self.task.get() {
            Ok(Some(t)) => f(t.as_problem()),
            _ => f(&AsProblem(self.surface.get())),
        }
    }

    /// The start point in force, as drawn.
    pub fn start_point(&self) -> [f64; 2] {
        match (self.start.get(), self.task.get()) {
            (Some(p), Ok(Some(t))) => self
                .pca
                .with(|c| c.as_ref().map(|c| c.plane.project(&p)))
                .unwrap_or_else(|| t.project(&p)),
            (Some(p), _) if p.len() == 2 => [p[0], p[1]],
            _ => self.surface.with(|s| s.info().default_start),
        }
    }

    /// Starts every run at the drawn point `q`: the parameters the task's plane puts there.
    pub fn set_start_at(&self, q: [f64; 2]) {
        let start = match self.task.get_untracked() {
            Ok(Some(t)) => self
                .pca
                .with_untracked(|c| c.as_ref().map(|c| c.plane.lift(q)))
                .unwrap_or_else(|| t.plane().lift(q)),
            _ => q.to_vec(),
        };
        self.scene.update(|s| s.start = Some(start));
    }

    /// How much one evaluation of the drawn surface costs, relative to a built-in one: what
    /// the heat-map and the 3-D mesh scale their grids by.
    pub fn eval_cost(&self) -> usize {
        self.step_cost(None)
    }

    /// One step's cost with mini-batches of `batch` on the problem the cards run on (1 on a
    /// surface; untracked), in the units of the cards' run cap: what the sweep view weighs a
    /// search by.
    pub fn step_cost(&self, batch: Option<usize>) -> usize {
        self.task.with_untracked(|t| match t {
            Ok(Some(t)) => step_cost(t.as_ref(), batch),
            _ => 1,
        })
    }

    /// A key that changes whenever the drawn surface is rebuilt (the heat-map cache's).
    pub fn surface_key(&self) -> String {
        self.surface.track();
        format!("surface#{}", self.surface_generation.get_value())
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

    /// Adds an optimizer card; refuses (with a notice) what [`Scene::add_optimizer`] refuses.
    pub fn add(&self, entry: &OptimizerEntry) {
        let mut added = Err(String::new());
        self.scene.update(|s| {
            added = s
                .add_optimizer(entry)
                .map(|id| (id, s.optimizers[s.optimizers.len() - 1].clone()))
        });
        let (id, entry) = match added {
            Ok(added) => added,
            Err(e) => return self.notify(e),
        };
        let uid = self.next_uid.get_value();
        self.next_uid.set_value(uid + 1);
        let used: Vec<usize> = self
            .racers
            .with_untracked(|r| r.iter().map(|r| r.slot).collect());
        let slot = (0..).find(|s| !used.contains(s)).unwrap_or(0);
        let model = *self;
        let owner = self.owner.get_value();
        let racer = move || model.new_racer(uid, id, slot, entry);
        let racer = match owner {
            Some(o) => o.with(racer),
            None => racer(),
        };
        self.racers.update(|r| r.push(racer));
    }

    /// Card `uid`'s memos (optimizer `id`, colour `slot`, scene `entry`), under the current
    /// owner.
    fn new_racer(self, uid: usize, id: &'static str, slot: usize, entry: OptimizerEntry) -> Racer {
        let model = self;
        let entry = RwSignal::new(entry);
        let settings = Memo::new(move |_| entry.with(|e| e.values().unwrap_or_default()));
        let hidden = Memo::new(move |_| entry.with(|e| e.hidden));
        let batch = Memo::new(move |_| entry.with(|e| e.batch));
        let pending = RwSignal::new(false);
        let arrived = RwSignal::new(false);
        let outcome = Memo::new_with_compare(
            move |previous: Option<&Outcome>| {
                // Read, not `track`ed: a memo only tracked is never computed, so its first
                // computation, on any later scene change, would look like a change of the key.
                model.run_key.with(|_| ());
                let inputs = model.run_inputs.get_untracked();
                let config = settings.with(|s| config(id, s, batch.get(), &inputs));
                let here = |p: &dyn Problem| (run(p, &config).map(Arc::new), false);
                let (outcome, waiting) = match model.task.get_untracked() {
                    Ok(Some(task)) => {
                        let size = config.minibatch.map(|m| m.size);
                        let work = step_cost(task.as_ref(), size) * inputs.steps;
                        // Worth a worker: the job reruns exactly this card (see `job::job`).
                        let key =
                            (WORKER_WORK..=MAX_RUN_WORK).contains(&work) && !inputs.record_state;
                        let key = key.then(|| model.index(uid)).flatten();
                        let key = key.and_then(|i| model.scene.with_untracked(|s| job::job(s, i)));
                        if work > MAX_RUN_WORK {
                            let too_long = f(
                                Msg::TooLong,
                                &[
                                    &inputs.steps.to_string(),
                                    &task.points().len().to_string(),
                                    &format!("{work:e}"),
                                    &format!("{MAX_RUN_WORK:e}"),
                                ],
                            );
                            (Err(too_long), false)
                        } else if let Some(key) = key {
                            arrived.track();
                            let got = worker::landed(uid, &key);
                            match got.or_else(|| worker::submit(uid, key, arrived)) {
                                Some(o) => (o, false),
                                // The previous path stays while it has the task's shape.
                                None => (
                                    previous
                                        .filter(|o| o.as_ref().is_ok_and(|p| p.dim == task.dim()))
                                        .cloned()
                                        .unwrap_or_else(|| Err(t(Msg::Computing).to_string())),
                                    true,
                                ),
                            }
                        } else {
                            here(task.as_problem())
                        }
                    }
                    _ => here(&AsProblem(model.surface.get_untracked())),
                };
                if pending.get_untracked() != waiting {
                    pending.set(waiting);
                }
                outcome
            },
            |_, _| true,
        );
        Racer {
            uid,
            id,
            slot,
            settings,
            hidden,
            batch,
            outcome,
            pending,
            arrived,
            entry,
        }
    }

    /// The index of card `uid` in `scene.optimizers`, untracked.
    fn index(&self, uid: usize) -> Option<usize> {
        self.racers
            .with_untracked(|r| r.iter().position(|x| x.uid == uid))
    }

    /// Changes these hyperparameters of card `uid` (any subset of its schema; the scene keeps
    /// only the values that differ from their convention's defaults, so switching `keras`
    /// brings Keras's defaults for every value not set), or says why they are invalid.
    pub fn set_settings(&self, uid: usize, changes: &[(String, f64)]) -> Result<(), String> {
        let Some(i) = self.index(uid) else {
            return Ok(());
        };
        let (id, mut settings) = self.scene.with_untracked(|s| {
            let e = &s.optimizers[i];
            (e.id.clone(), e.settings.clone())
        });
        for (key, v) in changes {
            settings.retain(|(k, _)| k != key);
            settings.push((key.clone(), *v));
        }
        let settings = OptimizerEntry::canonical_settings(&id, &settings)?;
        self.scene.update(|s| s.optimizers[i].settings = settings);
        Ok(())
    }

    /// Gives card `uid` its own batch on a task (`Some(0)`: full batch), or `None` for the
    /// scene's.
    pub fn set_card_batch(&self, uid: usize, batch: Option<usize>) {
        if let Some(i) = self.index(uid) {
            self.scene.update(|s| s.optimizers[i].batch = batch);
        }
    }

    /// Shows or hides card `uid`'s path.
    pub fn set_hidden(&self, uid: usize, hidden: bool) {
        if let Some(i) = self.index(uid) {
            self.scene.update(|s| s.optimizers[i].hidden = hidden);
        }
    }

    /// Removes the card `uid` and frees its memos.
    pub fn remove(&self, uid: usize) {
        let Some(i) = self.index(uid) else {
            return;
        };
        self.scene.update(|s| {
            s.optimizers.remove(i);
        });
        let mut gone = None;
        self.racers.update(|r| gone = Some(r.remove(i)));
        // Disposed once the card is gone: until then its view may still read them (a loaded
        // scene moves the playhead, which wakes every card before the list drops the old ones).
        if let Some(r) = gone {
            set_timeout(
                move || {
                    r.outcome.dispose();
                    r.settings.dispose();
                    r.hidden.dispose();
                    r.batch.dispose();
                    r.pending.dispose();
                    r.arrived.dispose();
                    r.entry.dispose();
                    worker::forget(r.uid);
                },
                std::time::Duration::ZERO,
            );
        }
    }

    /// A learning rate at which card `racer`'s diverged run (diagnosed as `diagnosis`) would
    /// not have diverged: the engine's [`stable_rate`], which runs the scene again.
    pub fn stable_rate(&self, racer: &Racer, diagnosis: &Diagnosis) -> Option<f64> {
        let config = self.card_config(racer);
        self.with_problem_untracked(|p| stable_rate(p, &config, diagnosis))
    }

    /// The run configuration card `racer` runs with (untracked).
    fn card_config(&self, racer: &Racer) -> RunConfig {
        let inputs = self.run_inputs.get_untracked();
        racer
            .settings
            .with_untracked(|s| config(racer.id, s, racer.batch.get_untracked(), &inputs))
    }

    /// Why card `racer`'s run `trajectory` diverged, with a rate that would not have: the
    /// engine's [`diagnose`] on the problem and settings it ran with (untracked).
    pub fn diagnose(&self, racer: &Racer, trajectory: &Trajectory) -> Option<Diagnosis> {
        let config = self.card_config(racer);
        self.with_problem_untracked(|p| diagnose(p, &config, trajectory))
    }

    /// The run `racer`'s card makes (tracked): what the sweep view maps around.
    pub fn run_config(&self, racer: &Racer) -> RunConfig {
        let inputs = self.run_inputs.get();
        racer
            .settings
            .with(|s| config(racer.id, s, racer.batch.get(), &inputs))
    }

    /// `f` of the problem every card runs on (untracked): the task, or the surface.
    pub fn with_problem_untracked<T>(&self, f: impl FnOnce(&dyn Problem) -> T) -> T {
        match self.task.get_untracked() {
            Ok(Some(t)) => f(t.as_problem()),
            _ => f(&AsProblem(self.surface.get_untracked()) as &dyn Problem),
        }
    }

    /// Gives every optimizer the engine's suggested learning rate for the current surface
    /// (after a surface switch: a rate tuned for Rosenbrock crawls on a bowl).
    pub fn retune(&self) {
        let surface = self.surface.get_untracked();
        let inputs = self.run_inputs.get_untracked();
        for racer in self.racers.get_untracked() {
            let settings = racer.settings.get_untracked();
            let config = config(racer.id, &settings, racer.batch.get_untracked(), &inputs);
            let suggested = match self.task.get_untracked() {
                // Each rate is tried for up to 500 steps: not where that alone takes too long.
                Ok(Some(t))
                    if step_cost(t.as_ref(), config.minibatch.map(|m| m.size)) * 500 * 19
                        > MAX_RUN_WORK =>
                {
                    None
                }
                Ok(Some(t)) => suggest_lr(t.as_problem(), &config),
                _ => suggest_lr(&AsProblem(surface.clone()) as &dyn Problem, &config),
            };
            let Some(lr) = suggested else {
                continue;
            };
            if let Err(e) = self.set_settings(racer.uid, &[("lr".into(), lr)]) {
                self.notify(e);
            }
        }
    }
}

/// The PCA plane of the shown paths of `racers` on `task`, with those paths drawn on it.
fn pca_of(task: &dyn LearningTask, racers: RwSignal<Vec<Racer>>) -> Option<Arc<Pca>> {
    let shown: Vec<(usize, Arc<Trajectory>)> = racers
        .get()
        .into_iter()
        .filter(|r| !r.hidden.get())
        .filter_map(|r| Some((r.uid, r.outcome.get().ok()?)))
        .collect();
    let trajectories: Vec<&Trajectory> = shown.iter().map(|(_, t)| t.as_ref()).collect();
    let plane = task::pca_plane(task, &trajectories)?;
    let paths: Vec<(usize, Arc<Trajectory>)> = shown
        .iter()
        .map(|(uid, t)| (*uid, Arc::new(plane.redraw(t))))
        .collect();
    let view = task::view_around(paths.iter().flat_map(|(_, t)| t.points.iter().copied()));
    Some(Arc::new(Pca { plane, view, paths }))
}

/// Whether the CSS media query `query` holds (`prefers-color-scheme: dark`, …).
pub fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Makes a decoded scene one the page can show: a surface that fails to build falls back to the
/// default with a notice, and a playhead at (or past) the end is the default, `t` absent (one
/// scene, one link).
fn settle(scene: &mut Scene, notices: &mut Vec<String>) {
    if let Err(e) = surface::build(&scene.surface) {
        notices.push(format!("surface: {e}"));
        scene.surface = Scene::default().surface;
    }
    let t = scene.playhead();
    scene.t = (t < scene.steps).then_some(t);
}

/// The run of optimizer `id` with `settings`, its own `batch` and the shared `inputs`.
fn config(
    id: &str,
    settings: &[(String, f64)],
    batch: Option<usize>,
    inputs: &RunInputs,
) -> RunConfig {
    let mut config = RunConfig::new(id, inputs.start.clone(), inputs.steps);
    config.settings = settings.to_vec();
    config.schedule = inputs.schedule;
    config.noise = inputs.noise;
    config.minibatch = scene::minibatch(inputs.on_task, batch, inputs.batch, inputs.noise.seed);
    config.record_state = inputs.record_state;
    config
}

/// Evaluations (points × parameters, roughly) one card's run may take on the page: a few
/// tens of milliseconds, so even sixteen cards stay responsive. Logistic regression on 1,000
/// points for 2,000 full-batch steps (6·10⁶) fits.
const MAX_RUN_WORK: usize = 10_000_000;

/// The work above which a card's run goes to a Web Worker ([`worker`]): about 15 ms here
/// (logistic regression on 1,000 points for 2,000 steps, 6·10⁶, is about 90 ms).
const WORKER_WORK: usize = 1_000_000;

/// The cost of one step of `task` with mini-batches of `batch`: logistic regression visits
/// every point it uses; the regressions' full-batch loss is a quadratic form in d parameters.
fn step_cost(task: &dyn LearningTask, batch: Option<usize>) -> usize {
    let d = task.dim();
    match (task.kind(), batch) {
        (Task::Logistic, None) => task.points().len() * d,
        (_, Some(b)) => b * d,
        (_, None) => d * d,
    }
}

/// A surface as a `dyn Problem`, so that surfaces and tasks share one compiled copy of the
/// run loop (each copy is about 5 KB of wasm).
struct AsProblem(Arc<dyn Surface>);

impl Surface for AsProblem {
    fn value(&self, p: [f64; 2]) -> f64 {
        self.0.value(p)
    }
    fn value_grad(&self, p: [f64; 2]) -> (f64, [f64; 2]) {
        self.0.value_grad(p)
    }
    fn value_grad_hessian(&self, p: [f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        self.0.value_grad_hessian(p)
    }
    fn info(&self) -> crate::engine::surface::SurfaceInfo {
        self.0.info()
    }
    fn python(&self) -> String {
        self.0.python()
    }
}

/// The task `spec` describes, if any, or why it cannot be built.
fn build_task(spec: &Option<TaskSpec>) -> Result<Option<Arc<dyn LearningTask>>, String> {
    let Some(spec) = spec else {
        return Ok(None);
    };
    task::build(spec).map(|t| Some(Arc::from(t)))
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
