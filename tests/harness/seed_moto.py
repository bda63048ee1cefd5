#!/usr/bin/env python3
"""Creates what a scalec spec points at, in a running moto_server: a VPC with
two subnets, two launch templates (`scalec-test`, and `scalec-test-arm` for
mixed-instances overrides), an Application Load Balancer and two target
groups. Prints their ids and ARNs as JSON, keyed by the example's params.

    python3 seed_moto.py --endpoint http://127.0.0.1:5000 [--role arn:aws:iam::111111111111:role/deploy]

With --role, everything is made in that role's account (moto keeps one
world per account, and hands out credentials for the account of the role
assumed).
"""
import argparse
import json

import boto3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--role")
    args = ap.parse_args()
    kw = dict(endpoint_url=args.endpoint, region_name=args.region,
              aws_access_key_id="testing", aws_secret_access_key="testing")
    if args.role:
        creds = boto3.client("sts", **kw).assume_role(RoleArn=args.role, RoleSessionName="seed")["Credentials"]
        kw.update(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                  aws_session_token=creds["SessionToken"])
    ec2 = boto3.client("ec2", **kw)
    elb = boto3.client("elbv2", **kw)
    vpc = ec2.create_vpc(CidrBlock="10.10.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.10.{i}.0/24", AvailabilityZone=f"{args.region}{az}")["Subnet"]["SubnetId"]
        for i, az in ((1, "a"), (2, "b"))
    ]
    lt = ec2.create_launch_template(
        LaunchTemplateName="scalec-test",
        LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
    )["LaunchTemplate"]["LaunchTemplateId"]
    # Versions 2 and 3 of it, for tests that roll a new version out.
    for _ in (2, 3):
        ec2.create_launch_template_version(
            LaunchTemplateId=lt, SourceVersion="1",
            LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.small"},
        )
    # A second launch template, by name, for mixed-instances overrides.
    ec2.create_launch_template(
        LaunchTemplateName="scalec-test-arm",
        LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "m6g.large"},
    )
    lb = elb.create_load_balancer(Name="scalec-test", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name="scalec-test", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    # A second target group for tests that move a group to it; keys starting
    # with `_` are not params of the example.
    tg2 = elb.create_target_group(Name="scalec-test-2", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    print(json.dumps({
        "launch_template": lt,
        "launch_template_version": "1",
        "subnets": ",".join(subnets),
        "load_balancer": lb,
        "target_group": tg,
        "alert_email": "ops@example.com",
        "_second_target_group": tg2,
    }))


if __name__ == "__main__":
    main()
