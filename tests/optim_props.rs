//! Properties every catalogued optimizer keeps, and the schema contract the page and CLI rely on.

use gradscape::engine::optim::{self, CATALOG};
use gradscape::engine::param::{Kind, Param, Scale, Values};
use proptest::prelude::*;

/// A value inside `h`'s slider range, `u` in [0, 1) picking where.
fn slider_value(h: &Param, u: f64) -> f64 {
    let (lo, hi) = h.slider;
    let v = match h.kind {
        Kind::Bool => (u >= 0.5) as u8 as f64,
        Kind::Number(Scale::Linear) => lo + u * (hi - lo),
        Kind::Number(Scale::Log) => (lo.ln() + u * (hi.ln() - lo.ln())).exp(),
        Kind::Whole(Scale::Linear) => (lo + u * (hi - lo)).round(),
        Kind::Whole(Scale::Log) => (lo.ln() + u * (hi.ln() - lo.ln())).exp().round(),
    };
    v.clamp(lo, hi)
}

fn finite_or_zero() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 9 => -1e3..1e3f64]
}

const STEPS: usize = 50;

proptest! {
    /// Finite, moderate inputs (|θ|, |g| ≤ 1e3, hyperparameters anywhere in their slider
    /// ranges, any Hessian for Newton) never produce NaN. The sliders keep ε > 0: with ε = 0
    /// (allowed by the range) a zero gradient gives 0/0 in Adam-like methods, as in PyTorch.
    #[test]
    fn no_nan_from_finite_inputs(
        n in 1usize..=4,
        u in prop::collection::vec(0.0..1.0f64, 8),
        params in prop::collection::vec(-1e3..1e3f64, 4),
        grads in prop::collection::vec(finite_or_zero(), 4 * STEPS),
        hess in prop::collection::vec(-10.0..10.0f64, 16),
    ) {
        for k in CATALOG {
            let mut h = Values::defaults(k.schema);
            for (hp, &u) in k.schema.iter().zip(&u) {
                h.set(hp.key, slider_value(hp, u)).unwrap();
            }
            let lr = h.get("lr");
            let mut opt = (k.make)(&h, n);
            let mut p = params[..n].to_vec();
            // Symmetric n × n from the upper triangle.
            let hessian: Vec<f64> = (0..n * n)
                .map(|i| {
                    let (r, c) = (i / n, i % n);
                    hess[r.min(c) * 4 + r.max(c)]
                })
                .collect();
            for t in 0..STEPS {
                let g = &grads[t * 4..t * 4 + n];
                let hs = opt.needs_hessian().then_some(&hessian[..]);
                opt.step(&mut p, g, lr, hs);
                prop_assert!(
                    p.iter().all(|x| !x.is_nan()),
                    "{} {:?}: NaN at step {}: {:?}", k.id, h, t + 1, p
                );
            }
            for (name, v) in opt.state() {
                prop_assert!(v.iter().all(|x| !x.is_nan()), "{} state {}: {:?}", k.id, name, v);
            }
            if let Some(e) = opt.effective_lr() {
                prop_assert!(e.iter().all(|x| !x.is_nan()), "{} effective lr {:?}", k.id, e);
            }
        }
    }

    /// Any value in range is accepted; anything outside, or non-finite, is refused with the
    /// range in the message.
    #[test]
    fn set_accepts_exactly_the_range(i in 0usize..CATALOG.len(), j in 0usize..8, u in -0.5..1.5f64) {
        let k = &CATALOG[i];
        let hp = &k.schema[j % k.schema.len()];
        let mut h = Values::defaults(k.schema);
        let v = match hp.kind {
            Kind::Bool => u.round(),
            Kind::Number(_) => hp.min + u * (hp.max - hp.min),
            Kind::Whole(_) => (hp.min + u * (hp.max - hp.min)).round(),
        };
        let r = h.set(hp.key, v);
        if (hp.min..=hp.max).contains(&v) {
            prop_assert!(r.is_ok(), "{}: {:?}", k.id, r);
            prop_assert_eq!(h.get(hp.key), v);
        } else {
            let e = r.unwrap_err();
            prop_assert!(e.contains("valid") && e.contains(hp.key), "{}", e);
            prop_assert_eq!(h.get(hp.key), hp.default);
        }
    }
}

