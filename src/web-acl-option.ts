import { Token } from 'aws-cdk-lib';

/**
 * How the load balancers are protected by AWS WAF: a web ACL this construct creates with AWS
 * managed rule groups, one you manage, or none.
 */
export class WebAclOption {
  /**
   * A new regional web ACL, shared by both tiers, with the AWS managed rule groups
   * `AWSManagedRulesCommonRuleSet`, `AWSManagedRulesKnownBadInputsRuleSet`,
   * `AWSManagedRulesAmazonIpReputationList` and `AWSManagedRulesSQLiRuleSet`.
   */
  public static managedRules(): WebAclOption {
    return new WebAclOption(true, undefined);
  }

  /**
   * An existing regional web ACL that you manage, by ARN; it is associated with both load balancers.
   *
   * @param webAclArn the ARN of a `REGIONAL` AWS WAFv2 web ACL in the stack's region
   */
  public static fromWebAclArn(webAclArn: string): WebAclOption {
    if (
      !Token.isUnresolved(webAclArn) &&
      !/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+\/.+$/.test(webAclArn)
    ) {
      throw new Error(
        '`webAclArn` must be the ARN of a REGIONAL AWS WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), ' +
          `got: ${JSON.stringify(webAclArn)}`,
      );
    }
    return new WebAclOption(false, webAclArn);
  }

  /**
   * No web ACL. Only for tests and for load balancers fronted by another WAF (for example
   * CloudFront): a public payment API should not face the internet without one.
   */
  public static none(): WebAclOption {
    return new WebAclOption(false, undefined);
  }

  private constructor(
    /** Whether the construct creates the web ACL. */
    public readonly createManaged: boolean,
    /** The ARN of an existing web ACL to associate. */
    public readonly webAclArn?: string,
  ) {}
}
