//! Datasets of the learning tasks: the points a task fits, a user's own data as it lives in the
//! scene, and the two text forms of that data — CSV (the CLI's `--data FILE`, a paste on the
//! page) and the compact URL form (`data=0.1,0.32;0.5,1.4`).
//!
//! Both readers share one row parser, so a CSV line and a URL point are checked by the same
//! rules and their errors name the line (or point) and the reason. Nothing here panics on any
//! input (`tests/fuzz_parsers.rs`).

use crate::engine::call;
use crate::engine::number;
use crate::engine::scene::MAX_DATA_POINTS;
use serde::{Deserialize, Serialize};

/// The most points a link may carry: a 500-point `data=` is about 8 KB, which browsers and
/// chat apps still pass along; larger datasets belong in a CSV file.
pub const MAX_URL_DATA_POINTS: usize = 500;

/// What role a data point plays, and so how the page marks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// A regression point the loss is computed on.
    Train,
    /// A held-out regression point (polynomial): only the validation loss sees it.
    Val,
    /// A classification point of class 0 or class 1 (logistic).
    Class0,
    Class1,
}

impl Group {
    /// The CLI's `split` or `label` column.
    pub fn id(self) -> &'static str {
        match self {
            Group::Train => "train",
            Group::Val => "val",
            Group::Class0 => "0",
            Group::Class1 => "1",
        }
    }
}

/// One point of a task's dataset: `(x, y)` for regression, `(x1, x2)` for classification.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DataPoint {
    pub x: f64,
    pub y: f64,
    pub group: Group,
}

/// A user's own dataset, replacing the generated one: `(x, y)` pairs for linear and polynomial
/// fits, `(x1, x2, label)` for logistic regression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Data {
    Xy(Vec<[f64; 2]>),
    Labeled(Vec<([f64; 2], bool)>),
}

impl Data {
    pub fn len(&self) -> usize {
        match self {
            Data::Xy(v) => v.len(),
            Data::Labeled(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The URL form: points separated by `;`, values by `,`, shortest round-trip numbers,
    /// labels as `0` / `1`.
    pub fn to_url(&self) -> String {
        let rows: Vec<String> = match self {
            Data::Xy(v) => v
                .iter()
                .map(|[x, y]| format!("{},{}", call::number(*x), call::number(*y)))
                .collect(),
            Data::Labeled(v) => v
                .iter()
                .map(|([a, b], l)| {
                    format!("{},{},{}", call::number(*a), call::number(*b), u8::from(*l))
                })
                .collect(),
        };
        rows.join(";")
    }
}

/// Which columns a dataset has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// `x,y`
    Xy,
    /// `x1,x2,label`
    Labeled,
}

impl Columns {
    fn count(self) -> usize {
        match self {
            Columns::Xy => 2,
            Columns::Labeled => 3,
        }
    }
}

/// Reads CSV text: one point per line, an optional header line first (a line none of whose
/// fields is a number), blank lines ignored, at most [`MAX_DATA_POINTS`] points. Errors name
/// the line: `line 3: expected 2 numbers, found "abc"`.
pub fn parse_csv(text: &str, columns: Columns) -> Result<Data, String> {
    let mut rows = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .peekable();
    if let Some((_, first)) = rows.peek() {
        if first.split(',').all(|f| number::parse(f.trim()).is_none()) {
            rows.next();
        }
    }
    parse_rows(rows, columns, "line", MAX_DATA_POINTS)
}

/// Reads the URL form of [`Data::to_url`] (at most [`MAX_URL_DATA_POINTS`] points). Errors name
/// the point, counted from 1.
pub fn parse_url(text: &str, columns: Columns) -> Result<Data, String> {
    let rows = text
        .split(';')
        .enumerate()
        .map(|(i, r)| (i + 1, r.trim()))
        .filter(|(_, r)| !r.is_empty());
    parse_rows(rows, columns, "point", MAX_URL_DATA_POINTS)
}

fn parse_rows<'a>(
    rows: impl Iterator<Item = (usize, &'a str)>,
    columns: Columns,
    unit: &str,
    limit: usize,
) -> Result<Data, String> {
    let want = columns.count();
    let mut xy = Vec::new();
    let mut labeled = Vec::new();
    for (count, (at, row)) in rows.enumerate() {
        if count == limit {
            return Err(format!(
                "more than {limit} points; valid: at most {limit} (a CSV file takes up to {MAX_DATA_POINTS})"
            ));
        }
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if fields.len() != want {
            return Err(format!(
                "{unit} {at}: expected {want} numbers, found {}",
                fields.len()
            ));
        }
        let mut values = [0.0; 3];
        for (i, slot) in values.iter_mut().enumerate().take(want) {
            let field = fields[i];
            *slot = number::parse(field)
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    format!(
                        "{unit} {at}: expected {want} numbers, found \"{}\"",
                        echo(field)
                    )
                })?;
        }
        match columns {
            Columns::Xy => xy.push([values[0], values[1]]),
            Columns::Labeled => {
                if values[2] != 0.0 && values[2] != 1.0 {
                    return Err(format!(
                        "{unit} {at}: label must be 0 or 1, found \"{}\"",
                        echo(fields[2])
                    ));
                }
                let label = values[2] == 1.0;
                labeled.push(([values[0], values[1]], label));
            }
        }
    }
    let data = match columns {
        Columns::Xy => Data::Xy(xy),
        Columns::Labeled => Data::Labeled(labeled),
    };
    if data.is_empty() {
        return Err("no data points; valid: one point per line, e.g. 0.5,1.4".into());
    }
    Ok(data)
}

/// At most 20 characters of a bad field, for messages.
fn echo(field: &str) -> String {
    if field.chars().count() <= 20 {
        field.to_string()
    } else {
        field.chars().take(20).chain(['…']).collect()
    }
}
