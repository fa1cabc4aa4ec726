import { Annotations, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { FailoverTierProps } from './failover-tier';
import { hostAccessUserData } from './private/host-access';
import { heartbeatSource, hostLoggingUserData } from './private/host-logging';
import { instancePolicy } from './private/instance-policy';
import { placeholderUserData } from './private/placeholder-user-data';

/** What a tier's instances are built from, besides its props. */
export interface TierInstancesOptions {
  /** The instances' security group (see `tierSecurityGroups`). */
  readonly securityGroup: ec2.SecurityGroup;
  /** The path the placeholder application answers. */
  readonly healthCheckPath: string;
}

/** What every zone's instances of a tier start from: identity, launch template and user data. */
export interface TierInstances {
  /** The instances' IAM role. */
  readonly role: iam.Role;
  /** The instances' customer-managed policy. */
  readonly policy: iam.ManagedPolicy;
  /** The instance profile of every zone's launch template. */
  readonly instanceProfile: iam.InstanceProfile;
  /** The launch template of every zone (see ZonalFleet), without its user data. */
  readonly launchTemplateProps: ec2.LaunchTemplateProps;
  /** The user data parts: the host access, the host logging, then the application; each zone appends its release signal. */
  readonly userDataParts: ec2.UserData[];
}

/**
 * Creates what the tier's instances run as (`InstanceRole`, its policy, `InstanceProfile`) in
 * `tier`, the FailoverTier itself, and describes their launch template: private subnets, IMDSv2
 * only, detailed monitoring, encrypted root volume, and a least-privilege role (no AWS managed
 * policy: AmazonSSMManagedInstanceCore reads every parameter, CloudWatchAgentServerPolicy may
 * shorten the retention of every log group). Warns when the application or the image is left to
 * the defaults.
 */
export function tierInstances(tier: Construct, props: FailoverTierProps, options: TierInstancesOptions): TierInstances {
  const role = new iam.Role(tier, 'InstanceRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `Instances of the ${props.priority} tier: Session Manager, their host logs, and their parameters`,
  });
  const policy = instancePolicy(tier, role, props);
  const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM);
  if (props.userData === undefined) {
    Annotations.of(tier).addWarningV2(
      'multi-az-failover-service:placeholderApplication',
      `No \`userData\`: the ${props.priority} tier's instances run a placeholder HTTPS server that answers ${options.healthCheckPath} with 200, so every health check passes without your application. Pass \`userData\` (or a machine image) that starts your application.`,
    );
  }
  if (props.machineImage === undefined) {
    Annotations.of(tier).addWarningV2(
      'multi-az-failover-service:imageFromSsm',
      `No \`machineImage\`: the ${props.priority} tier runs the latest Amazon Linux 2023, which EC2 resolves from its public SSM parameter at every launch, so a new image reaches the instances without a deploy: through the scheduled image refresh (\`imageRefresh\`, health-gated, zone by zone) and every replacement. Pin the image to release it deliberately (see docs/RELEASING.md).`,
    );
  }
  // One instance profile for the tier's launch templates (one per zone, see ZonalFleet).
  const instanceProfile = new iam.InstanceProfile(tier, 'InstanceProfile', { role });
  const launchTemplateProps: ec2.LaunchTemplateProps = {
    instanceType,
    machineImage: props.machineImage ?? defaultImage(instanceType),
    instanceProfile,
    securityGroup: options.securityGroup,
    requireImdsv2: true,
    httpPutResponseHopLimit: 1,
    detailedMonitoring: true,
    associatePublicIpAddress: false,
    // Burstable types (t3, t4g, ...) default to unlimited credits on launch, but say so: a
    // payment API must not be throttled to its baseline when credits run out; sustained CPU
    // above the baseline costs surplus credits instead (see docs/COSTS.md).
    cpuCredits: isBurstable(instanceType) ? ec2.CpuCredits.UNLIMITED : undefined,
    blockDevices: [
      {
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs((props.rootVolumeSize ?? Size.gibibytes(20)).toGibibytes(), {
          volumeType: ec2.EbsDeviceVolumeType.GP3,
          encrypted: true,
          kmsKey: props.encryptionKey,
          deleteOnTermination: true,
        }),
      },
    ],
  };
  // The host access (sshd off, the operators' users), the host logs, then the application; each
  // zone's fleet appends its release signal.
  const userDataParts = [
    hostAccessUserData(props.operatorUsers ?? []),
    hostLoggingUserData(props.hostLogGroup.logGroupName, heartbeatSource(tier)),
    props.userData ?? placeholderUserData(options.healthCheckPath),
  ];
  return { role, policy, instanceProfile, launchTemplateProps, userDataParts };
}

/**
 * The public SSM parameter of the latest Amazon Linux 2023 (kernel 6.1, the family that
 * `MachineImage.latestAmazonLinux2023()` resolves) for the architecture of `instanceType`.
 */
export function defaultImageParameter(instanceType: ec2.InstanceType): string {
  const arch = instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? 'arm64' : 'x86_64';
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-${arch}`;
}

/**
 * The default image, resolved by EC2 at every launch (`ImageId: resolve:ssm:<parameter>`), not by
 * CloudFormation at deploy: "you can update your Auto Scaling groups to use new AMI IDs without
 * needing to create new launch templates or new versions of launch templates"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/using-systems-manager-parameters.html).
 * Every launch (a refresh, a lifetime replacement, a scale-out) starts from the newest image; the
 * launch template, and so the group, does not change when AWS publishes one. Auto Scaling reads the
 * parameter with its service-linked role, whose AutoScalingServiceRolePolicy allows
 * `ssm:GetParameters` on `*` (Sid SystemsManagerParameterManagement,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AutoScalingServiceRolePolicy.html).
 */
function defaultImage(instanceType: ec2.InstanceType): ec2.IMachineImage {
  return ec2.MachineImage.resolveSsmParameterAtLaunch(defaultImageParameter(instanceType), {
    os: ec2.OperatingSystemType.LINUX,
  });
}

/** Whether the type is a burstable performance instance (T family), whose CPU credits can run out. */
function isBurstable(instanceType: ec2.InstanceType): boolean {
  return /^t\d/.test(instanceType.toString());
}
