//! `scalec fmt`: a file in scalec's one canonical layout, its comments kept.
//!
//! The layout depends only on the tokens, the comments and where blank
//! lines separate items, never on the input's spacing, so formatting is
//! idempotent. The printer works on pest's pairs rather than the AST: they
//! keep every literal as written (`6_000`, `"a\tb"`, parentheses) and the
//! members of a block in source order. Line breaking is `pretty`'s
//! (Wadler-style groups): a list, map or `match` stays on one line when it
//! fits in [`WIDTH`] columns.
//!
//! Comments are not in the parse tree (pest skips them), so they are found
//! by a scan of the text and woven back by position:
//! - between the members of a block (or the items of the file) a comment
//!   gets a line of its own, or stays at the end of the member's line when
//!   it was there;
//! - elsewhere (between the words of one member) it stays in place, a line
//!   comment then ending the line.
//!
//! A bracketed value with a comment inside is always laid out one member a
//! line, and declaration bodies with more than one member (groups always)
//! are too. Comments go out through placeholders replaced after rendering,
//! so their text (a `/* */` over several lines included) is kept byte for
//! byte. A file with syntax errors is not formatted.

use super::grammar::Rule;
use crate::diagnostic::Diagnostics;
use crate::source::FileId;
use pest::iterators::Pair;
use pretty::RcDoc;

/// The line width lists, maps and `match`es are fitted into.
pub const WIDTH: usize = 100;

/// Spaces per level of nesting.
const INDENT: isize = 2;

type Doc = RcDoc<'static, ()>;

/// A comment in the source: its byte range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comment {
    /// First byte (the `/`).
    pub start: usize,
    /// One past the last byte (before the newline of a `//` comment).
    pub end: usize,
}

impl Comment {
    /// Whether this is a `//` (or `///`) comment, which ends its line.
    fn is_line(&self, text: &str) -> bool {
        text[self.start..].starts_with("//")
    }
}

/// The comments of `text`, in order, and the start of a `/*` that is never
/// closed, if any. See [`scan_comments`].
pub fn comments(text: &str) -> (Vec<Comment>, Option<usize>) {
    let mut found = Vec::new();
    let open = scan_comments(text, |c| found.push(c));
    (found, open)
}

