//! Reading a group's history from CloudWatch (`scalec trace fetch`):
//! GetMetricData within its limits (at most 500 queries a call, pages of
//! at most 100,800 datapoints followed by NextToken), oldest first.

use super::{Aws, error::ApplyError};
use crate::sim::history::{Query, Series};
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};

/// GetMetricData's most queries in one call.
pub const QUERIES_PER_CALL: usize = 500;
/// GetMetricData's most datapoints in one answer; more come in pages.
pub const DATAPOINTS_PER_CALL: i32 = 100_800;

/// What was read: each query's series, and the calls it took.
pub struct Read {
    /// One per query, in the queries' order.
    pub series: Vec<Series>,
    /// GetMetricData calls made (pages included).
    pub calls: u32,
}

impl Aws {
    /// Reads `queries` from `start` to `end` (seconds since the epoch) at
    /// `period` seconds.
    pub async fn metric_history(
        &self,
        queries: &[Query],
        start: i64,
        end: i64,
        period: u32,
    ) -> Result<Read, ApplyError> {
        let mut series: Vec<Series> = queries
            .iter()
            .map(|q| Series {
                id: q.id.to_string(),
                points: Vec::new(),
            })
            .collect();
        let mut calls = 0;
        let period = i32::try_from(period).unwrap_or(60);
        for chunk in queries.chunks(QUERIES_PER_CALL) {
            let built: Vec<MetricDataQuery> = chunk.iter().map(|q| query(q, period)).collect();
            let mut token: Option<String> = None;
            loop {
                let page = self
                    .cw
                    .get_metric_data()
                    .set_metric_data_queries(Some(built.clone()))
                    .start_time(DateTime::from_secs(start))
                    .end_time(DateTime::from_secs(end))
                    .scan_by(ScanBy::TimestampAscending)
                    .max_datapoints(DATAPOINTS_PER_CALL)
                    .set_next_token(token.clone())
                    .send()
                    .await
                    .map_err(|e| {
                        ApplyError::sdk("cloudwatch:GetMetricData", "the group's history", e)
                    })?;
                calls += 1;
                for r in page.metric_data_results() {
                    let Some(s) = series.iter_mut().find(|s| Some(s.id.as_str()) == r.id()) else {
                        continue;
                    };
                    s.points.extend(
                        r.timestamps()
                            .iter()
                            .zip(r.values())
                            .map(|(t, v)| (t.secs(), *v)),
                    );
                }
                token = page.next_token().map(str::to_string);
                if token.is_none() {
                    break;
                }
            }
        }
        Ok(Read { series, calls })
    }
}

fn query(q: &Query, period: i32) -> MetricDataQuery {
    let dims = q
        .dimensions
        .iter()
        .map(|(n, v)| Dimension::builder().name(n).value(v).build())
        .collect();
    let metric = Metric::builder()
        .namespace(&q.namespace)
        .metric_name(&q.name)
        .set_dimensions(Some(dims))
        .build();
    let stat = MetricStat::builder()
        .metric(metric)
        .period(period)
        .stat(q.stat)
        .build();
    MetricDataQuery::builder()
        .id(q.id)
        .metric_stat(stat)
        .return_data(true)
        .build()
}

/// DescribeScalingActivities' largest page.
const ACTIVITIES_PER_CALL: i32 = 100;

impl Aws {
    /// How long each successful launch of group `name` took, seconds, from
    /// its scaling activities (AWS keeps six weeks of them): an activity
    /// whose description starts "Launching a new EC2 instance", start to
    /// end. Also the calls it took.
    pub async fn launch_durations(&self, name: &str) -> Result<(Vec<u32>, u32), ApplyError> {
        let mut out = Vec::new();
        let mut calls = 0;
        let mut token: Option<String> = None;
        loop {
            let page = self
                .asg
                .describe_scaling_activities()
                .auto_scaling_group_name(name)
                .max_records(ACTIVITIES_PER_CALL)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| ApplyError::sdk("autoscaling:DescribeScalingActivities", name, e))?;
            calls += 1;
            for a in page.activities() {
                let launch = a
                    .description()
                    .is_some_and(|d| d.starts_with("Launching a new EC2 instance"));
                let done = a.status_code().is_some_and(|s| s.as_str() == "Successful");
                if let (true, true, Some(s), Some(e)) = (launch, done, a.start_time(), a.end_time())
                    && let Ok(d) = u32::try_from(e.secs() - s.secs())
                {
                    out.push(d);
                }
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        Ok((out, calls))
    }
}
