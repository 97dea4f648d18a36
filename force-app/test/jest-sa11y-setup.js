// Registers @sa11y/jest's toBeAccessible() for every LWC test file.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
