import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { berlinDate } from '@buergerservice/calendar';
import { demoPopulation, type Household, seededRandom } from '@buergerservice/demo-data';
import {
  killContainer,
  OtlpReceiver,
  restartContainer,
  type StartedInfra,
  startContainer,
  startInfra,
  TestIssuer,
  waitUntil,
} from '@buergerservice/testing';
import { checkDrill } from './checker.js';
import { type DrillName, type DrillsConfig, exportInfraEnv, loadDrillsConfig } from './config.js';
import { FaultProxy } from './fault-proxy.js';
import { runLoad } from './load.js';
import { type Needle, type PersonalDataHit, personalDataNeedles, scanLog, scanText } from './pii.js';
import { DEAD_LETTER_TOPICS, EVENT_TOPICS, toDeadLetter, toObservedEvent } from './observe.js';
import { allocatePorts, Platform, SERVICES, type ServiceName, seedAll } from './platform.js';
import { bundleFor, drillHouseholds } from './population.js';
import { type DrillRow, formatTable, passed, seconds } from './table.js';
import { readTopics, waitForBroker } from './topics.js';

const log = (message: string) =>
  process.stderr.write(`[drills ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Context {
  readonly platform: Platform;
  readonly dbProxy: FaultProxy;
  /** Only when the kafka-proxy drill is selected: the services' Kafka traffic goes through it then. */
  readonly kafkaProxy: FaultProxy | undefined;
  readonly mongoPort: number;
}

async function tcpReachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Kills a service hard, leaves it down a few seconds (events pile up, calls fail), starts it again. */
async function sigkill(ctx: Context, name: ServiceName): Promise<void> {
  const service = ctx.platform.service(name);
  await service.stop('SIGKILL');
  await sleep(3_000);
  // The old "ready" line must not count for the new process.
  service.output.length = 0;
  await service.start();
}

/**
 * A flaky network in front of one upstream, in three phases: slow (every
 * chunk delayed 150–250 ms each way), broken (every open connection reset,
 * then 1 % of the chunks reset their connection), gone (every connection
 * reset and new ones refused).
 */
async function networkFaults(proxy: FaultProxy): Promise<void> {
  proxy.set({ latencyMs: 150, jitterMs: 100 });
  await sleep(8_000);
  proxy.set({ latencyMs: 0, jitterMs: 0, resetProbability: 0.01 });
  proxy.resetAll();
  await sleep(8_000);
  proxy.set({ resetProbability: 0, refuseConnections: true });
  proxy.resetAll();
  await sleep(3_000);
  proxy.set({ refuseConnections: false });
}

const NETWORK_FAULTS = '150-250 ms latency 8 s; resets (all + 1%/chunk) 8 s; refuse 3 s';

/** What each drill does to the platform, and how the table describes it. */
const FAULTS: Record<DrillName, { describe: string; inject: (ctx: Context) => Promise<void> }> = {
  'sigkill-vehicle': { describe: 'SIGKILL vehicle, down 3 s, restart', inject: (c) => sigkill(c, 'vehicle') },
  'sigkill-registration': {
    describe: 'SIGKILL registration, down 3 s, restart',
    inject: (c) => sigkill(c, 'registration'),
  },
  'sigkill-document': { describe: 'SIGKILL document, down 3 s, restart', inject: (c) => sigkill(c, 'document') },
  'sigkill-appointment': {
    describe: 'SIGKILL appointment, down 3 s, restart',
    inject: (c) => sigkill(c, 'appointment'),
  },
  'sigkill-portal-gateway': {
    describe: 'SIGKILL portal-gateway, down 3 s, restart',
    inject: (c) => sigkill(c, 'portal-gateway'),
  },
  'db-proxy': { describe: `DB proxy: ${NETWORK_FAULTS}`, inject: ({ dbProxy }) => networkFaults(dbProxy) },
  'kafka-proxy': {
    describe: `Kafka proxy: ${NETWORK_FAULTS}`,
    inject: async ({ kafkaProxy }) => {
      if (!kafkaProxy) throw new Error('no Kafka proxy: the runner starts one only when kafka-proxy is selected');
      await networkFaults(kafkaProxy);
    },
  },
  'db-restart': {
    describe: 'database container restarted',
    inject: async ({ mongoPort }) => {
      await restartContainer('database');
      await waitUntil(() => tcpReachable(mongoPort), { timeoutMs: 120_000, message: 'the database to listen again' });
    },
  },
  'kafka-kill': {
    describe: 'Kafka container SIGKILLed, down 5 s, started',
    inject: async () => {
      await killContainer('kafka');
      await sleep(5_000);
      await startContainer('kafka');
      await waitForBroker();
    },
  },
};

/** Needles of the citizens a drill moved: their names, birth dates, old and new streets. */
function needlesOf(households: readonly Household[], newStreets: readonly string[]): Needle[] {
  return personalDataNeedles(
    households.flatMap((h) => [h.applicant, ...h.members]),
    newStreets,
  );
}

type ProxyStats = Record<string, { connections: number; resets: number; upstreamErrors: Record<string, number> }>;

function proxyStats(dbProxy: FaultProxy, kafkaProxy: FaultProxy | undefined): ProxyStats {
  const copy = (p: FaultProxy) => ({
    connections: p.stats.connections,
    resets: p.stats.resets,
    upstreamErrors: { ...p.stats.upstreamErrors },
  });
  return { database: copy(dbProxy), ...(kafkaProxy ? { kafka: copy(kafkaProxy) } : {}) };
}

function openConnections(dbProxy: FaultProxy, kafkaProxy: FaultProxy | undefined): string {
  return `database ${dbProxy.open}${kafkaProxy ? `, kafka ${kafkaProxy.open}` : ''}`;
}

/** "database 12 connections, 0 resets; kafka …" — evidence that a proxy fault reached the clients. */
function proxyStatsDelta(before: ProxyStats, after: ProxyStats): string {
  return Object.entries(after)
    .map(([name, a]) => {
      const b = before[name] ?? { connections: 0, resets: 0, upstreamErrors: {} };
      const failed = Object.entries(a.upstreamErrors)
        .map(([code, n]) => [code, n - (b.upstreamErrors[code] ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .map(([code, n]) => `${n}× ${code}`);
      return (
        `${name} ${a.connections - b.connections} new connections, ${a.resets - b.resets} resets` +
        (failed.length > 0 ? `, upstream failures ${failed.join(' ')}` : '')
      );
    })
    .join('; ');
}

function spanText(span: unknown): string {
  return JSON.stringify(span, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

interface PersonalDataScan {
  logLines: number;
  spans: number;
  hits: PersonalDataHit[];
}

/**
 * What must be stopped when the runner is interrupted (Ctrl-C, SIGTERM), run newest first: without it
 * an interrupted run leaves five service processes and two containers behind.
 */
const onInterrupt = new Set<() => Promise<void>>();

/** Registers a stop for an interruption; returns its removal for the normal path's own cleanup. */
function stopOnInterrupt(stop: () => Promise<void>): () => void {
  onInterrupt.add(stop);
  return () => onInterrupt.delete(stop);
}

async function runDrills(
  config: DrillsConfig,
  infra: StartedInfra,
): Promise<{ rows: DrillRow[]; ok: boolean; scan: PersonalDataScan }> {
  const mongoPort = Number(new URL(infra.mongoUrl).port);
  const dbProxy = await FaultProxy.start({ host: '127.0.0.1', port: mongoPort });
  // The broker's proxied listener advertises the proxy's port, so every connection a
  // service opens after bootstrap goes through the proxy too (see @buergerservice/testing).
  const kafkaProxy = infra.kafkaProxy
    ? await FaultProxy.start(
        { host: '127.0.0.1', port: infra.kafkaProxy.listenPort },
        { port: infra.kafkaProxy.advertisedPort },
      )
    : undefined;
  const issuer = await TestIssuer.start();
  const otlp = new OtlpReceiver();
  const otlpUrl = await otlp.start();
  const unregister = [
    stopOnInterrupt(() => dbProxy.stop()),
    ...(kafkaProxy ? [stopOnInterrupt(() => kafkaProxy.stop())] : []),
    stopOnInterrupt(() => issuer.stop()),
    stopOnInterrupt(() => otlp.stop()),
  ];
  const scan: PersonalDataScan = { logLines: 0, spans: 0, hits: [] };
  const allNeedles: Needle[] = [];
  let platform: Platform | undefined;
  try {
    const needed = config.bundlesPerDrill * config.drills.length;
    // Households have 2.5 persons on average; room to spare so every bundle gets a household of its own.
    const size = { persons: needed * 3 + 100, vehicles: Math.ceil(needed * 1.5) + 50 };
    const households = drillHouseholds(demoPopulation(size)).filter((h) => h.members.length <= 8);
    if (households.length < needed) throw new Error(`only ${households.length} households for ${needed} bundles`);
    const settings = {
      repoRoot: config.repoRoot,
      kafkaBrokers: kafkaProxy ? [kafkaProxy.address] : infra.kafkaBrokers,
      mongoUrl: `mongodb://${dbProxy.address}`,
      directMongoUrl: infra.mongoUrl,
      baseEnv: config.childBaseEnv,
      logLevel: config.serviceLogLevel,
      gatewayAuthEnv: issuer.gatewayEnv(),
      entryOverrides: config.entryOverrides,
      // Every service exports its spans to the drills' receiver: the personal-data scan reads them.
      extraEnv: Object.fromEntries(SERVICES.map((name) => [name, { OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl }])),
    };
    const ports = await allocatePorts();
    log(`seeding ${size.persons} persons, ${size.vehicles} vehicles`);
    const seeded = await seedAll(settings, ports, size);
    log(`seeded: ${seeded.join(', ')}`);
    platform = await Platform.start(settings, ports);
    const started = platform;
    // Interrupted: whoever pressed Ctrl-C wants out, not a graceful drain of every backlog.
    unregister.push(stopOnInterrupt(() => started.stop(2_000)));
    log(
      `platform ready: gateway ${platform.gatewayUrl}; services talk to the database through ${dbProxy.address}` +
        `${kafkaProxy ? ` and to Kafka through ${kafkaProxy.address} (broker listener 127.0.0.1:${kafkaProxy.upstream.port})` : ''}`,
    );
    const ctx: Context = { platform, dbProxy, kafkaProxy, mongoPort };

    const random = seededRandom(20261121);
    const moveInDate = berlinDate(new Date());
    const rows: DrillRow[] = [];
    const seenDeadLetters = new Set<string>();
    let serial = 0;
    for (const drill of config.drills) {
      const fault = FAULTS[drill];
      const proxyStatsBefore = proxyStats(dbProxy, kafkaProxy);
      const moving = households.splice(0, config.bundlesPerDrill);
      const specs = moving.map((h) => bundleFor(h, random, moveInDate, ++serial));
      const needles = needlesOf(
        moving,
        specs.map((spec) => spec.body.move.newAddress.street),
      );
      allNeedles.push(...needles);
      log(`drill ${drill}: ${specs.length} bundles, fault: ${fault.describe}`);
      // Every 30 s: what went through the proxies since the last report, so a run that stalls shows whether
      // the clients still reach the upstream (and how it fails) while it happens, not only at the end.
      let proxyMark = proxyStatsBefore;
      const proxyReport = setInterval(() => {
        const now = proxyStats(dbProxy, kafkaProxy);
        log(
          `  proxies, last 30 s: ${proxyStatsDelta(proxyMark, now)}; open now: ${openConnections(dbProxy, kafkaProxy)}`,
        );
        proxyMark = now;
      }, 30_000);
      const outcome = await runLoad({
        gatewayUrl: platform.gatewayUrl,
        token: (personId) => issuer.token(personId),
        specs,
        concurrency: config.concurrency,
        faultAfter: Math.floor(specs.length * 0.3),
        fault: () => fault.inject(ctx),
        settleMs: config.settleSeconds * 1_000,
        stallMs: config.stallSeconds * 1_000,
        submitRetryMs: 120_000,
        log: (m) => log(`  ${m}`),
      }).finally(() => clearInterval(proxyReport));
      // Late duplicates (a relay re-publishing after the restart) need a moment to show.
      await sleep(5_000);
      const messages = await readTopics([...EVENT_TOPICS, ...DEAD_LETTER_TOPICS]);
      const events = messages.flatMap((m) => {
        const e = EVENT_TOPICS.includes(m.topic as (typeof EVENT_TOPICS)[number]) ? toObservedEvent(m) : undefined;
        return e ? [e] : [];
      });
      const deadLetters = messages
        .filter((m) => DEAD_LETTER_TOPICS.includes(m.topic) && !seenDeadLetters.has(`${m.topic}:${m.offset}`))
        .map((m) => {
          seenDeadLetters.add(`${m.topic}:${m.offset}`);
          return toDeadLetter(m);
        });
      const verdict = checkDrill(outcome.bundles, events, deadLetters);
      const backlog = await platform.gaugeSum('buergerservice_outbox_backlog');
      const failure = outcome.faultError?.split('\n')[0]?.slice(0, 80);
      const faults = `${fault.describe}${failure ? ` (FAULT FAILED: ${failure})` : ''}`;
      if (outcome.faultError) log(`  the fault itself failed: ${outcome.faultError}`);
      rows.push({ drill, faults, verdict, refused: outcome.refused.length });
      log(
        `  ${drill}: ${verdict.completed}/${verdict.bundles} completed, ${verdict.lost} lost, ${verdict.duplicatedEffects} duplicated, ` +
          `${verdict.deadLetters} dead letters, ${verdict.redeliveredEvents} redelivered events, outbox backlog ${backlog ?? 'n/a'}, ` +
          `${outcome.refused.length} refused submissions, ` +
          `p99 during fault ${seconds(verdict.p99DuringFaultMs)}, p99 all ${seconds(verdict.p99AllMs)}`,
      );
      log(`  proxies during the drill: ${proxyStatsDelta(proxyStatsBefore, proxyStats(dbProxy, kafkaProxy))}`);
      for (const r of outcome.refused.slice(0, 10)) log(`    refused: ${r}`);
      for (const f of verdict.findings.slice(0, 30)) log(`    finding: ${f}`);
      if (verdict.findings.length > 30) log(`    … ${verdict.findings.length - 30} more findings`);
      // Spans of this drill: scanned now, then dropped (a full run exports hundreds of thousands).
      const spans = otlp.spans();
      scan.spans += spans.length;
      for (const span of spans)
        scan.hits.push(...scanText(`span ${span.service}/${span.name}`, spanText(span), needles));
      otlp.clear();
      platform.forgetOutput();
    }
    for (const name of SERVICES) {
      const content = fs.readFileSync(platform.service(name).logFile, 'utf8');
      scan.logLines += content.split('\n').length;
      scan.hits.push(...scanLog(name, content, allNeedles));
    }
    const ok = rows.every((r) => passed(r.verdict)) && scan.hits.length === 0;
    return { rows, ok, scan };
  } finally {
    for (const remove of unregister) remove();
    if (platform) {
      for (const name of SERVICES) log(`${name} log: ${platform.service(name).logFile}`);
      await platform.stop().catch((e: unknown) => log(`stopping the platform: ${String(e)}`));
    }
    await dbProxy.stop();
    await kafkaProxy?.stop();
    await issuer.stop();
    await otlp.stop();
  }
}

