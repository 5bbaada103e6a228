//! The whole scene a user sets up, as one serde struct: the page's single source of truth and
//! what a shared link reproduces ([`super::url`] is its URL codec). The page reads and writes
//! this struct directly; a new scene key is a field here, its codec in `url.rs`, and the one
//! control that edits it.

use super::noise::{MiniBatch, NoiseConfig};
use super::optim;
use super::run::RunConfig;
use super::schedule::Schedule;
use super::surface::SurfaceSpec;
use super::task::data::Data;
use super::task::{self, TaskSpec};
use serde::{Deserialize, Serialize};

/// Steps on the first screen.
pub const DEFAULT_STEPS: usize = 300;
/// Largest regression dataset (`n`) and mini-batch (`batch`) a scene may ask for.
pub const MAX_DATA_POINTS: usize = 10_000;

/// Most optimizers a scene races at once, for links (the decoder keeps the first ones) and the
/// page (its add button refuses more) alike: more than any lesson needs, few enough that a
/// hostile link cannot freeze the page.
pub const MAX_OPTIMIZERS: usize = 16;

/// Narrowest and widest span of a view (`view=`, zoom): past these, f64 steps or the surfaces'
/// own scales stop meaning anything on screen, and a span that overflows draws nothing.
pub const MIN_VIEW_SPAN: f64 = 1e-9;
pub const MAX_VIEW_SPAN: f64 = 1e9;

/// One optimizer card: which optimizer, its hyperparameters as given, and whether its path is
/// hidden (kept in the scene so un-hiding restores it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerEntry {
    pub id: String,
    pub settings: Vec<(String, f64)>,
    #[serde(default)]
    pub hidden: bool,
    /// This card's own batch on a learning task, overriding the scene's `batch`: `Some(0)` is
    /// full batch, `Some(k)` mini-batches of k (so one page can show batch 1 jittering beside
    /// full batch gliding); `None` follows the scene.
    #[serde(default)]
    pub batch: Option<usize>,
}

impl OptimizerEntry {
    pub fn new(id: &str, settings: &[(&str, f64)]) -> Self {
        OptimizerEntry {
            id: id.to_string(),
            settings: settings.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            hidden: false,
            batch: None,
        }
    }

    /// Every hyperparameter in schema order, defaults filled in (what a card shows); an error
    /// for an unknown id or a bad value.
    pub fn values(&self) -> Result<Vec<(String, f64)>, String> {
        let h = optim::hyper(&self.id, &self.settings)?;
        Ok(h.iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// `settings` as links write them: checked, only the values that differ from the defaults
    /// of their convention ([`optim::defaults`]), in schema order, so `opt=adam(lr=0.01)` stays short and one scene has one link.
    pub fn canonical_settings(
        id: &str,
        settings: &[(String, f64)],
    ) -> Result<Vec<(String, f64)>, String> {
        let h = optim::hyper(id, settings)?;
        let keras = h.iter().any(|(k, v)| k == "keras" && v != 0.0);
        let defaults = optim::defaults(id, keras)?;
        Ok(h.iter()
            .zip(defaults.as_slice())
            .filter(|((_, v), d)| *d != v)
            .map(|((k, v), _)| (k.to_string(), v))
            .collect())
    }
}

/// Defines a small closed set of URL words: `ALL` (in listing order) and `id()`.
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $id:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in URLs.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }
        }
    };
}

