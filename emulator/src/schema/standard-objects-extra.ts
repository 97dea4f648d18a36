import {
  bool,
  currency,
  date,
  defineObject,
  double,
  email,
  int,
  longText,
  lookup,
  percent,
  phone,
  picklist,
  text,
  textArea,
} from './field-builders';
import { address, CURRENCIES, currencyIsoCode, FORECAST_CATEGORIES, STAGES } from './standard-objects';
import type { FieldDef, ObjectDef } from './types';

/** Period labels, in calendar order; the demo generator names Month periods with them. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The standard objects around the core sales model: contacts, products and price books, line items,
 * opportunity history and splits, currencies, fiscal periods, record types and campaigns.
 * Field names, types, lengths and relationship names follow Salesforce's describe, because the
 * sync engine and jsforce's describe-driven queries rely on them.
 */

/** Maintained by the org: visible to clients, never written by them. */
const readOnly = (field: FieldDef): FieldDef => ({ ...field, createable: false, updateable: false });

/** Set on insert and fixed afterwards (the parent of a line item, the product of a price book entry). */
const createOnly = (field: FieldDef): FieldDef => ({ ...field, updateable: false });

/** Salesforce leaves some audit fields off objects that are written once and never edited. */
const withoutFields = (obj: ObjectDef, names: string[]): ObjectDef => ({
  ...obj,
  fields: obj.fields.filter((f) => !names.includes(f.name)),
});

/** Objects only the org writes: describe says not createable, updateable or deletable. */
const READ_ONLY_OBJECT = {
  createable: false,
  updateable: false,
  deletable: false,
  readOnly: true,
  searchable: false,
  triggerable: false,
  layoutable: false,
} as const;

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const PRODUCT_FAMILIES = ['Platform', 'Analytics', 'Services', 'Support', 'Add-ons', 'Hardware'];
// The currencies CurrencyType may define: ISO 4217 codes, a superset of those the demo org activates.
const ISO_CODES = [...CURRENCIES, 'CHF', 'CNY', 'INR', 'SEK', 'NZD', 'SGD', 'BRL', 'MXN'];

export const contact = defineObject(
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    owner: true,
    sharingModel: 'ControlledByParent',
    mergeable: true,
  },
  [
    lookup('MasterRecordId', 'Contact', undefined, {
      label: 'Master Record ID',
      relationshipName: 'MasterRecord',
      createable: false,
      updateable: false,
    }),
    lookup('AccountId', 'Account', 'Contacts', { label: 'Account ID' }),
    text('LastName', 80, { required: true }),
    text('FirstName', 40),
    picklist('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
    readOnly(text('Name', 121, { nameField: true, label: 'Full Name' })),
    ...address('Mailing'),
    phone('Phone', { label: 'Business Phone' }),
    phone('Fax', { label: 'Business Fax' }),
    phone('MobilePhone', { label: 'Mobile Phone' }),
    lookup('ReportsToId', 'Contact', undefined, { label: 'Reports To ID', relationshipName: 'ReportsTo' }),
    email('Email', { idLookup: true }),
    text('Title', 128),
    text('Department', 80),
    picklist('LeadSource', LEAD_SOURCES),
    date('Birthdate'),
    longText('Description', 32000, { label: 'Contact Description' }),
    currencyIsoCode(),
    bool('HasOptedOutOfEmail', { label: 'Email Opt Out' }),
    readOnly(date('LastActivityDate')),
  ],
);

export const campaign = defineObject(
  {
    name: 'Campaign',
    label: 'Campaign',
    labelPlural: 'Campaigns',
    keyPrefix: '701',
    owner: true,
    sharingModel: 'ReadWrite',
  },
  [
    text('Name', 80, { required: true, nameField: true, label: 'Campaign Name' }),
    lookup('ParentId', 'Campaign', 'ChildCampaigns', {
      label: 'Parent Campaign ID',
      relationshipName: 'Parent',
    }),
    picklist('Type', [
      'Conference',
      'Webinar',
      'Trade Show',
      'Public Relations',
      'Partners',
      'Referral Program',
      'Advertisement',
      'Banner Ads',
      'Direct Mail',
      'Email',
      'Telemarketing',
      'Other',
    ]),
    picklist('Status', ['Planned', 'In Progress', 'Completed', 'Aborted']),
    date('StartDate'),
    date('EndDate'),
    currencyIsoCode(),
    bool('IsActive', { label: 'Active' }),
    longText('Description', 32000),
  ],
);

