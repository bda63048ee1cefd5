//! Load traces: CSV files with a `minute` column and load columns, totals
//! for the whole group.
//!
//! | column          | meaning                                                  |
//! |-----------------|----------------------------------------------------------|
//! | `minute`        | integer minute from the start, one row per minute        |
//! | `cpu`           | CPU demand in percent of one instance (350 = 3.5 busy)   |
//! | `requests`      | requests per minute                                      |
//! | `memory`        | memory demand in percent of one instance (optional)      |
//! | `response_time` | unloaded response time in seconds (optional)             |
//!
//! Unknown columns are ignored with a warning. Every problem is a
//! diagnostic located in the trace file, so it renders like a spec error.

use crate::diagnostic::{Diagnostic, codes};
use crate::source::{FileId, SourceMap, Span};

codes! {
    /// A header without `minute` first, without load columns, or with a
    /// column twice.
    HEADER = "scale::trace::header";
    /// A row that can't be read: wrong number of fields, not a number.
    ROW = "scale::trace::row";
    /// Minutes that don't go up by one.
    MINUTE = "scale::trace::minute";
    /// A column scalec doesn't know (a warning; the column is ignored).
    UNKNOWN_COLUMN = "scale::trace::unknown_column";
    /// A trace without rows.
    EMPTY = "scale::trace::empty";
}

/// The load columns scalec understands.
pub const COLUMNS: &[&str] = &["cpu", "requests", "memory", "response_time"];

/// What the group really did, in a trace fetched from CloudWatch: compared
/// with the simulation, never used to drive it.
pub const ACTUAL: &[&str] = &["in_service", "desired"];

/// A parsed trace: one value per minute in each column it has.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// The first row's minute.
    pub start: i64,
    /// Total CPU demand, percent of one instance.
    pub cpu: Option<Vec<f64>>,
    /// Total requests per minute.
    pub requests: Option<Vec<f64>>,
    /// Total memory demand, percent of one instance.
    pub memory: Option<Vec<f64>>,
    /// Unloaded response time, seconds.
    pub response_time: Option<Vec<f64>>,
    /// Instances the group really had in service (a fetched trace).
    pub actual_in_service: Option<Vec<f64>>,
    /// The group's real desired capacity (a fetched trace).
    pub actual_desired: Option<Vec<f64>>,
    /// Number of minutes.
    pub len: usize,
}

impl Trace {
    /// Keeps the first `minutes` minutes.
    pub fn truncate(&mut self, minutes: usize) {
        let n = minutes.min(self.len);
        for c in [
            &mut self.cpu,
            &mut self.requests,
            &mut self.memory,
            &mut self.response_time,
            &mut self.actual_in_service,
            &mut self.actual_desired,
        ]
        .into_iter()
        .flatten()
        {
            c.truncate(n);
        }
        self.len = n;
    }
}

/// The trace as CSV, in the format [`parse`] reads: `minute` then its load
/// columns, CPU and memory with one decimal, requests whole, response
/// time in milliseconds' precision.
pub fn to_csv(t: &Trace) -> String {
    let cols: Vec<(&str, &Vec<f64>, usize)> = [
        ("cpu", &t.cpu, 1),
        ("requests", &t.requests, 0),
        ("memory", &t.memory, 1),
        ("response_time", &t.response_time, 3),
    ]
    .into_iter()
    .filter_map(|(n, c, p)| c.as_ref().map(|c| (n, c, p)))
    .collect();
    let mut out = String::from("minute");
    for (n, _, _) in &cols {
        out.push(',');
        out.push_str(n);
    }
    out.push('\n');
    for i in 0..t.len {
        out.push_str(&(t.start + i as i64).to_string());
        for (_, c, p) in &cols {
            let v = c.get(i).copied().unwrap_or(0.0);
            out.push_str(&format!(",{v:.p$}", p = *p));
        }
        out.push('\n');
    }
    out
}

