import { IsOptional, IsString } from 'class-validator';
import {
  ActivityTemplate,
  DEFAULT_ACTIVITY_TEMPLATES,
} from '../../kafka-notification/templates/activity-templates';
import { isJsonObject } from '../env-validators';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';

export interface ActivitySettings {
  templates: Record<string, ActivityTemplate>;
}

export class ActivityVariables {
  /** JSON `{ "EVENT_TYPE": { "content": "...{actor.name}...", "actionUrl": "/x/{data.id}" | null } }`, merged over the built-in templates. */
  @IsOptional()
  @IsString()
  ACTIVITY_NOTIFICATION_TEMPLATES?: string;
}

export function parseActivity(env: EnvVars): Parsed<ActivitySettings> {
  const read = readVariables(ActivityVariables, env);
  if (!read.ok) return read;
  const configured = parseTemplates(read.value.ACTIVITY_NOTIFICATION_TEMPLATES);
  if (!configured.ok) return configured;
  return valid({ templates: { ...DEFAULT_ACTIVITY_TEMPLATES, ...configured.value } });
}

/** The templates ACTIVITY_NOTIFICATION_TEMPLATES configures by event type, or what is wrong with each. */
function parseTemplates(json: string | undefined): Parsed<Record<string, ActivityTemplate>> {
  if (json === undefined) return valid({});
  const problem = (what: string) => `ACTIVITY_NOTIFICATION_TEMPLATES: ${what}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return invalid([problem('must be JSON')]);
  }
  if (!isJsonObject(parsed)) {
    return invalid([problem('must be an object of event type → template')]);
  }
  const templates: Record<string, ActivityTemplate> = {};
  const problems: string[] = [];
  for (const [type, entry] of Object.entries(parsed)) {
    const template = readTemplate(type, entry);
    if (typeof template === 'string') problems.push(problem(template));
    else templates[type] = template;
  }
  return problems.length > 0 ? invalid(problems) : valid(templates);
}

/** One event type's template, or what is wrong with it. */
function readTemplate(type: string, entry: unknown): ActivityTemplate | string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(type)) return `event type "${type}" must be UPPER_SNAKE_CASE`;
  const { content, actionUrl }: Record<string, unknown> = isJsonObject(entry) ? entry : {};
  if (typeof content !== 'string' || content.trim() === '') {
    return `${type}.content must be a non-empty string`;
  }
  if (actionUrl !== undefined && actionUrl !== null && typeof actionUrl !== 'string') {
    return `${type}.actionUrl must be a string or null`;
  }
  return { content, actionUrl: actionUrl ?? null };
}
