import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { ConnectDone, FromWorker, Phase, PhaseCollected, ToWorker } from './protocol';
import { stopProcess } from '../support/server-process';

type Reply = Exclude<FromWorker, { type: 'progress' }>;
type ReplyOf<T extends Reply['type']> = Extract<Reply, { type: T }>;

/** One forked client-worker.ts, with request/reply over IPC. */
class WorkerHandle {
  private readonly waiting = new Map<string, (reply: Reply) => void>();
  private exited = false;
  connected = 0;
  failed = 0;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message) => this.receive(message as FromWorker));
    child.once('exit', () => {
      this.exited = true;
    });
  }

  request<T extends Reply['type']>(
    message: ToWorker | null,
    replyType: T,
    timeoutMs: number,
  ): Promise<ReplyOf<T>> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error(`client worker ${this.child.pid} has exited`));
      const timer = setTimeout(() => {
        this.waiting.delete(replyType);
        reject(
          new Error(`client worker ${this.child.pid}: no "${replyType}" within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.waiting.set(replyType, (reply) => {
        clearTimeout(timer);
        resolve(reply as ReplyOf<T>);
      });
      if (message) this.child.send(message);
    });
  }

  private receive(message: FromWorker): void {
    if (message.type === 'progress') {
      this.connected = message.connected;
      this.failed = message.failed;
      return;
    }
    const resolve = this.waiting.get(message.type);
    this.waiting.delete(message.type);
    resolve?.(message);
  }
}

export interface ConnectSummary {
  connected: number;
  failed: number;
  connectMs: number[];
  errors: string[];
}

export interface PhaseSummary {
  received: number;
  latenciesMs: number[];
  sentAt: number[];
  lastReceivedAt: number;
  clientsComplete: number;
  connected: number;
  disconnects: number;
}

const WORKER = join(__dirname, 'client-worker.ts');
const IPC_TIMEOUT_MS = 30_000;

/** The load generator: N clients spread over W worker processes. */
export class ClientPool {
  private constructor(private readonly workers: WorkerHandle[]) {}

  static async start(count: number): Promise<ClientPool> {
    const workers = Array.from(
      { length: count },
      () =>
        new WorkerHandle(
          fork(WORKER, [], {
            execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          }),
        ),
    );
    const pool = new ClientPool(workers);
    try {
      await Promise.all(workers.map((worker) => worker.request(null, 'ready', IPC_TIMEOUT_MS)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get pids(): number[] {
    return this.workers.flatMap((worker) => (worker.child.pid ? [worker.child.pid] : []));
  }

  /** Gives each worker its contiguous share of users [0, clients) and has it sign their tokens. */
  async prepare(clients: number): Promise<void> {
    const share = Math.ceil(clients / this.workers.length);
    await Promise.all(
      this.workers.map((worker, index) =>
        worker.request(
          {
            type: 'prepare',
            from: Math.min(clients, index * share),
            to: Math.min(clients, (index + 1) * share),
          },
          'prepared',
          IPC_TIMEOUT_MS,
        ),
      ),
    );
  }

  /** Connects the prepared users; calls `onProgress` every second. */
  async connect(
    url: string,
    concurrencyPerWorker: number,
    timeoutMs: number,
    onProgress: (connected: number, failed: number) => void,
  ): Promise<ConnectSummary> {
    const ticker = setInterval(
      () =>
        onProgress(
          this.sum((w) => w.connected),
          this.sum((w) => w.failed),
        ),
      1000,
    );
    try {
      const done: ConnectDone[] = await Promise.all(
        this.workers.map((worker) =>
          worker.request(
            { type: 'connect', url, concurrency: concurrencyPerWorker },
            'connect-done',
            timeoutMs,
          ),
        ),
      );
      return {
        connected: done.reduce((sum, d) => sum + d.connected, 0),
        failed: done.reduce((sum, d) => sum + d.failed, 0),
        connectMs: done.flatMap((d) => d.connectMs),
        errors: [...new Set(done.flatMap((d) => d.errors))],
      };
    } finally {
      clearInterval(ticker);
    }
  }

  async startPhase(phase: Phase): Promise<void> {
    await this.all({ type: 'phase', phase }, 'phase-ready');
  }

  async received(): Promise<number> {
    const counts = await this.all({ type: 'count' }, 'count');
    return counts.reduce((sum, count) => sum + count.received, 0);
  }

  /** Polls until `expected` events of the phase arrived or `timeoutMs` passed; returns the count. */
  async waitForReceived(expected: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let received = await this.received();
    while (received < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      received = await this.received();
    }
    return received;
  }

  async collect(expectedPerClient: number): Promise<PhaseSummary> {
    const parts: PhaseCollected[] = await this.all(
      { type: 'collect', expectedPerClient },
      'collected',
    );
    const total = (pick: (part: PhaseCollected) => number) =>
      parts.reduce((sum, part) => sum + pick(part), 0);
    return {
      received: total((p) => p.received),
      latenciesMs: parts.flatMap((p) => p.latenciesMs),
      sentAt: parts.flatMap((p) => p.sentAt),
      lastReceivedAt: Math.max(0, ...parts.map((p) => p.lastReceivedAt)),
      clientsComplete: total((p) => p.clientsComplete),
      connected: total((p) => p.connected),
      disconnects: total((p) => p.disconnects),
    };
  }

  /** Closes every client, then makes sure every worker is gone. */
  async close(): Promise<void> {
    await Promise.allSettled(
      this.workers.map((worker) => worker.request({ type: 'close' }, 'closed', 10_000)),
    );
    await Promise.all(this.workers.map((worker) => stopProcess(worker.child, 5_000)));
  }

  private all<T extends Reply['type']>(message: ToWorker, replyType: T): Promise<ReplyOf<T>[]> {
    return Promise.all(
      this.workers.map((worker) => worker.request(message, replyType, IPC_TIMEOUT_MS)),
    );
  }

  private sum(pick: (worker: WorkerHandle) => number): number {
    return this.workers.reduce((sum, worker) => sum + pick(worker), 0);
  }
}