/// Parses a trace added to `sources` as `file`. Returns the trace and its
/// warnings, or every error found (reading stops at the first bad row).
pub fn parse(
    sources: &SourceMap,
    file: FileId,
) -> Result<(Trace, Vec<Diagnostic>), Vec<Diagnostic>> {
    parse_for(sources, file, None)
}

/// [`parse`] for one group of several: a column `GROUP.cpu` is the
/// group's own and wins over a plain `cpu`, which every group shares;
/// other groups' columns (`other.cpu`) are left alone.
pub fn parse_for(
    sources: &SourceMap,
    file: FileId,
    group: Option<&str>,
) -> Result<(Trace, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = sources.get(file).text.clone();
    let bytes = text.as_bytes();
    let span = |start: usize, len: usize| {
        let start = start.min(bytes.len());
        Span::new(file, start, (start + len).min(bytes.len()))
    };
    let mut warnings = Vec::new();
    // `#` lines are comments (a fetched trace says where it came from in
    // them); the header is the first other line.
    let header_at = text
        .split_inclusive('\n')
        .take_while(|l| l.starts_with('#'))
        .map(str::len)
        .sum::<usize>();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(bytes);
    let header_err = |message: String, label: &str, help: &str| {
        vec![
            Diagnostic::error(
                HEADER,
                message,
                span(header_at, line_len(bytes, header_at)),
                label,
            )
            .with_help(help),
        ]
    };
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(header_err(
                format!("the trace's header can't be read: {e}"),
                "header",
                "the first line names the columns: `minute,cpu,requests`",
            ));
        }
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
        })
        .collect();
    if names.first().map(String::as_str) != Some("minute") {
        return Err(header_err(
            format!(
                "the trace's first column is `{}`, not `minute`",
                names.first().map(String::as_str).unwrap_or("")
            ),
            "expected `minute` first",
            "start the header with `minute`, e.g. `minute,cpu,requests`",
        ));
    }
    // Column positions in the header line, for labels.
    let mut offsets = Vec::with_capacity(names.len());
    let mut at = header_at;
    for h in headers.iter() {
        offsets.push(at);
        at += h.len() + 1;
    }
    let slots = slots_of(
        &names,
        group,
        |i| span(offsets[i], names[i].len()),
        &mut warnings,
    )?;
    if slots[..COLUMNS.len()].iter().all(Option::is_none) {
        return Err(header_err(
            "the trace has no load column".into(),
            "no load here",
            &format!("add at least one of {}", quoted(COLUMNS)),
        ));
    }
    let (cols, start, len) = rows(&mut reader, bytes, file, &names, &slots)?;
    if len == 0 {
        return Err(vec![
            Diagnostic::error(
                EMPTY,
                "the trace has a header but no rows",
                span(0, line_len(bytes, 0)),
                "only a header",
            )
            .with_help("add one row per minute: `0,120,900`"),
        ]);
    }
    let [cpu, requests, memory, response_time, in_service, desired] = cols;
    let take = |k: usize, v: Vec<f64>| slots[k].map(|_| v);
    Ok((
        Trace {
            start,
            cpu: take(0, cpu),
            requests: take(1, requests),
            memory: take(2, memory),
            response_time: take(3, response_time),
            actual_in_service: take(4, in_service),
            actual_desired: take(5, desired),
            len,
        },
        warnings,
    ))
}

/// Each slot's column, the first minute, and the number of minutes.
type Rows = ([Vec<f64>; 6], i64, usize);

