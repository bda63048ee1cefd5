// workers.js: queue-driven background workers, as a team would write them with the CDK (stack WorkersStack).
//
// Covers: a stack with an explicit (fake) account and region, so no
// CDKMetadataAvailable condition, and a VPC with explicit availability zones
// (no lookup); a group given instanceType + machineImage (the CDK makes its
// launch template); SQS queues (jobs, dead letters, lifecycle notices);
// step scaling on queue depth (`scaleOnMetric`, CHANGE_IN_CAPACITY with a
// scale-in interval and two scale-out intervals) and on the age of the oldest
// message (PERCENT_CHANGE_IN_CAPACITY with minAdjustmentMagnitude);
// `scaleOnSchedule` with a time zone (weekday evening scale-down, morning
// scale-up); `addLifecycleHook` with a notification target (SQS via
// `QueueHook`, which makes an IAM role) and without one; `addWarmPool`;
// tiered alarms with `SnsAction`, one on a `MathExpression` mixing SQS and
// Auto Scaling metrics (backlog per instance); topics with `displayName` and
// email subscriptions; a Dashboard with GraphWidgets.
//
// Usage: node tests/cdk/workers.js OUTDIR   (writes OUTDIR/WorkersStack.template.json)
'use strict';
const { Stack, Duration } = require('aws-cdk-lib');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const hooktargets = require('aws-cdk-lib/aws-autoscaling-hooktargets');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const ec2 = require('aws-cdk-lib/aws-ec2');
const sns = require('aws-cdk-lib/aws-sns');
const subs = require('aws-cdk-lib/aws-sns-subscriptions');
const sqs = require('aws-cdk-lib/aws-sqs');
const { FAKE_ENV, main } = require('./cdk-app');

class WorkersStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      natGateways: 1,
    });

    const deadLetters = new sqs.Queue(this, 'JobsDlq', { retentionPeriod: Duration.days(14) });
    const jobs = new sqs.Queue(this, 'Jobs', {
      queueName: 'workers-jobs',
      visibilityTimeout: Duration.minutes(15),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });
    const lifecycleNotices = new sqs.Queue(this, 'LifecycleNotices');

    const asg = new autoscaling.AutoScalingGroup(this, 'Workers', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.C6I, ec2.InstanceSize.XLARGE),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      minCapacity: 2,
      maxCapacity: 40,
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.seconds(90) }),
      defaultInstanceWarmup: Duration.minutes(2),
      groupMetrics: [new autoscaling.GroupMetrics(
        autoscaling.GroupMetric.IN_SERVICE_INSTANCES,
        autoscaling.GroupMetric.DESIRED_CAPACITY,
        autoscaling.GroupMetric.PENDING_INSTANCES,
        autoscaling.GroupMetric.TERMINATING_INSTANCES,
      )],
      newInstancesProtectedFromScaleIn: false,
    });
    jobs.grantConsumeMessages(asg);

    // Queue depth: one worker fewer when fewer than 10 messages wait, one more
    // from 100 and five more from 1,000.
    const visible = jobs.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    });
    asg.scaleOnMetric('QueueDepthSteps', {
      metric: visible,
      scalingSteps: [
        { upper: 10, change: -1 },
        { lower: 100, change: +1 },
        { lower: 1000, change: +5 },
      ],
      adjustmentType: autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      estimatedInstanceWarmup: Duration.minutes(2),
    });

    // Stale messages: grow by 20%, then 50%, at least 2 instances at a time.
    const oldestAge = jobs.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1) });
    asg.scaleOnMetric('StaleMessageSteps', {
      metric: oldestAge,
      scalingSteps: [
        { upper: 60, change: 0 },
        { lower: 300, change: +20 },
        { lower: 900, change: +50 },
      ],
      adjustmentType: autoscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
      minAdjustmentMagnitude: 2,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    // Office hours: shrink on weekday evenings, grow back in the morning.
    asg.scaleOnSchedule('EveningScaleDown', {
      schedule: autoscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '20', minute: '0' }),
      timeZone: 'Europe/Berlin',
      minCapacity: 1,
      maxCapacity: 10,
    });
    asg.scaleOnSchedule('MorningScaleUp', {
      schedule: autoscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '7', minute: '30' }),
      timeZone: 'Europe/Berlin',
      minCapacity: 4,
      maxCapacity: 40,
      desiredCapacity: 6,
    });

    // Lifecycle hooks: drain jobs before termination (notice on SQS), and a
    // bootstrap hook the instance completes itself (no notification target).
    asg.addLifecycleHook('DrainOnTerminate', {
      lifecycleTransition: autoscaling.LifecycleTransition.INSTANCE_TERMINATING,
      notificationTarget: new hooktargets.QueueHook(lifecycleNotices),
      heartbeatTimeout: Duration.minutes(10),
      defaultResult: autoscaling.DefaultResult.CONTINUE,
      notificationMetadata: JSON.stringify({ service: 'workers', action: 'drain' }),
    });
    asg.addLifecycleHook('BootstrapOnLaunch', {
      lifecycleHookName: 'workers-bootstrap',
      lifecycleTransition: autoscaling.LifecycleTransition.INSTANCE_LAUNCHING,
      heartbeatTimeout: Duration.minutes(5),
      defaultResult: autoscaling.DefaultResult.ABANDON,
    });

    asg.addWarmPool({
      minSize: 2,
      maxGroupPreparedCapacity: 8,
      poolState: autoscaling.PoolState.STOPPED,
      reuseOnScaleIn: true,
    });

    const critical = new sns.Topic(this, 'CriticalTopic', { displayName: 'Workers critical' });
    critical.addSubscription(new subs.EmailSubscription('oncall@example.com'));
    const warning = new sns.Topic(this, 'WarningTopic', { displayName: 'Workers warnings' });
    warning.addSubscription(new subs.EmailSubscription('data-team@example.com'));

    const inService = new cloudwatch.Metric({
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      dimensionsMap: { AutoScalingGroupName: asg.autoScalingGroupName },
      period: Duration.minutes(1),
      statistic: 'Average',
    });
    const backlogPerInstance = new cloudwatch.MathExpression({
      expression: 'visible / inService',
      usingMetrics: { visible, inService },
      label: 'Messages per worker',
      period: Duration.minutes(1),
    });

    backlogPerInstance.createAlarm(this, 'BacklogPerWorkerCritical', {
      alarmDescription: 'Each worker has more than 500 messages waiting.',
      threshold: 500,
      evaluationPeriods: 10,
      datapointsToAlarm: 8,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    }).addAlarmAction(new actions.SnsAction(critical));

    const oldestAlarm = oldestAge.createAlarm(this, 'OldestMessageWarning', {
      alarmDescription: 'A job has waited more than 30 minutes.',
      threshold: Duration.minutes(30).toSeconds(),
      evaluationPeriods: 5,
    });
    oldestAlarm.addAlarmAction(new actions.SnsAction(warning));

    deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) })
      .createAlarm(this, 'DeadLettersCritical', {
        alarmDescription: 'Jobs are failing into the dead-letter queue.',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new actions.SnsAction(critical));

    const dashboard = new cloudwatch.Dashboard(this, 'WorkersDashboard', {
      dashboardName: 'workers',
      defaultInterval: Duration.hours(6),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Backlog',
        left: [visible],
        right: [backlogPerInstance],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Workers and message age',
        left: [inService],
        right: [oldestAge],
        stacked: false,
        width: 12,
      }),
    );
  }
}

function build(app) {
  new WorkersStack(app, 'WorkersStack', { env: FAKE_ENV, description: 'Queue workers' });
}

module.exports = { build };
main(module, build);
