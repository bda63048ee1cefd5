//! The standard library: `.scale` files embedded in the binary.
//!
//! They are parsed and checked with every spec, under pseudo-paths such as
//! `<std-lib/metrics.scale>`, so diagnostics that point into them show
//! which std-lib line is involved.

/// Pseudo-path and text of each std-lib file.
pub const FILES: &[(&str, &str)] = &[
    (
        "<std-lib/metrics.scale>",
        include_str!("../std-lib/metrics.scale"),
    ),
    (
        "<std-lib/presets.scale>",
        include_str!("../std-lib/presets.scale"),
    ),
];
