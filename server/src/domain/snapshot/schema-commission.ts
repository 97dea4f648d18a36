/**
 * Snapshot sections only the commission engine reads (optional, with defaults). Kept in their own
 * file so the commission engine extends the one snapshot shape without touching the others' sections.
 */
export const COMMISSION_SECTIONS = {};
