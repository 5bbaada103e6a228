//! Expensive card runs leave the main thread: two to four Web Workers (`public/worker.js`) run
//! this same wasm module, sent to them compiled with the glue's URL, and answer a job
//! ([`job::job`], a link) with its trajectory as transferred floats ([`job::to_flat`]). A card's
//! newest job replaces its queued one, and an answer to a superseded job is dropped. Where no
//! worker starts (a policy without `worker-src`, an old browser) or one fails, jobs run here.

use std::cell::RefCell;
use std::sync::Arc;

use js_sys::{Array, Float64Array, Reflect};
use leptos::prelude::{RwSignal, Set};
use wasm_bindgen::prelude::*;

use super::model::Outcome;
use crate::engine::job::{self, Runner};

struct Job {
    id: f64,
    card: usize,
    key: String,
    /// Set when the answer lands (or the workers fail: the card then runs it here).
    arrived: RwSignal<bool>,
}

#[derive(Default)]
struct Pool {
    started: bool,
    /// Each worker with the job it is running.
    workers: Vec<(web_sys::Worker, Option<Job>)>,
    /// Jobs not yet sent, at most one per card.
    queue: Vec<Job>,
    /// Each card's newest job: only its answer is kept.
    latest: Vec<(usize, f64)>,
    /// Each card's last answer, with its job.
    results: Vec<(usize, String, Outcome)>,
    next: f64,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::default();
    /// Runs the jobs of this instance: a worker's, or the page's when no worker runs.
    static RUNNER: RefCell<Runner> = RefCell::default();
}

/// The worker's entry point (`public/worker.js`, exported by `src/main.rs`): job `key`'s
/// trajectory as `[floats, reason]`, or `[null, why not]`.
pub fn run_job(key: &str) -> Array {
    match RUNNER.with_borrow_mut(|r| r.run(key)) {
        Ok(t) => {
            let (floats, reason) = job::to_flat(&t);
            Array::of2(&Float64Array::from(&floats[..]), &reason.into())
        }
        Err(e) => Array::of2(&JsValue::NULL, &e.into()),
    }
}

/// Card `card`'s answer to job `key`, once it has landed.
pub fn landed(card: usize, key: &str) -> Option<Outcome> {
    POOL.with_borrow(|p| {
        let mut mine = p.results.iter().filter(|(c, k, _)| *c == card && k == key);
        mine.next().map(|(_, _, o)| o.clone())
    })
}

/// Drops what the pool keeps for card `card` (removed).
pub fn forget(card: usize) {
    POOL.with_borrow_mut(|p| p.results.retain(|(c, _, _)| *c != card));
}

/// Runs card `card`'s job `key` in a worker, setting `arrived` once it has [`landed`] (`None`
/// returned), or here when no worker runs (the outcome returned).
pub fn submit(card: usize, key: String, arrived: RwSignal<bool>) -> Option<Outcome> {
    let queued = POOL.with_borrow_mut(|p| {
        if !p.started {
            p.start();
        }
        if p.workers.is_empty() {
            return false;
        }
        p.queue.retain(|j| j.card != card);
        let mut running = p.workers.iter().flat_map(|(_, j)| j);
        let id = match running.find(|j| j.card == card && j.key == key) {
            Some(j) => j.id,
            None => {
                p.next += 1.0;
                let key = key.clone();
                p.queue.push(Job {
                    id: p.next,
                    card,
                    key,
                    arrived,
                });
                p.next
            }
        };
        p.latest.retain(|(c, _)| *c != card);
        p.latest.push((card, id));
        p.pump();
        true
    });
    (!queued).then(|| RUNNER.with_borrow_mut(|r| r.run(&key)).map(Arc::new))
}

impl Pool {
    /// Starts the workers, or none: then every job runs here.
    fn start(&mut self) {
        self.started = true;
        let Some(window) = web_sys::window() else {
            return;
        };
        // The glue the page loaded (Trunk preloads it), for the workers to import.
        let glue = window
            .document()
            .and_then(|d| d.query_selector("link[rel=modulepreload]").ok().flatten())
            .and_then(|l| Reflect::get(&l, &"href".into()).ok());
        let Some(glue) = glue else {
            return;
        };
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let cores = window.navigator().hardware_concurrency() as usize;
        for i in 0..cores.clamp(2, 4) {
            let Ok(worker) = web_sys::Worker::new_with_options("./worker.js", &options) else {
                break;
            };
            let on_message = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
                let data = Reflect::get(&e, &"data".into()).unwrap_or_default();
                answer(i, data.unchecked_into());
            });
            let on_error = Closure::<dyn Fn()>::new(fail);
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            // The pool lives as long as the page.
            on_message.forget();
            on_error.forget();
            let _ = worker.post_message(&Array::of2(&glue, &wasm_bindgen::module()));
            self.workers.push((worker, None));
        }
    }

    /// Sends queued jobs to idle workers, oldest first.
    fn pump(&mut self) {
        for (worker, slot) in &mut self.workers {
            if slot.is_none() && !self.queue.is_empty() {
                let job = self.queue.remove(0);
                // A worker that cannot take it raises its error event (then `fail`).
                let _ = worker.post_message(&Array::of2(&job.id.into(), &job.key.as_str().into()));
                *slot = Some(job);
            }
        }
    }
}

/// Worker `i`'s `[id, floats, reason]`, or `[id]`: it could not run the module.
fn answer(i: usize, data: Array) {
    if data.length() < 2 {
        return fail();
    }
    let arrived = POOL.with_borrow_mut(|p| {
        let job = p.workers.get_mut(i)?.1.take()?;
        p.pump();
        if !p.latest.contains(&(job.card, job.id)) {
            return None;
        }
        let reason = data.get(2).as_string().unwrap_or_default();
        let outcome = match data.get(1).dyn_into::<Float64Array>() {
            Ok(f) => job::from_flat(&f.to_vec(), &reason).map(Arc::new),
            Err(_) => Err(reason),
        };
        p.results.retain(|(c, _, _)| *c != job.card);
        p.results.push((job.card, job.key, outcome));
        Some(job.arrived)
    });
    if let Some(a) = arrived {
        a.try_set(true);
    }
}

/// A worker failed: the workers stop, and their cards run their jobs here (they find no
/// answer and no worker).
fn fail() {
    web_sys::console::log_1(&"gradscape: Web Workers off; runs compute on the page".into());
    let jobs = POOL.with_borrow_mut(|p| {
        let mut jobs = std::mem::take(&mut p.queue);
        for (worker, job) in p.workers.drain(..) {
            worker.terminate();
            jobs.extend(job);
        }
        jobs
    });
    for job in jobs {
        job.arrived.try_set(true);
    }
}