#[test]
fn set_rejects_unknown_keys_naming_the_valid_ones() {
    for k in CATALOG {
        let e = Values::defaults(k.schema).set("betas", 0.9).unwrap_err();
        assert!(e.contains("unknown hyperparameter 'betas'"), "{e}");
        for hp in k.schema {
            assert!(e.contains(hp.key), "{}: {e}", k.id);
        }
    }
    let e = optim::build("adam", &[("momentum".into(), 0.9)], 2)
        .err()
        .unwrap();
    assert!(
        e.starts_with("adam: ") && e.contains("lr, beta1, beta2, eps, weight_decay"),
        "{e}"
    );
}

#[test]
fn set_rejects_out_of_range_and_non_finite_values() {
    let mut h = optim::hyper("adam", &[]).unwrap();
    let e = h.set("beta1", 1.0).unwrap_err();
    assert!(e.contains("0 ≤ beta1 ≤ 0.9999"), "{e}");
    assert!(h.set("lr", -1e-3).is_err());
    assert!(h.set("eps", f64::NAN).is_err());
    assert!(h.set("lr", f64::INFINITY).is_err());
    let mut h = optim::hyper("rmsprop", &[]).unwrap();
    let e = h.set("centered", 0.5).unwrap_err();
    assert!(e.contains("toggle"), "{e}");
    h.set("centered", 1.0).unwrap();
}

#[test]
fn unknown_optimizer_lists_the_ids() {
    let e = optim::build("adamm", &[], 2).err().unwrap();
    assert!(e.contains("adam, amsgrad, adamw"), "{e}");
}

#[test]
fn catalogue_order_and_pytorch_defaults() {
    let ids: Vec<&str> = CATALOG.iter().map(|k| k.id).collect();
    assert_eq!(
        ids,
        [
            "sgd",
            "momentum",
            "nesterov",
            "adagrad",
            "rmsprop",
            "adadelta",
            "adam",
            "amsgrad",
            "adamw",
            "adamax",
            "nadam",
            "radam",
            "lion",
            "newton",
            "adam_nobc"
        ]
    );
    let defaults = |id: &str| -> Vec<(&'static str, f64)> {
        Values::defaults(optim::kind(id).unwrap().schema)
            .iter()
            .collect()
    };
    assert_eq!(defaults("sgd"), [("lr", 1e-3), ("weight_decay", 0.0)]);
    assert_eq!(
        defaults("momentum"),
        [
            ("lr", 1e-3),
            ("momentum", 0.9),
            ("dampening", 0.0),
            ("weight_decay", 0.0),
            ("keras", 0.0)
        ]
    );
    assert_eq!(
        defaults("adagrad"),
        [
            ("lr", 0.01),
            ("lr_decay", 0.0),
            ("initial_accumulator_value", 0.0),
            ("eps", 1e-10),
            ("weight_decay", 0.0),
            ("keras", 0.0)
        ]
    );
    assert_eq!(
        defaults("rmsprop"),
        [
            ("lr", 0.01),
            ("alpha", 0.99),
            ("eps", 1e-8),
            ("momentum", 0.0),
            ("centered", 0.0),
            ("weight_decay", 0.0),
            ("keras", 0.0)
        ]
    );
    assert_eq!(
        defaults("adadelta"),
        [
            ("lr", 1.0),
            ("rho", 0.9),
            ("eps", 1e-6),
            ("weight_decay", 0.0)
        ]
    );
    let adam = [
        ("lr", 1e-3),
        ("beta1", 0.9),
        ("beta2", 0.999),
        ("eps", 1e-8),
        ("weight_decay", 0.0),
    ];
    // The Keras switch (off) follows where Keras 3 has the optimizer; RAdam and the teaching
    // variant have none.
    let with_keras: Vec<_> = adam.iter().copied().chain([("keras", 0.0)]).collect();
    assert_eq!(defaults("adam"), with_keras);
    assert_eq!(defaults("amsgrad"), with_keras);
    assert_eq!(defaults("radam"), adam);
    assert_eq!(defaults("adam_nobc"), adam);
    assert_eq!(defaults("adamw")[4], ("weight_decay", 0.01));
    assert_eq!(defaults("adamax")[0], ("lr", 2e-3));
    assert_eq!(defaults("nadam")[0], ("lr", 2e-3));
    assert_eq!(defaults("nadam")[4], ("momentum_decay", 4e-3));
    assert_eq!(
        defaults("lion"),
        [
            ("lr", 1e-4),
            ("beta1", 0.9),
            ("beta2", 0.99),
            ("weight_decay", 0.0)
        ]
    );
    assert_eq!(defaults("newton"), [("lr", 1.0), ("damping", 1e-3)]);
}