export const product2 = defineObject(
  { name: 'Product2', label: 'Product', labelPlural: 'Products', keyPrefix: '01t' },
  [
    text('Name', 255, { required: true, nameField: true, label: 'Product Name' }),
    text('ProductCode', 255),
    textArea('Description', 4000, { label: 'Product Description' }),
    bool('IsActive', { label: 'Active' }),
    picklist('Family', PRODUCT_FAMILIES, { label: 'Product Family', length: 40 }),
    currencyIsoCode(),
    text('ExternalId', 255, { label: 'External ID', externalId: true, idLookup: true }),
    picklist('QuantityUnitOfMeasure', ['Each', 'Seat', 'Hour', 'Month', 'Year'], {
      label: 'Quantity Unit Of Measure',
    }),
    text('StockKeepingUnit', 180, { label: 'Product SKU' }),
    readOnly(bool('IsArchived', { label: 'Archived' })),
  ],
);

export const pricebook2 = defineObject(
  { name: 'Pricebook2', label: 'Price Book', labelPlural: 'Price Books', keyPrefix: '01s' },
  [
    text('Name', 255, { required: true, nameField: true, label: 'Price Book Name' }),
    bool('IsActive', { label: 'Active' }),
    readOnly(bool('IsArchived', { label: 'Archived' })),
    text('Description', 255),
    readOnly(bool('IsStandard', { label: 'Is Standard Price Book' })),
  ],
);

export const pricebookEntry = defineObject(
  {
    name: 'PricebookEntry',
    label: 'Price Book Entry',
    labelPlural: 'Price Book Entries',
    keyPrefix: '01u',
    searchable: false,
    layoutable: false,
  },
  [
    readOnly(text('Name', 255, { label: 'Product Name', nameField: true })),
    createOnly(
      lookup('Pricebook2Id', 'Pricebook2', 'PricebookEntries', {
        required: true,
        label: 'Price Book ID',
        cascadeDelete: true,
      }),
    ),
    createOnly(
      lookup('Product2Id', 'Product2', 'PricebookEntries', {
        required: true,
        label: 'Product ID',
        cascadeDelete: true,
      }),
    ),
    createOnly(currencyIsoCode()),
    currency('UnitPrice', 18, 2, { required: true, label: 'List Price' }),
    bool('IsActive', { label: 'Active' }),
    bool('UseStandardPrice', { label: 'Use Standard Price' }),
    readOnly(text('ProductCode', 255)),
    readOnly(bool('IsArchived', { label: 'Archived' })),
  ],
);

export const opportunityLineItem = defineObject(
  {
    name: 'OpportunityLineItem',
    label: 'Opportunity Product',
    labelPlural: 'Opportunity Product',
    keyPrefix: '00k',
    sharingModel: 'ControlledByParent',
    searchable: false,
  },
  [
    // Master-detail in all but name: required, fixed once set, and deleted with the opportunity.
    createOnly(
      lookup('OpportunityId', 'Opportunity', 'OpportunityLineItems', {
        required: true,
        label: 'Opportunity ID',
        cascadeDelete: true,
      }),
    ),
    readOnly(int('SortOrder', 9)),
    createOnly(
      lookup('PricebookEntryId', 'PricebookEntry', 'OpportunityLineItems', { label: 'Price Book Entry ID' }),
    ),
    createOnly(lookup('Product2Id', 'Product2', undefined, { label: 'Product ID' })),
    readOnly(text('ProductCode', 255)),
    readOnly(text('Name', 376, { nameField: true, label: 'Opportunity Product Name' })),
    readOnly(currencyIsoCode()),
    double('Quantity', 12, 2, { required: true }),
    currency('TotalPrice', 16, 2, { label: 'Total Price' }),
    currency('UnitPrice', 16, 2, { label: 'Sales Price' }),
    readOnly(currency('ListPrice', 18, 2, { label: 'List Price' })),
    date('ServiceDate', { label: 'Date' }),
    text('Description', 255, { label: 'Line Description' }),
    percent('Discount', 18, 2),
  ],
);

export const opportunityHistory = withoutFields(
  defineObject(
    {
      name: 'OpportunityHistory',
      label: 'Opportunity History',
      labelPlural: 'Opportunity History',
      keyPrefix: '008',
      ...READ_ONLY_OBJECT,
    },
    [
      readOnly(
        lookup('OpportunityId', 'Opportunity', 'OpportunityHistories', {
          label: 'Opportunity ID',
          nillable: false,
          cascadeDelete: true,
        }),
      ),
      readOnly(
        picklist(
          'StageName',
          STAGES.map((s) => s.name),
          { label: 'Stage' },
        ),
      ),
      readOnly(currency('Amount')),
      readOnly(currency('ExpectedRevenue', 18, 2, { label: 'Expected Revenue' })),
      readOnly(date('CloseDate', { label: 'Close Date' })),
      readOnly(percent('Probability', 3, 0, { label: 'Probability (%)' })),
      readOnly(picklist('ForecastCategory', FORECAST_CATEGORIES, { label: 'Forecast Category' })),
      readOnly(currencyIsoCode()),
      readOnly(currency('PrevAmount', 18, 2, { label: 'Previous Amount' })),
      readOnly(date('PrevCloseDate', { label: 'Previous Close Date' })),
    ],
  ),
  ['LastModifiedDate', 'LastModifiedById'],
);

