import { createRequire } from 'node:module';
import type { RESTOptions } from 'discord.js';

type Dispatcher = NonNullable<RESTOptions['agent']>;

interface UndiciOfDiscord {
  Agent: new () => Dispatcher;
  EnvHttpProxyAgent: new (o: { httpProxy?: string; httpsProxy?: string; noProxy?: string }) => Dispatcher;
}

/**
 * The undici that discord.js's REST client was built against (6.x), resolved from its own folder.
 * Another SDK in the process (Slack's Socket Mode pulls undici 7) registers its own Agent as the
 * process-wide dispatcher when it loads first; undici 6 file uploads through that Agent fail with
 * "action is not a function". Giving REST an Agent of its own undici keeps the two apart whatever the
 * load order, and leaves the global dispatcher untouched.
 */
function undiciOfDiscord(): UndiciOfDiscord {
  const fromHere = createRequire(import.meta.url);
  const fromDiscord = createRequire(fromHere.resolve('discord.js'));
  const fromRest = createRequire(fromDiscord.resolve('@discordjs/rest'));
  return fromRest('undici') as UndiciOfDiscord;
}

/** Whether the environment names a proxy (undici reads the same variables, both cases). */
export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

/**
 * The dispatcher for Discord's REST calls: through `HTTPS_PROXY`/`HTTP_PROXY` (minus `NO_PROXY`) when
 * one is set, else direct.
 */
export function discordRestAgent(env: NodeJS.ProcessEnv): Dispatcher {
  const undici = undiciOfDiscord();
  if (!proxyConfigured(env)) return new undici.Agent();
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v);
  const httpProxy = pick('HTTP_PROXY', 'http_proxy');
  const httpsProxy = pick('HTTPS_PROXY', 'https_proxy') ?? httpProxy;
  const noProxy = pick('NO_PROXY', 'no_proxy');
  return new undici.EnvHttpProxyAgent({
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(noProxy ? { noProxy } : {}),
  });
}
