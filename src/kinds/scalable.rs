//! Application Auto Scaling's scalable targets, one table entry per kind:
//! the declaration a spec writes (`service api ecs`), the namespace and
//! scalable dimensions, the resource id and its parts, the unit of
//! capacity, the policy types the kind supports and the predefined metrics
//! it tracks. Every stage reads a target's kind through [`KINDS`]: adding
//! a namespace is an entry here (and its standard metrics in
//! `std-lib/metrics.scale`).
//!
//! Sources: the Application Auto Scaling API reference
//! (RegisterScalableTarget `ResourceId`, `ScalableDimension`;
//! PutScalingPolicy `PolicyType`: "StepScaling — Not supported for
//! DynamoDB, Amazon Comprehend, Lambda, Amazon Keyspaces, Amazon MSK,
//! Amazon ElastiCache, or Neptune"; "PredictiveScaling — Only supported
//! for Amazon ECS"), the user guide's service-linked roles page, the ECS,
//! DynamoDB and Lambda naming rules, and botocore's
//! `application-autoscaling` model (enums `ServiceNamespace`,
//! `ScalableDimension`, `MetricType`).

/// One part of a resource id, named by a property of the declaration.
#[derive(Debug)]
pub struct Part {
    /// The property: `cluster`.
    pub key: &'static str,
    /// What it is, in messages: `the ECS cluster's name`.
    pub what: &'static str,
    /// Shortest and longest.
    pub len: (usize, usize),
    /// The characters it may hold, besides ASCII letters and digits.
    pub also: &'static str,
}

/// A kind of scalable target.
#[derive(Debug)]
pub struct Kind {
    /// The declaration's keyword: `service`.
    pub keyword: &'static str,
    /// The word after the name: `ecs`.
    pub kind: &'static str,
    /// In messages: `an ECS service`.
    pub what: &'static str,
    /// `ServiceNamespace`.
    pub namespace: &'static str,
    /// The scalable dimensions, (`dimension = ...` word, AWS name). With
    /// one, `dimension` is not written.
    pub dimensions: &'static [(&'static str, &'static str)],
    /// The resource id's parts, in order.
    pub parts: &'static [Part],
    /// The resource id, with `{key}` for each part.
    pub resource_id: &'static str,
    /// What capacity counts, plural: `tasks`.
    pub unit: &'static str,
    /// The smallest minimum capacity AWS takes for this kind.
    pub min_capacity: u32,
    /// The largest capacity AWS allows, when the kind has a fixed limit.
    pub max_capacity: Option<(u32, &'static str)>,
    /// The policy types the kind supports (spec words).
    pub policies: &'static [&'static str],
    /// The predefined target-tracking metric types it can track.
    pub predefined: &'static [&'static str],
    /// The service-linked role Application Auto Scaling uses.
    pub service_linked_role: &'static str,
    /// The CDK call that scales it, for import and messages.
    pub cdk: &'static str,
}

const ECS_NAME: &str = "-_";
const DYNAMODB_NAME: &str = "-_.";

