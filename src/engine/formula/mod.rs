//! Update rules and surface formulas as small expression trees ([`Ex`]): evaluated numerically
//! (tests check every rule against its optimizer's step; the formula panel fills in its
//! numbers from the same evaluation) and written out as MathML text.
//!
//! Rules are written once, as lines of a tiny language in [`rules`] (`m <- beta1*m + …`);
//! surface formulas are [`SurfaceInfo::expr`](crate::engine::surface::SurfaceInfo::expr), the
//! custom grammar's normalised text (a custom surface's, as [`crate::engine::expr`] printed the
//! tree it evaluates), read by the same small parser; a test checks each against the surface's
//! value. Every MathML token is generated here from symbols
//! of [`SYMBOLS`] and numbers we format, so the page may set the text as HTML.

pub mod narrate;
mod panel;
pub mod rules;

pub use panel::{card_rule, explain, surface_html, task_html, Explained};

/// A rule or formula tree. Symbols index [`SYMBOLS`].
#[derive(Clone, Debug, PartialEq)]
pub enum Ex {
    Num(f64),
    Sym(usize),
    Neg(Box<Ex>),
    /// `+ - * / ^`.
    Bin(char, Box<Ex>, Box<Ex>),
    Call(Fun, Vec<Ex>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fun {
    Sqrt,
    Abs,
    Sign,
    Max,
    Exp,
    Ln,
    Sin,
    Cos,
    Tan,
    Tanh,
    /// (H + δI)⁻¹·x, with H and δ (`damping`) from the environment: Newton's direction.
    Hinv,
    /// The logistic function σ(z) = 1/(1 + e⁻ᶻ).
    Sigma,
    /// Pⱼ(t), the Legendre polynomial of degree j at coordinate j.
    Legendre,
    /// `sumj(e, a, b)`: Σⱼ₌ₐᵇ of coordinate j of e.
    Sum,
}

const FUNS: &[(&str, Fun)] = &[
    ("sqrt", Fun::Sqrt),
    ("abs", Fun::Abs),
    ("sign", Fun::Sign),
    ("max", Fun::Max),
    ("exp", Fun::Exp),
    ("ln", Fun::Ln),
    ("log", Fun::Ln),
    ("sin", Fun::Sin),
    ("cos", Fun::Cos),
    ("tan", Fun::Tan),
    ("tanh", Fun::Tanh),
    ("hinv", Fun::Hinv),
    ("sigma", Fun::Sigma),
    ("P", Fun::Legendre),
    ("sumj", Fun::Sum),
];

/// Every name a rule or formula may use, with its MathML: schema keys (`lr`, `beta1`, …),
/// PyTorch state names (`exp_avg`, `square_avg`, …), the rules' own intermediates, and the
/// surfaces' variables and constants.
pub const SYMBOLS: &[(&str, &str)] = &[
    ("theta", "<mi>θ</mi>"),
    ("g", "<mi>g</mi>"),
    ("t", "<mi>t</mi>"),
    ("lr", "<mi>η</mi>"),
    ("beta1", "<msub><mi>β</mi><mn>1</mn></msub>"),
    ("beta2", "<msub><mi>β</mi><mn>2</mn></msub>"),
    ("eps", "<mi>ε</mi>"),
    ("weight_decay", "<mi>λ</mi>"),
    ("momentum", "<mi>μ</mi>"),
    ("dampening", "<mi>τ</mi>"),
    ("alpha", "<mi>α</mi>"),
    ("rho", "<mi>ρ</mi>"),
    ("lr_decay", "<mi>δ</mi>"),
    ("damping", "<mi>δ</mi>"),
    ("momentum_decay", "<mi>ψ</mi>"),
    ("momentum_buffer", "<mi>b</mi>"),
    ("exp_avg", "<mi>m</mi>"),
    ("exp_avg_sq", "<mi>v</mi>"),
    ("max_exp_avg_sq", "<msub><mi>v</mi><mi>max</mi></msub>"),
    ("sum", "<mi>s</mi>"),
    ("square_avg", "<mi>v</mi>"),
    (
        "grad_avg",
        "<mover accent=\"true\"><mi>g</mi><mo>‾</mo></mover>",
    ),
    ("acc_delta", "<mi>u</mi>"),
    ("exp_inf", "<mi>u</mi>"),
    ("mu_product", "<msub><mi>Π</mi><mi>t</mi></msub>"),
    (
        "mhat",
        "<mover accent=\"true\"><mi>m</mi><mo>^</mo></mover>",
    ),
    (
        "vhat",
        "<mover accent=\"true\"><mi>v</mi><mo>^</mo></mover>",
    ),
    ("denom", "<mi>d</mi>"),
    ("c", "<mi>c</mi>"),
    ("delta", "<mi>Δ</mi>"),
    ("clr", "<msub><mi>η</mi><mi>t</mi></msub>"),
    ("alpha_t", "<msub><mi>α</mi><mi>t</mi></msub>"),
    ("mu_t", "<msub><mi>μ</mi><mi>t</mi></msub>"),
    (
        "mu_next",
        "<msub><mi>μ</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub>",
    ),
    ("rho_inf", "<msub><mi>ρ</mi><mi>∞</mi></msub>"),
    ("rho_t", "<msub><mi>ρ</mi><mi>t</mi></msub>"),
    ("r", "<mi>r</mi>"),
    ("x", "<mi>x</mi>"),
    ("y", "<mi>y</mi>"),
    // Learning tasks' parameters, data point i and per-point quantities.
    ("w", "<mi>w</mi>"),
    ("b", "<mi>b</mi>"),
    ("w1", "<msub><mi>w</mi><mn>1</mn></msub>"),
    ("w2", "<msub><mi>w</mi><mn>2</mn></msub>"),
    ("wj", "<msub><mi>w</mi><mi>j</mi></msub>"),
    ("xi", "<msub><mi>x</mi><mi>i</mi></msub>"),
    ("yi", "<msub><mi>y</mi><mi>i</mi></msub>"),
    (
        "x1i",
        "<msub><mi>x</mi><mrow><mn>1</mn><mi>i</mi></mrow></msub>",
    ),
    (
        "x2i",
        "<msub><mi>x</mi><mrow><mn>2</mn><mi>i</mi></mrow></msub>",
    ),
    (
        "yhat",
        "<msub><mover accent=\"true\"><mi>y</mi><mo>^</mo></mover><mi>i</mi></msub>",
    ),
    ("p", "<msub><mi>p</mi><mi>i</mi></msub>"),
    ("loss", "<msub><mi>ℓ</mi><mi>i</mi></msub>"),
    ("penalty", "<mi>R</mi>"),
    ("pi", "<mi>π</mi>"),
    ("e", "<mi>e</mi>"),
];

/// The index of symbol `name` in [`SYMBOLS`].
pub fn sym(name: &str) -> Option<usize> {
    SYMBOLS.iter().position(|(n, _)| *n == name)
}

/// One line of a rule: `target ← expr` (a stored quantity or θ changes) or `target = expr`
/// (a quantity defined for this step).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub target: usize,
    pub update: bool,
    pub expr: Ex,
}

/// Parses rule text: lines separated by `;`, each `name <- expr` or `name = expr`, over the
/// names of [`SYMBOLS`], numbers, `+ - * / ^`, parentheses and the functions of `FUNS`. Rules
/// are our own text, so an error is a bug a test catches; it says which line.
pub fn parse_rule(text: &str) -> Result<Vec<Line>, String> {
    let mut lines = Vec::new();
    for l in text.split(';').map(str::trim).filter(|l| !l.is_empty()) {
        let at = l
            .find(['<', '='])
            .ok_or(format!("no assignment in '{l}'"))?;
        let update = l.as_bytes()[at] == b'<';
        let (lhs, rhs) = (&l[..at], &l[at + 1 + usize::from(update)..]);
        let target = sym(lhs.trim()).ok_or(format!("unknown target in '{l}'"))?;
        let expr = parse_ex(rhs).map_err(|e| format!("{e} in '{l}'"))?;
        lines.push(Line {
            target,
            update,
            expr,
        });
    }
    Ok(lines)
}

/// Parses one expression of the rule language.
pub fn parse_ex(text: &str) -> Result<Ex, String> {
    let mut p = P { s: text, i: 0 };
    let e = p.sum()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(format!("unexpected text at {}", p.i));
    }
    Ok(e)
}

