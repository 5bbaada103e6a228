//! The URL codec of the [`Scene`]: [`decode`] and [`encode`], versioned by `v`.
//!
//! The URL form is a public contract (the README's "Links" section): documentation authors
//! write links by hand, so it is plain `key=value` pairs joined by `&`, versioned by `v`, in the
//! query string or the hash (the hash wins where both set a key). Keys, in the order [`encode`]
//! writes them:
//!
//! | key | value | default |
//! |---|---|---|
//! | `v` | format version, `1` | 1 |
//! | `surface` | a call: `rosenbrock`, `quadratic(kappa=50,theta=30)`, `custom` | `rosenbrock` |
//! | `expr` | custom surface's f(x, y), percent-encoded where needed; alone it implies `surface=custom` | — |
//! | `start` | `x,y` on a surface; on a task one number per parameter (`w,b`; `w0,…,wd`; `w1,w2,b`) | the surface's own; the task's (all 0) |
//! | `steps` | whole number 0…[`MAX_STEPS`] | 300 |
//! | `opt` | calls: `adam(lr=0.01,beta1=0.9),sgd(lr=0.001)`; `hidden=1` hides one, `batch=k` (0: full) gives one card its own batch on a task; empty = none | see [`Scene::default`] |
//! | `sched` | a schedule call: `cosine(t_max=500)` | `constant` |
//! | `noise` | gradient noise σ ≥ 0 | 0 |
//! | `seed` | whole number ≥ 0 | 0 |
//! | `view` | `x0,x1,y0,y1` with x0 < x1, y0 < y1 | the surface's own |
//! | `stretch` | `0` \| `1`: the surface view fills its area, one scale per axis | 0 (true aspect) |
//! | `t` | playhead, whole number (clamped to `steps`) | `steps` |
//! | `lang` | `en` \| `zh` | the browser's language |
//! | `theme` | `light` \| `dark` | the system's (`prefers-color-scheme`) |
//! | `projector` | `0` \| `1`: large type, thick lines, high contrast | 0 |
//! | `embed` | `0` \| `1` | 0 |
//! | `hide` | panels: `controls,loss,legend,toolbar,header,formula` | none |
//! | `vectors` | `0` \| `1`: draw gradient/momentum arrows | 0 |
//! | `3d` | `0` \| `1` | 0 |
//! | `task` | `linear` \| `polynomial` \| `logistic` | none |
//! | `n` | whole number 1…[`MAX_DATA_POINTS`] (each task checks its own minimum) | the task's |
//! | `data_noise` | ≥ 0 | the task's |
//! | `data_dist` | `uniform` \| `gaussian`: the regression label noise | `uniform` |
//! | `batch` | `full` \| whole number 1…[`MAX_DATA_POINTS`] | `full` |
//! | `degree` | polynomial degree 1…12 | 3 |
//! | `l2` | L2 strength ≥ 0 (polynomial) | 0 |
//! | `dataset` | `blobs` \| `moons` (logistic) | `blobs` |
//! | `plane` | `weights` \| `pca`: the surface view's plane on a task of more than two parameters | `weights` |
//! | `data` | the task's own points: `x,y;x,y;…`, logistic `x1,x2,label;…`; at most [`data::MAX_URL_DATA_POINTS`] | generated |
//!
//! Decoding never fails: a bad value falls back to that key's default and adds one notice naming
//! the key, what was wrong and what is valid. Numbers are read with [`super::number::parse`] (the value
//! `str::parse::<f64>` gives) and written with Rust's shortest round-trip `{}`, so a link reproduces a scene bit for bit.

use super::call::{self, Call};
use super::optim;
use super::run::MAX_STEPS;
use super::scene::{
    DataDist, Dataset, DrawPlane, Lang, OptimizerEntry, Panel, Scene, Task, Theme, MAX_DATA_POINTS,
    MAX_OPTIMIZERS, MAX_VIEW_SPAN, MIN_VIEW_SPAN,
};
use super::schedule::Schedule;
use super::surface::{self, SurfaceError, SurfaceSpec};
use super::task::data::{self, Columns};
use super::task::{self, polynomial::MAX_DEGREE};
use std::collections::{HashMap, HashSet};