/// Calls `each` on the comments of `text`, found as pest finds them:
/// outside strings, `//` to the end of the line and `/*` to the next `*/`.
/// Returns the start of a `/*` that is never closed, if any. (The parser
/// calls this on every file, so it collects nothing itself.)
pub fn scan_comments(text: &str, mut each: impl FnMut(Comment)) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        // Straight to the next byte that matters.
        let rest = &bytes[i..];
        if in_string {
            match memchr::memchr3(b'\\', b'"', b'\n', rest) {
                Some(k) if rest[k] == b'\\' => i += k + 2,
                Some(k) => {
                    in_string = false;
                    i += k + 1;
                }
                None => break,
            }
            continue;
        }
        match memchr::memchr2(b'"', b'/', rest) {
            Some(k) => i += k,
            None => break,
        }
        let c = bytes[i];
        match (c, bytes.get(i + 1)) {
            (b'"', _) => in_string = true,
            (b'/', Some(b'/')) => {
                let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                // A `\r\n` line ending is not part of the comment.
                let end = if end > i && bytes[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                each(Comment { start: i, end });
                i = end;
                continue;
            }
            (b'/', Some(b'*')) => match text[i + 2..].find("*/") {
                Some(n) => {
                    each(Comment {
                        start: i,
                        end: i + n + 4,
                    });
                    i += n + 4;
                    continue;
                }
                None => return Some(i),
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// `text` in the canonical layout, or the syntax errors that stop it from
/// being formatted. Lines end as the text's first line does: a file written
/// with CRLF stays CRLF.
pub fn format(text: &str, file: FileId) -> Result<String, Diagnostics> {
    let out = format_lf(text, file)?;
    let crlf = text.find('\n').is_some_and(|i| text[..i].ends_with('\r'));
    Ok(if crlf { out.replace('\n', "\r\n") } else { out })
}

/// [`format`], every line ending in `\n`.
fn format_lf(text: &str, file: FileId) -> Result<String, Diagnostics> {
    let runs = super::items::parallel_pieces(text, file);
    if runs.is_empty() {
        return format_whole(text, file);
    }
    // Top-level items lay out on their own: each is formatted alone, a run
    // of them a thread, and they are joined, a blank line kept where one
    // ended an item. Any syntax error sends the file through the single
    // path, which reports it with the file's positions.
    let outs: Vec<Option<Vec<String>>> = crate::parallel::map(&runs, |run| {
        run.iter()
            .map(|&(start, end)| format_whole(&text[start..end], file).ok())
            .collect()
    });
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<&str> = None;
    for (run, formatted) in runs.iter().zip(outs) {
        let Some(formatted) = formatted else {
            return format_whole(text, file);
        };
        for (&(start, end), piece) in run.iter().zip(formatted) {
            if let Some(prev) = prev
                && prev[prev.trim_end().len()..].matches('\n').count() >= 2
            {
                out.push('\n');
            }
            out.push_str(&piece);
            prev = Some(&text[start..end]);
        }
    }
    Ok(out)
}

/// [`format`] on one thread, the whole text as one parse.
fn format_whole(text: &str, file: FileId) -> Result<String, Diagnostics> {
    let (_, diags, out) = super::build::parse_file_then(text, file, |root, diags| {
        if diags.has_errors() {
            return None;
        }
        // A character the text doesn't have marks the comments' placeholders.
        let mark = ('\u{E000}'..='\u{F8FF}').find(|c| !text.contains(*c))?;
        let (comments, _) = comments(text);
        let mut p = Printer {
            text,
            comments,
            next: 0,
            mark,
        };
        let doc = p.file(root);
        let mut rendered = String::new();
        doc.render_fmt(WIDTH, &mut rendered).ok()?;
        Some(p.finish(&rendered))
    });
    match out.flatten() {
        Some(formatted) if !diags.has_errors() => Ok(formatted),
        _ => Err(diags),
    }
}

/// One member of a block, or a comment on a line of its own, as laid out
/// one a line.
struct Entry {
    /// The member's or comment's document.
    doc: Doc,
    /// A `range => adjustment` step: the range's text, to align the arrows
    /// of consecutive steps.
    step: Option<(String, Doc)>,
    /// A comment on a line of its own.
    comment: bool,
    /// A blank line separated it from what came before.
    blank_before: bool,
    /// The comment at the end of its line.
    trailing: Option<Doc>,
}

/// What a bracketed sequence separates its members with.
#[derive(Clone, Copy, PartialEq)]
enum Sep {
    /// `, ` on one line, a comma after each member (the last too) one a line.
    Comma,
    /// `, ` on one line, nothing one a line (properties).
    Property,
}

struct Printer<'t> {
    text: &'t str,
    comments: Vec<Comment>,
    /// The first comment not yet printed.
    next: usize,
    /// Marks a comment's placeholder in the rendered text.
    mark: char,
}

impl<'t> Printer<'t> {
    /// The placeholder of comment `k`.
    fn placeholder(&self, k: usize) -> Doc {
        let m = self.mark;
        Doc::text(format!("{m}{k}{m}"))
    }

    /// The rendered text with the comments put back, each line's trailing
    /// spaces removed, and one newline at the end.
    fn finish(&self, rendered: &str) -> String {
        let mut out = String::with_capacity(rendered.len() + 64);
        for line in rendered.lines() {
            let line = line.trim_end();
            let mut parts = line.split(self.mark);
            if let Some(first) = parts.next() {
                out.push_str(first);
            }
            let mut is_index = true;
            for part in parts {
                if is_index {
                    if let Some(c) = part
                        .parse::<usize>()
                        .ok()
                        .and_then(|k| self.comments.get(k))
                    {
                        out.push_str(self.text[c.start..c.end].trim_end());
                    }
                } else {
                    out.push_str(part);
                }
                is_index = !is_index;
            }
            out.push('\n');
        }
        let trimmed = out.trim_end_matches('\n').len();
        out.truncate(trimmed);
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    /// Whether a newline lies between two byte offsets.
    fn newline_between(&self, a: usize, b: usize) -> bool {
        a < b && self.text[a..b].contains('\n')
    }

    /// Whether a blank line lies between two byte offsets.
    fn blank_between(&self, a: usize, b: usize) -> bool {
        a < b && self.text[a..b].matches('\n').count() >= 2
    }

    /// Where a pair's text really ends: pest lets a rule that ends in an
    /// optional part (`type_expr`, `property`) take the spaces and comments
    /// it skipped before finding that part absent.
    fn end_of(&self, pair: &Pair<'t, Rule>) -> usize {
        let span = pair.as_span();
        let start = span.start();
        let mut end = span.end();
        loop {
            let trimmed = start + self.text[start..end].trim_end().len();
            let k = self.comments.partition_point(|c| c.end < trimmed);
            match self.comments.get(k) {
                Some(c) if c.end == trimmed && c.start >= start => end = c.start,
                _ => return trimmed,
            }
        }
    }

    /// Whether a comment starts within `start..end`.
    fn has_comment(&self, start: usize, end: usize) -> bool {
        let k = self.comments.partition_point(|c| c.start < start);
        self.comments.get(k).is_some_and(|c| c.start < end)
    }

    /// The comments before `pos` not yet printed, kept in place between
    /// words: a line comment ends its line.
    fn flush(&mut self, pos: usize) -> Doc {
        let mut doc = Doc::nil();
        while let Some(c) = self.comments.get(self.next).copied() {
            if c.start >= pos {
                break;
            }
            let k = self.next;
            self.next += 1;
            doc = doc.append(self.placeholder(k));
            doc = if c.is_line(self.text) {
                doc.append(Doc::hardline())
            } else {
                doc.append(Doc::text(" "))
            };
        }
        doc
    }

    /// A token as written, after any comment before it.
    fn leaf(&mut self, pair: &Pair<'t, Rule>) -> Doc {
        let start = pair.as_span().start();
        let before = self.flush(start);
        before.append(Doc::text(self.text[start..self.end_of(pair)].to_string()))
    }

    /// The members of a block (or the file), with the comments between and
    /// after them, up to `close` (where the closing bracket is).
    fn entries(&mut self, open: usize, members: Vec<Pair<'t, Rule>>, close: usize) -> Vec<Entry> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut prev_end = open;
        let mut members = members.into_iter().peekable();
        loop {
            let next_start = members.peek().map_or(close, |m| m.as_span().start());
            while let Some(c) = self.comments.get(self.next).copied() {
                if c.start >= next_start {
                    break;
                }
                let k = self.next;
                self.next += 1;
                let on_same_line = !self.newline_between(prev_end, c.start);
                match entries.last_mut() {
                    Some(last) if on_same_line && last.trailing.is_none() && !last.comment => {
                        last.trailing = Some(self.placeholder(k));
                    }
                    _ => entries.push(Entry {
                        doc: self.placeholder(k),
                        step: None,
                        comment: true,
                        blank_before: !entries.is_empty() && self.blank_between(prev_end, c.start),
                        trailing: None,
                    }),
                }
                prev_end = c.end;
            }
            let Some(m) = members.next() else { break };
            let span = m.as_span();
            let end = self.end_of(&m);
            let blank_before = !entries.is_empty() && self.blank_between(prev_end, span.start());
            let (doc, step) = if m.as_rule() == Rule::step {
                let (range, rest) = self.step(m);
                (Doc::nil(), Some((range, rest)))
            } else {
                (self.member(m), None)
            };
            entries.push(Entry {
                doc,
                step,
                comment: false,
                blank_before,
                trailing: None,
            });
            prev_end = end;
        }
        // Steps in a run (no blank line or comment between) line up.
        let mut k = 0;
        while k < entries.len() {
            if entries[k].step.is_none() {
                k += 1;
                continue;
            }
            let mut end = k + 1;
            while end < entries.len() && entries[end].step.is_some() && !entries[end].blank_before {
                end += 1;
            }
            let width = entries[k..end]
                .iter()
                .filter_map(|e| e.step.as_ref().map(|(r, _)| r.chars().count()))
                .max()
                .unwrap_or(0);
            for e in &mut entries[k..end] {
                if let Some((range, rest)) = e.step.take() {
                    let pad = width.saturating_sub(range.chars().count());
                    e.doc = Doc::text(format!("{range}{} => ", " ".repeat(pad))).append(rest);
                }
            }
            k = end;
        }
        entries
    }

    /// Entries one a line, `sep` after each member.
    fn lines(entries: Vec<Entry>, comma: bool) -> Doc {
        let mut doc = Doc::nil();
        for (k, e) in entries.into_iter().enumerate() {
            if k > 0 {
                doc = doc.append(Doc::hardline());
                if e.blank_before {
                    doc = doc.append(Doc::hardline());
                }
            }
            doc = doc.append(e.doc);
            if comma && !e.comment {
                doc = doc.append(Doc::text(","));
            }
            if let Some(t) = e.trailing {
                doc = doc.append(Doc::text(" ")).append(t);
            }
        }
        doc
    }

    /// Whether entries can share one line: no comment, no blank line.
    fn inline_able(entries: &[Entry]) -> bool {
        entries
            .iter()
            .all(|e| !e.comment && !e.blank_before && e.trailing.is_none())
    }

    /// A declaration's `{ ... }`: one line when it has at most one member
    /// (and `may_inline`) and fits, else a member a line.
    fn body(&mut self, pair: Pair<'t, Rule>, may_inline: bool) -> Doc {
        let span = pair.as_span();
        let members: Vec<Pair<'t, Rule>> = pair.into_inner().collect();
        let close = span.end().saturating_sub(1);
        let entries = self.entries(span.start() + 1, members, close);
        if entries.is_empty() {
            return Doc::text("{}");
        }
        if may_inline && entries.len() == 1 && Self::inline_able(&entries) {
            let inner = Self::lines(entries, false);
            return Doc::text("{")
                .append(Doc::line().append(inner).nest(INDENT))
                .append(Doc::line())
                .append(Doc::text("}"))
                .group();
        }
        Doc::text("{")
            .append(
                Doc::hardline()
                    .append(Self::lines(entries, false))
                    .nest(INDENT),
            )
            .append(Doc::hardline())
            .append(Doc::text("}"))
    }

    /// A bracketed sequence of values: on one line if it fits and has no
    /// comment, else a member a line.
    fn seq(
        &mut self,
        span: pest::Span<'t>,
        (open, close): (&str, &str),
        members: Vec<Pair<'t, Rule>>,
        sep: Sep,
        spaced: bool,
    ) -> Doc {
        let close_at = span.end().saturating_sub(close.len());
        let broken = self.has_comment(span.start(), span.end());
        let entries = self.entries(span.start() + open.len(), members, close_at);
        if entries.is_empty() {
            return Doc::text(format!("{open}{close}"));
        }
        if broken || !Self::inline_able(&entries) {
            return Doc::text(open.to_string())
                .append(
                    Doc::hardline()
                        .append(Self::lines(entries, sep == Sep::Comma))
                        .nest(INDENT),
                )
                .append(Doc::hardline())
                .append(Doc::text(close.to_string()));
        }
        let edge = if spaced { Doc::line() } else { Doc::line_() };
        let between = match sep {
            Sep::Comma => Doc::text(",").append(Doc::line()),
            Sep::Property => Doc::hardline().flat_alt(Doc::text(", ")),
        };
        let trailing = match sep {
            Sep::Comma => Doc::text(",").flat_alt(Doc::nil()),
            Sep::Property => Doc::nil(),
        };
        let inner = Doc::intersperse(entries.into_iter().map(|e| e.doc), between);
        Doc::text(open.to_string())
            .append(edge.clone().append(inner).append(trailing).nest(INDENT))
            .append(edge)
            .append(Doc::text(close.to_string()))
            .group()
    }

    fn file(&mut self, root: Pair<'t, Rule>) -> Doc {
        let items: Vec<Pair<'t, Rule>> = root
            .into_inner()
            .filter(|p| p.as_rule() != Rule::EOI)
            .collect();
        let entries = self.entries(0, items, self.text.len());
        Self::lines(entries, false)
    }

    /// A top-level item or a member of a block.
    fn member(&mut self, pair: Pair<'t, Rule>) -> Doc {
        match pair.as_rule() {
            Rule::property => self.property(pair),
            Rule::widget => {
                let mut doc = Doc::nil();
                for (k, p) in pair.into_inner().enumerate() {
                    if k > 0 {
                        doc = doc.append(Doc::text(" "));
                    }
                    doc = doc.append(self.value(p));
                }
                doc
            }
            Rule::notify_stmt => {
                let mut it = pair.into_inner();
                let mut doc = Doc::nil();
                if let Some(kw) = it.next() {
                    doc = doc.append(self.leaf(&kw));
                }
                if let Some(list) = it.next() {
                    doc = doc.append(Doc::text(" ")).append(self.value(list));
                }
                if let Some(topic) = it.next() {
                    doc = doc.append(Doc::text(" -> ")).append(self.leaf(&topic));
                }
                doc
            }
            // `expect cond [for <= 10m]`: its words, a space apart.
            Rule::expect_stmt => {
                let mut doc = Doc::nil();
                for (k, p) in pair.into_inner().enumerate() {
                    if k > 0 {
                        doc = doc.append(Doc::text(" "));
                    }
                    doc = doc.append(match p.as_rule() {
                        Rule::expr => self.value(p),
                        _ => self.leaf(&p),
                    });
                }
                doc
            }
            Rule::template_param => {
                let mut doc = Doc::nil();
                for p in pair.into_inner() {
                    doc = match p.as_rule() {
                        Rule::ident => doc.append(self.leaf(&p)),
                        Rule::type_expr => doc.append(Doc::text(": ")).append(self.type_expr(p)),
                        _ => doc.append(Doc::text(" = ")).append(self.value(p)),
                    };
                }
                doc
            }
            Rule::app_decl
            | Rule::use_decl
            | Rule::template_decl
            | Rule::override_decl
            | Rule::remove_stmt
            | Rule::param_decl
            | Rule::metric_decl
            | Rule::metric_param
            | Rule::preset_decl
            | Rule::env_decl
            | Rule::topic_decl
            | Rule::group_decl
            | Rule::scalable_decl
            | Rule::lints_decl
            | Rule::test_decl
            | Rule::policy_decl
            | Rule::alarm_decl
            | Rule::hook_decl
            | Rule::schedule_decl
            | Rule::dashboard_decl => self.declaration(pair),
            _ => self.value(pair),
        }
    }

    /// `KEYWORD words... [extends a, b] [(params)] { body }`.
    fn declaration(&mut self, pair: Pair<'t, Rule>) -> Doc {
        let mut doc = Doc::nil();
        let mut first = true;
        for p in pair.into_inner() {
            let piece = match p.as_rule() {
                Rule::group_body => self.body(p, false),
                Rule::block | Rule::policy_body | Rule::dashboard_body | Rule::test_body => {
                    self.body(p, true)
                }
                Rule::extends => {
                    let mut d = Doc::nil();
                    for (k, x) in p.into_inner().enumerate() {
                        d = d.append(match k {
                            0 => Doc::nil(),
                            1 => Doc::text(" "),
                            _ => Doc::text(", "),
                        });
                        d = d.append(self.leaf(&x));
                    }
                    d
                }
                Rule::policy_decl
                | Rule::alarm_decl
                | Rule::hook_decl
                | Rule::schedule_decl
                | Rule::dashboard_decl => self.declaration(p),
                Rule::template_call => self.template_call(p),
                Rule::metric_params | Rule::template_params => {
                    let span = p.as_span();
                    let members: Vec<Pair<'t, Rule>> = p.into_inner().collect();
                    let d = self.seq(span, ("(", ")"), members, Sep::Comma, false);
                    first = false;
                    doc = doc.append(d);
                    continue;
                }
                Rule::type_expr => {
                    doc = doc.append(Doc::text(": ")).append(self.type_expr(p));
                    continue;
                }
                _ => self.value(p),
            };
            if !first {
                doc = doc.append(Doc::text(" "));
            }
            first = false;
            doc = doc.append(piece);
        }
        doc
    }

    /// `service(cpu = 70%)`.
    fn template_call(&mut self, pair: Pair<'t, Rule>) -> Doc {
        let mut doc = Doc::nil();
        for p in pair.into_inner() {
            doc = match p.as_rule() {
                Rule::template_args => {
                    let span = p.as_span();
                    let members: Vec<Pair<'t, Rule>> = p.into_inner().collect();
                    doc.append(self.seq(span, ("(", ")"), members, Sep::Comma, false))
                }
                _ => doc.append(self.leaf(&p)),
            };
        }
        doc
    }

    /// `list<subnet_id>`.
    fn type_expr(&mut self, pair: Pair<'t, Rule>) -> Doc {
        let mut doc = Doc::nil();
        for p in pair.into_inner() {
            doc = match p.as_rule() {
                Rule::type_expr => doc
                    .append(Doc::text("<"))
                    .append(self.type_expr(p))
                    .append(Doc::text(">")),
                _ => doc.append(self.leaf(&p)),
            };
        }
        doc
    }

    /// `key = value`.
    fn property(&mut self, pair: Pair<'t, Rule>) -> Doc {
        let mut it = pair.into_inner();
        let mut doc = Doc::nil();
        if let Some(key) = it.next() {
            doc = doc.append(self.leaf(&key));
        }
        if let Some(value) = it.next() {
            doc = doc.append(Doc::text(" = ")).append(self.value(value));
        }
        doc
    }

    /// A step: its range's text and what follows the arrow. (Comments
    /// before it were printed as the entry's own.)
    fn step(&mut self, pair: Pair<'t, Rule>) -> (String, Doc) {
        let mut it = pair.into_inner();
        let range = it
            .next()
            .map(|r| r.as_str().to_string())
            .unwrap_or_default();
        let rest = it.next().map_or(Doc::nil(), |a| self.value(a));
        (range, rest)
    }

    /// Any value.
    fn value(&mut self, pair: Pair<'t, Rule>) -> Doc {
        match pair.as_rule() {
            Rule::expr => {
                let mut doc = Doc::nil();
                for (k, p) in pair.into_inner().enumerate() {
                    if k > 0 {
                        doc = doc.append(Doc::text(" "));
                    }
                    doc = doc.append(self.value(p));
                }
                doc
            }
            Rule::list => {
                let span = pair.as_span();
                let members: Vec<Pair<'t, Rule>> = pair.into_inner().collect();
                self.seq(span, ("[", "]"), members, Sep::Comma, false)
            }
            Rule::object => match pair.into_inner().next() {
                Some(block) => self.object(block),
                None => Doc::text("{}"),
            },
            Rule::block => self.object(pair),
            Rule::paren => {
                let before = self.flush(pair.as_span().start());
                let inner = pair
                    .into_inner()
                    .next()
                    .map_or(Doc::nil(), |e| self.value(e));
                before
                    .append(Doc::text("("))
                    .append(inner)
                    .append(Doc::text(")"))
            }
            Rule::reference => {
                let mut doc = Doc::nil();
                for p in pair.into_inner() {
                    doc = match p.as_rule() {
                        Rule::call_args => {
                            let span = p.as_span();
                            let members: Vec<Pair<'t, Rule>> = p.into_inner().collect();
                            doc.append(self.seq(span, ("(", ")"), members, Sep::Comma, false))
                        }
                        Rule::block => doc.append(Doc::text(" ")).append(self.object(p)),
                        _ => doc.append(self.leaf(&p)),
                    };
                }
                doc
            }
            Rule::match_expr => {
                let span = pair.as_span();
                let mut it = pair.into_inner();
                let mut doc = Doc::nil();
                if let Some(kw) = it.next() {
                    doc = doc.append(self.leaf(&kw));
                }
                if let Some(subject) = it.next() {
                    doc = doc.append(Doc::text(" ")).append(self.leaf(&subject));
                }
                let arms: Vec<Pair<'t, Rule>> = it.collect();
                // The arms' braces: from the `{` after the subject.
                let open = arms
                    .first()
                    .map_or(span.end(), |a| a.as_span().start())
                    .min(span.end());
                let brace = self.text[..open].rfind('{').unwrap_or(span.start());
                let inner = pest::Span::new(self.text, brace, span.end());
                match inner {
                    Some(s) => doc.append(Doc::text(" ")).append(self.seq(
                        s,
                        ("{", "}"),
                        arms,
                        Sep::Comma,
                        true,
                    )),
                    None => doc,
                }
            }
            Rule::match_arm => {
                let mut doc = Doc::nil();
                let mut patterns = 0;
                for p in pair.into_inner() {
                    if p.as_rule() == Rule::pattern {
                        if patterns > 0 {
                            doc = doc.append(Doc::text(" | "));
                        }
                        patterns += 1;
                        doc = doc.append(self.leaf(&p));
                    } else {
                        doc = doc.append(Doc::text(" => ")).append(self.value(p));
                    }
                }
                doc
            }
            Rule::exactly => {
                let mut doc = Doc::nil();
                for (k, p) in pair.into_inner().enumerate() {
                    if k > 0 {
                        doc = doc.append(Doc::text(" "));
                    }
                    doc = doc.append(self.leaf(&p));
                }
                doc
            }
            _ => self.leaf(&pair),
        }
    }

    /// A map of properties as a value: `{ a = 1, b = 2 }`.
    fn object(&mut self, block: Pair<'t, Rule>) -> Doc {
        let span = block.as_span();
        let members: Vec<Pair<'t, Rule>> = block.into_inner().collect();
        self.seq(span, ("{", "}"), members, Sep::Property, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text, FileId(0)).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn comments_are_found_outside_strings() {
        let text = "a = \"// not\" // yes\n/* b\n c */ x";
        let (found, open) = comments(text);
        let shown: Vec<&str> = found.iter().map(|c| &text[c.start..c.end]).collect();
        assert_eq!(shown, ["// yes", "/* b\n c */"]);
        assert_eq!(open, None);
        assert_eq!(comments("x /* y").1, Some(2));
    }

    #[test]
    fn layout_does_not_depend_on_spacing() {
        let a =
            fmt("app \"a\"\ngroup g { capacity = 1..2  desired=1\n tags = {a=\"x\",b=\"y\"} }\n");
        let b = fmt(
            "app   \"a\"\n\ngroup g {\ncapacity = 1..2\ndesired = 1\ntags = {\n a = \"x\"\n b = \"y\"\n}\n}",
        );
        assert_eq!(
            a,
            "app \"a\"\ngroup g {\n  capacity = 1..2\n  desired = 1\n  tags = { a = \"x\", b = \"y\" }\n}\n"
        );
        assert_eq!(
            b,
            "app \"a\"\n\ngroup g {\n  capacity = 1..2\n  desired = 1\n  tags = { a = \"x\", b = \"y\" }\n}\n"
        );
    }

    #[test]
    fn a_large_file_formats_in_pieces_as_in_one() {
        let mut text = String::from("// head\napp  \"a\"\n");
        for i in 0..2000 {
            text.push_str(&format!(
                "group g{i}{{capacity=1..2 // c{i}\n  tags={{a=\"x\"}}}}\n{}",
                if i % 3 == 0 { "\n\n" } else { "" }
            ));
        }
        assert!(text.len() > crate::syntax::items::PARALLEL_FROM);
        assert!(!crate::syntax::items::parallel_pieces(&text, FileId(0)).is_empty());
        let whole = format_whole(&text, FileId(0)).expect("formats");
        assert_eq!(fmt(&text), whole);
        assert_eq!(fmt(&whole), whole);
    }

    #[test]
    fn steps_line_up_and_comments_stay() {
        let text = "app \"a\" // the app\ngroup g {\n  /// doc\n  policy p step {\n    metric = ec2.cpu\n    50%..70% => +1 // first\n    70%.. => +2\n  }\n}\n";
        let out = fmt(text);
        assert_eq!(
            out,
            "app \"a\" // the app\ngroup g {\n  /// doc\n  policy p step {\n    metric = ec2.cpu\n    50%..70% => +1 // first\n    70%..    => +2\n  }\n}\n"
        );
        assert_eq!(fmt(&out), out);
    }
}
