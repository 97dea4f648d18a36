import { openOrgSession } from '../crm/connection';

/** A demo user the preview can show the widgets as (the embedded org lists them). */
export interface PreviewViewer {
  /** URL key of the "view as" switch: `rep`, `manager`, `admin`. */
  key: string;
  label: string;
  username: string;
  password: string;
}

export interface ViewerSession {
  accessToken: string;
  userId: string;
  userName: string;
}

export type ViewerLogin = (viewer: PreviewViewer) => Promise<ViewerSession>;

/**
 * Logs a demo user in to the org with their own password (the normal login flow, so the session
 * carries that user's visibility) and reads who they are from the identity service.
 */
export function passwordLogin(loginUrl: string, apiVersion: string): ViewerLogin {
  return async (viewer) => {
    const { conn } = await openOrgSession(
      { kind: 'password', loginUrl, username: viewer.username, password: viewer.password },
      apiVersion,
    );
    const identity = await conn.identity();
    return {
      accessToken: conn.accessToken ?? '',
      userId: identity.user_id,
      userName: identity.display_name || identity.username,
    };
  };
}

/** Viewer keys from whatever the org calls its roles: `Ops admin` -> `ops-admin`. */
export function viewerKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The "view as" list from the org's demo users (`{ username, password, label, role }`, as the
 * embedded org lists them): the role is the key (`rep`, `manager`, `ops-admin`).
 */
export function previewViewers(
  demoUsers: { username: string; password: string; label: string; role: string }[],
): PreviewViewer[] {
  return demoUsers.map((u) => ({
    key: viewerKey(u.role),
    label: u.label,
    username: u.username,
    password: u.password,
  }));
}
