import { defaultSeverityModel, priorityRank, type SeverityModel } from '../shared/severity.js';

/**
 * What render needs of the severity model: an alert's look (colour, emoji) and how urgent it
 * is, for ordering. The one place render reaches the model, which lives outside render/.
 */
export type SeverityLook = Pick<SeverityModel, 'look' | 'priority'>;

/** The look of the built-in severities, for renders whose config names none. */
export const defaultSeverityLook: SeverityLook = defaultSeverityModel;

/** Higher is more urgent. */
export const urgency = (model: SeverityLook, severity: string | undefined): number =>
  priorityRank(model.priority(severity));