export const opportunityFieldHistory = withoutFields(
  defineObject(
    {
      name: 'OpportunityFieldHistory',
      label: 'Opportunity Field History',
      labelPlural: 'Opportunity Field History',
      keyPrefix: '017',
      ...READ_ONLY_OBJECT,
    },
    [
      readOnly(
        lookup('OpportunityId', 'Opportunity', 'Histories', {
          label: 'Opportunity ID',
          nillable: false,
          cascadeDelete: true,
        }),
      ),
      readOnly(
        picklist(
          'Field',
          [
            'created',
            'Amount',
            'CloseDate',
            'StageName',
            'OwnerId',
            'Probability',
            'ForecastCategoryName',
            'Name',
            'AccountId',
            'Type',
          ],
          { label: 'Changed Field' },
        ),
      ),
      readOnly(
        picklist(
          'DataType',
          ['Text', 'Currency', 'Date', 'DateOnly', 'Double', 'Percent', 'Boolean', 'EntityId', 'DynamicEnum'],
          { label: 'Data Type' },
        ),
      ),
      // Salesforce types these anyType; the org keeps the text form of whatever value changed.
      readOnly(
        text('OldValue', 255, { label: 'Old Value', filterable: false, sortable: false, groupable: false }),
      ),
      readOnly(
        text('NewValue', 255, { label: 'New Value', filterable: false, sortable: false, groupable: false }),
      ),
    ],
  ),
  ['LastModifiedDate', 'LastModifiedById', 'SystemModstamp'],
);

export const opportunitySplitType = defineObject(
  {
    name: 'OpportunitySplitType',
    label: 'Opportunity Split Type',
    labelPlural: 'Opportunity Split Types',
    keyPrefix: '14A',
    searchable: false,
    layoutable: false,
    triggerable: false,
  },
  [
    text('DeveloperName', 80, { required: true, label: 'Name' }),
    text('MasterLabel', 80, { required: true, nameField: true, label: 'Label' }),
    text('Description', 255),
    text('SplitField', 255, { label: 'Field' }),
    text('SplitEntity', 255, { label: 'Object' }),
    bool('IsActive', { label: 'Active' }),
    bool('IsTotalValidated', { label: 'Splits Must Total 100%' }),
    readOnly(
      picklist(
        'SplitDataStatus',
        ['Activating', 'ActivationFailed', 'Deactivating', 'DeactivationFailed', 'Completed'],
        { label: 'Status' },
      ),
    ),
  ],
);

export const opportunitySplit = defineObject(
  {
    name: 'OpportunitySplit',
    label: 'Opportunity Split',
    labelPlural: 'Opportunity Splits',
    keyPrefix: '149',
    sharingModel: 'ControlledByParent',
    searchable: false,
  },
  [
    createOnly(
      lookup('OpportunityId', 'Opportunity', 'OpportunitySplits', {
        required: true,
        label: 'Opportunity ID',
        cascadeDelete: true,
      }),
    ),
    lookup('SplitOwnerId', 'User', undefined, {
      required: true,
      label: 'Team Member ID',
      relationshipName: 'SplitOwner',
    }),
    percent('SplitPercentage', 5, 2, { label: 'Percent (%)' }),
    text('SplitNote', 255, { label: 'Note' }),
    createOnly(
      lookup('SplitTypeId', 'OpportunitySplitType', undefined, {
        label: 'Opportunity Split Type ID',
        relationshipName: 'SplitType',
      }),
    ),
    readOnly(currency('SplitAmount', 18, 2, { label: 'Amount', calculated: true })),
    readOnly(currencyIsoCode()),
  ],
);

export const currencyType = defineObject(
  {
    name: 'CurrencyType',
    label: 'Currency',
    labelPlural: 'Currencies',
    keyPrefix: '02N',
    deletable: false,
    searchable: false,
    layoutable: false,
    triggerable: false,
  },
  [
    picklist('IsoCode', ISO_CODES, {
      required: true,
      restrictedPicklist: true,
      label: 'Currency ISO Code',
      length: 3,
    }),
    double('ConversionRate', 18, 6, { required: true, label: 'Conversion Rate' }),
    int('DecimalPlaces', 9, { required: true, label: 'Decimal Places' }),
    bool('IsActive', { label: 'Active' }),
    bool('IsCorporate', { label: 'Corporate Currency' }),
  ],
);

