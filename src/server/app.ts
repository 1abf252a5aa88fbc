import { randomBytes } from 'node:crypto';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerGuard } from './plugins/guard.js';
import { registerAuth } from './plugins/auth.js';
import { Authenticator } from './auth/authenticator.js';
import { authRoutes } from './routes/studio/auth.routes.js';
import { registerSpa } from './plugins/spa.js';
import { openBlobStores, type BlobStoreConfig } from './blobs/blob-stores.js';
import { artifactListRoutes, artifactProxyRoutes } from './routes/mlflow/artifacts.routes.js';
import { experimentRoutes } from './routes/mlflow/experiments.routes.js';
import { loggedModelRoutes } from './routes/mlflow/logged-models.routes.js';
import { runRoutes } from './routes/mlflow/runs.routes.js';
import { controlRoutes } from './routes/studio/control.routes.js';
import { eventRoutes } from './routes/studio/events.routes.js';
import { studioKeyRoutes } from './routes/studio/keys.routes.js';
import { logRoutes } from './routes/studio/logs.routes.js';
import { studioMetricRoutes } from './routes/studio/metrics.routes.js';
import { studioRunRoutes } from './routes/studio/runs.routes.js';
import { viewRoutes } from './routes/studio/views.routes.js';
import { notificationRoutes } from './routes/studio/notifications.routes.js';
import { Notifier } from './notify/notifier.js';
import { serverOptions, type ServerOptions } from './options.js';
import { RunEventBus } from './events/run-event-bus.js';
import { ControlEvents } from './services/control-events.js';
import type { Deps } from './services/deps.js';
import { failLostRuns } from './services/run-control.service.js';
import type { Db } from './store/db.js';
import { claimOrphanViews } from './store/views.store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This server's notification worker, for tests and benches to drive (settle, scanStalls). */
    notifier: Notifier;
  }
}

export interface AppOptions {
  db: Db;
  /** Directory for artifacts and logs (the default store), or for local caches of an S3 store. */
  blobDir: string;
  /** Where artifacts and logs live; the directory `blobDir` when left out. */
  blobStore?: BlobStoreConfig;
  /** Directory of the built web app; null serves the API alone. */
  webRoot: string | null;
  logger?: boolean;
  now?: () => number;
  /** The operator's flags; anything left out takes its default (options.ts). */
  options?: Partial<ServerOptions>;
}

export const MLFLOW_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;
export const MLFLOW_ARTIFACT_PREFIXES = ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts'] as const;

/**
 * Every few seconds, launched runs whose launcher went silent for the heartbeat timeout
 * become FAILED. A failed sweep is logged and tried again at the next tick.
 */
function watchLaunchers(app: FastifyInstance, deps: Deps): void {
  const every = Math.min(5000, Math.max(250, Math.floor(deps.options.heartbeatTimeoutMs / 4)));
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      failLostRuns(deps)
        .catch((error: unknown) => console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'heartbeat sweep failed', error: String(error) })))
        .finally(() => (sweeping = false));
    }, every).unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}

/** Builds the whole server; main.ts listens with it and tests call `app.inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const settings = serverOptions(options.options);
  const app = Fastify({
    // In team mode the proxy in front (--auth-proxy-trusted) says the client's address and
    // scheme (X-Forwarded-For, -Proto): sign-in limits count per client, and a session cookie
    // is Secure when the page came over HTTPS. Nobody else is believed.
    trustProxy: settings.auth === 'team' ? settings.authProxyTrusted : false,
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    // Every body goes through a zod schema, which builds new objects of known keys only, so a
    // `__proto__` key cannot reach an object; the poisoning scan of each body is not needed.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // Unique across restarts and replicas, so an id quoted by a user finds one log line.
    genReqId: () => randomBytes(8).toString('hex'),
    requestIdHeader: false,
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const blobs = await openBlobStores(options.blobStore ?? { kind: 'dir' }, options.blobDir, {
    fsync: settings.durability === 'full',
    maxArtifactBytes: settings.maxArtifactBytes,
    db: options.db,
  });
  const auth = await Authenticator.open(options.db, settings, options.now ?? Date.now);
  if (settings.auth === 'local') await claimOrphanViews(options.db, auth.localPrincipal().id);
  const events = new RunEventBus(options.db, { now: options.now ?? Date.now });
  await events.start();
  const deps: Deps = {
    db: options.db,
    options: settings,
    logs: blobs.logs,
    artifacts: blobs.artifacts,
    now: options.now ?? Date.now,
    events,
    control: new ControlEvents(events),
    auth,
    // A failed try is shown on the rules page and logged with the server's logger (--log); a
    // broken worker is always said on stderr, as a failed heartbeat sweep is.
    notifier: new Notifier(options.db, blobs.logs, settings, options.now ?? Date.now, (level, msg, fields) => {
      if (level === 'error') console.error(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
      else app.log.warn(fields, msg);
    }),
  };
  // A log another replica appended to: bring this replica's live tails up to it.
  events.subscribe((stored) => {
    for (const item of stored) {
      if (item.type === 'run' && item.event.kind === 'log' && item.event.log && item.event.size !== undefined) blobs.logs.noticeGrowth?.(item.event.runId, item.event.log, item.event.size);
    }
  });
  // The notifier stops before the bus it listens to.
  app.addHook('onClose', async () => {
    await deps.notifier.close();
    await events.close();
  });
  app.addHook('onReady', async () => deps.notifier.start(events));
  app.decorate('notifier', deps.notifier);

  await deps.artifacts.sweepUploads();
  registerErrorHandler(app);
  await registerGuard(app, settings);
  // Bodies are read by their declared type only (the guard refuses the others): JSON here,
  // raw bytes in the log and artifact scopes. An empty JSON body is `{}`, as MLflow reads it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? {} : JSON.parse(body as string));
    } catch (error) {
      (error as { statusCode?: number }).statusCode = 400;
      done(error as Error, undefined);
    }
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      // Nothing is loaded from another origin: an image in a description is a link until clicked.
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        scriptSrcAttr: ["'none'"],
      },
    },
    hsts: false,
  });
  await app.register(compress, { threshold: 2048 });
  await registerAuth(app, auth, settings.streamAuthRecheckMs);

  for (const prefix of MLFLOW_PREFIXES) {
    await app.register(
      async (scope) => {
        experimentRoutes(scope, deps);
        runRoutes(scope, deps);
        loggedModelRoutes(scope, deps);
        artifactListRoutes(scope, deps);
      },
      { prefix },
    );
  }
  for (const prefix of MLFLOW_ARTIFACT_PREFIXES) {
    await app.register(async (scope) => artifactProxyRoutes(scope, deps), { prefix });
  }
  await app.register(
    async (scope) => {
      studioRunRoutes(scope, deps);
      controlRoutes(scope, deps);
      eventRoutes(scope, deps);
      studioKeyRoutes(scope, deps);
      studioMetricRoutes(scope, deps);
      viewRoutes(scope, deps);
      notificationRoutes(scope, deps);
      await scope.register(async (authScope) => authRoutes(authScope, deps));
      await scope.register(async (logs) => logRoutes(logs, deps));
    },
    { prefix: '/api/studio' },
  );
  app.get('/health', async () => ({ status: 'ok' }));
  watchLaunchers(app, deps);
  await registerSpa(app, options.webRoot, deps);
  return app;
}