struct P<'a> {
    s: &'a str,
    i: usize,
}

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }
    fn ws(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }
    fn sum(&mut self) -> Result<Ex, String> {
        let mut e = self.product()?;
        loop {
            let op = if self.eat(b'+') {
                '+'
            } else if self.eat(b'-') {
                '-'
            } else {
                return Ok(e);
            };
            e = Ex::Bin(op, Box::new(e), Box::new(self.product()?));
        }
    }
    fn product(&mut self) -> Result<Ex, String> {
        let mut e = self.unary()?;
        loop {
            let op = if self.eat(b'*') {
                '*'
            } else if self.eat(b'/') {
                '/'
            } else {
                return Ok(e);
            };
            e = Ex::Bin(op, Box::new(e), Box::new(self.unary()?));
        }
    }
    fn unary(&mut self) -> Result<Ex, String> {
        if self.eat(b'-') {
            return Ok(Ex::Neg(Box::new(self.unary()?)));
        }
        let base = self.atom()?;
        if self.eat(b'^') {
            return Ok(Ex::Bin('^', Box::new(base), Box::new(self.unary()?)));
        }
        Ok(base)
    }
    fn atom(&mut self) -> Result<Ex, String> {
        if self.eat(b'(') {
            let e = self.sum()?;
            return if self.eat(b')') {
                Ok(e)
            } else {
                Err("missing ')'".into())
            };
        }
        let start = self.i;
        let number = self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.');
        while let Some(c) = self.peek() {
            let exp_sign = number
                && matches!(c, b'+' | b'-')
                && matches!(self.s.as_bytes()[self.i - 1], b'e' | b'E');
            if !(c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exp_sign) {
                break;
            }
            self.i += 1;
        }
        let w = &self.s[start..self.i];
        if w.is_empty() {
            return Err(format!("expected a name or number at {start}"));
        }
        if number {
            return decimal(w).map(Ex::Num).ok_or(format!("bad number '{w}'"));
        }
        if let Some(&(_, f)) = FUNS.iter().find(|(n, _)| *n == w) {
            let mut args = Vec::new();
            if !self.eat(b'(') {
                return Err(format!("expected '(' after {w}"));
            }
            loop {
                args.push(self.sum()?);
                if self.eat(b')') {
                    return Ok(Ex::Call(f, args));
                }
                if !self.eat(b',') {
                    return Err("expected ',' or ')'".into());
                }
            }
        }
        sym(w).map(Ex::Sym).ok_or(format!("unknown name '{w}'"))
    }
}

