//! User expressions in x and y: a small hand-written Pratt parser into an [`Expr`] tree that is
//! evaluated generically over [`Scalar`], so custom surfaces get exact gradients and Hessians.
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! expr    = expr ('+' | '-') expr            left-associative
//!         | expr ('*' | '/') expr            left-associative
//!         | ('-' | '+') expr                 binds looser than '^': -x^2 = -(x^2)
//!         | expr ('^' | '**') expr           right-associative: 2^3^2 = 2^9; 2^-x is allowed
//!         | number | x | y | pi | e | func '(' expr ')' | '(' expr ')'
//! number  = 12 | 1.5 | .5 | 5. | 1e-3 | 2.5E+4
//! func    = sin cos tan exp ln log sqrt abs tanh      (log is the natural logarithm, like ln)
//! ```
//!
//! There is no implicit multiplication: `2x` is an error ("expected an operator"). Errors carry
//! the 0-based *character* position where parsing stopped. Input is limited to
//! [`MAX_LEN`] characters and [`MAX_DEPTH`] levels of nesting, so adversarial input cannot
//! overflow the stack while parsing, evaluating or dropping the tree.

use crate::engine::scalar::Scalar;
use crate::engine::surface::{python_number, Formula, SurfaceError};
use std::fmt;

/// Longest accepted expression, in characters.
pub const MAX_LEN: usize = 2000;
/// Deepest accepted nesting of parentheses and operations (tree height).
pub const MAX_DEPTH: usize = 200;

/// Integer exponents up to this size use exact `powi` (works for negative bases); larger ones
/// go through `powf`, which keeps `powi`'s `n − 2` derivative exponent from overflowing.
const MAX_POWI: f64 = 1024.0;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(f64),
    X,
    Y,
    Pi,
    E,
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// A power with an integer literal exponent: exact, and defined for negative bases.
    Powi(Box<Expr>, i32),
    Call(Func, Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// Real power through `powf`.
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Sin,
    Cos,
    Tan,
    Exp,
    Ln,
    /// Natural logarithm, an alias of `ln` kept apart only so the text round-trips.
    Log,
    Sqrt,
    Abs,
    Tanh,
}

const FUNCS: [Func; 9] = [
    Func::Sin,
    Func::Cos,
    Func::Tan,
    Func::Exp,
    Func::Ln,
    Func::Log,
    Func::Sqrt,
    Func::Abs,
    Func::Tanh,
];

impl Func {
    fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Log => "log",
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
            Func::Tanh => "tanh",
        }
    }
}

/// Binding powers: a larger number binds tighter.
const PREC_ADD: u8 = 1;
const PREC_MUL: u8 = 2;
const PREC_UNARY: u8 = 3;
const PREC_POW: u8 = 4;
const PREC_ATOM: u8 = 5;

impl BinOp {
    fn prec(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => PREC_ADD,
            BinOp::Mul | BinOp::Div => PREC_MUL,
            BinOp::Pow => PREC_POW,
        }
    }
    fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => " + ",
            BinOp::Sub => " - ",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
        }
    }
}

impl Formula for Expr {
    fn eval<S: Scalar>(&self, x: S, y: S) -> S {
        match self {
            Expr::Num(c) => S::cst(*c),
            Expr::X => x,
            Expr::Y => y,
            Expr::Pi => S::cst(std::f64::consts::PI),
            Expr::E => S::cst(std::f64::consts::E),
            Expr::Neg(a) => -a.eval(x, y),
            Expr::Bin(op, a, b) => {
                let (a, b) = (a.eval(x, y), b.eval(x, y));
                match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    BinOp::Div => a / b,
                    BinOp::Pow => a.powf(b),
                }
            }
            Expr::Powi(a, n) => a.eval(x, y).powi(*n),
            Expr::Call(f, a) => {
                let a = a.eval(x, y);
                match f {
                    Func::Sin => a.sin(),
                    Func::Cos => a.cos(),
                    Func::Tan => a.tan(),
                    Func::Exp => a.exp(),
                    Func::Ln | Func::Log => a.ln(),
                    Func::Sqrt => a.sqrt(),
                    Func::Abs => a.abs(),
                    Func::Tanh => a.tanh(),
                }
            }
        }
    }

    fn python(&self) -> String {
        let mut out = String::new();
        write_python(&mut out, self);
        out
    }
}

