import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The user-data step that leaves Session Manager, with Run As, as the only way into the host
 * (PCI DSS v4.0.1 8.2.2, 10.2.1.2):
 * - sshd is stopped, disabled and masked: "Logging isn't available for Session Manager sessions
 *   that connect through port forwarding or SSH"
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html),
 *   so an SSH daemon (reached through `AWS-StartSSHSession` or a key pushed by EC2 Instance
 *   Connect) would be a shell that nothing records;
 * - the sudoers drop-in that SSM Agent writes for the shared `ssm-user` is removed: with Run As,
 *   "Session Manager doesn't fall back on the default ssm-user account"
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-run-as.html),
 *   and no session needs it;
 * - one OS user per operator, without a password (Session Manager does not ask for one) and
 *   without sudo, in the `systemd-journal` group so that they can read the system journal. Session
 *   Manager refuses a Run As session whose OS user does not exist on the node (same page).
 *   Rights beyond that are for the user's own `userData` to grant, per user, so that sudo logs
 *   each command under the operator's name in `/var/log/secure`, which the host logs ship.
 */
export function hostAccessUserData(operatorUsers: string[]): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'systemctl disable --now sshd.service sshd.socket 2>/dev/null || true',
    'systemctl mask sshd.service sshd.socket',
    'rm -f /etc/sudoers.d/ssm-agent-users',
    ...operatorUsers.map(
      (user) =>
        `id -u ${user} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --groups systemd-journal ${user}`,
    ),
  );
  return userData;
}
