//! `$filter`: a parser for the OData subset the connector uses and an evaluator over rows.
//!
//! Supported: `eq ne gt ge lt le`, `and or not`, parentheses, literals `null true false`,
//! numbers, `'strings'` (with `''` escapes), bare GUIDs and ISO date-times, `contains()`,
//! `startswith()`, `endswith()` and `Microsoft.Dynamics.CRM.In(PropertyName=..,PropertyValues=[..])`.
//! Text comparisons ignore case, as Dataverse's default collation does.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::store::Cell;
use crate::store::schema::Kind;

/// A literal in a filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Num(f64),
    /// A quoted string.
    Str(String),
    /// A bare GUID.
    Guid(Uuid),
    /// A bare ISO date or date-time.
    Time(DateTime<Utc>),
}

impl Lit {
    fn edm(&self) -> &'static str {
        match self {
            Lit::Null => "null",
            Lit::Bool(_) => "Edm.Boolean",
            Lit::Num(n) if n.fract() == 0.0 => "Edm.Int32",
            Lit::Num(_) => "Edm.Decimal",
            Lit::Str(_) => "Edm.String",
            Lit::Guid(_) => "Edm.Guid",
            Lit::Time(_) => "Edm.DateTimeOffset",
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `eq`
    Eq,
    /// `ne`
    Ne,
    /// `gt`
    Gt,
    /// `ge`
    Ge,
    /// `lt`
    Lt,
    /// `le`
    Le,
}

impl Op {
    fn kind_name(self) -> &'static str {
        match self {
            Op::Eq => "Equal",
            Op::Ne => "NotEqual",
            Op::Gt => "GreaterThan",
            Op::Ge => "GreaterThanOrEqual",
            Op::Lt => "LessThan",
            Op::Le => "LessThanOrEqual",
        }
    }
}

/// A string function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `contains(p,'x')`
    Contains,
    /// `startswith(p,'x')`
    StartsWith,
    /// `endswith(p,'x')`
    EndsWith,
}

/// A parsed filter; `P` is a property reference (a name before binding, a column after).
#[derive(Debug, Clone, PartialEq)]
pub enum Expr<P> {
    /// `a and b`
    And(Box<Expr<P>>, Box<Expr<P>>),
    /// `a or b`
    Or(Box<Expr<P>>, Box<Expr<P>>),
    /// `not a`
    Not(Box<Expr<P>>),
    /// `prop op literal` (a literal on the left is flipped).
    Cmp(P, Op, Lit),
    /// `func(prop, 'text')`
    Func(Func, P, String),
    /// `Microsoft.Dynamics.CRM.In(...)`
    In(P, Vec<Lit>),
}

/// A filter that failed to parse or bind; the message is Dataverse-worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    /// Malformed text (`0x80060888`).
    Syntax(String),
    /// A property the type doesn't have (`0x0`).
    UnknownProperty(String),
    /// Operand types that can't be compared (`0x80060888`).
    Types(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Lit(Lit),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Equals,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':' | '+')
}