/// Appends `e` as Python: Python's precedence matches the grammar's (unary minus between `*`
/// and `**`, `**` right-associative), so the same minimal parentheses as [`fmt::Display`]
/// apply. Constants and numbers are written as exact float literals.
fn write_python(out: &mut String, e: &Expr) {
    let sub = |out: &mut String, e: &Expr, paren: bool| {
        if paren {
            out.push('(');
            write_python(out, e);
            out.push(')');
        } else {
            write_python(out, e);
        }
    };
    match e {
        Expr::Num(c) => out.push_str(&python_number(*c)),
        Expr::X => out.push('x'),
        Expr::Y => out.push('y'),
        Expr::Pi => out.push_str(&python_number(std::f64::consts::PI)),
        Expr::E => out.push_str(&python_number(std::f64::consts::E)),
        Expr::Neg(a) => {
            out.push('-');
            sub(out, a, a.prec() < PREC_UNARY);
        }
        Expr::Bin(op, a, b) => {
            let p = op.prec();
            let (left, right) = if *op == BinOp::Pow {
                (a.prec() <= p, b.prec() < p)
            } else {
                (a.prec() < p, b.prec() <= p || b.prec() == PREC_UNARY)
            };
            sub(out, a, left);
            out.push_str(match op {
                BinOp::Pow => "**",
                _ => op.symbol(),
            });
            sub(out, b, right);
        }
        Expr::Powi(a, n) => {
            sub(out, a, a.prec() <= PREC_POW);
            out.push_str(&if *n < 0 {
                format!("**({n})")
            } else {
                format!("**{n}")
            });
        }
        Expr::Call(f, a) => {
            // The builtin `abs` works on floats, tensors and arrays alike; `math` has no `abs`.
            out.push_str(match f {
                Func::Abs => "abs",
                Func::Ln | Func::Log => "M.log",
                Func::Sin => "M.sin",
                Func::Cos => "M.cos",
                Func::Tan => "M.tan",
                Func::Exp => "M.exp",
                Func::Sqrt => "M.sqrt",
                Func::Tanh => "M.tanh",
            });
            sub(out, a, true);
        }
    }
}

impl Expr {
    fn prec(&self) -> u8 {
        match self {
            Expr::Bin(op, ..) => op.prec(),
            Expr::Neg(_) => PREC_UNARY,
            Expr::Powi(..) => PREC_POW,
            _ => PREC_ATOM,
        }
    }

    /// The value of an integer literal, optionally negated: the exponents `powi` takes.
    fn as_small_integer(&self) -> Option<i32> {
        match self {
            Expr::Num(c) if c.fract() == 0.0 && c.abs() <= MAX_POWI => Some(*c as i32),
            Expr::Neg(a) => a.as_small_integer().map(|n| -n),
            _ => None,
        }
    }
}