/// The rows of a trace after its header: each slot's column, the first
/// minute, and how many minutes; the first bad row stops it.
fn rows(
    reader: &mut csv::Reader<&[u8]>,
    bytes: &[u8],
    file: FileId,
    names: &[String],
    slots: &[Option<usize>; 6],
) -> Result<Rows, Vec<Diagnostic>> {
    let span = |start: usize, len: usize| {
        let start = start.min(bytes.len());
        Span::new(file, start, (start + len).min(bytes.len()))
    };
    let mut cols: [Vec<f64>; 6] = Default::default();
    let mut record = csv::ByteRecord::new();
    let mut start = 0i64;
    let mut len = 0usize;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let (offset, line) = e
                    .position()
                    .map(|p| (p.byte() as usize, p.line()))
                    .unwrap_or((bytes.len(), 0));
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("line {line} has {len} fields, the header has {expected_len}"),
                    _ => format!("line {line} can't be read: {e}"),
                };
                return Err(vec![
                    Diagnostic::error(
                        ROW,
                        message,
                        span(offset, line_len(bytes, offset)),
                        "this row",
                    )
                    .with_help("every row has one number per header column"),
                ]);
            }
        }
        let pos = record
            .position()
            .map(|p| (p.byte() as usize, p.line()))
            .unwrap_or((0, 0));
        // the raw field `i` of this row, for a precise label
        let field_span = |i: usize| {
            let mut off = pos.0;
            for _ in 0..i {
                match bytes[off..].iter().position(|b| *b == b',') {
                    Some(p) => off += p + 1,
                    None => break,
                }
            }
            let n = bytes[off..]
                .iter()
                .position(|b| matches!(b, b',' | b'\n' | b'\r'))
                .unwrap_or(bytes.len() - off);
            span(off, n)
        };
        let number = |i: usize, what: &str| -> Result<f64, Vec<Diagnostic>> {
            let raw = record.get(i).unwrap_or_default();
            let parsed = std::str::from_utf8(raw)
                .ok()
                .and_then(|s| s.parse::<f64>().ok());
            match parsed {
                Some(v) if v.is_finite() && v >= 0.0 => Ok(v),
                _ => Err(vec![
                    Diagnostic::error(
                        ROW,
                        format!(
                            "line {}: `{}` is not a {what}",
                            pos.1,
                            String::from_utf8_lossy(raw)
                        ),
                        field_span(i),
                        format!("expected a {what}"),
                    )
                    .with_help(format!("`{}` takes numbers of 0 or more", names[i])),
                ]),
            }
        };
        let minute = number(0, "whole minute").and_then(|m| {
            // 2^63 itself is representable as f64 but not as i64.
            if m.fract() == 0.0 && m < i64::MAX as f64 {
                Ok(m as i64)
            } else {
                Err(vec![
                    Diagnostic::error(
                        ROW,
                        format!("line {}: minute `{m}` is not a whole number", pos.1),
                        field_span(0),
                        "expected a whole minute",
                    )
                    .with_help("minutes count from the start: 0, 1, 2, ..."),
                ])
            }
        })?;
        if len == 0 {
            start = minute;
        } else if minute != start + len as i64 {
            return Err(vec![
                Diagnostic::error(
                    MINUTE,
                    format!(
                        "line {}: minute {minute} follows minute {}; the trace needs one row per minute",
                        pos.1,
                        start + len as i64 - 1
                    ),
                    field_span(0),
                    format!("expected {}", start + len as i64),
                )
                .with_help("give every minute a row, in order, with no gaps"),
            ]);
        }
        for (k, slot) in slots.iter().enumerate() {
            if let Some(i) = slot {
                let what = if k == 3 {
                    "duration in seconds"
                } else {
                    "number"
                };
                cols[k].push(number(*i, what)?);
            }
        }
        len += 1;
    }
    Ok((cols, start, len))
}

