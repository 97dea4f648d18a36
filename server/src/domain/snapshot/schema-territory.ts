/**
 * Snapshot sections only the territory engine reads (optional, with defaults). Kept in their own file
 * so the territory engine extends the one snapshot shape without touching the others' sections.
 */
export const TERRITORY_SECTIONS = {};