#[test]
fn schemas_are_consistent() {
    for k in CATALOG {
        assert!(!k.rule.is_empty() && !k.pytorch.is_empty(), "{}", k.id);
        assert_eq!(k.schema[0].key, "lr", "{}", k.id);
        for (i, hp) in k.schema.iter().enumerate() {
            let at = format!("{}.{}", k.id, hp.key);
            assert!(k.schema[..i].iter().all(|o| o.key != hp.key), "{at} twice");
            assert!(hp.min <= hp.default && hp.default <= hp.max, "{at} default");
            let (lo, hi) = hp.slider;
            assert!(hp.min <= lo && lo < hi && hi <= hp.max, "{at} slider");
            if hp.kind == Kind::Number(Scale::Log) {
                assert!(lo > 0.0, "{at}: a log slider needs a positive start");
            }
            assert!(!hp.help.is_empty() && !hp.label.is_empty(), "{at}");
        }
        assert_eq!(
            (k.make)(&Values::defaults(k.schema), 3).needs_hessian(),
            k.id == "newton"
        );
    }
}

/// Keras 3's constructor defaults (keras.optimizers.*), written out here independently of the
/// engine's table: with `keras=1` each value not given takes them, and a value given stays.
#[test]
fn keras_convention_takes_keras_defaults_unless_a_value_is_given() {
    use gradscape::engine::run::{run, RunConfig};
    use gradscape::engine::scene::OptimizerEntry;
    use gradscape::engine::surface::{self, SurfaceSpec};
    let keras: &[(&str, &[(&str, f64)])] = &[
        ("momentum", &[("lr", 0.01)]),
        ("nesterov", &[("lr", 0.01)]),
        (
            "adagrad",
            &[
                ("lr", 0.001),
                ("initial_accumulator_value", 0.1),
                ("eps", 1e-7),
            ],
        ),
        ("rmsprop", &[("lr", 0.001), ("alpha", 0.9), ("eps", 1e-7)]),
        ("adam", &[("eps", 1e-7)]),
        ("amsgrad", &[("eps", 1e-7)]),
        ("adamw", &[("eps", 1e-7), ("weight_decay", 0.004)]),
        ("adamax", &[("lr", 0.001), ("eps", 1e-7)]),
        ("nadam", &[("lr", 0.001), ("eps", 1e-7)]),
    ];
    let with_switch: Vec<&str> = optim::CATALOG
        .iter()
        .filter(|k| k.schema.iter().any(|p| p.key == "keras"))
        .map(|k| k.id)
        .collect();
    let listed: Vec<&str> = keras.iter().map(|k| k.0).collect();
    assert_eq!(with_switch, listed);
    let surf = surface::build(&SurfaceSpec {
        id: "rosenbrock".into(),
        ..Default::default()
    })
    .unwrap();
    let owned = |pairs: &[(&str, f64)]| -> Vec<(String, f64)> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    for (id, values) in keras {
        let on = owned(&[("keras", 1.0)]);
        let mut explicit = on.clone();
        explicit.extend(owned(values));
        let h = optim::hyper(id, &on).unwrap();
        for (k, v) in *values {
            assert_eq!(h.get(k), *v, "{id}: {k}");
        }
        let path = |settings: &[(String, f64)]| {
            let mut c = RunConfig::new(id, vec![-1.2, 1.0], 100);
            c.settings = settings.to_vec();
            run(&*surf, &c).unwrap().params
        };
        assert_eq!(path(&on), path(&explicit), "{id}");
        // A link keeps only what differs from the convention's defaults.
        assert_eq!(
            OptimizerEntry::canonical_settings(id, &explicit).unwrap(),
            on
        );
        // A value given stays as given, even PyTorch's default.
        let (k, _) = values[values.len() - 1];
        let torch = Values::defaults(optim::kind(id).unwrap().schema).get(k);
        let mut given = on.clone();
        given.push((k.to_string(), torch));
        assert_eq!(optim::hyper(id, &given).unwrap().get(k), torch, "{id}: {k}");
        let mut kept = OptimizerEntry::canonical_settings(id, &given).unwrap();
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        given.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(kept, given, "{id}");
        // PyTorch's convention keeps PyTorch's defaults.
        assert_eq!(
            optim::hyper(id, &owned(&[("keras", 0.0)])).unwrap().get(k),
            torch
        );
    }
}