words!(
    /// Interface language.
    #[derive(Default)]
    Lang { #[default] En = "en", Zh = "zh" }
);
words!(
    /// Colour theme.
    Theme { Light = "light", Dark = "dark" }
);
words!(
    /// A part of the page that `hide=` can remove (for embeds): the controls column, the loss
    /// chart, the loss chart's legend, the play toolbar, the header, the formula line.
    Panel {
        Controls = "controls", Loss = "loss", Legend = "legend", Toolbar = "toolbar",
        Header = "header", Formula = "formula",
    }
);
words!(
    /// A regression task (the scene's `task` key).
    Task { Linear = "linear", Polynomial = "polynomial", Logistic = "logistic" }
);
words!(
    /// The label noise of the regression tasks (`data_dist`).
    #[derive(Default)]
    DataDist { #[default] Uniform = "uniform", Gaussian = "gaussian" }
);
words!(
    /// The point clouds of the logistic task (`dataset`).
    #[derive(Default)]
    Dataset { #[default] Blobs = "blobs", Moons = "moons" }
);
words!(
    /// The plane of parameter space the surface view shows on a task of more than two
    /// parameters (`plane`): two weights through the optimum, or the plane through it spanned
    /// by the paths' two leading principal directions ([`crate::engine::task::pca_plane`]).
    #[derive(Default)]
    DrawPlane { #[default] Weights = "weights", Pca = "pca" }
);

/// Everything a user sets: what a shared link reproduces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scene {
    pub surface: SurfaceSpec,
    /// `None` = the surface's (or the task's) default start. Two numbers on a surface; one
    /// per task parameter on a learning task.
    pub start: Option<Vec<f64>>,
    pub steps: usize,
    pub optimizers: Vec<OptimizerEntry>,
    #[serde(with = "schedule_text")]
    pub schedule: Schedule,
    /// Gradient noise σ (0 = off).
    pub noise: f64,
    pub seed: u64,
    /// `[x0, x1, y0, y1]`; `None` = the surface's own view.
    pub view: Option<[f64; 4]>,
    /// The surface view fills its area with one scale per axis, for planes whose axes are
    /// different quantities (a slope and an intercept); off, one unit of x is as long on screen
    /// as one of y.
    pub stretch: bool,
    /// Playhead; `None` = the end (`steps`).
    pub t: Option<usize>,
    /// `None`: the browser's language (so a link only carries a language someone chose).
    pub lang: Option<Lang>,
    /// `None`: the system's (`prefers-color-scheme`); nothing is written to the link.
    pub theme: Option<Theme>,
    /// Large type, thick lines and high contrast, for a classroom projector.
    pub projector: bool,
    pub embed: bool,
    pub hide: Vec<Panel>,
    /// Draw gradient / momentum arrows.
    pub vectors: bool,
    #[serde(rename = "3d")]
    pub three_d: bool,
    /// `None`: the surface; `Some`: that learning task, whose parameters follow (`None` =
    /// the task's default). The scene's `seed` also generates the data ([`task`] module).
    pub task: Option<Task>,
    pub n: Option<usize>,
    pub data_noise: Option<f64>,
    pub data_dist: DataDist,
    /// Mini-batch size; `None` = full batch.
    pub batch: Option<usize>,
    pub degree: Option<usize>,
    pub l2: Option<f64>,
    pub dataset: Dataset,
    pub plane: DrawPlane,
    /// A user's own points, replacing the generated ones.
    pub data: Option<Data>,
}

impl Default for Scene {
    /// The page's first screen: three classics on Rosenbrock, with rates that show their
    /// differences within 300 steps.
    fn default() -> Self {
        Scene {
            surface: SurfaceSpec {
                id: "rosenbrock".to_string(),
                params: Vec::new(),
                expr: None,
            },
            start: None,
            steps: DEFAULT_STEPS,
            optimizers: vec![
                OptimizerEntry::new("sgd", &[("lr", 0.001)]),
                OptimizerEntry::new("momentum", &[("lr", 0.001), ("momentum", 0.9)]),
                OptimizerEntry::new("adam", &[("lr", 0.05)]),
            ],
            schedule: Schedule::default(),
            noise: 0.0,
            seed: 0,
            view: None,
            stretch: false,
            t: None,
            lang: None,
            theme: None,
            projector: false,
            embed: false,
            hide: Vec::new(),
            vectors: false,
            three_d: false,
            task: None,
            n: None,
            data_noise: None,
            data_dist: DataDist::Uniform,
            batch: None,
            degree: None,
            l2: None,
            dataset: Dataset::Blobs,
            plane: DrawPlane::Weights,
            data: None,
        }
    }
}

impl Scene {
    /// One run per optimizer, hidden ones included (the page decides what to draw), starting
    /// at the scene's start or `default_start` (the surface's, or [`task::LearningTask::start`]).
    /// On a learning task `batch` becomes seeded mini-batches (the scene's seed).
    pub fn run_configs(&self, default_start: &[f64]) -> Vec<RunConfig> {
        self.optimizers
            .iter()
            .map(|o| RunConfig {
                settings: o.settings.clone(),
                schedule: self.schedule,
                noise: NoiseConfig {
                    sigma: self.noise,
                    seed: self.seed,
                },
                minibatch: self.minibatch(o),
                ..RunConfig::new(&o.id, self.start_or(default_start), self.steps)
            })
            .collect()
    }

    /// The mini-batches card `o` runs with: its own batch, else the scene's, seeded by the
    /// scene; `None` (full batch) on a surface.
    pub fn minibatch(&self, o: &OptimizerEntry) -> Option<MiniBatch> {
        minibatch(self.task.is_some(), o.batch, self.batch, self.seed)
    }

    /// The start point, or `default` when the scene leaves it open.
    pub fn start_or(&self, default: &[f64]) -> Vec<f64> {
        self.start.clone().unwrap_or_else(|| default.to_vec())
    }

    /// What builds the scene's learning task ([`task::build`]), or `None` on a surface. Only
    /// the parameters the task has are passed (a `degree` left from a polynomial does not
    /// trouble a linear fit).
    pub fn task_spec(&self) -> Option<TaskSpec> {
        let task = self.task?;
        let schema = task::entry(task).schema;
        let given = [
            ("n", self.n.map(|v| v as f64)),
            ("data_noise", self.data_noise),
            ("degree", self.degree.map(|v| v as f64)),
            ("l2", self.l2),
        ];
        Some(TaskSpec {
            task,
            settings: given
                .iter()
                .filter(|(k, _)| schema.iter().any(|p| p.key == *k))
                .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
                .collect(),
            data_dist: self.data_dist,
            dataset: self.dataset,
            seed: self.seed,
            data: self.data.clone(),
        })
    }

    /// Appends a card for `entry` (its settings in their link form, see
    /// [`OptimizerEntry::canonical_settings`]) and returns its optimizer's id; refuses past
    /// [`MAX_OPTIMIZERS`] or for an unknown id or a bad value, saying why.
    pub fn add_optimizer(&mut self, entry: &OptimizerEntry) -> Result<&'static str, String> {
        if self.optimizers.len() >= MAX_OPTIMIZERS {
            return Err(format!(
                "At most {MAX_OPTIMIZERS} optimizers fit on one page."
            ));
        }
        let id = optim::kind(&entry.id)?.id;
        let settings = OptimizerEntry::canonical_settings(id, &entry.settings)?;
        self.optimizers.push(OptimizerEntry {
            id: id.to_string(),
            settings,
            hidden: entry.hidden,
            batch: entry.batch,
        });
        Ok(id)
    }

    /// The playhead, clamped to `steps` (a link may ask for more).
    pub fn playhead(&self) -> usize {
        self.t.unwrap_or(self.steps).min(self.steps)
    }
}

/// A card's mini-batches from its own `card` batch, else the scene's, seeded by `seed`: full
/// batch (`None`) off a task, for a batch of 0, or when neither sets one.
pub fn minibatch(
    on_task: bool,
    card: Option<usize>,
    scene: Option<usize>,
    seed: u64,
) -> Option<MiniBatch> {
    if !on_task {
        return None;
    }
    match card.or(scene)? {
        0 => None,
        size => Some(MiniBatch { size, seed }),
    }
}

/// Schedules travel in serde as their call text (`cosine(t_max=500)`), as in the URL.
mod schedule_text {
    use super::Schedule;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(s: &Schedule, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_str(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Schedule, D::Error> {
        let text = String::deserialize(de)?;
        Schedule::parse(&text).map_err(serde::de::Error::custom)
    }
}
