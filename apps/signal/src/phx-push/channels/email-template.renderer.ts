import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { EmailType, SendEmailV3 } from 'phx-node';
import { ChannelError } from './channel-failure';
import { EMAIL_LAYOUT_HTML, EMAIL_TEMPLATES } from './email-templates';

export interface RenderedEmail {
  html: string;
  /** Plain-text alternative for clients that do not show HTML. */
  text: string;
}

/** The e-mail block cannot be rendered: sending it again would fail the same way. */
export class EmailRenderError extends ChannelError {
  constructor(message: string) {
    super(message, false);
  }
}

type Template = HandlebarsTemplateDelegate<unknown>;

/**
 * Renders a `SendEmailV3` block with the template of its `emailType`.
 *
 * `content` and `description` are rendered as text, not HTML: they come from any calling system,
 * and markup taken as is could put a look-alike link or form in a parent's inbox. Line breaks are
 * kept (`<br>`), everything else is escaped.
 */
@Injectable()
export class EmailTemplateRenderer {
  private readonly layout: Template;
  private readonly templates: Map<string, { html: Template; text: Template }>;

  constructor() {
    const handlebars = Handlebars.create();
    handlebars.registerHelper(
      'lines',
      (text: unknown) =>
        new handlebars.SafeString(
          handlebars.escapeExpression(String(text)).replace(/\r?\n/g, '<br>\n'),
        ),
    );
    const html = (source: string) =>
      handlebars.compile(source, { knownHelpers: { lines: true }, knownHelpersOnly: true });
    const text = (source: string) =>
      handlebars.compile(source, { noEscape: true, knownHelpersOnly: true });
    this.layout = html(EMAIL_LAYOUT_HTML);
    this.templates = new Map(
      Object.values(EmailType).map((type) => {
        const source = EMAIL_TEMPLATES[type];
        return [type, { html: html(source.html), text: text(source.text) }];
      }),
    );
  }

  /** @throws {EmailRenderError} when the block lacks what its template needs. */
  render(email: SendEmailV3): RenderedEmail {
    const templates = this.templates.get(email.emailType);
    if (!templates) {
      const known = Object.values(EmailType).join(', ');
      throw new EmailRenderError(`unknown emailType "${email.emailType}" (known: ${known})`);
    }
    checkRenderable(email);
    const body = templates.html(email);
    return {
      html: this.layout({ title: email.title, previewText: email.previewText, body }),
      text: templates.text(email),
    };
  }
}

/**
 * The Producer validated the block; this guards what the templates rely on, so a bad stored
 * payload fails with a reason instead of rendering an empty or unsafe e-mail.
 */
function checkRenderable(email: SendEmailV3): void {
  const problems: string[] = [];
  if (!email.title?.trim()) problems.push('title is required');
  if (!email.previewText?.trim()) problems.push('previewText is required');
  if (email.emailType === EmailType.TRANSACTION_BASIC && !email.content?.trim()) {
    problems.push('content is required');
  }
  if (email.emailType === EmailType.HRM_REMIND) {
    if (!Array.isArray(email.listRequests) || email.listRequests.length === 0) {
      problems.push('listRequests must be a non-empty array');
    } else {
      email.listRequests.forEach((group, index) => {
        // Only http(s) may end up in an href.
        if (group.link !== undefined && !/^https?:\/\//i.test(group.link)) {
          problems.push(`listRequests[${index}].link must be an http(s) URL`);
        }
      });
    }
  }
  if (problems.length > 0) {
    throw new EmailRenderError(`cannot render ${email.emailType} e-mail: ${problems.join('; ')}`);
  }
}
