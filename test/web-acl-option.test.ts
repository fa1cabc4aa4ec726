import { Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SharedResources, WebAclOption } from '../src';
import { newStack } from './util';

const WEB_ACL_ARN =
  'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/payments/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

test('managedRules() asks for a web ACL created by the construct', () => {
  // WHEN
  const option = WebAclOption.managedRules();

  // THEN
  expect(option.createManaged).toBe(true);
  expect(option.webAclArn).toBeUndefined();
});

test('fromWebAclArn() carries the ARN of an existing web ACL and creates nothing', () => {
  // WHEN
  const option = WebAclOption.fromWebAclArn(WEB_ACL_ARN);

  // THEN
  expect(option.createManaged).toBe(false);
  expect(option.webAclArn).toBe(WEB_ACL_ARN);
});

test('none() asks for no web ACL at all', () => {
  // WHEN
  const option = WebAclOption.none();

  // THEN
  expect(option.createManaged).toBe(false);
  expect(option.webAclArn).toBeUndefined();
});

test.each<[string, () => WebAclOption, number, string | undefined]>([
  ['managedRules()', () => WebAclOption.managedRules(), 1, 'created'],
  ['fromWebAclArn()', () => WebAclOption.fromWebAclArn(WEB_ACL_ARN), 0, WEB_ACL_ARN],
  ['none()', () => WebAclOption.none(), 0, undefined],
])('%s: the shared resources create %d web ACL', (_name, option, webAcls, arn) => {
  // GIVEN
  const stack = newStack();

  // WHEN
  const shared = new SharedResources(stack, 'Shared', {
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    webAcl: option(),
  });

  // THEN
  Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACL', webAcls);
  if (arn === 'created') {
    expect(stack.resolve(shared.webAclArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SharedWebAcl/), 'Arn'] });
  } else {
    expect(shared.webAclArn).toBe(arn);
  }
});

test.each([
  'arn:aws:wafv2:eu-west-1:111122223333:global/webacl/payments/a1b2c3d4',
  'arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/payments/a1b2c3d4',
  'payments-web-acl',
])('fromWebAclArn() rejects %s, which is not a regional web ACL ARN', (arn) => {
  expect(() => WebAclOption.fromWebAclArn(arn)).toThrow(
    '`webAclArn` must be the ARN of a REGIONAL AWS WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), ' +
      `got: ${JSON.stringify(arn)}`,
  );
});

test('fromWebAclArn() does not check a token', () => {
  expect(() => WebAclOption.fromWebAclArn(Token.asString({ Ref: 'WebAclArn' }))).not.toThrow();
});
