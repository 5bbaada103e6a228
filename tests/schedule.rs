//! Learning-rate schedules against their closed forms (PyTorch semantics: update k uses the
//! rate at scheduler step k − 1).

use gradscape::engine::schedule::{self, Rule, Schedule, CATALOG};
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn parses_the_documented_examples() {
    assert_eq!(Schedule::parse("constant").unwrap(), Schedule::default());
    let s = Schedule::parse("cosine(t_max=500,eta_min=0)").unwrap();
    assert_eq!(
        s.rule,
        Rule::Cosine {
            t_max: 500.0,
            eta_min: 0.0
        }
    );
    let s = Schedule::parse("step(step_size=100,gamma=0.5,warmup=10)").unwrap();
    assert_eq!(
        s.rule,
        Rule::Step {
            step_size: 100.0,
            gamma: 0.5
        }
    );
    assert_eq!(s.warmup, 10.0);
    let alias = Schedule::parse("step(step_size=100,gamma=0.5,warmup_steps=10)").unwrap();
    assert_eq!(alias, s);
}

#[test]
fn every_catalogue_id_parses_with_defaults_and_prints_back() {
    for k in CATALOG {
        let s = Schedule::parse(k.id).unwrap();
        assert_eq!(s.kind().id, k.id);
        assert_eq!(s.to_string(), k.id);
        assert_eq!(s.lr(0.5, 1), 0.5, "{}: update 1 uses the base rate", k.id);
    }
}

#[test]
fn printing_round_trips() {
    for text in [
        "step(step_size=3,gamma=0.5)",
        "exponential(gamma=0.9,warmup=5)",
        "cosine(t_max=200,eta_min=0.001)",
        "inverse_time(decay=0.25)",
    ] {
        let s = Schedule::parse(text).unwrap();
        assert_eq!(s.to_string(), text);
        assert_eq!(Schedule::parse(&s.to_string()).unwrap(), s);
    }
}

#[test]
fn errors_name_what_is_valid() {
    let e = Schedule::parse("linear").unwrap_err();
    assert!(e.contains("unknown schedule 'linear'"), "{e}");
    for k in CATALOG {
        assert!(e.contains(k.id), "{e}");
    }
    let e = Schedule::parse("cosine(tmax=5)").unwrap_err();
    assert!(e.contains("t_max, eta_min, warmup"), "{e}");
    let e = Schedule::parse("step(gamma=-1)").unwrap_err();
    assert!(e.contains("out of range"), "{e}");
    let e = Schedule::parse("step(step_size=2.5)").unwrap_err();
    assert!(e.contains("whole number"), "{e}");
    let e = Schedule::parse("cosine(t_max=5").unwrap_err();
    assert!(e.contains("unclosed"), "{e}");
    assert!(schedule::kind("nope").is_err());
}

#[test]
fn cosine_continues_past_t_max() {
    let s = Schedule::parse("cosine(t_max=10,eta_min=0.1)").unwrap();
    assert!(close(s.lr(1.0, 11), 0.1), "bottom at k − 1 = T");
    assert!(close(s.lr(1.0, 21), 1.0), "back to lr at k − 1 = 2T");
}

#[test]
fn step_with_gamma_zero_leaves_only_the_first_update() {
    let s = Schedule::parse("step(step_size=1,gamma=0)").unwrap();
    assert_eq!(s.lr(0.1, 1), 0.1);
    assert_eq!(s.lr(0.1, 2), 0.0);
    assert_eq!(s.lr(0.1, 50), 0.0);
}

proptest! {
    #[test]
    fn step_matches_closed_form(lr in 1e-4..10.0f64, s in 1u32..50, g in 0.0..1.0f64, k in 1usize..2000) {
        let sch = Schedule::parse(&format!("step(step_size={s},gamma={g})")).unwrap();
        let want = lr * g.powi(((k - 1) / s as usize) as i32);
        prop_assert!(close(sch.lr(lr, k), want));
    }

    #[test]
    fn exponential_matches_closed_form(lr in 1e-4..10.0f64, g in 0.5..1.0f64, k in 1usize..2000) {
        let sch = Schedule::parse(&format!("exponential(gamma={g})")).unwrap();
        prop_assert!(close(sch.lr(lr, k), lr * g.powi(k as i32 - 1)));
    }

    #[test]
    fn cosine_matches_closed_form(lr in 1e-4..10.0f64, t in 1u32..1000, m in 0.0..1e-3f64, k in 1usize..3000) {
        let sch = Schedule::parse(&format!("cosine(t_max={t},eta_min={m})")).unwrap();
        let want = m + (lr - m) * (1.0 + (std::f64::consts::PI * (k - 1) as f64 / t as f64).cos()) / 2.0;
        prop_assert!(close(sch.lr(lr, k), want));
    }

    #[test]
    fn inverse_time_matches_closed_form(lr in 1e-4..10.0f64, d in 0.0..5.0f64, k in 1usize..3000) {
        let sch = Schedule::parse(&format!("inverse_time(decay={d})")).unwrap();
        prop_assert!(close(sch.lr(lr, k), lr / (1.0 + d * (k - 1) as f64)));
    }

    #[test]
    fn warmup_multiplies_any_schedule(idx in 0..CATALOG.len(), w in 1u32..100, k in 1usize..300) {
        let id = CATALOG[idx].id;
        let plain = Schedule::parse(id).unwrap();
        let warm = Schedule::parse(&format!("{id}(warmup={w})")).unwrap();
        let factor = (k as f64 / w as f64).min(1.0);
        prop_assert!(close(warm.lr(0.3, k), plain.lr(0.3, k) * factor));
    }
}
