//! `scalec trace fetch` against moto through the test proxy: a day of
//! one-minute history put with past timestamps is read back as the trace
//! it makes, in pages (the proxy pages GetMetricData as AWS does, here
//! 1,000 datapoints a page), with its gap said and a coarser resolution
//! said where the range is older than CloudWatch's one-minute data.

use super::aws::{LocalAws, run_out};
use super::*;

/// The minute the history ends: a whole hour, so that a 5-minute period
/// lines up with it.
fn end() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    now / 3600 * 3600
}

fn seeded(page: &str) -> (LocalAws, i64) {
    let aws = LocalAws::start_full(0, &[], &["--page-datapoints", page]);
    let end = end();
    let out = std::process::Command::new("python3")
        .arg(root().join("tests/harness/put_history.py"))
        .args([
            "--endpoint",
            &aws.moto_endpoint,
            "--group",
            "shop-production-web",
        ])
        .args(["--end", &end.to_string()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (aws, end)
}

fn fetch(aws: &LocalAws, end: i64, since: &str, out: &Path) -> (i32, String, String) {
    let until = jiff::Timestamp::from_second(end)
        .expect("a time")
        .to_string();
    let args: Vec<String> = [
        "trace",
        "fetch",
        "tests/test/fetch.scale",
        "--env",
        "production",
        "--group",
        "web",
        "--since",
        since,
        "--until",
        &until,
        "-o",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([out.display().to_string()])
    .collect();
    run_out(aws, &args)
}

/// The trace's rows, without its `#` header lines.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn a_day_of_history_comes_back_as_the_trace_it_makes_in_pages_with_its_gap_said() {
    let (aws, end) = seeded("1000");
    let dir = scratch("trace-fetch");
    let out = dir.join("day.csv");
    let (code, _, err) = fetch(&aws, end, "1d", &out);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).expect("trace written");
    let r = rows(&text);
    assert_eq!(
        r[0],
        ["minute", "cpu", "in_service", "desired"],
        "{text:.400}"
    );
    assert_eq!(r.len(), 1 + 1440);
    // Demand is the average times the instances in service.
    assert_eq!(r[1], ["0", "100.0", "2", "2"]);
    assert_eq!(r[1 + 719], ["719", "100.0", "2", "2"]);
    assert_eq!(r[1 + 720], ["720", "240.0", "4", "4"]);
    // The ten minutes without CPU are said, in the trace and in the output.
    assert!(
        text.contains("# gap: cpu has no data for 10 minutes from minute 300"),
        "{text:.600}"
    );
    assert!(
        err.contains("gap: cpu has no data for 10 minutes from minute 300"),
        "{err}"
    );
    assert!(text.contains("# resolution: 60 s"), "{text:.300}");
    // Memory isn't published; ALB metrics aren't named: both said.
    assert!(
        err.contains("memory: the CloudWatch agent publishes no mem_used_percent"),
        "{err}"
    );
    // 1,440 + 1,440 + 1,430 datapoints, 1,000 a page: 5 calls, the later
    // ones with the token of the one before.
    assert!(err.contains("5 GetMetricData calls"), "{err}");
    let sent = aws.sent("GetMetricData");
    assert_eq!(sent.len(), 5, "{sent:#?}");
    assert!(sent[0].get("NextToken").is_none(), "{:#}", sent[0]);
    for s in &sent[1..] {
        assert!(s.get("NextToken").is_some(), "{s:#}");
    }
    for s in &sent {
        assert_eq!(s["MaxDatapoints"], 100800, "{s:#}");
        assert_eq!(s["ScanBy"], "TimestampAscending");
        assert!(s["MetricDataQueries"].as_array().map_or(0, Vec::len) <= 500);
    }
    // The trace drives the simulator, the real capacity beside it.
    let (code, sim, err) = scalec(&[
        "simulate",
        "tests/test/fetch.scale",
        "--env",
        "production",
        "--trace",
        &out.strip_prefix(root())
            .unwrap_or(&out)
            .display()
            .to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&sim).expect("JSON");
    let g = &v["groups"][0];
    assert_eq!(g["minutes"], 1440);
    // What the group did against what the spec would: the real 2 -> 4 at
    // minute 720 is matched by the simulated scale-out three minutes of
    // breach later, and in service is two apart while it launches.
    let a = &g["actual"];
    assert_eq!(a["instance_hours"], 72.0, "{a}");
    assert_eq!(a["scaling_events"], 1, "{a}");
    assert_eq!(a["events_matched"], 1, "{a}");
    assert_eq!(a["worst_in_service_difference"], 2, "{a}");
    assert!(a["mean_in_service_difference"].as_f64() < Some(0.02), "{a}");
}

#[test]
fn an_older_range_reads_five_minute_data_and_says_so() {
    let (aws, end) = seeded("100000");
    let dir = scratch("trace-fetch-5m");
    let out = dir.join("weeks.csv");
    let (code, _, err) = fetch(&aws, end, "16d", &out);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).expect("trace written");
    assert!(text.contains("# resolution: 300 s"), "{text:.300}");
    assert!(err.contains("resolution: 300 s"), "{err}");
    let r = rows(&text);
    assert_eq!(r.len(), 1 + 16 * 1440);
    // The last day holds its values for five minutes at a time: the last
    // 5-minute period averages 60% on 4 instances.
    let last = &r[r.len() - 1];
    assert_eq!(last[1..], ["240.0", "4", "4"], "{last:?}");
    // Fifteen days before the history began are one gap, said.
    assert!(
        text.contains(&format!(
            "# gap: cpu has no data for {} minutes from minute 0",
            15 * 1440
        )),
        "{text:.600}"
    );
    // A day before the history began has no load at all: nothing is
    // written, and the output says why.
    std::fs::remove_file(&out).expect("remove");
    let (code, _, err) = fetch(&aws, end - 86_400, "1d", &out);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("scale::trace::no_data") && err.contains("group metrics were off"),
        "{err}"
    );
    assert!(!out.exists(), "no trace written");
    // Past 455 days CloudWatch has nothing: a clear refusal.
    let (code, _, err) = fetch(&aws, end, "500d", &out);
    assert_eq!(code, 1);
    assert!(
        err.contains("scale::trace::since") && err.contains("455 days"),
        "{err}"
    );
}

