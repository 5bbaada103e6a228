//! Custom-surface expressions: parsing never panics; a parsed surface evaluates value,
//! gradient and Hessian anywhere, and its normalised text parses back to itself.
#![no_main]

use gradscape::engine::surface::{self, SurfaceSpec};
use libfuzzer_sys::fuzz_target;

fn spec(expr: &str) -> SurfaceSpec {
    SurfaceSpec {
        id: "custom".to_string(),
        params: Vec::new(),
        expr: Some(expr.to_string()),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = surface::build(&spec(text)) else {
        return;
    };
    for p in [[0.0, 0.0], [2.0, 1.5], [-1e-300, 1e300], [f64::MAX, -0.0]] {
        s.value(p);
        s.value_grad(p);
        s.value_grad_hessian(p);
    }
    let formula = s.info().formula;
    let again = surface::build(&spec(&formula)).expect("normalised text parses");
    assert_eq!(again.info().formula, formula);
});