/// Every kind of scalable target scalec knows.
pub const KINDS: &[Kind] = &[
    Kind {
        keyword: "service",
        kind: "ecs",
        what: "an ECS service",
        namespace: "ecs",
        dimensions: &[("desired_count", "ecs:service:DesiredCount")],
        parts: &[
            Part {
                key: "cluster",
                what: "the ECS cluster's name",
                len: (1, 255),
                also: ECS_NAME,
            },
            Part {
                key: "service",
                what: "the ECS service's name",
                len: (1, 255),
                also: ECS_NAME,
            },
        ],
        resource_id: "service/{cluster}/{service}",
        unit: "tasks",
        min_capacity: 0,
        // ECS service quotas: "Tasks per service", 5,000, not adjustable.
        max_capacity: Some((
            5000,
            "an ECS service runs at most 5,000 tasks (a quota AWS doesn't raise)",
        )),
        policies: &["target_tracking", "step", "predictive"],
        predefined: &[
            "ECSServiceAverageCPUUtilization",
            "ECSServiceAverageMemoryUtilization",
            "ALBRequestCountPerTarget",
        ],
        service_linked_role: "AWSServiceRoleForApplicationAutoScaling_ECSService",
        cdk: "autoScaleTaskCount",
    },
    Kind {
        keyword: "table",
        kind: "dynamodb",
        what: "a DynamoDB table",
        namespace: "dynamodb",
        dimensions: &[
            ("read", "dynamodb:table:ReadCapacityUnits"),
            ("write", "dynamodb:table:WriteCapacityUnits"),
        ],
        parts: &[Part {
            key: "table",
            what: "the table's name",
            len: (3, 255),
            also: DYNAMODB_NAME,
        }],
        resource_id: "table/{table}",
        unit: "capacity units",
        min_capacity: 1,
        max_capacity: None,
        policies: &["target_tracking"],
        predefined: &[
            "DynamoDBReadCapacityUtilization",
            "DynamoDBWriteCapacityUtilization",
        ],
        service_linked_role: "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
        cdk: "autoScaleReadCapacity",
    },
    Kind {
        keyword: "index",
        kind: "dynamodb",
        what: "a DynamoDB global secondary index",
        namespace: "dynamodb",
        dimensions: &[
            ("read", "dynamodb:index:ReadCapacityUnits"),
            ("write", "dynamodb:index:WriteCapacityUnits"),
        ],
        parts: &[
            Part {
                key: "table",
                what: "the table's name",
                len: (3, 255),
                also: DYNAMODB_NAME,
            },
            Part {
                key: "index",
                what: "the index's name",
                len: (3, 255),
                also: DYNAMODB_NAME,
            },
        ],
        resource_id: "table/{table}/index/{index}",
        unit: "capacity units",
        min_capacity: 1,
        max_capacity: None,
        policies: &["target_tracking"],
        predefined: &[
            "DynamoDBReadCapacityUtilization",
            "DynamoDBWriteCapacityUtilization",
        ],
        service_linked_role: "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
        cdk: "autoScaleReadCapacity",
    },
    Kind {
        keyword: "function",
        kind: "lambda",
        what: "a Lambda function's alias",
        namespace: "lambda",
        dimensions: &[(
            "provisioned_concurrency",
            "lambda:function:ProvisionedConcurrency",
        )],
        parts: &[
            Part {
                key: "function",
                what: "the function's name",
                len: (1, 64),
                also: ECS_NAME,
            },
            Part {
                key: "alias",
                what: "the alias (or version)",
                len: (1, 128),
                also: ECS_NAME,
            },
        ],
        resource_id: "function:{function}:{alias}",
        unit: "provisioned concurrent executions",
        min_capacity: 1,
        max_capacity: None,
        policies: &["target_tracking"],
        predefined: &["LambdaProvisionedConcurrencyUtilization"],
        service_linked_role: "AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency",
        cdk: "autoScaleProvisionedConcurrency",
    },
];

/// Every `ServiceNamespace` of [`KINDS`], once each (the constraint
/// table's word list; a test holds it to the table).
pub const NAMESPACES: &[&str] = &["ecs", "dynamodb", "lambda"];

/// Every `ScalableDimension` of [`KINDS`].
pub const DIMENSIONS: &[&str] = &[
    "ecs:service:DesiredCount",
    "dynamodb:table:ReadCapacityUnits",
    "dynamodb:table:WriteCapacityUnits",
    "dynamodb:index:ReadCapacityUnits",
    "dynamodb:index:WriteCapacityUnits",
    "lambda:function:ProvisionedConcurrency",
];

/// Every predefined metric type of [`KINDS`], once each.
pub const PREDEFINED: &[&str] = &[
    "ECSServiceAverageCPUUtilization",
    "ECSServiceAverageMemoryUtilization",
    "ALBRequestCountPerTarget",
    "DynamoDBReadCapacityUtilization",
    "DynamoDBWriteCapacityUtilization",
    "LambdaProvisionedConcurrencyUtilization",
];

