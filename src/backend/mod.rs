//! Backends: turn a checked [`crate::model::Environment`] into something
//! AWS can take. `cfn` emits CloudFormation templates; `plan` lists the
//! AWS API calls that create an environment (the direct apply plan).

pub mod cfn;
pub mod dashboard;
pub mod fleet;
pub mod json;
pub mod plan;
