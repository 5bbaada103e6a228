//! A user's expression in x and y, parsed by [`crate::engine::expr`]; its derivatives are as exact
//! as the built-in surfaces'. Points where it is not finite evaluate to NaN or ±∞, which the run
//! layer reports as divergence.

use super::{plain, Framed, SurfaceError, SurfaceInfo, SurfaceKind};
use crate::engine::expr::{self, Expr};

pub(super) fn custom(src: Option<&str>) -> Result<Framed<Expr>, SurfaceError> {
    let src = src.ok_or_else(|| {
        SurfaceError::Invalid(
            "custom needs an expression in x and y (expr), e.g. x^2 + 3*y^2".to_string(),
        )
    })?;
    let formula = expr::parse(src)?;
    let text = formula.to_string();
    Ok(Framed {
        formula,
        info: SurfaceInfo {
            view: [-3.0, 3.0, -3.0, 3.0],
            // Unknown in general.
            minima: vec![],
            default_start: [2.0, 1.5],
            log_scale: false,
            expr: text.clone(),
            formula: text,
        },
    })
}

pub(super) const CUSTOM: SurfaceKind = plain("custom", "Custom expression", |_, expr| {
    Ok(Box::new(custom(expr)?))
});