export const datedConversionRate = defineObject(
  {
    name: 'DatedConversionRate',
    label: 'Dated Conversion Rate',
    labelPlural: 'Dated Conversion Rates',
    keyPrefix: '04w',
    searchable: false,
    layoutable: false,
    triggerable: false,
  },
  [
    createOnly(
      picklist('IsoCode', ISO_CODES, {
        required: true,
        restrictedPicklist: true,
        label: 'Currency ISO Code',
        length: 3,
      }),
    ),
    double('ConversionRate', 18, 6, { required: true, label: 'Conversion Rate' }),
    date('StartDate', { required: true, label: 'Start Date' }),
    readOnly(date('NextStartDate', { label: 'Next Start Date' })),
  ],
);

export const fiscalYearSettings = defineObject(
  {
    name: 'FiscalYearSettings',
    label: 'Fiscal Year',
    labelPlural: 'Fiscal Years',
    keyPrefix: '022',
    ...READ_ONLY_OBJECT,
  },
  [
    readOnly(lookup('PeriodId', 'Period', undefined, { label: 'Period ID' })),
    readOnly(date('StartDate', { label: 'Start Date' })),
    readOnly(date('EndDate', { label: 'End Date' })),
    readOnly(text('Name', 80, { nameField: true, label: 'Fiscal Year Name' })),
    readOnly(bool('IsStandardYear', { label: 'Standard Fiscal Year' })),
    readOnly(picklist('YearType', ['Standard', 'Custom', 'Placeholder'], { label: 'Fiscal Year Type' })),
    readOnly(
      picklist('QuarterLabelScheme', ['NumberByYear', 'Custom'], {
        label: 'Fiscal Year Quarter Name Scheme',
      }),
    ),
    readOnly(
      picklist('PeriodLabelScheme', ['NumberByYear', 'NumberByQuarter', 'StandardMonths', 'Custom'], {
        label: 'Fiscal Year Period Name Scheme',
      }),
    ),
    readOnly(
      picklist('WeekLabelScheme', ['NumberByYear', 'NumberByQuarter', 'NumberByPeriod'], {
        label: 'Fiscal Year Week Name Scheme',
      }),
    ),
    readOnly(
      picklist('QuarterPrefix', ['Quarter', 'FQ', 'Q', 'Trimester'], { label: 'Fiscal Year Quarter Prefix' }),
    ),
    readOnly(
      picklist('PeriodPrefix', ['Period', 'FP', 'P', 'Month'], { label: 'Fiscal Year Period Prefix' }),
    ),
    readOnly(int('WeekStartDay', 9, { label: 'Week Start Day' })),
    readOnly(text('Description', 255)),
  ],
);

export const period = defineObject(
  { name: 'Period', label: 'Period', labelPlural: 'Periods', keyPrefix: '026', ...READ_ONLY_OBJECT },
  [
    readOnly(
      lookup('FiscalYearSettingsId', 'FiscalYearSettings', 'Periods', { label: 'Fiscal Year Settings ID' }),
    ),
    readOnly(picklist('Type', ['Month', 'Quarter', 'Week', 'Year'], { label: 'Fiscal Period Type' })),
    readOnly(date('StartDate', { label: 'Start Date', nillable: false })),
    readOnly(date('EndDate', { label: 'End Date', nillable: false })),
    readOnly(bool('IsForecastPeriod', { label: 'Forecast Period' })),
    readOnly(picklist('QuarterLabel', ['Spring', 'Summer', 'Fall', 'Winter'], { label: 'Quarter Name' })),
    readOnly(picklist('PeriodLabel', MONTH_NAMES, { label: 'Period Name' })),
    readOnly(int('Number', 9, { label: 'Number' })),
    readOnly(text('FullyQualifiedLabel', 255, { label: 'Fully Qualified Label' })),
  ],
);

export const recordType = defineObject(
  {
    name: 'RecordType',
    label: 'Record Type',
    labelPlural: 'Record Types',
    keyPrefix: '012',
    deletable: false,
    searchable: false,
    layoutable: false,
    triggerable: false,
  },
  [
    text('Name', 80, { required: true, nameField: true, label: 'Record Type Label' }),
    text('DeveloperName', 80, { required: true, label: 'Record Type Name' }),
    readOnly(text('NamespacePrefix', 15)),
    text('Description', 255),
    lookup('BusinessProcessId', 'BusinessProcess', undefined, { label: 'Business Process ID' }),
    createOnly(
      picklist('SobjectType', ['Account', 'Campaign', 'Contact', 'Opportunity', 'Product2'], {
        required: true,
        label: 'SObject Type Name',
        length: 40,
      }),
    ),
    bool('IsActive', { label: 'Active' }),
  ],
);

export const EXTRA_STANDARD_OBJECTS: ObjectDef[] = [
  contact,
  campaign,
  product2,
  pricebook2,
  pricebookEntry,
  opportunityLineItem,
  opportunityHistory,
  opportunityFieldHistory,
  opportunitySplitType,
  opportunitySplit,
  currencyType,
  datedConversionRate,
  fiscalYearSettings,
  period,
  recordType,
];
