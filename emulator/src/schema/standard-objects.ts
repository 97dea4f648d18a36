import {
  bool,
  currency,
  date,
  dateTime,
  defineObject,
  double,
  email,
  int,
  longText,
  lookup,
  percent,
  phone,
  picklist,
  system,
  text,
  textArea,
  url,
} from './field-builders';
import type { ObjectDef } from './types';

/**
 * The standard objects a sales org needs, with the fields a sync engine and reports read.
 * Names, types and relationship names follow Salesforce's describe of the same objects.
 * Objects beyond the core sales model live in `standard-objects-extra.ts`.
 */

export const STAGES = [
  { name: 'Prospecting', probability: 10, category: 'Pipeline', closed: false, won: false },
  { name: 'Qualification', probability: 10, category: 'Pipeline', closed: false, won: false },
  { name: 'Needs Analysis', probability: 20, category: 'Pipeline', closed: false, won: false },
  { name: 'Value Proposition', probability: 50, category: 'Pipeline', closed: false, won: false },
  { name: 'Id. Decision Makers', probability: 60, category: 'Pipeline', closed: false, won: false },
  { name: 'Perception Analysis', probability: 70, category: 'Pipeline', closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, category: 'Pipeline', closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, category: 'Pipeline', closed: false, won: false },
  { name: 'Closed Won', probability: 100, category: 'Closed', closed: true, won: true },
  { name: 'Closed Lost', probability: 0, category: 'Omitted', closed: true, won: false },
] as const;

export const FORECAST_CATEGORIES = ['Pipeline', 'BestCase', 'MostLikely', 'Forecast', 'Closed', 'Omitted'];
const FORECAST_CATEGORY_NAMES = ['Pipeline', 'Best Case', 'Most Likely', 'Commit', 'Closed', 'Omitted'];

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD'];
/** Multi-currency org: every money-bearing object carries the record's currency. */
export const currencyIsoCode = () =>
  picklist('CurrencyIsoCode', CURRENCIES, {
    label: 'Currency ISO Code',
    restrictedPicklist: true,
    length: 3,
  });

export const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];

export const address = (prefix: string) => [
  textArea(`${prefix}Street`, 255),
  text(`${prefix}City`, 40),
  text(`${prefix}State`, 80),
  text(`${prefix}PostalCode`, 20),
  text(`${prefix}Country`, 80),
  double(`${prefix}Latitude`, 18, 15),
  double(`${prefix}Longitude`, 18, 15),
];

export const organization = defineObject(
  {
    name: 'Organization',
    label: 'Organization',
    labelPlural: 'Organizations',
    keyPrefix: '00D',
    createable: false,
    updateable: false,
    deletable: false,
    readOnly: true,
  },
  [
    text('Name', 80, { nameField: true }),
    text('Division', 80),
    text('Country', 80),
    text('DefaultLocaleSidKey', 40),
    text('LanguageLocaleKey', 40),
    text('TimeZoneSidKey', 40),
    int('FiscalYearStartMonth', 2),
    bool('UsesStartDateAsFiscalYearName'),
    text('DefaultCurrencyIsoCode', 3, { label: 'Default Currency ISO Code' }),
    bool('IsSandbox'),
    text('OrganizationType', 40),
    text('InstanceName', 5),
  ].map(system),
);

export const profile = defineObject(
  {
    name: 'Profile',
    label: 'Profile',
    labelPlural: 'Profiles',
    keyPrefix: '00e',
    searchable: false,
    triggerable: false,
  },
  [
    text('Name', 255, { required: true, nameField: true }),
    picklist('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest']),
    text('Description', 255),
    bool('PermissionsModifyAllData'),
    bool('PermissionsViewAllData'),
    bool('PermissionsApiEnabled', { defaultValue: true }),
  ],
);

export const userRole = defineObject(
  {
    name: 'UserRole',
    label: 'Role',
    labelPlural: 'Roles',
    keyPrefix: '00E',
    searchable: false,
    triggerable: false,
  },
  [
    text('Name', 80, { required: true, nameField: true }),
    text('DeveloperName', 80),
    lookup('ParentRoleId', 'UserRole', undefined, { relationshipName: undefined, label: 'Parent Role ID' }),
    text('RollupDescription', 80),
    picklist('OpportunityAccessForAccountOwner', ['None', 'Read', 'Edit']),
    picklist('PortalType', ['None', 'CustomerPortal', 'Partner']),
  ],
);

export const user = defineObject(
  { name: 'User', label: 'User', labelPlural: 'Users', keyPrefix: '005', deletable: false },
  [
    text('Username', 80, { required: true, unique: true, idLookup: true }),
    text('LastName', 80, { required: true }),
    text('FirstName', 40),
    system(text('Name', 121, { nameField: true, label: 'Full Name' })),
    text('CompanyName', 80),
    text('Division', 80),
    text('Department', 80),
    text('Title', 80),
    ...address(''),
    email('Email', { required: true }),
    phone('Phone'),
    phone('MobilePhone'),
    text('Alias', 8, { required: true }),
    text('CommunityNickname', 40),
    bool('IsActive', { defaultValue: true }),
    picklist(
      'TimeZoneSidKey',
      [
        'America/Los_Angeles',
        'America/New_York',
        'Europe/London',
        'Europe/Paris',
        'Asia/Tokyo',
        'Australia/Sydney',
        'GMT',
      ],
      { required: true, restrictedPicklist: true },
    ),
    lookup('UserRoleId', 'UserRole', 'Users', { label: 'Role ID' }),
    picklist('LocaleSidKey', ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'ja_JP', 'en_AU', 'en_CA'], {
      required: true,
      restrictedPicklist: true,
    }),
    picklist('EmailEncodingKey', ['UTF-8', 'ISO-8859-1'], { required: true, restrictedPicklist: true }),
    lookup('ProfileId', 'Profile', 'Users', { required: true, label: 'Profile ID' }),
    picklist('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'], {
      defaultValue: 'Standard',
      createable: false,
      updateable: false,
    }),
    picklist('LanguageLocaleKey', ['en_US', 'de', 'fr', 'ja'], { required: true, restrictedPicklist: true }),
    text('EmployeeNumber', 20),
    lookup('ManagerId', 'User', undefined, { label: 'Manager ID' }),
    picklist('DefaultCurrencyIsoCode', CURRENCIES, { label: 'User Currency' }),
    currencyIsoCode(),
    bool('ForecastEnabled', { label: 'Allow Forecasting' }),
    system(dateTime('LastLoginDate')),
    date('HireDate__c', {
      label: 'Hire Date',
      custom: true,
      description: 'Demo org: start date, for ramping reps.',
    }),
  ],
);

