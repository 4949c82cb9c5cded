import { loadConfig } from '../src/app.config';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..');
const CHART = join(ROOT, 'deploy', 'helm', 'ironvol');
const PRODUCTION = join(CHART, 'ci', 'production-values.yaml');
const helm = (...args: string[]) => execFileSync(join(ROOT, 'scripts', 'helm.sh'), args, { encoding: 'utf8', cwd: ROOT });

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> };

/** The Kubernetes API schema of each kind the chart renders (kubernetes-models). */
const MODELS: Record<string, () => new (data: unknown) => { validate(): void }> = {
  'v1/ConfigMap': () => require('kubernetes-models/v1/ConfigMap').ConfigMap,
  'v1/Service': () => require('kubernetes-models/v1/Service').Service,
  'v1/ServiceAccount': () => require('kubernetes-models/v1/ServiceAccount').ServiceAccount,
  'apps/v1/Deployment': () => require('kubernetes-models/apps/v1/Deployment').Deployment,
  'batch/v1/Job': () => require('kubernetes-models/batch/v1/Job').Job,
  'policy/v1/PodDisruptionBudget': () => require('kubernetes-models/policy/v1/PodDisruptionBudget').PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': () => require('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler').HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': () => require('kubernetes-models/networking.k8s.io/v1/Ingress').Ingress,
  'networking.k8s.io/v1/NetworkPolicy': () => require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy').NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': () => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor').ServiceMonitor,
};

function render(...args: string[]): K8sObject[] {
  return parseAllDocuments(helm('template', 'ironvol', CHART, ...args))
    .map((d) => d.toJSON() as K8sObject)
    .filter(Boolean);
}