/// Writes `e`, parenthesised when `paren`.
fn write_sub(f: &mut fmt::Formatter<'_>, e: &Expr, paren: bool) -> fmt::Result {
    if paren {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

/// The normalised text: minimal parentheses, spaces around `+` and `-`; it parses back to the
/// same tree.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Num(c) => {
                // Rust's shortest round-trip form, in scientific notation when it would be long.
                let a = c.abs();
                if a != 0.0 && !(1e-5..1e15).contains(&a) {
                    write!(f, "{c:e}")
                } else {
                    write!(f, "{c}")
                }
            }
            Expr::X => f.write_str("x"),
            Expr::Y => f.write_str("y"),
            Expr::Pi => f.write_str("pi"),
            Expr::E => f.write_str("e"),
            Expr::Neg(a) => {
                f.write_str("-")?;
                write_sub(f, a, a.prec() < PREC_UNARY)
            }
            Expr::Bin(op, a, b) => {
                let p = op.prec();
                let (left, right) = if *op == BinOp::Pow {
                    (a.prec() <= p, b.prec() < p)
                } else {
                    // A negation on the right reads better in parentheses: x - (-y).
                    (a.prec() < p, b.prec() <= p || b.prec() == PREC_UNARY)
                };
                write_sub(f, a, left)?;
                f.write_str(op.symbol())?;
                write_sub(f, b, right)
            }
            Expr::Powi(a, n) => {
                write_sub(f, a, a.prec() <= PREC_POW)?;
                if *n < 0 {
                    write!(f, "^({n})")
                } else {
                    write!(f, "^{n}")
                }
            }
            Expr::Call(func, a) => write!(f, "{}({a})", func.name()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    /// `+ - * / ^`, with `**` read as `^`.
    Op(BinOp),
    Open,
    Close,
    End,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    /// Character index of the token's first character.
    pos: usize,
}

fn err(position: usize, message: impl Into<String>) -> SurfaceError {
    SurfaceError::Parse {
        position,
        message: message.into(),
    }
}

/// Splits the text into tokens; positions count characters, not bytes.
fn tokenize(chars: &[char]) -> Result<Vec<Token>, SurfaceError> {
    let mut toks = Vec::new();
    let mut i = 0;
    let digits_from = |mut j: usize| {
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '0'..='9' | '.' => {
                let mut end = digits_from(i);
                if chars.get(end) == Some(&'.') {
                    end = digits_from(end + 1);
                }
                if end == start + 1 && c == '.' {
                    return Err(err(start, "a '.' must be part of a number such as .5"));
                }
                // An exponent only when digits follow: `2e` stays 2 followed by the name e.
                if matches!(chars.get(end), Some('e' | 'E')) {
                    let sign = usize::from(matches!(chars.get(end + 1), Some('+' | '-')));
                    let exp_digits = end + 1 + sign;
                    if chars.get(exp_digits).is_some_and(char::is_ascii_digit) {
                        end = digits_from(exp_digits);
                    }
                }
                i = end;
                let text: String = chars[start..end].iter().collect();
                match super::number::parse(&text) {
                    Some(v) if v.is_finite() => Tok::Num(v),
                    _ => return Err(err(start, format!("number '{text}' is too large"))),
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                Tok::Name(chars[start..i].iter().collect())
            }
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                Tok::Op(BinOp::Pow)
            }
            '+' | '-' | '*' | '/' | '^' => {
                i += 1;
                Tok::Op(match c {
                    '+' => BinOp::Add,
                    '-' => BinOp::Sub,
                    '*' => BinOp::Mul,
                    '/' => BinOp::Div,
                    _ => BinOp::Pow,
                })
            }
            '(' => {
                i += 1;
                Tok::Open
            }
            ')' => {
                i += 1;
                Tok::Close
            }
            other => {
                let hint = match other {
                    '²' | '³' => "; write powers with ^, e.g. x^2",
                    '×' | '·' | '∙' => "; use * for multiplication",
                    '÷' => "; use / for division",
                    '−' | '–' => "; use the ASCII minus -",
                    'π' => "; write pi",
                    _ => "",
                };
                return Err(err(start, format!("unexpected character '{other}'{hint}")));
            }
        };
        toks.push(Token { tok, pos: start });
    }
    toks.push(Token {
        tok: Tok::End,
        pos: chars.len(),
    });
    Ok(toks)
}

/// A subtree and its height, so that over-deep trees are refused while they are built.
type Node = (Expr, usize);

struct Parser {
    toks: Vec<Token>,
    i: usize,
    /// Current recursion depth, which parentheses raise without adding tree height.
    depth: usize,
}

fn too_deep(position: usize) -> SurfaceError {
    err(
        position,
        format!("expression nested too deeply (more than {MAX_DEPTH} levels)"),
    )
}