/// A decimal such as `0.96` or `1.5e-7`: digits / 10ᵏ (one correctly rounded division, exact
/// for the rules' constants) times 10ᵉ, for display. The page does without the standard float
/// parser's tables.
fn decimal(w: &str) -> Option<f64> {
    let (w, exp) = match w.split_once(['e', 'E']) {
        Some((m, e)) => {
            let (neg, digits) = match e.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, e.strip_prefix('+').unwrap_or(e)),
            };
            if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|c| c.is_ascii_digit())
            {
                return None;
            }
            let n = digits
                .bytes()
                .fold(0i32, |n, c| n * 10 + i32::from(c - b'0'));
            (m, if neg { -n } else { n })
        }
        None => (w, 0),
    };
    // Past 15 digits the rest only rounds (display precision).
    let (mut digits, mut scale, mut dot, mut exp) = (0u64, 1u64, false, exp);
    for c in w.bytes() {
        match c {
            b'.' if !dot => dot = true,
            b'0'..=b'9' if digits < 100_000_000_000_000 => {
                digits = digits * 10 + u64::from(c - b'0');
                if dot {
                    scale *= 10;
                }
            }
            b'0'..=b'9' => exp += i32::from(!dot),
            _ => return None,
        }
    }
    let v = digits as f64 / scale as f64;
    Some(if exp == 0 {
        v
    } else {
        v * libm::pow(10.0, f64::from(exp))
    })
}

