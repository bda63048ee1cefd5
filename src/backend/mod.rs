//! Backends: turn a checked [`crate::model::Environment`] into something
//! AWS can take. `cfn` emits CloudFormation templates.

pub mod cfn;
