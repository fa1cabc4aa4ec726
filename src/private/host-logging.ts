import { Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/** Where the CloudWatch agent reads its configuration on the instance. */
const AGENT_CONFIG = '/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json';

/** The file the log-shipping heartbeat appends to, one JSON line a minute. */
export const HEARTBEAT_FILE = '/var/log/log-heartbeat.log';

/** The host logs the agent ships, and the suffix of each one's stream (`<instance id>/<suffix>`). */
export const HOST_LOG_FILES: Array<[file: string, stream: string]> = [
  ['/var/log/secure', 'secure'],
  ['/var/log/messages', 'messages'],
  ['/var/log/audit/audit.log', 'audit'],
  ['/var/log/cloud-init-output.log', 'cloud-init-output'],
  [HEARTBEAT_FILE, 'heartbeat'],
];

/**
 * The services whose logs reach the host log group: while one of them is not active, the heartbeat
 * stops, so a stopped rsyslog or auditd is noticed like a stopped agent.
 */
export const HEARTBEAT_UNITS = ['rsyslog', 'auditd', 'amazon-cloudwatch-agent'];

/** The `source` of the heartbeats of `tier`'s instances: the tier's unique name in the app. */
export function heartbeatSource(tier: IConstruct): string {
  return Names.uniqueResourceName(tier, { maxLength: 64, separator: '-' });
}

/** The fields of a heartbeat line: `{"heartbeat":"<instance id>","source":"<source>"}`. */
export const HEARTBEAT_INSTANCE_FIELD = 'heartbeat';
export const HEARTBEAT_SOURCE_FIELD = 'source';

/**
 * The user-data step that ships the instance's host logs to `logGroupName` (PCI DSS v4.0.1
 * 10.2.1, 10.3.3): it installs the CloudWatch agent and rsyslog from the Amazon Linux 2023
 * repository (AL2023 logs to journald only; rsyslog writes the authentication log
 * `/var/log/secure` and the system log `/var/log/messages` from it), and starts the agent with a
 * configuration that sends those files, the audit log and the cloud-init output, one stream per
 * instance and file. The agent runs as root because `/var/log/secure` and the audit log are
 * readable by root only. It only writes to log streams of that existing group: it needs no
 * permission to create groups or change their retention.
 *
 * A systemd timer then appends a heartbeat every minute, `{"heartbeat":"<instance id>","source":"<source>"}`,
 * to {@link HEARTBEAT_FILE}, which the agent ships like the other files (stream
 * `<instance id>/heartbeat`), while rsyslog, auditd and the agent are all active: the tier counts
 * the instances whose heartbeat arrives (a Contributor Insights rule, see tier-log-shipping.ts)
 * against its in-service instances, so one host that stops shipping is noticed. The heartbeat
 * needs no permission beyond the host log group's streams. The instance id comes from the
 * instance metadata (IMDSv2,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html).
 */
export function hostLoggingUserData(logGroupName: string, source: string): ec2.UserData {
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
    ...heartbeatCommands(source),
  );
  return userData;
}

/** The heartbeat: its line, written once, and the service and timer that append it every minute. */
function heartbeatCommands(source: string): string[] {
  const line = `{"${HEARTBEAT_INSTANCE_FIELD}":"%s","${HEARTBEAT_SOURCE_FIELD}":"${source}"}\\n`;
  return [
    "imds_token=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
    'instance_id=$(curl -sS -H "X-aws-ec2-metadata-token: $imds_token" http://169.254.169.254/latest/meta-data/instance-id)',
    `printf '${line}' "$instance_id" > /etc/log-heartbeat.json`,
    "cat > /usr/local/sbin/log-heartbeat <<'EOF'",
    '#!/bin/sh',
    `for unit in ${HEARTBEAT_UNITS.join(' ')}; do systemctl is-active --quiet "$unit" || exit 0; done`,
    `cat /etc/log-heartbeat.json >> ${HEARTBEAT_FILE}`,
    'EOF',
    'chmod 0755 /usr/local/sbin/log-heartbeat',
    "cat > /etc/systemd/system/log-heartbeat.service <<'EOF'",
    '[Unit]',
    'Description=Heartbeat of the host log shipping',
    '[Service]',
    'Type=oneshot',
    'ExecStart=/usr/local/sbin/log-heartbeat',
    'EOF',
    "cat > /etc/systemd/system/log-heartbeat.timer <<'EOF'",
    '[Unit]',
    'Description=Heartbeat of the host log shipping, every minute',
    '[Timer]',
    'OnActiveSec=0',
    'OnUnitActiveSec=60',
    // systemd timers fire up to a minute late by default (AccuracySec=1min, systemd.timer(5)).
    'AccuracySec=1s',
    '[Install]',
    'WantedBy=timers.target',
    'EOF',
    'systemctl daemon-reload',
    'systemctl enable --now log-heartbeat.timer',
  ];
}
