import { Injectable } from '@nestjs/common';
import { SignalConfig } from '../../config/signal-config';
import { ActivityTemplate } from './activity-templates';

export class TemplateRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = TemplateRenderError.name;
  }
}

const PLACEHOLDER = /\{([A-Za-z0-9_.]+)\}/g;

function lookup(source: unknown, path: string): string | null {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

/** The event types Signal knows and how to render them; configuration, not handler code. */
@Injectable()
export class ActivityTemplateRegistry {
  private readonly templates: Record<string, ActivityTemplate>;

  constructor(config: SignalConfig) {
    this.templates = config.activity.templates;
  }

  has(eventType: string): boolean {
    return Object.hasOwn(this.templates, eventType);
  }

  /**
   * Content must render completely (a missing value is a bad message); a link that cannot be
   * built is left out instead.
   */
  render(eventType: string, message: object): ActivityTemplate {
    const template = this.templates[eventType];
    const content = template.content.replace(PLACEHOLDER, (_, path: string) => {
      const value = lookup(message, path);
      if (value === null) {
        throw new TemplateRenderError(
          `${eventType} content needs {${path}}, which the message lacks`,
        );
      }
      return value;
    });
    let complete = true;
    const actionUrl = template.actionUrl?.replace(PLACEHOLDER, (_, path: string) => {
      const value = lookup(message, path);
      complete &&= value !== null;
      return encodeURIComponent(value ?? '');
    });
    return { content, actionUrl: complete ? (actionUrl ?? null) : null };
  }
}
