import type { Org } from '../org';
import type { OrgUser } from './users';

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sf="urn:fault.partner.soap.sforce.com">';
const ENVELOPE_CLOSE = '</soapenv:Envelope>';

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<name>value</name>`, or `<name xsi:nil="true"/>` for null. */
function el(name: string, value: string | number | boolean | null): string {
  if (value === null) return `<${name} xsi:nil="true"/>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export interface LoginResultInput {
  org: Org;
  user: OrgUser;
  version: string;
  sessionId: string;
  sessionSecondsValid: number;
  organizationName: string;
}

/**
 * The partner API's loginResponse. jsforce regex-extracts serverUrl, sessionId, the first userId and
 * organizationId, and refuses the login when passwordExpired is true, so those must be exactly there.
 */
export function loginResponseEnvelope(input: LoginResultInput): string {
  const { org, user, version } = input;
  const base = org.settings.instanceUrl;
  const org15 = org.orgId.slice(0, 15);
  const currency = user.currencyIsoCode ?? org.settings.corporateCurrency;
  const userInfo = [
    el('accessibilityMode', false),
    el('chatterExternal', false),
    el('currencySymbol', currency === 'USD' ? '$' : currency),
    el('orgAttachmentFileSizeLimit', 5242880),
    el('orgDefaultCurrencyIsoCode', org.settings.corporateCurrency),
    el('orgDefaultCurrencyLocale', 'en_US'),
    el('orgDisallowHtmlAttachments', false),
    el('orgHasPersonAccounts', false),
    el('organizationId', org.orgId),
    el('organizationMultiCurrency', false),
    el('organizationName', input.organizationName),
    el('profileId', user.profileId),
    el('roleId', user.roleId),
    el('sessionSecondsValid', input.sessionSecondsValid),
    el('userDefaultCurrencyIsoCode', null),
    el('userEmail', user.email),
    el('userFullName', user.name),
    el('userId', user.id),
    el('userLanguage', user.language),
    el('userLocale', user.locale),
    el('userName', user.username),
    el('userTimeZone', user.timeZone),
    el('userType', user.userType),
    el('userUiSkin', 'Theme3'),
  ].join('');
  const result = [
    el('metadataServerUrl', `${base}/services/Soap/m/${version}/${org15}`),
    el('passwordExpired', false),
    el('sandbox', false),
    el('serverUrl', `${base}/services/Soap/u/${version}/${org15}`),
    el('sessionId', input.sessionId),
    el('userId', user.id),
    `<userInfo>${userInfo}</userInfo>`,
  ].join('');
  return `${ENVELOPE_OPEN}<soapenv:Body><loginResponse><result>${result}</result></loginResponse></soapenv:Body>${ENVELOPE_CLOSE}`;
}

export function logoutResponseEnvelope(): string {
  return `${ENVELOPE_OPEN}<soapenv:Body><logoutResponse/></soapenv:Body>${ENVELOPE_CLOSE}`;
}

/**
 * A SOAP fault. API faults (`sf:INVALID_LOGIN`) carry an `sf:…Fault` detail with the exception code;
 * protocol faults (`soapenv:Client`) carry only the string.
 */
export function faultEnvelope(
  faultcode: string,
  faultstring: string,
  detail?: { type: string; exceptionCode: string; exceptionMessage: string },
): string {
  const detailXml = detail
    ? `<detail><sf:${detail.type} xsi:type="sf:${detail.type}"><sf:exceptionCode>${escapeXml(detail.exceptionCode)}</sf:exceptionCode>` +
      `<sf:exceptionMessage>${escapeXml(detail.exceptionMessage)}</sf:exceptionMessage></sf:${detail.type}></detail>`
    : '';
  return (
    `${ENVELOPE_OPEN}<soapenv:Body><soapenv:Fault><faultcode>${escapeXml(faultcode)}</faultcode>` +
    `<faultstring>${escapeXml(faultstring)}</faultstring>${detailXml}</soapenv:Fault></soapenv:Body>${ENVELOPE_CLOSE}`
  );
}

export const INVALID_LOGIN_MESSAGE = 'Invalid username, password, security token; or user locked out.';

export function invalidLoginFault(): string {
  return faultEnvelope('sf:INVALID_LOGIN', `INVALID_LOGIN: ${INVALID_LOGIN_MESSAGE}`, {
    type: 'LoginFault',
    exceptionCode: 'INVALID_LOGIN',
    exceptionMessage: INVALID_LOGIN_MESSAGE,
  });
}

export function invalidSessionFault(): string {
  const message = 'Invalid Session ID found in SessionHeader: Illegal Session';
  return faultEnvelope('sf:INVALID_SESSION_ID', `INVALID_SESSION_ID: ${message}`, {
    type: 'UnexpectedErrorFault',
    exceptionCode: 'INVALID_SESSION_ID',
    exceptionMessage: message,
  });
}
