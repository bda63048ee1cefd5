//! Syntax diagnostics (`scale::syntax::*`) and the words users see for
//! grammar rules. Users never see a pest rule name.

use super::grammar::Rule;

crate::diagnostic::codes! {
    /// A line at the top level is not a declaration.
    INVALID_ITEM = "scale::syntax::invalid_item";
    /// A line inside a block is not a property, step or member.
    INVALID_MEMBER = "scale::syntax::invalid_member";
    /// A string has an unknown escape such as `\q`.
    BAD_ESCAPE = "scale::syntax::bad_escape";
    /// A range has neither end: `..`.
    EMPTY_RANGE = "scale::syntax::empty_range";
    /// A number is too large or malformed.
    BAD_NUMBER = "scale::syntax::bad_number";
    /// Brackets nested deeper, or an expression with more operators, than the
    /// parser allows.
    TOO_DEEP = "scale::syntax::too_deep";
    /// A `/*` comment that is never closed.
    UNCLOSED_COMMENT = "scale::syntax::unclosed_comment";
    /// The parser failed outside any recoverable place (should be rare).
    UNEXPECTED = "scale::syntax::unexpected";
}

/// What a user would call the thing a rule matches, or `None` to leave it
/// out of "expected ..." lists.
pub fn rule_words(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of line",
        Rule::ident | Rule::path | Rule::pattern | Rule::ref_head => "a name",
        Rule::wildcard => "`_`",
        Rule::key => "a property name",
        Rule::property => "a property",
        Rule::expr
        | Rule::numeric
        | Rule::paren
        | Rule::reference
        | Rule::call_args
        | Rule::object
        | Rule::range_bound => "a value",
        Rule::string => "a string",
        Rule::number => "a number",
        Rule::quantity => "a number with a unit",
        Rule::boolean => "`true` or `false`",
        Rule::range | Rule::step_range => "a range such as `1..5`",
        Rule::adjustment => "an adjustment such as `+1`",
        Rule::exactly | Rule::EXACTLY_KW => "`exactly`",
        Rule::list => "a list `[...]`",
        Rule::block | Rule::group_body | Rule::policy_body | Rule::dashboard_body => "`{`",
        Rule::step => "a step such as `50%..70% => +1`",
        Rule::type_expr => "a type",
        Rule::cmp_op => "a comparison operator",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::match_expr | Rule::MATCH_KW => "`match`",
        Rule::match_arm => "a match arm such as `production => 10`",
        Rule::widget => "a widget name",
        Rule::metric_params => "`(`",
        Rule::metric_param => "a parameter",
        Rule::extends | Rule::EXTENDS_KW => "`extends`",
        Rule::OF_KW => "`of`",
        Rule::APP_KW | Rule::app_decl => "`app`",
        Rule::PARAM_KW | Rule::param_decl => "`param`",
        Rule::METRIC_KW | Rule::metric_decl => "`metric`",
        Rule::PRESET_KW | Rule::preset_decl => "`preset`",
        Rule::ENV_KW | Rule::env_decl => "`environment`",
        Rule::TOPIC_KW | Rule::topic_decl => "`topic`",
        Rule::GROUP_KW | Rule::group_decl => "`group`",
        Rule::SCALABLE_KW | Rule::scalable_decl => "`service`, `table`, `index` or `function`",
        Rule::LINTS_KW | Rule::lints_decl => "`lints`",
        Rule::POLICY_KW | Rule::policy_decl => "`policy`",
        Rule::ALARM_KW | Rule::alarm_decl => "`alarm`",
        Rule::HOOK_KW | Rule::hook_decl => "`hook`",
        Rule::SCHEDULE_KW | Rule::schedule_decl => "`schedule`",
        Rule::NOTIFY_KW | Rule::notify_stmt => "`notify`",
        Rule::DASHBOARD_KW | Rule::dashboard_decl => "`dashboard`",
        _ => return None,
    })
}
