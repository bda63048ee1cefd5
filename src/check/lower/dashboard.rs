//! Lowering a group's dashboard and its widgets.

use super::*;

pub(super) fn lower_dashboard<'a>(
    cx: &mut Cx<'a, '_>,
    group_phys: &PhysName,
    d: &'a ast::DashboardDecl,
) -> Option<Dashboard> {
    // Only `name` is a property of a dashboard; anything else is reported.
    by_key(
        &d.properties,
        block_keys("dashboard"),
        &[],
        "a dashboard",
        cx.diags,
    );
    let derived = match &d.name {
        Some(n) => group_phys.child(&n.name, n.span, "the dashboard's name"),
        None => group_phys.clone(),
    };
    let item = d.name.as_ref().map(|n| n.span).unwrap_or(d.span);
    let physical_name = aws_name(cx, &d.properties, derived);
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "dashboard",
            max: C::DASHBOARD_NAME.max_chars(),
            alnum_plus: Some("-_"),
        },
        item,
        cx.diags,
    );
    let physical_name = physical_name.text;
    let mut widgets = Vec::new();
    for w in &d.widgets {
        match w.kind.name.as_str() {
            "capacity" | "activity" | "utilization" => {
                if let Some(a) = &w.args
                    && let Some(first) = a.first()
                {
                    cx.diags.push(
                        Diagnostic::error(
                            codes::TYPE_MISMATCH,
                            format!("the `{}` widget takes no list", w.kind.name),
                            first.span,
                            "unexpected",
                        )
                        .with_help("only `correlate [...]` takes metrics"),
                    );
                }
                widgets.push(match w.kind.name.as_str() {
                    "capacity" => Widget::Capacity,
                    "activity" => Widget::Activity,
                    _ => Widget::Utilization,
                });
            }
            "correlate" => match &w.args {
                Some(args) if args.is_empty() => cx.diags.push(
                    Diagnostic::error(
                        codes::EMPTY,
                        "`correlate` lists no metric",
                        w.span,
                        "empty list",
                    )
                    .with_help("a graph needs at least one metric: write `correlate [ec2.cpu]`"),
                ),
                Some(args) => {
                    for a in args {
                        if let Some((metric, _)) = cx.expect_metric(a) {
                            widgets.push(Widget::Correlate { metric });
                        }
                    }
                }
                None => cx.diags.push(
                    Diagnostic::error(
                        codes::MISSING_PROPERTY,
                        "`correlate` needs a list of metrics",
                        w.span,
                        "no metrics",
                    )
                    .with_help("write `correlate [ec2.cpu, alb.requests(param.load_balancer)]`"),
                ),
            },
            other => cx.diags.push(unknown_variant(
                other,
                w.kind.span,
                "dashboard widget",
                ["capacity", "activity", "utilization", "correlate"].into_iter(),
            )),
        }
    }
    Some(Dashboard {
        physical_name,
        widgets,
        origin: d.span,
    })
}
