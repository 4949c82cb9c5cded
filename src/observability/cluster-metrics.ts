import cluster, { Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import { registry } from './metrics';

const ASK = 'ironvol:cluster-metrics';
const TIMEOUT_MS = 5000;

interface Answer {
  type: typeof ASK;
  id: string;
  text?: string;
  error?: string;
}

/**
 * In the primary of WORKERS: a worker asked for /metrics gets the metrics of
 * every worker, summed by prom-client's cluster aggregation (each worker
 * counts only the requests it answered; a scrape reaches one of them).
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: Partial<Answer>) => {
    if (message?.type !== ASK || typeof message.id !== 'string') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ASK, id, text } satisfies Answer),
      (error: Error) => worker.send({ type: ASK, id, error: error.message } satisfies Answer),
    );
  });
}

/** In a worker, from its start: prom-client answers the primary's aggregation requests from the service's registry. */
export function reportMetricsToPrimary(): void {
  AggregatorRegistry.setRegistries([registry]);
  // prom-client installs a worker's answering listener when an aggregator is made.
  new AggregatorRegistry();
}

/** The metrics text /metrics answers: this process's, or under WORKERS every worker's. */
export function metricsText(inWorkers: boolean): Promise<string> {
  if (!inWorkers || !process.send) return registry.metrics();
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('the primary process did not answer with the metrics of the workers')), TIMEOUT_MS);
    const onMessage = (message: Partial<Answer>) => {
      if (message?.type !== ASK || message.id !== id) return;
      finish(message.error ? new Error(message.error) : null, message.text);
    };
    const finish = (error: Error | null, text?: string) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (error) reject(error);
      else resolve(text ?? '');
    };
    process.on('message', onMessage);
    process.send!({ type: ASK, id });
  });
}
