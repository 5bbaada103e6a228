//! The one parameter schema and the one catalogue shape, across optimizers, surfaces and
//! schedules: defaults in range, the one range check and its one message, unknown ids that
//! list the valid ones, and lookups that round-trip.

use gradscape::engine::call::Call;
use gradscape::engine::optim;
use gradscape::engine::param::{self, Kind, Param, Scale, Values};
use gradscape::engine::schedule::{self, Schedule};
use gradscape::engine::surface::{self, SurfaceError, SurfaceSpec};
use gradscape::engine::url;

/// Every schema of every catalogue, named `catalogue/id`.
fn every_schema() -> Vec<(String, param::Schema)> {
    let mut all = Vec::new();
    for k in optim::CATALOG {
        all.push((format!("optimizer/{}", k.id), k.schema));
    }
    for k in surface::CATALOG {
        all.push((format!("surface/{}", k.id), k.schema));
    }
    for k in schedule::CATALOG {
        all.push((format!("schedule/{}", k.id), k.schema));
    }
    all.push((
        "schedule/*".to_string(),
        std::slice::from_ref(&schedule::WARMUP),
    ));
    all
}

/// The one message, written out independently of the code under test.
fn out_of_range(p: &Param, v: f64) -> String {
    format!(
        "{k} = {v} is out of range; valid: {} ≤ {k} ≤ {}",
        p.min,
        p.max,
        k = p.key
    )
}

/// Values the one check must reject for `p`: NaN, ±∞, just below `min`, just above `max`.
fn bad_values(p: &Param) -> Vec<f64> {
    vec![
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        p.min - 1.0,
        p.max + 1.0,
    ]
}

#[test]
fn every_default_lies_within_its_range_and_its_slider() {
    for (at, schema) in every_schema() {
        for (i, p) in schema.iter().enumerate() {
            let at = format!("{at}.{}", p.key);
            assert!(schema[..i].iter().all(|o| o.key != p.key), "{at} twice");
            assert!(p.min <= p.default && p.default <= p.max, "{at}: default");
            let (lo, hi) = p.slider;
            assert!(
                p.min <= lo && lo < hi && hi <= p.max,
                "{at}: slider in range"
            );
            assert!(
                lo <= p.default && p.default <= hi,
                "{at}: default on the slider"
            );
            assert_eq!(p.check(p.default), Ok(()), "{at}: the default passes");
            if matches!(p.kind, Kind::Number(Scale::Log) | Kind::Whole(Scale::Log)) {
                assert!(lo > 0.0 && p.log_slider(), "{at}: log slider from > 0");
            }
            if p.kind == Kind::Bool {
                assert_eq!((p.min, p.max, p.slider), (0.0, 1.0, (0.0, 1.0)), "{at}");
            }
            if matches!(p.kind, Kind::Whole(_)) {
                assert_eq!(p.default.fract(), 0.0, "{at}: whole default");
            }
            assert!(!p.label.is_empty() && !p.help.is_empty(), "{at}");
        }
    }
}

#[test]
fn the_one_check_rejects_non_finite_and_out_of_range_with_the_one_message() {
    for (at, schema) in every_schema() {
        for p in schema {
            for v in bad_values(p) {
                assert_eq!(p.check(v), Err(out_of_range(p, v)), "{at}.{}", p.key);
            }
            assert_eq!(p.check(p.min), Ok(()), "{at}.{}: min is valid", p.key);
            assert_eq!(p.check(p.max), Ok(()), "{at}.{}: max is valid", p.key);
        }
    }
}

#[test]
fn optimizers_reject_bad_values_with_the_one_message() {
    for k in optim::CATALOG {
        for p in k.schema {
            for v in bad_values(p) {
                let e = optim::hyper(k.id, &[(p.key.to_string(), v)]).unwrap_err();
                assert_eq!(e, format!("{}: {}", k.id, out_of_range(p, v)));
                let e = optim::build(k.id, &[(p.key.to_string(), v)], 2)
                    .err()
                    .unwrap();
                assert_eq!(e, format!("{}: {}", k.id, out_of_range(p, v)));
            }
        }
    }
}

