import type { Snapshot, User } from '../snapshot/types';
import type { UserSelector } from './config';

/**
 * Owners and members named in the config, resolved to users of the snapshot. Inactive users are
 * skipped (a territory owned by someone who left shows no owner and says why in its trace).
 */

export interface ResolvedUsers {
  users: User[];
  note: string;
}

export function createPeopleResolver(snapshot: Snapshot): (selector: UserSelector) => ResolvedUsers {
  const roles = new Map(snapshot.roles.map((r) => [r.id, r.name]));
  const usernames = new Map(
    snapshot.userDirectory
      .filter((d) => d.username !== null)
      .map((d) => [d.username!.toLowerCase(), d.userId] as const),
  );
  const byId = new Map(snapshot.users.map((u) => [u.id, u]));
  const sorted = [...snapshot.users].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  return (selector) => {
    if ('user' in selector) {
      const ref = selector.user;
      const id = byId.has(ref) ? ref : (usernames.get(ref.toLowerCase()) ?? null);
      const found =
        id !== null ? byId.get(id) : sorted.find((u) => u.name.toLowerCase() === ref.toLowerCase());
      if (!found) return { users: [], note: `user ${ref} not found` };
      if (!found.isActive) return { users: [], note: `user ${found.name} is inactive` };
      return { users: [found], note: `user ${ref}` };
    }
    const pattern = globToRegExp(selector.role);
    const users = sorted.filter(
      (u) =>
        u.isActive &&
        u.roleId !== null &&
        pattern.test(roles.get(u.roleId) ?? '') &&
        (selector.segment === undefined ||
          (u.segment ?? '').toLowerCase() === selector.segment.toLowerCase()),
    );
    const what = `role ${selector.role}${selector.segment ? `, segment ${selector.segment}` : ''}`;
    return {
      users,
      note: users.length === 0 ? `${what}: nobody active` : `${what}: ${users.length} user(s)`,
    };
  };
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}