async function main(): Promise<number> {
  const config = loadDrillsConfig();
  const missing = SERVICES.filter(
    (name) =>
      !fs.existsSync(config.entryOverrides[name] ?? path.join(config.repoRoot, 'services', name, 'dist', 'main.js')),
  );
  if (missing.length > 0) {
    log(`these services are not built: ${missing.join(', ')} (npm run build first)`);
    return 2;
  }
  log(`profile ${config.profile}: ${config.bundlesPerDrill} bundles per drill; drills ${config.drills.join(', ')}`);
  // The proxied Kafka listener only when a drill needs it: the other drills keep the direct path they were measured on.
  const infra = await startInfra(config.drills.includes('kafka-proxy') ? { kafkaProxy: {} } : {});
  const unregisterInfra = stopOnInterrupt(() => infra.stop());
  exportInfraEnv(infra);
  log(`infrastructure up in ${infra.startSeconds.toFixed(1)} s (${infra.images.flavour} images)`);
  try {
    const { rows, ok, scan } = await runDrills(config, infra);
    const hits = scan.hits.slice(0, 20).map((h) => `  ${h.source}: ${h.kind} "${h.needle}" in …${h.excerpt}…`);
    process.stdout.write(
      [
        '',
        formatTable(rows),
        '',
        `personal data of the moved citizens: ${scan.logLines} log lines and ${scan.spans} exported spans scanned, ${scan.hits.length} hits`,
        ...hits,
        '',
        `${ok ? 'PASS' : 'FAIL'}: ${config.profile} profile`,
        '',
      ].join('\n'),
    );
    return ok ? 0 : 1;
  } finally {
    unregisterInfra();
    await infra.stop().catch((e: unknown) => log(`stopping the infrastructure: ${String(e)}`));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(
      `${signal}: stopping the services and containers ` +
        '(a second one leaves them; `npx buergerservice-test-infra down --all` removes the containers)',
    );
    void (async () => {
      for (const stop of [...onInterrupt].reverse()) {
        await stop().catch((e: unknown) => log(`stopping after ${signal}: ${String(e)}`));
      }
      process.exit(130);
    })();
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`drills aborted: ${error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)}`);
    process.exit(2);
  },
);
