//! The plan for people: one line a call, `+` create with the values it
//! sets, `~` update with each changed field, `-` delete.

use super::show::{Detail, create_lines};
use super::{Action, ApplyPlan};

/// The plan for people: one line a call, a create's values under it
/// (AWS's defaults left out).
pub fn render_human(plan: &ApplyPlan) -> String {
    render_human_with(plan, Detail::Set)
}

/// [`render_human`], showing every field of a create with `Detail::All`.
pub fn render_human_with(plan: &ApplyPlan, detail: Detail) -> String {
    let against = if plan.state_fingerprint == "empty" {
        "an empty account"
    } else {
        "the live account"
    };
    let place = if plan.region.is_empty() {
        " (no region: apply needs the environment's `region` or --region)".to_string()
    } else {
        format!(" in {}", plan.region)
    };
    let mut out = format!(
        "Plan for {} {}{place} ({} calls, against {against}):\n\n",
        plan.app,
        plan.environment,
        plan.operations.len()
    );
    for op in &plan.operations {
        let api = op.call.api();
        let sign = match op.action {
            Action::Create => "+",
            Action::Update => "~",
            Action::Delete => "-",
        };
        out.push_str(&format!(
            "  {sign} [{}] {api:<45} {}\n",
            op.step, op.resource
        ));
        if op.action == Action::Create {
            for l in create_lines(op, detail) {
                out.push_str(&format!("        {l}\n"));
            }
        }
        for c in &op.changes {
            out.push_str(&format!("        {}: {} -> {}\n", c.field, c.old, c.new));
        }
        if let Some(n) = &op.note {
            out.push_str(&format!("        note: {n}\n"));
        }
    }
    for l in &plan.left_alone {
        out.push_str(&format!("  left alone (not scalec's): {l}\n"));
    }
    let count = |a: Action| plan.operations.iter().filter(|o| o.action == a).count();
    if plan.operations.is_empty() {
        out.push_str("\nNo changes: the account matches the spec.\n");
    } else {
        out.push_str(&format!(
            "\n{} to create, {} to update, {} to delete.\n",
            count(Action::Create),
            count(Action::Update),
            count(Action::Delete)
        ));
    }
    out
}
