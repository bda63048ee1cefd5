//! The catalogue of every diagnostic code, assembled from each stage's
//! own list where it is used (SARIF rules, `--explain`, lint levels, the
//! tests that every code is shown), so that no stage depends on the others'.

/// Every diagnostic code scalec can report, with what it means: the rules
/// of the SARIF output and the code list of the documentation.
pub fn catalog() -> Vec<(&'static str, String)> {
    let lists: [&[(&str, &[&str])]; 10] = [
        crate::syntax::error::DOCS,
        crate::check::error::DOCS,
        crate::analysis::error::DOCS,
        crate::backend::cfn::error::DOCS,
        crate::backend::plan::error::DOCS,
        crate::sim::trace::DOCS,
        crate::sim::DOCS,
        crate::apply::error::DOCS,
        crate::import::error::DOCS,
        crate::diagnostic::cli_codes::DOCS,
    ];
    lists
        .iter()
        .flat_map(|l| l.iter())
        .map(|(code, lines)| {
            let text = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
            (*code, text)
        })
        .collect()
}
