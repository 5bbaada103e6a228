//! The budgets of successive halving and Hyperband, as Li et al. ("Hyperband: A Novel
//! Bandit-Based Approach to Hyperparameter Optimization", JMLR 18, 2018) write them in
//! Algorithm 1: with the maximum budget R and the reduction factor η,
//! s_max = ⌊log_η R⌋ and B = (s_max + 1)R; bracket s (from s_max down to 0) starts
//! n = ⌈B/R · η^s/(s + 1)⌉ configurations at r = R·η^(−s), and rung i = 0…s runs
//! n_i = ⌊n·η^(−i)⌋ of them for r_i = r·η^i, keeping the best ⌊n_i/η⌋ for the next rung.
//!
//! Budgets are steps, so r_i is rounded to the nearest whole step (at least 1); for R a power
//! of η (R = 81, η = 3) they are the paper's exactly. Powers of η are products, not `powf`, so
//! every platform plans the same search.

/// One rung of a bracket: how many configurations it runs and for how many steps each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rung {
    pub configs: usize,
    pub steps: usize,
    /// How many of them go on to the next rung (⌊n_i/η⌋; 0 on the last rung).
    pub keep: usize,
}

/// One bracket, numbered by s as in the paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bracket {
    pub s: usize,
    /// Configurations sampled for it (n).
    pub n: usize,
    pub rungs: Vec<Rung>,
}

/// η^k by repeated multiplication.
fn power(eta: f64, k: usize) -> f64 {
    (0..k).fold(1.0, |p, _| p * eta)
}

/// ⌊log_η R⌋: the largest s with η^s ≤ R.
pub fn s_max(r: usize, eta: f64) -> usize {
    let mut s = 0;
    while power(eta, s + 1) <= r as f64 {
        s += 1;
    }
    s
}

/// Checks R and η: a whole number of steps ≥ 1, and a finite factor > 1.
pub fn check(r: usize, eta: f64) -> Result<(), String> {
    if r == 0 || r > super::super::run::MAX_STEPS {
        return Err(format!(
            "max_steps = {r} is invalid; valid: 1 ≤ max_steps ≤ {}",
            super::super::run::MAX_STEPS
        ));
    }
    if !eta.is_finite() || eta <= 1.0 || eta > r.max(2) as f64 {
        return Err(format!(
            "eta = {eta} is invalid; valid: 1 < eta ≤ max_steps (3 is the paper's default)"
        ));
    }
    Ok(())
}

/// Bracket `s` of Hyperband with budget `r` and factor `eta` (Algorithm 1's inner loop).
pub fn bracket(r: usize, eta: f64, s: usize) -> Bracket {
    let s_max = s_max(r, eta);
    // B/R = s_max + 1.
    let n = ((s_max + 1) as f64 * power(eta, s) / (s + 1) as f64).ceil() as usize;
    // Rung i runs what rung i − 1 kept (n_i itself for an integer η) and keeps ⌊n_i/η⌋.
    let mut rungs: Vec<Rung> = Vec::with_capacity(s + 1);
    for i in 0..=s {
        let n_i = (n as f64 / power(eta, i)).floor() as usize;
        let configs = rungs.last().map_or(n, |prev| prev.keep).max(1);
        let keep = if i < s {
            ((n_i as f64 / eta).floor() as usize).clamp(1, configs)
        } else {
            0
        };
        let steps = (r as f64 / power(eta, s - i)).round().max(1.0) as usize;
        rungs.push(Rung {
            configs,
            steps,
            keep,
        });
    }
    Bracket { s, n, rungs }
}

/// Every bracket of Hyperband, s = s_max first.
pub fn hyperband(r: usize, eta: f64) -> Vec<Bracket> {
    (0..=s_max(r, eta))
        .rev()
        .map(|s| bracket(r, eta, s))
        .collect()
}

/// Successive halving on its own: Hyperband's most aggressive bracket, s = s_max.
pub fn halving(r: usize, eta: f64) -> Vec<Bracket> {
    vec![bracket(r, eta, s_max(r, eta))]
}
