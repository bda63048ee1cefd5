//! ARNs, partitions and region codes: AWS facts every kind of resource
//! shares (a role, a topic, a target group), read by the checker, the
//! plan and the AWS client alike.

/// The parts of an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: &'a str,
    /// `elasticloadbalancing`, `sns`, ...
    pub service: &'a str,
    /// `us-east-1`.
    pub region: &'a str,
    /// 12 digits.
    pub account: &'a str,
    /// The rest.
    pub resource: &'a str,
}

/// AWS's partitions and the region codes each holds, by prefix: a region
/// belongs to the partition of its longest matching prefix, `aws` when
/// none matches (AWS's `partitions.json`, as every SDK ships it).
pub const PARTITIONS: &[(&str, &str)] = &[
    ("aws-cn", "cn-"),
    ("aws-us-gov", "us-gov-"),
    ("aws-iso", "us-iso-"),
    ("aws-iso-b", "us-isob-"),
    ("aws-iso-e", "eu-isoe-"),
    ("aws-iso-f", "us-isof-"),
    ("aws-eusc", "eusc-"),
];

/// The partition a region is in: `cn-north-1` -> `aws-cn`.
pub fn partition_of(region: &str) -> &'static str {
    PARTITIONS
        .iter()
        .filter(|(_, prefix)| region.starts_with(prefix))
        .max_by_key(|(_, prefix)| prefix.len())
        .map_or("aws", |(p, _)| p)
}

/// Whether a partition exists.
pub fn partition_ok(p: &str) -> bool {
    p == "aws" || PARTITIONS.iter().any(|(name, _)| *name == p)
}

/// Splits an ARN, checking partition, region and account shapes. The
/// region may be empty only for global services (IAM).
pub fn arn_parts(v: &str) -> Option<Arn<'_>> {
    let p: Vec<&str> = v.splitn(6, ':').collect();
    if p.len() != 6 || p[0] != "arn" {
        return None;
    }
    let arn = Arn {
        partition: p[1],
        service: p[2],
        region: p[3],
        account: p[4],
        resource: p[5],
    };
    let region_fits = if arn.service == "iam" {
        arn.region.is_empty()
    } else {
        region_ok(arn.region)
    };
    let account_ok = arn.account.len() == 12 && arn.account.chars().all(|c| c.is_ascii_digit());
    (partition_ok(arn.partition)
        && !arn.service.is_empty()
        && region_fits
        && account_ok
        && !arn.resource.is_empty())
    .then_some(arn)
}

/// Why `v` is not an ARN that [`arn_parts`] takes, in words.
pub fn arn_problem(v: &str) -> String {
    let p: Vec<&str> = v.splitn(6, ':').collect();
    if p.len() != 6 || p[0] != "arn" {
        return "it is not an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`)".into();
    }
    if !partition_ok(p[1]) {
        let known: Vec<&str> = std::iter::once("aws")
            .chain(PARTITIONS.iter().map(|(n, _)| *n))
            .collect();
        return format!(
            "`{}` is not an AWS partition (they are {})",
            p[1],
            known.join(", ")
        );
    }
    if p[2].is_empty() {
        return "it names no service".into();
    }
    if p[2] == "iam" && !p[3].is_empty() {
        return "IAM is global: its ARNs have no region".into();
    }
    if p[2] != "iam" && !region_ok(p[3]) {
        return format!("`{}` is not an AWS region", p[3]);
    }
    if !(p[4].len() == 12 && p[4].chars().all(|c| c.is_ascii_digit())) {
        return format!("its account `{}` is not 12 digits", p[4]);
    }
    "it names no resource".into()
}

/// An AWS region code: `us-east-1`, `ap-southeast-4`, `us-gov-west-1`,
/// `eusc-de-east-1`.
pub fn region_ok(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|x| {
            !x.is_empty()
                && x.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && (parts[0].len() == 2 || parts[0] == "eusc")
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|x| x.chars().all(|c| c.is_ascii_digit()))
}

/// The region named in an ARN of a param type whose resources are regional.
pub fn arn_region(ty: crate::model::ParamType, v: &str) -> Option<&str> {
    match ty {
        crate::model::ParamType::LoadBalancerArn
        | crate::model::ParamType::TargetGroupArn
        | crate::model::ParamType::TopicArn
        | crate::model::ParamType::QueueArn
        | crate::model::ParamType::FunctionArn
        | crate::model::ParamType::ResourceGroupArn => arn_parts(v).map(|a| a.region),
        _ => None,
    }
}