fn classify(word: &str) -> Tok {
    match word {
        "null" => return Tok::Lit(Lit::Null),
        "true" => return Tok::Lit(Lit::Bool(true)),
        "false" => return Tok::Lit(Lit::Bool(false)),
        _ => {}
    }
    if word.len() == 36
        && let Ok(g) = Uuid::parse_str(word)
    {
        return Tok::Lit(Lit::Guid(g));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(word) {
        return Tok::Lit(Lit::Time(t.with_timezone(&Utc)));
    }
    if let Ok(d) = NaiveDate::parse_from_str(word, "%Y-%m-%d")
        && let Some(t) = d.and_hms_opt(0, 0, 0)
    {
        return Tok::Lit(Lit::Time(t.and_utc()));
    }
    let first = word.chars().next().unwrap_or(' ');
    if (first.is_ascii_digit() || first == '-')
        && let Ok(n) = word.parse::<f64>()
    {
        return Tok::Lit(Lit::Num(n));
    }
    Tok::Ident(word.to_string())
}

fn tokenize(input: &str) -> Result<Vec<(usize, Tok)>, usize> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push((start, Tok::LParen));
                i += 1;
            }
            ')' => {
                out.push((start, Tok::RParen));
                i += 1;
            }
            '[' => {
                out.push((start, Tok::LBracket));
                i += 1;
            }
            ']' => {
                out.push((start, Tok::RBracket));
                i += 1;
            }
            ',' => {
                out.push((start, Tok::Comma));
                i += 1;
            }
            '=' => {
                out.push((start, Tok::Equals));
                i += 1;
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(start),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            s.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            s.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push((start, Tok::Lit(Lit::Str(s))));
            }
            c if is_word_char(c) => {
                while i < chars.len() && is_word_char(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push((start, classify(&word)));
            }
            _ => return Err(start),
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn error(&self) -> FilterError {
        let at = self
            .toks
            .get(self.pos)
            .map_or(self.text.chars().count(), |(p, _)| *p);
        FilterError::Syntax(format!("Syntax error at position {at} in '{}'.", self.text))
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|(_, t)| t.clone());
        self.pos += 1;
        t
    }

    fn expect(&mut self, want: &Tok) -> Result<(), FilterError> {
        if self.peek() == Some(want) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w == word)
    }

    fn or(&mut self) -> Result<Expr<String>, FilterError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr<String>, FilterError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr<String>, FilterError> {
        if self.keyword("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let inner = self.or()?;
            self.expect(&Tok::RParen)?;
            return Ok(inner);
        }
        self.comparison()
    }

    fn string_arg(&mut self) -> Result<String, FilterError> {
        match self.next() {
            Some(Tok::Lit(Lit::Str(s))) => Ok(s),
            _ => {
                self.pos -= 1;
                Err(self.error())
            }
        }
    }

    fn literal(&mut self) -> Result<Lit, FilterError> {
        match self.next() {
            Some(Tok::Lit(l)) => Ok(l),
            _ => {
                self.pos -= 1;
                Err(self.error())
            }
        }
    }

    fn comparison(&mut self) -> Result<Expr<String>, FilterError> {
        let word = match self.next() {
            Some(Tok::Ident(w)) => w,
            Some(Tok::Lit(lit)) => {
                // `2 le salesstage`: flip so the property is on the left.
                let op = self.operator()?;
                let prop = match self.next() {
                    Some(Tok::Ident(p)) => p,
                    _ => {
                        self.pos -= 1;
                        return Err(self.error());
                    }
                };
                let flipped = match op {
                    Op::Gt => Op::Lt,
                    Op::Ge => Op::Le,
                    Op::Lt => Op::Gt,
                    Op::Le => Op::Ge,
                    other => other,
                };
                return Ok(Expr::Cmp(prop, flipped, lit));
            }
            _ => {
                self.pos -= 1;
                return Err(self.error());
            }
        };
        let func = match word.as_str() {
            "contains" => Some(Func::Contains),
            "startswith" => Some(Func::StartsWith),
            "endswith" => Some(Func::EndsWith),
            _ => None,
        };
        if let Some(func) = func {
            self.expect(&Tok::LParen)?;
            let prop = self.property()?;
            self.expect(&Tok::Comma)?;
            let text = self.string_arg()?;
            self.expect(&Tok::RParen)?;
            return Ok(Expr::Func(func, prop, text));
        }
        if word == "Microsoft.Dynamics.CRM.In" {
            self.expect(&Tok::LParen)?;
            self.named("PropertyName")?;
            let prop = self.string_arg()?;
            self.expect(&Tok::Comma)?;
            self.named("PropertyValues")?;
            self.expect(&Tok::LBracket)?;
            let mut values = Vec::new();
            if self.peek() != Some(&Tok::RBracket) {
                loop {
                    values.push(self.literal()?);
                    if self.peek() == Some(&Tok::Comma) {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
            }
            self.expect(&Tok::RBracket)?;
            self.expect(&Tok::RParen)?;
            return Ok(Expr::In(prop, values));
        }
        if word.contains('.') || word.starts_with('-') {
            self.pos -= 1;
            return Err(self.error());
        }
        let op = self.operator()?;
        let lit = self.literal()?;
        Ok(Expr::Cmp(word, op, lit))
    }

    fn named(&mut self, name: &str) -> Result<(), FilterError> {
        match self.next() {
            Some(Tok::Ident(w)) if w == name => self.expect(&Tok::Equals),
            _ => {
                self.pos -= 1;
                Err(self.error())
            }
        }
    }

    fn property(&mut self) -> Result<String, FilterError> {
        match self.next() {
            Some(Tok::Ident(w)) => Ok(w),
            _ => {
                self.pos -= 1;
                Err(self.error())
            }
        }
    }

    fn operator(&mut self) -> Result<Op, FilterError> {
        let op = match self.peek() {
            Some(Tok::Ident(w)) => match w.as_str() {
                "eq" => Op::Eq,
                "ne" => Op::Ne,
                "gt" => Op::Gt,
                "ge" => Op::Ge,
                "lt" => Op::Lt,
                "le" => Op::Le,
                _ => return Err(self.error()),
            },
            _ => return Err(self.error()),
        };
        self.pos += 1;
        Ok(op)
    }
}

/// Parses a `$filter` value.
pub fn parse(text: &str) -> Result<Expr<String>, FilterError> {
    let toks = tokenize(text)
        .map_err(|at| FilterError::Syntax(format!("Syntax error at position {at} in '{text}'.")))?;
    let mut parser = Parser { toks, pos: 0, text };
    if parser.toks.is_empty() {
        return Err(parser.error());
    }
    let expr = parser.or()?;
    if parser.pos != parser.toks.len() {
        return Err(parser.error());
    }
    Ok(expr)
}

/// A property resolved to a column position and kind.
pub type Bound = (usize, Kind);

fn compatible(kind: Kind, lit: &Lit) -> bool {
    match (kind, lit) {
        (_, Lit::Null) => true,
        (Kind::Key | Kind::Lookup(_), Lit::Guid(_)) => true,
        (Kind::Text, Lit::Str(_)) => true,
        (Kind::Int | Kind::Version | Kind::Picklist | Kind::State | Kind::Status, Lit::Num(n)) => {
            n.fract() == 0.0
        }
        (Kind::Money, Lit::Num(_)) => true,
        (Kind::Bool, Lit::Bool(_)) => true,
        (Kind::Time, Lit::Time(_)) => true,
        _ => false,
    }
}

/// Resolves property names with `resolve` and type-checks the literals against them.
pub fn bind(
    expr: Expr<String>,
    resolve: &dyn Fn(&str) -> Option<Bound>,
) -> Result<Expr<Bound>, FilterError> {
    let prop = |name: &str| resolve(name).ok_or_else(|| FilterError::UnknownProperty(name.into()));
    let types = |kind: Kind, lit: &Lit, op: &str| {
        FilterError::Types(format!(
            "A binary operator with incompatible types was detected. Found operand types '{}' and '{}' for operator kind '{op}'.",
            kind.edm(),
            lit.edm()
        ))
    };
    Ok(match expr {
        Expr::And(a, b) => Expr::And(Box::new(bind(*a, resolve)?), Box::new(bind(*b, resolve)?)),
        Expr::Or(a, b) => Expr::Or(Box::new(bind(*a, resolve)?), Box::new(bind(*b, resolve)?)),
        Expr::Not(a) => Expr::Not(Box::new(bind(*a, resolve)?)),
        Expr::Cmp(name, op, lit) => {
            let b = prop(&name)?;
            if !compatible(b.1, &lit) {
                return Err(types(b.1, &lit, op.kind_name()));
            }
            Expr::Cmp(b, op, lit)
        }
        Expr::Func(f, name, text) => {
            let b = prop(&name)?;
            if b.1 != Kind::Text {
                return Err(FilterError::Types(format!(
                    "No function signature for the function with name '{}' matches the specified arguments. The function signatures considered are: {}(Edm.String Nullable=true, Edm.String).",
                    func_name(f),
                    func_name(f)
                )));
            }
            Expr::Func(f, b, text)
        }
        Expr::In(name, values) => {
            let b = prop(&name)?;
            // Dataverse's In takes strings for every type; accept those and typed literals.
            let values = values
                .into_iter()
                .map(|v| match (b.1, v) {
                    (Kind::Text, v) => Ok(v),
                    (kind, Lit::Str(s)) => match classify(&s) {
                        Tok::Lit(l) if compatible(kind, &l) => Ok(l),
                        _ => Err(types(kind, &Lit::Str(s), "In")),
                    },
                    (kind, v) if compatible(kind, &v) => Ok(v),
                    (kind, v) => Err(types(kind, &v, "In")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Expr::In(b, values)
        }
    })
}

fn func_name(f: Func) -> &'static str {
    match f {
        Func::Contains => "contains",
        Func::StartsWith => "startswith",
        Func::EndsWith => "endswith",
    }
}

/// Orders a cell against a literal; `None` when either side is null or they don't compare.
fn compare(cell: &Cell, lit: &Lit) -> Option<Ordering> {
    match (cell, lit) {
        (Cell::Int(a), Lit::Num(b)) => (*a as f64).partial_cmp(b),
        (Cell::Money(a), Lit::Num(b)) => a.partial_cmp(b),
        (Cell::Text(a), Lit::Str(b)) => Some(a.to_lowercase().cmp(&b.to_lowercase())),
        (Cell::Guid(a), Lit::Guid(b)) => Some(a.cmp(b)),
        (Cell::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        (Cell::Time(a), Lit::Time(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

/// Evaluates a bound filter against a row.
pub fn eval(expr: &Expr<Bound>, row: &[Cell]) -> bool {
    match expr {
        Expr::And(a, b) => eval(a, row) && eval(b, row),
        Expr::Or(a, b) => eval(a, row) || eval(b, row),
        Expr::Not(a) => !eval(a, row),
        Expr::Cmp((i, _), op, lit) => {
            let cell = &row[*i];
            if *lit == Lit::Null {
                return match op {
                    Op::Eq => *cell == Cell::Null,
                    Op::Ne => *cell != Cell::Null,
                    _ => false,
                };
            }
            match (op, compare(cell, lit)) {
                (Op::Ne, None) => *cell == Cell::Null,
                (_, None) => false,
                (Op::Eq, Some(o)) => o == Ordering::Equal,
                (Op::Ne, Some(o)) => o != Ordering::Equal,
                (Op::Gt, Some(o)) => o == Ordering::Greater,
                (Op::Ge, Some(o)) => o != Ordering::Less,
                (Op::Lt, Some(o)) => o == Ordering::Less,
                (Op::Le, Some(o)) => o != Ordering::Greater,
            }
        }
        Expr::Func(f, (i, _), text) => match &row[*i] {
            Cell::Text(s) => {
                let s = s.to_lowercase();
                let t = text.to_lowercase();
                match f {
                    Func::Contains => s.contains(&t),
                    Func::StartsWith => s.starts_with(&t),
                    Func::EndsWith => s.ends_with(&t),
                }
            }
            _ => false,
        },
        Expr::In((i, _), values) => values
            .iter()
            .any(|v| compare(&row[*i], v) == Some(Ordering::Equal)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(name: &str) -> Option<Bound> {
        match name {
            "name" => Some((0, Kind::Text)),
            "statecode" => Some((1, Kind::State)),
            "estimatedvalue" => Some((2, Kind::Money)),
            "_ownerid_value" => Some((3, Kind::Lookup(crate::Table::SystemUser))),
            _ => None,
        }
    }

    fn run(filter: &str, row: &[Cell]) -> Result<bool, FilterError> {
        Ok(eval(&bind(parse(filter)?, &resolve)?, row))
    }

    fn row() -> Vec<Cell> {
        vec![
            Cell::text("Contoso Renewal"),
            Cell::Int(0),
            Cell::Money(1500.0),
            Cell::Guid(Uuid::nil()),
        ]
    }

    #[test]
    fn evaluates_comparisons_logic_and_functions() {
        let r = row();
        let yes = [
            "statecode eq 0",
            "statecode eq 0 and estimatedvalue ge 1500",
            "(statecode eq 1 or estimatedvalue lt 2000) and not (name eq null)",
            "contains(name,'RENEW')",
            "startswith(name, 'contoso')",
            "endswith(name,'al')",
            "name eq 'contoso renewal'",
            "_ownerid_value eq 00000000-0000-0000-0000-000000000000",
            "Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=['1','0'])",
            "1500 le estimatedvalue",
        ];
        for f in yes {
            assert_eq!(run(f, &r), Ok(true), "{f}");
        }
        let no = [
            "statecode ne 0",
            "estimatedvalue gt 1500",
            "not contains(name,'renew')",
            "name eq null",
            "Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a','b'])",
        ];
        for f in no {
            assert_eq!(run(f, &r), Ok(false), "{f}");
        }
    }

    #[test]
    fn rejects_malformed_unknown_and_mistyped_filters() {
        let r = row();
        for bad in [
            "statecode eq",
            "statecode eq 0 and",
            "(statecode eq 0",
            "statecode 0",
            "name eq 'open",
            "",
            "statecode eq 0)",
        ] {
            assert!(
                matches!(run(bad, &r), Err(FilterError::Syntax(_))),
                "{bad}: {:?}",
                run(bad, &r)
            );
        }
        assert_eq!(
            run("nope eq 1", &r),
            Err(FilterError::UnknownProperty("nope".into()))
        );
        assert!(matches!(
            run("statecode eq 'x'", &r),
            Err(FilterError::Types(_))
        ));
    }
}
