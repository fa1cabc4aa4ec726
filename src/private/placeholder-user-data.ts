import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * User data for the placeholder application: a tiny HTTPS server on port 443 with a
 * self-signed certificate that answers the health-check path with 200 and every other path
 * with 404. It stands in for the real payment API until the user passes their own `userData`
 * (or machine image); the tier warns at synth while it is in use.
 *
 * It runs under systemd with a dynamic (unprivileged) user, gets only the capability to bind
 * port 443, and reads its private key through systemd credentials rather than a world-readable file.
 */
export function placeholderUserData(healthCheckPath: string): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  const server = [
    'import http.server, os, ssl',
    `HEALTH_PATH = ${JSON.stringify(healthCheckPath)}`,
    'class Handler(http.server.BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    "        healthy = self.path.split('?')[0] == HEALTH_PATH",
    "        body = b'OK\\n' if healthy else b'placeholder application: deploy your own userData\\n'",
    '        self.send_response(200 if healthy else 404)',
    "        self.send_header('Content-Type', 'text/plain')",
    "        self.send_header('Content-Length', str(len(body)))",
    '        self.end_headers()',
    '        self.wfile.write(body)',
    '    def log_message(self, fmt, *args):',
    '        pass',
    "creds = os.environ['CREDENTIALS_DIRECTORY']",
    'context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)',
    'context.minimum_version = ssl.TLSVersion.TLSv1_2',
    "context.load_cert_chain(os.path.join(creds, 'cert.pem'), os.path.join(creds, 'key.pem'))",
    "httpd = http.server.ThreadingHTTPServer(('0.0.0.0', 443), Handler)",
    'httpd.socket = context.wrap_socket(httpd.socket, server_side=True)',
    'httpd.serve_forever()',
  ];
  const unit = [
    '[Unit]',
    'Description=Placeholder HTTPS application (multi-az-failover-service)',
    'After=network-online.target',
    '[Service]',
    'DynamicUser=yes',
    'AmbientCapabilities=CAP_NET_BIND_SERVICE',
    'CapabilityBoundingSet=CAP_NET_BIND_SERVICE',
    'NoNewPrivileges=yes',
    'LoadCredential=cert.pem:/etc/placeholder-app/cert.pem',
    'LoadCredential=key.pem:/etc/placeholder-app/key.pem',
    'ExecStart=/usr/bin/python3 /opt/placeholder-app/server.py',
    'Restart=always',
    '[Install]',
    'WantedBy=multi-user.target',
  ];
  userData.addCommands(
    'set -euo pipefail',
    'install -d -m 0755 /opt/placeholder-app',
    'install -d -m 0700 /etc/placeholder-app',
    'openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=placeholder-app" ' +
      '-keyout /etc/placeholder-app/key.pem -out /etc/placeholder-app/cert.pem',
    'chmod 0600 /etc/placeholder-app/key.pem',
    `cat > /opt/placeholder-app/server.py <<'PYEOF'\n${server.join('\n')}\nPYEOF`,
    `cat > /etc/systemd/system/placeholder-app.service <<'UNITEOF'\n${unit.join('\n')}\nUNITEOF`,
    'systemctl daemon-reload',
    'systemctl enable --now placeholder-app.service',
  );
  return userData;
}
