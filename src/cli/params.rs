//! Param values from the command line: `--param NAME=VALUE` and
//! `--params FILE`, terraform's `-var` and `-var-file`.
//!
//! A params file holds one environment's values, one `name = value` a
//! line, in the spec's own syntax for values, so a value copies between a
//! spec's `param.name = ...` and the file unchanged:
//!
//! ```text
//! // staging.params
//! launch_template = "lt-0123456789abcdef0"
//! subnets = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
//! desired = 3
//! ```
//!
//! Strings are quoted (with `\"` and `\\` escapes), lists are in brackets
//! (a trailing comma allowed), numbers are bare; `//` starts a comment. Why
//! not JSON, TOML or tfvars' HCL: the spec already has this syntax, users
//! already write it, and it needs no new dependency. Files are read in
//! order, later ones winning; `--param` wins over every file.

use super::output::Problem;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `--param` and `--params`, for every command that takes values.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct ParamArgs {
    /// A param value, NAME=VALUE; lists are comma-separated. Wins over --params.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = super::parse_param)]
    pub params: Vec<(String, String)>,
    /// A file of param values, `name = value` a line (as `param.name = ...`
    /// in a spec); may be given more than once, later files winning.
    #[arg(long = "params", value_name = "FILE")]
    pub param_files: Vec<PathBuf>,
    /// One environment's params file, ENV=FILE (repeatable): its values
    /// win over --params for that environment, --param over both.
    #[arg(long = "env-params", value_name = "ENV=FILE", value_parser = super::parse_param)]
    pub env_files: Vec<(String, String)>,
}

/// The values a command was given, and where each not given by `--param`
/// came from (`staging.params:3`).
#[derive(Debug, Default, Clone)]
pub struct Values {
    pub params: Vec<(String, String)>,
    pub sources: BTreeMap<String, String>,
    /// `--env-params`: environment -> name -> (value, where).
    pub per_env: BTreeMap<String, BTreeMap<String, (String, String)>>,
}

impl Values {
    /// `opts` with these values.
    pub fn options(&self, opts: scalec::check::Options) -> scalec::check::Options {
        scalec::check::Options {
            params: self.params.iter().cloned().collect(),
            param_sources: self.sources.clone(),
            env_params: self.per_env.clone(),
            files: Some(files()),
            ..opts
        }
    }

    /// The values environment `env` gets: its own over the shared files',
    /// `--param`'s over both.
    pub fn for_env(&self, env: &str) -> Vec<(String, String)> {
        let mut out: BTreeMap<String, String> = self.params.iter().cloned().collect();
        for (k, (v, _)) in self.per_env.get(env).into_iter().flatten() {
            let flag = out.contains_key(k) && !self.sources.contains_key(k);
            if !flag {
                out.insert(k.clone(), v.clone());
            }
        }
        out.into_iter().collect()
    }
}

