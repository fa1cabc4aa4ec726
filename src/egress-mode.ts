/**
 * Where the instances' outbound HTTPS may go (PCI DSS v4.0.1 1.3.2: outbound traffic from the
 * cardholder data environment is restricted to what is necessary).
 *
 * What the instances need is AWS: Systems Manager, CloudWatch Logs, KMS, CloudFormation (the
 * release signal), and S3, which serves the Amazon Linux 2023 package repositories (`dnf`). {@link EgressMode.ENDPOINTS_ONLY} reaches exactly those through
 * VPC endpoints; {@link EgressMode.INTERNET} keeps a NAT gateway per zone for applications that
 * call third parties.
 */
export enum EgressMode {
  /**
   * Only AWS, through VPC endpoints. A VPC that the construct creates gets interface endpoints
   * with private DNS for the AWS services the default hosts call (docs/NETWORK.md lists them, with
   * what calls each) and the `additionalEndpoints` your application calls, in the private subnet of
   * every zone, an S3 gateway endpoint in the private subnets'
   * route tables, and no NAT gateway: the private subnets have no route off the VPC other than
   * the S3 gateway endpoint's. The instances' security group allows HTTPS to the VPC's address
   * range (the interface endpoints) and to S3: to the prefix lists in `egressPrefixLists` when
   * you pass the region's S3 prefix list there, otherwise to any IPv4 address, which the routes
   * confine to S3 (see the README, "Restricted egress").
   */
  ENDPOINTS_ONLY = 'ENDPOINTS_ONLY',

  /**
   * HTTPS to the internet through one NAT gateway per zone, for applications that call third
   * parties. The VPC endpoints are still created, so that AWS API calls stay off the NAT
   * gateways. The instances' security group allows HTTPS to any IPv4 address, or, with
   * `egressPrefixLists`, only to the VPC's address range and those prefix lists.
   */
  INTERNET = 'INTERNET',
}
