//! The pest parser, derived from `grammar/scale.pest`. Nothing else lives here.
#![allow(missing_docs)]

#[derive(pest_derive::Parser)]
#[grammar = "grammar/scale.pest"]
pub struct ScaleParser;