/// Application Auto Scaling's policy types scalec writes (no simple
/// scaling there).
pub const POLICY_TYPES: &[&str] = &["TargetTrackingScaling", "StepScaling", "PredictiveScaling"];

/// The kind declared as `keyword ... kind`.
pub fn kind(keyword: &str, kind: &str) -> Option<&'static Kind> {
    KINDS
        .iter()
        .find(|k| k.keyword == keyword && k.kind == kind)
}

/// The kind with this namespace and scalable dimension (for import).
pub fn by_dimension(namespace: &str, dimension: &str) -> Option<&'static Kind> {
    KINDS
        .iter()
        .find(|k| k.namespace == namespace && k.dimensions.iter().any(|(_, d)| *d == dimension))
}

/// Every predefined metric type some kind tracks (the metric
/// declarations' `predefined` accepts these besides EC2 groups').
pub fn all_predefined() -> impl Iterator<Item = &'static str> {
    KINDS.iter().flat_map(|k| k.predefined.iter().copied())
}

impl Kind {
    /// The resource id from its parts' values, in order.
    pub fn resource_id(&self, values: &[&str]) -> String {
        let mut out = self.resource_id.to_string();
        for (p, v) in self.parts.iter().zip(values) {
            out = out.replace(&format!("{{{}}}", p.key), v);
        }
        out
    }

    /// The pieces of the resource id between its parts: for
    /// `service/{cluster}/{service}`, `["service/", "/", ""]` (one more
    /// than the parts), which a backend joins with the parts' values.
    pub fn resource_id_pieces(&self) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut rest = self.resource_id;
        for p in self.parts {
            let marker = format!("{{{}}}", p.key);
            let (before, after) = rest.split_once(marker.as_str()).unwrap_or((rest, ""));
            pieces.push(before.to_string());
            rest = after;
        }
        pieces.push(rest.to_string());
        pieces
    }

    /// The parts' values of a resource id of this kind, if it has the
    /// kind's shape.
    pub fn parts_of(&self, resource_id: &str) -> Option<Vec<String>> {
        let pieces = self.resource_id_pieces();
        let mut rest = resource_id.strip_prefix(pieces[0].as_str())?;
        let mut values = Vec::new();
        for piece in &pieces[1..] {
            let (v, after) = if piece.is_empty() {
                (rest, "")
            } else {
                rest.split_once(piece.as_str())?
            };
            if v.is_empty() {
                return None;
            }
            values.push(v.to_string());
            rest = after;
        }
        rest.is_empty().then_some(values)
    }

    /// Whether target tracking on this dimension can use the predefined
    /// metric type: one of the kind's, and a read utilization only for
    /// read capacity (likewise write), as DynamoDB's are.
    pub fn tracks(&self, predefined: &str, dimension: &str) -> bool {
        let crossed = |a: &str, b: &str| predefined.contains(a) && dimension.contains(b);
        self.predefined.contains(&predefined)
            && !crossed("Read", "Write")
            && !crossed("Write", "Read")
    }

    /// Whether this kind supports the policy type (a spec word).
    pub fn supports(&self, policy: &str) -> bool {
        self.policies.contains(&policy)
    }

    /// The dimension's AWS name for a `dimension = ...` word.
    pub fn dimension(&self, word: &str) -> Option<&'static str> {
        self.dimensions
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, d)| *d)
    }

    /// The service-linked role's path and name, as in its ARN.
    pub fn service_linked_role_path(&self) -> String {
        format!(
            "aws-service-role/{}.application-autoscaling.amazonaws.com/{}",
            self.namespace, self.service_linked_role
        )
    }
}

