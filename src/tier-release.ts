import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * What a release of a tier is made of: the image and the user data its instances start from.
 */
export interface TierRelease {
  /**
   * The machine image.
   *
   * @default - the service's `machineImage`
   */
  readonly machineImage?: ec2.IMachineImage;

  /**
   * The user data.
   *
   * @default - the service's `userData`
   */
  readonly userData?: ec2.UserData;
}
