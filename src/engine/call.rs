//! The "call" syntax shared by the URL, the CLI and schedules: `name(key=value,key=value)`, or a
//! comma-separated list of them such as `adam(lr=0.01,beta1=0.9),sgd(lr=0.001)`.
//!
//! Names and keys are identifiers (`[A-Za-z_][A-Za-z0-9_]*`); a bare `name` or `name()` has no
//! arguments; whitespace around any token is ignored; values are finite numbers in Rust's float
//! syntax or `true` / `false` (1 / 0). Printing uses Rust's shortest round-trip float text, so
//! parsing a printed call gives back exactly the same numbers.

use std::fmt;

/// One `name(key=value,…)`: what it names and its arguments in the order written.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<(String, f64)>,
}

/// Why a call did not parse: `position` is the character index (0-based) where parsing stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct CallError {
    pub position: usize,
    pub message: String,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position + 1, self.message)
    }
}

impl fmt::Display for Call {
    /// `name` when there are no arguments, else `name(k=v,…)` with shortest round-trip floats.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if self.args.is_empty() {
            return Ok(());
        }
        f.write_str("(")?;
        for (i, (k, v)) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{k}={}", number(*v))?;
        }
        f.write_str(")")
    }
}

/// Prints a list of calls joined by commas (the inverse of [`parse_calls`]).
/// Rust's plain float text (`0.001`), or its exponent form where that is clearly shorter
/// (`1e-8`, not `0.00000001`). Both are shortest round-trip, so parsing gives back the same
/// bits, and links stay readable.
pub fn number(v: f64) -> String {
    let plain = format!("{v}");
    let exp = format!("{v:e}");
    if exp.len() + 3 <= plain.len() {
        exp
    } else {
        plain
    }
}

