// spot.js: a Spot-heavy ingest fleet and its batch compactor, as a team would write them with the CDK (stack SpotStack).
//
// Covers: two groups in one region-agnostic stack. `ingest` has a
// `mixedInstancesPolicy` (launch template without an instance type, four
// weighted overrides, and an instancesDistribution with an on-demand
// base, a percentage above it and price-capacity-optimized Spot), capacity
// rebalancing, `UpdatePolicy.instanceRefresh()` (the
// AutoScalingInstanceRefresh UpdatePolicy attribute, plus
// AutoScalingScheduledAction), group
// notifications to two topics (`notifications: [{ topic, scalingEvents }]`),
// target tracking on incoming bytes (`scaleOnIncomingBytes`) and a
// capacity-shortfall alarm on a `MathExpression` over group metrics.
// `compactor` has step scaling with EXACT_CAPACITY on a custom application
// metric. Topics with `displayName` and email subscriptions; tiered alarms
// with `SnsAction`; a Dashboard with GraphWidgets.
//
// Usage: node tests/cdk/spot.js OUTDIR   (writes OUTDIR/SpotStack.template.json)
'use strict';
const { Stack, Duration } = require('aws-cdk-lib');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const ec2 = require('aws-cdk-lib/aws-ec2');
const iam = require('aws-cdk-lib/aws-iam');
const sns = require('aws-cdk-lib/aws-sns');
const subs = require('aws-cdk-lib/aws-sns-subscriptions');
const { main } = require('./cdk-app');

function groupMetric(asg, metricName, statistic = 'Average') {
  return new cloudwatch.Metric({
    namespace: 'AWS/AutoScaling',
    metricName,
    dimensionsMap: { AutoScalingGroupName: asg.autoScalingGroupName },
    period: Duration.minutes(1),
    statistic,
  });
}

class SpotStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 3, natGateways: 1 });
    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    });

    const critical = new sns.Topic(this, 'CriticalTopic', { displayName: 'Ingest critical' });
    critical.addSubscription(new subs.EmailSubscription('oncall@example.com'));
    const warning = new sns.Topic(this, 'WarningTopic', { displayName: 'Ingest warnings' });
    warning.addSubscription(new subs.EmailSubscription('ingest-team@example.com'));
    const activity = new sns.Topic(this, 'FleetActivity', {
      topicName: 'ingest-fleet-activity',
      displayName: 'Ingest fleet activity',
    });

    // ingest: Spot first, one on-demand instance as a floor.
    const ingestTemplate = new ec2.LaunchTemplate(this, 'IngestTemplate', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      role,
      securityGroup: new ec2.SecurityGroup(this, 'IngestInstances', { vpc }),
      requireImdsv2: true,
    });
    const ingest = new autoscaling.AutoScalingGroup(this, 'Ingest', {
      vpc,
      mixedInstancesPolicy: {
        launchTemplate: ingestTemplate,
        launchTemplateOverrides: [
          { instanceType: new ec2.InstanceType('m6i.large'), weightedCapacity: 1 },
          { instanceType: new ec2.InstanceType('m6a.large'), weightedCapacity: 1 },
          { instanceType: new ec2.InstanceType('m5.large'), weightedCapacity: 1 },
          { instanceType: new ec2.InstanceType('m6i.xlarge'), weightedCapacity: 2 },
        ],
        instancesDistribution: {
          onDemandAllocationStrategy: autoscaling.OnDemandAllocationStrategy.PRIORITIZED,
          onDemandBaseCapacity: 1,
          onDemandPercentageAboveBaseCapacity: 20,
          spotAllocationStrategy: autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED,
        },
      },
      capacityRebalance: true,
      minCapacity: 2,
      maxCapacity: 24,
      groupMetrics: [autoscaling.GroupMetrics.all()],
      updatePolicy: autoscaling.UpdatePolicy.instanceRefresh({
        strategy: autoscaling.InstanceRefreshStrategy.ROLLING,
        minHealthyPercentage: 90,
        maxHealthyPercentage: 120,
        instanceWarmup: Duration.minutes(3),
      }),
      notifications: [
        { topic: critical, scalingEvents: autoscaling.ScalingEvents.ERRORS },
        { topic: activity },
      ],
    });

    ingest.scaleOnIncomingBytes('NetworkInTracking', {
      targetBytesPerSecond: 50 * 1024 * 1024,
      estimatedInstanceWarmup: Duration.minutes(4),
    });

    // compactor: on-demand, sized by its backlog.
    const compactor = new autoscaling.AutoScalingGroup(this, 'Compactor', {
      vpc,
      instanceType: new ec2.InstanceType('r6i.2xlarge'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      role,
      minCapacity: 1,
      maxCapacity: 8,
      notifications: [{ topic: warning, scalingEvents: autoscaling.ScalingEvents.ERRORS }],
    });

    // Pending segments decide the exact size: none -> 1, 1-49 -> 2, 50+ -> 6, 200+ -> 8.
    const pendingSegments = new cloudwatch.Metric({
      namespace: 'Ingest',
      metricName: 'PendingSegments',
      dimensionsMap: { Service: 'compactor' },
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
    compactor.scaleOnMetric('SegmentSteps', {
      metric: pendingSegments,
      scalingSteps: [
        { upper: 1, change: 1 },
        { lower: 1, change: 2 },
        { lower: 50, change: 6 },
        { lower: 200, change: 8 },
      ],
      adjustmentType: autoscaling.AdjustmentType.EXACT_CAPACITY,
    });

    // Spot capacity shortfall: in-service below 80% of desired.
    const inService = groupMetric(ingest, 'GroupInServiceInstances');
    const desired = groupMetric(ingest, 'GroupDesiredCapacity');
    const shortfall = new cloudwatch.MathExpression({
      expression: '100 * inService / desired',
      usingMetrics: { inService, desired },
      label: 'In service (% of desired)',
      period: Duration.minutes(1),
    });
    const shortfallCritical = shortfall.createAlarm(this, 'CapacityShortfallCritical', {
      alarmName: 'ingest-capacity-shortfall',
      alarmDescription: 'Spot could not fill the ingest fleet for 10 minutes.',
      threshold: 80,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 10,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    shortfallCritical.addAlarmAction(new actions.SnsAction(critical));

    const networkIn = new cloudwatch.Metric({
      namespace: 'AWS/EC2',
      metricName: 'NetworkIn',
      dimensionsMap: { AutoScalingGroupName: ingest.autoScalingGroupName },
      period: Duration.minutes(5),
      statistic: 'Average',
    });
    networkIn.createAlarm(this, 'NetworkInWarning', {
      alarmDescription: 'Ingest instances receive more than 80 MiB/s each.',
      threshold: 80 * 1024 * 1024 * 300,
      evaluationPeriods: 3,
    }).addAlarmAction(new actions.SnsAction(warning));

    pendingSegments.createAlarm(this, 'SegmentsBacklogWarning', {
      threshold: 500,
      evaluationPeriods: 6,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    }).addAlarmAction(new actions.SnsAction(warning));

    const dashboard = new cloudwatch.Dashboard(this, 'IngestDashboard', { dashboardName: 'ingest-spot' });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Ingest capacity',
        left: [inService, desired],
        right: [shortfall],
        rightYAxis: { min: 0, max: 100 },
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Network in and compactor backlog',
        left: [networkIn],
        right: [pendingSegments],
        width: 12,
      }),
    );
  }
}

function build(app) {
  new SpotStack(app, 'SpotStack', { description: 'Spot ingest fleet and batch compactor' });
}

module.exports = { build };
main(module, build);