/// Values by symbol, each a vector over the coordinates or a scalar (length 1, broadcast).
/// `hessian` is row-major n × n, for Newton's direction.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub values: Vec<Option<Vec<f64>>>,
    pub hessian: Vec<f64>,
}

impl Env {
    pub fn new() -> Self {
        Env {
            values: vec![None; SYMBOLS.len()],
            hessian: Vec::new(),
        }
    }

    /// Sets `name` (a known symbol; others are ignored, e.g. PyTorch's `step` counter).
    pub fn set(&mut self, name: &str, v: Vec<f64>) {
        if let Some(i) = sym(name) {
            self.values[i] = Some(v);
        }
    }

    pub fn get(&self, name: &str) -> Option<&[f64]> {
        self.values[sym(name)?].as_deref()
    }

    /// Runs `lines` in order, each writing its target.
    pub fn run(&mut self, lines: &[Line]) -> Result<(), String> {
        for l in lines {
            let v = self.eval(&l.expr)?;
            self.values[l.target] = Some(v);
        }
        Ok(())
    }

    /// The value of `e`, element-wise with scalars broadcast: a scalar when every symbol in it is.
    pub fn eval(&self, e: &Ex) -> Result<Vec<f64>, String> {
        (0..self.width(e)).map(|i| self.at(e, i)).collect()
    }

    /// How many coordinates `e` has: the longest of its symbols' values (a missing one is an
    /// error in [`Env::at`]).
    fn width(&self, e: &Ex) -> usize {
        match e {
            Ex::Num(_) => 1,
            Ex::Sym(i) => self.values[*i].as_ref().map_or(1, Vec::len),
            Ex::Neg(a) => self.width(a),
            Ex::Bin(_, a, b) => self.width(a).max(self.width(b)),
            Ex::Call(Fun::Sum, _) => 1,
            Ex::Call(_, args) => args.iter().map(|a| self.width(a)).max().unwrap_or(1),
        }
    }

    /// Coordinate `i` of `e`.
    fn at(&self, e: &Ex, i: usize) -> Result<f64, String> {
        let arg = |k: usize| match e {
            Ex::Call(_, args) if k < args.len() => self.at(&args[k], i),
            _ => Err("wrong number of arguments".to_string()),
        };
        Ok(match e {
            Ex::Num(v) => *v,
            Ex::Sym(s) => {
                let v = self.values[*s]
                    .as_ref()
                    .ok_or(format!("{} has no value", SYMBOLS[*s].0))?;
                v[if v.len() == 1 { 0 } else { i }]
            }
            Ex::Neg(a) => -self.at(a, i)?,
            Ex::Bin(op, a, b) => {
                let (a, b) = (self.at(a, i)?, self.at(b, i)?);
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    '/' => a / b,
                    _ => libm::pow(a, b),
                }
            }
            Ex::Call(Fun::Max, _) => arg(0)?.max(arg(1)?),
            Ex::Call(Fun::Sum, args) => {
                let (a, b) = (arg(1)? as usize, arg(2)? as usize);
                let mut s = 0.0;
                for j in a..=b {
                    s += self.at(&args[0], j)?;
                }
                s
            }
            Ex::Call(Fun::Hinv, args) => {
                let g = self.eval(args.first().ok_or("no argument")?)?;
                self.hinv(&g)?[i]
            }
            Ex::Call(f, _) => {
                let a = arg(0)?;
                match f {
                    Fun::Sqrt => a.sqrt(),
                    Fun::Abs => a.abs(),
                    Fun::Sign if a == 0.0 => 0.0,
                    Fun::Sign => a.signum(),
                    Fun::Exp => libm::exp(a),
                    Fun::Ln => libm::log(a),
                    Fun::Sin => libm::sin(a),
                    Fun::Cos => libm::cos(a),
                    Fun::Tan => libm::tan(a),
                    Fun::Sigma => 1.0 / (1.0 + libm::exp(-a)),
                    Fun::Legendre => crate::engine::task::polynomial::legendre(a, i)[i],
                    _ => libm::tanh(a),
                }
            }
        })
    }

    /// Solves (H + δI)x = `g` by Gaussian elimination with partial pivoting.
    fn hinv(&self, g: &[f64]) -> Result<Vec<f64>, String> {
        let n = g.len();
        let d = self.get("damping").map_or(0.0, |d| d[0]);
        if self.hessian.len() != n * n {
            return Err("no Hessian".into());
        }
        let mut a: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                let mut row: Vec<f64> = self.hessian[i * n..(i + 1) * n].to_vec();
                row[i] += d;
                row.push(g[i]);
                row
            })
            .collect();
        for c in 0..n {
            let p = (c..n)
                .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
                .unwrap_or(c);
            a.swap(c, p);
            let pivot = a[c].clone();
            for row in &mut a[c + 1..] {
                let f = row[c] / pivot[c];
                for (x, p) in row[c..].iter_mut().zip(&pivot[c..]) {
                    *x -= f * p;
                }
            }
        }
        let mut x = vec![0.0; n];
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n).map(|k| a[i][k] * x[k]).sum();
            x[i] = (a[i][n] - s) / a[i][i];
        }
        Ok(x)
    }
}

