//! User Timing marks that `make bench` reads with `performance.getEntriesByName`:
//! `gradscape:heatmap` (one heat-map and contour computation; cache hits are not measured) and
//! `gradscape:first-path`. Cheap, and invisible to users.

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Runs `f` and records its duration as the measure `name`.
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let start = format!("{name}:start");
    if let Some(p) = performance() {
        let _ = p.mark(&start);
    }
    let out = f();
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark(name, &start);
    }
    out
}

/// Records the mark `name` once (e.g. the first drawn path).
pub fn mark_once(name: &str) {
    if let Some(p) = performance() {
        if p.get_entries_by_name(name).length() == 0 {
            let _ = p.mark(name);
        }
    }
}