export const account = defineObject(
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    owner: true,
    sharingModel: 'ReadWrite',
  },
  [
    text('Name', 255, { required: true, nameField: true, label: 'Account Name' }),
    picklist(
      'Type',
      [
        'Prospect',
        'Customer - Direct',
        'Customer - Channel',
        'Channel Partner / Reseller',
        'Installation Partner',
        'Technology Partner',
        'Other',
      ],
      { label: 'Account Type' },
    ),
    lookup('ParentId', 'Account', 'ChildAccounts', {
      label: 'Parent Account ID',
      relationshipName: 'Parent',
    }),
    ...address('Billing'),
    ...address('Shipping'),
    phone('Phone'),
    phone('Fax'),
    text('AccountNumber', 40),
    url('Website'),
    text('Sic', 20, { label: 'SIC Code' }),
    picklist('Industry', INDUSTRIES),
    currency('AnnualRevenue'),
    int('NumberOfEmployees', 8, { label: 'Employees' }),
    picklist('Ownership', ['Public', 'Private', 'Subsidiary', 'Other']),
    text('TickerSymbol', 20),
    longText('Description', 32000),
    picklist('Rating', ['Hot', 'Warm', 'Cold']),
    text('Site', 80),
    currencyIsoCode(),
    picklist('AccountSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
    system(dateTime('LastActivityDate')),
    picklist('Segment__c', ['Enterprise', 'Mid-Market', 'SMB'], {
      custom: true,
      label: 'Segment',
      description: 'Demo org: customer segment.',
    }),
    picklist('Region__c', ['AMER', 'EMEA', 'APAC'], {
      custom: true,
      label: 'Region',
      description: 'Demo org: sales region.',
    }),
  ],
);

export const opportunity = defineObject(
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    owner: true,
    sharingModel: 'Private',
  },
  [
    lookup('AccountId', 'Account', 'Opportunities', { label: 'Account ID' }),
    bool('IsPrivate', { label: 'Private' }),
    text('Name', 120, { required: true, nameField: true }),
    longText('Description', 32000),
    picklist(
      'StageName',
      STAGES.map((s) => s.name),
      { required: true, label: 'Stage' },
    ),
    currency('Amount'),
    percent('Probability', 3, 0, { label: 'Probability (%)' }),
    currency('ExpectedRevenue', 18, 2, { createable: false, updateable: false, calculated: true }),
    double('TotalOpportunityQuantity', 18, 2, { label: 'Quantity' }),
    date('CloseDate', { required: true }),
    picklist(
      'Type',
      [
        'Existing Customer - Upgrade',
        'Existing Customer - Replacement',
        'Existing Customer - Downgrade',
        'New Customer',
        'Renewal',
      ],
      { label: 'Opportunity Type' },
    ),
    text('NextStep', 255),
    picklist('LeadSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
    system(bool('IsClosed', { label: 'Closed' })),
    system(bool('IsWon', { label: 'Won' })),
    picklist('ForecastCategory', FORECAST_CATEGORIES, { createable: false, updateable: false }),
    picklist('ForecastCategoryName', FORECAST_CATEGORY_NAMES, { label: 'Forecast Category' }),
    currencyIsoCode(),
    lookup('CampaignId', 'Campaign', 'Opportunities', { label: 'Campaign ID' }),
    bool('HasOpportunityLineItem', { createable: false, updateable: false }),
    lookup('Pricebook2Id', 'Pricebook2', 'Opportunities', { label: 'Price Book ID' }),
    system(dateTime('LastActivityDate')),
    system(int('FiscalQuarter', 1)),
    system(int('FiscalYear', 4)),
    system(text('Fiscal', 6, { label: 'Fiscal Period' })),
    system(dateTime('LastStageChangeDate')),
    int('PushCount__c', 4, {
      custom: true,
      label: 'Push Count',
      description: 'How many times the close date moved into a later period.',
    }),
  ],
);

export const opportunityStage = defineObject(
  {
    name: 'OpportunityStage',
    label: 'Opportunity Stage',
    labelPlural: 'Opportunity Stages',
    keyPrefix: '01J',
    createable: false,
    updateable: false,
    deletable: false,
    readOnly: true,
  },
  [
    text('MasterLabel', 255, { nameField: true }),
    text('ApiName', 255),
    bool('IsActive'),
    int('SortOrder', 9),
    bool('IsClosed'),
    bool('IsWon'),
    picklist('ForecastCategory', FORECAST_CATEGORIES),
    picklist('ForecastCategoryName', FORECAST_CATEGORY_NAMES),
    percent('DefaultProbability', 3, 0),
    text('Description', 255),
  ].map(system),
);

export const CORE_STANDARD_OBJECTS: ObjectDef[] = [
  organization,
  profile,
  userRole,
  user,
  account,
  opportunity,
  opportunityStage,
];
