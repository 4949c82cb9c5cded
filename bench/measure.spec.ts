import { median, mergeRounds, Result, roundOrder } from './measure';

function round(scenario: string, rps: number, cpu: number | null, p99: number): Result {
  return {
    server: 'a', scenario, connections: 10, rps, p50: 1, p90: 2, p99, max: p99, non2xx: 0, errors: 0,
    peakRssMb: 100, cpuUsPerRequest: cpu, generatorUsPerRequest: 20,
  };
}

describe('the rounds of a measurement', () => {
  it('takes the median: the middle value, or the mean of the middle two', () => {
    for (let trial = 0; trial < 200; trial++) {
      const values = Array.from({ length: 1 + Math.floor(Math.random() * 12) }, () => Math.round(Math.random() * 1000));
      const m = median(values);
      const below = values.filter((v) => v < m).length;
      const above = values.filter((v) => v > m).length;
      expect(below).toBeLessThanOrEqual(values.length / 2);
      expect(above).toBeLessThanOrEqual(values.length / 2);
    }
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('starts each round one server further on, every server once a round', () => {
    const servers = ['bare http', 'bare express', 'ironvol'];
    const firsts = [0, 1, 2, 3].map((r) => roundOrder(servers, r)[0]);
    expect(firsts).toEqual(['bare http', 'bare express', 'ironvol', 'bare http']);
    for (let r = 0; r < 6; r++) expect([...roundOrder(servers, r)].sort()).toEqual([...servers].sort());
  });

  it('merges rounds numbered past 9 with the rest: median throughput and CPU, their range, the worst latency', () => {
    const rounds = Array.from({ length: 11 }, (_, i) => round(`show#${i + 1}`, 1000 + i, 100 + (i === 10 ? 900 : i), 5 + i));
    const [merged] = mergeRounds(rounds);
    expect(mergeRounds(rounds)).toHaveLength(1);
    expect(merged.scenario).toBe('show');
    expect(merged.rps).toBe(1005);
    expect(merged.cpuUsPerRequest).toBe(105);
    expect(merged.cpuRange).toEqual([100, 1000]);
    expect(merged.p99).toBe(15);
  });

  it('leaves the CPU unknown when no round knew it', () => {
    const [merged] = mergeRounds([round('show#1', 10, null, 1), round('show#2', 20, null, 1)]);
    expect(merged.cpuUsPerRequest).toBeNull();
    expect(merged.rps).toBe(15);
  });
});