/// Binding strength for parentheses: sums, products, unary minus, powers, atoms.
fn prec(e: &Ex) -> u8 {
    match e {
        Ex::Bin('+' | '-', ..) => 1,
        Ex::Bin('*', ..) => 2,
        Ex::Neg(_) => 3,
        Ex::Num(v) if *v < 0.0 => 3,
        Ex::Bin('^', ..) => 4,
        _ => 5,
    }
}

/// A number for display: whole numbers as they are, others to 4 significant digits, very
/// large or small ones as m×10ⁿ (MathML).
pub fn num_ml(v: f64) -> String {
    let a = v.abs();
    let sign = if v < 0.0 { "<mo>−</mo>" } else { "" };
    if a != 0.0 && !(1e-3..1e6).contains(&a) && a.is_finite() {
        let text = format!("{a:.3e}");
        let (m, e) = text.split_once('e').unwrap_or((&text, "0"));
        let m = m.trim_end_matches('0').trim_end_matches('.');
        let e = e.replace('-', "−");
        return format!("{sign}<mn>{m}</mn><mo>×</mo><msup><mn>10</mn><mn>{e}</mn></msup>");
    }
    format!("{sign}<mn>{}</mn>", short(a))
}

/// `v` to 4 significant digits, trailing zeros dropped (plain text).
pub fn short(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{v}");
    }
    let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `e` as MathML (the inside of a `<math>`).
pub fn ml(e: &Ex) -> String {
    let mut out = String::new();
    write_ml(&mut out, e);
    out
}

fn paren(out: &mut String, e: &Ex, wrap: bool) {
    if wrap {
        out.push_str("<mrow><mo>(</mo>");
        write_ml(out, e);
        out.push_str("<mo>)</mo></mrow>");
    } else {
        write_ml(out, e);
    }
}

/// Whether `e`, written out, starts with a digit (so a product needs a visible dot before it).
fn starts_with_number(e: &Ex) -> bool {
    match e {
        Ex::Num(_) => true,
        Ex::Bin('*' | '^', a, _) => starts_with_number(a),
        _ => false,
    }
}

