import { z } from 'zod';
import { targetMentionsSchema } from '../render/mentions.js';
import { forumTagsSchema } from '../render/forum-tags.js';
import { activeHoursSchema } from '../alertmanager/active-hours.js';
import { escalationSchema } from './escalation-schema.js';
import { matchersSchema } from '../alertmanager/matcher.js';
import { severityStyleSchema } from '../shared/severity.js';
import { durationSchema, sizeSchema } from './units.js';

/**
 * The YAML config. One source of truth: the TypeScript types below are derived from it,
 * and config.example.yaml documents every key (a test keeps it valid).
 */
const targetSchema = z
  .strictObject({
    webhook_url: z.string().optional(),
    webhook_url_file: z.string().optional(),
    /** A pool: several webhooks of one channel, each with its own rate-limit bucket. */
    webhook_urls: z.array(z.string()).optional(),
    webhook_url_files: z.array(z.string()).optional(),
    /** Target told when a webhook of this one is deleted (404) or its token revoked (401). */
    fallback_target: z.string().optional(),
    /** Print each Discord message as a JSON line instead of sending it. */
    dry_run: z.boolean().default(false),
    template: z.string().default('default'),
    username: z.string().optional(),
    avatar_url: z.url({ protocol: /^https?$/ }).optional(),
    severities: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('Only alerts whose severity label is listed reach this target'),
    active_hours: activeHoursSchema.optional().describe('When this target takes alerts, and what happens outside'),
    mentions: targetMentionsSchema
      .optional()
      .describe('Roles and users pinged in messages to this target: for every message, or per severity label'),
    resolve: z
      .enum(['edit', 'new', 'both'])
      .optional()
      .describe(
        'Updates of a group: edit its message in place, post a new one, or both (edit + a short notice on resolve); default edit',
      ),
    forum: z.boolean().optional().describe('The webhooks post to a forum channel: one post (thread) per group'),
    forum_tags: forumTagsSchema
      .optional()
      .describe(
        "Forum tag ids per severity label (and 'resolved') applied when a group's post is created; webhooks cannot change a post's tags later",
      ),
    thread_id: z
      .string()
      .regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)')
      .optional()
      .describe('Post every message into this existing thread'),
    digest: z
      .strictObject({
        template: z.string().optional().describe('Template of the storm format (default: delivery.digest_template)'),
        after: durationSchema.optional().describe('Backlog drain time that switches it on; 0 = never'),
      })
      .optional()
      .describe("Storm digest of this target, overriding the delivery section's defaults"),
  })
  .refine(
    (t) =>
      t.dry_run ||
      t.webhook_url !== undefined ||
      t.webhook_url_file !== undefined ||
      (t.webhook_urls?.length ?? 0) + (t.webhook_url_files?.length ?? 0) > 0,
    { message: 'needs webhook_url, webhook_url_file, webhook_urls, webhook_url_files or dry_run: true' },
  )
  .refine((t) => t.forum_tags === undefined || t.forum === true, {
    message: 'forum_tags needs forum: true (tags exist only on forum posts)',
    path: ['forum_tags'],
  });

const routeSchema = z.strictObject({
  name: z.string().min(1).optional().describe("Shown in logs; names the route's escalations"),
  /** Match the notification's receiver (Alertmanager receiver name). */
  receiver: z.string().optional(),
  /** Match the URL path segment of POST /alerts/{path}. */
  path: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .optional(),
  matchers: matchersSchema
    .optional()
    .describe('Alertmanager matchers on each alert\'s labels, e.g. service="payment" or severity=~"critical|warning"'),
  targets: z.array(z.string()).min(1).describe('Names of targets that get the matching alerts'),
  continue: z.boolean().default(false).describe('Go on matching the routes below after this one matched'),
  active_hours: activeHoursSchema.optional().describe('When this route delivers, and what happens outside'),
  escalation: escalationSchema.optional().describe('Post alerts still firing after a while to further targets'),
});

/** A section left empty in YAML (`templates:` with only comments under it) is null: use defaults. */
const section = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema);

/** Receiver auth, matching what Alertmanager's http_config sends. Secrets inline or from files. */
const secret = z.string().min(1).optional();
const authSchema = z
  .strictObject({
    bearer_token: secret,
    bearer_token_file: secret,
    basic: z
      .strictObject({ username: z.string().min(1), password: secret, password_file: secret })
      .refine((b) => (b.password === undefined) !== (b.password_file === undefined), {
        message: 'set exactly one of password or password_file',
      })
      .optional(),
    /** Probes and Prometheus scrape these without credentials unless set to true. */
    protect_health: z.boolean().default(false),
    protect_metrics: z.boolean().default(false),
  })
  .refine((a) => !(a.bearer_token !== undefined && a.bearer_token_file !== undefined), {
    message: 'set either bearer_token or bearer_token_file, not both',
  });

const levelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const configSchema = z.strictObject({
  server: section(
    z
      .strictObject({
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(9094),
        body_limit: sizeSchema.default(4 * 1024 * 1024),
        /** A request whose body has not fully arrived by then is cut off (slow-body clients). */
        request_timeout: durationSchema.default(30_000),
        auth: section(authSchema.prefault({})),
      })
      .prefault({}),
  ),
  discord: section(
    z
      .strictObject({
        api_base_url: z.url({ protocol: /^https?$/ }).default('https://discord.com'),
        request_timeout: durationSchema.default(10_000),
      })
      .prefault({}),
  ),
  delivery: section(
    z
      .strictObject({
        max_attempts: z.number().int().min(1).max(100).default(8),
        max_age: durationSchema.default(15 * 60_000),
        backoff_initial: durationSchema.default(500),
        backoff_max: durationSchema.default(30_000),
        queue_limit: z.number().int().positive().default(10_000),
        /** How long SIGTERM waits for queued messages before dead-lettering them. */
        drain_timeout: durationSchema.default(25_000),
        /** Bound on the size of queued notifications; beyond it POST /alerts answers 503. */
        queue_bytes_limit: sizeSchema.default(64 * 1024 * 1024),
        /** Dead letters kept for GET /api/v1/dead-letters (oldest dropped first). */
        dead_letter_capacity: z.number().int().positive().default(1000),
        /** Waiting this long raises a message one priority class (never up to critical). */
        priority_aging: durationSchema.default(60_000),
        /** Consecutive 5xx/network failures of a webhook that open its circuit breaker. */
        breaker_threshold: z.number().int().min(1).default(5),
        /** How long an open breaker waits before one probe request. */
        breaker_cooldown: durationSchema.default(15_000),
        /**
         * A target whose backlog, plus what arrived in the last 10 s, would take longer than this
         * to get into its channel is rendered with the digest template until it would not; 0 = never.
         */
        digest_after: durationSchema.default(30_000),
        /** The storm format: many alerts per embed, one line each. */
        digest_template: z.string().default('compact'),
        /** Messages waiting for one webhook share a request (10 embeds / 6000 characters) when its budget is short. */
        pack: z.boolean().default(true),
      })
      .prefault({}),
  ),
  rate_limit: section(
    z
      .strictObject({
        /** alertcord replicas sharing the webhooks: each uses 1/replicas of every budget. */
        replicas: z.number().int().min(1).default(1),
        /** Discord's global ceiling, requests per second. */
        global_per_second: z.number().int().positive().default(50),
        /** Discord's hidden per-channel limit: messages per window. */
        channel_messages: z.number().int().positive().default(30),
        channel_window: durationSchema.default(60_000),
        /** Messages of every channel window kept for critical alerts. */
        critical_reserve: z.number().int().min(0).default(2),
      })
      .prefault({}),
  ),
  templates: section(
    z
      .strictObject({
        dir: z.string().optional(),
      })
      .prefault({}),
  ),
  log: section(z.strictObject({ level: levelSchema.default('info') }).prefault({})),
  /** Duplicate notifications (Alertmanager HA peers, retries) and repeats. */
  dedup: section(
    z
      .strictObject({
        window: durationSchema.default(5 * 60_000),
        repeat: z.enum(['repost', 'edit', 'none']).default('repost'),
        max_entries: z.number().int().positive().default(50_000),
      })
      .prefault({}),
  ),
  /** Where each group's message is in Discord, so updates edit it (resolve: edit|both). */
  message_memory: section(
    z
      .strictObject({
        ttl: durationSchema.default(24 * 3_600_000),
        max_entries: z.number().int().positive().default(50_000),
      })
      .prefault({}),
  ),
  /** The web page under /ui/: template preview and delivery status. */
  ui: section(
    z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe('Serve the web page under /ui/: template preview and delivery status'),
      })
      .prefault({}),
  ),
  /** Dead man's switch: post to `target` when Alertmanager's heartbeat alert stops arriving. */
  heartbeat: z
    .strictObject({
      alertname: z.string().min(1).default('Watchdog'),
      timeout: durationSchema.default(10 * 60_000),
      target: z.string(),
    })
    .optional(),
  reload: section(
    z
      .strictObject({
        /** Reload when the config file, a secret file it reads or the templates change. */
        watch: z.boolean().default(true),
        /** Wait this long after a change before reloading, so a burst of writes reloads once. */
        debounce: durationSchema.default(1000),
      })
      .prefault({}),
  ),
  /** Shared state for more than one replica; without it everything stays in this process. */
  state: section(
    z
      .strictObject({
        redis: z
          .strictObject({
            url: z
              .string()
              .min(1)
              .optional()
              .describe('redis:// or rediss:// URL; a password in it only through ${VAR} (or use url_file)'),
            url_file: z.string().min(1).optional().describe('A file holding the URL (a mounted Secret)'),
            key_prefix: z
              .string()
              .regex(/^[A-Za-z0-9_.:-]*$/, 'letters, digits, _ . : - only')
              .default('alertcord:')
              .describe('Prefix of every key alertcord writes, so several deployments can share one Redis'),
          })
          .refine((r) => !(r.url !== undefined && r.url_file !== undefined), {
            message: 'set either url or url_file, not both',
          })
          .optional()
          .describe('Redis for intake, the dispatcher lease and shared state; ALERTCORD_REDIS_URL overrides the URL'),
      })
      .prefault({}),
  ),
  /** Severity label value → priority, colour and emoji; merged over the defaults. */
  severities: section(z.record(z.string(), severityStyleSchema).prefault({})),
  targets: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'), targetSchema),
  routes: z.array(routeSchema).min(1),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type TargetConfig = Config['targets'][string];
export type RouteConfig = Config['routes'][number];
