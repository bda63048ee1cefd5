//! Source files and spans: where every piece of text came from.
//!
//! A [`Span`] is a byte range in one file of a [`SourceMap`]. It is `Copy`,
//! carries no lifetime, and converts into miette's `SourceSpan`.

use serde::Serialize;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// An empty span just past this one: where a missing thing should go.
    pub fn past(self) -> Span {
        Span {
            start: self.end,
            ..self
        }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Span", 3)?;
        st.serialize_field("file", &self.file.0)?;
        st.serialize_field("start", &self.start)?;
        st.serialize_field("end", &self.end)?;
        st.end()
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> miette::SourceSpan {
        (span.start as usize, span.len()).into()
    }
}

/// One source file: its display name and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Shown in diagnostics: a path, or `<std-lib/metrics.scale>`.
    pub name: String,
    /// The whole text.
    pub text: std::sync::Arc<String>,
    /// Byte offset of the start of each line.
    line_starts: std::sync::Arc<Vec<usize>>,
    /// Whether this file is part of the embedded standard library.
    pub is_std: bool,
}

impl SourceFile {
    /// The file as miette source code, with a line index so that rendering
    /// a diagnostic costs the size of its lines, not of the whole file.
    pub fn to_miette(&self) -> IndexedSource {
        IndexedSource {
            name: self.name.clone(),
            text: self.text.clone(),
            line_starts: self.line_starts.clone(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }
}

/// All the files of one compilation: the user's files and the std-lib.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        text: impl Into<String>,
        is_std: bool,
    ) -> FileId {
        let text: String = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            name: name.into(),
            text: std::sync::Arc::new(text),
            line_starts: std::sync::Arc::new(line_starts),
            is_std,
        });
        id
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The text a span covers, or "" if it is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file)
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

/// A file for miette: text plus a line index.
#[derive(Debug, Clone)]
pub struct IndexedSource {
    name: String,
    text: std::sync::Arc<String>,
    line_starts: std::sync::Arc<Vec<usize>>,
}

impl miette::SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let offset = span.offset().min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let first = line.saturating_sub(context_lines_before);
        let base = self.line_starts.get(first).copied().unwrap_or(0);
        let window = self.text.as_bytes().get(base..).unwrap_or(&[]);
        let shifted = miette::SourceSpan::new((offset - base).into(), span.len());
        let inner = <[u8] as miette::SourceCode>::read_span(
            window,
            &shifted,
            context_lines_before,
            context_lines_after,
        )?;
        let data = inner.data();
        let out_span =
            miette::SourceSpan::new((inner.span().offset() + base).into(), inner.span().len());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data,
            out_span,
            inner.line() + first,
            inner.column(),
            inner.line_count(),
        )))
    }
}