fn write_ml(out: &mut String, e: &Ex) {
    match e {
        Ex::Num(v) => out.push_str(&num_ml(*v)),
        Ex::Sym(i) => out.push_str(SYMBOLS[*i].1),
        Ex::Neg(a) => {
            out.push_str("<mo>−</mo>");
            paren(out, a, prec(a) < 3);
        }
        Ex::Bin('/', a, b) => {
            out.push_str("<mfrac><mrow>");
            write_ml(out, a);
            out.push_str("</mrow><mrow>");
            write_ml(out, b);
            out.push_str("</mrow></mfrac>");
        }
        // β₁ᵗ: the exponent over the subscript, not after it.
        Ex::Bin('^', a, b) if matches!(**a, Ex::Sym(i) if SYMBOLS[i].1.starts_with("<msub>")) => {
            let Ex::Sym(i) = **a else { return };
            let base = SYMBOLS[i].1;
            out.push_str("<msubsup>");
            out.push_str(&base[6..base.len() - 7]);
            out.push_str("<mrow>");
            write_ml(out, b);
            out.push_str("</mrow></msubsup>");
        }
        Ex::Bin('^', a, b) => {
            out.push_str("<msup><mrow>");
            paren(out, a, prec(a) < 5 || matches!(**a, Ex::Call(Fun::Exp, _)));
            out.push_str("</mrow><mrow>");
            write_ml(out, b);
            out.push_str("</mrow></msup>");
        }
        Ex::Bin(op, a, b) => {
            out.push_str("<mrow>");
            let p = if *op == '*' { 2 } else { 1 };
            paren(out, a, prec(a) < p);
            out.push_str(match op {
                '+' => "<mo>+</mo>",
                '-' => "<mo>−</mo>",
                _ if starts_with_number(b) => "<mo>·</mo>",
                _ => "<mo>\u{2062}</mo>",
            });
            paren(out, b, prec(b) <= p || prec(b) == 3);
            out.push_str("</mrow>");
        }
        Ex::Call(Fun::Sqrt, a) => {
            out.push_str("<msqrt>");
            a.iter().for_each(|a| write_ml(out, a));
            out.push_str("</msqrt>");
        }
        Ex::Call(Fun::Abs, a) => {
            out.push_str("<mrow><mo>|</mo>");
            a.iter().for_each(|a| write_ml(out, a));
            out.push_str("<mo>|</mo></mrow>");
        }
        Ex::Call(Fun::Exp, a) => {
            out.push_str("<msup><mi>e</mi><mrow>");
            a.iter().for_each(|a| write_ml(out, a));
            out.push_str("</mrow></msup>");
        }
        Ex::Call(Fun::Hinv, a) => {
            out.push_str(
                "<mrow><msup><mrow><mo>(</mo><mi>H</mi><mo>+</mo><mi>δ</mi><mo>\u{2062}</mo>\
                 <mi>I</mi><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mo>\u{2062}</mo>",
            );
            a.iter().for_each(|a| paren(out, a, prec(a) < 5));
            out.push_str("</mrow>");
        }
        Ex::Call(Fun::Sum, a) if a.len() == 3 => {
            out.push_str("<mrow><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo>");
            write_ml(out, &a[1]);
            out.push_str("</mrow>");
            write_ml(out, &a[2]);
            out.push_str("</munderover>");
            paren(out, &a[0], prec(&a[0]) < 2);
            out.push_str("</mrow>");
        }
        Ex::Call(f, args) => {
            let name = match f {
                Fun::Sigma => "<mi>σ</mi>",
                Fun::Legendre => "<msub><mi>P</mi><mi>j</mi></msub>",
                _ => "",
            };
            let name = if name.is_empty() {
                let n = FUNS.iter().find(|(_, g)| g == f).map_or("f", |(n, _)| n);
                format!("<mi>{n}</mi>")
            } else {
                name.to_string()
            };
            out.push_str(&format!("<mrow>{name}<mo>\u{2061}</mo><mo>(</mo>"));
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str("<mo>,</mo>");
                }
                write_ml(out, a);
            }
            out.push_str("<mo>)</mo></mrow>");
        }
    }
}

/// The lines as a MathML table: target, ← or =, expression; `last`, a row's MathML to end on.
pub fn lines_ml(lines: &[Line], last: &str) -> String {
    let mut out =
        String::from("<math display=\"block\"><mtable columnalign=\"right center left\">");
    for l in lines {
        out.push_str("<mtr><mtd>");
        out.push_str(SYMBOLS[l.target].1);
        out.push_str(if l.update {
            "</mtd><mtd><mo>←</mo></mtd><mtd>"
        } else {
            "</mtd><mtd><mo>=</mo></mtd><mtd>"
        });
        write_ml(&mut out, &l.expr);
        out.push_str("</mtd></mtr>");
    }
    out.push_str(last);
    out.push_str("</mtable></math>");
    out
}

/// One line as inline MathML (a card's rule).
pub fn line_ml(l: &Line) -> String {
    let arrow = if l.update {
        "<mo>←</mo>"
    } else {
        "<mo>=</mo>"
    };
    format!("<math>{}{arrow}{}</math>", SYMBOLS[l.target].1, ml(&l.expr))
}

/// Escapes text for HTML (messages that carry user-visible names).
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
