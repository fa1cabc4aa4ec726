import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The VPC's primary CIDR block, or undefined when it is not known: a VPC imported with
 * `Vpc.fromVpcAttributes` without `vpcCidrBlock` throws when asked for it.
 */
export function knownVpcCidr(vpc: ec2.IVpc): string | undefined {
  try {
    return vpc.vpcCidrBlock;
  } catch {
    return undefined;
  }
}
