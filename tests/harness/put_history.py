#!/usr/bin/env python3
"""Puts a known day of a group's metrics into moto, with past timestamps,
for `scalec trace fetch` to read back.

    python3 put_history.py --endpoint http://127.0.0.1:5000 --group shop-production-web --end 1765152000

Minute m of the day (m = 0 is 24 hours before --end):
* GroupInServiceInstances and GroupDesiredCapacity: 2 before minute 720, 4 after;
* CPUUtilization (average): 50 before minute 720, 60 after, nothing for
  minutes 300-309 (a gap of ten minutes).

moto answers PutMetricData batches of 100 or more with HTTP 500: batches of 20.
"""
import argparse
import datetime

import boto3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--end", type=int, required=True)
    ap.add_argument("--minutes", type=int, default=1440)
    args = ap.parse_args()
    cw = boto3.client("cloudwatch", endpoint_url=args.endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    start = args.end - args.minutes * 60
    dims = [{"Name": "AutoScalingGroupName", "Value": args.group}]
    series = {
        ("AWS/AutoScaling", "GroupInServiceInstances"): lambda m: 2.0 if m < 720 else 4.0,
        ("AWS/AutoScaling", "GroupDesiredCapacity"): lambda m: 2.0 if m < 720 else 4.0,
        ("AWS/EC2", "CPUUtilization"): lambda m: None if 300 <= m < 310 else (50.0 if m < 720 else 60.0),
    }
    for (ns, name), value in series.items():
        data = []
        for m in range(args.minutes):
            v = value(m)
            if v is None:
                continue
            t = datetime.datetime.fromtimestamp(start + m * 60, tz=datetime.timezone.utc)
            data.append({"MetricName": name, "Dimensions": dims, "Timestamp": t, "Value": v})
        for i in range(0, len(data), 20):
            cw.put_metric_data(Namespace=ns, MetricData=data[i:i + 20])
    print("put")


if __name__ == "__main__":
    main()