pub fn format_calls(calls: &[Call]) -> String {
    calls
        .iter()
        .map(Call::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses exactly one call.
pub fn parse_call(text: &str) -> Result<Call, CallError> {
    let mut p = Parser::new(text);
    let call = p.call()?;
    p.skip_ws();
    if let Some(c) = p.peek() {
        return Err(p.error(format!("unexpected '{c}' after the call")));
    }
    Ok(call)
}

/// Parses one or more calls separated by commas (commas inside parentheses separate arguments).
pub fn parse_calls(text: &str) -> Result<Vec<Call>, CallError> {
    let mut p = Parser::new(text);
    let mut calls = vec![p.call()?];
    loop {
        p.skip_ws();
        match p.peek() {
            None => return Ok(calls),
            Some(',') => {
                p.pos += 1;
                calls.push(p.call()?);
            }
            Some(c) => return Err(p.error(format!("expected ',' between calls, found '{c}'"))),
        }
    }
}

/// A value as the call syntax reads it: a finite number, or `true` / `false` as 1 / 0.
/// The CLI's `--set key=value` uses the same rule.
pub fn parse_value(text: &str) -> Option<f64> {
    match text.trim() {
        "true" => Some(1.0),
        "false" => Some(0.0),
        t => super::number::parse(t).filter(|v| v.is_finite()),
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn new(text: &str) -> Self {
        Parser {
            chars: text.chars().collect(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn error(&self, message: String) -> CallError {
        CallError {
            position: self.pos,
            message,
        }
    }

    /// An identifier, after optional whitespace; `what` names it in the error.
    fn ident(&mut self, what: &str) -> Result<String, CallError> {
        self.skip_ws();
        let start = self.pos;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            return Err(match self.peek() {
                None => self.error(format!("expected {what}, found the end")),
                Some(c) => self.error(format!("expected {what}, found '{c}'")),
            });
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    fn call(&mut self) -> Result<Call, CallError> {
        let name = self.ident("a name")?;
        self.skip_ws();
        let mut args = Vec::new();
        if self.peek() != Some('(') {
            return Ok(Call { name, args });
        }
        let open = self.pos;
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok(Call { name, args });
        }
        loop {
            if self.peek().is_none() {
                return Err(self.unclosed(open));
            }
            let key = self.ident("a parameter name")?;
            self.skip_ws();
            if self.peek() != Some('=') {
                return Err(self.error(format!("expected '=' after '{key}'")));
            }
            self.pos += 1;
            self.skip_ws();
            let start = self.pos;
            while self.peek().is_some_and(|c| !matches!(c, ',' | ')' | '(')) {
                self.pos += 1;
            }
            let text: String = self.chars[start..self.pos].iter().collect();
            let text = text.trim();
            if text.is_empty() {
                return Err(CallError {
                    position: start,
                    message: format!("missing value for '{key}'"),
                });
            }
            let value = parse_value(text).ok_or_else(|| CallError {
                position: start,
                message: format!(
                    "bad number '{text}' for '{key}' (want a finite number, true or false)"
                ),
            })?;
            args.push((key, value));
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(Call { name, args });
                }
                Some(c) => return Err(self.error(format!("expected ',' or ')', found '{c}'"))),
                None => return Err(self.unclosed(open)),
            }
        }
    }

    fn unclosed(&self, open: usize) -> CallError {
        self.error(format!(
            "unclosed '(' opened at character {}; expected ')'",
            open + 1
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn call(name: &str, args: &[(&str, f64)]) -> Call {
        Call {
            name: name.into(),
            args: args.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn parses_lists_with_commas_inside_parentheses() {
        let calls = parse_calls("adam(lr=0.01,beta1=0.9),sgd(lr=0.001)").unwrap();
        assert_eq!(
            calls,
            vec![
                call("adam", &[("lr", 0.01), ("beta1", 0.9)]),
                call("sgd", &[("lr", 0.001)])
            ]
        );
    }

    #[test]
    fn bare_names_whitespace_and_booleans() {
        let calls = parse_calls("  constant , rmsprop ( centered = true , lr=1e-3 ) ,x()").unwrap();
        assert_eq!(
            calls,
            vec![
                call("constant", &[]),
                call("rmsprop", &[("centered", 1.0), ("lr", 1e-3)]),
                call("x", &[])
            ]
        );
        assert_eq!(parse_call("a(b=false)").unwrap(), call("a", &[("b", 0.0)]));
        assert_eq!(parse_call("a(b=-2.5)").unwrap(), call("a", &[("b", -2.5)]));
    }

    #[test]
    fn errors_say_where_and_what() {
        let e = parse_call("adam(lr=0.1").unwrap_err();
        assert_eq!(e.position, 11);
        assert!(e.message.contains("unclosed '('"), "{e}");
        let e = parse_call("adam(lr 0.1)").unwrap_err();
        assert_eq!(e.position, 8);
        assert!(e.message.contains("expected '=' after 'lr'"), "{e}");
        let e = parse_call("adam(lr=abc)").unwrap_err();
        assert_eq!(e.position, 8);
        assert!(e.message.contains("bad number 'abc'"), "{e}");
        assert_eq!(e.to_string(), format!("at character 9: {}", e.message));
        assert!(parse_call("adam(lr=)")
            .unwrap_err()
            .message
            .contains("missing value"));
        assert!(parse_call("adam(lr=nan)").is_err());
        assert!(parse_call("adam(lr=inf)").is_err());
        assert!(parse_call("")
            .unwrap_err()
            .message
            .contains("expected a name"));
        assert!(parse_call("1abc").is_err());
        assert!(parse_call("a,b")
            .unwrap_err()
            .message
            .contains("after the call"));
        assert!(parse_calls("a b")
            .unwrap_err()
            .message
            .contains("between calls"));
        assert!(parse_calls("a,").is_err());
        assert!(parse_call("a(b=1,)").is_err());
        assert!(parse_call("a(b=1 c=2)").is_err());
    }

    #[test]
    fn prints_shortest_round_trip_text() {
        let c = call("cosine", &[("t_max", 500.0), ("eta_min", 0.0), ("g", 0.1)]);
        assert_eq!(c.to_string(), "cosine(t_max=500,eta_min=0,g=0.1)");
        assert_eq!(call("constant", &[]).to_string(), "constant");
        let list = [call("a", &[("x", -1.5)]), call("b", &[])];
        assert_eq!(format_calls(&list), "a(x=-1.5),b");
    }

    fn arb_ident() -> impl Strategy<Value = String> {
        "[a-zA-Z_][a-zA-Z0-9_]{0,8}"
    }

    fn arb_call() -> impl Strategy<Value = Call> {
        (
            arb_ident(),
            prop::collection::vec(
                (
                    arb_ident(),
                    prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
                ),
                0..4,
            ),
        )
            .prop_map(|(name, args)| Call { name, args })
    }

    proptest! {
        #[test]
        fn parse_of_print_is_identity(calls in prop::collection::vec(arb_call(), 1..4)) {
            let text = format_calls(&calls);
            let back = parse_calls(&text).unwrap();
            prop_assert_eq!(back.len(), calls.len());
            for (a, b) in back.iter().zip(&calls) {
                prop_assert_eq!(&a.name, &b.name);
                prop_assert_eq!(a.args.len(), b.args.len());
                for ((ka, va), (kb, vb)) in a.args.iter().zip(&b.args) {
                    prop_assert_eq!(ka, kb);
                    prop_assert_eq!(va.to_bits(), vb.to_bits());
                }
            }
        }
    }
}
