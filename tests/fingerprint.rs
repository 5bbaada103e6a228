//! Bit-for-bit guard on the run layer: one digest over every optimizer × surface × variant
//! (plain, noisy with a schedule, state recorded, diverging), covering every point, loss,
//! gradient norm, gradient, rate, note, status, state and carried arrow. The digest was
//! recorded on the 2-D engine before runs became N-dimensional (commit b7bb97e); any change in
//! any bit of any trajectory changes it.

use gradscape::engine::noise::NoiseConfig;
use gradscape::engine::optim;
use gradscape::engine::run::{run, RunConfig, Status, Trajectory};
use gradscape::engine::schedule::Schedule;
use gradscape::engine::surface::{self, SurfaceSpec};

/// FNV-1a over 64-bit words: simple, stable, and enough to notice one flipped bit.
struct Fnv(u64);

impl Fnv {
    fn word(&mut self, w: u64) {
        for b in w.to_le_bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
    fn f(&mut self, v: f64) {
        self.word(v.to_bits());
    }
    fn text(&mut self, s: &str) {
        self.word(s.len() as u64);
        for b in s.bytes() {
            self.word(u64::from(b));
        }
    }
}

fn digest(h: &mut Fnv, t: &Trajectory) {
    h.word(t.points.len() as u64);
    for p in &t.points {
        h.f(p[0]);
        h.f(p[1]);
    }
    t.losses.iter().for_each(|&v| h.f(v));
    t.grad_norms.iter().for_each(|&v| h.f(v));
    for g in &t.grads {
        h.f(g[0]);
        h.f(g[1]);
    }
    t.lrs.iter().for_each(|&v| h.f(v));
    for (k, note) in &t.notes {
        h.word(*k as u64);
        h.text(note);
    }
    for state in &t.states {
        for (name, values) in state {
            h.text(name);
            values.iter().for_each(|&v| h.f(v));
        }
    }
    for c in &t.carried {
        for arrow in [c.direction, c.effective_lr] {
            match arrow {
                Some([a, b]) => {
                    h.f(a);
                    h.f(b);
                }
                None => h.word(u64::MAX),
            }
        }
    }
    match &t.status {
        Status::Finished => h.word(1),
        Status::Converged { step } => {
            h.word(2);
            h.word(*step as u64);
        }
        Status::Diverged { step, reason } => {
            h.word(3);
            h.word(*step as u64);
            h.text(reason);
        }
    }
}

#[test]
fn every_surface_trajectory_is_bit_for_bit_what_the_2d_engine_computed() {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    let mut runs = 0;
    for s in surface::CATALOG {
        let spec = SurfaceSpec {
            id: s.id.into(),
            expr: (s.id == "custom").then(|| "x^2 + 3*y^2 + sin(x*y)".to_string()),
            ..Default::default()
        };
        let surf = surface::build(&spec).unwrap();
        let start = surf.info().default_start;
        // The optimizers the 2-D engine had (adam_nobc came later).
        for o in optim::CATALOG.iter().filter(|o| o.id != "adam_nobc") {
            for variant in 0..4 {
                let mut c = RunConfig::new(o.id, start, 300);
                match variant {
                    1 => {
                        c.noise = NoiseConfig {
                            sigma: 0.5,
                            seed: 7,
                        };
                        c.schedule = Schedule::parse("cosine(t_max=300,eta_min=0)").unwrap();
                    }
                    2 => {
                        c.record_state = true;
                        c.converge_tol = Some(1e-6);
                    }
                    3 => c.settings.push(("lr".into(), 5.0)),
                    _ => {}
                }
                match run(&*surf, &c) {
                    Ok(t) => digest(&mut h, &t),
                    Err(e) => h.text(&e),
                }
                runs += 1;
            }
        }
    }
    assert_eq!(runs, 14 * 14 * 4);
    assert_eq!(h.0, GOLDEN, "digest {:#018x}", h.0);
}

const GOLDEN: u64 = 0x5737_ded8_dee3_935d;
