//! Names that collide once CloudFormation derives its own from them: two
//! items whose logical IDs are equal (names that differ only in case or
//! underscores: `web` and `Web`, `a_b` and `a__b`), and logical IDs over
//! CloudFormation's 255 characters. Found here, with both items named, so
//! that `check` and not `build` is the first to say so.

use super::constraints as C;
use super::error as codes;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, ids};
use std::collections::HashMap;

/// Reports colliding and overlong logical IDs of one environment.
pub(crate) fn check_logical_ids(env: &model::Environment, diags: &mut Diagnostics) {
    let all = ids::environment_ids(env);
    let mut first: HashMap<&str, &ids::LogicalId> = HashMap::with_capacity(all.len());
    for l in &all {
        let length = l.id.chars().count();
        if length > C::CFN_LOGICAL_ID.max_chars() {
            diags.push(
                Diagnostic::error(
                    codes::NAME_TOO_LONG,
                    format!(
                        "{} becomes the CloudFormation logical ID `{}`, {length} characters; CloudFormation takes at most {}",
                        l.owner(),
                        l.id,
                        C::CFN_LOGICAL_ID.max_chars()
                    ),
                    l.origin,
                    "name too long",
                )
                .with_help("shorten the group's or the item's name"),
            );
            continue;
        }
        match first.get(l.id.as_str()) {
            Some(f) if !f.same_item(l) => {
                let (a, b) = (f.owner(), l.owner());
                diags.push(
                    Diagnostic::error(
                        codes::COLLISION,
                        format!("{a} and {b} would both be `{}` in CloudFormation", l.id),
                        l.origin,
                        format!("{b} is here"),
                    )
                    .with_label(f.origin, format!("{a} is here"))
                    .with_help(
                        "logical IDs drop `_` and `-` and capitalise each word, so names that differ only in case or underscores become one: rename one of them",
                    ),
                )
            }
            Some(_) => {}
            None => {
                first.insert(&l.id, l);
            }
        }
    }
}
