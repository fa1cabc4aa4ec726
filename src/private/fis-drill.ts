import { Aws } from 'aws-cdk-lib';
import * as fis from 'aws-cdk-lib/aws-fis';

/** An Auto Scaling group, by name, and its zone. */
export interface DrillGroup {
  readonly name: string;
  readonly availabilityZone: string;
}

/**
 * The targets and actions of one AWS FIS experiment template, built from plain names and ARNs.
 * Actions, their parameters and resource types as in the FIS actions reference
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html); targets as in
 * https://docs.aws.amazon.com/fis/latest/userguide/targets.html (ARNs or tags, never both).
 */
export class Drill {
  public readonly targets: Record<string, fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty> = {};
  public readonly actions: Record<string, fis.CfnExperimentTemplate.ExperimentTemplateActionProperty> = {};

  /**
   * aws:ec2:stop-instances on the instances of each group, one target per group (a target's tags
   * must all match, so one tag value per target), by the `aws:autoscaling:groupName` tag Auto
   * Scaling puts on every instance it launches: started again after `duration`; an instance that
   * Auto Scaling replaced meanwhile does not fail the action ("Auto Scaling groups may terminate
   * stopped EC2 instances under their control before this action completes").
   *
   * @param selectionMode the selection mode of the target of each group, by its position in `groups` (`ALL`, `COUNT(n)`)
   */
  public stopInstances(
    name: string,
    groups: DrillGroup[],
    selectionMode: (index: number) => string,
    duration: string,
  ): void {
    groups.forEach((group, i) => {
      const target = `${name}Target${i + 1}`;
      this.targets[target] = {
        resourceType: 'aws:ec2:instance',
        resourceTags: { 'aws:autoscaling:groupName': group.name },
        filters: [{ path: 'State.Name', values: ['running'] }],
        selectionMode: selectionMode(i),
      };
      this.actions[`${name}${i + 1}`] = {
        actionId: 'aws:ec2:stop-instances',
        description: `Stop instances of the group in ${group.availabilityZone}`,
        parameters: { startInstancesAfterDuration: duration, completeIfInstancesTerminated: 'true' },
        targets: { Instances: target },
      };
    });
  }

  /**
   * aws:ec2:asg-insufficient-instance-capacity-error on the groups, in `zones`: groups of this
   * stack (its `aws:cloudformation:stack-id` tag) with these names.
   */
  public noCapacity(name: string, groups: DrillGroup[], zones: string[], duration: string): void {
    const target = `${name}Groups`;
    this.targets[target] = {
      resourceType: 'aws:ec2:autoscaling-group',
      resourceTags: { 'aws:cloudformation:stack-id': Aws.STACK_ID },
      filters: [{ path: 'AutoScalingGroupName', values: groups.map((g) => g.name) }],
      selectionMode: 'ALL',
    };
    this.actions[name] = {
      actionId: 'aws:ec2:asg-insufficient-instance-capacity-error',
      description: 'Make launches in the groups fail with InsufficientInstanceCapacity',
      parameters: { availabilityZoneIdentifiers: zones.join(','), duration, percentage: '100' },
      targets: { AutoScalingGroups: target },
    };
  }

  /** aws:network:disrupt-connectivity (scope `all`) on the subnets, by ARN. */
  public disruptSubnets(name: string, subnetArns: string[], az: string, duration: string): void {
    const target = `${name}Subnets`;
    this.targets[target] = { resourceType: 'aws:ec2:subnet', resourceArns: subnetArns, selectionMode: 'ALL' };
    this.actions[name] = {
      actionId: 'aws:network:disrupt-connectivity',
      description: `Deny all traffic in and out of the subnets in ${az}`,
      parameters: { scope: 'all', duration },
      targets: { Subnets: target },
    };
  }

  /** aws:arc:start-zonal-autoshift away from `az` for the zonal-shift managed resources (load balancers), by ARN. */
  public autoshift(name: string, resourceArns: string[], az: string, duration: string): void {
    const target = `${name}LoadBalancers`;
    this.targets[target] = {
      resourceType: 'aws:arc:zonal-shift-managed-resource',
      resourceArns,
      selectionMode: 'ALL',
    };
    this.actions[name] = {
      actionId: 'aws:arc:start-zonal-autoshift',
      description: `Shift the load balancers' traffic away from ${az}`,
      parameters: { availabilityZoneIdentifier: az, duration },
      targets: { ManagedResources: target },
    };
  }

  /**
   * aws:arc:start-zonal-autoshift away from `az` for Auto Scaling groups registered with ARC zonal
   * shift (`managedResourceTypes` ASG): groups of this stack (its `aws:cloudformation:stack-id`
   * tag) whose managed-resource name (`Name` in ListManagedResources) is one of theirs. The groups
   * have no autoshift configuration of their own, so `zonalAutoshiftStatus` is `ANY` (its default,
   * `ENABLED`, would select none of them and fail the experiment).
   */
  public shiftGroups(name: string, groups: DrillGroup[], az: string, duration: string): void {
    const target = `${name}Groups`;
    this.targets[target] = {
      resourceType: 'aws:arc:zonal-shift-managed-resource',
      resourceTags: { 'aws:cloudformation:stack-id': Aws.STACK_ID },
      filters: [{ path: 'Name', values: groups.map((g) => g.name) }],
      selectionMode: 'ALL',
    };
    this.actions[name] = {
      actionId: 'aws:arc:start-zonal-autoshift',
      description: `Shift the groups away from ${az}: they treat it as impaired and do not replace its instances`,
      parameters: {
        availabilityZoneIdentifier: az,
        duration,
        managedResourceTypes: 'ASG',
        zonalAutoshiftStatus: 'ANY',
      },
      targets: { ManagedResources: target },
    };
  }
}