impl ParamArgs {
    /// Every value: the files' in order, then `--param`'s.
    pub fn values(&self) -> Result<Values, Vec<Problem>> {
        let mut merged: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
        let mut problems = Vec::new();
        let mut per_env: BTreeMap<String, BTreeMap<String, (String, String)>> = BTreeMap::new();
        for (env, f) in &self.env_files {
            let f = PathBuf::from(f);
            match read_file(&f) {
                Ok(entries) => {
                    let own = per_env.entry(env.clone()).or_default();
                    for (name, value, line) in entries {
                        own.insert(name, (value, format!("{}:{line}", f.display())));
                    }
                }
                Err(p) => problems.push(p),
            }
        }
        for f in &self.param_files {
            match read_file(f) {
                Ok(entries) => {
                    for (name, value, line) in entries {
                        let at = format!("{}:{line}", f.display());
                        merged.insert(name, (value, Some(at)));
                    }
                }
                Err(p) => problems.push(p),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        for (name, value) in &self.params {
            merged.insert(name.clone(), (value.clone(), None));
        }
        let mut out = Values {
            per_env,
            ..Values::default()
        };
        for (name, (value, at)) in merged {
            if let Some(at) = at {
                out.sources.insert(name.clone(), at);
            }
            out.params.push((name, value));
        }
        Ok(out)
    }
}

/// A params file's entries, or the problem with it.
fn read_file(f: &std::path::Path) -> Result<Vec<Entry>, Problem> {
    let text = super::spec::read(f)?;
    parse(&text).map_err(|(line, column, why)| {
        Problem::new(
            super::spec::codes::PARAMS_FILE,
            format!("{}:{line}:{column}: {why}", f.display()),
        )
        .with_help(
            "write one `name = value` a line: \"text\", a number, or [\"a\", \"b\"]; `//` starts a comment",
        )
    })
}

/// A params file's `(name, value, line)`.
pub type Entry = (String, String, usize);
/// Where a params file's line goes wrong: `(line, column, why)`.
pub type BadLine = (usize, usize, String);

/// The `(name, value, line)` entries of a params file, each value as
/// `--param` takes it (a list comma-separated); or where and why it isn't
/// one.
pub fn parse(text: &str) -> Result<Vec<Entry>, BadLine> {
    let mut out: Vec<Entry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let mut rest = raw.trim_start();
        let col = |r: &str| raw.len() - r.len() + 1;
        if rest.is_empty() || rest.starts_with("//") {
            continue;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Err((line, col(rest), "expected a param name".into()));
        }
        rest = rest[name_len..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            return Err((line, col(rest), format!("expected `=` after `{name}`")));
        };
        rest = after.trim_start();
        let (value, after) = if let Some(list) = rest.strip_prefix('[') {
            let mut items = Vec::new();
            let mut r = list.trim_start();
            loop {
                if let Some(end) = r.strip_prefix(']') {
                    r = end;
                    break;
                }
                let (item, after) = scalar(r).map_err(|why| (line, col(r), why))?;
                if item.contains(',') {
                    return Err((line, col(r), "a list item can't hold `,`".into()));
                }
                items.push(item);
                r = after.trim_start();
                if let Some(after) = r.strip_prefix(',') {
                    r = after.trim_start();
                } else if !r.starts_with(']') {
                    return Err((line, col(r), "expected `,` or `]` in the list".into()));
                }
            }
            (items.join(","), r)
        } else {
            scalar(rest).map_err(|why| (line, col(rest), why))?
        };
        let after = after.trim_start();
        if !(after.is_empty() || after.starts_with("//")) {
            return Err((
                line,
                col(after),
                "expected the end of the line after the value".into(),
            ));
        }
        if let Some(first) = out.iter().find(|(n, _, _)| n == name) {
            return Err((
                line,
                1,
                format!("`{name}` is given twice (first on line {})", first.2),
            ));
        }
        out.push((name.to_string(), value, line));
    }
    Ok(out)
}

/// A quoted string or a bare number at the start of `s`, and the rest.
fn scalar(s: &str) -> Result<(String, &str), String> {
    if let Some(body) = s.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((value, &body[i + 1..])),
                '\\' => match chars.next() {
                    Some((_, c @ ('"' | '\\'))) => value.push(c),
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 't')) => value.push('\t'),
                    _ => return Err("an escape is `\\\"`, `\\\\`, `\\n` or `\\t`".into()),
                },
                c => value.push(c),
            }
        }
        return Err("a string without its closing `\"`".into());
    }
    let len = s
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(s.len());
    let number = &s[..len];
    if number.is_empty() || number.parse::<f64>().is_err() {
        return Err("expected a value: \"text\", a number or a list".into());
    }
    Ok((number.to_string(), &s[len..]))
}

/// How the library reads the files a spec `use`s: from disk, here.
pub fn files() -> scalec::check::FileLoader {
    scalec::check::FileLoader(std::sync::Arc::new(
        |path: &str| match std::fs::read_to_string(path) {
            Ok(text) => Ok((path.to_string(), text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("no such file".to_string()),
            Err(e) => Err(e.to_string()),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn a_params_file_reads_strings_numbers_lists_and_comments() {
        let text = "// staging\nlt = \"lt-0123\"  // the template\n\nsubnets = [\"a\", \"b\",]\nn = 3\nq = \"say \\\"hi\\\"\"\n";
        let got = parse(text).expect("parses");
        assert_eq!(
            got,
            vec![
                ("lt".into(), "lt-0123".into(), 2),
                ("subnets".into(), "a,b".into(), 4),
                ("n".into(), "3".into(), 5),
                ("q".into(), "say \"hi\"".into(), 6),
            ]
        );
    }

    #[test]
    fn a_bad_line_is_reported_with_its_line_and_column() {
        for (text, at, needle) in [
            ("lt \"x\"\n", (1, 4), "expected `=`"),
            ("a = \"x\"\nlt = x\n", (2, 6), "expected a value"),
            ("lt = \"x\n", (1, 6), "closing"),
            ("s = [\"a\" \"b\"]\n", (1, 10), "expected `,` or `]`"),
            ("a = 1\na = 2\n", (2, 1), "given twice (first on line 1)"),
            ("a = 1 2\n", (1, 7), "end of the line"),
            ("s = [\"a,b\"]\n", (1, 6), "can't hold `,`"),
        ] {
            let (line, col, why) = parse(text).expect_err(text);
            assert_eq!((line, col), at, "{text}: {why}");
            assert!(why.contains(needle), "{text}: {why}");
        }
    }
}