/// Which header column fills each of [`COLUMNS`] then [`ACTUAL`]: for
/// `group`, its own `GROUP.cpu` over a shared `cpu`, and other groups'
/// columns left alone. `at(i)` is column `i`'s place, for diagnostics.
fn slots_of(
    names: &[String],
    group: Option<&str>,
    at: impl Fn(usize) -> Span,
    warnings: &mut Vec<Diagnostic>,
) -> Result<[Option<usize>; 6], Vec<Diagnostic>> {
    let known: Vec<&str> = COLUMNS.iter().chain(ACTUAL).copied().collect();
    let mut slots: [Option<usize>; 6] = [None; 6];
    // Whether a slot holds the group's own column.
    let mut own = [false; 6];
    for (i, name) in names.iter().enumerate().skip(1) {
        let (column, mine) = match (group, name.split_once('.')) {
            (Some(g), Some((prefix, c))) if prefix == g.to_ascii_lowercase() => (c, true),
            (Some(_), Some(_)) => continue,
            _ => (name.as_str(), false),
        };
        match known.iter().position(|c| *c == column) {
            Some(k) if slots[k].is_some() && own[k] && !mine => {}
            Some(k) if slots[k].is_some() && !own[k] && mine => {
                slots[k] = Some(i);
                own[k] = true;
            }
            Some(k) if slots[k].is_some() => {
                return Err(vec![
                    Diagnostic::error(
                        HEADER,
                        format!("column `{name}` appears twice"),
                        at(i),
                        "second one",
                    )
                    .with_help("remove one of the two columns"),
                ]);
            }
            Some(k) => {
                slots[k] = Some(i);
                own[k] = mine;
            }
            None => warnings.push(
                Diagnostic::warning(
                    UNKNOWN_COLUMN,
                    format!("column `{name}` is not a load scalec simulates; it is ignored"),
                    at(i),
                    "ignored",
                )
                .with_help(format!(
                    "the load columns are {}; a fetched trace also has {}",
                    quoted(COLUMNS),
                    quoted(ACTUAL)
                )),
            ),
        }
    }
    Ok(slots)
}

fn line_len(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from.min(bytes.len())..];
    rest.iter()
        .position(|b| matches!(b, b'\n' | b'\r'))
        .unwrap_or(rest.len())
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<(Trace, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut sources = SourceMap::new();
        let id = sources.add("t.csv", text, false);
        parse(&sources, id)
    }

    #[test]
    fn reads_columns_in_any_order_and_warns_about_unknown_ones() {
        let (t, w) = run("minute,requests,extra,cpu\n5,100,x,80\n6,200,y,180\n").expect("parses");
        assert_eq!(t.start, 5);
        assert_eq!(t.len, 2);
        assert_eq!(t.cpu, Some(vec![80.0, 180.0]));
        assert_eq!(t.requests, Some(vec![100.0, 200.0]));
        assert!(t.memory.is_none());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, UNKNOWN_COLUMN);
    }

    #[test]
    fn a_malformed_row_names_its_line_and_field() {
        let text = "minute,cpu\n0,80\n1,abc\n";
        let e = run(text).expect_err("fails");
        assert_eq!(e[0].code, ROW);
        assert!(e[0].message.contains("line 3"), "{}", e[0].message);
        let s = e[0].labels[0].span;
        assert_eq!(&text[s.start as usize..s.end as usize], "abc");
    }

    #[test]
    fn rejects_gaps_missing_minute_column_and_ragged_rows() {
        assert_eq!(
            run("minute,cpu\n0,1\n2,1\n").expect_err("gap")[0].code,
            MINUTE
        );
        assert_eq!(run("cpu,minute\n1,0\n").expect_err("order")[0].code, HEADER);
        assert_eq!(
            run("minute,foo\n0,1\n").expect_err("no load")[0].code,
            HEADER
        );
        let e = run("minute,cpu\n0,1\n1\n").expect_err("ragged");
        assert_eq!(e[0].code, ROW);
        assert!(e[0].message.contains("line 3"), "{}", e[0].message);
        assert_eq!(run("minute,cpu\n").expect_err("empty")[0].code, EMPTY);
        assert_eq!(
            run("minute,cpu\n0,-5\n").expect_err("negative")[0].code,
            ROW
        );
    }
}
