/**
 * Dropping privileges inside the worker, gunicorn's way: the arbiter keeps its identity (so it can still bind
 * low ports and re-execute), and each worker switches group, then user, before it loads the app. This is done
 * here rather than with `spawn({ uid, gid })`, which would also clear the supplementary groups.
 */

/** Who the worker should become; null leaves that part unchanged. */
export interface Identity {
  readonly user: string | number | null;
  readonly group: string | number | null;
  /** Also set the user's supplementary groups (`--initgroups`). */
  readonly initgroups: boolean;
}

/** `process.initgroups` exists on POSIX Node but is missing from @types/node. */
type InitGroups = (user: string | number, extraGroup: string | number) => void;

/** Switches group then user; throws if the OS refuses (the worker then fails to boot). */
export function dropPrivileges(identity: Identity): void {
  const { user, group, initgroups } = identity;
  if (typeof process.setuid !== 'function' || typeof process.setgid !== 'function') {
    if (user !== null || group !== null) throw new Error('--user and --group are not supported on this platform');
    return;
  }
  const initgroupsFn = (process as { initgroups?: InitGroups }).initgroups;
  if (initgroups && user !== null && typeof initgroupsFn === 'function') {
    initgroupsFn(user, group ?? (process.getgid?.() as number));
  }
  if (group !== null) process.setgid(group);
  if (user !== null) process.setuid(user);
}
