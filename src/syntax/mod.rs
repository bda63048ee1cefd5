//! Parsing: source text to [`ast::File`], with diagnostics.
//!
//! This module knows nothing about AWS, units or environments. It can be used
//! on its own (a formatter or a language server would start here). Parsing
//! never fails: malformed lines become diagnostics (`scale::syntax::*`) and
//! the rest of the file is still read.

pub mod ast;
mod build;
mod cache;
pub mod error;
pub mod format;
pub mod grammar;
mod items;
pub mod shift;
pub mod unparse;

pub use build::{GROUP_KEYWORDS, TOP_KEYWORDS, parse_file_then};
pub use cache::ItemCache;
pub use items::{item_ranges, parse_by_items, parse_file};

use crate::diagnostic::Diagnostics;
use crate::source::{FileId, SourceMap};

/// The `///` lines right above byte `start` of `text`, joined: the doc
/// comment of the item that starts there.
pub fn doc_before(text: &str, start: usize) -> Option<String> {
    let mut lines: Vec<&str> = Vec::new();
    for line in text[..start.min(text.len())]
        .lines()
        .rev()
        .skip_while(|l| l.trim().is_empty())
    {
        match line.trim_start().strip_prefix("///") {
            Some(doc) => lines.push(doc.strip_prefix(' ').unwrap_or(doc)),
            None => break,
        }
    }
    lines.reverse();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Parses one file of the map.
pub fn source_to_ast(sources: &SourceMap, file: FileId) -> (ast::File, Diagnostics) {
    let text = sources.get(file).text.clone();
    items::parse_file(&text, file)
}

#[cfg(test)]
mod tests {
    use super::ast::{ExprKind, Item};
    use super::grammar::{Rule, ScaleParser};
    use crate::source::{FileId, SourceMap};
    use pest::{Parser, consumes_to, fails_with, parses_to};

    #[test]
    fn explaining_a_bad_line_leaves_pests_error_detail_off_for_later_parses() {
        // The bad line is explained by a probe parse with the detail on.
        let (_, d) = super::items::parse_file(
            "app \"a\"\ngroup web {\n  capacity env.capacity\n}\n",
            FileId(0),
        );
        assert!(
            d.iter().any(|d| d.code == super::error::INVALID_MEMBER),
            "{d:?}"
        );
        // No probe runs while the turn is held, so what follows sees the
        // switch as the last probe left it.
        let _turn = super::build::PROBING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let later = ScaleParser::parse(Rule::probe_property, "x y");
        assert!(
            later.is_err_and(|e| e.parse_attempts().is_none()),
            "a parse after the probe still collects every token tried"
        );
    }

    fn parse(text: &str) -> (super::ast::File, crate::diagnostic::Diagnostics) {
        let mut sm = SourceMap::new();
        let id = sm.add("t.scale", text, false);
        super::source_to_ast(&sm, id)
    }

    #[test]
    fn a_byte_order_mark_may_start_a_file_and_vertical_tabs_and_form_feeds_are_spaces() {
        let text = "\u{feff}app \"a\"\r\n\x0bparam\x0cs: list<subnet_id>\r\n";
        let (file, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(matches!(
            file.items.as_slice(),
            [Item::App(_), Item::Param(_)]
        ));
        // The same text, item by item (as large files and the server parse).
        let (by_items, diags) = super::items::parse_by_items(text, FileId(0));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(by_items.items.len(), 2);
    }

    #[test]
    fn a_byte_order_mark_inside_a_file_is_named_and_marked() {
        let text = "app \"a\"\n\u{feff}param s: list<subnet_id>\n";
        let (_, diags) = parse(text);
        let d = diags
            .iter()
            .find(|d| d.code == super::error::INVALID_ITEM)
            .unwrap_or_else(|| panic!("no invalid-item error: {diags:?}"));
        assert!(
            d.message.contains("a byte order mark (U+FEFF)"),
            "{}",
            d.message
        );
        let at = text.find('\u{feff}').unwrap_or_default();
        let span = d.span();
        assert_eq!((span.start as usize, span.end as usize), (at, at + 3));
        assert!(
            d.help
                .as_deref()
                .is_some_and(|h| h.contains("only start a file"))
        );
    }

    #[test]
    fn after_a_value_an_operator_is_expected_in_words() {
        let (_, diags) =
            parse("app \"a\"\ngroup g {\n  desired = match env { production => 2 3 }\n}\n");
        let d = diags
            .iter()
            .find(|d| d.code == super::error::INVALID_MEMBER)
            .unwrap_or_else(|| panic!("no invalid-member error: {diags:?}"));
        assert!(d.message.contains("an operator"), "{}", d.message);
        // Said once, in words, not as the list of every operator.
        assert!(!d.message.contains("`>=`"), "{}", d.message);
    }

    #[test]
    fn quantities_are_one_token() {
        parses_to! {
            parser: ScaleParser,
            input: "100/min",
            rule: Rule::quantity,
            tokens: [quantity(0, 7)]
        };
        parses_to! {
            parser: ScaleParser,
            input: "1.5s",
            rule: Rule::quantity,
            tokens: [quantity(0, 4)]
        };
    }

    #[test]
    fn keywords_are_not_names() {
        fails_with! {
            parser: ScaleParser,
            input: "match",
            rule: Rule::ident,
            positives: vec![Rule::ident],
            negatives: vec![],
            pos: 0
        };
    }

    #[test]
    fn a_value_then_a_step_line_is_not_one_range() {
        let (file, diags) =
            parse("app \"a\"\ngroup g {\n policy p step {\n  evaluate = 5\n  ..20% => -1\n }\n}\n");
        assert!(diags.is_empty(), "{diags:?}");
        let Some(Item::Group(g)) = file.items.get(1) else {
            panic!("expected a group")
        };
        assert_eq!(g.policies[0].steps.len(), 1);
        assert!(
            matches!(g.policies[0].properties[0].value.kind, ExprKind::Number { value } if value == 5.0)
        );
    }

    #[test]
    fn value_spans_end_at_the_value_not_at_the_next_line() {
        let text = "app \"a\"\ngroup g {\n  x = env.cpu   // note\n  y = a + b\n  z = elb { grace = 5m }\n}\n";
        let mut sm = SourceMap::new();
        let id = sm.add("t.scale", text, false);
        let (file, diags) = super::source_to_ast(&sm, id);
        assert!(diags.is_empty(), "{diags:?}");
        let Some(Item::Group(g)) = file.items.get(1) else {
            panic!("expected a group")
        };
        let shown: Vec<&str> = g
            .properties
            .iter()
            .map(|p| sm.slice(p.value.span))
            .collect();
        assert_eq!(shown, vec!["env.cpu", "a + b", "elb { grace = 5m }"]);
    }

    #[test]
    fn a_large_file_parses_in_pieces_exactly_as_in_one() {
        // Over the threshold, with things that look like item starts but
        // aren't: in a string, in a block comment, inside braces.
        let mut text = String::from("app \"a\"\n/*\ngroup in_a_comment {\n*/\n");
        for i in 0..600 {
            text.push_str(&format!(
                "group g{i} {{\n  tags = {{ note = \"group x {{\" }}\n  capacity = 1..2\n  desired = match env {{\ngroup => 1, _ => 2 }}\n}}\n"
            ));
            if i % 97 == 0 {
                text.push_str("grup oops {\n}\n");
            }
        }
        assert!(text.len() > super::items::PARALLEL_FROM);
        let pieces = super::items::item_ranges(&text);
        assert!(pieces.len() >= 600, "{}", pieces.len());
        assert_eq!(super::items::pieces(pieces.clone(), text.len(), 2).len(), 2);
        for (start, _) in &pieces[1..] {
            assert!(
                text[*start..].starts_with("group g") || text[*start..].starts_with("grup"),
                "{}",
                &text[*start..*start + 20]
            );
        }
        let (whole, whole_diags, _) = super::build::parse_file_then(&text, FileId(0), |_, _| ());
        let (split, split_diags) = super::items::parse_file(&text, FileId(0));
        assert_eq!(whole.to_json(), split.to_json());
        let listed =
            |d: &crate::diagnostic::Diagnostics| format!("{:?}", d.iter().collect::<Vec<_>>());
        assert_eq!(listed(&whole_diags), listed(&split_diags));
        assert_eq!(split_diags.len(), 7, "{split_diags:?}");
    }

    #[test]
    fn a_bad_line_is_reported_and_parsing_goes_on() {
        let (file, diags) = parse("app \"a\"\ngrup x {}\nenvironment e {}\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(file.items.len(), 2, "app and environment still parsed");
    }

    #[test]
    fn a_misspelt_member_keyword_gets_a_suggestion_for_every_keyword() {
        // The grammar's `group_member` keywords.
        for word in ["policy", "alarm", "hook", "schedule", "notify", "dashboard"] {
            let typo = &word[..word.len() - 1];
            let (_, diags) = parse(&format!("app \"a\"\ngroup g {{\n  {typo} x y {{}}\n}}\n"));
            let helps: Vec<String> = diags.iter().filter_map(|d| d.help.clone()).collect();
            assert!(
                helps.iter().any(|h| h.contains(&format!("`{word}`"))),
                "`{typo}` suggests {helps:?}"
            );
        }
    }
}
