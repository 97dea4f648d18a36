import type { Org } from '../org';
import { formatDateTime } from '../store/codec';
import { identityUrl } from './tokens';
import type { OrgUser } from './users';

/** Milliseconds east of UTC of a time zone at a moment, as the identity service reports `utcOffset`. */
export function utcOffsetMs(timeZone: string, at: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(
      new Date(at),
    );
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    if (!m) return 0;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  } catch {
    return 0;
  }
}

/** The `urls` map of the identity service; `{version}` stays literal, as in Salesforce. */
function identityUrls(org: Org, user: OrgUser): Record<string, string> {
  const base = org.settings.instanceUrl;
  const org15 = org.orgId.slice(0, 15);
  const rest = `${base}/services/data/v{version}`;
  return {
    enterprise: `${base}/services/Soap/c/{version}/${org15}`,
    metadata: `${base}/services/Soap/m/{version}/${org15}`,
    partner: `${base}/services/Soap/u/{version}/${org15}`,
    rest: `${rest}/`,
    sobjects: `${rest}/sobjects/`,
    search: `${rest}/search/`,
    query: `${rest}/query/`,
    recent: `${rest}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${org15}`,
    tooling_rest: `${rest}/tooling/`,
    profile: `${base}/${user.id}`,
    feeds: `${rest}/chatter/feeds`,
    groups: `${rest}/chatter/groups`,
    users: `${rest}/chatter/users`,
    feed_items: `${rest}/chatter/feed-items`,
    feed_elements: `${rest}/chatter/feed-elements`,
    custom_domain: base,
  };
}

function photos(org: Org): { picture: string; thumbnail: string } {
  const base = `${org.settings.instanceUrl}/profilephoto/005/`;
  return { picture: `${base}F`, thumbnail: `${base}T` };
}

/** GET /id/{orgId}/{userId}: the identity service's JSON. */
export function identityBody(org: Org, user: OrgUser): Record<string, unknown> {
  return {
    id: identityUrl(org, user.id),
    asserted_user: true,
    user_id: user.id,
    organization_id: org.orgId,
    username: user.username,
    nick_name: user.nickname ?? user.alias ?? user.username.split('@')[0],
    display_name: user.name,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: user.timeZone,
    photos: photos(org),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: identityUrls(org, user),
    active: user.isActive,
    user_type: user.userType.toUpperCase(),
    language: user.language,
    locale: user.locale,
    utcOffset: utcOffsetMs(user.timeZone, org.now()),
    last_modified_date: user.lastModifiedDate === null ? null : formatDateTime(user.lastModifiedDate),
    is_app_installed: true,
  };
}

/** GET /services/oauth2/userinfo: the OpenID Connect shape of the same facts. */
export function userInfoBody(org: Org, user: OrgUser): Record<string, unknown> {
  const pics = photos(org);
  return {
    sub: identityUrl(org, user.id),
    user_id: user.id,
    organization_id: org.orgId,
    preferred_username: user.username,
    nickname: user.nickname ?? user.alias ?? user.username.split('@')[0],
    name: user.name,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: user.timeZone,
    photos: pics,
    profile: `${org.settings.instanceUrl}/${user.id}`,
    picture: pics.picture,
    address: {},
    is_salesforce_integration_user: false,
    urls: identityUrls(org, user),
    active: user.isActive,
    user_type: user.userType.toUpperCase(),
    language: user.language,
    locale: user.locale,
    utcOffset: utcOffsetMs(user.timeZone, org.now()),
    updated_at: user.lastModifiedDate === null ? null : formatDateTime(user.lastModifiedDate),
    is_app_installed: true,
  };
}