#[test]
fn surfaces_reject_bad_values_with_the_one_message() {
    let mut checked = 0;
    for k in surface::CATALOG {
        for p in k.schema {
            for v in bad_values(p) {
                let spec = SurfaceSpec {
                    id: k.id.to_string(),
                    params: vec![(p.key.to_string(), v)],
                    expr: None,
                };
                let e = surface::build(&spec).err().unwrap();
                assert_eq!(e, SurfaceError::Invalid(out_of_range(p, v)));
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 20,
        "quadratic and rosenbrock have two parameters each"
    );
}

#[test]
fn schedules_reject_bad_values_with_the_one_message() {
    for k in schedule::CATALOG {
        for p in k.schema.iter().chain([&schedule::WARMUP]) {
            for v in bad_values(p) {
                let call = Call {
                    name: k.id.to_string(),
                    args: vec![(p.key.to_string(), v)],
                };
                let e = Schedule::from_call(&call).unwrap_err();
                assert_eq!(e, out_of_range(p, v), "{}", k.id);
            }
        }
        // The alias is named as written.
        let call = Call {
            name: k.id.to_string(),
            args: vec![("warmup_steps".to_string(), -1.0)],
        };
        assert_eq!(
            Schedule::from_call(&call).unwrap_err(),
            "warmup_steps = -1 is out of range; valid: 0 ≤ warmup_steps ≤ 100000"
        );
    }
}

#[test]
fn toggles_and_whole_numbers_have_one_message_each() {
    let e = optim::hyper("rmsprop", &[("centered".into(), 0.5)]).unwrap_err();
    assert_eq!(
        e,
        "rmsprop: centered is a toggle; valid: 0 or 1 (false or true)"
    );
    let e = Schedule::parse("step(step_size=1.5)").unwrap_err();
    assert_eq!(
        e,
        "step_size = 1.5 is not a whole number; valid: a whole number from 1 to 100000"
    );
    assert!(Schedule::parse("step(step_size=2)").is_ok());
}

/// The URL notice for a fractional `step_size` changed wording with the one check: it now
/// says what is valid, like every other notice (it was "must be a whole number of updates").
#[test]
fn url_notice_for_a_fractional_step_size() {
    let d = url::decode("", "sched=step(step_size=1.5)");
    assert_eq!(
        d.notices,
        [
            "sched: step_size = 1.5 is not a whole number; valid: a whole number from 1 to \
          100000; using the default"
        ]
    );
}

#[test]
fn unknown_ids_list_every_valid_id() {
    let e = optim::kind("nope").err().unwrap();
    let ids: Vec<&str> = optim::CATALOG.iter().map(|k| k.id).collect();
    assert_eq!(
        e,
        format!("unknown optimizer 'nope'; valid: {}", ids.join(", "))
    );

    let e = surface::kind("nope").err().unwrap();
    let ids: Vec<&str> = surface::CATALOG.iter().map(|k| k.id).collect();
    assert_eq!(
        e,
        SurfaceError::Invalid(format!("unknown surface 'nope'; valid: {}", ids.join(", ")))
    );

    let e = schedule::kind("nope").unwrap_err();
    let ids: Vec<&str> = schedule::CATALOG.iter().map(|k| k.id).collect();
    assert_eq!(
        e,
        format!("unknown schedule 'nope'; valid: {}", ids.join(", "))
    );
}

#[test]
fn unknown_keys_name_the_valid_ones_in_each_catalogue() {
    for k in optim::CATALOG {
        let e = optim::hyper(k.id, &[("nope".into(), 1.0)]).unwrap_err();
        assert_eq!(
            e,
            format!(
                "{}: unknown hyperparameter 'nope'; valid: {}",
                k.id,
                param::key_list(k.schema)
            )
        );
    }
    for k in surface::CATALOG {
        let spec = SurfaceSpec {
            id: k.id.to_string(),
            params: vec![("nope".into(), 1.0)],
            expr: Some("x".into()),
        };
        let e = surface::build(&spec).err().unwrap();
        let want = format!(
            "{} has no parameter 'nope'; valid: {}",
            k.id,
            param::key_list(k.schema)
        );
        assert_eq!(e, SurfaceError::Invalid(want));
    }
    for k in schedule::CATALOG {
        let e = Schedule::parse(&format!("{}(nope=1)", k.id)).unwrap_err();
        let mut keys: Vec<&str> = k.schema.iter().map(|p| p.key).collect();
        keys.push("warmup (alias warmup_steps)");
        assert_eq!(
            e,
            format!(
                "schedule {} has no parameter 'nope'; valid: {}",
                k.id,
                keys.join(", ")
            )
        );
    }
}

#[test]
fn lookups_round_trip_for_every_id() {
    for k in optim::CATALOG {
        let found = optim::kind(k.id).unwrap();
        assert_eq!((found.id, found.name), (k.id, k.name));
        let h = optim::hyper(k.id, &[]).unwrap();
        assert_eq!(h.schema(), k.schema);
        assert!(optim::build(k.id, &[], 2).is_ok(), "{}", k.id);
    }
    for k in surface::CATALOG {
        let found = surface::kind(k.id).unwrap();
        assert_eq!((found.id, found.name), (k.id, k.name));
        let spec = SurfaceSpec {
            id: k.id.to_string(),
            params: Vec::new(),
            expr: (k.id == "custom").then(|| "x^2 + y^2".to_string()),
        };
        assert!(surface::build(&spec).is_ok(), "{}", k.id);
    }
    for k in schedule::CATALOG {
        let found = schedule::kind(k.id).unwrap();
        assert_eq!((found.id, found.name), (k.id, k.name));
        let s = Schedule::parse(k.id).unwrap();
        assert_eq!(s.kind().id, k.id);
        assert_eq!(Schedule::parse(&s.to_string()).unwrap(), s);
    }
}

#[test]
fn values_take_defaults_then_checked_settings_in_order() {
    let schema = optim::kind("adam").unwrap().schema;
    let d = Values::defaults(schema);
    assert_eq!(
        d.iter().collect::<Vec<_>>(),
        schema
            .iter()
            .map(|p| (p.key, p.default))
            .collect::<Vec<_>>()
    );
    let given = [("lr".to_string(), 0.1), ("lr".to_string(), 0.2)];
    let v = Values::with(schema, &given, |_, _| unreachable!("lr is known")).unwrap();
    assert_eq!(v.get("lr"), 0.2, "the last setting wins");
    assert_eq!(v.as_slice()[0], 0.2);
    let mut seen = Vec::new();
    let v = Values::with(schema, &[("extra".to_string(), 3.0)], |k, x| {
        seen.push((k.to_string(), x));
        Ok(())
    })
    .unwrap();
    assert_eq!(
        v, d,
        "keys outside the schema go to `other`, not into the values"
    );
    assert_eq!(seen, [("extra".to_string(), 3.0)]);
}
