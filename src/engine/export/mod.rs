//! Exports of a whole scene, written here once for the page's buttons and the CLI's `export`
//! verb, so both write the same bytes: CSV and JSON of every card's trajectory, and Python
//! scripts (PyTorch, optax) that reproduce the scene ([`python`]).
//!
//! Every card is exported, hidden ones included (hiding is a view choice; the JSON says which
//! are hidden), in card order, `index` counting from 0 so duplicates stay apart. A card whose
//! run fails has no rows; its error is in the JSON and in [`Export::problems`].

mod json;
mod python;
mod task_script;

pub use json::{json, number as json_number};

use super::problem::Problem;
use super::run::{self, Status, Trajectory};
use super::scene::Scene;
use super::surface;
use super::task;
use std::fmt::Write;

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Pytorch,
    Optax,
}

impl Format {
    pub const ALL: &'static [Format] = &[Format::Csv, Format::Json, Format::Pytorch, Format::Optax];

    /// The word the CLI's `--format` takes.
    pub fn id(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Pytorch => "pytorch",
            Format::Optax => "optax",
        }
    }

    /// The format named `id`, or an error listing the valid ones.
    pub fn parse(id: &str) -> Result<Format, String> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.id() == id)
            .ok_or_else(|| {
                let valid: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
                format!("unknown format '{id}'; valid: {}", valid.join(", "))
            })
    }
}

/// One card's run, as exported.
#[derive(Clone, Debug)]
pub struct CardRun {
    /// Position in the scene's card list, from 0.
    pub index: usize,
    pub id: String,
    /// Every hyperparameter in schema order, defaults filled in (empty if the id is unknown).
    pub values: Vec<(String, f64)>,
    pub hidden: bool,
    pub outcome: Result<Trajectory, String>,
}

/// Every card of a scene run on its problem, as the page runs them ([`Scene::run_configs`]).
#[derive(Clone, Debug)]
pub struct SceneRuns {
    /// The problem's parameter names: the CSV's columns between `step` and `loss`.
    pub param_names: Vec<String>,
    /// Where every card starts: the scene's start or the problem's default.
    pub start: Vec<f64>,
    pub cards: Vec<CardRun>,
}

/// Builds the scene's problem (its learning task, or else its surface) and runs every card on
/// it; an error only when the problem cannot be built.
pub fn run_scene(scene: &Scene) -> Result<SceneRuns, String> {
    match scene.task_spec() {
        Some(spec) => {
            let task = task::build(&spec).map_err(|e| format!("task: {e}"))?;
            Ok(run_cards(scene, task.as_problem(), &task.start()))
        }
        None => {
            let surface = surface::build(&scene.surface).map_err(|e| format!("surface: {e}"))?;
            let start = surface.info().default_start;
            Ok(run_cards(scene, &*surface, &start))
        }
    }
}

fn run_cards<P: Problem + ?Sized>(scene: &Scene, problem: &P, default_start: &[f64]) -> SceneRuns {
    let configs = scene.run_configs(default_start);
    let cards = scene
        .optimizers
        .iter()
        .zip(run::run_all(problem, &configs))
        .enumerate()
        .map(|(index, (entry, outcome))| CardRun {
            index,
            id: entry.id.clone(),
            values: entry.values().unwrap_or_default(),
            hidden: entry.hidden,
            outcome,
        })
        .collect();
    SceneRuns {
        param_names: problem.param_names(),
        start: scene.start_or(default_start),
        cards,
    }
}

/// A written export and the runs it came from, whose failures and divergences the caller
/// reports ([`Export::problems`]).
#[derive(Clone, Debug)]
pub struct Export {
    pub text: String,
    pub runs: SceneRuns,
}

impl Export {
    /// One line per card that failed to run or diverged, e.g. `card 1 (sgd) diverged at step
    /// 12: x became inf`.
    pub fn problems(&self) -> Vec<String> {
        self.runs
            .cards
            .iter()
            .filter_map(|c| match &c.outcome {
                Err(e) => Some(format!("card {} ({}) did not run: {e}", c.index, c.id)),
                Ok(t) => match &t.status {
                    Status::Diverged { step, reason } => Some(format!(
                        "card {} ({}) diverged at step {step}: {reason}",
                        c.index, c.id
                    )),
                    _ => None,
                },
            })
            .collect()
    }
}

/// The scene in `format`: what the page's export buttons and `gradscape export` write. Errors
/// (an unbuildable surface, a script that would embed too much noise) say why.
pub fn export(scene: &Scene, format: Format) -> Result<Export, String> {
    let runs = run_scene(scene)?;
    let text = match format {
        Format::Csv => csv(&runs),
        Format::Json => json(scene, &runs),
        Format::Pytorch => python::script(scene, &runs, python::Flavour::Pytorch)?,
        Format::Optax => python::script(scene, &runs, python::Flavour::Optax)?,
    };
    Ok(Export { text, runs })
}

/// `optimizer,index,step,<parameter names>,loss`: one header, then every kept point of every
/// card in card order, values in Rust's shortest round-trip text (as `gradscape trace`).
pub fn csv(runs: &SceneRuns) -> String {
    let mut out = format!("optimizer,index,step,{},loss\n", runs.param_names.join(","));
    for card in &runs.cards {
        let Ok(t) = &card.outcome else { continue };
        for (step, loss) in t.losses.iter().enumerate() {
            // Writing into a String cannot fail.
            let _ = write!(out, "{},{},{step}", card.id, card.index);
            for v in t.params_at(step) {
                let _ = write!(out, ",{v}");
            }
            let _ = writeln!(out, ",{loss}");
        }
    }
    out
}

/// The card's hyperparameter `key`; 0 for a key its optimizer does not have (no weight decay).
fn value(card: &CardRun, key: &str) -> f64 {
    card.values
        .iter()
        .find(|(k, _)| k == key)
        .map_or(0.0, |(_, v)| *v)
}