impl Part {
    /// Why a value can't be this part, if it can't.
    pub fn problem(&self, v: &str) -> Option<String> {
        let n = v.chars().count();
        if n < self.len.0 || n > self.len.1 {
            return Some(format!(
                "{} is {n} characters; AWS takes {} to {}",
                self.what, self.len.0, self.len.1
            ));
        }
        if let Some(c) = v
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || self.also.contains(*c)))
        {
            let also: Vec<String> = self.also.chars().map(|c| format!("`{c}`")).collect();
            return Some(format!(
                "{} can't hold `{}`: only letters, digits and {}",
                self.what,
                c.escape_default(),
                also.join(", ")
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_are_built_and_read_back_in_each_kinds_shape() {
        let ecs = kind("service", "ecs").expect("ecs");
        assert_eq!(ecs.resource_id(&["prod", "api"]), "service/prod/api");
        assert_eq!(
            ecs.parts_of("service/prod/api"),
            Some(vec!["prod".into(), "api".into()])
        );
        assert_eq!(ecs.parts_of("table/prod"), None);
        let index = kind("index", "dynamodb").expect("index");
        assert_eq!(
            index.resource_id(&["orders", "by_day"]),
            "table/orders/index/by_day"
        );
        assert_eq!(
            index.parts_of("table/orders/index/by_day"),
            Some(vec!["orders".into(), "by_day".into()])
        );
        let table = kind("table", "dynamodb").expect("table");
        assert_eq!(table.parts_of("table/orders"), Some(vec!["orders".into()]));
        let lambda = kind("function", "lambda").expect("lambda");
        assert_eq!(
            lambda.resource_id(&["checkout", "live"]),
            "function:checkout:live"
        );
        assert_eq!(
            lambda.parts_of("function:checkout:live"),
            Some(vec!["checkout".into(), "live".into()])
        );
        assert_eq!(
            by_dimension("dynamodb", "dynamodb:index:WriteCapacityUnits").map(|k| k.keyword),
            Some("index")
        );
        assert!(table.tracks(
            "DynamoDBReadCapacityUtilization",
            "dynamodb:table:ReadCapacityUnits"
        ));
        assert!(!table.tracks(
            "DynamoDBReadCapacityUtilization",
            "dynamodb:table:WriteCapacityUnits"
        ));
        assert!(!table.tracks(
            "ECSServiceAverageCPUUtilization",
            "dynamodb:table:ReadCapacityUnits"
        ));
        let ecs = kind("service", "ecs").expect("ecs");
        assert!(ecs.tracks("ALBRequestCountPerTarget", "ecs:service:DesiredCount"));
    }

    #[test]
    fn the_word_lists_hold_exactly_the_kinds_words() {
        let mut namespaces: Vec<&str> = KINDS.iter().map(|k| k.namespace).collect();
        namespaces.dedup();
        assert_eq!(namespaces, NAMESPACES);
        let dimensions: Vec<&str> = KINDS
            .iter()
            .flat_map(|k| k.dimensions.iter().map(|(_, d)| *d))
            .collect();
        let mut sorted = dimensions.clone();
        sorted.sort();
        let mut listed = DIMENSIONS.to_vec();
        listed.sort();
        assert_eq!(sorted, listed);
        let mut predefined: Vec<&str> = all_predefined().collect();
        predefined.sort();
        predefined.dedup();
        let mut listed = PREDEFINED.to_vec();
        listed.sort();
        assert_eq!(predefined, listed);
    }

    #[test]
    fn step_scaling_is_ecs_only_and_parts_are_held_to_aws_names() {
        assert!(
            kind("service", "ecs").is_some_and(|k| k.supports("step") && k.supports("predictive"))
        );
        assert!(kind("table", "dynamodb").is_some_and(|k| !k.supports("step")));
        assert!(
            kind("function", "lambda")
                .is_some_and(|k| !k.supports("step") && !k.supports("predictive"))
        );
        let ecs = kind("service", "ecs").expect("ecs");
        assert!(ecs.parts[0].problem("prod-cluster_1").is_none());
        assert!(ecs.parts[0].problem("prod cluster").is_some());
        assert!(ecs.parts[0].problem(&"x".repeat(256)).is_some());
    }
}