#[test]
fn the_launch_delay_is_read_from_the_groups_scaling_activities() {
    let (aws, end) = seeded("100000");
    let dir = scratch("trace-fetch-launches");
    let out = dir.join("day.csv");
    let (code, _, err) = fetch(&aws, end, "1d", &out);
    assert_eq!(code, 0, "{err}");
    // 150 launches of 150, 180 and 200 s, and failures and terminations
    // that don't count: the median launch is 180 s, read in two pages.
    let mut history = Vec::new();
    for k in 0..150i64 {
        let took = [150, 180, 200][(k % 3) as usize];
        let start = end - 86_400 + k * 500;
        history.push(
            serde_json::json!({"start": start, "end": start + took, "status": "Successful",
            "description": format!("Launching a new EC2 instance: i-{k:04}")}),
        );
        history.push(
            serde_json::json!({"start": start + 1, "end": start + 900, "status": "Failed",
            "description": "Launching a new EC2 instance.  Status Reason: capacity"}),
        );
        history.push(
            serde_json::json!({"start": start + 2, "end": start + 30, "status": "Successful",
            "description": format!("Terminating EC2 instance: i-{k:04}")}),
        );
    }
    aws.put_activities(&serde_json::json!({ "shop-production-web": history }));
    let trace = out
        .strip_prefix(root())
        .unwrap_or(&out)
        .display()
        .to_string();
    let args: Vec<String> = [
        "simulate",
        "tests/test/fetch.scale",
        "--env",
        "production",
        "--trace",
        &trace,
        "--launch-delay",
        "auto",
        "--format",
        "json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (code, sim, err) = run_out(&aws, &args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("launch delay of web: 180s, the median of 150 launches (5 DescribeScalingActivities calls)"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&sim).expect("JSON");
    assert_eq!(v["groups"][0]["launch_delay_seconds"], 180);
    assert_eq!(aws.sent("DescribeScalingActivities").len(), 5);
    // A group without launches: said, and nothing is simulated.
    aws.put_activities(&serde_json::json!({ "shop-production-web": [
        {"start": end - 100, "end": end - 50, "status": "Successful", "description": "Terminating EC2 instance: i-1"}
    ] }));
    // (With --format json the refusal is the JSON document on stdout.)
    let (code, out, _) = run_out(&aws, &args);
    assert_eq!(code, 1);
    assert!(
        out.contains("scale::sim::launch_delay") && out.contains("no finished launch"),
        "{out}"
    );
}
