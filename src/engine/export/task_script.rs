//! The learning-task half of an exported script: the task's data, embedded exactly (the
//! user's own points as well as generated ones, which Python could not regenerate from
//! ChaCha), the model's features, and `objective(q, batch=None)`, the loss the optimizers
//! follow over the parameter vector `q`; plus the mini-batches each card drew, embedded as
//! index lists for the same reason as the gradient noise.

use super::python::{lit, Flavour};
use super::SceneRuns;
use crate::engine::noise::MiniBatches;
use crate::engine::scene::{Scene, Task};
use crate::engine::task::data::Group;
use crate::engine::task::{self, LearningTask, TaskSpec};
use std::fmt::Write;

/// The most batch indices a script embeds (about 1 MB of text).
pub const MAX_BATCH_INDICES: usize = 200_000;

/// `NAME = M.asarray([v, …])`, eight numbers a line.
fn array(out: &mut String, name: &str, values: impl Iterator<Item = f64>) {
    let _ = write!(out, "{name} = M.asarray([");
    for (i, v) in values.enumerate() {
        out.push_str(if i % 8 == 0 { "\n    " } else { " " });
        let _ = write!(out, "{},", lit(v));
    }
    out.push_str("\n])\n");
}

/// The regression objective: the mean squared residual over the batch, plus the L2 term.
const REGRESSION_OBJECTIVE: &str = "

PHI = features(X)


def objective(q, batch=None):
    \"\"\"The objective at q over the points `batch` (all of them when None).\"\"\"
    phi, y = (PHI, Y) if batch is None else (PHI[batch], Y[batch])
    r = phi @ q - y
    return M.mean(r * r)";

/// The data, model and `objective` of `task` (built from `spec`) for `flavour`.
pub(super) fn problem_code(
    spec: &TaskSpec,
    task: &dyn LearningTask,
    flavour: Flavour,
) -> Result<String, String> {
    let values = task::values(spec)?;
    let points = task.points();
    let train = || points.iter().filter(|p| p.group == Group::Train);
    let entry = task::entry(spec.task);
    let mut out = format!(
        "# {} (gradscape task {}, seed {}, {} points): {}\n",
        entry.name,
        entry.id,
        spec.seed,
        points.len(),
        entry.rule
    );
    match spec.task {
        Task::Linear | Task::Polynomial => {
            if spec.task == Task::Linear {
                out.push_str("# As nn.Linear(1, 1) with nn.MSELoss(), over q = (w, b).\n");
            } else {
                out.push_str(
                    "# Only the training points move the optimizers, so the validation points \
                     are left out.\n",
                );
            }
            array(&mut out, "X", train().map(|p| p.x));
            array(&mut out, "Y", train().map(|p| p.y));
            if spec.task == Task::Linear {
                out.push_str("\n\ndef features(x):\n    return M.stack([x, M.ones_like(x)], 1)\n");
            } else {
                let _ = write!(
                    out,
                    "DEGREE = {}\nL2 = {}\n\n\n\
                     def features(x):\n    \
                         \"\"\"Legendre P0..P_DEGREE of t = 2x - 1 (Bonnet's recurrence), as gradscape.\"\"\"\n    \
                         t = 2.0 * x - 1.0\n    \
                         p = [M.ones_like(t), t]\n    \
                         for k in range(1, DEGREE):\n        \
                             p.append(((2.0 * k + 1.0) * t * p[k] - k * p[k - 1]) / (k + 1.0))\n    \
                         return M.stack(p[: DEGREE + 1], 1)\n",
                    task.dim() - 1,
                    lit(values.get("l2"))
                );
            }
            out.push_str(REGRESSION_OBJECTIVE);
            if spec.task == Task::Polynomial {
                out.push_str(" + L2 * M.sum(q[1:] * q[1:])  # w0 is not penalised");
            }
            out.push('\n');
        }
        Task::Logistic => {
            out.push_str(
                "# As nn.Linear(2, 1) with nn.BCEWithLogitsLoss(), over q = (w1, w2, b).\n",
            );
            array(&mut out, "X1", points.iter().map(|p| p.x));
            array(&mut out, "X2", points.iter().map(|p| p.y));
            let label = |p: &&task::data::DataPoint| f64::from(u8::from(p.group == Group::Class1));
            array(&mut out, "LABEL", points.iter().map(|p| label(&p)));
            let bce = match flavour {
                Flavour::Pytorch => {
                    "torch.nn.functional.binary_cross_entropy_with_logits(phi @ q, y)"
                }
                Flavour::Optax => "optax.sigmoid_binary_cross_entropy(phi @ q, y).mean()",
            };
            let _ = write!(
                out,
                "PHI = M.stack([X1, X2, M.ones_like(X1)], 1)\n\n\n\
                 def objective(q, batch=None):\n    \
                     \"\"\"The mean binary cross-entropy at q over the points `batch` (all when None).\"\"\"\n    \
                     phi, y = (PHI, LABEL) if batch is None else (PHI[batch], LABEL[batch])\n    \
                     return {bce}\n"
            );
        }
    }
    Ok(out)
}

/// `BATCHES_k = [[i, …], …]` for every mini-batch size k the cards use (each run draws the
/// same batches from the scene's seed), and per card the name of its list (`None`: full
/// batch); an error past [`MAX_BATCH_INDICES`].
pub(super) fn batches_code(
    scene: &Scene,
    runs: &SceneRuns,
    samples: usize,
) -> Result<(String, Vec<Option<String>>), String> {
    let updates = |i: usize| runs.cards[i].outcome.as_ref().map_or(0, |t| t.last_step());
    let per_card: Vec<_> = scene
        .optimizers
        .iter()
        .map(|o| scene.minibatch(o))
        .collect();
    let mut sizes: Vec<usize> = per_card.iter().flatten().map(|mb| mb.size).collect();
    crate::engine::field::sort_indices(&mut sizes, &|a, b| a.cmp(&b));
    sizes.dedup();
    let mut out = String::new();
    let mut embedded = 0;
    for &size in &sizes {
        let (longest, config) = per_card
            .iter()
            .enumerate()
            .filter_map(|(i, mb)| mb.filter(|m| m.size == size).map(|m| (updates(i), m)))
            .fold((0, None), |(n, _), (u, m)| (n.max(u), Some(m)));
        let Some(config) = config else { continue };
        embedded += longest * size;
        if embedded > MAX_BATCH_INDICES {
            return Err(format!(
                "a script embeds the mini-batches gradscape drew, and these runs draw over \
                 {MAX_BATCH_INDICES} indices; valid: fewer steps or smaller batches, or csv or json"
            ));
        }
        let mut batches = MiniBatches::new(samples, config)?;
        let _ = writeln!(
            out,
            "# The data points of each update with batch = {size} (gradscape's seeded shuffle, \
             seed {}, a fresh permutation each epoch).\nBATCHES_{size} = [",
            config.seed
        );
        for _ in 0..longest {
            let batch: Vec<String> = batches.next_batch().iter().map(|i| i.to_string()).collect();
            let _ = writeln!(out, "    [{}],", batch.join(", "));
        }
        out.push_str("]\n");
    }
    let names = per_card
        .iter()
        .map(|mb| mb.map(|m| format!("BATCHES_{}", m.size)))
        .collect();
    Ok((out, names))
}