/// The URL format version this code reads and writes.
pub const VERSION: &str = "1";

/// Every key, in the order [`encode`] writes them.
pub const KEYS: &[&str] = &[
    "v",
    "surface",
    "expr",
    "start",
    "steps",
    "opt",
    "sched",
    "noise",
    "seed",
    "view",
    "stretch",
    "t",
    "lang",
    "theme",
    "projector",
    "embed",
    "hide",
    "vectors",
    "3d",
    "task",
    "n",
    "data_noise",
    "data_dist",
    "batch",
    "degree",
    "l2",
    "dataset",
    "plane",
    "data",
];

/// Notices echo user text; this keeps a pasted novel from filling the page.
const NOTICE_ECHO: usize = 40;

/// A decoded link: the scene, plus one notice per key that was ignored or fell back.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub scene: Scene,
    pub notices: Vec<String>,
}

/// Reads a scene from a page's query string and hash (each with or without its leading `?` /
/// `#`). Never fails: see the module docs.
pub fn decode(query: &str, hash: &str) -> Decoded {
    let mut r = Reader::default();
    r.read_pairs(query.strip_prefix('?').unwrap_or(query), true);
    r.read_pairs(hash.strip_prefix('#').unwrap_or(hash), false);
    let mut s = Scene::default();

    if let Some(v) = r.get("v") {
        if v.trim() != VERSION {
            r.notice(
                "v",
                format!(
                    "version '{}' is unknown; this page reads v=1, so the link was read as v=1",
                    short(v)
                ),
            );
        }
    }
    s.surface = r.surface();
    let start = r.field("start", start_numbers);
    if let Some(v) = r.field("steps", |t| whole(t, 0, MAX_STEPS)) {
        s.steps = v;
    }
    if let Some(v) = r.optimizers() {
        s.optimizers = v;
    }
    if let Some(v) = r.field("sched", |t| {
        let c = call::parse_call(t).map_err(|e| e.to_string())?;
        Schedule::from_call(&c)
    }) {
        s.schedule = v;
    }
    if let Some(v) = r.field("noise", non_negative) {
        s.noise = v;
    }
    if let Some(v) = r.field("seed", |t| {
        t.trim()
            .parse::<u64>()
            .map_err(|_| format!("'{}' is not valid; valid: a whole number ≥ 0", short(t)))
    }) {
        s.seed = v;
    }
    if let Some(v) = r.field("view", view) {
        s.view = Some(v);
    }
    if let Some(v) = r.field("stretch", flag) {
        s.stretch = v;
    }
    if let Some(v) = r.field("t", |t| whole(t, 0, usize::MAX)) {
        s.t = Some(v);
    }
    if let Some(v) = r.field("lang", |t| word(t, Lang::ALL, Lang::id)) {
        s.lang = Some(v);
    }
    if let Some(v) = r.field("theme", |t| word(t, Theme::ALL, Theme::id)) {
        s.theme = Some(v);
    }
    if let Some(v) = r.field("projector", flag) {
        s.projector = v;
    }
    if let Some(v) = r.field("embed", flag) {
        s.embed = v;
    }
    s.hide = r.hide();
    if let Some(v) = r.field("vectors", flag) {
        s.vectors = v;
    }
    if let Some(v) = r.field("3d", flag) {
        s.three_d = v;
    }
    s.task = r.field("task", |t| word(t, Task::ALL, Task::id));
    s.n = r.field("n", |t| whole(t, 1, MAX_DATA_POINTS));
    s.data_noise = r.field("data_noise", non_negative);
    if let Some(v) = r.field("data_dist", |t| word(t, DataDist::ALL, DataDist::id)) {
        s.data_dist = v;
    }
    s.batch = r.field("batch", batch).flatten();
    s.degree = r.field("degree", |t| whole(t, 1, MAX_DEGREE));
    s.l2 = r.field("l2", non_negative);
    if let Some(v) = r.field("dataset", |t| word(t, Dataset::ALL, Dataset::id)) {
        s.dataset = v;
    }
    if let Some(v) = r.field("plane", |t| word(t, DrawPlane::ALL, DrawPlane::id)) {
        s.plane = v;
    }
    s.data = match (r.get("data").is_some(), s.task) {
        (false, _) => None,
        (true, None) => {
            r.notice(
                "data",
                "only used with a task (task=linear, …); ignored".into(),
            );
            None
        }
        (true, Some(t)) => {
            let columns = match t {
                Task::Logistic => Columns::Labeled,
                Task::Linear | Task::Polynomial => Columns::Xy,
            };
            r.field("data", |text| data::parse_url(text, columns))
        }
    };
    // The start's length depends on what it starts: checked once the task is known.
    s.start = start.and_then(|v| {
        let (want, shape) = match s.task {
            None => (2, "x,y".to_string()),
            Some(t) => {
                let dim = task::dim(t, s.degree);
                (
                    dim,
                    format!("{dim} numbers, one per parameter of task {}", t.id()),
                )
            }
        };
        if v.len() == want {
            Some(v)
        } else {
            let text = format!("{} numbers; valid: {shape}; using the default", v.len());
            r.notice("start", text);
            None
        }
    });

    r.unknown_keys();
    Decoded {
        scene: s,
        notices: r.notices,
    }
}

