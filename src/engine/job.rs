//! Runs computed off the page's main thread (a Web Worker, `src/ui/worker.rs`). A card's job
//! is a link (the URL codec, the one source of truth) holding only what its run depends on, so
//! the same text is its key; its [`Trajectory`] travels back as one flat array of floats and the
//! divergence reason, and is rebuilt bit for bit.

use crate::engine::optim::NOTES;
use crate::engine::run::{run, Status, Trajectory};
use crate::engine::scene::{DrawPlane, Scene};
use crate::engine::task::{self, LearningTask, TaskSpec};
use crate::engine::url;

/// Card `card` of `scene` as a job: the scene with that card alone and every key that does not
/// change a run (playhead, view, theme, panels, …) at its default, encoded. `None` off a task.
pub fn job(scene: &Scene, card: usize) -> Option<String> {
    scene.task?;
    let mut entry = scene.optimizers.get(card)?.clone();
    entry.hidden = false;
    let only = Scene {
        optimizers: vec![entry],
        view: None,
        t: None,
        lang: None,
        theme: None,
        projector: false,
        embed: false,
        hide: Vec::new(),
        vectors: false,
        three_d: false,
        plane: DrawPlane::default(),
        ..scene.clone()
    };
    Some(url::encode(&only))
}

/// Runs jobs, keeping the last task built (a logistic task solves for its optimum when built).
#[derive(Default)]
pub struct Runner {
    task: Option<(TaskSpec, Box<dyn LearningTask>)>,
}

impl Runner {
    /// The trajectory of `job` ([`job`]), exactly as the page's own run of that card.
    pub fn run(&mut self, job: &str) -> Result<Trajectory, String> {
        let scene = url::decode("", job).scene;
        let spec = scene.task_spec().ok_or("a job runs a learning task")?;
        let task = match self.task.take() {
            Some((s, t)) if s == spec => t,
            _ => task::build(&spec)?,
        };
        let config = scene.run_configs(&task.start()).into_iter().next();
        let out = config.ok_or_else(|| "a job names one optimizer".to_string());
        let out = out.and_then(|c| run(task.as_problem(), &c));
        self.task = Some((spec, task));
        out
    }
}

/// Header floats before the notes: dim, points, updates, status, status step, note count.
const HEAD: usize = 6;

/// `t` as flat floats (the header, `(update, note index)` pairs, then params, points, losses,
/// gradient norms, gradients, drawn gradients, rates) and the divergence reason. Recorded
/// optimizer states do not travel: a job never records them.
pub fn to_flat(t: &Trajectory) -> (Vec<f64>, String) {
    let (code, step, reason) = match &t.status {
        Status::Finished => (0, 0, ""),
        Status::Converged { step } => (1, *step, ""),
        Status::Diverged { step, reason } => (2, *step, reason.as_str()),
    };
    let head = [
        t.dim,
        t.points.len(),
        t.lrs.len(),
        code,
        step,
        t.notes.len(),
    ];
    let mut out: Vec<f64> = head.iter().map(|&v| v as f64).collect();
    for (k, note) in &t.notes {
        let i = NOTES.iter().position(|n| n == note).unwrap_or(NOTES.len());
        out.extend([*k as f64, i as f64]);
    }
    out.extend_from_slice(&t.params);
    out.extend(t.points.iter().flatten());
    out.extend_from_slice(&t.losses);
    out.extend_from_slice(&t.grad_norms);
    out.extend_from_slice(&t.gradients);
    out.extend(t.grads.iter().flatten());
    out.extend_from_slice(&t.lrs);
    (out, reason.to_string())
}

/// The trajectory [`to_flat`] wrote, or why `floats` are not one.
pub fn from_flat(floats: &[f64], reason: &str) -> Result<Trajectory, String> {
    let bad = || "a worker sent a malformed trajectory".to_string();
    // Saturating casts: a bad count only makes the lengths disagree.
    let n = |i: usize| floats.get(i).map_or(usize::MAX, |&v| v as usize);
    let (dim, p, u, k) = (n(0), n(1), n(2), n(5));
    let mut at = HEAD;
    let mut parts = [&floats[..0]; 8];
    let sizes = [
        k,
        p.saturating_mul(dim),
        p,
        p,
        p,
        u.saturating_mul(dim),
        u,
        u,
    ];
    for (part, (size, width)) in parts
        .iter_mut()
        .zip(sizes.iter().zip([2, 1, 2, 1, 1, 1, 2, 1]))
    {
        let end = at.saturating_add(size.saturating_mul(width));
        *part = floats.get(at..end).ok_or_else(bad)?;
        at = end;
    }
    let notes: Option<Vec<_>> = parts[0]
        .chunks_exact(2)
        .map(|c| Some((c[0] as usize, *NOTES.get(c[1] as usize)?)))
        .collect();
    let pairs = |v: &[f64]| v.chunks_exact(2).map(|c| [c[0], c[1]]).collect();
    let status = match n(3) {
        0 => Status::Finished,
        1 => Status::Converged { step: n(4) },
        2 => Status::Diverged {
            step: n(4),
            reason: reason.to_string(),
        },
        _ => return Err(bad()),
    };
    if at != floats.len() || p == 0 {
        return Err(bad());
    }
    Ok(Trajectory {
        dim,
        params: parts[1].to_vec(),
        points: pairs(parts[2]),
        losses: parts[3].to_vec(),
        grad_norms: parts[4].to_vec(),
        gradients: parts[5].to_vec(),
        grads: pairs(parts[6]),
        lrs: parts[7].to_vec(),
        notes: notes.ok_or_else(bad)?,
        states: Vec::new(),
        carried: Vec::new(),
        status,
    })
}
