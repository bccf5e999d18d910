/**
 * What `faultline init` writes: every section with its defaults, commented. It has to load with zero
 * problems (test/cli/init.test.ts loads it with the schema); keys that need real values (hosts, tokens)
 * stay commented. Every key can also come from the environment: FAULTLINE_<SECTION>_<KEY>.
 */
export const SAMPLE_CONFIG = `# faultline.yaml: written by \`faultline init\`. Every key is optional; the values shown are the defaults.
# Reference: docs/configuration.md. Each key can also be set from the environment, which wins over this
# file: FAULTLINE_ and the key's path in upper snake case, e.g. FAULTLINE_MATCH_THRESHOLD=0.6,
# FAULTLINE_OPS_PORT=9464, FAULTLINE_BOT_INCIDENT_CHANNELS=C0INCIDENTS,C0ALERTS.
# Secrets never go here: SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, DISCORD_TOKEN,
# DISCORD_APPLICATION_ID, FAULTLINE_REDIS_URL, FAULTLINE_ALERTS_TOKEN come from the environment, or from
# files named by the same variable with _FILE appended (SLACK_BOT_TOKEN_FILE=/run/secrets/slack-bot-token).

# Extra guide folders (relative to this file), loaded after the built-in ones; a later guide replaces an
# earlier one with the same id.
knowledge: []
builtinKnowledge: true

match:
  threshold: 0.5 # calibrated score at which a guide is said to fit (docs/matching.md)
  maxPasteBytes: 262144 # pastes are cut here, and the reply says so
  maxResults: 5 # matches kept for "more"
  regexBudgetMs: 500

bot:
  incidentChannels: [] # channel ids where the bot answers error pastes without being mentioned
  passiveThreshold: 0.7 # the stricter threshold for those unprompted answers
  listenToBots: [] # bot/app/webhook ids whose alerts are answered there (docs/incident-channels.md)

store:
  kind: file # file (ONE process), memory, or redis (several replicas: docs/replicas.md)
  dir: .faultline
  # url: comes from FAULTLINE_REDIS_URL (redis://user:password@host:6379/0) so the password stays out
  prefix: faultline

ops:
  # port: 9464 # /healthz, /readyz, /metrics and the alert webhooks; off while unset
  host: 127.0.0.1 # 0.0.0.0 in a container, so that probes can reach it
  drainSeconds: 20 # how long a stop waits for replies and runs under way

# learning:
#   digest: # the week's unanswered pastes, posted once a week (docs/learning.md)
#     channel: slack:C0OPS
#     weekday: mon
#     hour: 9
#     timeZone: Europe/Berlin

# alerts: # POST /hooks/alertmanager and /hooks/json (docs/incident-channels.md)
#   channel: slack:C0INCIDENTS
#   routes:
#     - labels: { team: payments }
#       channel: slack:C0PAYMENTS

slack:
  mode: socket # socket (no public URL) or http (the Events API posts to path on port)
  port: 3000
  path: /slack/events

discord:
  threads: true # answer mentions in a thread started on the message
  messageContent: auto # the privileged intent: asked for only when bot.incidentChannels is set

terminal:
  user: terminal
  roles: []

# Diagnostics run only on hosts listed here and only as the policy allows (docs/diagnostics.md).
diagnostics:
  hosts: []
  #  - name: web-1
  #    address: 10.0.4.11
  #    user: faultline
  #    keyPath: keys/faultline
  #    hostKeys: [SHA256:...]
  #    labels: [web, prod]
  audit:
    path: .faultline/audit.jsonl

policy:
  roles: {}
  rules: [] # nothing may run until a rule allows it
  #  - effect: allow
  #    roles: [sre]
  #    diagnostics: ['*']
  #    labels: [prod]
  approvalTtlMinutes: 30
`;