describe('deployment artefacts', () => {
  it.each([[[]], [['-f', PRODUCTION]]])('helm lint --strict passes with values %j', (args) => {
    expect(helm('lint', '--strict', CHART, ...args)).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it.each([
    ['default values', [], ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Job', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']],
    ['production values', ['-f', PRODUCTION], ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Job', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'Service', 'ServiceAccount', 'ServiceMonitor']],
  ])('renders valid Kubernetes objects with %s', (_name, args, kinds) => {
    const objects = render(...(args as string[]));
    expect(objects.map((o) => o.kind).sort()).toEqual(kinds);
    for (const object of objects) {
      const model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect([object.kind, typeof model]).toEqual([object.kind, 'function']);
      const Model = model();
      expect(() => new Model(object).validate()).not.toThrow();
    }
  });

  it('would catch an invalid object (the schema check has teeth)', () => {
    const deployment = render().find((o) => o.kind === 'Deployment')!;
    const Deployment = MODELS['apps/v1/Deployment']();
    expect(() => new Deployment({ ...deployment, spec: { ...deployment.spec, replicas: 'three' } }).validate()).toThrow();
  });

  it('runs the pods hardened, probed, and drained within the grace period', () => {
    const objects = render('-f', PRODUCTION);
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.limits).toEqual({ cpu: '2', memory: '320Mi' });
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const config = objects.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(pod.terminationGracePeriodSeconds).toBe(Number(config.SHUTDOWN_GRACE_MS) / 1000 + 10);
    expect(config).toMatchObject({ MIGRATIONS_RUN: 'false', DATABASE_URL_FILE: '/etc/ironvol/database/url', PUBLIC_URL: 'https://baremetal.example.com' });
    expect(loadConfig({ ...config, DATABASE_URL_FILE: '', AUTH_STRATEGY: 'noauth', HOST: '127.0.0.1' }).database.preparedStatements).toBe(true);
    const pooled = render('-f', PRODUCTION, '--set', 'database.preparedStatements=false').find((o) => o.kind === 'ConfigMap')!.data!;
    expect(loadConfig({ ...pooled, DATABASE_URL_FILE: '', AUTH_STRATEGY: 'noauth', HOST: '127.0.0.1' }).database.preparedStatements).toBe(false);
    expect(pod.volumes.find((v: any) => v.name === 'database-url').secret).toEqual({ secretName: 'ironvol-postgres', items: [{ key: 'connection-url', path: 'url' }] });
    const job = objects.find((o) => o.kind === 'Job')!;
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
  });

  it('configures authentication: an htpasswd Secret by default, OIDC with egress to the IdP in production', () => {
    const defaults = render();
    const config = defaults.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(config).toMatchObject({ HOST: '0.0.0.0', AUTH_STRATEGY: 'http_basic', HTTP_BASIC_AUTH_USER_FILE: '/etc/ironvol/auth/htpasswd' });
    const pod = defaults.find((o) => o.kind === 'Deployment')!.spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'auth').secret).toEqual({ secretName: 'ironvol-htpasswd', items: [{ key: 'htpasswd', path: 'htpasswd' }] });
    expect(pod.containers[0].volumeMounts.find((m: any) => m.name === 'auth')).toEqual({ name: 'auth', mountPath: '/etc/ironvol/auth', readOnly: true });

    const production = render('-f', PRODUCTION);
    // The service itself accepts what the chart renders (the database URL file exists only in the pod).
    const env = { ...production.find((o) => o.kind === 'ConfigMap')!.data!, DATABASE_URL_FILE: '' } as Record<string, string>;
    expect(loadConfig(env).auth).toMatchObject({ strategy: 'jwt', issuer: 'https://sso.example.com/realms/platform', claims: { roles: 'realm_access.roles' } });
    expect(loadConfig(env).rateLimit).toEqual({ perSecond: 50, burst: 200 });
    const egress = production.find((o) => o.kind === 'NetworkPolicy')!.spec.egress;
    expect(egress).toContainEqual({ ports: [{ port: 443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.30.0.0/24' } }] });
  });

  it('configures power: sync, the live check, and egress to the BMCs over UDP 623', () => {
    const objects = render('--set', 'power.syncForce=false', '--set', 'networkPolicy.bmcTo[0].ipBlock.cidr=10.50.0.0/16');
    const config = objects.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(config).toMatchObject({ ENABLED_HARDWARE_TYPES: 'fake-hardware,ipmi', POWER_SYNC_INTERVAL_SECONDS: '60', POWER_SYNC_FORCE: 'false', POWER_LIVE_CHECK: 'true' });
    expect(loadConfig({ ...config, DATABASE_URL_FILE: '', AUTH_STRATEGY: 'noauth', HOST: '127.0.0.1' }).power).toMatchObject({
      hardwareTypes: ['fake-hardware', 'ipmi'], syncIntervalMs: 60000, syncForce: false, liveCheck: true,
    });
    const egress = objects.find((o) => o.kind === 'NetworkPolicy')!.spec.egress;
    expect(egress).toContainEqual({ ports: [{ port: 623, protocol: 'UDP' }], to: [{ ipBlock: { cidr: '10.50.0.0/16' } }] });
  });

  it('exposes the boot listener on a Service of its own, configured as the service reads it', () => {
    expect(render().filter((o) => o.kind === 'Service')).toHaveLength(1);
    const objects = render('--set', 'boot.enabled=true', '--set', 'boot.url=http://10.20.0.5', '--set', 'boot.ingressFrom[0].ipBlock.cidr=10.20.0.0/16');
    const config = objects.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(config).toMatchObject({ BOOT_HTTP_PORT: '8080', BOOT_HTTP_HOST: '0.0.0.0', BOOT_HTTP_URL: 'http://10.20.0.5' });
    expect(loadConfig({ ...config, DATABASE_URL_FILE: '', AUTH_STRATEGY: 'noauth', HOST: '127.0.0.1' }).boot).toEqual({ port: 8080, host: '0.0.0.0', url: 'http://10.20.0.5' });
    const boot = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'ironvol-boot')!;
    expect(boot.spec).toMatchObject({ type: 'LoadBalancer', ports: [{ name: 'boot', port: 80, targetPort: 'boot', protocol: 'TCP' }] });
    const container = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
    expect(container.ports).toContainEqual({ name: 'boot', containerPort: 8080, protocol: 'TCP' });
    expect(objects.find((o) => o.kind === 'NetworkPolicy')!.spec.ingress).toContainEqual({ ports: [{ port: 8080, protocol: 'TCP' }], from: [{ ipBlock: { cidr: '10.20.0.0/16' } }] });
    const unset = spawnSync(join(ROOT, 'scripts', 'helm.sh'), ['template', 'x', CHART, '--set', 'boot.enabled=true'], { encoding: 'utf8' });
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toMatch(/boot\.url is required/);
  });

  it('configures notifications: the transport URL from an existing Secret, egress to RabbitMQ', () => {
    expect(render().find((o) => o.kind === 'ConfigMap')!.data!).not.toHaveProperty('NOTIFICATION_LEVEL');
    const objects = render('--set', 'notifications.level=info');
    const config = objects.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(config).toMatchObject({ NOTIFICATION_LEVEL: 'info', NOTIFICATION_TRANSPORT_URL_FILE: '/etc/ironvol/notifications/transport-url', NOTIFICATION_TOPICS: 'ironic_versioned_notifications' });
    const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'notifications').secret).toEqual({ secretName: 'ironvol-notifications', items: [{ key: 'transport-url', path: 'transport-url' }] });
    expect(objects.find((o) => o.kind === 'NetworkPolicy')!.spec.egress).toContainEqual({ ports: [{ port: 5672, protocol: 'TCP' }] });
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-chart-'));
    writeFileSync(join(dir, 'url'), 'rabbit://ironic:pw@rabbitmq:5672/\n');
    expect(loadConfig({ ...config, DATABASE_URL_FILE: '', AUTH_STRATEGY: 'noauth', HOST: '127.0.0.1', NOTIFICATION_TRANSPORT_URL_FILE: join(dir, 'url') }).notifications).toMatchObject({ level: 'info', brokerName: 'rabbitmq:5672//' });
  });

  it('configures Keystone: the password from an existing Secret, egress to Keystone, values the service accepts', () => {
    const objects = render('--set', 'auth.strategy=keystone', '--set', 'auth.keystone.authUrl=http://keystone.openstack.svc:5000/v3', '--set', 'networkPolicy.identityProviderTo[0].ipBlock.cidr=10.40.0.0/24');
    const config = objects.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(config).toMatchObject({ AUTH_STRATEGY: 'keystone', KEYSTONE_PASSWORD_FILE: '/etc/ironvol/keystone/password', KEYSTONE_TOKEN_CACHE_SECONDS: '300' });
    const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'keystone').secret).toEqual({ secretName: 'ironvol-keystone', items: [{ key: 'password', path: 'password' }] });
    expect(pod.containers[0].volumeMounts.find((m: any) => m.name === 'keystone')).toEqual({ name: 'keystone', mountPath: '/etc/ironvol/keystone', readOnly: true });
    const egress = objects.find((o) => o.kind === 'NetworkPolicy')!.spec.egress;
    expect(egress).toContainEqual({ ports: [{ port: 5000, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.40.0.0/24' } }] });
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-chart-'));
    writeFileSync(join(dir, 'password'), 'from-the-secret\n');
    const env = { ...config, DATABASE_URL_FILE: '', KEYSTONE_PASSWORD_FILE: join(dir, 'password') } as Record<string, string>;
    expect(loadConfig(env).auth).toMatchObject({
      strategy: 'keystone', authUrl: 'http://keystone.openstack.svc:5000/v3', username: 'ironic', password: 'from-the-secret', projectName: 'service', cacheSeconds: 300,
    });
  });

  it.each([
    [['--set', 'auth.strategy=noauth'], /allowInsecureNoauth/],
    [['--set', 'auth.strategy=jwt'], /issuer|audience|jwksUrl/],
    [['--set', 'auth.strategy=keystone'], /authUrl/],
    [['--set', 'auth.strategy=keystone', '--set', 'auth.keystone.authUrl=keystone:5000'], /authUrl/],
    [['--set', 'auth.strategy=ldap'], /strategy/],
  ])('refuses unsafe or incomplete auth values %j', (args, message) => {
    const bad = spawnSync(join(ROOT, 'scripts', 'helm.sh'), ['template', 'x', CHART, ...args], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(message);
  });

  it('refuses values the schema does not allow', () => {
    const bad = spawnSync(join(ROOT, 'scripts', 'helm.sh'), ['template', 'x', CHART, '--set', 'replicaCount=0'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/replicaCount/);
  });

  it('lints the Dockerfile', () => {
    const lint = spawnSync(join(ROOT, 'node_modules', '.bin', 'dockerfilelint'), ['Dockerfile'], { cwd: ROOT, encoding: 'utf8' });
    expect(lint.stdout).toContain('Issues: None found');
    expect(lint.status).toBe(0);
  });
});