/// The hash fragment (without `#`) for `scene`: `v=1`, then `surface` and `opt` always (so links
/// say what they show), then every other key whose value differs from the default, in [`KEYS`]
/// order.
pub fn encode(scene: &Scene) -> String {
    let d = Scene::default();
    let mut out: Vec<(&str, String)> = vec![("v", VERSION.to_string())];
    let surface = Call {
        name: scene.surface.id.clone(),
        args: scene.surface.params.clone(),
    };
    out.push(("surface", surface.to_string()));
    if let Some(e) = &scene.surface.expr {
        out.push(("expr", e.clone()));
    }
    if let Some(start) = &scene.start {
        let parts: Vec<String> = start.iter().map(|v| call::number(*v)).collect();
        out.push(("start", parts.join(",")));
    }
    if scene.steps != d.steps {
        out.push(("steps", scene.steps.to_string()));
    }
    let calls: Vec<Call> = scene
        .optimizers
        .iter()
        .map(|o| {
            let mut args = o.settings.clone();
            if o.hidden {
                args.push(("hidden".to_string(), 1.0));
            }
            if let Some(b) = o.batch {
                args.push(("batch".to_string(), b as f64));
            }
            Call {
                name: o.id.clone(),
                args,
            }
        })
        .collect();
    out.push(("opt", call::format_calls(&calls)));
    if scene.schedule != d.schedule {
        out.push(("sched", scene.schedule.to_string()));
    }
    if scene.noise != d.noise {
        out.push(("noise", call::number(scene.noise)));
    }
    if scene.seed != d.seed {
        out.push(("seed", scene.seed.to_string()));
    }
    if let Some([x0, x1, y0, y1]) = scene.view {
        out.push(("view", [x0, x1, y0, y1].map(call::number).join(",")));
    }
    if scene.stretch {
        out.push(("stretch", "1".to_string()));
    }
    if let Some(t) = scene.t {
        out.push(("t", t.to_string()));
    }
    if let Some(lang) = scene.lang {
        out.push(("lang", lang.id().to_string()));
    }
    if let Some(theme) = scene.theme {
        out.push(("theme", theme.id().to_string()));
    }
    if scene.projector {
        out.push(("projector", "1".to_string()));
    }
    if scene.embed {
        out.push(("embed", "1".to_string()));
    }
    if !scene.hide.is_empty() {
        let ids: Vec<&str> = scene.hide.iter().map(|p| p.id()).collect();
        out.push(("hide", ids.join(",")));
    }
    if scene.vectors {
        out.push(("vectors", "1".to_string()));
    }
    if scene.three_d {
        out.push(("3d", "1".to_string()));
    }
    if let Some(task) = scene.task {
        out.push(("task", task.id().to_string()));
    }
    if let Some(n) = scene.n {
        out.push(("n", n.to_string()));
    }
    if let Some(v) = scene.data_noise {
        out.push(("data_noise", call::number(v)));
    }
    if scene.data_dist != d.data_dist {
        out.push(("data_dist", scene.data_dist.id().to_string()));
    }
    if let Some(b) = scene.batch {
        out.push(("batch", b.to_string()));
    }
    if let Some(v) = scene.degree {
        out.push(("degree", v.to_string()));
    }
    if let Some(v) = scene.l2 {
        out.push(("l2", call::number(v)));
    }
    if scene.dataset != d.dataset {
        out.push(("dataset", scene.dataset.id().to_string()));
    }
    if scene.plane != d.plane {
        out.push(("plane", scene.plane.id().to_string()));
    }
    if let Some(v) = &scene.data {
        out.push(("data", v.to_url()));
    }
    out.iter()
        .map(|(k, v)| format!("{k}={}", escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes only what would break the `&`/`=` structure, the percent syntax itself, a
/// `+` (a space in query strings), and what browsers or chat apps would mangle: whitespace,
/// controls, quotes, angle brackets, backticks and non-ASCII. `(),=` stay readable.
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for ch in v.chars() {
        let keep =
            ch.is_ascii_graphic() && !matches!(ch, '"' | '#' | '%' | '&' | '+' | '<' | '>' | '`');
        if keep {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// `%XX` escapes to bytes (and `+` to a space in query strings), then UTF-8.
fn unescape(s: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let byte = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| Some((hex(h[0])? << 4) | hex(h[1])?));
                let Some(byte) = byte else {
                    return Err(
                        "bad percent escape ('%' must be followed by two hex digits)".to_string(),
                    );
                };
                out.push(byte);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "percent escapes do not form UTF-8 text".to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// At most [`NOTICE_ECHO`] characters of user text, for notices.
fn short(text: &str) -> String {
    if text.chars().count() <= NOTICE_ECHO {
        text.to_string()
    } else {
        text.chars().take(NOTICE_ECHO).chain(['…']).collect()
    }
}

/// The key/value pairs read so far, in order of first appearance (a later value replaces an
/// earlier one), and the notices, at most one per key. Indexed so that hostile links with
/// thousands of keys stay linear.
#[derive(Default)]
struct Reader {
    pairs: Vec<(String, String)>,
    index: HashMap<String, usize>,
    notices: Vec<String>,
    noted: HashSet<String>,
}

impl Reader {
    fn read_pairs(&mut self, text: &str, plus_is_space: bool) {
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = match unescape(raw_key, plus_is_space) {
                Ok(k) => k,
                Err(e) => {
                    self.notice(raw_key, format!("{e}; ignored"));
                    continue;
                }
            };
            match unescape(raw_value, plus_is_space) {
                Ok(value) => match self.index.get(&key) {
                    Some(&i) => self.pairs[i].1 = value,
                    None => {
                        self.index.insert(key.clone(), self.pairs.len());
                        self.pairs.push((key, value));
                    }
                },
                Err(e) => self.notice(&key, format!("{e}; ignored")),
            }
        }
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.index.get(key).map(|&i| self.pairs[i].1.as_str())
    }

    /// Adds `key: text` unless `key` already has a notice.
    fn notice(&mut self, key: &str, text: String) {
        if self.noted.insert(key.to_string()) {
            let label = if key.is_empty() {
                "(empty key)".to_string()
            } else {
                short(key)
            };
            self.notices.push(format!("{label}: {text}"));
        }
    }

    /// One notice per unknown key, the first few by name; the rest are counted in one more.
    fn unknown_keys(&mut self) {
        const NAMED: usize = 5;
        let unknown: Vec<String> = self
            .pairs
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !KEYS.contains(&k.as_str()) && !self.noted.contains(*k))
            .cloned()
            .collect();
        for key in unknown.iter().take(NAMED) {
            let text = format!("unknown key, ignored; valid keys: {}", KEYS.join(", "));
            self.notice(key, text);
        }
        if unknown.len() > NAMED {
            let more = unknown.len() - NAMED;
            self.notices
                .push(format!("{more} more unknown keys were ignored"));
        }
    }

    /// The parsed value of `key` if present and valid; a notice if present and invalid.
    fn field<T>(&mut self, key: &str, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
        let text = self.get(key)?;
        match parse(text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.notice(key, format!("{e}; using the default"));
                None
            }
        }
    }

    /// `surface` and `expr` together, checked by building the surface.
    fn surface(&mut self) -> SurfaceSpec {
        let default = Scene::default().surface;
        let expr = self.get("expr").map(str::to_string);
        let mut spec = match self.get("surface") {
            None if expr.is_some() => SurfaceSpec {
                id: "custom".to_string(),
                ..SurfaceSpec::default()
            },
            None => return default,
            Some(text) => match call::parse_call(text) {
                Ok(c) => SurfaceSpec {
                    id: c.name,
                    params: c.args,
                    expr: None,
                },
                Err(e) => {
                    // A bad `surface` makes any `expr` moot: one notice is enough.
                    self.notice("surface", format!("{e}; using the default"));
                    return default;
                }
            },
        };
        let custom = spec.id == "custom";
        if custom {
            spec.expr = expr.clone();
        }
        if let Err(e) = surface::build(&spec) {
            let key = match e {
                SurfaceError::Parse { .. } => "expr",
                SurfaceError::Invalid(_) if custom && spec.expr.is_none() => "expr",
                SurfaceError::Invalid(_) => "surface",
            };
            self.notice(key, format!("{e}; using the default surface"));
            return default;
        }
        // Only a good built-in surface makes a stray `expr` worth its own notice.
        if !custom && expr.is_some() {
            self.notice("expr", "only used with surface=custom; ignored".to_string());
        }
        spec
    }

    /// `opt`: bad optimizers are dropped one by one; the default list only if none is left.
    fn optimizers(&mut self) -> Option<Vec<OptimizerEntry>> {
        let text = self.get("opt")?;
        if text.trim().is_empty() {
            return Some(Vec::new());
        }
        let calls = match call::parse_calls(text) {
            Ok(c) => c,
            Err(e) => {
                self.notice("opt", format!("{e}; using the default optimizers"));
                return None;
            }
        };
        let mut kept = Vec::new();
        let mut errors = Vec::new();
        for c in calls {
            match entry(c) {
                Ok(e) => kept.push(e),
                Err(e) => errors.push(e),
            }
        }
        let mut parts = Vec::new();
        if !errors.is_empty() {
            let fate = if kept.is_empty() {
                "using the default optimizers"
            } else {
                "kept the others"
            };
            parts.push(format!("{}; {fate}", listed(&errors, "; ")));
        }
        if kept.len() > MAX_OPTIMIZERS {
            parts.push(format!(
                "{} optimizers; valid: at most {MAX_OPTIMIZERS}, so only the first {MAX_OPTIMIZERS} were kept",
                kept.len()
            ));
            kept.truncate(MAX_OPTIMIZERS);
        }
        if !parts.is_empty() {
            self.notice("opt", parts.join("; "));
        }
        (!kept.is_empty()).then_some(kept)
    }

    /// `hide`: unknown panels are dropped one by one, repeats silently.
    fn hide(&mut self) -> Vec<Panel> {
        let Some(text) = self.get("hide") else {
            return Vec::new();
        };
        let mut panels = Vec::new();
        let mut bad = Vec::new();
        for id in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match Panel::ALL.iter().find(|p| p.id() == id) {
                Some(p) if !panels.contains(p) => panels.push(*p),
                Some(_) => {}
                None => bad.push(format!("'{}'", short(id))),
            }
        }
        if !bad.is_empty() {
            let valid: Vec<&str> = Panel::ALL.iter().map(|p| p.id()).collect();
            let text = format!(
                "unknown panel {}, ignored; valid: {}",
                listed(&bad, ", "),
                valid.join(", ")
            );
            self.notice("hide", text);
        }
        panels
    }
}

/// The first few `items` joined by `sep`, then how many more: one notice stays one line.
fn listed(items: &[String], sep: &str) -> String {
    const SHOWN: usize = 3;
    let mut text = items[..items.len().min(SHOWN)].join(sep);
    if items.len() > SHOWN {
        text.push_str(&format!("{sep}and {} more", items.len() - SHOWN));
    }
    text
}

/// One optimizer call, validated against its schema; `hidden` and `batch` are the card's, not
/// hyperparameters.
fn entry(c: Call) -> Result<OptimizerEntry, String> {
    let mut hidden = false;
    let mut batch = None;
    let mut settings = Vec::new();
    for (key, value) in c.args {
        if key == "hidden" {
            if value != 0.0 && value != 1.0 {
                return Err(format!("{}: hidden = {value}; valid: 0 or 1", c.name));
            }
            hidden = value == 1.0;
        } else if key == "batch" {
            if value.fract() != 0.0 || !(0.0..=MAX_DATA_POINTS as f64).contains(&value) {
                return Err(format!(
                    "{}: batch = {value}; valid: 0 (full batch) or a whole number up to {MAX_DATA_POINTS}",
                    c.name
                ));
            }
            batch = Some(value as usize);
        } else {
            settings.push((key, value));
        }
    }
    optim::hyper(&c.name, &settings)?;
    Ok(OptimizerEntry {
        id: c.name,
        settings,
        hidden,
        batch,
    })
}

fn number(text: &str) -> Option<f64> {
    super::number::parse(text.trim()).filter(|v| v.is_finite())
}

/// Exactly `N` comma-separated finite numbers; `shape` describes them in the error.
fn numbers<const N: usize>(text: &str, shape: &str) -> Result<[f64; N], String> {
    let bad = || {
        format!(
            "'{}' is not valid; valid: {shape} (finite numbers)",
            short(text)
        )
    };
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() != N {
        return Err(bad());
    }
    let mut out = [0.0; N];
    for (slot, part) in out.iter_mut().zip(parts) {
        *slot = number(part).ok_or_else(bad)?;
    }
    Ok(out)
}

/// A start: 1…13 comma-separated finite numbers (13 = a degree-12 polynomial's weights).
fn start_numbers(text: &str) -> Result<Vec<f64>, String> {
    let bad = || {
        format!(
            "'{}' is not valid; valid: x,y on a surface, or one finite number per task parameter",
            short(text)
        )
    };
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() > MAX_DEGREE + 1 {
        return Err(bad());
    }
    parts.iter().map(|p| number(p).ok_or_else(bad)).collect()
}

/// `full` (`None`) or a batch size.
fn batch(text: &str) -> Result<Option<usize>, String> {
    if text.trim() == "full" {
        return Ok(None);
    }
    whole(text, 1, MAX_DATA_POINTS).map(Some).map_err(|_| {
        format!(
            "'{}' is not valid; valid: full or a whole number from 1 to {MAX_DATA_POINTS}",
            short(text)
        )
    })
}

fn view(text: &str) -> Result<[f64; 4], String> {
    let v = numbers::<4>(text, "x0,x1,y0,y1")?;
    let span = |lo: f64, hi: f64| (MIN_VIEW_SPAN..=MAX_VIEW_SPAN).contains(&(hi - lo));
    if span(v[0], v[1]) && span(v[2], v[3]) {
        Ok(v)
    } else {
        Err(format!(
            "'{}' is not valid; valid: x0,x1,y0,y1 with x1 − x0 and y1 − y0 from \
             {MIN_VIEW_SPAN:e} to {MAX_VIEW_SPAN:e}",
            short(text)
        ))
    }
}

fn whole(text: &str, min: usize, max: usize) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ if max == usize::MAX => Err(format!(
            "'{}' is not valid; valid: a whole number ≥ {min}",
            short(text)
        )),
        _ => Err(format!(
            "'{}' is not valid; valid: a whole number from {min} to {max}",
            short(text)
        )),
    }
}

fn non_negative(text: &str) -> Result<f64, String> {
    number(text)
        .filter(|v| *v >= 0.0)
        .ok_or_else(|| format!("'{}' is not valid; valid: a number ≥ 0", short(text)))
}

fn flag(text: &str) -> Result<bool, String> {
    match text.trim() {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(format!("'{}' is not valid; valid: 0 or 1", short(text))),
    }
}

fn word<T: Copy>(text: &str, all: &[T], id: fn(T) -> &'static str) -> Result<T, String> {
    let text = text.trim();
    all.iter().copied().find(|w| id(*w) == text).ok_or_else(|| {
        let valid: Vec<&str> = all.iter().map(|w| id(*w)).collect();
        format!(
            "'{}' is not valid; valid: {}",
            short(text),
            valid.join(", ")
        )
    })
}
