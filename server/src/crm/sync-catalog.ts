/**
 * What the sync reads: each object, its default field list, when the org has it at all, and which
 * fields fill the store's typed columns. Field lists can be replaced or extended in
 * config/sync.yaml; these are the defaults.
 */
export type TypedColumn =
  | 'ownerId'
  | 'parentId'
  | 'accountId'
  | 'name'
  | 'amount'
  | 'closeDate'
  | 'stage'
  | 'category'
  | 'isClosed'
  | 'isWon'
  | 'currency';

export interface CatalogEntry {
  object: string;
  fields: string[];
  /** `multiCurrency`: only in multi-currency orgs; `splits`: only where OpportunitySplit exists. */
  when: 'always' | 'multiCurrency' | 'splits';
  /** Critical objects keep syncing between 80% and 90% of the daily API allocation. */
  critical: boolean;
  typed: Partial<Record<TypedColumn, string>>;
}

/** Fields every synced object reads, whatever the config says. */
export const SYSTEM_FIELDS = ['Id', 'IsDeleted', 'SystemModstamp'];

/** Added to objects that have it when the org is multi-currency. */
export const CURRENCY_FIELD = 'CurrencyIsoCode';

export const SYNC_CATALOG: CatalogEntry[] = [
  {
    object: 'User',
    fields: [
      'Username',
      'Name',
      'FirstName',
      'LastName',
      'Email',
      'IsActive',
      'UserRoleId',
      'ManagerId',
      'ProfileId',
      'Title',
      'Department',
      'ForecastEnabled',
      'CreatedDate',
    ],
    when: 'always',
    critical: true,
    typed: { name: 'Name', parentId: 'ManagerId' },
  },
  {
    object: 'UserRole',
    fields: ['Name', 'DeveloperName', 'ParentRoleId'],
    when: 'always',
    critical: true,
    typed: { name: 'Name', parentId: 'ParentRoleId' },
  },
  {
    object: 'Account',
    fields: [
      'Name',
      'OwnerId',
      'ParentId',
      'Type',
      'Industry',
      'BillingCountry',
      'BillingState',
      'BillingPostalCode',
      'BillingCity',
      'AnnualRevenue',
      'NumberOfEmployees',
      'CreatedDate',
    ],
    when: 'always',
    critical: true,
    typed: { name: 'Name', ownerId: 'OwnerId', parentId: 'ParentId', currency: CURRENCY_FIELD },
  },
  {
    object: 'Opportunity',
    fields: [
      'Name',
      'AccountId',
      'OwnerId',
      'StageName',
      'Amount',
      'CloseDate',
      'Probability',
      'ForecastCategoryName',
      'IsClosed',
      'IsWon',
      'Type',
      'LeadSource',
      'CreatedDate',
      'FiscalYear',
      'FiscalQuarter',
    ],
    when: 'always',
    critical: true,
    typed: {
      name: 'Name',
      accountId: 'AccountId',
      ownerId: 'OwnerId',
      amount: 'Amount',
      closeDate: 'CloseDate',
      stage: 'StageName',
      category: 'ForecastCategoryName',
      isClosed: 'IsClosed',
      isWon: 'IsWon',
      currency: CURRENCY_FIELD,
    },
  },
  {
    object: 'OpportunityLineItem',
    fields: [
      'OpportunityId',
      'Product2Id',
      'PricebookEntryId',
      'Name',
      'Quantity',
      'UnitPrice',
      'ListPrice',
      'TotalPrice',
      'ServiceDate',
      'Discount',
    ],
    when: 'always',
    critical: true,
    typed: {
      parentId: 'OpportunityId',
      name: 'Name',
      amount: 'TotalPrice',
      closeDate: 'ServiceDate',
      currency: CURRENCY_FIELD,
    },
  },
  {
    object: 'Product2',
    fields: ['Name', 'ProductCode', 'Family', 'IsActive'],
    when: 'always',
    critical: true,
    typed: { name: 'Name' },
  },
  {
    object: 'Sales_Quota__c',
    fields: [
      'Name',
      'User__c',
      'Amount__c',
      'Quantity__c',
      'Period_Start__c',
      'Period_End__c',
      'Period_Type__c',
      'Quota_Type__c',
      'Product_Family__c',
      'Territory_Key__c',
      'External_Key__c',
    ],
    when: 'always',
    critical: true,
    typed: {
      name: 'Name',
      ownerId: 'User__c',
      amount: 'Amount__c',
      closeDate: 'Period_End__c',
      currency: CURRENCY_FIELD,
    },
  },
  {
    object: 'Territory_Change_Request__c',
    fields: [
      'Name',
      'Account__c',
      'From_Territory_Key__c',
      'To_Territory_Key__c',
      'Status__c',
      'Effective_Date__c',
      'Reason__c',
      'Approver__c',
      'Approver_Comment__c',
      'Applied_At__c',
      'Error__c',
      'External_Key__c',
      'CreatedById',
    ],
    when: 'always',
    critical: true,
    typed: { name: 'Name', accountId: 'Account__c', stage: 'Status__c', closeDate: 'Effective_Date__c' },
  },
  {
    object: 'SalesOps_Job__c',
    fields: [
      'Name',
      'Type__c',
      'Status__c',
      'Requested_By__c',
      'Started_At__c',
      'Finished_At__c',
      'Progress__c',
      'Records_Read__c',
      'Records_Written__c',
      'Api_Calls__c',
      'External_Key__c',
      'CreatedDate',
    ],
    when: 'always',
    critical: true,
    typed: { name: 'Name', stage: 'Status__c', ownerId: 'Requested_By__c' },
  },
  {
    object: 'OpportunityHistory',
    fields: [
      'OpportunityId',
      'StageName',
      'Amount',
      'CloseDate',
      'Probability',
      'ForecastCategory',
      'CreatedDate',
      'CreatedById',
      'PrevAmount',
      'PrevCloseDate',
    ],
    when: 'always',
    critical: false,
    typed: {
      parentId: 'OpportunityId',
      amount: 'Amount',
      closeDate: 'CloseDate',
      stage: 'StageName',
      category: 'ForecastCategory',
      currency: CURRENCY_FIELD,
    },
  },
  {
    object: 'OpportunitySplit',
    fields: ['OpportunityId', 'SplitOwnerId', 'SplitPercentage', 'SplitAmount', 'SplitTypeId', 'SplitNote'],
    when: 'splits',
    critical: false,
    typed: {
      parentId: 'OpportunityId',
      ownerId: 'SplitOwnerId',
      amount: 'SplitAmount',
      currency: CURRENCY_FIELD,
    },
  },
  {
    object: 'Period',
    fields: [
      'Type',
      'StartDate',
      'EndDate',
      'FiscalYearSettingsId',
      'Number',
      'FullyQualifiedLabel',
      'IsForecastPeriod',
    ],
    when: 'always',
    critical: false,
    typed: {
      name: 'FullyQualifiedLabel',
      stage: 'Type',
      closeDate: 'EndDate',
      parentId: 'FiscalYearSettingsId',
    },
  },
  {
    object: 'FiscalYearSettings',
    fields: ['Name', 'StartDate', 'EndDate', 'YearType', 'IsStandardYear', 'PeriodId'],
    when: 'always',
    critical: false,
    typed: { name: 'Name', closeDate: 'EndDate' },
  },
  {
    object: 'CurrencyType',
    fields: ['IsoCode', 'ConversionRate', 'DecimalPlaces', 'IsActive', 'IsCorporate'],
    when: 'multiCurrency',
    critical: false,
    typed: { name: 'IsoCode', currency: 'IsoCode', amount: 'ConversionRate' },
  },
  {
    object: 'DatedConversionRate',
    fields: ['IsoCode', 'ConversionRate', 'StartDate', 'NextStartDate'],
    when: 'multiCurrency',
    critical: false,
    typed: { name: 'IsoCode', currency: 'IsoCode', amount: 'ConversionRate', closeDate: 'StartDate' },
  },
];

export function catalogEntry(object: string): CatalogEntry | undefined {
  return SYNC_CATALOG.find((e) => e.object.toLowerCase() === object.toLowerCase());
}
