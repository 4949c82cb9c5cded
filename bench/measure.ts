/** One measured round of a scenario on a server, and the tables the rounds make. */
import { load, LoadRequest } from './load';
import { Options } from './options';
import { cpuSeconds, processTree, rssOf } from './proc';
import { Scenario, verify, wire } from './scenarios';
import { settle } from './server';

export interface Result {
  server: string;
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  peakRssMb: number | null;
  /** Server CPU (user + system) per answered request, for servers whose pid is known. */
  cpuUsPerRequest: number | null;
  /** The load generator's own CPU per answered request: what it took from the cores the server shares. */
  generatorUsPerRequest: number;
  /** The lowest and highest CPU per request of the rounds merged into this result. */
  cpuRange?: [number, number];
}

export async function measure(base: string, scenario: Scenario, connections: number, o: Options, pid?: number): Promise<Result> {
  let counter = 0;
  const next = (): LoadRequest => wire(scenario.request(counter++));
  const run = (duration: number) => load(base, { connections, duration, next });
  if (o.warmup > 0) await run(o.warmup);
  const tree = pid ? processTree(pid) : [];
  let peak = rssOf(tree) ?? 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(tree) ?? 0)), 100);
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const generatorBefore = process.cpuUsage();
  const result = await run(o.duration);
  const generator = process.cpuUsage(generatorBefore);
  const cpu = pid ? cpuSeconds(pid) - cpuBefore : 0;
  clearInterval(sampler);
  return {
    server: base,
    scenario: scenario.name,
    connections,
    rps: result.rps,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    peakRssMb: pid ? Math.round(peak / 1024 / 1024) : null,
    cpuUsPerRequest: pid && result.total ? Math.round((cpu * 1e6) / result.total) : null,
    generatorUsPerRequest: result.total ? Math.round((generator.user + generator.system) / result.total) : 0,
  };
}

/** A server a measurement alternates over: its name in the tables, where it answers, its pid (for /proc) and the scenario it runs. */
export interface Contender {
  name: string;
  url: string;
  pid?: number;
  scenario: Scenario;
}

/**
 * A scenario's rounds on each server at one connection count: --duration
 * split over --rounds, the servers alternating and each round starting one
 * further on, so that drift on the machine falls on all of them alike. Each
 * answer sample is checked first, and each server is idle again before the
 * next one runs: a slow server keeps working through the requests still
 * queued when the load stops, and would take the CPU from the next round.
 */
export async function alternateRounds(contenders: readonly Contender[], connections: number, o: Options): Promise<Result[]> {
  const results: Result[] = [];
  for (let round = 0; round < o.rounds; round++) {
    for (const { name, url, pid, scenario } of roundOrder(contenders, round)) {
      await verify(url, scenario);
      const result = await measure(url, scenario, connections, { ...o, duration: o.duration / o.rounds }, pid);
      await settle(url, pid);
      results.push({ ...result, server: name, scenario: `${scenario.name}#${round + 1}` });
      const cpu = result.cpuUsPerRequest === null ? '' : `, ${result.cpuUsPerRequest} µs CPU/req`;
      process.stdout.write(`${name} ${scenario.name} c=${connections}: ${result.rps} req/s p99 ${result.p99} ms${cpu}\n`);
    }
  }
  return results;
}

export function table(results: Result[]): string {
  const head = ['server', 'scenario', 'conns', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'peak RSS MB', 'CPU µs/req', 'generator µs/req'];
  const rows = results.map((r) =>
    [r.server, r.scenario, r.connections, r.rps, r.p50, r.p90, r.p99, r.max, r.non2xx, r.errors, r.peakRssMb ?? '-', cpuWithRange(r), r.generatorUsPerRequest].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * One result per server, scenario and connection count from its rounds
 * (named `scenario#round`): the median of the throughputs and of the CPU per
 * request (the mean of the middle two for an even count), so that a round
 * beside a burst of other work on the machine does not move the figure, and
 * the worst of the latencies.
 */
export function mergeRounds(results: Result[]): Result[] {
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    const scenario = r.scenario.replace(/#\d+$/, '');
    const key = `${r.server} ${scenario} ${r.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), { ...r, scenario }]);
  }
  return [...groups.values()].map((rs) => {
    const cpu = rs.map((r) => r.cpuUsPerRequest).filter((us): us is number => us !== null);
    return {
      ...rs[0],
      rps: Math.round(median(rs.map((r) => r.rps))),
      p50: Math.max(...rs.map((r) => r.p50)),
      p90: Math.max(...rs.map((r) => r.p90)),
      p99: Math.max(...rs.map((r) => r.p99)),
      max: Math.max(...rs.map((r) => r.max)),
      non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      peakRssMb: rs.some((r) => r.peakRssMb !== null) ? Math.max(...rs.map((r) => r.peakRssMb ?? 0)) : null,
      cpuUsPerRequest: cpu.length ? Math.round(median(cpu)) : null,
      cpuRange: cpu.length ? [Math.min(...cpu), Math.max(...cpu)] : undefined,
      generatorUsPerRequest: Math.round(median(rs.map((r) => r.generatorUsPerRequest))),
    };
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** "112 (98–131)": the median CPU per request and the range of the rounds. */
export function cpuWithRange(r: Result): string {
  if (r.cpuUsPerRequest === null) return '-';
  return r.cpuRange && r.cpuRange[0] !== r.cpuRange[1] ? `${r.cpuUsPerRequest} (${r.cpuRange[0]}–${r.cpuRange[1]})` : String(r.cpuUsPerRequest);
}

/** The servers in the order a round runs them: each round starts one further on, so none always follows the same one. */
export function roundOrder<T>(servers: readonly T[], round: number): T[] {
  const start = round % servers.length;
  return [...servers.slice(start), ...servers.slice(0, start)];
}

export function ratios(results: Result[], a: string, b: string): string {
  const lines = ['| scenario | conns | req/s A/B | p99 A/B |', '|---|---|---|---|'];
  for (const ra of results.filter((r) => r.server === a)) {
    const rb = results.find((r) => r.server === b && r.scenario === ra.scenario && r.connections === ra.connections);
    if (!rb) continue;
    if (!rb.rps || !rb.p99) {
      lines.push(`| ${ra.scenario} | ${ra.connections} | B answered no request within the run | - |`);
      continue;
    }
    lines.push(`| ${ra.scenario} | ${ra.connections} | ${(ra.rps / rb.rps).toFixed(1)}× | 1/${(rb.p99 / Math.max(ra.p99, 0.01)).toFixed(1)} |`);
  }
  return lines.join('\n');
}
