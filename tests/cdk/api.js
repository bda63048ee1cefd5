// api.js: a web API behind an ALB, as a team would write it with the CDK (stack ApiStack).
//
// Covers: a region-agnostic stack (Fn::GetAZs, the CDKMetadataAvailable
// condition); a VPC; a launch template with a role and user data; an ALB with
// a listener whose `addTargets` attaches the group; target tracking on CPU
// (`scaleOnCpuUtilization`) and on requests per target (`scaleOnRequestCount`);
// step scaling on latency (`scaleOnMetric`, CHANGE_IN_CAPACITY, scale-in and
// two scale-out intervals); group metrics; SNS topics with `displayName` and
// email subscriptions; CloudWatch alarms in tiers (critical/warning) with
// `SnsAction`, one on a `MathExpression` (5xx error rate), one on the slowest
// responses,
// one on unhealthy hosts; a Dashboard with GraphWidgets.
//
// Usage: node tests/cdk/api.js OUTDIR   (writes OUTDIR/ApiStack.template.json)
'use strict';
const { Stack, Duration } = require('aws-cdk-lib');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const ec2 = require('aws-cdk-lib/aws-ec2');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const iam = require('aws-cdk-lib/aws-iam');
const sns = require('aws-cdk-lib/aws-sns');
const subs = require('aws-cdk-lib/aws-sns-subscriptions');
const { main } = require('./cdk-app');

class ApiStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });

    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    const userData = ec2.UserData.forLinux();
    userData.addCommands('dnf install -y docker', 'systemctl enable --now docker',
      'docker run -d -p 8080:8080 --restart always public.ecr.aws/acme/api:stable');

    const launchTemplate = new ec2.LaunchTemplate(this, 'ApiLaunchTemplate', {
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      role,
      userData,
      requireImdsv2: true,
      securityGroup: new ec2.SecurityGroup(this, 'ApiInstances', { vpc }),
    });

    const asg = new autoscaling.AutoScalingGroup(this, 'ApiFleet', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate,
      minCapacity: 3,
      maxCapacity: 30,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: Duration.minutes(2),
      }),
      defaultInstanceWarmup: Duration.seconds(180),
      cooldown: Duration.minutes(5),
      groupMetrics: [autoscaling.GroupMetrics.all()],
      terminationPolicies: [autoscaling.TerminationPolicy.OLDEST_INSTANCE],
    });

    const alb = new elbv2.ApplicationLoadBalancer(this, 'ApiAlb', { vpc, internetFacing: true });
    const listener = alb.addListener('Http', { port: 80, open: true });
    const targetGroup = listener.addTargets('Api', {
      port: 8080,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [asg],
      healthCheck: { path: '/healthz', interval: Duration.seconds(15), healthyThresholdCount: 2 },
      deregistrationDelay: Duration.seconds(30),
    });

    // Target tracking: CPU and requests per instance.
    asg.scaleOnCpuUtilization('CpuTracking', {
      targetUtilizationPercent: 55,
      estimatedInstanceWarmup: Duration.minutes(3),
    });
    asg.scaleOnRequestCount('RequestsPerTarget', {
      targetRequestsPerMinute: 6000,
      disableScaleIn: false,
    });

    // Step scaling on average latency: drop one instance under 150 ms, add one
    // from 400 ms and three from 1 s.
    asg.scaleOnMetric('LatencySteps', {
      metric: alb.metrics.targetResponseTime({ period: Duration.minutes(1), statistic: 'Average' }),
      scalingSteps: [
        { upper: 0.15, change: -1 },
        { lower: 0.4, change: +1 },
        { lower: 1.0, change: +3 },
      ],
      adjustmentType: autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      estimatedInstanceWarmup: Duration.minutes(3),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    // Alert topics, one per tier.
    const critical = new sns.Topic(this, 'CriticalTopic', { displayName: 'API critical alerts' });
    critical.addSubscription(new subs.EmailSubscription('oncall@example.com'));
    const warning = new sns.Topic(this, 'WarningTopic', { displayName: 'API warnings' });
    warning.addSubscription(new subs.EmailSubscription('api-team@example.com'));

    const requests = alb.metrics.requestCount({ period: Duration.minutes(1) });
    const errors5xx = alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1) });
    const errorRate = new cloudwatch.MathExpression({
      expression: '100 * errors / requests',
      usingMetrics: { errors: errors5xx, requests },
      label: '5xx rate (%)',
      period: Duration.minutes(1),
    });

    const errorRateCritical = errorRate.createAlarm(this, 'ErrorRateCritical', {
      alarmDescription: 'More than 5% of API requests fail with 5xx.',
      threshold: 5,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    errorRateCritical.addAlarmAction(new actions.SnsAction(critical));

    const errorRateWarning = errorRate.createAlarm(this, 'ErrorRateWarning', {
      alarmDescription: 'More than 1% of API requests fail with 5xx.',
      threshold: 1,
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    errorRateWarning.addAlarmAction(new actions.SnsAction(warning));

    new cloudwatch.Alarm(this, 'LatencyWarning', {
      metric: alb.metrics.targetResponseTime({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 2,
      evaluationPeriods: 3,
      alarmDescription: 'Slowest responses above 2 s for 15 minutes.',
    }).addAlarmAction(new actions.SnsAction(warning));

    new cloudwatch.Alarm(this, 'UnhealthyHostsCritical', {
      metric: targetGroup.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
    }).addAlarmAction(new actions.SnsAction(critical));

    const inService = new cloudwatch.Metric({
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      dimensionsMap: { AutoScalingGroupName: asg.autoScalingGroupName },
      period: Duration.minutes(1),
    });
    const cpu = new cloudwatch.Metric({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensionsMap: { AutoScalingGroupName: asg.autoScalingGroupName },
      period: Duration.minutes(1),
    });

    const dashboard = new cloudwatch.Dashboard(this, 'ApiDashboard', { dashboardName: 'api-fleet' });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests and 5xx rate',
        left: [requests],
        right: [errorRate],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'CPU and capacity',
        left: [cpu],
        right: [inService],
        leftAnnotations: [{ value: 55, label: 'CPU target' }],
        width: 12,
      }),
    );
    dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: 'Latency',
      left: [alb.metrics.targetResponseTime({ period: Duration.minutes(1) })],
      width: 24,
    }));
  }
}

function build(app) {
  new ApiStack(app, 'ApiStack', { description: 'API fleet behind an ALB' });
}

module.exports = { build };
main(module, build);
