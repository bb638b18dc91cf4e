/** What the fit step puts where Discord requires text that the draft left blank. */
export const EMPTY_NOTIFICATION = '(empty notification)';
export const EMPTY_EMBED = '(empty embed)';
/** Stands in for an empty field name or value: Discord requires both and rejects blanks. */
export const EMPTY_FIELD = '-';
export const MORE_FIELDS_NAME = '…';
export const moreFieldsText = (n: number): string => `${n} more ${n === 1 ? 'field' : 'fields'} not shown`;
