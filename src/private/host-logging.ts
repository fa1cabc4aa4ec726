import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Where the CloudWatch agent reads its configuration on the instance. */
const AGENT_CONFIG = '/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json';

/** The host logs the agent ships, and the suffix of each one's stream (`<instance id>/<suffix>`). */
export const HOST_LOG_FILES: Array<[file: string, stream: string]> = [
  ['/var/log/secure', 'secure'],
  ['/var/log/messages', 'messages'],
  ['/var/log/audit/audit.log', 'audit'],
  ['/var/log/cloud-init-output.log', 'cloud-init-output'],
];

/**
 * The user-data step that ships the instance's host logs to `logGroupName` (PCI DSS v4.0.1
 * 10.2.1, 10.3.3): it installs the CloudWatch agent and rsyslog from the Amazon Linux 2023
 * repository (AL2023 logs to journald only; rsyslog writes the authentication log
 * `/var/log/secure` and the system log `/var/log/messages` from it), and starts the agent with a
 * configuration that sends those files, the audit log and the cloud-init output, one stream per
 * instance and file. The agent runs as root because `/var/log/secure` and the audit log are
 * readable by root only. It only writes to log streams of that existing group: it needs no
 * permission to create groups or change their retention.
 */
export function hostLoggingUserData(logGroupName: string): ec2.UserData {
  const config = {
    agent: { run_as_user: 'root' },
    logs: {
      logs_collected: {
        files: {
          collect_list: HOST_LOG_FILES.map(([file, stream]) => ({
            file_path: file,
            log_group_name: logGroupName,
            log_stream_name: `{instance_id}/${stream}`,
          })),
        },
      },
    },
  };
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'dnf install -y amazon-cloudwatch-agent rsyslog',
    'systemctl enable --now rsyslog',
    `cat > ${AGENT_CONFIG} <<'EOF'`,
    JSON.stringify(config, undefined, 2),
    'EOF',
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${AGENT_CONFIG}`,
  );
  return userData;
}
