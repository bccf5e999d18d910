import type { webApi } from '@slack/bolt';

interface Group {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

/** Membership changes rarely and one call lists every group: look again after this long. */
const CACHE_MS = 5 * 60 * 1000;

/**
 * A person's Slack user groups (id, handle and name each, so the policy can name a group either way), for
 * the policy's `roles`. Needs the `usergroups:read` scope. A failed lookup is reported, not treated as "no
 * groups": the policy then denies.
 */
export class SlackUserGroups {
  private cache: { at: number; groups: Group[] } | undefined;

  constructor(private readonly client: webApi.WebClient) {}

  async rolesOf(user: string): Promise<{ roles: string[] } | { rolesError: string }> {
    try {
      if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
        const res = await this.client.usergroups.list({ include_users: true });
        const groups = (res.usergroups ?? []).map((g) => ({
          id: g.id ?? '',
          handle: g.handle ?? '',
          name: g.name ?? '',
          users: g.users ?? [],
        }));
        this.cache = { at: Date.now(), groups };
      }
      const mine = this.cache.groups.filter((g) => g.users.includes(user));
      return { roles: [...new Set(mine.flatMap((g) => [g.id, g.handle, g.name].filter(Boolean)))] };
    } catch (err) {
      const e = err as { data?: { error?: string }; message?: string };
      return { rolesError: `usergroups.list: ${e.data?.error ?? e.message ?? String(err)}` };
    }
  }
}