/// Builds a node over children of the given heights, refusing trees taller than [`MAX_DEPTH`].
fn node(e: Expr, child_heights: &[usize], pos: usize) -> Result<Node, SurfaceError> {
    let h = 1 + child_heights.iter().copied().max().unwrap_or(0);
    if h > MAX_DEPTH {
        return Err(too_deep(pos));
    }
    Ok((e, h))
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.toks[self.i]
    }

    fn advance(&mut self) -> Token {
        let t = self.toks[self.i].clone();
        if t.tok != Tok::End {
            self.i += 1;
        }
        t
    }

    /// An expression whose operators all bind at least as tightly as `min_prec`.
    fn expr(&mut self, min_prec: u8) -> Result<Node, SurfaceError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(too_deep(self.peek().pos));
        }
        let (mut lhs, mut h) = self.operand()?;
        loop {
            let t = self.peek().clone();
            let op = match t.tok {
                Tok::Op(op) => op,
                Tok::Close | Tok::End => break,
                Tok::Num(_) | Tok::Name(_) | Tok::Open => {
                    return Err(err(t.pos, "expected an operator (+, -, *, /, ^)"));
                }
            };
            if op.prec() < min_prec {
                break;
            }
            self.advance();
            // '^' is right-associative: its right side may hold another '^'.
            let rhs_prec = if op == BinOp::Pow {
                PREC_POW
            } else {
                op.prec() + 1
            };
            let (rhs, rh) = self.expr(rhs_prec)?;
            let e = match (op, rhs.as_small_integer()) {
                (BinOp::Pow, Some(n)) => Expr::Powi(Box::new(lhs), n),
                _ => Expr::Bin(op, Box::new(lhs), Box::new(rhs)),
            };
            (lhs, h) = node(e, &[h, rh], t.pos)?;
        }
        self.depth -= 1;
        Ok((lhs, h))
    }

    /// A number, name, call, parenthesised group or signed operand.
    fn operand(&mut self) -> Result<Node, SurfaceError> {
        let t = self.advance();
        match t.tok {
            Tok::Num(v) => Ok((Expr::Num(v), 1)),
            Tok::Op(BinOp::Sub) => {
                let (a, h) = self.expr(PREC_UNARY)?;
                node(Expr::Neg(Box::new(a)), &[h], t.pos)
            }
            Tok::Op(BinOp::Add) => self.expr(PREC_UNARY),
            Tok::Open => self.group(t.pos),
            Tok::Name(name) => self.name(&name, t.pos),
            _ => Err(err(t.pos, "expected a number, x, y, a function or '('")),
        }
    }

    /// The inside of a group whose '(' at `open` has just been read, and its ')'.
    fn group(&mut self, open: usize) -> Result<Node, SurfaceError> {
        let inner = self.expr(0)?;
        let t = self.advance();
        match t.tok {
            Tok::Close => Ok(inner),
            _ => Err(err(
                t.pos,
                format!("unclosed '(' opened at character {}", open + 1),
            )),
        }
    }

    fn name(&mut self, name: &str, pos: usize) -> Result<Node, SurfaceError> {
        let leaf = match name {
            "x" => Some(Expr::X),
            "y" => Some(Expr::Y),
            "pi" => Some(Expr::Pi),
            "e" => Some(Expr::E),
            _ => None,
        };
        if let Some(e) = leaf {
            return Ok((e, 1));
        }
        let Some(&func) = FUNCS.iter().find(|f| f.name() == name) else {
            let funcs: Vec<&str> = FUNCS.iter().map(|f| f.name()).collect();
            return Err(err(
                pos,
                format!(
                    "unknown name '{name}'; valid: x, y, pi, e, {}",
                    funcs.join(", ")
                ),
            ));
        };
        let t = self.advance();
        if t.tok != Tok::Open {
            return Err(err(t.pos, format!("expected '(' after '{name}'")));
        }
        let (arg, h) = self.group(t.pos)?;
        node(Expr::Call(func, Box::new(arg)), &[h], pos)
    }
}

/// Parses `src` into an expression tree.
pub fn parse(src: &str) -> Result<Expr, SurfaceError> {
    let chars: Vec<char> = src.chars().collect();
    if chars.len() > MAX_LEN {
        return Err(err(
            MAX_LEN,
            format!("expression too long (more than {MAX_LEN} characters)"),
        ));
    }
    let mut p = Parser {
        toks: tokenize(&chars)?,
        i: 0,
        depth: 0,
    };
    if p.peek().tok == Tok::End {
        return Err(err(0, "empty expression"));
    }
    let (e, _) = p.expr(0)?;
    let t = p.peek();
    match t.tok {
        Tok::End => Ok(e),
        _ => Err(err(t.pos, "unexpected ')'")),
    }
}
